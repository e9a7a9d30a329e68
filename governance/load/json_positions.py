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

from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.limits import MAX_DEPTH, TOO_DEEP
from governance.load.tree import SourceMap

# strings, structural characters, and bare literals (numbers, true, false, null)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def json_positions(text: str, file: str) -> SourceMap:
    """Assumes `text` is valid JSON (the caller parsed it first), up to its
    first value nested deeper than MAX_DEPTH: that is an error, at its place."""
    sources = SourceMap(file)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def record(path: tuple, offset: int) -> None:
        line = bisect_right(starts, offset) - 1
        sources.record(path, line, offset - starts[line])

    # each frame: [is_object, path, index or key, expecting_key]
    stack: list[list] = []

    def value_path(offset: int) -> tuple:
        if not stack:
            record((), offset)
            return ()
        frame = stack[-1]
        if frame[0]:
            return frame[1] + (frame[2],)
        path = frame[1] + (frame[2],)
        record(path, offset)
        return path

    for m in _TOKEN.finditer(text):
        tok, offset = m.group(), m.start()
        c = tok[0]
        if c == '"':
            frame = stack[-1] if stack else None
            if frame is not None and frame[0] and frame[3]:
                key = tok[1:-1] if "\\" not in tok else json.loads(tok)
                frame[2], frame[3] = key, False
                record(frame[1] + (key,), offset)
            else:
                value_path(offset)
        elif c in "{[":
            if len(stack) >= MAX_DEPTH:
                raise WorkspaceErrors([WorkspaceError(location(text, file, offset), TOO_DEEP)])
            stack.append([True, value_path(offset), None, True] if c == "{" else [False, value_path(offset), 0, False])
        elif c in "}]":
            stack.pop()
        elif c == ",":
            frame = stack[-1]
            if frame[0]:
                frame[3] = True
            else:
                frame[2] += 1
        elif c != ":":
            value_path(offset)
    return sources


def location(text: str, file: str, offset: int) -> Location:
    line0 = text.count("\n", 0, offset)
    return Location(file, line0 + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def first_literal(text: str, wanted) -> int:
    """Offset of the first bare literal (number, true, false, null, NaN, …) for which `wanted(token)` holds, else 0."""
    for m in _TOKEN.finditer(text):
        if m.group()[0] not in '"{}[],:' and wanted(m.group()):
            return m.start()
    return 0
