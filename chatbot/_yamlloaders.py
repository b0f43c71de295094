"""The YAML loaders behind `chatbot.yamlfile` (imported only when a file is read)."""

from __future__ import annotations

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
        return super().construct_object(node, deep)

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


