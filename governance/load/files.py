"""Finding workspace files and reading each one into a `Document`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.load.csv_tree import parse_csv
from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.json_tree import parse_json
from governance.load.tree import SourceMap, parse_yaml

SUFFIXES = {".yaml", ".yml", ".json", ".csv"}


@dataclass
class Document:
    """One input file: its parsed tree, where each node was, and its hash."""

    path: Path  # absolute
    rel: str  # as shown to users: relative to the workspace root, posix
    data: Any
    sources: SourceMap
    sha256: str = field(default="")


def discover(root: Path, entries: list[str], manifest_loc: Location) -> list[Path]:
    """Expand the manifest's files-or-folders into a sorted list of files.

    A listed path that does not exist is an error: a typo in the manifest must
    not quietly drop a folder of rules.
    """
    found: list[Path] = []
    errors: list[WorkspaceError] = []
    for entry in entries:
        path = (root / entry).resolve()
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            errors.append(WorkspaceError(manifest_loc, f"'{entry}' does not exist"))
    if errors:
        raise WorkspaceErrors(errors)
    return found


def relative(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_document(root: Path, path: Path) -> Document:
    raw = path.read_bytes()
    rel = relative(root, path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorkspaceErrors([WorkspaceError(Location(rel), f"not UTF-8 text: {exc.reason} at byte {exc.start}")])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data, sources = parse_csv(text, rel, kind=path.stem)
    elif suffix == ".json":
        data, sources = parse_json(text, rel)
    else:
        data, sources = parse_yaml(text, rel)
    return Document(path=path, rel=rel, data=data, sources=sources, sha256=hashlib.sha256(raw).hexdigest())
