"""`govern controls --format markdown`: the catalogue, or a framework's requirements with their coverage,
as a page an auditor files (the audit pack's `controls-<framework>.md`). Every value is escaped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.report import _controls as shared
from governance.report._escape import markdown_table, markdown_text
from governance.result import ControlsView, FrameworkView
from governance.vocabulary import Messages, messages

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions


def render(view: ControlsView | FrameworkView, options: RenderOptions) -> str:
    m = messages(options.lang)
    lines = [f"# {markdown_text(shared.heading(view, m))}", ""]
    lines += _requirements(view, m) if isinstance(view, FrameworkView) else _catalogue(view, m)
    return "\n".join(lines) + "\n"


def _catalogue(view: ControlsView, m: Messages) -> list[str]:
    header = [m.text("control"), m.text("control_title"), m.text("checks"), m.text("controls.references")]
    rows = [[c.id, shared.title(c.title, m), shared.checks(c, m), shared.references(c, m)] for c in view.controls]
    if view.as_of is not None:
        header.append(m.text("status"))
        for row, c in zip(rows, view.controls, strict=True):
            row.append(shared.status(c.status, m))
    return markdown_table(header, rows) + ["", markdown_text(shared.footer(view, m))]


def _requirements(view: FrameworkView, m: Messages) -> list[str]:
    if not view.requirements:
        return [markdown_text(m.text("controls.none_cited"))]
    header = [m.text("requirement"), m.text("status"), m.text("control"), m.text("control_title"), m.text("checks")]
    rows = []
    for r in view.requirements:
        for c in r.controls:  # one row per control citing it, each naming the requirement: a row read alone says it all
            rows.append([shared.citation(view, r.clause, m), m.name(r.status, "requirement_statuses"),
                         shared.standing(c.id, c.status, m), shared.title(c.title, m), shared.checks(c, m)])
    return markdown_table(header, rows) + ["", f"## {markdown_text(m.text('controls.coverage'))}", "",
                                           markdown_text(shared.coverage(view, m)), "",
                                           markdown_text(m.text("controls.status_rule"))]
