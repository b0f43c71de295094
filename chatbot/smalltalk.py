"""Small talk: greetings, thanks, goodbyes and questions about the bot itself.

Small talk is read clause by clause.  Talk that wraps a real question
("hi! does AIN go away? thanks") is set aside and the question goes on to the
matcher; a message that is only small talk gets the reply of its most
important intent.  The phrases and replies live in `data/smalltalk.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .lexicon import load_data
from .text import normalise

#: A typed phrase this similar to a known one (and about as long) is that phrase.
FUZZY_CUTOFF = 88.0
#: A message with no topic words that holds a known phrase plus at most this
#: many other words is small talk too ("thanks, that is really helpful").
EXTRA_WORDS = 2
_PIECES = re.compile(r"(?:[^.!?;,\n]|[.,](?=\d))+[.!?;,\n]*")
_LONGEST_WRAP = 4  # words


@dataclass(frozen=True)
class Intent:
    id: str
    reply: str
    wraps: bool  # may surround a real question


@dataclass(frozen=True)
class Reading:
    """Small talk found in a message, most important first, and what is left to answer."""

    intents: tuple[Intent, ...]
    remainder: str


class SmallTalk:
    """The small-talk phrases, normalised once; immutable and thread-safe."""

    def __init__(self, title: str) -> None:
        data = load_data("smalltalk.yaml")
        self._softeners = frozenset(normalise(str(w)) for w in data.get("softeners") or ())
        self._intents: list[Intent] = []
        self._phrases: dict[str, int] = {}
        for number, item in enumerate(data.get("intents") or []):
            reply = " ".join(str(item.get("reply", "")).split()).replace("{title}", title)
            self._intents.append(Intent(str(item["id"]), reply, bool(item.get("wraps", False))))
            for phrase in item.get("phrases") or []:
                self._phrases.setdefault(normalise(str(phrase)), number)
                self._phrases.setdefault(self._soften(normalise(str(phrase)).split()), number)
        self._choices = list(self._phrases)

    def _soften(self, words: list[str]) -> str:
        """Words without "really", "so", "very much"...: they never change the intent."""
        kept = [w for w in words if w not in self._softeners]
        return " ".join(kept or words)

    def _intent(self, text: str) -> int | None:
        text = self._soften(text.split())
        if text in self._phrases:
            return self._phrases[text]
        if len(text) < 5:
            return None
        found = process.extractOne(text, self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if found is not None and abs(len(found[0]) - len(text)) <= 2:
            return self._phrases[found[0]]
        return None

    def _wrap(self, words: list[str], from_end: bool) -> tuple[int, int] | None:
        """(intent, size) of wrapping talk at the start (or end) of a clause with more after it."""
        for size in range(min(_LONGEST_WRAP, len(words) - 1), 0, -1):
            part = words[-size:] if from_end else words[:size]
            number = self._phrases.get(" ".join(part))
            if number is not None and self._intents[number].wraps:
                return number, size
        return None

    def read(self, text: str) -> Reading:
        found: set[int] = set()
        kept: list[str] = []
        for piece in _PIECES.findall(text):
            words = normalise(piece).split()
            if not words:
                kept.append(piece)
                continue
            number = self._intent(" ".join(words))
            if number is not None:
                found.add(number)
                continue
            stripped = False
            for from_end in (False, True):
                wrap = self._wrap(words, from_end)
                if wrap is not None:
                    found.add(wrap[0])
                    words = words[: -wrap[1]] if from_end else words[wrap[1] :]
                    stripped = True
            kept.append(" ".join(words) + _ending(piece) if stripped else piece)
        remainder = " ".join(p.strip() for p in kept if normalise(p)).strip()
        return Reading(tuple(self._intents[n] for n in sorted(found)), remainder)


    def guess(self, text: str) -> Intent | None:
        """Small talk in a message that holds no question at all, read leniently.

        Only for messages the matcher found no topic in: "thanks, that's really
        helpful to know" holds "thats helpful" and a few other words.
        """
        typed = set(self._soften(normalise(text).split()).split())
        best: tuple[int, int] | None = None  # (intent, phrase length)
        for phrase, number in self._phrases.items():
            needed = set(phrase.split())
            if needed and needed <= typed and len(typed - needed) <= EXTRA_WORDS:
                if best is None or number < best[0] or (number == best[0] and len(needed) > best[1]):
                    best = (number, len(needed))
        return self._intents[best[0]] if best else None


def _ending(piece: str) -> str:
    """The closing punctuation of a piece ("?" matters to the matcher)."""
    stripped = piece.rstrip()
    end = len(stripped)
    while end and stripped[end - 1] in ".!?;,":
        end -= 1
    return stripped[end:]
