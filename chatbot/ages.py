"""Ages in a message, read as "adult" or "child".

"I'm 45 and was just diagnosed, will it go away?" is a question about adults
although no word of it says so; "my 10 month old" is about a child.  The
leaflet answers adults and children differently, so the age is worth a token.
"""

from __future__ import annotations

import re
from typing import Sequence

AGE_GROUPS = ("adult", "child")
ADULT_FROM = 18
OLDEST = 110

# Words that say the number after them is the person's age: "I'm 45", "diagnosed at 52".
_INTRODUCERS = frozenset({"im", "am", "aged", "age", "at", "turned", "turning"})
# Words after a number that make it something other than an age in years.
_NOT_YEARS = frozenset({
    "month", "months", "mo", "mos", "week", "weeks", "wk", "wks", "day", "days", "hour", "hours",
    "degrees", "degree", "c", "f", "celsius", "fahrenheit", "percent", "kg", "g", "mg", "ml", "times",
    "infections", "pm", "am", "o", "clock",
})
_YEARS = frozenset({"year", "years", "yr", "yrs"})
_MONTHS = frozenset({"month", "months", "mo", "week", "weeks"})
_GLUED = re.compile(r"(\d{1,3})(yo|yrs?|years?|mo|months?)$")


def age_group(words: Sequence[str]) -> str | None:
    """"adult" or "child" when the words state someone's age, else None."""
    for i, word in enumerate(words):
        if not word[:1].isdigit():
            continue
        glued = _GLUED.match(word)
        if glued:
            number, unit = int(glued.group(1)), glued.group(2)
            return "child" if unit.startswith("mo") else _by_years(number)
        if not word.isdigit():
            continue
        number = int(word)
        after = words[i + 1] if i + 1 < len(words) else ""
        old = i + 2 < len(words) and words[i + 2] == "old"
        if after in _MONTHS and old:
            return "child"  # "my 10 month old", "she is 14 months old"
        if (after in _YEARS and old) or after == "yo":
            return _by_years(number)
        if i and words[i - 1] in _INTRODUCERS and after not in _NOT_YEARS and not after.isdigit() and number >= ADULT_FROM:
            return _by_years(number)  # "I'm 45", "diagnosed at 52" (a small number may be a count)
    return None


def _by_years(number: int) -> str | None:
    if number > OLDEST:
        return None
    return "adult" if number >= ADULT_FROM else "child"
