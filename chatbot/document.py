"""The source document a knowledge-base file is drawn from.

Quotes in the knowledge base are checked against it, and `chatbot lint` reports
which of its sentences no entry quotes yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .text import sentences, squash_spaces, words
from .yamlfile import read_text

#: A sentence counts as quoted when quotes cover at least this share of its characters.
QUOTED_SHARE = 0.5


def comparable(text: str) -> str:
    """The form in which quotes and the document are compared: straight quotes, single spaces.

    Case is kept (quotes are verbatim); curly and straight apostrophes are equal,
    so that a curator can type a quote on any keyboard.
    """
    return squash_spaces(_fold_quotes(text))


def _fold_quotes(text: str) -> str:
    return text.translate(_QUOTE_TABLE)


_QUOTE_TABLE = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


@dataclass(frozen=True)
class Document:
    """A patient-information text: its title (first line) and its sentences."""

    path: Path
    title: str
    text: str
    sentences: tuple[str, ...] = field(repr=False)

    @classmethod
    def read(cls, path: Path) -> "Document":
        """Read a document; raises KnowledgeBaseError if it cannot be read."""
        text = read_text(path, "document")
        lines = [line.strip() for line in text.splitlines()]
        paragraphs = [line for line in lines if line]
        title = paragraphs[0] if paragraphs else path.stem
        found: list[str] = []
        for paragraph in paragraphs[1:]:
            # Copied leaflets often repeat the heading at the start of the first paragraph.
            if paragraph.startswith(title + " ") and not paragraph.startswith(title + "."):
                paragraph = paragraph[len(title):].strip()
            found.extend(sentences(paragraph))
        return cls(path=path, title=title.rstrip(".:"), text=text, sentences=tuple(found))

    @cached_property
    def _comparable(self) -> str:
        return comparable(self.text)

    @cached_property
    def folded_words(self) -> frozenset[str]:
        """Every word of the document, folded: what the grounding check accepts."""
        return frozenset(words(self.text))

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
                # A quote may also span this sentence and the next: count the part inside.
                if quote not in plain and len(quote) > len(plain) and plain in quote:
                    covered[:] = b"\x01" * len(plain)
            result.append(sum(covered) >= QUOTED_SHARE * len(plain))
        return result

