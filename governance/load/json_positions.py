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

from governance.load.tree import SourceMap

# strings, structural characters, and bare literals (numbers, true, false, null)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def json_positions(text: str, file: str) -> SourceMap:
    """Assumes `text` is valid JSON (the caller parsed it first)."""
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
        elif c == "{":
            stack.append([True, value_path(offset), None, True])
        elif c == "[":
            stack.append([False, value_path(offset), 0, False])
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
