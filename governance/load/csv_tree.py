"""CSV inventories (`people.csv`, `spend.csv`): one kind per file, named after it.

Columns are the entity's fields. Lists (`roles`) are `;`-separated; a
mapping field is spread over `tags.<key>` columns, and an empty cell means
the field is absent.

Positions are physical: a record is at the line where it starts and each cell
at the line and column where it starts, however many lines a quoted cell
before it spans (a record is not a line).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.limits import MAX_TEXT_CHARS, TEXT_TOO_LONG
from governance.load.tree import SourceMap

CSV_KINDS = {"people", "spend"}
LIST_COLUMNS = {"roles", "approved_by"}


def parse_csv(text: str, rel: str, kind: str) -> tuple[Any, SourceMap]:
    if kind not in CSV_KINDS:
        why = f"a CSV inventory must be named after its kind: one of {sorted(CSV_KINDS)} (got '{kind}')"
        raise WorkspaceErrors([WorkspaceError(Location(rel), why)])
    sources = SourceMap(rel)
    sources.record((kind,), 0, 0)
    records = _records(text, rel)
    if not records:
        return {kind: []}, sources
    _check_header(records[0][1], rel)
    header = [h.strip() for h in records[0][1]]
    lines = text.split("\n")
    items: list[dict[str, Any]] = []
    for n, (first, row) in enumerate(records[1:], start=2):
        after = records[n][0] if n < len(records) else len(lines)  # where the next record starts
        if not any(cell.strip() for cell in row):
            continue
        index = len(items)
        sources.record((kind, index), first, 0)
        if len(row) != len(header):
            why = f"row has {len(row)} cells, header has {len(header)}"
            raise WorkspaceErrors([WorkspaceError(Location(rel, first + 1, 1), why)])
        starts = _cell_starts(lines[first:after], row)
        item: dict[str, Any] = {}
        for name, cell, (line, col) in zip(header, row, starts, strict=True):
            path = (kind, index) + tuple(name.split(".", 1))
            sources.record(path, first + line, col)
            cell = cell.strip()
            if cell == "":
                continue
            if len(cell) > MAX_TEXT_CHARS:  # here, where every cell passes anyway (characters.py)
                why = f"{TEXT_TOO_LONG} (this one has {len(cell):,})"
                raise WorkspaceErrors([WorkspaceError(sources.locate(path), why)])
            if "." in name:
                outer, inner = name.split(".", 1)
                item.setdefault(outer, {})[inner] = cell
            elif name in LIST_COLUMNS:
                item[name] = [v.strip() for v in cell.split(";") if v.strip()]
            else:
                item[name] = cell
        items.append(item)
    return {kind: items}, sources


def _records(text: str, rel: str) -> list[tuple[int, list[str]]]:
    """Each record with the line (0-based) where it starts: the line after the one where the record before it
    ended, since a quoted cell may span lines. Blank lines are records of no cells."""
    reader = csv.reader(io.StringIO(text))
    records: list[tuple[int, list[str]]] = []
    ended = 0  # lines read so far: the next record starts on the line after them
    try:
        for row in reader:
            records.append((ended, row))
            ended = reader.line_num
    except csv.Error as exc:  # a cell over csv's size limit, a stray quote in strict mode, …
        raise WorkspaceErrors([WorkspaceError(Location(rel, reader.line_num or 1, 1), f"CSV error: {exc}")]) from None
    return records


def _cell_starts(lines: list[str], row: list[str]) -> list[tuple[int, int]]:
    """Where each cell of `row` starts, (line offset in the record, column), both 0-based, read from the
    record's `lines` as csv's default dialect reads them: a quote opens a quoted cell only at the cell's
    start, and inside one a doubled quote is a quote, a comma is text and a line break continues the cell.
    Should the count differ from csv's (it cannot for this dialect), every cell is placed at the record's start."""
    if len(lines) == 1 and '"' not in lines[0]:  # most records: each cell is its text, one comma apart
        starts, col = [], 0
        for cell in row:
            starts.append((0, col))
            col += len(cell) + 1
        return starts
    cells = len(row)
    starts = [(0, 0)]
    quoted, at_start = False, True
    for line_no, line in enumerate(lines):
        col = 0
        while col < len(line):
            ch = line[col]
            if quoted:
                if ch == '"':
                    if col + 1 < len(line) and line[col + 1] == '"':
                        col += 1  # an escaped quote
                    else:
                        quoted = False
            elif ch == '"' and at_start:
                quoted = True
            elif ch == ",":
                starts.append((line_no, col + 1))
                at_start = True
                col += 1
                continue
            at_start = False
            col += 1
        if not quoted:
            break  # the record ends with the first line that ends outside a quoted cell
    return starts if len(starts) == cells else [(0, 0)] * cells


def _check_header(cells: list[str], rel: str) -> None:
    """Each column fills its own place: `tags` beside `tags.x`, or `id` twice,
    would have one cell overwrite (or index into) another."""
    errors: list[WorkspaceError] = []
    seen: set[str] = set()
    plain: set[str] = set()  # fields filled whole, by a column such as `tags`
    spread: set[str] = set()  # fields filled key by key, by columns such as `tags.x`
    col = 1
    for cell in cells:
        name = cell.strip()
        outer, dotted = name.split(".", 1)[0], "." in name
        if name in seen or (outer in plain if dotted else name in spread):
            errors.append(WorkspaceError(Location(rel, 1, col), f"column '{name}' fills the same field as an earlier column"))
        seen.add(name)
        (spread if dotted else plain).add(outer)
        col += len(cell) + 1
    if errors:
        raise WorkspaceErrors(errors)
