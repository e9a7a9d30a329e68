"""YAML and JSON → plain values + a map of source positions.

ruamel.yaml's round-trip loader records the line and column of every mapping
key and sequence item; we copy those into a flat dict keyed by the path of the
node, then hand the rest of the program ordinary dicts and lists so that no
ruamel type leaks past this module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from governance.load.errors import Location, WorkspaceError, WorkspaceErrors

Path_ = tuple  # a path into a document: keys and list indexes


class SourceMap:
    """Where each node of one document was written."""

    def __init__(self, file: str):
        self.file = file
        self._positions: dict[Path_, tuple[int, int]] = {(): (1, 1)}

    def record(self, path: Path_, line0: int, col0: int) -> None:
        self._positions[path] = (line0 + 1, col0 + 1)

    def locate(self, path: Path_) -> Location:
        """The position of `path`, or of its nearest recorded ancestor."""
        path = tuple(path)
        while path not in self._positions:
            path = path[:-1]
        line, col = self._positions[path]
        return Location(self.file, line, col)


def parse_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        node = yaml.load(text)
    except DuplicateKeyError as exc:
        raise _marked(exc, file, "duplicate key") from None
    except MarkedYAMLError as exc:
        raise _marked(exc, file, "YAML syntax error") from None
    except YAMLError as exc:  # unmarked: still a user's file problem, not ours
        raise WorkspaceErrors([WorkspaceError(Location(file), f"YAML error: {exc}")]) from None
    sources = SourceMap(file)
    if isinstance(node, (CommentedMap, CommentedSeq)):
        sources.record((), node.lc.line, node.lc.col)  # past any leading comments
    return _plain(node, (), sources), sources


def _marked(exc: MarkedYAMLError, file: str, what: str) -> WorkspaceErrors:
    mark = exc.problem_mark or exc.context_mark
    loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
    detail = " ".join(s for s in (exc.context, exc.problem) if s)
    return WorkspaceErrors([WorkspaceError(loc, f"{what}: {detail}".strip().rstrip(":"))])


def _plain(node: Any, path: Path_, sources: SourceMap) -> Any:
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            key_path = path + (str(key),)
            line, col = node.lc.key(key)
            sources.record(key_path, line, col)
            out[str(key)] = _plain(value, key_path, sources)
        return out
    if isinstance(node, CommentedSeq):
        out = []
        for i, value in enumerate(node):
            line, col = node.lc.item(i)
            sources.record(path + (i,), line, col)
            out.append(_plain(value, path + (i,), sources))
        return out
    return _scalar(node)


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
