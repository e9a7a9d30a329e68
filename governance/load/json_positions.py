"""Positions of every key and list item in a JSON text, without building nodes.

Composing a large JSON file with ruamel to learn positions cost ten times
what the json module needs for the values; this scanner walks the tokens
once with a regular expression and a stack, recording the same paths
`SourceMap` uses for YAML.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.limits import MAX_DEPTH, TOO_DEEP
from governance.load.tree import Path_, SourceMap

# strings, structural characters, and bare literals (numbers, true, false, null)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


@dataclass(slots=True)
class _Frame:
    """An object or array the scan is inside."""

    is_object: bool
    path: Path_
    key: str = ""  # an object's key whose value comes next
    index: int = 0  # an array's index of the next item
    expecting_key: bool = False  # an object between `{` or `,` and its next key


def json_positions(text: str, file: str) -> SourceMap:
    """Assumes `text` is valid JSON (the caller parsed it first), up to its
    first value nested deeper than MAX_DEPTH: that is an error, at its place."""
    sources = SourceMap(file)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def record(path: Path_, offset: int) -> None:
        line = bisect_right(starts, offset) - 1
        sources.record(path, line, offset - starts[line])

    stack: list[_Frame] = []

    def value_path(offset: int) -> Path_:
        if not stack:
            record((), offset)
            return ()
        frame = stack[-1]
        if frame.is_object:
            return frame.path + (frame.key,)
        path = frame.path + (frame.index,)
        record(path, offset)
        return path

    for m in _TOKEN.finditer(text):
        tok, offset = m.group(), m.start()
        c = tok[0]
        if c == '"':
            frame = stack[-1] if stack else None
            if frame is not None and frame.is_object and frame.expecting_key:
                key = tok[1:-1] if "\\" not in tok else json.loads(tok)
                frame.key, frame.expecting_key = key, False
                record(frame.path + (key,), offset)
            else:
                value_path(offset)
        elif c in "{[":
            if len(stack) >= MAX_DEPTH:
                raise WorkspaceErrors([WorkspaceError(location(text, file, offset), TOO_DEEP)])
            stack.append(_Frame(True, value_path(offset), expecting_key=True) if c == "{" else _Frame(False, value_path(offset)))
        elif c in "}]":
            stack.pop()
        elif c == ",":
            frame = stack[-1]
            if frame.is_object:
                frame.expecting_key = True
            else:
                frame.index += 1
        elif c != ":":
            value_path(offset)
    return sources


def location(text: str, file: str, offset: int) -> Location:
    line0 = text.count("\n", 0, offset)
    return Location(file, line0 + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def first_literal(text: str, wanted: Callable[[str], bool]) -> int:
    """Offset of the first bare literal (number, true, false, null, NaN, …) for which `wanted(token)` holds, else 0."""
    for m in _TOKEN.finditer(text):
        if m.group()[0] not in '"{}[],:' and wanted(m.group()):
            return m.start()
    return 0
