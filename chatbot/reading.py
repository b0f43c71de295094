"""Reading what a person typed: words, shorthand, typos, synonyms -> tokens.

The same reading is applied to every knowledge-base phrasing when the index is
built, so a question and a phrasing always meet in the same form.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable, Mapping

from .document import Document
from .lexicon import Lexicon
from .text import ascii_words, clauses, words


def word_counts(texts: list[str]) -> Counter[str]:
    """How often each word is used in some texts (one pass over all of them)."""
    joined = "\n".join(texts)
    return Counter(ascii_words(joined) if joined.isascii() else words(joined))


def phrasing_tokens(lexicon: Lexicon, phrasing: str) -> frozenset[str]:
    """The tokens a knowledge-base phrasing is indexed under (only its asking sentence)."""
    return frozenset(lexicon.content(words(asked(phrasing))))


class Reader:
    """Turns a question into content tokens; built once per knowledge base, then read-only."""

    __slots__ = ("lexicon", "known", "_counts", "_by_first", "_memo")

    def __init__(self, lexicon: Lexicon, word_counts: Mapping[str, int], documents: Iterable[Document] = ()) -> None:
        self.lexicon = lexicon
        counts: Counter[str] = Counter(word_counts)
        for document in documents:
            counts.update(document.folded_words)
        counts.update(lexicon.words)
        #: Every word recognised without correction: knowledge-base words and the English dictionary.
        self.known = frozenset(counts) | lexicon.dictionary
        self._counts = counts
        self._by_first: dict[str, list[str]] | None = None  # made on the first typo (most questions have none)
        self._memo: dict[str, tuple[str, ...] | None] = {}

    def _candidates_by_first_letter(self) -> dict[str, list[str]]:
        """Words a typo may be corrected to, by first letter, most frequent first.

        Typos are corrected towards topic words only ("awya" -> "away"); short
        function words are the lexicon's job ("wat" -> "what").  Frequency order
        makes a tie in distance go to the common word.
        """
        if self._by_first is None:
            counts = self._counts
            by_first: dict[str, list[str]] = defaultdict(list)
            for word in sorted(counts, key=lambda w: (-counts[w], w)):
                if word.isalpha() and len(word) >= 3 and not self.lexicon.is_topic_free(word):
                    by_first[word[0]].append(word)
            self._by_first = dict(by_first)  # two threads may both build it: the same result
        return self._by_first

    def phrasing_tokens(self, phrasing: str) -> frozenset[str]:
        """The tokens a knowledge-base phrasing is indexed under."""
        return phrasing_tokens(self.lexicon, phrasing)

    def read(self, text: str) -> tuple[list[str], list[tuple[str, str]]]:
        """Content tokens of a piece of a question, and the typo corrections made on the way."""
        expanded = self.lexicon.expand(words(text))
        corrected, corrections = self.correct(expanded)
        return self.lexicon.content(corrected), corrections

    def correct(self, typed: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
        known = self.known
        out: list[str] = []
        corrections: list[tuple[str, str]] = []
        i = 0
        while i < len(typed):
            word = typed[i]
            following = typed[i + 1] if i + 1 < len(typed) else None
            # Two pieces of one word ("anti biotics", "neutro penia").
            if following is not None and (word not in known or following not in known) and word + following in known:
                out.append(word + following)
                corrections.append((f"{word} {following}", word + following))
                i += 2
                continue
            if word in known or not word.isalpha() or len(word) < 3:
                out.append(word)
            else:
                fixed = self.closest(word)
                if fixed is None:
                    out.append(word)
                else:
                    corrections.append((word, " ".join(fixed)))
                    out.extend(fixed)
            i += 1
        return out, corrections

    def closest(self, word: str) -> tuple[str, ...] | None:
        """The known word (or two) a misspelt word was meant to be, if one is close enough."""
        if word in self._memo:
            return self._memo[word]
        found = self._closest(word)
        self._memo[word] = found
        return found

    def _closest(self, word: str) -> tuple[str, ...] | None:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        size = len(word)
        limit = 1 if size <= 8 else 2
        # Same first letter, or a longer word with a single slip anywhere.
        by_first = self._candidates_by_first_letter()
        pools = [by_first.get(word[0], [])]
        if size >= 7:
            pools.append([w for first, found in by_first.items() if first != word[0] for w in found if abs(len(w) - size) <= 1])
        dictionary = self.lexicon.dictionary
        for pool in pools:
            fits = []
            for rank, (choice, distance, _) in enumerate(process.extract(word, pool, scorer=OSA.distance, score_cutoff=limit, limit=8)):
                if size <= 4 and len(choice) <= size and sorted(choice) != sorted(word) and not _slipped_key(word, choice):
                    continue  # a short word is only corrected by adding or swapping letters ("awy" -> "away"), or a slip to the next key ("lomg")
                if choice[0] != word[0] and distance > 1:
                    continue
                # Equally close: an English word before a rarer name ("blod" is "blood", not "bloud").
                fits.append((distance, choice not in dictionary, rank, choice))
            if fits:
                return (min(fits)[3],)
        if size >= 6:  # two words run together: "goaway", "bloodtest"
            for cut in range(2, size - 1):
                head, tail = word[:cut], word[cut:]
                if head in self.known and tail in self.known and len(tail) >= 2:
                    return (head, tail)
        return None


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# Where each key is (row, position), each row set half a key further right than the one above.
_KEYS = {key: (row, column + row / 2) for row, keys in enumerate(_KEYBOARD) for column, key in enumerate(keys)}


def _slipped_key(typed: str, meant: str) -> bool:
    """Whether `typed` is `meant` with one letter replaced by a key next to it ("lomg" for "long")."""
    if len(typed) != len(meant):
        return False
    changed = [(a, b) for a, b in zip(typed, meant) if a != b]
    if len(changed) != 1 or not all(c in _KEYS for c in changed[0]):
        return False
    (row_a, x_a), (row_b, x_b) = _KEYS[changed[0][0]], _KEYS[changed[0][1]]
    return abs(row_a - row_b) <= 1 and abs(x_a - x_b) <= 1


_SENTENCE_BREAK = re.compile(r"[.!?;\n]\s*\S")


def asked(phrasing: str) -> str:
    """The part of a phrasing that asks: a long alternate's context sentences are left out."""
    if not _SENTENCE_BREAK.search(phrasing):
        return phrasing  # one sentence: nothing to leave out
    sentences = clauses(phrasing)
    asking = [s for s in sentences if s.endswith("?")]
    return " ".join(asking) if asking and len(sentences) > 1 else phrasing
