"""Requests for personal medical advice: doses, own results, diagnosis, medicine changes.

The bot gives general information from its document only.  When a message asks
for advice about the person themselves, `Bot.ask` says plainly that it cannot
advise on that and that their doctor or care team can, then gives the general
answer if one fits.  The phrases live in `data/advice.yaml`.
"""

from __future__ import annotations

import re

from .lexicon import Lexicon, data_path, load_data
from .patterns import PatternError, Patterns, Triggers, prepare
from .problems import KnowledgeBaseError, Problem, display_path
from .text import words

# A dose: a number with a unit of medicine ("5 mg", "10 micrograms/kg", "2 tablets").
_DOSE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:mg|milligrams?|mcg|µg|micrograms?|ml|millilit(?:re|er)s?|iu|units?|tablets?|pills?|"
    r"capsules?|puffs?|drops?|injections?|doses?)\b(?:\s*(?:/|per)\s*kg)?",
    re.IGNORECASE,
)


def contains_dose(text: str) -> bool:
    """True when a text states an amount of a medicine; no reply may."""
    return bool(_DOSE.search(text))


class AdviceCheck:
    """Recognises requests for personal advice; immutable once built."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        data = load_data("advice.yaml")
        shown = display_path(data_path("advice.yaml"))
        groups = {name: [str(p) for p in phrases] for name, phrases in (data.get("groups") or {}).items()}
        kinds = {}
        for kind, patterns in (data.get("kinds") or {}).items():
            try:
                kinds[kind] = Patterns([str(p) for p in patterns or []], groups)
            except PatternError as exc:
                raise KnowledgeBaseError([Problem(shown, 1, 1, f"kind '{kind}': {exc}")]) from None
        self._kinds = kinds
        # Every word (or start of a word) some kind needs: most messages have none.
        self._triggers = Triggers(kinds.values())
        self.notice_only = frozenset(str(k) for k in data.get("notice_only") or ())

    def requests(self, text: str) -> tuple[str, ...]:
        """The kinds of personal advice a message asks for ("dose", "results", ...), if any.

        Shorthand is expanded first, so that "how long dose it last" is not a dose.
        """
        found = self._lexicon.expand(words(text))
        # Only the words some kind needs tell the patterns which to try: found once here.
        needed = self._triggers.among(found)
        if not needed:
            return ()
        prepared = prepare(found)
        return tuple(kind for kind, patterns in self._kinds.items() if patterns.search(prepared, needed))
