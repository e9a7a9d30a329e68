"""YAML text → ruamel nodes, without recursion and within `limits`.

ruamel's composers recurse once per nesting level (the C one overflows the C
stack and kills the process, the Python one hits the recursion limit), and
both keep an alias as a second reference to its anchor, so a few lines can
stand for billions of nodes once a walk expands them. This composer keeps its
own stack and knows, for every finished node, how many nodes and levels it
stands for, so it stops at the first event that goes beyond the limits.

Tags of plain scalars come from ruamel's own YAML 1.2 table, looked up once:
ruamel's resolver looks the YAML version up again for every scalar, which was
most of the time spent loading a large inventory. A `%YAML 1.1` directive is
not honoured; every file is read as YAML 1.2.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ruamel.yaml import YAML
from ruamel.yaml.composer import ComposerError
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from governance.load.limits import (
    ALIAS_BUDGET,
    ALIASES_TOO_LARGE,
    MAX_DEPTH,
    MAX_TEXT_CHARS,
    TEXT_TOO_LONG,
    TOO_DEEP,
    Refused,
)


def _implicit_tags() -> dict[str, list[tuple[Tag, re.Pattern[str]]]]:
    table = VersionedResolver(version=(1, 2)).versioned_resolver
    anywhere = table.get(None, [])
    return {first: [(Tag(suffix=tag), regexp) for tag, regexp in rules + anywhere]
            for first, rules in table.items() if first is not None}


_IMPLICIT = _implicit_tags()
_STR, _SEQ, _MAP = (Tag(suffix=f"tag:yaml.org,2002:{kind}") for kind in ("str", "seq", "map"))


def compose_text(text: str) -> Node | None:
    """The root node of the single document in `text` (None if empty).

    ruamel's C parser is several times faster than the pure one, but it scans
    YAML 1.1, which rejects some valid YAML 1.2 such as `{ref: doc://x}`; the
    pure 1.2 parser has the last word on syntax."""
    for pure in (False, True):
        try:
            return compose(YAML(typ="safe", pure=pure).parse(text))
        except Refused:
            raise
        except MarkedYAMLError:
            if pure:
                raise
    raise AssertionError("unreachable")


class _Open:
    """A sequence or mapping whose end event has not come yet."""

    __slots__ = ("node", "anchor", "key", "size", "height")

    def __init__(self, node: Node, anchor: str | None) -> None:
        self.node, self.anchor = node, anchor
        self.key: Node | None = None  # a mapping's key, until its value comes
        self.size, self.height = 1, 1  # nodes and levels it stands for, aliases expanded

    def add(self, node: Node, size: int, height: int) -> None:
        self.size += size
        self.height = max(self.height, height + 1)
        if self.node.__class__ is SequenceNode:
            self.node.value.append(node)
        elif self.key is None:
            self.key = node
        else:
            self.node.value.append((self.key, node))
            self.key = None


def compose(events: Iterable[Event]) -> Node | None:
    stack: list[_Open] = []
    anchors: dict[str, tuple[Node, int, int]] = {}  # name -> (node, size, height)
    budget = ALIAS_BUDGET
    root: Node | None = None
    node: Node
    for event in events:
        if isinstance(event, ScalarEvent):
            if len(event.value) > MAX_TEXT_CHARS:  # here, where every scalar passes anyway (characters.py)
                raise Refused(None, None, f"{TEXT_TOO_LONG} (this one has {len(event.value):,})", event.start_mark)
            node, size, height = ScalarNode(_scalar_tag(event), event.value, event.start_mark, event.end_mark,
                                            style=event.style), 1, 0
            if event.anchor is not None:
                anchors[event.anchor] = (node, size, height)
        elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise Refused(None, None, TOO_DEEP, event.start_mark)
            cls, default = (MappingNode, _MAP) if isinstance(event, MappingStartEvent) else (SequenceNode, _SEQ)
            tag = _explicit_tag(event) or default
            stack.append(_Open(cls(tag, [], event.start_mark, None, flow_style=event.flow_style), event.anchor))
            continue
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            done = stack.pop()
            node, size, height = done.node, done.size, done.height
            node.end_mark = event.end_mark
            if done.anchor is not None:
                anchors[done.anchor] = (node, size, height)
        elif isinstance(event, AliasEvent):
            node, size, height = _alias(event, anchors, stack)
            budget -= size
            if budget < 0:
                raise Refused(None, None, ALIASES_TOO_LARGE, event.start_mark)
            if len(stack) + height > MAX_DEPTH:
                raise Refused(None, None, TOO_DEEP, event.start_mark)
        elif isinstance(event, DocumentStartEvent) and root is not None:
            raise ComposerError("expected a single document in the stream", root.start_mark,
                                "but found another document", event.start_mark)
        else:
            continue  # stream and document boundaries
        if stack:
            stack[-1].add(node, size, height)
        else:
            root = node
    return root


def _alias(event: AliasEvent, anchors: dict[str, tuple[Node, int, int]], stack: list[_Open]) -> tuple[Node, int, int]:
    name = event.anchor
    if any(frame.anchor == name for frame in stack):
        # ruamel would build a cycle, and every walk over the tree would never end
        raise Refused(None, None, f"alias *{name} refers to a node that contains it", event.start_mark)
    if name not in anchors:
        raise ComposerError(None, None, f"found undefined alias {name!r}", event.start_mark)
    return anchors[name]


def _explicit_tag(event: ScalarEvent | CollectionStartEvent) -> Tag | None:
    tag = event.tag
    return None if tag is None or tag == "!" else Tag(suffix=tag)


def _scalar_tag(event: ScalarEvent) -> Tag:
    explicit = _explicit_tag(event)
    if explicit is not None:
        return explicit
    if event.implicit[0]:  # plain: its text decides (null, bool, int, float, timestamp, …)
        value = event.value
        for tag, regexp in _IMPLICIT.get(value[:1], ()):
            if regexp.match(value):
                return tag
    return _STR
