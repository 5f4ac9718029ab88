"""riskcli's YAML nodes: what the walker reads of a composed file, and no more.

PyYAML's node classes keep a dictionary per node, the end of every node and its style; a
register of 10,000 risks is some 500,000 nodes, so that is about a third of the memory the
composed file takes. riskcli reads a node's tag, value and start only (a collection's end is
kept, as the composer sets it), so its nodes have slots for those alone, and ``source.compose``
has PyYAML's composer make these instead of its own (``ours``). Nothing here imports YAML until
a composition starts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


class Node:
    """A YAML node as riskcli keeps it: its tag, its value and where it starts."""

    __slots__ = ("start_mark", "tag", "value")

    tag: str
    value: Any
    start_mark: Any  # a yaml Mark: line and column from 0, index


class ScalarNode(Node):
    """Text as written, its tag resolved (the composer's end mark and style are dropped)."""

    __slots__ = ()
    value: str

    def __init__(self, tag: str, value: str, start_mark: Any, end_mark: Any = None, style: Any = None):
        self.tag = tag
        self.value = value
        self.start_mark = start_mark


class CollectionNode(Node):
    """A list or a mapping: the composer sets its end once its items are composed."""

    __slots__ = ("end_mark",)

    def __init__(self, tag: str, value: Any, start_mark: Any, end_mark: Any = None, flow_style: Any = None):
        self.tag = tag
        self.value = value
        self.start_mark = start_mark
        self.end_mark = end_mark


class SequenceNode(CollectionNode):
    __slots__ = ()
    value: list[Node]


class MappingNode(CollectionNode):
    __slots__ = ()
    value: list[tuple[Node, Node]]


_CLASSES = {"ScalarNode": ScalarNode, "SequenceNode": SequenceNode, "MappingNode": MappingNode}


@contextlib.contextmanager
def ours() -> Iterator[None]:
    """PyYAML's composers (libyaml's and the pure Python one) make riskcli's node classes
    meanwhile: both look their node classes up among their module's globals when they make a
    node (and PyYAML's resolver when it is asked for a tag), so those names are riskcli's for
    the time of a composition, and PyYAML's again after."""
    import yaml.composer
    import yaml.resolver

    modules: list[Any] = [yaml.composer, yaml.resolver]
    with contextlib.suppress(ImportError):
        import yaml._yaml

        modules.append(yaml._yaml)
    saved = [(m, {name: getattr(m, name) for name in _CLASSES}) for m in modules]
    try:
        for m in modules:
            for name, cls in _CLASSES.items():
                setattr(m, name, cls)
        yield
    finally:
        for m, names in saved:
            for name, cls in names.items():
                setattr(m, name, cls)
