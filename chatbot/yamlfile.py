"""Read YAML files safely and keep the position of every value.

Only the safe loader is used (the C one when PyYAML has it), and only the
composer runs: no Python object is ever built from a tag, aliases are never
expanded behind our back, and every value keeps its line and column so that
problems can be reported where the curator can fix them.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import yaml

from .problems import KnowledgeBaseError, Problem, display_path

try:  # the C composer is several times faster; PyYAML may be built without it
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

#: A knowledge-base or data file larger than this is refused before parsing.
MAX_FILE_BYTES = 20_000_000
#: Most values a data file may expand to (aliases included): stops "billion laughs".
MAX_NODES = 2_000_000

_TAG = "tag:yaml.org,2002:"
_KINDS = {
    _TAG + "str": "text",
    _TAG + "int": "a number",
    _TAG + "float": "a number",
    _TAG + "bool": "true/false",
    _TAG + "null": "nothing",
    _TAG + "seq": "a list",
    _TAG + "map": "a mapping",
}


def position(node: yaml.Node) -> tuple[int, int]:
    """1-based line and column where a node starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def describe(node: yaml.Node) -> str:
    """What a value is, in words a curator understands ("a list", "a number")."""
    return _KINDS.get(node.tag, f"a value tagged {node.tag.replace(_TAG, '!!')}")


def is_text(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "str"


def is_list(node: yaml.Node) -> bool:
    return isinstance(node, yaml.SequenceNode) and node.tag == _TAG + "seq"


def is_mapping(node: yaml.Node) -> bool:
    return isinstance(node, yaml.MappingNode) and node.tag == _TAG + "map"


def read_text(path: Path, what: str = "file") -> str:
    """Read a UTF-8 file, turning every way it can fail into a one-line problem."""
    shown = display_path(path)
    try:
        if path.is_dir():
            raise KnowledgeBaseError([Problem(shown, 1, 1, f"expected a {what}, found a directory")], unreadable=True)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise KnowledgeBaseError(
                [Problem(shown, 1, 1, f"{what} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")]
            )
        data = path.read_bytes()[: MAX_FILE_BYTES + 1]
    except KnowledgeBaseError:
        raise
    except OSError as exc:
        raise KnowledgeBaseError([Problem(shown, 1, 1, f"cannot read {what}: {_os_reason(exc)}")], unreadable=True) from None
    except RuntimeError:  # pathlib reports symlink loops this way on some versions
        raise KnowledgeBaseError([Problem(shown, 1, 1, f"cannot read {what}: symbolic link loop")], unreadable=True) from None
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


def read_yaml(path: Path) -> yaml.Node:
    """Parse one YAML file into its node tree, or raise a KnowledgeBaseError."""
    text = read_text(path, "YAML file")
    shown = display_path(path)
    if not text.strip():
        raise KnowledgeBaseError([Problem(shown, 1, 1, "file is empty")])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            where = exc.context_mark
            started = f" that starts at line {where.line + 1}" if where and where is not mark else ""
            reason = f"{exc.problem} ({exc.context}{started})"
        raise KnowledgeBaseError([Problem(shown, line, column, f"YAML syntax error: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError([Problem(shown, 1, 1, f"YAML syntax error: {exc}")]) from None
    if node is None:
        raise KnowledgeBaseError([Problem(shown, 1, 1, "file holds only comments")])
    return node


def plain(node: yaml.Node, path: Path) -> Any:
    """Turn a node tree into plain Python values (dict, list, str, int, float, bool, None).

    Used for the bot's own data files (synonyms, small talk, red flags).  Any tag
    outside plain YAML, any duplicate key and any expansion past MAX_NODES is
    refused, so a hostile file can neither run code nor exhaust memory.
    """
    budget = [MAX_NODES]
    shown = display_path(path)

    def fail(at: yaml.Node, message: str) -> KnowledgeBaseError:
        line, column = position(at)
        return KnowledgeBaseError([Problem(shown, line, column, message)])

    def convert(current: yaml.Node) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise fail(current, f"file expands to more than {MAX_NODES:,} values (too many aliases?)")
        if is_mapping(current):
            result: dict[str, Any] = {}
            for key, value in current.value:
                if not is_text(key):
                    raise fail(key, f"keys must be text, not {describe(key)}")
                if key.value in result:
                    raise fail(key, f"duplicate key '{key.value}'")
                result[key.value] = convert(value)
            return result
        if is_list(current):
            return [convert(item) for item in current.value]
        if isinstance(current, yaml.ScalarNode) and current.tag in _KINDS:
            return _scalar(current)
        raise fail(current, f"{describe(current)} is not allowed here (only plain YAML values)")

    return convert(node)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.ScalarNode) -> Any:
    """The Python value of a plain scalar, resolved by its (already safe) tag."""
    if node.tag == _TAG + "str":
        return node.value
    # The constructors for int, float, bool and null only read the scalar's text.
    return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
