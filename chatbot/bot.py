"""The bot: one message in, one reply out.

`Bot.ask` is the whole pipeline, in order:

1. clean the text (control characters, escapes, length limit);
2. red flags: an emergency gets the urgent reply, before anything else;
3. small talk: greetings and thanks are answered, or set aside when they wrap
   a real question;
4. personal advice (doses, own results, medicine changes) is declined;
5. the matcher ranks the entries, and `decide` answers, asks "did you mean",
   or falls back honestly.
"""

from __future__ import annotations

import contextlib
import gc
import os
from types import MappingProxyType
from typing import Any, Iterator

from .knowledge import Entry, KnowledgeBase, load
from .matcher import Match, Matcher, decide
from .parts import load_parts
from .redflags import Screening
from .reply import Choice, Reply, Source
from .sealed import Sealed
from .text import MAX_INPUT_CHARS, SCREEN_CHARS, clean_input

#: Fallback replies suggest this many questions the bot can answer.
SUGGESTIONS = 3
#: A runner-up this good is worth suggesting after a fallback.
SUGGESTION_MIN_SCORE = 25.0


class Bot(Sealed):
    """A read-only FAQ bot over one knowledge base; safe to share between threads."""

    __slots__ = ("kb", "title", "_entries", "_matcher", "_redflags", "_smalltalk", "_advice", "_wording")

    def __init__(self, kb: str | os.PathLike[str] | KnowledgeBase | None = None) -> None:
        """Load the bundled knowledge base, or the file or directory `kb` points at.

        Raises `KnowledgeBaseError` (with every problem found) for a bad knowledge base.
        The bundled knowledge base comes ready-built from a snapshot when the
        package has an up-to-date one (see `chatbot.snapshot`).
        """
        if kb is None:
            from .snapshot import load_snapshot

            ready = load_snapshot()
            if ready is not None:
                self.__setstate__(ready.__getstate__())
                return
        with _collector_paused():
            self._build(kb)

    def _build(self, kb: str | os.PathLike[str] | KnowledgeBase | None) -> None:
        knowledge = kb if isinstance(kb, KnowledgeBase) else load(kb)
        parts = load_parts()
        self.kb = knowledge
        self.title = knowledge.title
        self._entries = knowledge.by_id
        self._matcher = Matcher(knowledge, parts.lexicon)
        self._redflags = parts.redflags.knowing(self._matcher.known_words)
        self._smalltalk = parts.smalltalk.knowing(self.title, self._matcher.known_words)
        self._advice = parts.advice
        self._wording = _Wording(parts.messages, self.title)
        self._seal()

    def __getstate__(self) -> dict[str, Any]:
        # Read-only mappings cannot be pickled: store plain ones, wrap them again on load.
        state = super().__getstate__()
        state["kb"] = self.kb._replace(by_id=dict(self.kb.by_id))
        state["_entries"] = dict(self._entries)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        state["kb"] = state["kb"]._replace(by_id=MappingProxyType(state["kb"].by_id))
        state["_entries"] = state["kb"].by_id
        super().__setstate__(state)

    def warm(self) -> "Bot":
        """Index every leaflet now, rather than each on the first question that needs it."""
        self._matcher.index.shelves
        return self

    @property
    def disclaimer(self) -> str:
        """The short line shown with every answer."""
        return self._wording.line

    @property
    def banner(self) -> str:
        """The longer disclaimer shown when a chat starts."""
        return self._wording.banner

    # -- the pipeline ----------------------------------------------------------
    def ask(self, message: str) -> Reply:
        """Reply to one message.  Never raises for any string."""
        # Red flags are looked for in more of a long message than the rest reads: a
        # fever mentioned at the end of a long paste still gets the urgent reply.
        screened = clean_input(message if isinstance(message, str) else str(message), limit=SCREEN_CHARS)
        text = screened[:MAX_INPUT_CHARS].rstrip()
        if not text:
            return self._reply("fallback", self._wording.empty)

        screening = self._redflags.screen(screened)
        if screening.is_urgent:
            return self._urgent(screening)

        talk = self._smalltalk.read(text)
        if not talk.remainder and talk.intents:
            intent = talk.intents[0]
            return self._reply("smalltalk", intent.reply, score=100.0, intent=intent.id)

        question = talk.remainder or text
        match = self._matcher.match(question)
        advice = self._advice.requests(question)
        outcome = decide(match)
        if outcome.kind == "fallback" and not advice:
            # Nothing to answer: perhaps small talk in other words ("thanks, that's
            # really helpful to know"), or small talk around words we don't know.
            intent = self._smalltalk.guess(text) or (talk.intents[0] if talk.intents and not match.topical else None)
            if intent is not None:
                return self._reply("smalltalk", intent.reply, score=100.0, intent=intent.id, match=match)

        note = self._wording.safety_note if screening.mentioned else None
        if outcome.kind == "answer" and not self._advice.notice_only.intersection(advice):
            entry = self._entries[outcome.choices[0].entry_id]
            notice = self._wording.advice_notice(advice, alone=False) if advice else None
            return self._answer(entry, match, notice=_join(notice, note), advice=advice)
        if advice:
            notice = _join(self._wording.advice_notice(advice, alone=True), note)
            return self._fallback(match, notice=notice, plain=True, advice=advice)
        if outcome.kind == "clarify":
            return self._clarify(match, outcome.choices, note)
        return self._fallback(match, notice=note)

    def answer(self, entry_id: str) -> Reply:
        """The reply for one entry, as if its question had been asked (for "pick 1", related)."""
        return self._answer(self._entries[entry_id], None, notice=None)

    # -- building replies ------------------------------------------------------
    def _reply(self, kind: str, text: str, **fields: Any) -> Reply:
        return Reply(kind=kind, text=text, disclaimer=self._wording.line, **fields)

    def _urgent(self, screening: Screening) -> Reply:
        flags = [flag.label for flag in screening.urgent]
        if screening.readings and "fever" in [f.id for f in screening.urgent]:
            index = [f.id for f in screening.urgent].index("fever")
            flags[index] = f"{flags[index]} ({', '.join(screening.readings)})"
        return self._reply(
            "urgent", self._wording.urgent(flags), score=100.0, flags=tuple(f.id for f in screening.urgent)
        )

    def _answer(self, entry: Entry, match: Match | None, notice: str | None, advice: tuple[str, ...] = ()) -> Reply:
        candidates = tuple(Choice(c.entry_id, c.question, c.score) for c in match.candidates[:SUGGESTIONS]) if match else ()
        score = next((c.score for c in match.candidates if c.entry_id == entry.id), 100.0) if match else 100.0
        text = f"{entry.question}\n{entry.answer}"
        return self._reply(
            "answer",
            f"{notice}\n\n{text}" if notice else text,
            entry_id=entry.id,
            question=entry.question,
            answer=entry.answer,
            score=score,
            candidates=candidates,
            related=tuple(Choice(r, self._entries[r].question) for r in entry.related if r in self._entries),
            source=Source(entry.document.title, entry.document.name, entry.source),
            notice=notice,
            advice=advice,
            match=match,
        )

    def _clarify(self, match: Match, choices: tuple, note: str | None) -> Reply:
        offered = tuple(Choice(c.entry_id, c.question, c.score) for c in choices)
        lines = [self._wording.clarify] + [f"{n}. {c.question}" for n, c in enumerate(offered, 1)]
        text = "\n".join(lines)
        return self._reply(
            "clarify",
            f"{text}\n\n{note}" if note else text,
            score=offered[0].score,
            candidates=offered,
            notice=note,
            match=match,
        )

    def _fallback(self, match: Match, notice: str | None, plain: bool = False, advice: tuple[str, ...] = ()) -> Reply:
        close = [c for c in match.candidates if c.score >= SUGGESTION_MIN_SCORE][:SUGGESTIONS]
        seen = {c.entry_id for c in close}
        suggestions = [Choice(c.entry_id, c.question, c.score) for c in close]
        for entry in self.kb.entries:
            if len(suggestions) >= SUGGESTIONS:
                break
            if entry.id not in seen:
                suggestions.append(Choice(entry.id, entry.question, 0.0))
        body = notice if plain and notice else _join(self._wording.fallback, notice)
        lines = [body or "", "", self._wording.suggest] + [f"{n}. {c.question}" for n, c in enumerate(suggestions, 1)]
        return self._reply(
            "fallback",
            "\n".join(lines),
            score=match.best.score if match.best else 0.0,
            candidates=tuple(Choice(c.entry_id, c.question, c.score) for c in match.candidates[:SUGGESTIONS]),
            related=tuple(suggestions),
            notice=notice,
            advice=advice,
            match=match,
        )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a bot is built.

    Building makes a great many small objects that all live on, so the collector
    would only search them again and again (about 15% of the time) and find nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _join(*parts: str | None) -> str | None:
    present = [p for p in parts if p]
    return "\n\n".join(present) if present else None


class _Wording:
    """The bot's own sentences from messages.yaml, with the document title filled in."""

    def __init__(self, data: dict, title: str) -> None:
        def text(section: str, key: str, default: str = "") -> str:
            value = (data.get(section) or {}).get(key, default)
            return " ".join(str(value).split()).replace("{title}", title)

        self.banner = text("disclaimer", "banner")
        self.line = text("disclaimer", "line")
        self._urgent_heading = text("urgent", "heading")
        self._urgent_because = text("urgent", "because")
        self._urgent_text = text("urgent", "text").replace("{numbers}", text("urgent", "numbers"))
        self.safety_note = text("urgent", "note")
        self._notice = text("advice", "notice")
        self._notice_alone = text("advice", "notice_alone")
        self._kinds = {str(k): str(v) for k, v in ((data.get("advice") or {}).get("kinds") or {}).items()}
        self.fallback = text("fallback", "text")
        self.suggest = text("fallback", "suggest")
        self.empty = text("fallback", "empty")
        self.clarify = text("clarify", "text")

    def urgent(self, flags: list[str]) -> str:
        because = self._urgent_because.replace("{flags}", _and(flags)) if flags else ""
        return "\n".join(part for part in (self._urgent_heading, because, self._urgent_text) if part)

    def advice_notice(self, kinds: tuple[str, ...], alone: bool) -> str:
        what = _and([self._kinds.get(kind, kind) for kind in kinds], "or")
        return (self._notice_alone if alone else self._notice).replace("{what}", what)


def _and(items: list[str], joiner: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {joiner} " + items[-1]
