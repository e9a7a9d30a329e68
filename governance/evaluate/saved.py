"""Reading files a user hands back to govern: saved results and evidence manifests.

Such a file is user input: `govern report` renders it, `verify` vouches for
it, `aggregate` and `check --baseline` count with it. So every reader takes it
through here, and it is validated whole before anything is done with it:
JSON read as strictly as a workspace file, every field in its type (real
dates, counts that are not negative, words from the vocabulary), and the
result agreeing with itself (coherence.py). Every problem is a
`ResultFileError` naming `file:line:col` in it (exit 2), never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from governance.evaluate.coherence import Problem, manifest_problems, result_problems
from governance.load import SourceMap, WorkspaceErrors, collector_paused, json_positions, json_values
from governance.result import EVIDENCE_KIND, SCHEMA_VERSION, Manifest, RunResult
from governance.text import first_surrogate, one_line

MAX_SHOWN = 20  # problems listed; a result edited by hand wrong everywhere would otherwise flood the terminal
RESULT = "a govern JSON result (expected the output of `govern check --format json`)"
RESULT_OR_MANIFEST = "a govern result or evidence manifest"


class ResultFileError(Exception):
    """A file given as a saved result that cannot be read as one (exit 2); one line per problem."""


def read_bytes(path: Path) -> bytes:
    """The file's bytes, read once (a pipe cannot be read twice)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ResultFileError(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_json(path: Path, what: str, raw: bytes | None = None) -> Any:
    """The parsed JSON of `path` (of `raw`, its bytes if already read), not validated (read_result and
    read_recorded validate); `what` says what the file should have been, for messages."""
    return _read(path, what, raw)[0]


def read_result(path: Path | str, raw: bytes | None = None) -> RunResult:
    """A saved JSON result, validated whole (`govern report`, `check --baseline`, `aggregate`); `raw`: its
    bytes, when the caller read them already (to hash what it read)."""
    path = Path(path)
    doc, text = _read(path, RESULT, raw)
    if not isinstance(doc, dict) or "findings" not in doc or "schema_version" not in doc:
        raise ResultFileError(f"{path}:1:1: not {RESULT}: no `schema_version` and `findings`")
    return _valid(path, doc, text, RunResult, result_problems, RESULT)


def read_recorded(path: Path | str, raw: bytes | None = None) -> tuple[dict[str, Any], RunResult | None]:
    """A saved result or an evidence manifest (`govern verify`), validated whole: its plain JSON, and the
    result itself when it is one."""
    path = Path(path)
    doc, text = _read(path, RESULT_OR_MANIFEST, raw)
    # a document with findings or checks is a result whatever its `kind` says: read as a manifest, its
    # findings would be ignored, and a result stripped of its failures would pass for evidence
    if isinstance(doc, dict) and ("findings" in doc or "checks" in doc):
        return doc, _valid(path, doc, text, RunResult, result_problems, RESULT_OR_MANIFEST)
    if isinstance(doc, dict) and doc.get("kind") == EVIDENCE_KIND:
        _valid(path, doc, text, Manifest, manifest_problems, RESULT_OR_MANIFEST)
        return doc, None
    raise ResultFileError(f"{path}:1:1: not {RESULT_OR_MANIFEST}: neither `findings` nor `kind: {EVIDENCE_KIND}`")


def result_refused(path: Path | str, raw: bytes, problems: list[Problem], what: str) -> ResultFileError:
    """A result `read_result` accepted, refused by a reader's own rule (`what` it is not, for the last line):
    each problem (its JSON path, what is wrong) at its file:line:col in `raw`, the file's bytes."""
    return _error(Path(path), raw.decode("utf-8-sig"), problems, what)


def _read(path: Path, what: str, raw: bytes | None = None) -> tuple[Any, str]:
    with collector_paused():
        return _parsed(path, what, raw)


def _parsed(path: Path, what: str, raw: bytes | None) -> tuple[Any, str]:
    try:
        text = (read_bytes(path) if raw is None else raw).decode("utf-8-sig")  # tolerate a BOM added by an editor
    except UnicodeDecodeError:
        raise ResultFileError(f"{path}:1:1: not {what}: not UTF-8 text") from None
    try:
        return json_values(text, str(path)), text
    except WorkspaceErrors as exc:  # syntax, a duplicate key, NaN, nested too deep: at its place
        raise ResultFileError("\n".join(f"{e}; not {what}" for e in exc.errors)) from None


M = TypeVar("M", bound=BaseModel)


def _valid(path: Path, doc: dict, text: str, model: type[M], coherence: Callable[[M], list[Problem]], what: str) -> M:
    """`doc` as `model`, if its fields are well typed and it agrees with itself; else every problem at its place."""
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= SCHEMA_VERSION:
        where = _positions(text, path).locate(("schema_version",))
        raise ResultFileError(f"{where}: schema_version {version!r} is not supported (this govern reads 1 to "
                              f"{SCHEMA_VERSION}); re-run the newer govern or upgrade")
    unwritable = _lone_surrogates(doc, ()) if _SURROGATE_ESCAPE.search(text) else []
    if unwritable:
        raise _error(path, text, unwritable, what)
    try:
        with collector_paused():  # a result's models are acyclic: collections set off by making them find nothing
            value = model.model_validate(doc)
            problems = coherence(value)
    except ValidationError as exc:
        # a dict key's error ends its path with "[key]": the path up to the key already names it
        problems = [(tuple(p for p in e["loc"] if p != "[key]"), _message(e)) for e in exc.errors()]
    else:
        if not problems:
            return value
    raise _error(path, text, problems, what)


# A lone surrogate can reach a JSON document only as a \u escape (UTF-8 text cannot hold one); a pair
# (an emoji written as two escapes) decodes to one character and is fine, so the escape only says where to look.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _lone_surrogates(doc: Any, at: tuple[str | int, ...]) -> list[Problem]:
    """Where a string (a key or a value) holds a lone surrogate: no report can write it (UTF-8 has no
    encoding for it), and a workspace never gives one to a result (the loader refuses it)."""
    if isinstance(doc, str):
        return [(at, "holds a lone surrogate (a \\ud800-\\udfff escape with no pair), which no text can carry")] \
            if first_surrogate(doc) is not None else []
    if isinstance(doc, dict):
        found = [(at, f"the key {one_line(k)!r} holds a lone surrogate") for k in doc if first_surrogate(k) is not None]
        return found + [p for k, v in doc.items() for p in _lone_surrogates(v, (*at, k))]
    if isinstance(doc, list):
        return [p for i, v in enumerate(doc) for p in _lone_surrogates(v, (*at, i))]
    return []


def _positions(text: str, path: Path) -> SourceMap:
    """Positions are scanned only for a file with problems: a large valid result never pays for them."""
    try:
        return json_positions(text, str(path))
    except WorkspaceErrors as exc:  # nested deeper than any file govern reads
        raise ResultFileError("\n".join(str(e) for e in exc.errors)) from None


def _message(error: Any) -> str:
    """pydantic's words for a field's error, with the value when it is short enough to show."""
    why = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    if error["type"] != "missing" and isinstance(value, (str, int, float, bool)) and len(repr(value)) <= 60 \
            and repr(value) not in why:
        why += f" (got {value!r})"
    return why


def _error(path: Path, text: str, problems: list[Problem], what: str) -> ResultFileError:
    """Every problem at the place in the file its JSON path names, first in the file first."""
    sources = _positions(text, path)
    placed = sorted({(sources.locate(at), _shown(at), why) for at, why in problems})
    lines = [f"{where}: {shown}: {why}" if shown else f"{where}: {why}" for where, shown, why in placed[:MAX_SHOWN]]
    if len(placed) > MAX_SHOWN:
        lines.append(f"{path}: … and {len(placed) - MAX_SHOWN} more problem(s)")
    lines.append(f"{path}: not {what}: {len(placed)} problem(s)")
    return ResultFileError("\n".join(lines))


def _shown(at: tuple[str | int, ...]) -> str:
    """A JSON path as a reader finds it in the file: findings[3].waiver."""
    out = ""
    for part in at:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
