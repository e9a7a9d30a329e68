"""CSV inventories (`people.csv`, `spend.csv`): one kind per file, named after it.

Columns are the entity's fields. Lists (`roles`) are `;`-separated; a
mapping field is spread over `tags.<key>` columns, and an empty cell means
the field is absent.
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
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:  # a cell over csv's size limit, a stray quote in strict mode, …
        raise WorkspaceErrors([WorkspaceError(Location(rel, reader.line_num or 1, 1), f"CSV error: {exc}")]) from None
    if not rows:
        return {kind: []}, sources
    _check_header(rows[0], rel)
    header = [h.strip() for h in rows[0]]
    items: list[dict[str, Any]] = []
    for n, row in enumerate(rows[1:], start=1):
        if not any(cell.strip() for cell in row):
            continue
        index = len(items)
        sources.record((kind, index), n, 0)
        if len(row) != len(header):
            why = f"row has {len(row)} cells, header has {len(header)}"
            raise WorkspaceErrors([WorkspaceError(Location(rel, n + 1, 1), why)])
        item: dict[str, Any] = {}
        col = 0
        for name, cell in zip(header, row, strict=True):
            path = (kind, index) + tuple(name.split(".", 1))
            sources.record(path, n, col)
            col += len(cell) + 1
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
