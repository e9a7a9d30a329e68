"""One evaluation, start to finish: workspace → OPA → findings → `RunResult`."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Callable

from governance import __version__, library
from governance.evaluate import budget as budget_
from governance.evaluate import findings as findings_
from governance.evaluate import policy as policy_
from governance.result import ControlRecord, Engine, InputFile, Run, RunResult, Tool, rollup, summarize
from governance.load.files import relative
from governance.model import Workspace, load_workspace


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def load(path: Path | str) -> Workspace:
    return load_workspace(path, library_controls=library.control_files())


def validate(path: Path | str) -> tuple[Workspace, policy_.Policy]:
    """Everything `check` checks before evaluating: files, models, references, and
    every Rego module compiled (so `validate` and `check` agree on validity)."""
    ws = load(path)
    return ws, policy_.compile_policy(ws)


def run_check(path: Path | str, as_of: dt.date, *, fail_on: str | None = None,
              progress: Callable[[str], None] = lambda _: None, **engine_options) -> RunResult:
    """One evaluation. `engine_options` go to the engine: opa_url, timeout, token, ca, opa_versions."""
    started = _now()
    progress("loading workspace")
    ws, policy = validate(path)
    input_doc = {"as_of": as_of.isoformat(), "inventory": ws.inventory_input(), "waivers": ws.waivers_input()}
    progress("evaluating on OPA")
    engine = policy_.evaluate(policy, ws.definitions(), input_doc, **engine_options)
    progress("collecting findings")
    findings, checks, waivers = findings_.build(ws, engine.checks)
    return RunResult(
        workspace=ws.name,
        as_of=as_of.isoformat(),
        fail_on=fail_on or ws.manifest.fail_on,
        run=Run(started_at=started, finished_at=_now()),
        tool=Tool(version=__version__),
        engine=Engine(opa_version=engine.opa_version, policy_revision=engine.revision),
        inputs=_inputs(ws),
        library=library_files(),
        findings=findings,
        checks=checks,
        controls=_controls(ws, checks),
        waivers=waivers,
        summary=summarize(findings, checks),
        budget=budget_.summarize(ws),
    )


def _inputs(ws: Workspace) -> list[InputFile]:
    files = [InputFile(path=d.rel, sha256=d.sha256) for d in ws.documents]
    files += [InputFile(path=s.rel, sha256=s.sha256) for s in ws.rego_sources]  # the bytes compiled, not re-read
    return sorted(files, key=lambda f: f.path)


def library_files() -> list[InputFile]:
    """The built-in Rego modules and control catalogues, hashed: part of the evidence of what ran."""
    root = library.library_root()
    paths = library.rego_modules() + library.control_files()
    return sorted((InputFile(path=relative(root, p), sha256=hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths),
                  key=lambda f: f.path)


def _controls(ws: Workspace, checks) -> list[ControlRecord]:
    status = {c.id: c.status for c in checks}
    out = []
    for control in sorted(ws.controls.values(), key=lambda c: c.id):
        overall = rollup(status.get(c, "not_applicable") for c in control.checks)
        out.append(ControlRecord(id=control.id, title=control.title.model_dump(), checks=list(control.checks),
                                 references=control.references, status=overall))
    return out
