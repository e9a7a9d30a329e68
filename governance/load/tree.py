"""YAML and JSON → plain values + a map of source positions.

compose.py builds ruamel nodes, each with its line and column, within the
loader's limits; we copy the marks of mapping keys and sequence items into a
flat dict keyed by the path of the node, then hand the rest of the program
ordinary dicts and lists so that no ruamel type leaks past this module. The
limits bound every walk here: recursion at most 64 levels deep, aliases
expanded by at most 10,000 nodes.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from governance.load.compose import compose_text
from governance.load.construct import construct as construct_values
from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.limits import Refused

Path_ = tuple[str | int, ...]  # a path into a document: keys and list indexes


class SourceMap:
    """Where each node of one document was written."""

    def __init__(self, file: str):
        self.file = file
        # one int per node, line << 20 | column: a large inventory has millions of
        # nodes, and a tuple per position would cost more than the data itself
        self._positions: dict[Path_, int] = {(): (1 << 20) | 1}

    def record(self, path: Path_, line0: int, col0: int) -> None:
        self._positions[path] = ((line0 + 1) << 20) | min(col0 + 1, (1 << 20) - 1)

    def locate(self, path: Path_) -> Location:
        """The position of `path`, or of its nearest recorded ancestor."""
        path = tuple(path)
        while path not in self._positions:
            path = path[:-1]
        packed = self._positions[path]
        line, col = packed >> 20, packed & ((1 << 20) - 1)
        return Location(self.file, line, col)


def parse_yaml(text: str, file: str, construct: bool = True) -> tuple[Any, SourceMap]:
    """Values and positions; with construct=False only positions (the caller has the values)."""
    with collector_paused():
        return _parse_yaml(text, file, construct)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while. Nodes, values and models are acyclic
    (compose.py refuses recursive aliases), yet creating a million of them sets off collections
    that traverse everything made so far and find nothing: more than half the time spent loading
    a large inventory. Reference counting still frees what is dropped; a cycle made meanwhile
    (an exception's traceback) waits for the next collection after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_yaml(text: str, file: str, construct: bool) -> tuple[Any, SourceMap]:
    try:
        node = compose_text(text)
        data = construct_values(node) if construct and node is not None else None
    except DuplicateKeyError as exc:
        raise _marked(exc, file, "duplicate key") from None
    except Refused as exc:  # well-formed, but beyond what the loader reads: the message says it all
        raise _marked(exc, file, None) from None
    except MarkedYAMLError as exc:
        raise _marked(exc, file, "YAML syntax error") from None
    except YAMLError as exc:  # unmarked: still a user's file problem, not ours
        raise WorkspaceErrors([WorkspaceError(Location(file), f"YAML error: {exc}")]) from None
    sources = SourceMap(file)
    if node is not None:
        sources.record((), node.start_mark.line, node.start_mark.column)  # past any leading comments
        _record(node, (), sources)
    return _plain(data), sources


def _marked(exc: MarkedYAMLError, file: str, what: str | None) -> WorkspaceErrors:
    mark = exc.problem_mark or exc.context_mark
    loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
    detail = " ".join(s for s in (exc.context, exc.problem) if s)
    message = f"{what}: {detail}".strip().rstrip(":") if what else detail
    return WorkspaceErrors([WorkspaceError(loc, message)])


def _record(node: Node, path: Path_, sources: SourceMap) -> None:
    """Walk the composed nodes beside the constructed data, noting each key's and item's mark."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            key_path = path + (str(key.value),)
            sources.record(key_path, key.start_mark.line, key.start_mark.column)
            _record(value, key_path, sources)
    elif isinstance(node, SequenceNode):
        for i, value in enumerate(node.value):
            sources.record(path + (i,), value.start_mark.line, value.start_mark.column)
            _record(value, path + (i,), sources)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return _scalar(value)


def _scalar(value: Any) -> Any:
    # ruamel subclasses int/float/str to carry formatting; strip that off.
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return value if (value.hour, value.minute, value.second) != (0, 0, 0) else value.date()
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value
