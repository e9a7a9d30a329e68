"""One evaluation, start to finish: workspace → OPA → findings → `RunResult`."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Unpack

from governance import __version__, library
from governance.engine import EngineOptions, EngineResult
from governance.evaluate import actions as actions_
from governance.evaluate import apart as apart_
from governance.evaluate import budget as budget_
from governance.evaluate import diagnosis as diagnosis_
from governance.evaluate import findings as findings_
from governance.evaluate import policy as policy_
from governance.evaluate import readings
from governance.evaluate import selection as selection_
from governance.evaluate import strategy as strategy_
from governance.evaluate.git import git_state
from governance.evaluate.overlap import Overlap
from governance.load import WorkspaceErrors, relative
from governance.model import OnKind, Workspace, cadence, load_workspace
from governance.result import (
    CheckSummary,
    ControlRecord,
    DiagnosisSummary,
    DomainRecord,
    Engine,
    Finding,
    GitState,
    InputFile,
    Run,
    RunResult,
    Selection,
    Tool,
    rollup,
    sealed,
    summarize,
)


def now() -> str:
    """The run's clock, in the result's format (a run's start and end are its only timestamps)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def load(path: Path | str, on_kind: OnKind | None = None) -> Workspace:
    return load_workspace(path, library_controls=library.control_files(), on_kind=on_kind)


def validate(path: Path | str, overlap: Overlap | None = None) -> tuple[Workspace, policy_.Policy]:
    """Everything `check` checks before evaluating: files, models, references, every Rego
    module compiled, and the manifest's `skip:` (so `validate` and `check` agree on validity).
    `overlap`: the work the caller started while the workspace loads (`Overlap`), else this starts its own:
    OPA compiles the modules expected in `path` while the workspace loads; the loaded ones decide."""
    with nullcontext(overlap) if overlap is not None else Overlap(path, load) as running:
        ws = running.workspace()
        # The workspace lives as long as the run and holds no cycles; at 100k entities it is
        # millions of objects that every full collection walked again for nothing (2 s of the
        # input's serialisation alone). Frozen, the collector leaves them alone; refcounting still
        # frees them once unused.
        gc.freeze()
        policy = policy_.compile_policy(ws, running.compiling)
        running.settle()
    selection_.check_manifest(ws, policy)
    problems = actions_.address_problems(ws.inventory.actions, policy.checks, ws.locate)
    if problems:
        raise WorkspaceErrors(problems)
    return ws, policy


@dataclass(frozen=True)
class Prepared:
    """A workspace ready to evaluate: validated, its policy compiled, OPA's input built."""

    workspace: Workspace
    policy: policy_.Policy
    input: bytes  # OPA's input document as JSON: serialised once, sent as it is
    as_of: dt.date
    selection: Selection = field(default_factory=Selection)


def prepare(path: Path | str, as_of: dt.date, skip: Sequence[str] = (), skip_source: selection_.Source = "cli",
            overlap: Overlap | None = None) -> Prepared:
    """`skip`: check ids to leave out of the report besides the manifest's (`SkipRefused` if one cannot be).
    `overlap`: as for `validate` (started with this `as_of`: a workspace loaded apart built the input there)."""
    ws, policy = validate(path, overlap)
    chosen = selection_.select(ws, policy, skip, skip_source)
    input_json = overlap.input(ws, as_of.isoformat()) if overlap is not None else ws.input_json(as_of.isoformat())
    input_json = _with_skipped(input_json, [s.check for s in chosen.skipped])
    # what only the input needed goes here too, as it does loaded apart: a read of it fails every run alike
    ws = ws if overlap is not None and overlap.apart is not None else ws.after_input(apart_.KEPT)
    return Prepared(workspace=ws, policy=policy, input=input_json, as_of=as_of, selection=chosen)


def evaluate(prepared: Prepared, **engine_options: Unpack[EngineOptions]) -> EngineResult:
    """OPA's complete report on the prepared workspace. `engine_options` go to the engine:
    opa_url, timeout, token, ca, opa_versions."""
    if prepared.selection.skipped:  # the input written ahead lacks the skips: the whole input goes again
        engine_options["written"] = None
    return policy_.evaluate(prepared.policy, prepared.workspace.definitions(), prepared.input, **engine_options)


def _with_skipped(input_json: bytes, skipped: Sequence[str]) -> bytes:
    """The input with `skipped`, the checks this run leaves out, when it leaves any out: the ACT checks hold
    actions against this run's findings, and a skipped check has none (checks/actions.rego)."""
    if not skipped:
        return input_json
    return input_json[:input_json.rindex(b"}")] + b',"skipped":' + json.dumps(sorted(skipped)).encode() + b"}"


def assemble(prepared: Prepared, engine: EngineResult, *, started: str, fail_on: str | None = None,
             git: GitState | None = None) -> RunResult:
    """The run result: findings with waivers applied, roll-ups, evidence of what ran (`git`: the
    workspace's commit, `source_state`), and the digest of its verdict."""
    ws, policy = prepared.workspace, prepared.policy
    skipped = frozenset(s.check for s in prepared.selection.skipped)
    findings, checks, waivers = findings_.build(ws, engine.checks, policy.checks, skipped)
    fail_on = fail_on or ws.manifest.fail_on
    return sealed(RunResult(
        workspace=ws.name,
        as_of=prepared.as_of.isoformat(),
        fail_on=fail_on,
        run=Run(started_at=started, finished_at=now()),
        tool=Tool(version=__version__),
        engine=Engine(opa_version=engine.opa_version, policy_revision=engine.revision),
        inputs=_inputs(ws),
        library=library_files(policy, ws),
        git=git,
        findings=findings,
        checks=checks,
        domains=_domains(policy, checks),
        controls=_controls(ws, checks),
        waivers=findings_.named(waivers, ws.inventory.people),
        selection=prepared.selection,
        summary=summarize(findings, checks, fail_on),
        budget=budget_.summarize(ws.budget_policy, ws.inventory.projects, ws.inventory.spend, ws.inventory.decisions,
                                 prepared.as_of, _observed(policy, engine, readings.BUDGET_BANDS, skipped)),
        strategy=strategy_.summarize(ws.strategy_policy, ws.inventory.goals, ws.inventory.maturity_assessments,
                                     ws.inventory.projects, ws.inventory.people, findings,
                                     _observed(policy, engine, readings.PILOT_SCOPE, skipped),
                                     policy.observer(readings.OVERDUE_GOALS), skipped,
                                     progress=_observed(policy, engine, readings.GOAL_PROGRESS, skipped)),
        diagnosis=_diagnosis(ws, policy, engine, findings, skipped),
        cadence_days=cadence(ws.committees.values()),
        actions=actions_.records(ws.inventory.actions, ws.inventory.people),
    ))


def run_check(path: Path | str, as_of: dt.date, *, fail_on: str | None = None, skip: Sequence[str] = (),
              skip_source: selection_.Source = "cli", progress: Callable[[str], None] = lambda _: None,
              **engine_options: Unpack[EngineOptions]) -> RunResult:
    """One evaluation: prepare, evaluate on OPA, assemble. `skip`, from `skip_source`, adds to the manifest's."""
    started = now()
    progress("loading workspace")
    # the managed OPA starts with the expected policy, and OPA compiles it, while the workspace loads (overlap.py)
    with Overlap(path, load, as_of=as_of.isoformat(), opa=not engine_options.get("opa_url"),
                 timeout=engine_options.get("timeout")) as overlap:
        prepared = prepare(path, as_of, skip, skip_source, overlap)
        progress("evaluating on OPA")
        engine = evaluate(prepared, **(engine_options | overlap.engine_options()))
    progress("collecting findings")
    return assemble(prepared, engine, started=started, fail_on=fail_on, git=source_state(prepared.workspace))


def source_state(ws: Workspace) -> GitState | None:
    """The workspace's git commit and whether a file the run read differs from it (None outside git)."""
    return git_state(ws.root, [f.path for f in _inputs(ws)])


def _observed(policy: policy_.Policy, engine: EngineResult, reading: str,
              skipped: frozenset[str]) -> readings.Observed:
    """A reading for a report's chart: the check whose METADATA declares it, and what it measured;
    nothing of a skipped check is reported, this neither."""
    check_id = policy.observer(reading)
    if check_id in skipped:
        return readings.Observed(check_id, {})
    return readings.Observed(check_id, next((c.observations for c in engine.checks if c.id == check_id), {}))


def _diagnosis(ws: Workspace, policy: policy_.Policy, engine: EngineResult, findings: list[Finding],
               skipped: frozenset[str]) -> DiagnosisSummary | None:
    inv = ws.inventory
    return diagnosis_.summarize(ws.strategy_policy, inv.value_streams, inv.pain_points, inv.root_causes, inv.benchmarks,
                                inv.projects, inv.people, findings,
                                hand_offs=_observed(policy, engine, readings.HAND_OFFS, skipped),
                                unrooted_by=policy.observer(readings.UNROOTED_PAIN_POINTS),
                                removal=_observed(policy, engine, readings.ROOT_CAUSE_REMOVAL, skipped), skipped=skipped)


def _domains(policy: policy_.Policy, checks: list[CheckSummary]) -> list[DomainRecord]:
    """The domains of this run's checks, in reading order: declared order, then by id."""
    used = {c.domain for c in checks}
    records = [DomainRecord(id=d.id, title=d.title, order=d.order) for d in policy.domains.values() if d.id in used]
    records += [DomainRecord(id=d) for d in used - set(policy.domains)]
    return sorted(records, key=lambda d: (d.order is None, d.order or 0, d.id))


def _inputs(ws: Workspace) -> list[InputFile]:
    files = [InputFile(path=d.rel, sha256=d.sha256) for d in ws.documents]
    files += [InputFile(path=s.rel, sha256=s.sha256) for s in ws.rego_sources]  # the bytes compiled, not re-read
    return sorted(files, key=lambda f: f.path)


def library_files(policy: policy_.Policy | None = None, ws: Workspace | None = None) -> list[InputFile]:
    """The built-in Rego modules and control catalogues, hashed: part of the evidence of what ran.

    With the run's `policy` and `ws`, the bytes this run read and OPA evaluated, hashed once as they
    were read: a file changed on disk during the run cannot make the result contradict itself.
    Without them, the library as installed now (what `govern verify` compares a result with)."""
    root = library.library_root()
    if policy is None or ws is None:
        paths = library.rego_modules() + library.control_files()
        files = [InputFile(path=relative(root, p), sha256=hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths]
    else:
        files = [InputFile(path=relative(root, m.path), sha256=hashlib.sha256(m.text.encode("utf-8")).hexdigest())
                 for m in policy.modules if not m.id.startswith(policy_.WORKSPACE)]
        files += [InputFile(path=relative(root, d.path), sha256=d.sha256) for d in ws.library_documents]
    return sorted(files, key=lambda f: f.path)


def _controls(ws: Workspace, checks: list[CheckSummary]) -> list[ControlRecord]:
    status = {c.id: c.status for c in checks}
    out = []
    for control in sorted(ws.controls.values(), key=lambda c: c.id):
        overall = rollup(status.get(c, "not_applicable") for c in control.checks)
        out.append(ControlRecord(id=control.id, title=control.title.model_dump(), checks=list(control.checks),
                                 references=control.references, status=overall))
    return out
