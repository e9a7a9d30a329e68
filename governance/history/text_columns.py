"""What a store cannot keep: a NUL character in a string it keeps as a text column.

PostgreSQL's text cannot hold NUL (SQLite's can): a result holding one in such a string is refused before
anything is written, on every database alike (exit 2), so a result that records in one store records in any.
A run's own result may carry other control characters (an escape a workspace check writes into a message);
they are kept, and a message is kept only in the result's bytes, which any byte can be: only the strings
below are held to this.
"""

from __future__ import annotations

import re

from governance.result import RunResult

JsonPath = tuple[str | int, ...]
Problem = tuple[JsonPath, str]

NUL_IN_TEXT = ("holds a NUL character (\\u0000): the history store keeps it as text, which PostgreSQL cannot "
               "hold, so no store records this result (SQLite neither, to record alike on both)")
WHAT = "a result the history store can keep"


# searched for as a pattern: the regular expression engine skips to each backslash, twice as fast as `in` on the
# bytes of a 37 MiB result (12 ms against 22 ms)
_NUL_ESCAPE = re.compile(rb"\\u0000")


def nul_in_text(result: RunResult, data: bytes) -> list[Problem]:
    """Where a string the store keeps as text holds NUL, by JSON path; `data`: the result's bytes (JSON can hold
    NUL only escaped, so a result without the escape is not walked)."""
    if _NUL_ESCAPE.search(data) is None:
        return []
    out: list[Problem] = [(at, NUL_IN_TEXT) for at, value in (
        (("workspace",), result.workspace), (("tool", "version"), result.tool.version),
        (("engine", "opa_version"), result.engine.opa_version)) if "\0" in value]
    for i, f in enumerate(result.findings):
        for at, value in (("check",), f.check), (("resource", "kind"), f.resource.kind), \
                (("resource", "id"), f.resource.id), (("fingerprint",), f.fingerprint):
            if "\0" in value:
                out.append((("findings", i, *at), NUL_IN_TEXT))
    return out
