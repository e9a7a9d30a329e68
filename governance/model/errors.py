"""Turn pydantic's validation errors into `file:line:col: message` lines."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from governance.load import Path_, SourceMap, WorkspaceError


def from_validation(exc: ValidationError, sources: SourceMap, prefix: Path_) -> list[WorkspaceError]:
    out = []
    errors = exc.errors()
    # a Number (whole | decimal) that is neither: "a valid number" says it all, "a valid integer" adds nothing
    decimal_failed = {err["loc"][:-1] for err in errors if err["loc"][-1:] == ("float",)}
    for err in errors:
        if _is_other_union_branch(err) or (err["loc"][-1:] == ("int",) and err["loc"][:-1] in decimal_failed):
            continue
        loc = tuple(p for p in err["loc"] if p not in UNION_TAGS)
        where = sources.locate(prefix + loc)
        field = ".".join(str(p) for p in loc) or "entry"
        out.append(WorkspaceError(where, _describe(err, field)))
    return out


# pydantic puts the union member it tried into `loc`; users never wrote those.
UNION_TAGS = {"str", "int", "float", "bool", "DatasetRef"}


def _is_other_union_branch(err: ErrorDetails) -> bool:
    # `datasets: [{id: x, bogus: 1}]` fails both as a string and as a DatasetRef;
    # only the DatasetRef complaint says anything useful.
    return "str" in err["loc"] and isinstance(err.get("input"), dict)


def _describe(err: ErrorDetails, field: str) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"unknown field '{field}'"
    if kind == "missing":
        return f"missing required field '{field}'"
    value = err.get("input")
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()  # as the user wrote it, not datetime.date(1899, 12, 31)
    shown = "" if isinstance(value, (dict, list)) else f" (got {_short(repr(value))})"
    return f"{field}: {err['msg']}{shown}"


def _short(text: str) -> str:
    """A value as a message quotes it: a 64 KiB one is not repeated whole."""
    return text if len(text) <= 80 else f"{text[:60]}… ({len(text):,} characters)"
