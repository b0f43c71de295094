"""Problems found in a knowledge base or data file, reported as `path:line:col: message`."""

from __future__ import annotations

import functools
import os
import re
from typing import NamedTuple

# Line breaks, control characters, bidi controls and undecodable bytes of a file name
# (lone surrogates): a value or name from a hostile file could otherwise break the
# one-line message, drive the terminal, or fail to print at all.
# (Compiled on first use: it takes milliseconds, and only a problem being printed needs it.)
@functools.cache
def _unprintable() -> re.Pattern[str]:
    return re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """Text from a file, or a file's name, safe to print on one line ("\\n", "\\x1b", "\\udcff")."""
    return _unprintable().sub(lambda found: ascii(found.group())[1:-1], text)


class Problem(NamedTuple):
    """One thing a curator can fix, at a position they can jump to in an editor.

    Problems sort by file, line and column, like yamllint's.
    """

    path: str
    line: int
    column: int
    message: str
    level: str = "error"  # "error" stops the knowledge base from loading; "warning" does not

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}:{self.column}: [{self.level}] {self.message}")


class KnowledgeBaseError(Exception):
    """The knowledge base (or a data file) could not be used; `problems` says why."""

    def __init__(self, problems: list[Problem], unreadable: bool = False) -> None:
        self.problems = sorted(problems)
        # True when the path itself could not be read (exit code 2 for `lint`),
        # rather than a file that was read and found wrong (exit code 1).
        self.unreadable = unreadable
        super().__init__(self.summary())

    def summary(self) -> str:
        """A single line for commands that are not `lint`."""
        errors = [p for p in self.problems if p.level == "error"] or self.problems
        if not errors:
            return "the knowledge base could not be loaded"
        first = errors[0]
        more = len(errors) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''}; run 'chatbot lint {first.path}')" if more else ""
        return printable(f"{first.path}:{first.line}:{first.column}: {first.message}{tail}")


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as short as it can be while still pointing at the file from here."""
    text = os.fspath(path)
    try:
        relative = os.path.relpath(text)
    except ValueError:
        return text
    return text if relative.startswith("..") else relative
