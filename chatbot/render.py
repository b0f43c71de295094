"""Replies as plain text for a person to read (the terminal, pipes, `chatbot ask`)."""

from __future__ import annotations

import textwrap

from .reply import Reply

MAX_QUOTE = 160


def wrap(text: str, width: int, indent: str = "") -> str:
    """Wrap each paragraph to `width`, keeping blank lines and list items apart."""
    lines = []
    for line in text.split("\n"):
        if not line.strip():
            lines.append("")
            continue
        lead = indent + " " * (len(line) - len(line.lstrip()))
        bullet = line.lstrip()
        hang = lead + (" " * (bullet.index(" ") + 1) if bullet[:1].isdigit() and ". " in bullet[:4] else "")
        lines.append(textwrap.fill(bullet, width=max(width, 20), initial_indent=lead, subsequent_indent=hang))
    return "\n".join(lines)


def source_line(reply: Reply) -> str | None:
    """'Source: "…" (document title)': the citation shown under an answer."""
    if reply.source is None or not reply.source.quotes:
        return None
    quote = reply.source.quotes[0]
    if len(quote) > MAX_QUOTE:
        quote = quote[: MAX_QUOTE - 1].rsplit(" ", 1)[0] + "\u2026"
    more = f" (+{len(reply.source.quotes) - 1} more)" if len(reply.source.quotes) > 1 else ""
    return f'Source: "{quote}"{more} \u2014 {reply.source.document}'


def plain(reply: Reply, width: int = 80, numbered_related: bool = False, hint: str | None = None) -> str:
    """The whole reply as plain text: answer, citation, suggestions, a hint, the disclaimer."""
    parts = [wrap(reply.text, width)]
    if reply.kind == "answer":
        citation = source_line(reply)
        if citation:
            parts.append(wrap(citation, width))
        if reply.related:
            lead = "Related questions:"
            items = [f"{n}. {r.question}" if numbered_related else f"- {r.question}" for n, r in enumerate(reply.related, 1)]
            parts.append(wrap("\n".join([lead, *("  " + i for i in items)]), width))
    if hint:
        parts.append(wrap(hint, width))
    if reply.kind in ("answer", "clarify", "fallback"):
        parts.append(wrap(reply.disclaimer, width))
    return "\n\n".join(parts)
