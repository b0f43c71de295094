"""The search index: every phrasing of every entry, grouped by source document.

Each document's entries form a *shelf* with its own word statistics, so a
leaflet's answers score the same whether it is loaded alone or among hundreds
of others: a word's rarity, and which words count as unknown, are judged by
the leaflet itself.

Shelves are indexed the first time a question needs them.  Loading only works
out which tokens each leaflet could hold (one pass over its text), so that a
knowledge base of thousands of leaflets loads about as fast as its YAML parses,
and a question only ever waits for the leaflets that share its words.  A shelf,
once built, never changes; building is guarded by a lock, so a `Bot` can be
shared between threads.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from typing import NamedTuple

from .knowledge import Entry, KnowledgeBase
from .lexicon import Lexicon
from .reading import phrasing_tokens, word_counts
from .sealed import Sealed

#: Weight of an everyday word ("possible", "usually") the leaflet does not use...
GENERAL_WEIGHT = 0.3
#: ...and at most this much when it does ("factors", "usually").
GENERAL_CAP = 1.5
#: A phrasing drawn from an answer rather than a question counts for less.
ANSWER_FACTOR = 0.8
#: No token weighs less than this, not even the leaflet's own subject ("ain"), so that
#: "how long does it last?" prefers a phrasing without a subject to "how long does X last?".
MIN_WEIGHT = 1.0
#: Question words tell questions apart, but do not say what a question is about.
QUESTION_WORDS = frozenset({"what", "why", "how", "who", "when", "where", "which", "whose"})
#: A word in at least this share of a leaflet's texts is its subject ("ain", a condition's name).
SUBJECT_SHARE = 0.4


class Phrasing(NamedTuple):
    entry: int  # index into the shelf's entries, or -1 for a question the leaflet does not answer
    text: str
    tokens: frozenset[str]
    weight: float  # the sum of its tokens' weights
    factor: float  # 1, or less for a phrasing drawn from an answer


class Shelf(Sealed):
    """One document's entries: phrasings, postings and word weights.  Read-only once built."""

    __slots__ = ("entries", "phrasings", "scales", "weights", "postings", "idf", "unknown", "general", "vocabulary", "uncovered")

    def __init__(self, entries: tuple[Entry, ...], not_covered: tuple[str, ...], lexicon: Lexicon) -> None:
        self.entries = entries
        self.general = lexicon.general
        raw: list[tuple[int, str, frozenset[str], float]] = []
        for number, entry in enumerate(entries):
            raw.extend((number, text, phrasing_tokens(lexicon, text), 1.0) for text in entry.phrasings)
            raw.append((number, entry.answer, phrasing_tokens(lexicon, entry.answer), ANSWER_FACTOR))
        raw.extend((-1, text, phrasing_tokens(lexicon, text), 1.0) for text in not_covered)

        # Rarity is counted over the phrasings of real entries: a token in few of
        # them tells entries apart; one in most of them ("ain") hardly matters.
        frequency: dict[str, int] = defaultdict(int)
        counted = 0
        vocabulary: list[set[str]] = [set() for _ in entries]
        for entry, _, tokens, _ in raw:
            if entry >= 0:
                counted += 1
                vocabulary[entry].update(tokens)
                for token in tokens:
                    frequency[token] += 1
        self.idf = {t: max(MIN_WEIGHT, math.log((counted + 1) / (n + 0.5))) for t, n in frequency.items()}
        #: A word the leaflet never uses weighs as much as its rarest word.
        self.unknown = max(self.idf.values(), default=1.0)
        #: Every token an entry's phrasings (or answer) use: what the entry "knows".
        self.vocabulary = tuple(frozenset(v) for v in vocabulary)
        #: Tokens only the leaflet's unanswered questions use ("genetic", "pregnant").
        self.uncovered = frozenset(t for entry, _, tokens, _ in raw if entry < 0 for t in tokens) - frequency.keys()

        weight = self.weight
        phrasings: list[Phrasing] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for entry, text, tokens, factor in raw:
            if tokens:
                number = len(phrasings)
                for token in tokens:
                    postings[token].append(number)
                phrasings.append(Phrasing(entry, text, tokens, sum(map(weight, tokens)), factor))
        self.phrasings = phrasings
        #: For each phrasing, 200 x its factor and its weight: what scoring needs, without attribute look-ups.
        self.scales = [200.0 * p.factor for p in phrasings]
        self.weights = [p.weight for p in phrasings]
        self.postings = dict(postings)
        self._seal()

    def weight(self, token: str) -> float:
        """How much a token counts here: rarer weighs more, everyday words little, unknown words most."""
        idf = self.idf.get(token)
        if token in self.general:
            return GENERAL_WEIGHT if idf is None else min(idf, GENERAL_CAP)
        return self.unknown if idf is None else idf

    def topical(self, token: str) -> bool:
        """A token this leaflet uses that names something (not an everyday word, not "what" or "how")."""
        return token in self.idf and token not in self.general and token not in QUESTION_WORDS


class _Source(NamedTuple):
    entries: tuple[Entry, ...]
    not_covered: tuple[str, ...]


class Index(Sealed):
    """All shelves, which shelves may hold each token, and the words the knowledge base uses.

    Only the list of built shelves changes after construction, each slot once,
    from nothing to a finished shelf, under the lock.
    """

    __slots__ = ("_sources", "_shelves", "_lexicon", "_lock", "by_token", "by_subject", "word_counts")

    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon) -> None:
        groups: dict[int, list[Entry]] = {}
        for entry in kb.entries:
            groups.setdefault(id(entry.document), []).append(entry)
        not_covered: dict[int, list[str]] = defaultdict(list)
        for item in kb.not_covered:
            not_covered[id(item.document)].append(item.question)
        self._sources = tuple(_Source(tuple(found), tuple(not_covered.get(key, ()))) for key, found in groups.items())
        self._shelves: list[Shelf | None] = [None] * len(self._sources)
        self._lexicon = lexicon
        self._lock = threading.Lock()

        by_token: dict[str, list[int]] = defaultdict(list)
        by_subject: dict[str, list[int]] = defaultdict(list)
        #: In how many leaflets each word appears: typo correction prefers common words.
        self.word_counts: dict[str, int] = defaultdict(int)  # type: ignore[assignment]
        for number, source in enumerate(self._sources):
            texts = [t for entry in source.entries for t in (*entry.phrasings, entry.answer)]
            counts = word_counts(texts + list(source.not_covered))
            for word in counts:
                self.word_counts[word] += 1
            for token in lexicon.possible_tokens(set(counts)):
                by_token[token].append(number)
            for token in self._subjects(counts, len(texts), lexicon):
                by_subject[token].append(number)
        self.by_token = dict(by_token)
        #: The leaflets whose subject each token is ("ain" -> the AIN leaflet).
        self.by_subject = dict(by_subject)
        self.word_counts = dict(self.word_counts)
        self._seal()

    def __getstate__(self) -> dict[str, object]:
        state = super().__getstate__()
        del state["_lock"]  # a lock cannot be pickled; a new one is made on load
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        super().__setstate__({**state, "_lock": threading.Lock()})

    @staticmethod
    def _subjects(counts: Counter[str], texts: int, lexicon: Lexicon) -> set[str]:
        """The tokens a leaflet is about: used in at least SUBJECT_SHARE of its texts."""
        per_token: dict[str, int] = defaultdict(int)
        for word, count in counts.items():
            token = lexicon.token(word)
            if token and not lexicon.is_topic_free(token) and token not in lexicon.general:
                per_token[token] += count
        for first in lexicon.phrases.keys() & counts.keys():  # a phrase's first word stands in for the phrase
            for words_, canonical in lexicon.phrases[first]:
                if canonical:
                    per_token[canonical] += min(counts.get(w, 0) for w in words_)
        return {token for token, count in per_token.items() if count >= SUBJECT_SHARE * max(texts, 1)}

    def __len__(self) -> int:
        return len(self._sources)

    def shelf(self, number: int) -> Shelf:
        """Shelf `number`, indexed on first use."""
        found = self._shelves[number]
        if found is None:
            with self._lock:
                found = self._shelves[number]
                if found is None:
                    source = self._sources[number]
                    found = self._shelves[number] = Shelf(source.entries, source.not_covered, self._lexicon)
        return found

    @property
    def shelves(self) -> tuple[Shelf, ...]:
        """Every shelf, indexing those not yet built."""
        return tuple(self.shelf(number) for number in range(len(self._sources)))

    def shelves_with(self, token: str) -> list[Shelf]:
        """The shelves that use a token (shelves it might be in are built to find out)."""
        return [shelf for shelf in map(self.shelf, self.by_token.get(token, ())) if token in shelf.postings]
