"""Reading files a user hands back to govern: saved results and evidence manifests.

Such a file is user input, so every problem is a `ResultFileError` that
names the file (exit 2), never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class ResultFileError(Exception):
    """A file given as a saved result that cannot be read as one (exit 2)."""


def read_bytes(path: Path) -> bytes:
    """The file's bytes, read once (a pipe cannot be read twice)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ResultFileError(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_json(path: Path, what: str, raw: bytes | None = None) -> Any:
    """The parsed JSON of `path` (of `raw`, its bytes if already read); `what` says what the file
    should have been, for messages."""
    try:
        text = (read_bytes(path) if raw is None else raw).decode("utf-8-sig")  # tolerate a BOM added by an editor
    except UnicodeDecodeError:
        raise ResultFileError(f"{path}:1:1: not {what}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultFileError(f"{path}:{exc.lineno}:{exc.colno}: JSON syntax error: {exc.msg}; not {what}") from None
