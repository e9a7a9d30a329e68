"""`govern controls --format table`: the catalogue, or a framework's requirements, for a person at a terminal.

Values (ids, titles, citations) are shown as written, escaped, never read as rich markup; the labels and
the names of statuses are the vocabulary's, in the view's language."""

from __future__ import annotations

import io
import shutil
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from governance.report import _controls as shared
from governance.report._escape import visible
from governance.result import ControlsView, FrameworkView
from governance.vocabulary import Messages, messages

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

STYLE = {"fail": "bold red", "not_satisfied": "bold red", "pass": "green", "advisory": "green", "satisfied": "green",
         "not_applicable": "dim", "skipped": "yellow", "not_evaluated": "yellow"}


def render(view: ControlsView | FrameworkView, options: RenderOptions) -> str:
    m = messages(options.lang)
    buf = io.StringIO()
    # on a terminal, fit it; in a file or CI log, a fixed width keeps output stable
    width = shutil.get_terminal_size((options.width, 24)).columns if options.color else options.width
    console = Console(file=buf, width=width, force_terminal=options.color, color_system="standard" if options.color else None)
    if isinstance(view, FrameworkView):
        console.print(_requirements(view, m))
        console.print(_plain(shared.coverage(view, m)))
    else:
        console.print(_catalogue(view, m))
        console.print(_plain(shared.footer(view, m)))
    return buf.getvalue()


def _catalogue(view: ControlsView, m: Messages) -> Table:
    t = Table(title=_plain(shared.heading(view, m)), title_justify="left", show_lines=True)
    columns = [m.text("control"), m.text("control_title"), m.text("checks"), m.text("controls.references")]
    for column in columns + ([m.text("status")] if view.as_of is not None else []):
        t.add_column(column, overflow="fold")
    for c in view.controls:
        row = [_plain(c.id), _plain(shared.title(c.title, m)), _plain(shared.checks(c, m)), _plain(shared.references(c, m))]
        if view.as_of is not None:
            row.append(_plain(shared.status(c.status, m), STYLE.get(c.status or "not_evaluated", "")))
        t.add_row(*row)
    return t


def _requirements(view: FrameworkView, m: Messages) -> Table:
    t = Table(title=_plain(shared.heading(view, m)), title_justify="left", show_lines=True)
    for column in (m.text("requirement"), m.text("status"), m.text("controls.evidence")):
        t.add_column(column, overflow="fold")
    for r in view.requirements:
        evidence = "\n".join(m.text("controls.evidenced_by", checks=shared.checks(c, m),
                                     control=shared.standing(f"{c.id} {shared.title(c.title, m)}", c.status, m))
                             for c in r.controls)
        t.add_row(_plain(shared.citation(view, r.clause, m)),
                  _plain(m.name(r.status, "requirement_statuses"), STYLE.get(r.status, "")), _plain(evidence))
    return t


def _plain(value: str, style: str = "") -> Text:
    """Workspace and result text shown as written: rich reads no markup in a Text ("[/]" stays "[/]")."""
    return Text(visible(value), style=style)
