"""The bot's vocabulary: shorthand, synonyms, and words that carry no topic.

The data lives in `data/lexicon.yaml` so that curators can extend it; this
module only turns a list of words into the tokens the matcher compares.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Mapping

from .problems import KnowledgeBaseError, Problem, display_path
from .yamlfile import plain, read_yaml


def data_path(name: str) -> Path:
    """Path of one of the bot's own data files (shipped inside the package)."""
    return Path(str(resources.files("chatbot") / "data" / name))


def load_data(name: str) -> dict:
    """Read one of the bot's own YAML data files as plain Python values."""
    path = data_path(name)
    value = plain(read_yaml(path), path)
    if not isinstance(value, dict):
        raise KnowledgeBaseError([Problem(display_path(path), 1, 1, "expected a mapping at the top of the file")])
    return value


def _word_list(value: object, path: str, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise KnowledgeBaseError([Problem(path, 1, 1, f"{field}: expected a list of words (quote yes/no/on/off)")])
    return [item.lower() for item in value]


def _read_words(name: str) -> frozenset[str]:
    """A plain word list from data/words/, one word a line."""
    path = data_path(f"words/{name}")
    try:
        return frozenset(path.read_text(encoding="utf-8").split())
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError([Problem(display_path(path), 1, 1, f"cannot read word list: {exc}")]) from None


def _with_stems(found: frozenset[str]) -> frozenset[str]:
    return found | frozenset(stem(word) for word in found)


_KEEP_DOUBLE = ("ll", "ss", "zz", "ff")


def stem(word: str) -> str:
    """A light stemmer, so that "infections" meets "infection" and "attacking" meets "attack".

    It only has to map related forms to the same string on both sides of a
    comparison, not to produce real words: "making" and "make" both give "mak".
    """
    if len(word) <= 3 or not word.isalpha():
        return word
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


@dataclass(frozen=True)
class Lexicon:
    """Shorthand, synonym phrases and topic-free words, ready for fast look-up."""

    spellings: Mapping[str, tuple[str, ...]]
    phrases: Mapping[tuple[str, ...], str]
    longest_phrase: int
    stopwords: frozenset[str]
    filler: frozenset[str]
    #: Everyday words that name no topic ("possible", "usually", "take"): they
    #: weigh little, whether or not the knowledge base uses them.
    general: frozenset[str]
    #: Correctly spelt English words: never "corrected" into a knowledge-base word.
    dictionary: frozenset[str]

    @classmethod
    def load(cls) -> "Lexicon":
        data = load_data("lexicon.yaml")
        shown = display_path(data_path("lexicon.yaml"))
        spellings = {
            str(word).lower(): tuple(str(replacement).lower().split())
            for word, replacement in (data.get("spellings") or {}).items()
        }
        phrases: dict[tuple[str, ...], str] = {}
        for canonical, variants in (data.get("synonyms") or {}).items():
            for variant in [canonical, *_word_list(variants, shown, f"synonyms.{canonical}")]:
                phrases[tuple(variant.split())] = canonical
        filler = _word_list(data.get("filler", []), shown, "filler")
        for phrase in filler:
            if " " in phrase:  # a filler phrase ("diagnosed with") is read, then dropped
                phrases[tuple(phrase.split())] = ""
        return cls(
            spellings=spellings,
            phrases=phrases,
            longest_phrase=max((len(p) for p in phrases), default=1),
            stopwords=frozenset(_word_list(data.get("stopwords", []), shown, "stopwords")),
            filler=frozenset(word for word in filler if " " not in word),
            general=_with_stems(_read_words("general.txt")),
            dictionary=_read_words("dictionary.txt"),
        )

    @property
    def words(self) -> frozenset[str]:
        """Every word this lexicon knows (typo correction may aim at any of them)."""
        found = set(self.stopwords) | set(self.filler)
        for phrase, canonical in self.phrases.items():
            found.update(phrase)
            found.add(canonical)
        for replacement in self.spellings.values():
            found.update(replacement)
        return frozenset(found)

    def expand(self, words: list[str]) -> list[str]:
        """Replace shorthand ("wat", "doesnt") with the words it stands for."""
        out: list[str] = []
        for word in words:
            out.extend(self.spellings.get(word, (word,)))
        return out

    def canonical(self, words: list[str]) -> list[str]:
        """Map synonym phrases (longest first) and plurals to one token each."""
        tokens: list[str] = []
        i = 0
        n = len(words)
        while i < n:
            for size in range(min(self.longest_phrase, n - i), 0, -1):
                found = self.phrases.get(tuple(words[i : i + size]))
                if found is not None:
                    tokens.append(found)
                    i += size
                    break
            else:
                word = words[i]
                if not self.is_topic_free(word):
                    stemmed = stem(word)
                    word = self.phrases.get((stemmed,), stemmed)
                tokens.append(word)
                i += 1
        return [token for token in tokens if token]

    def is_topic_free(self, token: str) -> bool:
        return token in self.stopwords or token in self.filler or token.isdigit()
