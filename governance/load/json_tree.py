"""JSON files → plain values + positions, refusing what Python's reader lets through.

Values come from the strict (and fast) json module, so a JSON file never gets
YAML's looser reading; positions from a token scan of the same text
(json_positions.py). The json module accepts `NaN`, `Infinity` and `1e999`,
which no JSON document may hold and OPA could not be sent, and it recurses
once per nesting level: both end here as errors at their file:line:col.
"""

from __future__ import annotations

import json
import math
from typing import Any, NoReturn

from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.json_positions import first_literal, json_positions, location
from governance.load.limits import NON_FINITE, TOO_DEEP
from governance.load.tree import SourceMap, parse_yaml


def parse_json(text: str, rel: str) -> tuple[Any, SourceMap]:
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
    return data, json_positions(text, rel)


def _error(where: Location, message: str) -> WorkspaceErrors:
    return WorkspaceErrors([WorkspaceError(where, message)])


class _DuplicateKey(ValueError):
    pass


class _NonFinite(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
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
