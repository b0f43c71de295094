"""The source document a knowledge-base file is drawn from.

Quotes in the knowledge base are checked against it, and `chatbot lint` reports
which of its sentences no entry quotes yet.
"""

from __future__ import annotations

import os

from .text import sentences, squash_spaces, words
from .yamlfile import read_text

#: A sentence counts as quoted when quotes cover at least this share of its characters.
QUOTED_SHARE = 0.5

_QUOTE_TABLE = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def comparable(text: str) -> str:
    """The form in which quotes and the document are compared: straight quotes, single spaces.

    Case is kept (quotes are verbatim); curly and straight apostrophes are equal,
    so that a curator can type a quote on any keyboard.
    """
    return squash_spaces(text if text.isascii() else text.translate(_QUOTE_TABLE))


class Document:
    """A patient-information text: its title (first line) and its sentences.  Read-only."""

    __slots__ = ("path", "title", "text", "_comparable", "_sentences", "_words")

    def __init__(self, path: str, title: str, text: str) -> None:
        self.path = path
        self.title = title
        self.text = text
        self._comparable = comparable(text)
        self._sentences: tuple[str, ...] | None = None
        self._words: frozenset[str] | None = None

    def __setattr__(self, name: str, value: object) -> None:
        # Read-only once built; the two caches below are filled once, on first use.
        if getattr(self, name, None) is not None:
            raise AttributeError("a Document is read-only")
        object.__setattr__(self, name, value)

    @classmethod
    def read(cls, path: str) -> "Document":
        """Read a document; raises KnowledgeBaseError if it cannot be read."""
        text = read_text(path, "document")
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        title = first.rstrip(".:") or os.path.splitext(os.path.basename(path))[0]
        return cls(path, title, text)

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    @property
    def sentences(self) -> tuple[str, ...]:
        """The sentences of the body (the title line is not one)."""
        if self._sentences is None:
            paragraphs = [line.strip() for line in self.text.splitlines() if line.strip()]
            heading = paragraphs[0] if paragraphs else ""
            found: list[str] = []
            for paragraph in paragraphs[1:]:
                # Copied leaflets often repeat the heading at the start of the first paragraph.
                if heading and paragraph.startswith(heading + " ") and not paragraph.startswith(heading + "."):
                    paragraph = paragraph[len(heading):].strip()
                found.extend(sentences(paragraph))
            self._sentences = tuple(found)
        return self._sentences

    @property
    def folded_words(self) -> frozenset[str]:
        """Every word of the document, folded: what the grounding check accepts."""
        if self._words is None:
            self._words = frozenset(words(self.text))
        return self._words

    def contains(self, quote: str) -> bool:
        """True when the quote appears in the document word for word."""
        wanted = comparable(quote)
        return bool(wanted) and wanted in self._comparable

    def quoted_sentences(self, quotes: list[str]) -> list[bool]:
        """For each sentence, whether the quotes cover at least QUOTED_SHARE of it."""
        wanted = [comparable(q) for q in quotes if q.strip()]
        result = []
        for sentence in self.sentences:
            plain = comparable(sentence)
            covered = bytearray(len(plain))
            for quote in wanted:
                start = plain.find(quote)
                while start != -1:
                    covered[start : start + len(quote)] = b"\x01" * len(quote)
                    start = plain.find(quote, start + 1)
                # A quote may span this sentence and the next: count the part inside.
                if len(quote) > len(plain) and plain in quote:
                    covered[:] = b"\x01" * len(plain)
            result.append(sum(covered) >= QUOTED_SHARE * len(plain))
        return result
