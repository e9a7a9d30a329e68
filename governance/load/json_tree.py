"""JSON files → plain values + positions, refusing what Python's reader lets through.

Values come from the strict (and fast) json module, so a JSON file never gets
YAML's looser reading; positions from a token scan of the same text
(json_positions.py). An inventory file (an object of lists) is read item by
item instead, noting where each key and item starts; the full scan runs only
if a deeper position is asked for (an error inside an entity), so a large
inventory without errors never pays for it. The json module accepts `NaN`, `Infinity` and `1e999`,
which no JSON document may hold and OPA could not be sent, and it recurses
once per nesting level: both end here as errors at their file:line:col.
"""

from __future__ import annotations

import json
import json.decoder
import math
import re
from array import array
from typing import Any, NoReturn

from governance.load.characters import too_long
from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.json_positions import first_literal, json_positions, location
from governance.load.limits import MAX_DEPTH, MAX_TEXT_CHARS, NON_FINITE, TOO_DEEP
from governance.load.tree import Path_, SourceMap, parse_yaml


def parse_json(text: str, rel: str) -> tuple[Any, SourceMap]:
    data, sources = _parse_json(text, rel)
    # a string is never longer than the line it is written on (JSON strings hold no line break,
    # and an escape is longer than what it stands for): only a long line is worth a walk
    if _has_line_longer(text, MAX_TEXT_CHARS):
        errors = too_long(data, sources)
        if errors:
            raise WorkspaceErrors(errors)
    return data, sources


def _has_line_longer(text: str, limit: int) -> bool:
    """Whether a line of `text` has more than `limit` characters: the last line break of each
    window of `limit + 1` characters is where the next one starts (C speed, no list of lines)."""
    start = 0
    while len(text) - start > limit:
        end = text.rfind("\n", start, start + limit + 1)
        if end < 0:
            return True
        start = end + 1
    return False


def _parse_json(text: str, rel: str) -> tuple[Any, SourceMap]:
    shallow = _read_object_of_lists(text, rel)
    if shallow is not None:
        return shallow
    return json_values(text, rel), json_positions(text, rel)


def json_values(text: str, rel: str) -> Any:
    """The values of `text`, read as strictly as a workspace file, without positions (a caller
    that needs one only for an error scans for it then: `json_positions`)."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_refuse, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise _error(Location(rel, exc.lineno, exc.colno), f"JSON syntax error: {exc.msg}") from None
    except _DuplicateKey as exc:
        parse_yaml(text, rel)  # ruamel's constructor names the duplicate's line and column
        raise _error(Location(rel), f"duplicate key '{exc}'") from None
    except _NonFinite:
        raise _error(location(text, rel, first_literal(text, _is_non_finite)), NON_FINITE) from None
    except RecursionError:
        # far deeper than MAX_DEPTH: the scan stops, with the error, at the first level too many
        json_positions(text, rel)
        raise _error(Location(rel), TOO_DEEP) from None
    except ValueError as exc:  # an integer of more than 4300 digits, which int() refuses to convert
        where = location(text, rel, first_literal(text, lambda token: len(token) > 4300))
        raise _error(where, f"cannot read this number: {str(exc).split(';')[0]}") from None
    return data


class _LazyJsonMap(SourceMap):
    """Positions of the root and its keys, and where each item of their lists starts and ends; a
    path inside an item is looked up after a scan of that one item, run the first time a path
    in it is asked for. Items are kept in arrays, not as a path each: a large inventory has
    hundreds of thousands of them, and a tuple and a dict entry apiece cost more than the scan saved."""

    def __init__(self, file: str, text: str) -> None:
        super().__init__(file)
        self._text = text
        self._items: dict[str, _Items] = {}  # key -> its list's items

    def locate(self, path: Path_) -> Location:
        path = tuple(path)
        if len(path) >= 2 and path not in self._positions and path[0] in self._items and isinstance(path[1], int):
            items, i = self._items[path[0]], path[1]
            if 0 <= i < len(items.at):
                if len(path) == 2:
                    return self._unpack(items.at[i])
                if i not in items.scanned:
                    items.scanned.add(i)
                    self._scan_item(path[:2], items.at[i], items.start[i], items.end[i])
        return super().locate(path)

    def _unpack(self, packed: int) -> Location:
        return Location(self.file, packed >> 20, packed & ((1 << 20) - 1))

    def _scan_item(self, item: Path_, packed: int, start: int, end: int) -> None:
        line, col = (packed >> 20) - 1, (packed & ((1 << 20) - 1)) - 1
        for sub, at in json_positions(self._text[start:end], self.file)._positions.items():
            sub_line, sub_col = (at >> 20) - 1, (at & ((1 << 20) - 1)) - 1
            self.record(item + sub, line + sub_line, sub_col + (col if sub_line == 0 else 0))


class _Items:
    """The items of one list: each one's packed position (as `SourceMap` packs them), its start
    and end offsets in the text, and which have been scanned."""

    __slots__ = ("at", "start", "end", "scanned")

    def __init__(self) -> None:
        self.at, self.start, self.end = array("q"), array("q"), array("q")
        self.scanned: set[int] = set()


_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace, as the json module skips it


def _read_object_of_lists(text: str, rel: str) -> tuple[dict[str, Any], SourceMap] | None:
    """`text` read as `{"key": [item, ...], ...}` by the json module's own scanner, one item at a
    time, with where each key and item starts; None when it is not that shape or anything is
    wrong: the full reading then names the error where it is."""
    decoder = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys, parse_constant=_refuse, parse_float=_finite)
    scan = decoder.scan_once  # type: ignore[attr-defined]  # the C scanner, untyped
    space = _SPACE.match
    sources = _LazyJsonMap(rel, text)
    line, line_start, counted = 0, 0, 0  # the line (0-based) holding offset `counted`, and where it starts

    def packed(offset: int) -> int:
        """`offset`'s position as `SourceMap.record` packs it; offsets are asked for in increasing order."""
        nonlocal line, line_start, counted
        newlines = text.count("\n", counted, offset)
        if newlines:
            line += newlines
            line_start = text.rindex("\n", counted, offset) + 1
        counted = offset
        return ((line + 1) << 20) | min(offset - line_start + 1, (1 << 20) - 1)

    data: dict[str, Any] = {}
    try:
        i = space(text).end()  # type: ignore[union-attr]  # matches the empty string at worst
        if text[i:i + 1] != "{":
            return None
        sources._positions[()] = packed(i)
        i = space(text, i + 1).end()  # type: ignore[union-attr]
        while text[i] != "}":
            if text[i] != '"':
                return None
            key_at = i
            key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            if key in data:
                return None
            sources._positions[(key,)] = packed(key_at)
            i = space(text, i).end()  # type: ignore[union-attr]
            if text[i] != ":":
                return None
            i = space(text, i + 1).end()  # type: ignore[union-attr]
            if text[i] != "[":
                return None
            values: list[Any] = []
            items = sources._items[key] = _Items()
            i = space(text, i + 1).end()  # type: ignore[union-attr]
            while text[i] != "]":
                start = i
                value, i = scan(text, i)
                if text.count("{", start, i) + text.count("[", start, i) > MAX_DEPTH - 2:
                    return None  # perhaps nested too deeply (under the object and its list): the scan says where
                items.at.append(packed(start))
                items.start.append(start)
                items.end.append(i)
                values.append(value)
                i = space(text, i).end()  # type: ignore[union-attr]
                if text[i] == ",":
                    i = space(text, i + 1).end()  # type: ignore[union-attr]
                    if text[i] == "]":
                        return None  # a trailing comma
                elif text[i] != "]":
                    return None
            data[key] = values
            i = space(text, i + 1).end()  # type: ignore[union-attr]
            if text[i] == ",":
                i = space(text, i + 1).end()  # type: ignore[union-attr]
                if text[i] != '"':
                    return None
            elif text[i] != "}":
                return None
        if space(text, i + 1).end() != len(text):  # type: ignore[union-attr]
            return None
    except (ValueError, IndexError, StopIteration, RecursionError):
        return None  # every error of the json module is a ValueError; the full reading says which
    return data, sources


def _error(where: Location, message: str) -> WorkspaceErrors:
    return WorkspaceErrors([WorkspaceError(where, message)])


class _DuplicateKey(ValueError):
    pass


class _NonFinite(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)  # built in C: called once per object of a large inventory
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return out


def _refuse(token: str) -> NoReturn:  # NaN, Infinity, -Infinity
    raise _NonFinite(token)


def _finite(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):  # 1e999
        raise _NonFinite(token)
    return value


def _is_non_finite(token: str) -> bool:
    if token.lstrip("-").isdigit():  # an integer: json reads it as an int, never infinite
        return False
    try:
        return not math.isfinite(float(token))  # also true of NaN and Infinity, which float() reads too
    except ValueError:  # true, false, null
        return False
