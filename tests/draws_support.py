"""What the random workspace generators of the differential tests share: how a draw leans one way, and how a
field is left out of a generated file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

ABSENT = object()  # a field left out of the file (None is written as null)


def text(d: dt.date) -> str:
    return d.isoformat()


def put(doc: dict[str, Any], key: str, value: object) -> None:
    """`value` under `key`, unless it is ABSENT (the field is left out)."""
    if value is not ABSENT:
        doc[key] = value


# Hypothesis favours the smallest value a draw can take (0, False, an empty list): the common case is
# drawn as the smallest, the rare one as the largest.
def often(draw: st.DrawFn) -> bool:
    """True about three times in four."""
    return draw(st.integers(0, 3)) != 3


def rarely(draw: st.DrawFn, one_in: int) -> bool:
    """True about once in `one_in`."""
    return draw(st.integers(0, one_in - 1)) == one_in - 1
