"""Text clean-up shared by the knowledge base, the matcher and the safety layer.

Everything that compares text goes through these functions, so that a phrasing
in the knowledge base and a question typed by a person meet in the same form.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Questions are cut to this many characters before any work is done, so that
#: a pasted book costs no more than a long paragraph.  Documented in the README.
MAX_INPUT_CHARS = 2000
#: ...except by the red-flag check, which reads this many, so that an emergency
#: mentioned late in a long paste is not missed.  Also in the README.
SCREEN_CHARS = 20_000

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
# ANSI escape sequences (CSI, OSC and two-character escapes) that a paste can carry.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_WHITESPACE = re.compile(r"\s+")


# Control characters (but tab and newline), bidi overrides, lone surrogates and private-use
# characters: never processed and never echoed back.  The ASCII ones have their own
# pattern: most messages are ASCII, and the full one takes milliseconds to compile.
_UNSAFE_ASCII = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


@functools.cache
def _unsafe() -> re.Pattern[str]:
    return re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ue000-\uf8ff\ufff9-\ufffb]")


_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def clean_input(text: str, limit: int = MAX_INPUT_CHARS) -> str:
    """Make any string safe to process and to echo back.

    Drops ANSI escapes, control characters and lone surrogates, folds Unicode
    compatibility forms, and cuts the text to `limit` characters.  The cut comes
    first so that the cost never depends on how much was pasted.
    """
    text = _ANSI.sub(" ", text[: limit * 2])
    if text.isascii():
        text = _UNSAFE_ASCII.sub(" ", text)
    else:
        text = unicodedata.normalize("NFKC", _unsafe().sub(" ", text))
    return _WHITESPACE.sub(" ", text.translate(_QUOTES)).strip()[:limit]


def fold(text: str) -> str:
    """Lower-case form used for every comparison: NFKC, case-folded, straight quotes."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.translate(_QUOTES).casefold()


@functools.lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """Split folded text into words, dropping punctuation and in-word apostrophes ("won't" -> "wont",
    but "she'll" -> "she will").

    Remembered for recent texts: the red-flag check, small talk, the advice check
    and the matcher each read the same message.
    """
    text = fold(text)
    found = _WORD.findall(text)
    if "'" not in text:
        return tuple(found)
    out: list[str] = []
    for word in found:
        if word.endswith("'ll"):
            out += (word[:-3], "will")  # "she'll" is not "shell", nor "I'll" "ill"
        else:
            out.append(word.replace("'", ""))
    return tuple(out)


_WORD_CHARACTER = re.compile(r"[^\W_]")


def has_words(text: str) -> bool:
    """Whether a text has any word at all (cheaper than `words`)."""
    return _WORD_CHARACTER.search(text) is not None


def normalise(text: str) -> str:
    """One string of words separated by single spaces."""
    return " ".join(words(text))


# ASCII letters (lower-cased) and digits stay, apostrophes go, anything else separates words.
_ASCII_WORDS = bytes(c + 32 if 65 <= c <= 90 else c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))


def ascii_words(text: str) -> list[str]:
    """`words` for ASCII text, much faster (used where every phrasing of a knowledge base is read)."""
    return text.encode("ascii").translate(_ASCII_WORDS, b"'").decode("ascii").split()


def squash_spaces(text: str) -> str:
    """Collapse runs of whitespace to one space and trim the ends (for every text of a knowledge base)."""
    if text.isascii() and text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # already so: in ASCII, every whitespace but the space is unprintable
    return " ".join(text.split())


def phrasing_key(text: str) -> str:
    """A key under which two phrasings that differ only in case and closing punctuation meet.

    ("What is AIN?" and "what is AIN").  Phrasings that differ in more than that
    but read the same to the matcher are `chatbot lint`'s warning, not this.
    """
    return text.casefold().rstrip("?!. ")


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9])")


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph of prose into sentences."""
    return [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]


_CLAUSE = re.compile(r"(?:[^.!?;\n]|\.(?=\d))+[.!?;\n]*")


def clauses(text: str) -> list[str]:
    """Split a message into the pieces a person would read as separate sentences.

    Each piece keeps its closing punctuation, so a caller can tell a question
    ("does it go away?") from a statement.  A decimal point is not a break.
    """
    return [piece.strip(" ,\n") for piece in _CLAUSE.findall(text) if has_words(piece)]
