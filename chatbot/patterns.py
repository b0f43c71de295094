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
from typing import Mapping

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
