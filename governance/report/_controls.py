"""The control catalogue's formats (`govern controls --format F`) and what they share: how a status, a
control's checks, its citations and a framework's coverage read in the view's language.

A format module defines `render(view: ControlsView | FrameworkView, options: RenderOptions) -> str`
and reads nothing but the view (evaluate/controls.py builds it): without `--framework` the catalogue,
with it the framework's requirements. `render_controls` is the one way in, for `govern controls` and
for any command that writes a framework's view to a file (`render_controls("markdown", view, options)`).
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from governance import frameworks
from governance.report._escape import json_document
from governance.result import REQUIREMENT_STATUSES, STANDINGS, ControlsView, FrameworkView, Standing, ViewControl
from governance.vocabulary import Messages, localized

if TYPE_CHECKING:  # the package imports this module
    from governance.report import RenderOptions

View = ControlsView | FrameworkView
ControlsRenderer = Callable[[View, "RenderOptions"], str]
_MODULES = {"table": "_controls_table", "csv": "_controls_csv", "markdown": "_controls_markdown"}
CONTROLS_FORMATS: tuple[str, ...] = ("table", "json", "csv", "markdown")


def render_controls(fmt: str, view: View, options: RenderOptions) -> str:
    """The catalogue or a framework's view in format `fmt` (one of CONTROLS_FORMATS)."""
    if fmt not in CONTROLS_FORMATS:
        raise ValueError(f"unknown controls format {fmt!r} (known: {', '.join(CONTROLS_FORMATS)})")
    if fmt == "json":
        return json_document(view.to_json())
    renderer: ControlsRenderer = importlib.import_module(f"governance.report.{_MODULES[fmt]}").render
    return renderer(view, options)


# ---------------------------------------------------------------- what the formats share

def status(value: Standing | None, m: Messages) -> str:
    """A control's or check's standing; none (not in the run) is not evaluated, as a requirement would be."""
    return m.name(value, "statuses") if value else m.name("not_evaluated", "requirement_statuses")


def title(titles: dict[str, str], m: Messages) -> str:
    return localized(titles, m.lang)


def standing(what: str, value: Standing | None, m: Messages) -> str:
    """GOV-001 (pass) / GOV-001（通过）: the brackets of the language, as the standing's own name has them."""
    return m.text("controls.standing", what=what, status=status(value, m))


def checks(control: ViewControl, m: Messages) -> str:
    """GOV-001 (pass), GOV-002 (fail) / GOV-001（通过）、GOV-002（未通过）."""
    return m.text("controls.separator").join(standing(c.id, c.status, m) for c in control.checks)


def references(control: ViewControl, m: Messages) -> str:
    """手册 §1.3.2; ISO/IEC 27001:2022 A.5.2; …"""
    return "; ".join(frameworks.display(c.framework, c.clause, m.lang) for c in control.references)


def heading(view: View, m: Messages) -> str:
    as_of = view.as_of or "-"
    if isinstance(view, FrameworkView):
        return m.text("controls.framework_title", workspace=view.workspace, as_of=as_of,
                      framework=frameworks.title(view.framework, m.lang))
    return m.text("controls.title", workspace=view.workspace, as_of=as_of)


def counted(counts: dict[str, int], category: str, m: Messages) -> str:
    return m.text("controls.separator").join(m.text("controls.count", status=m.name(key, category), count=n)
                                              for key, n in counts.items())


def footer(view: ControlsView, m: Messages) -> str:
    """How many controls and checks; with a run, how many controls stand in each standing."""
    evidence = {c.id for control in view.controls for c in control.checks}
    line = m.text("controls.footer", controls=len(view.controls), checks=len(evidence))
    if view.as_of is None:
        return line
    seen = Counter(c.status for c in view.controls)
    counts: dict[str, int] = {s: seen[s] for s in STANDINGS if seen[s] or s in ("fail", "pass", "not_applicable")}
    shown = counted(counts, "statuses", m)
    if seen[None]:
        shown += m.text("controls.separator") + counted({"not_evaluated": seen[None]}, "requirement_statuses", m)
    return line + " · " + m.text("controls.in_run", counts=shown)


def coverage(view: FrameworkView, m: Messages) -> str:
    counts: dict[str, int] = {s: getattr(view.coverage, s) for s in REQUIREMENT_STATUSES}
    return m.text("controls.cited", count=view.coverage.cited, counts=counted(counts, "requirement_statuses", m))


def citation(view: FrameworkView, clause: str, m: Messages) -> str:
    return frameworks.display(view.framework, clause, m.lang)
