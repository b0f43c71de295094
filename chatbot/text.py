"""Text clean-up shared by the knowledge base, the matcher and the safety layer.

Everything that compares text goes through these functions, so that a phrasing
in the knowledge base and a question typed by a person meet in the same form.
"""

from __future__ import annotations

import re
import unicodedata

#: Questions are cut to this many characters before any work is done, so that
#: a pasted book costs no more than a long paragraph.  Documented in the README.
MAX_INPUT_CHARS = 2000

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
# ANSI escape sequences (CSI, OSC and two-character escapes) that a paste can carry.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_WHITESPACE = re.compile(r"\s+")
# Letters and digits stay; an apostrophe inside a word is dropped ("won't" -> "wont",
# "child's" -> "childs"); everything else separates words.
_APOSTROPHE_IN_WORD = re.compile(r"(?<=\w)'(?=\w)")
_NON_WORD = re.compile(r"[^\w]+")


def clean_input(text: str, limit: int = MAX_INPUT_CHARS) -> str:
    """Make any string safe to process and to echo back.

    Drops ANSI escapes, control characters and lone surrogates, folds Unicode
    compatibility forms, and cuts the text to `limit` characters.  The cut comes
    first so that the cost never depends on how much was pasted.
    """
    text = text[: limit * 2]
    text = _ANSI.sub(" ", text)
    text = "".join(
        " " if _is_unsafe(ch) else ch
        for ch in text
    )
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _WHITESPACE.sub(" ", text).strip()[:limit]


def _is_unsafe(ch: str) -> bool:
    category = unicodedata.category(ch)
    # Cc: control characters, Cs: lone surrogates, Co/Cn: private or unassigned.
    # Cf (format) keeps zero-width joiners that emoji and some scripts need, except bidi overrides.
    if category in ("Cc", "Cs", "Co", "Cn"):
        return True
    return ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def fold(text: str) -> str:
    """Lower-case form used for every comparison: NFKC, case-folded, straight quotes."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()


def words(text: str) -> list[str]:
    """Split folded text into words, dropping punctuation and in-word apostrophes."""
    text = _APOSTROPHE_IN_WORD.sub("", fold(text))
    return [w for w in _NON_WORD.split(text.replace("_", " ")) if w]


def normalise(text: str) -> str:
    """One string of words separated by single spaces."""
    return " ".join(words(text))


def squash_spaces(text: str) -> str:
    """Collapse runs of whitespace to one space (for comparing quotes with a document)."""
    return _WHITESPACE.sub(" ", text).strip()


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
    return [piece.strip(" ,\n") for piece in _CLAUSE.findall(text) if words(piece)]
