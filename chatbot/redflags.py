"""Emergency red flags: checked on every message, before any matching.

A message that describes a red flag now (a fever, a temperature of 38 °C or
more, chills, trouble breathing, ...) is urgent.  The same words are not urgent
when denied ("no fever"), in the past ("had a fever last year"), or in a general
question ("what is a fever?"); the last kind still earns a short safety note.
The phrases, thresholds and cue words live in `data/redflags.yaml`.
"""

from __future__ import annotations

import copy
import functools
import re
from typing import Iterable, NamedTuple

from .lexicon import data_path, load_data
from .patterns import PatternError, Patterns, Triggers, prepare
from .problems import KnowledgeBaseError, Problem, display_path
from .text import clauses, fold, words

# Within a sentence, "but", a comma (not a decimal comma), brackets, and "and" before a new
# subject or verb (kept: "and is shivering" does not ask) also start a new clause: "no fever,
# but she is shivering" has a denied flag
# and a real one, and in "diagnosed two months ago and has a fever of 38.5" (or "my son
# (diagnosed a month ago) has a fever") the time is the diagnosis's, not the fever's.
_SUB_CLAUSE = re.compile(
    r"(?<!\d),|,(?!\d)|[()]|\b(?:but|however|although|though|whereas)\b"
    r"|(?=\band\s+(?:he|she|they|i|we|hes|shes|im|my|his|her|our|their|has|is|was|keeps|seems|feels|looks)\b)"
)
_READING = re.compile(
    r"(?<![\d.,])(\d{2,3}(?:[.,]\d{1,2})?)(?!\d)\s*"
    r"(°\s*[cf]?\b|°|degrees?(?:\s*(?:celsius|centigrade|fahrenheit|c|f)\b)?|deg\b\s*[cf]?|celsius|centigrade|fahrenheit|[cf]\b)?"
)
_DIGIT = re.compile(r"\d")
# A number that could be a body temperature (30-45 °C, 86-114 °F; see `_scale`): "14 months" is not.
_PLAUSIBLE = re.compile(r"(?<![\d.,])(?:3\d|4[0-5]|8[6-9]|9\d|10\d|11[0-4])(?:[.,]\d+)?(?!\d)")
NEGATION_WINDOW = 5  # words before a flag that can deny it
AFTER_WINDOW = 3  # words after a flag that can deny it ("fever free")
WATCH_WINDOW = 4  # words before a flag that can say it is watched for ("check for a fever")


class Flag(NamedTuple):
    id: str
    label: str


class Screening(NamedTuple):
    """What the red-flag check found in one message."""

    urgent: tuple[Flag, ...] = ()  # flags described as happening now
    mentioned: tuple[Flag, ...] = ()  # flags only asked about ("what is a fever?")
    readings: tuple[str, ...] = ()  # temperatures read from the message, e.g. "38.6 °C"

    @property
    def is_urgent(self) -> bool:
        return bool(self.urgent)


class _Rule(NamedTuple):
    flag: Flag
    patterns: Patterns


class RedFlags:
    """The compiled red-flag rules; immutable and safe to share between threads."""

    def __init__(self, known_words: Iterable[str] = ()) -> None:
        """Compile the rules in data/redflags.yaml; `known_words` are never read as typos."""
        data = load_data("redflags.yaml")
        shown = display_path(data_path("redflags.yaml"))
        groups = {name: [str(p) for p in phrases] for name, phrases in (data.get("groups") or {}).items()}
        rules = []
        for item in data.get("flags") or []:
            flag = Flag(str(item["id"]), str(item.get("label", item["id"])))
            try:
                rules.append(_Rule(flag, Patterns([str(p) for p in item.get("patterns", [])], groups)))
            except PatternError as exc:
                raise KnowledgeBaseError([Problem(shown, 1, 1, f"flag '{flag.id}': {exc}")]) from None
        self._rules = tuple(rules)
        self._triggers = Triggers(rule.patterns for rule in rules)
        self._fever = next((r.flag for r in rules if r.flag.id == "fever"), Flag("fever", "a fever"))
        limits = data.get("temperature") or {}
        self._celsius = float(limits.get("celsius", 38.0))
        self._fahrenheit = float(limits.get("fahrenheit", 100.4))
        self._negation_before = _phrases(data.get("negation_before"))
        self._negation_after = _phrases(data.get("negation_after"))
        self._past = _phrases(data.get("past"))
        self._ongoing = _phrases(data.get("ongoing"))
        self._over_now = _phrases(data.get("over_now"))
        self._hypothetical_cues = _phrases(data.get("hypothetical"))
        self._question_words = frozenset(data.get("question_words") or ())
        self._personal_words = frozenset(data.get("personal_words") or ())
        self._state_questions = _phrases(data.get("state_questions"))
        self._watching_before = _phrases(data.get("watching_before"))
        self._temperature_words = frozenset(data.get("temperature_words") or ())
        self._not_units = frozenset(data.get("not_temperature_units") or ())
        self._typo_targets = tuple(data.get("typo_targets") or ())
        self._known = frozenset(known_words) | frozenset(self._typo_targets)
        self._also_known: frozenset[str] = frozenset()  # a knowledge base's words (see `knowing`)

    def knowing(self, known_words: Iterable[str]) -> "RedFlags":
        """These rules, also taking `known_words` (a knowledge base's words) as spelt right.

        The rules are the same for every knowledge base, so they are compiled once,
        when the package is built (see `chatbot.parts`), and only this is per bot.
        """
        bound = copy.copy(self)
        bound._also_known = frozenset(known_words)  # kept apart: a union would copy thousands of words
        return bound

    # -- the check ----------------------------------------------------------
    def screen(self, text: str) -> Screening:
        urgent: dict[str, Flag] = {}
        mentioned: dict[str, Flag] = {}
        readings: list[str] = []
        if not _PLAUSIBLE.search(text) and not self._could_flag(set(self._fix_typos(words(text)))):
            return Screening()  # no word any flag needs, and no temperature: most questions stop here
        for sentence in clauses(text):
            if not _PLAUSIBLE.search(sentence) and not self._could_flag(set(self._fix_typos(words(sentence)))):
                continue  # the sentences of a long story that cannot hold a flag
            parts = []
            for clause in _SUB_CLAUSE.split(sentence):
                clause_words = self._fix_typos(words(clause)) if clause else []
                if clause_words:
                    parts.append((clause, clause_words, prepare(clause_words)))
            # "He's had chills before, but nothing like that now": what comes before is over.
            over = [_says(prepared, self._over_now) for _, _, prepared in parts]
            for number, (clause, clause_words, prepared) in enumerate(parts):
                found = self._flags(clause_words, prepared)
                measured = self._readings(clause, clause_words) if _DIGIT.search(clause) else []
                if (found or measured) and (self._in_past(prepared) or any(over[number + 1:])):
                    continue
                high = [reading for reading, is_fever in measured if is_fever]
                if measured:
                    # A thermometer reading settles whether "a temperature" is a fever.
                    found = [f for f in found if f.id != self._fever.id] + ([self._fever] if high else [])
                    readings.extend(high)
                if not found:
                    continue
                general = (
                    clause_words[0] in self._question_words
                    and not any(w in self._personal_words for w in clause_words)
                    and not high
                    and not _says(prepared, self._state_questions)
                ) or self._hypothetical(prepared)
                for flag in found:
                    (mentioned if general else urgent).setdefault(flag.id, flag)
        return Screening(
            urgent=tuple(urgent.values()),
            mentioned=tuple(f for k, f in mentioned.items() if k not in urgent),
            readings=tuple(dict.fromkeys(readings)),
        )

    def _fix_typos(self, found: tuple[str, ...] | list[str]) -> list[str]:
        known, also = self._known, self._also_known
        return [word if word in known or word in also or len(word) < 4 or not word.isalpha() else self._fixed(word) for word in found]

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - the bot lives as long as the program
    def _fixed(self, word: str) -> str:
        """A misspelt red-flag word read as the word ("fevr" -> "fever"), else the word itself."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        limit = 1 if len(word) <= 8 else 2
        best = process.extractOne(word, self._typo_targets, scorer=OSA.distance, score_cutoff=limit)
        return best[0] if best is not None and best[0][0] == word[0] else word

    def _hypothetical(self, prepared: str) -> bool:
        """"What should I do if he gets a fever?" asks for information, not help now."""
        return _says(prepared, self._hypothetical_cues)

    def _in_past(self, prepared: str) -> bool:
        return _says(prepared, self._past) and not _says(prepared, self._ongoing)

    def _denied(self, before: list[str], after: list[str]) -> bool:
        """True when the words just before or after a flag deny it ("no fever", "fever free")."""
        head = " " + " ".join(before[-NEGATION_WINDOW:]) + " "
        tail = " " + " ".join(after[:AFTER_WINDOW]) + " "
        return any(f" {cue} " in head for cue in self._negation_before) or any(
            f" {cue} " in tail for cue in self._negation_after
        )

    def _watched(self, before: list[str]) -> bool:
        """True when a flag comes right after "check for", "watch for" ("should we check for fevers?")."""
        head = " " + " ".join(before[-WATCH_WINDOW:]) + " "
        return any(head.endswith(f" {cue} ") or f" {cue} a " in head for cue in self._watching_before)

    def _could_flag(self, present: set[str]) -> bool:
        return bool(self._triggers.among(present))

    def _flags(self, clause_words: list[str], prepared: str) -> list[Flag]:
        found: list[Flag] = []
        asking = clause_words[0] in self._question_words  # "should we check for fevers?" watches for one
        # Only the words some flag needs tell the rules which patterns to try: found once here.
        needed = self._triggers.among(clause_words)
        if not needed:
            return found
        for rule in self._rules:
            for hit in rule.patterns.finditer(prepared, needed):
                start = prepared.count(" ", 0, hit.start())
                end = start + hit.group(0).count(" ")
                if not self._denied(clause_words[:start], clause_words[end:]) and not (
                    asking and self._watched(clause_words[:start])
                ):
                    found.append(rule.flag)
                    break
        return found

    def _readings(self, clause: str, clause_words: list[str]) -> list[tuple[str, bool]]:
        """Temperatures in a clause, each as ("38.6 °C", whether it is a fever)."""
        folded = fold(clause).replace("º", "°").replace("˚", "°")
        has_cue = any(w in self._temperature_words for w in clause_words)
        found = []
        for number in _READING.finditer(folded):
            raw, unit = number.group(1), (number.group(2) or "").replace(" ", "")
            following = words(folded[number.end() :])[:1]
            if not unit and following and following[0] in self._not_units:
                continue
            value = float(raw.replace(",", "."))
            decimal = "." in raw or "," in raw
            scale = _scale(value, unit, has_cue or decimal)
            if scale is None:
                continue
            if self._denied(words(folded[: number.start()]), []):
                continue
            limit = self._celsius if scale == "C" else self._fahrenheit
            found.append((f"{value:g} °{scale}", value >= limit))
        return found


def _scale(value: float, unit: str, plausible_without_unit: bool) -> str | None:
    """"C", "F" or None (not a body temperature), from the number and its unit."""
    if unit.endswith(("c", "celsius", "centigrade")):
        return "C" if 30 <= value < 46 else None
    if unit.endswith(("f", "fahrenheit")):
        return "F" if 86 <= value < 115 else None
    if unit or plausible_without_unit:
        if 34 <= value < 45:
            return "C"
        if 93 <= value < 113:
            return "F"
    return None


def _says(prepared: str, phrases: tuple[str, ...]) -> bool:
    """Whether a clause (as `prepare` made it) holds one of these phrases as whole words."""
    padded = " " + prepared
    return any(f" {phrase} " in padded for phrase in phrases)


def _phrases(value: object) -> tuple[str, ...]:
    return tuple(" ".join(words(str(item))) for item in (value or []))
