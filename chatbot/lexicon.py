"""The bot's vocabulary: shorthand, synonyms, and words that carry no topic.

The data lives in `data/lexicon.yaml` and `data/words/` so that curators can
extend it; this module only turns a list of words into the tokens the matcher
compares.
"""

from __future__ import annotations

import os
from typing import Mapping, NamedTuple

from .ages import AGE_GROUPS, age_group
from .problems import KnowledgeBaseError, Problem, display_path
from .yamlfile import load_yaml

_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def data_path(name: str) -> str:
    """Path of one of the bot's own data files (shipped inside the package)."""
    return os.path.join(_DATA, *name.split("/"))


def load_data(name: str) -> dict:
    """Read one of the bot's own YAML data files as plain Python values."""
    path = data_path(name)
    value, positions = load_yaml(path)
    shown = display_path(path)
    if positions.duplicates:
        key, (line, column) = positions.duplicates[0]
        raise KnowledgeBaseError([Problem(shown, line, column, f"'{key}' appears twice in one mapping")])
    if not isinstance(value, dict):
        raise KnowledgeBaseError([Problem(shown, 1, 1, "expected a mapping at the top of the file")])
    return value


def _word_list(value: object, path: str, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise KnowledgeBaseError([Problem(path, 1, 1, f"{field}: expected a list of words (quote yes/no/on/off)")])
    return [item.lower() for item in value]


def _read_words(name: str) -> frozenset[str]:
    """A plain word list from data/words/, one word a line."""
    path = data_path(f"words/{name}")
    try:
        with open(path, encoding="utf-8") as handle:
            return frozenset(handle.read().split())
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError([Problem(display_path(path), 1, 1, f"cannot read word list: {exc}")]) from None


_KEEP_DOUBLE = ("ll", "ss", "zz", "ff")


def stem(word: str) -> str:
    """A light stemmer, so that "infections" meets "infection" and "attacking" meets "attack".

    It only has to map related forms to the same string on both sides of a
    comparison, not to produce real words: "making" and "make" both give "mak".
    """
    if len(word) <= 3 or word[-1] not in "sdge" or not word.isalpha():
        return word  # every rule below removes a final s, d, g or e
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "shes", "ches", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is", "ous", "ics")):
        word = word[:-1]
    if word.endswith("ing") and len(word) >= 6:
        word = _undouble(word[:-3])
    elif word.endswith("ied") and len(word) >= 5:
        word = word[:-3] + "y"
    elif word.endswith("ed") and not word.endswith("eed") and len(word) >= 5:
        word = _undouble(word[:-2])
    if word.endswith("e") and len(word) >= 4:
        word = word[:-1]
    return word


def _undouble(word: str) -> str:
    if len(word) >= 3 and word[-1] == word[-2] and word[-1] not in "aeiou" and word[-2:] not in _KEEP_DOUBLE:
        return word[:-1]
    return word


# "When", "where" and "who" inside a sentence join it ("ill when her count is low", "the thing
# where the body attacks...", "someone who has had it") rather than ask when, where or who.
_RELATIVE = frozenset({"when", "wher", "where", "who"})
_JOINING = frozenset({"and", "but", "so", "or", "then", "just", "exactly", "roughly"})


class Lexicon(NamedTuple):
    """Shorthand, synonym phrases and topic-free words, ready for fast look-up."""

    spellings: Mapping[str, tuple[str, ...]]
    #: Shorthand that needs the next word to be sure: ("dose", "it") -> ("does", "it").
    spelling_pairs: Mapping[tuple[str, str], tuple[str, ...]]
    #: Every word that can start one of those pairs, or is shorthand on its own.
    expandable: frozenset[str]
    #: Multi-word phrases by their first word, longest first: "white" -> ("white blood cells", ...).
    phrases: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]]
    #: One-word synonyms and their canonical token ("kids" -> "child").
    single: Mapping[str, str]
    stopwords: frozenset[str]
    #: Adverbs dropped before phrases are looked for ("what does that actually mean").
    skipped: frozenset[str]
    filler: frozenset[str]
    #: Everyday words that name no topic ("possible", "usually", "take"): they
    #: weigh little, whether or not the knowledge base uses them.
    general: frozenset[str]
    #: Correctly spelt English words: never "corrected" into a knowledge-base word.
    dictionary: frozenset[str]
    #: Memo of word -> token; it only ever gains entries that never change.
    memo: dict[str, str]

    @classmethod
    def load(cls) -> "Lexicon":
        data = load_data("lexicon.yaml")
        shown = display_path(data_path("lexicon.yaml"))
        spellings: dict[str, tuple[str, ...]] = {}
        pairs: dict[tuple[str, str], tuple[str, ...]] = {}
        for typed, replacement in (data.get("spellings") or {}).items():
            key, meant = tuple(str(typed).lower().split()), tuple(str(replacement).lower().split())
            if len(key) == 1:
                spellings[key[0]] = meant
            elif len(key) == 2:
                pairs[(key[0], key[1])] = meant
        single: dict[str, str] = {}
        multi: dict[str, list[tuple[tuple[str, ...], str]]] = {}

        def add(variant: str, canonical: str) -> None:
            parts = tuple(variant.split())
            if len(parts) == 1:
                single[parts[0]] = canonical
            elif parts:
                multi.setdefault(parts[0], []).append((parts, canonical))

        for canonical, variants in (data.get("synonyms") or {}).items():
            for variant in [canonical, *_word_list(variants, shown, f"synonyms.{canonical}")]:
                add(variant, canonical)
        filler = _word_list(data.get("filler", []), shown, "filler")
        for phrase in filler:
            if " " in phrase:  # a filler phrase ("diagnosed with") is read, then dropped
                add(phrase, "")
        general = _read_words("general.txt")
        return cls(
            spellings=spellings,
            spelling_pairs=pairs,
            expandable=frozenset(spellings) | {first for first, _ in pairs},
            phrases={first: tuple(sorted(found, key=lambda p: -len(p[0]))) for first, found in multi.items()},
            single=single,
            stopwords=frozenset(_word_list(data.get("stopwords", []), shown, "stopwords")),
            skipped=frozenset(_word_list(data.get("skipped_inside_phrases", []), shown, "skipped_inside_phrases")),
            filler=frozenset(word for word in filler if " " not in word),
            general=general | frozenset(stem(word) for word in general),
            dictionary=_read_words("dictionary.txt"),
            memo={},
        )

    @property
    def words(self) -> frozenset[str]:
        """Every word this lexicon knows (typo correction may aim at any of them)."""
        found = set(self.stopwords) | set(self.filler) | set(self.single) | set(self.single.values())
        for candidates in self.phrases.values():
            for phrase, canonical in candidates:
                found.update(phrase)
                found.add(canonical)
        for replacement in self.spellings.values():
            found.update(replacement)
        found.discard("")
        return frozenset(found)

    def expand(self, words: list[str] | tuple[str, ...]) -> list[str]:
        """Replace shorthand ("wat", "doesnt", "dose it") with the words it stands for."""
        if self.expandable.isdisjoint(words):
            return list(words)
        spellings = self.spellings
        pairs = self.spelling_pairs
        out: list[str] = []
        i = 0
        while i < len(words):
            word = words[i]
            if i + 1 < len(words) and (word, words[i + 1]) in pairs:
                out.extend(pairs[word, words[i + 1]])
                i += 2
                continue
            replacement = spellings.get(word)
            if replacement is None:
                out.append(word)
            else:
                out.extend(replacement)
            i += 1
        return out

    def token(self, word: str) -> str:
        """The token one word stands for: its synonym, its stem, or itself if it carries no topic."""
        found = self.memo.get(word)
        if found is None:
            if self.is_topic_free(word) or word in self.single:
                found = self.single.get(word, word)
            else:
                stemmed = stem(word)
                found = self.single.get(stemmed, stemmed)
            self.memo[word] = found
        return found

    def content(self, words: list[str]) -> list[str]:
        """Expand, map to tokens and keep the ones that carry a topic, in one pass.

        Synonym phrases (longest first) and plurals become one token each.  It runs
        for every phrasing of a knowledge base, so each word's token is remembered.
        """
        if not self.expandable.isdisjoint(words):
            words = self.expand(words)
        if not self.skipped.isdisjoint(words):
            words = [w for w in words if w not in self.skipped]
        phrases = self.phrases
        memo = self.memo
        tokens: list[str] = []
        i = 0
        n = len(words)
        while i < n:
            word = words[i]
            candidates = phrases.get(word)
            if candidates is not None:
                for phrase, canonical in candidates:
                    end = i + len(phrase)
                    if end <= n and tuple(words[i:end]) == phrase:
                        if canonical:
                            tokens.append(canonical)
                        i = end
                        break
                else:
                    candidates = None
                if candidates is not None:
                    continue
            found = memo.get(word)
            if found is None:
                found = self.token(word)
            if found and not self.is_topic_free(found) and not (found in _RELATIVE and i and words[i - 1] not in _JOINING):
                tokens.append(found)
            i += 1
        if n > 2 and words[-1] in ("is", "are") and "what" in words and "define" not in tokens:
            tokens.append("define")  # "can you tell me what it actually is"
        group = age_group(words)
        if group is not None and group not in tokens:
            tokens.append(group)  # "I'm 45" is about an adult
        return tokens

    def possible_tokens(self, words: set[str]) -> set[str]:
        """Every token a text with these words could be read as (a superset, from words alone).

        A word may start a phrase ("go" in "go away" -> "resolve") or stand for
        shorthand ("wat" -> "what"); all those readings are included.
        """
        found: set[str] = set()
        spellings, phrases, memo = self.spellings, self.phrases, self.memo  # (this runs for every word of a leaflet)
        shorthand = words & spellings.keys()
        parts = (words - shorthand) | {part for word in shorthand for part in spellings[word]}
        for part in parts:
            token = memo.get(part)
            if token is None:
                token = self.token(part)
            if token and not self.is_topic_free(token):
                found.add(token)
        for part in parts & phrases.keys():
            found.update(canonical for _, canonical in phrases[part] if canonical)
        if any(word[:1].isdigit() for word in words):
            found.update(AGE_GROUPS)
        return found

    def is_topic_free(self, token: str) -> bool:
        return token in self.stopwords or token in self.filler or token.isdigit()
