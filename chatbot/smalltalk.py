"""Small talk: greetings, thanks, goodbyes and questions about the bot itself.

Small talk is read clause by clause.  Talk that wraps a real question
("hi! does AIN go away? thanks") is set aside and the question goes on to the
matcher; a message that is only small talk gets the reply of its most
important intent.  The phrases and replies live in `data/smalltalk.yaml`.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from typing import NamedTuple

from .lexicon import load_data
from .text import has_words, normalise

#: A typed phrase this similar to a known one (and about as long) is that phrase.
FUZZY_CUTOFF = 88.0
#: A message with no topic words that holds a known phrase plus at most this
#: many other words is small talk too ("thanks, that is really helpful").
EXTRA_WORDS = 2
_PIECES = re.compile(r"(?:[^.!?;,\n]|[.,](?=\d))+[.!?;,\n]*")
_LONGEST_WRAP = 4  # words
# Verbs after which "ok", "fine" or "alright" is what is asked about, not talk.
_LINKING = frozenset({"be", "is", "are", "was", "were", "been", "feel", "feels", "feeling", "seem", "seems", "look", "looks", "stay", "stays"})
# A verb before its subject asks, question mark or not: "I will be 45 soon, will it go away".
_INVERTED = re.compile(r"\b(?:will|would|does|do|did|can|could|is|are|should|shall|may|might)\s+"
                       r"(?:it|i|he|she|they|we|you|this|that|my|our|his|her|their|the|ain|autoimmune)\b")
# Words that make "I'm worried about how long it lasts" a question after all.
_ASKING = frozenset({"how", "what", "why", "when", "where", "which", "who", "whether", "if"})


class Intent(NamedTuple):
    id: str
    reply: str
    wraps: bool  # may surround a real question


class Reading(NamedTuple):
    """Small talk found in a message, most important first, and what is left to answer."""

    intents: tuple[Intent, ...]
    remainder: str


class SmallTalk:
    """The small-talk phrases, normalised once; immutable and thread-safe."""

    def __init__(self, title: str = "{title}", known_words: frozenset[str] = frozenset()) -> None:
        """Read data/smalltalk.yaml; replies name the document `title`, and
        `known_words` are never taken for a misspelt phrase."""
        data = load_data("smalltalk.yaml")
        self._softeners = frozenset(normalise(str(w)) for w in data.get("softeners") or ())
        self._alike = {normalise(str(k)): normalise(str(v)) for k, v in (data.get("alike") or {}).items()}
        self._intents: list[Intent] = []
        self._phrases: dict[str, int] = {}
        #: Who a feeling can be about without asking anything ("I'm worried about my son").
        self._about_people = frozenset(self._words(" ".join(str(w) for w in data.get("about_people") or ())))
        #: Openings of a statement that is talk, whatever follows ("I'll ask her doctor"), by intent.
        self._openers: list[tuple[tuple[str, ...], int]] = []
        for number, item in enumerate(data.get("intents") or []):
            reply = " ".join(str(item.get("reply", "")).split()).replace("{title}", title)
            self._intents.append(Intent(str(item["id"]), reply, bool(item.get("wraps", False))))
            self._openers += [(tuple(self._words(str(opener))), number) for opener in item.get("openers") or []]
            for phrase in item.get("phrases") or []:
                said = self._words(str(phrase))
                self._phrases.setdefault(" ".join(said), number)
                self._phrases.setdefault(self._soften(said), number)
        self._choices = list(self._phrases)
        self._longest = max(map(len, self._choices), default=0)
        # For the misspelling check: made on the first message that needs it (few do).
        self._by_length: dict[int, list[tuple[Counter[str], frozenset[str]]]] | None = None
        # For `guess`: each phrase's words, found through any one of them.
        self._word_sets: dict[str, list[tuple[frozenset[str], int]]] = {}
        for phrase, number in self._phrases.items():
            needed = frozenset(phrase.split())
            for word in needed:
                self._word_sets.setdefault(word, []).append((needed, number))
        self._known = known_words | frozenset(w for phrase in self._choices for w in phrase.split())
        self._also_known: frozenset[str] = frozenset()  # a knowledge base's words (see `knowing`)

    def knowing(self, title: str, known_words: frozenset[str]) -> "SmallTalk":
        """This small talk for one knowledge base: replies name its title, its words are spelt right.

        Built with the default title, the replies still hold "{title}" to fill in here;
        the phrases are the same for every knowledge base (see `chatbot.parts`).
        """
        bound = copy.copy(self)
        bound._intents = [intent._replace(reply=intent.reply.replace("{title}", title)) for intent in self._intents]
        bound._also_known = known_words  # kept apart: a union would copy thousands of words
        return bound

    def _words(self, text: str) -> list[str]:
        """Normalised words, each said one way ("u" is "you", "robot" is "bot")."""
        alike = self._alike
        return " ".join(alike.get(word, word) for word in normalise(text).split()).split()

    def _soften(self, words: list[str]) -> str:
        """Words without "really", "so", "very much"...: they never change the intent."""
        kept = [w for w in words if w not in self._softeners]
        return " ".join(kept or words)

    def _intent(self, text: str) -> int | None:
        text = self._soften(text.split())
        if text in self._phrases:
            return self._phrases[text]
        if len(text) < 5 or len(text) > self._longest + 2:
            return None
        if not self._could_be_misspelt(text):
            return None
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import OSA

        found = process.extractOne(text, self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if found is not None and abs(len(found[0]) - len(text)) <= 2:
            return self._phrases[found[0]]
        # One slip in a short phrase ("thnaks", "goodbey") is too much for the ratio above.
        found = process.extractOne(text, self._choices, scorer=OSA.distance, score_cutoff=1)
        if found is not None:
            return self._phrases[found[0]]
        return None

    def _could_be_misspelt(self, text: str) -> bool:
        """Whether some phrase shares enough letters with `text` to be FUZZY_CUTOFF similar.

        The similarity can be no higher than twice the letters in common over both
        lengths, which is cheap to count; only then is rapidfuzz worth loading.
        """
        typed = text.split()
        known, also = self._known, self._also_known
        if all(word in known or word in also for word in typed):
            return False  # every word is spelt right, so it is not a misspelt phrase
        letters = Counter(text)
        size = len(text)
        several = set(typed) if len(typed) > 1 else None
        for length in range(size - 2, size + 3):
            for theirs, their_words in self._phrases_by_length().get(length, ()):
                # A misspelt phrase of several words keeps at least one of them.
                if several is not None and several.isdisjoint(their_words):
                    continue
                common = sum(min(count, letters[letter]) for letter, count in theirs.items())
                if 200 * common >= FUZZY_CUTOFF * (length + size) or common >= max(length, size) - 1:
                    return True
        return False

    def _phrases_by_length(self) -> dict[int, list[tuple[Counter[str], frozenset[str]]]]:
        """The phrases by length, each as its letters counted and its words (two threads may both
        make it: the same)."""
        if self._by_length is None:
            by_length: dict[int, list[tuple[Counter[str], frozenset[str]]]] = {}
            for phrase in self._choices:
                by_length.setdefault(len(phrase), []).append((Counter(phrase), frozenset(phrase.split())))
            self._by_length = by_length
        return self._by_length

    def _wrap(self, words: list[str], from_end: bool) -> tuple[int, int] | None:
        """(intent, size) of wrapping talk at the start (or end) of a clause with more after it."""
        for size in range(min(_LONGEST_WRAP, len(words) - 1), 0, -1):
            if from_end and words[-size - 1] in _LINKING:
                continue  # "is my baby going to be ok": "ok" belongs to the question
            part = words[-size:] if from_end else words[:size]
            number = self._phrases.get(" ".join(part))
            if number is not None and self._intents[number].wraps:
                return number, size
        return None

    def read(self, text: str) -> Reading:
        found: set[int] = set()
        kept: list[str] = []
        asides: list[str] = []  # what a piece of talk is about ("worried about my son")
        pieces = _PIECES.findall(text)
        for number, piece in enumerate(pieces):
            if 0 < number < len(pieces) - 1 and len(pieces) > 3:
                kept.append(piece)  # small talk opens or closes a long message, it is not in its middle
                continue
            words = self._words(piece)
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
            if stripped:
                rest = self._intent(" ".join(words))  # "hey, how r u": the rest is small talk too
                if rest is not None:
                    found.add(rest)
                    continue
            kept.append(" ".join(words) + _ending(piece) if stripped else piece)
            if stripped and words[:1] == ["about"] and "?" not in piece and self._about_people.issuperset(words[1:]):
                asides.append(kept[-1])
        remainder = " ".join(p.strip() for p in kept if has_words(p)).strip()
        if asides and all(p in asides for p in kept if has_words(p)):
            remainder = ""  # "I'm so worried about my son": whom the talk is about, not a question
        opener = self._opener(remainder) if remainder and "?" not in text else None
        if opener is not None:
            found.add(opener)  # "Thanks, I'll talk to her doctor": a plan, not a question
            remainder = ""
        return Reading(tuple(self._intents[n] for n in sorted(found)), remainder)


    def _opener(self, text: str) -> int | None:
        """The intent whose opening starts `text`, when nothing in it asks."""
        said = tuple(self._words(text))
        if not _ASKING.isdisjoint(said):
            return None
        for opening, number in self._openers:
            if said[: len(opening)] == opening and not _INVERTED.search(" ".join(said[len(opening):])):
                return number
        return None

    def guess(self, text: str) -> Intent | None:
        """Small talk in a message that holds no question at all, read leniently.

        Only for messages the matcher found no topic in: "thanks, that's really
        helpful to know" holds "thats helpful" and a few other words.
        """
        typed = set(self._soften(self._words(text)).split())
        best: tuple[int, int] | None = None  # (intent, phrase length)
        for needed, number in (found for word in typed for found in self._word_sets.get(word, ())):
            if len(typed) - len(needed) <= EXTRA_WORDS and needed <= typed:
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
