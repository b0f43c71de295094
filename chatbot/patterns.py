"""A small pattern language for the YAML files that clinicians and curators edit.

Patterns are written in plain words, not regular expressions, and are matched
against normalised text (lower case, no punctuation, "won't" written "wont"):

    high temp*            "temp*" matches temp, temps, temperature, ...
    cant|cannot breathe   "|" gives alternatives for one word position
    stop ... <medicine>   "..." allows up to four words in between
    <wound> ... <sign>    "<name>" is any entry of the file's `groups: name:`
    (very) drowsy         "(word)" is optional
    anc ... <number>      "<number>" is a measured value: 0.4 (read as "0 4"), not "18 months"

None of these characters needs quoting in YAML.
Example:  "<wound> ... <infected-sign>" matches "the cut on his knee is red".
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping

# Every element of a compiled pattern consumes the space after its word, and
# text is matched as "words joined by spaces" plus one trailing space, so that
# gaps and optional words need no special joining rules.
_GAP = r"(?:\S+ ){0,4}"


# A measured value: a number not followed by a unit of time or age ("0 4", not "18 months").
_NUMBER = r"\d+ (?:\d+ )?(?!(?:years?|months?|weeks?|days?|hours?|yrs?|mos?|old|times)\b)"


class PatternError(ValueError):
    """A pattern that cannot be compiled; the message says which part."""


def prepare(words: list[str]) -> str:
    """The form of a text that compiled patterns are matched against."""
    return " ".join(words) + " "


class _Lazy:
    """One pattern: the words it needs, and its regular expression, compiled on first use."""

    __slots__ = ("source", "words", "prefixes", "_regex")

    def __init__(self, source: str, words: frozenset[str], prefixes: tuple[str, ...]) -> None:
        self.source = source
        self.words = words
        self.prefixes = prefixes
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:  # two threads may both compile it: the same result either way
            self._regex = re.compile(r"(?<!\S)(?:" + self.source + ")")
        return self._regex


class Triggers:
    """The words (and starts of words) that any of several pattern sets needs."""

    __slots__ = ("words", "prefixes")

    def __init__(self, sets: Iterable["Patterns"]) -> None:
        sets = list(sets)
        self.words = frozenset().union(*(patterns.words for patterns in sets))
        self.prefixes = tuple(sorted(set().union(*(patterns.prefixes for patterns in sets))))

    def among(self, words: Iterable[str]) -> set[str]:
        """The words some pattern needs: with none of them, no pattern can match."""
        wanted, prefixes = self.words, self.prefixes
        return {w for w in words if w in wanted or (prefixes and w.startswith(prefixes))}


class Patterns:
    """A set of patterns, each compiled only when a message could match it.

    Compiling every pattern takes longer than answering a question, so each
    pattern keeps the words it needs and is compiled on the first message that
    has one of them; most messages never pay for it.
    """

    __slots__ = ("_items", "words", "prefixes")

    def __init__(self, patterns: list[str], groups: Mapping[str, list[str]]) -> None:
        items = []
        for pattern in patterns:
            source = _pattern(pattern, groups, depth=0)  # a bad pattern is reported now, not on a message
            words: set[str] = set()
            prefixes: set[str] = set()
            _literals(pattern, groups, words, prefixes, depth=0)
            items.append(_Lazy(source, frozenset(words), tuple(sorted(prefixes))))
        self._items = tuple(items)
        #: Words some pattern needs: a message with none of them (or of `prefixes`) cannot match.
        self.words = frozenset().union(*(item.words for item in items))
        self.prefixes = tuple(sorted(set().union(*(item.prefixes for item in items))))

    def _needing(self, present: set[str]) -> Iterator[_Lazy]:
        """The patterns a message has the words for (the words' prefixes are checked once)."""
        prefixed = [w for w in present if w.startswith(self.prefixes)] if self.prefixes else []
        if not prefixed and present.isdisjoint(self.words):
            return
        starts = {p for p in self.prefixes for w in prefixed if w.startswith(p)}
        for item in self._items:
            if not present.isdisjoint(item.words) or not starts.isdisjoint(item.prefixes):
                yield item

    def search(self, prepared: str, present: set[str]) -> re.Match[str] | None:
        for item in self._needing(present):
            found = item.regex.search(prepared)
            if found:
                return found
        return None

    def finditer(self, prepared: str, present: set[str]) -> Iterator[re.Match[str]]:
        for item in self._needing(present):
            yield from item.regex.finditer(prepared)


# Words too common to tell whether a pattern could match.
_COMMON = frozenset("a an the is are was were be am i he she it we they my his her our their has have had got "
                    "to of in on at and or not no do does did can will would should with for this that".split())


def _literals(pattern: str, groups: Mapping[str, list[str]], words: set[str], prefixes: set[str], depth: int) -> None:
    """Add the words of one required element of `pattern`: a message without any of them cannot match.

    The element chosen is the least common one ("temp|temperature" in "has|had a
    temp|temperature"), so that the check lets few messages through.
    """
    best: tuple[int, set[str], set[str]] | None = None
    for token in pattern.lower().split():
        if token in ("...", "<number>") or (token.startswith("(") and token.endswith(")")):
            continue  # gaps, numbers and optional words are not required
        found_words: set[str] = set()
        found_prefixes: set[str] = set()
        if token.startswith("<") and token.endswith(">"):
            if depth >= 4:
                return
            for phrase in groups.get(token[1:-1], []):
                _literals(phrase, groups, found_words, found_prefixes, depth + 1)
        else:
            for choice in token.split("|"):
                if choice.endswith("*"):
                    found_prefixes.add(choice[:-1])
                elif choice:
                    found_words.add(choice)
        alternatives = found_words | found_prefixes
        if not alternatives:
            continue
        rank = 0 if alternatives & _COMMON else min(len(a) for a in alternatives)
        if best is None or rank > best[0]:
            best = (rank, found_words, found_prefixes)
    if best is not None:
        words.update(best[1])
        prefixes.update(best[2])


def compile_patterns(patterns: list[str], groups: Mapping[str, list[str]]) -> re.Pattern[str]:
    """One regular expression matching any of the patterns, aligned on words."""
    if not patterns:
        return re.compile(r"(?!x)x")  # matches nothing
    alternatives = [_pattern(p, groups, depth=0) for p in patterns]
    return re.compile(r"(?<!\S)(?:" + "|".join(alternatives) + ")")


def _pattern(pattern: str, groups: Mapping[str, list[str]], depth: int) -> str:
    if depth > 3:
        raise PatternError(f"groups nest too deeply in '{pattern}'")
    parts = [_GAP if token == "..." else _element(token, groups, depth) for token in pattern.lower().split()]
    if not parts or all(part == _GAP for part in parts):
        raise PatternError(f"pattern '{pattern}' has no words")
    return "".join(parts)


def _element(token: str, groups: Mapping[str, list[str]], depth: int) -> str:
    if token == "<number>":
        return _NUMBER
    if token.startswith("(") and token.endswith(")") and len(token) > 2:
        return "(?:" + _element(token[1:-1], groups, depth) + ")?"
    if token.startswith("<") and token.endswith(">"):
        name = token[1:-1]
        if name not in groups:
            raise PatternError(f"unknown group {token}; define it under 'groups:'")
        return "(?:" + "|".join(_pattern(p, groups, depth + 1) for p in groups[name]) + ")"
    choices = []
    for choice in token.split("|"):
        if not choice:
            raise PatternError(f"empty alternative in '{token}'")
        if choice.endswith("*"):
            choices.append(re.escape(choice[:-1]) + r"\S*")
        else:
            choices.append(re.escape(choice))
    return "(?:" + "|".join(choices) + ") "
