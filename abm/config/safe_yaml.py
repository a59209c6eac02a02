"""Parsing YAML safely: plain data only, bounded alias expansion, duplicate keys refused, one-line errors.

PyYAML's ``safe_load`` shares aliased nodes, so a small file with nested aliases (the "billion
laughs" attack) loads fast but expands to an exponential number of values as soon as anything
walks it (deep copies, validation, error messages). The loader here counts the nodes every alias
stands for and refuses a document once aliases would add more than ``ALIAS_NODE_LIMIT`` nodes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from abm.config.errors import ConfigError, excerpt

ALIAS_NODE_LIMIT = 10_000  # nodes that aliases may add; a config needs a few dozen at most


class _Refused(yaml.YAMLError):
    """A document this loader will not build (too much alias expansion, recursion, duplicates)."""

    def __init__(self, message: str, node: Node | None = None):
        mark = node.start_mark if node is not None else None
        where = f" at line {mark.line + 1}" if mark is not None else ""
        super().__init__(f"{message}{where}")


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, stream: str):
        super().__init__(stream)
        self._alias_nodes = 0
        self._sizes: dict[int, int] = {}
        self._open: set[str] = set()  # anchors whose node is still being composed

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            if anchor in self._open:
                raise _Refused(f"alias *{anchor} refers to itself (recursive data is not allowed)")
            if anchor in self.anchors:
                self._alias_nodes += self._size(self.anchors[anchor])
                if self._alias_nodes > ALIAS_NODE_LIMIT:
                    raise _Refused(f"aliases expand to more than {ALIAS_NODE_LIMIT:,} values (alias *{anchor})")
            return super().compose_node(parent, index)
        if anchor is not None:
            self._open.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._open.discard(anchor)

    def _size(self, node: Node) -> int:
        """Values ``node`` expands to (aliased children counted in full; memoised)."""
        key = id(node)
        if key not in self._sizes:
            if isinstance(node, SequenceNode):
                children = node.value
            elif isinstance(node, MappingNode):
                children = [part for pair in node.value for part in pair]
            else:
                children = []
            self._sizes[key] = 1 + sum(self._size(child) for child in children)
        return self._sizes[key]

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                line = seen.setdefault(key, key_node.start_mark.line + 1)
            except TypeError:  # unhashable key: the base class reports it
                break
            if line != key_node.start_mark.line + 1:
                raise _Refused(f"key {excerpt(key)} appears twice (first at line {line})", key_node)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str, source: str) -> Any:
    """The data in YAML ``text``; ``source`` names it in errors (a file, or ``--set KEY``)."""
    try:
        return yaml.load(text, Loader=_BoundedLoader)  # noqa: S506 (a SafeLoader subclass)
    except _Refused as exc:
        raise ConfigError(f"{source}: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        raise ConfigError(f"{source}: not valid YAML{where}: {exc.problem or exc.context}{context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {excerpt(str(exc), 120)}") from None


def read_yaml(path: Path | str) -> dict:
    """The mapping in YAML file ``path``; errors name the file and what is wrong in one line."""
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"{path} is a folder, not a config file")
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); "
                          "save the file as UTF-8") from None
    data = parse_yaml(text, str(path))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping (key: value lines) at the top level, "
                          f"got {type(data).__name__}")
    return data
