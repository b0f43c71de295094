"""Why the bot replied as it did: for `chatbot ask --explain` and the chat's /why."""

from __future__ import annotations

from .matcher import CLARIFY_MARGIN, COVERAGE_GAP, MIN_COVERAGE, MIN_SCORE
from .reply import Reply

SHOWN = 5


def explain(reply: Reply) -> str:
    """A short report a curator can read: what was understood and how each entry scored."""
    lines = [f"Outcome: {reply.kind}" + (f" ({reply.entry_id})" if reply.entry_id else "")]
    if reply.kind == "urgent":
        lines.append(f"Red flags recognised: {', '.join(reply.flags)}. Red flags are checked before any matching.")
        return "\n".join(lines)
    if reply.intent:
        lines.append(f"Small talk: {reply.intent}.")
    if reply.advice:
        lines.append(f"Personal advice asked for ({', '.join(reply.advice)}): declined, with a referral.")
    match = reply.match
    if match is None:
        return "\n".join(lines)
    lines.append(f'Question read from: "{match.focus}"')
    lines.append(f"Tokens compared: {' '.join(match.tokens) or '(none)'}")
    if match.corrections:
        lines.append("Typos read as: " + ", ".join(f"{typed} -> {meant}" for typed, meant in match.corrections))
    lines.append("Words the knowledge base does not know: " + (", ".join(match.unknown_words) or "none"))
    if match.not_covered:
        lines.append(f'Closest to a known unanswerable question: "{match.not_covered}"')
    lines.append(
        f"Rules: answer needs score >= {MIN_SCORE:g} and coverage >= {MIN_COVERAGE:.0%}; "
        f"entries within {CLARIFY_MARGIN:g} points of the best are offered as choices, "
        f"unless another of them covers {COVERAGE_GAP:.0%} more of the question."
    )
    if not match.candidates:
        lines.append("No entry shares enough of the question's words to be a candidate.")
        return "\n".join(lines)
    lines.append("")
    lines.append(f"{'score':>6} {'covers':>6}  {'entry':<34} best phrasing")
    for candidate in match.candidates[:SHOWN]:
        lines.append(
            f"{candidate.score:6.1f} {candidate.coverage:6.0%}  {candidate.entry_id:<34} \"{candidate.phrasing}\""
        )
    return "\n".join(lines)
