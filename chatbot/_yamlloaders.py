"""The YAML loaders behind `chatbot.yamlfile` (imported only when a file is read)."""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

import yaml

try:  # the C parser is several times faster; PyYAML may be built without it
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader

Position = tuple[int, int]


def _mark(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


_STR = "tag:yaml.org,2002:str"


class FastLoader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader with a shorter path for text, mappings and lists.

    PyYAML builds every value through a general mechanism written in Python;
    knowledge-base files are mostly text, which needs none of it.  Merge keys
    ("<<") are not supported: a knowledge base has no use for them.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node.__class__ is yaml.ScalarNode and node.tag == _STR:
            return node.value
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError):
            # PyYAML's own constructors fail like this on a value that does not fit the
            # tag written before it ("!!timestamp hello", "!!int abc"): say where it is.
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            shown = node.value if isinstance(node.value, str) else "this value"
            shown = shown if len(shown) <= 40 else shown[:39] + "\u2026"
            raise yaml.constructor.ConstructorError(None, None, f"'{shown}' is not a valid {tag}", node.start_mark) from None

    def construct_yaml_map(self, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
        data: dict[Any, Any] = {}
        yield data
        construct = self.construct_object
        for key_node, value_node in node.value:
            key = construct(key_node)
            try:
                data[key] = construct(value_node)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while building a mapping", node.start_mark, "a key must be plain text", key_node.start_mark
                ) from None

    def construct_yaml_seq(self, node: yaml.SequenceNode):  # type: ignore[no-untyped-def]
        data: list[Any] = []
        yield data
        construct = self.construct_object
        data.extend([construct(child) for child in node.value])


FastLoader.add_constructor("tag:yaml.org,2002:map", FastLoader.construct_yaml_map)
FastLoader.add_constructor("tag:yaml.org,2002:seq", FastLoader.construct_yaml_seq)


class PositionLoader(FastLoader):
    """The fast loader, also recording positions as it builds mappings and lists."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.table: dict[int, tuple] = {}
        self.duplicates: list[tuple[Any, Position]] = []

    def construct_yaml_map(self, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
        data: dict[Any, Any] = {}
        yield data
        values: dict[Any, Position] = {}
        keys: dict[Any, Position] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=False)
            try:
                seen = key in data
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while building a mapping", node.start_mark, "a key must be plain text", key_node.start_mark
                ) from None
            if seen:
                self.duplicates.append((key, _mark(key_node)))
            data[key] = self.construct_object(value_node, deep=False)
            values[key] = _mark(value_node)
            keys[key] = _mark(key_node)
        self.table[id(data)] = (_mark(node), values, keys)

    def construct_yaml_seq(self, node: yaml.SequenceNode):  # type: ignore[no-untyped-def]
        data: list[Any] = []
        yield data
        data.extend(self.construct_object(child, deep=False) for child in node.value)
        self.table[id(data)] = (_mark(node), [_mark(child) for child in node.value], None)


PositionLoader.add_constructor("tag:yaml.org,2002:map", PositionLoader.construct_yaml_map)
PositionLoader.add_constructor("tag:yaml.org,2002:seq", PositionLoader.construct_yaml_seq)


# -- how deeply a file nests ----------------------------------------------------
# PyYAML's C parser builds nested values by recursion in C: a file nested some tens
# of thousands of levels deep ("[[[[...") crashes the interpreter outright, which no
# `except` can catch.  So depth is checked before a file is parsed: cheaply, by a
# bound read off its bytes, and exactly, from the parser's events, only when the
# bound is too high to vouch for the file.

_FLOW_STEP = tuple(1 if c in b"[{" else -1 if c in b"]}" else 0 for c in range(256))
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
_LINE_BREAKS = bytes(10 if c == 13 else c for c in range(256))  # "\r" read as "\n"
_NOT_INDICATORS = bytes(c for c in range(256) if c not in b"-?:\r\n")
_BUSY_LINE = re.compile(rb"[^\n]{9}")


def surely_shallow(text: str, limit: int) -> bool:
    """Whether the YAML in `text` surely nests no more than `limit` levels, found without parsing it.

    Every collection opens with an indicator: a bracket or brace for a flow
    collection, "-", "?" or ":" for a block one.  Flow collections nest no deeper
    than the brackets do, quoted or not.  At any point, the block collections
    still open were opened on the current line (at most one for each indicator
    on it) or on earlier lines indented no more than this one (at most two for
    each column: a mapping, and a list that is one of its values).  So the depth
    is at most: brackets + indicators on one line + 2 x (indentation + 1).  A line
    break this misses (NEL, say) only merges two lines, which raises the bound.
    """
    data = text.encode("utf-8", "surrogatepass")
    brackets = data.translate(None, _NOT_BRACKETS)
    if brackets:  # (the deepest a walk that stops at zero reaches is at most its highest minus its lowest)
        highest = max(0, max(accumulate(map(_FLOW_STEP.__getitem__, brackets))))
        lowest = min(0, min(accumulate(map(_FLOW_STEP.__getitem__, brackets))))
        limit -= highest - lowest
    indicators = data.translate(_LINE_BREAKS, _NOT_INDICATORS)
    # Knowledge-base lines hold one or two indicators ("- id:"): a bound of 8 is checked in one
    # scan, and only a file with a busier line has each line counted.
    limit -= max(map(len, indicators.split(b"\n"))) if _BUSY_LINE.search(indicators) else 8
    deepest_indent = limit // 2 - 1  # the most indentation that keeps 2 x (indentation + 1) within what is left
    if deepest_indent < 0:
        return False
    return b"\n" + b" " * (deepest_indent + 1) not in b"\n" + data.translate(_LINE_BREAKS)


def too_deep(text: str, limit: int) -> yaml.Mark | None:
    """Where the YAML in `text` first nests more than `limit` levels, or None.

    Reads the parser's events, which needs no recursion, however deep the file.
    Syntax errors are raised as by the loaders.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > limit:
                return event.start_mark
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None
