"""The control catalogue with each control's standing in a run, and one framework's view of it: each clause
the catalogue cites, the controls that cite it, their checks, and the clause's status
(docs/audit.md, "Frameworks and the controls view").

The catalogue is the workspace's (built-in controls and its own); the standings are the run's, read as
every report reads them (an unwaived finding that is only advice leaves its check passing with
advisories). A control or check the run does not hold has no standing: not evaluated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Unpack

from governance import frameworks
from governance.engine import EngineError, EngineOptions
from governance.evaluate.run import load, run_check
from governance.model import Workspace
from governance.result import (
    ControlsView,
    RunResult,
    Standing,
    ViewCheck,
    ViewControl,
    check_standings,
    control_standing,
)


def evaluated(path: Path | str, as_of: dt.date, progress: Callable[[str], None] = lambda _: None,
              **engine_options: Unpack[EngineOptions]) -> tuple[RunResult, Workspace]:
    """A fresh run of the workspace at `path`, and the workspace whose catalogue it evaluated: loaded first, so
    an invalid workspace is exit 2 before OPA starts. The workspace is read twice; a file changed in between
    would mix two versions of the catalogue in one view, so that is an engine failure (exit 3), never a view."""
    progress("loading the workspace's controls")
    ws = load(path)
    result = run_check(path, as_of, progress=progress, **engine_options)
    read = {(d.rel, d.sha256) for d in ws.documents} | {(s.rel, s.sha256) for s in ws.rego_sources}
    if read != {(f.path, f.sha256) for f in result.inputs}:
        raise EngineError("the workspace changed while it was evaluated (its files differ between two reads); run it again")
    return result, ws


def controls_view(ws: Workspace, result: RunResult | None) -> ControlsView:
    """Every control of `ws`, by id, with its standing and its checks' in `result` (None: no run)."""
    checks: dict[str, Standing] = check_standings(result.checks, result.fail_on) if result else {}
    titles = {c.id: {"zh": c.title_zh or c.title, "en": c.title} for c in result.checks} if result else {}
    recorded = {c.id: c for c in result.controls} if result else {}
    out = []
    for control in sorted(ws.controls.values(), key=lambda c: c.id):
        record = recorded.get(control.id)
        out.append(ViewControl(
            id=control.id, title=control.title.model_dump(), domain=control.domain,
            status=control_standing(record, checks) if record is not None else None,
            checks=[ViewCheck(id=c, title=titles.get(c, {}), status=checks.get(c)) for c in control.checks],
            references=list(frameworks.citations(control.references))))
    return ControlsView(workspace=ws.name, as_of=result.as_of if result else None, controls=out)
