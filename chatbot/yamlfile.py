"""Read YAML files safely, remembering where each value was written.

Only the safe loader is used (the C parser when PyYAML has it): a tag that
would build a Python object is refused, and an alias is a shared reference,
never an expanded copy, so a "billion laughs" file costs no more than its
size.  While values are built, the line and column of every mapping value and
list item are recorded, so problems can be reported where a curator can fix
them, without parsing the file twice.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Any

from .problems import KnowledgeBaseError, Problem, display_path

#: A knowledge-base or data file larger than this is refused before parsing.
MAX_FILE_BYTES = 20_000_000
#: A file nesting deeper than this is refused before parsing (see `_yamlloaders.surely_shallow`);
#: a knowledge base needs five levels.
MAX_NESTING = 100

Position = tuple[int, int]

#: The prefix that YAML's "!!" shorthand stands for.
_YAML_TAGS = "tag:yaml.org,2002:"


class Positions:
    """Where each value of one loaded file was written (1-based line and column)."""

    __slots__ = ("_table", "duplicates")

    def __init__(self, table: dict[int, tuple], duplicates: list[tuple[Any, Position]]) -> None:
        self._table = table
        #: Keys written twice in one mapping, with where the second one is.
        self.duplicates = duplicates

    def of(self, container: object, key: Any = None) -> Position:
        """Where a mapping's value for `key` (or a list's item `key`) starts; the container itself without a key."""
        found = self._table.get(id(container))
        if found is None:
            return (1, 1)
        start, values, _ = found
        if key is None:
            return start
        if isinstance(values, dict):
            return values.get(key, start)
        return values[key] if isinstance(key, int) and 0 <= key < len(values) else start

    def key(self, mapping: object, key: Any) -> Position:
        """Where a mapping's key itself is written (for unknown or misspelt fields)."""
        found = self._table.get(id(mapping))
        if found is None or found[2] is None:
            return self.of(mapping, key)
        return found[2].get(key, found[0])


def describe(value: Any) -> str:
    """What a value is, in words a curator understands ("a list", "a number")."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    import datetime

    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    return "binary data" if isinstance(value, bytes) else type(value).__name__


def read_text(path: str, what: str = "file") -> str:
    """Read a UTF-8 file, turning every way it can fail into a one-line problem."""
    shown = display_path(path)
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise KnowledgeBaseError([Problem(shown, 1, 1, f"expected a {what}, found a directory")], unreadable=True)
        if not stat.S_ISREG(mode):  # a pipe or a device could block or never end
            raise KnowledgeBaseError([Problem(shown, 1, 1, f"expected a {what}, found something that is not a regular file")], unreadable=True)
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise KnowledgeBaseError(
                    [Problem(shown, 1, 1, f"{what} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")]
                )
            data = handle.read(MAX_FILE_BYTES + 1)
    except KnowledgeBaseError:
        raise
    except OSError as exc:
        raise KnowledgeBaseError([Problem(shown, 1, 1, f"cannot read {what}: {_os_reason(exc)}")], unreadable=True) from None
    except ValueError:  # a NUL in the path (a document named in a YAML file): no file has that name
        raise KnowledgeBaseError([Problem(shown, 1, 1, f"cannot read {what}: the path contains a NUL character")], unreadable=True) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise KnowledgeBaseError(
            [Problem(shown, line, column, f"{what} is not UTF-8 text (byte 0x{data[exc.start]:02x})")]
        ) from None
    if "\x00" in text:
        raise KnowledgeBaseError([Problem(shown, 1, 1, f"{what} contains NUL bytes; is it a binary file?")])
    return text


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)


def load_yaml(path: str, positions: bool = True) -> tuple[Any, Positions]:
    """Parse one YAML file into plain values and their positions, or raise a KnowledgeBaseError.

    Without `positions` the plain safe loader is used: faster, but every value
    is said to be at line 1, and a key written twice is not noticed.
    """
    text = read_text(path, "YAML file")
    shown = display_path(path)
    if not text.strip():
        raise KnowledgeBaseError([Problem(shown, 1, 1, "file is empty")])
    import yaml  # only a knowledge base being read needs PyYAML, not a bot restored from a snapshot

    from ._yamlloaders import FastLoader, PositionLoader, surely_shallow, too_deep

    loader = PositionLoader(text) if positions else FastLoader(text)
    try:
        if not surely_shallow(text, MAX_NESTING):
            mark = too_deep(text, MAX_NESTING)
            if mark is not None:
                raise KnowledgeBaseError(
                    [Problem(shown, mark.line + 1, mark.column + 1, f"the file nests more than {MAX_NESTING} levels deep")]
                )
        value = loader.get_single_data()
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid value"
        if "could not determine a constructor" in problem:
            tag = problem.split("tag", 1)[-1].strip(" '!")
            # Show the tag as the curator wrote it: "!!python/object", not "!tag:yaml.org,2002:python/object".
            tag = "!!" + tag[len(_YAML_TAGS):] if tag.startswith(_YAML_TAGS) else "!" + tag
            problem = f"the tag {tag} is not allowed: only plain YAML values (text, numbers, lists, mappings)"
        raise KnowledgeBaseError([Problem(shown, line, column, problem)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            where = exc.context_mark
            started = f" that starts at line {where.line + 1}" if where and where is not mark else ""
            reason = f"{exc.problem} ({exc.context}{started})"
        raise KnowledgeBaseError([Problem(shown, line, column, f"YAML syntax error: {reason}")]) from None
    except yaml.reader.ReaderError as exc:
        # A control character YAML forbids.  The C parser counts bytes, not characters,
        # so find the character itself: the parser stopped at its first occurrence.
        code = exc.character if isinstance(exc.character, int) else None  # always, for text input
        at = text.find(chr(code)) if code is not None else -1
        line, column = (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)) if at >= 0 else (1, 1)
        what = f"the character U+{code:04X}" if code is not None else "a character"
        raise KnowledgeBaseError([Problem(shown, line, column, f"{what} is not allowed in YAML (a control character?)")]) from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError([Problem(shown, 1, 1, f"YAML syntax error: {' '.join(str(exc).split())}")]) from None
    except RecursionError:
        raise KnowledgeBaseError([Problem(shown, 1, 1, "the file nests too deeply")]) from None
    finally:
        loader.dispose()
    if value is None:
        raise KnowledgeBaseError([Problem(shown, 1, 1, "file holds only comments")])
    if not positions:
        return value, Positions({}, [])
    return value, Positions(loader.table, loader.duplicates)
