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
# "is" and "was" say an age only after someone: "my son is 3", "she was 45".
_PEOPLE = frozenset({
    "i", "he", "she", "son", "daughter", "boy", "girl", "baby", "toddler", "child", "kid", "grandson",
    "granddaughter", "nephew", "niece", "husband", "wife", "partner", "brother", "sister", "mum", "mom",
    "dad", "mother", "father", "grandchild", "boyfriend", "girlfriend", "infant",
})
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
        if after in _NOT_YEARS or after.isdigit():
            continue
        before = words[i - 1] if i else ""
        if before in _INTRODUCERS and number >= ADULT_FROM:
            return _by_years(number)  # "I'm 45", "diagnosed at 52" (a small number may be a count)
        if before in ("hes", "shes", "theyre") or (before in ("is", "was") and i > 1 and words[i - 2] in _PEOPLE):
            return _by_years(number)  # "my son is 3", "she's 2", "she was 45"
    return None


def _by_years(number: int) -> str | None:
    if number > OLDEST:
        return None
    return "adult" if number >= ADULT_FROM else "child"
