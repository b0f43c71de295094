"""What `Bot.ask` returns: an immutable reply and its JSON form."""

from __future__ import annotations

from typing import Any, NamedTuple

from .matcher import Match

KINDS = ("answer", "clarify", "fallback", "smalltalk", "urgent")


class Choice(NamedTuple):
    """An entry offered to the person: a runner-up, a "did you mean" or a related question."""

    entry_id: str
    question: str
    score: float = 0.0


class Source(NamedTuple):
    """Where an answer comes from: the document and the verbatim quotes."""

    document: str  # the document's title
    file: str  # the document's file name
    quotes: tuple[str, ...]


class Reply(NamedTuple):
    """One reply to one message.  `text` is what to show the person."""

    kind: str  # one of KINDS
    text: str
    disclaimer: str
    entry_id: str | None = None  # set only when kind is "answer"
    question: str | None = None  # the canonical question understood
    answer: str | None = None  # the bare answer, without the understood question
    score: float = 0.0  # 0-100: how well the message matched
    candidates: tuple[Choice, ...] = ()  # ranked: the answer and runners-up, or the choices
    related: tuple[Choice, ...] = ()  # questions to suggest next
    source: Source | None = None
    notice: str | None = None  # said before the answer (personal advice, safety note)
    flags: tuple[str, ...] = ()  # red flags recognised (kind "urgent")
    advice: tuple[str, ...] = ()  # kinds of personal advice asked for and declined ("dose", ...)
    intent: str | None = None  # small-talk intent, e.g. "goodbye"
    match: Match | None = None  # the evidence, for /why and --explain

    def to_json(self) -> dict[str, Any]:
        """The reply in the command-line JSON contract (keys in a fixed order)."""
        return {
            "kind": self.kind,
            "text": self.text,
            "entry_id": self.entry_id,
            "question": self.question,
            "score": round(self.score, 1),
            "candidates": [{"entry_id": c.entry_id, "question": c.question, "score": round(c.score, 1)} for c in self.candidates],
            "related": [{"entry_id": r.entry_id, "question": r.question} for r in self.related],
            "source": None
            if self.source is None
            else {"document": self.source.document, "file": self.source.file, "quotes": list(self.source.quotes)},
            "disclaimer": self.disclaimer,
        }
