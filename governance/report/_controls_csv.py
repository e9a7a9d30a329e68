"""`govern controls --format csv`: the catalogue, one row per control, or a framework's requirements, one row
per requirement and control citing it (the audit pack's `controls-<framework>.csv`), for spreadsheets.

UTF-8 with a byte-order mark (Excel reads BOM-less CSV in the local code page). Titles and citations are
in the view's language; statuses, ids and keys are values, as the JSON writes them (an empty status: not
evaluated). The coverage is not a row: a spreadsheet counts the rows (the Markdown and JSON state it)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from governance.report import _controls as shared
from governance.report._escape import visible
from governance.result import ControlsView, FrameworkView, ViewControl
from governance.vocabulary import messages

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

BOM = "\ufeff"
CATALOGUE = ("control", "title", "domain", "status", "checks", "references")
REQUIREMENTS = ("framework", "clause", "citation", "requirement_status", "control", "control_title", "control_status",
                "checks")
# A cell starting with one of these is run as a formula by Excel; ids and titles are user input.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(view: ControlsView | FrameworkView, options: RenderOptions) -> str:
    m = messages(options.lang)
    buf = io.StringIO()
    writer = csv.writer(buf)  # RFC 4180: quoted as needed, CRLF rows
    if isinstance(view, FrameworkView):
        writer.writerow(REQUIREMENTS)
        for r in view.requirements:
            for c in r.controls:
                writer.writerow([_cell(v) for v in (view.framework, r.clause, shared.citation(view, r.clause, m), r.status,
                                                    c.id, shared.title(c.title, m), c.status or "", _checks(c))])
    else:
        writer.writerow(CATALOGUE)
        for c in view.controls:
            writer.writerow([_cell(v) for v in (c.id, shared.title(c.title, m), c.domain or "", c.status or "", _checks(c),
                                                shared.references(c, m))])
    return BOM + buf.getvalue()


def _checks(control: ViewControl) -> str:
    """GOV-001:pass;GOV-002:fail (a check not in the run: its id alone)."""
    return ";".join(f"{c.id}:{c.status}" if c.status else c.id for c in control.checks)


def _cell(value: str) -> str:
    text = visible(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
