"""`--format csv`: one row per finding, for spreadsheets.

UTF-8 with a byte-order mark, because Excel reads BOM-less CSV in the local
ANSI code page and garbles Chinese names. The renderer returns bytes so the
BOM is written exactly once, whether to a file or to stdout. The message and
title columns are in the report's language (`--lang`): the check's Chinese
where it wrote one, else its English. The other columns are values, not prose.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from governance.report._escape import visible
from governance.result import Finding, RunResult
from governance.vocabulary import messages

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "csv"
BOM = "\ufeff"
COLUMNS = ("severity", "status", "check", "title", "resource_kind", "resource_id", "message",
           "file", "line", "column", "controls", "waiver", "fingerprint", "baseline")
# A cell starting with one of these is run as a formula by Excel; ids and messages are user input.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(result: RunResult, options: RenderOptions) -> bytes:
    m = messages(options.lang)
    titles = {c.id: m.title(c) for c in result.checks}
    buf = io.StringIO()
    writer = csv.writer(buf)  # RFC 4180: quoted as needed, CRLF rows
    writer.writerow(COLUMNS)
    for f in result.findings:
        writer.writerow(_row(f, titles.get(f.check, ""), m.said(f)))
    return (BOM + buf.getvalue()).encode("utf-8")


def _row(f: Finding, title: str, message: str) -> list:
    loc = f.location
    text = [f.severity, f.status, f.check, title, f.resource.kind, f.resource.id, message,
            loc.file if loc else ""]
    tail = [";".join(f.controls), f.waiver or "", f.fingerprint, f.baseline or ""]
    return [_cell(v) for v in text] + [loc.line if loc else "", loc.column if loc else ""] + [_cell(v) for v in tail]


def _cell(value: str) -> str:
    """A spreadsheet shows a cell's text raw: control, bidi and invisible characters are escaped (`visible`)."""
    text = visible(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
