"""Finding workspace files and reading each one into a `Document`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.load.characters import as_text
from governance.load.csv_tree import parse_csv
from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.json_tree import parse_json
from governance.load.paths import MISSING, PathProblem, expand
from governance.load.tree import SourceMap, parse_yaml

SUFFIXES = {".yaml", ".yml", ".json", ".csv"}


@dataclass
class Document:
    """One input file: its parsed tree, where each node was, and its hash."""

    path: Path  # absolute
    rel: str  # as shown to users: relative to the workspace root, posix (or a label such as <govern>/…)
    data: Any
    sources: SourceMap
    sha256: str = field(default="")


def discover(root: Path, entries: list[tuple[str, Location]], suffixes: set[str],
             accept: Callable[[str], bool] | None = None,
             optional: bool = False) -> tuple[list[Path], list[WorkspaceError]]:
    """Expand manifest entries, each with the place it was written, into the real
    paths of the files they name, in order; and an error for each entry or link
    that cannot be used.

    A listed path that does not exist is an error: a typo in the manifest must
    not quietly drop a folder of rules. `optional` entries (defaults the manifest
    does not name) may be missing. Inside folders, `accept` picks files by name.
    """
    accept = accept or (lambda name: Path(name).suffix.lower() in suffixes)
    found: list[Path] = []
    errors: list[WorkspaceError] = []
    for entry, where in entries:
        try:
            files, problems = expand(root, entry, accept)
        except PathProblem as exc:
            if not (optional and exc.reason == MISSING and exc.link is None):
                errors.append(WorkspaceError(where, exc.message(entry)))
            continue
        found += [p for p in files if p.suffix.lower() in suffixes]
        errors += [WorkspaceError(Location(rel), message) for rel, message in problems]
    return found, errors


def relative(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: Path, rel: str, encoding: str = "utf-8-sig") -> tuple[bytes, str]:
    """The bytes (to hash) and the text of one input; errors name `rel`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WorkspaceErrors([WorkspaceError(Location(rel), f"cannot be read: {exc.strerror}")]) from None
    try:
        return raw, raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise WorkspaceErrors([WorkspaceError(Location(rel), f"not UTF-8 text: {exc.reason} at byte {exc.start}")]) from None


def read_document(root: Path, path: Path, rel: str | None = None) -> Document:
    """`path` parsed by its suffix, its strings held to the text rules (characters.py); errors
    name `rel` (by default, `path` relative to `root`)."""
    rel = rel if rel is not None else relative(root, path)
    raw, text = read_text(path, rel)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data, sources = parse_csv(text, rel, kind=path.stem)
    elif suffix == ".json":
        data, sources = parse_json(text, rel)
    else:
        data, sources = parse_yaml(text, rel)
    data = as_text(raw, text, data, sources)
    return Document(path=path, rel=rel, data=data, sources=sources, sha256=hashlib.sha256(raw).hexdigest())
