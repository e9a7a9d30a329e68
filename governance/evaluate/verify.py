"""Does a saved result describe a workspace as it is now, and is its verdict the one a run gives? (`govern verify`)

An auditor holds a result (the JSON result or an evidence.json manifest) and a checkout of the
workspace. Verification, each part a function named after what it proves:

1. the result agrees with itself (held when it is read: saved.py, coherence.py): findings, checks,
   summary and the digest of the verdict add up; an evidence manifest's verdict is that of the JSON
   result it lists beside it;
2. the inputs are those of the record, without running OPA: the sha256 of every input it lists,
   no input it does not list, the policy revision, the library modules one by one, and the
   reports an evidence manifest lists beside it;
3. evaluating the workspace again (governance.evaluate.reevaluate), at the recorded `as_of` on the
   recorded OPA version, gives the same verdict, finding for finding. `inputs_only` skips this.

An audit pack (its evidence.json carries `pack`) is verified whole whichever of its files is named:
its folder holds what the evidence lists and nothing else, and every member is rendered from its
result.json (audit_pack.py). Verify does not take the evidence's word that a folder is no pack: an
evidence shaped as a pack's without `pack` is refused, and in any other set every listed report a
result alone renders is rendered again from the JSON result it lists, so a rewritten sha256 never suffices.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from governance import __version__
from governance.engine import policy_revision
from governance.evaluate import audit_pack, reevaluate, report_set, saved
from governance.evaluate.baseline import load_result
from governance.evaluate.policy import library_modules, workspace_modules
from governance.evaluate.run import library_files, load
from governance.evaluate.saved import ResultFileError, read_bytes
from governance.load import SUFFIXES, WorkspaceErrors, is_check
from governance.result import Engine, GitState, InputFile, RunResult, Selection, Tool, Verdict


class RenderedFrom(BaseModel):
    result: str  # sha256:<hex> of the result file `govern report` re-rendered


class Recorded(BaseModel):
    """The keys verification reads; a JSON result and an evidence manifest both have them."""

    model_config = ConfigDict(extra="ignore")
    tool: Tool
    engine: Engine
    workspace: str = ""
    as_of: str
    fail_on: str = "low"  # an evidence manifest records it in `outcome`
    inputs: list[InputFile]
    library: list[InputFile] = []
    selection: Selection = Selection()
    verdict: Verdict | None = None  # None in a record made before govern recorded it
    git: GitState | None = None
    outcome: dict | None = None  # an evidence manifest's summary counts
    reports: list[InputFile] = []  # only in an evidence.json written beside reports
    rendered_from: RenderedFrom | None = None  # evidence written by `govern report`, not by a run
    pack: dict | None = None  # an audit pack's evidence: how the pack was rendered, the result it binds


@dataclass
class Verification:
    recorded: Recorded
    result: RunResult | None  # the whole result: RESULT itself, or the JSON result an evidence manifest lists
    problems: list[str]
    reevaluated: RunResult | None = None  # the result of evaluating again, when that was done
    on_trust: list[str] | None = None  # what the re-evaluation took from the record, not from the workspace
    sha256_only: list[str] | None = None  # listed reports no result alone renders: bound by their sha256 alone


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_recorded(path: Path) -> tuple[Recorded, RunResult | None]:
    """The recorded evidence, and the whole result when the file is one; or a `ResultFileError`
    naming what is wrong (exit 2)."""
    raw = read_bytes(path)  # once: RESULT may be a pipe
    # validated whole first: dates, counts, vocabulary, the result agreeing with itself (saved.py)
    data, result = saved.read_recorded(path, raw)
    if isinstance(data, dict) and "fail_on" not in data and isinstance(data.get("outcome"), dict):
        data = {**data, "fail_on": data["outcome"].get("fail_on", "low")}
    try:
        rec = Recorded.model_validate(data)
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}" for e in exc.errors()[:5])
        raise ResultFileError(f"{path}: not a govern result or evidence manifest: {where}") from None
    return rec, result


def listed_result(rec: Recorded, folder: Path) -> tuple[str, RunResult] | None:
    """The JSON result among the reports an evidence manifest lists, as recorded (its sha256 matches), and its
    path as listed."""
    for f in rec.reports:
        path = folder / f.path
        if not f.path.endswith(".json") or Path(f.path).is_absolute() or \
                not path.resolve().is_relative_to(folder.resolve()) or not path.is_file():
            continue  # a report outside the evidence's folder is never read (compare_files names it)
        try:
            raw = path.read_bytes()
            if hashlib.sha256(raw).hexdigest() != f.sha256 or b'"findings"' not in raw:
                continue
            return f.path, load_result(path, raw)
        except (OSError, ResultFileError):
            continue
    return None


def compare_files(recorded: list[InputFile], base: Path, label: str, within: str) -> list[str]:
    """A line for each recorded file that is missing or whose sha256 differs. A recorded path is the
    record's word, not the workspace's: one absolute, or leading out of `base` (`..`, a symlink), is a
    difference and is never read (`within` names `base` for the message)."""
    problems = []
    inside = base.resolve()
    for f in recorded:
        path = base / f.path
        if Path(f.path).is_absolute() or not path.resolve().is_relative_to(inside):
            problems.append(f"outside the {within}: {label} {f.path} (not read)")
            continue
        if not path.is_file():
            problems.append(f"missing {label}: {f.path}")
            continue
        try:
            now = _sha256(path)
        except OSError as exc:
            problems.append(f"unreadable {label}: {f.path} ({exc.strerror or exc})")
            continue
        if now != f.sha256:
            problems.append(f"changed {label}: {f.path} (sha256 recorded {f.sha256}, now {now})")
    return problems


def _fallback_inputs(root: Path, recorded: list[InputFile]) -> set[str]:
    """Input files now present in the top-level folders the result read from.

    Used only when the workspace no longer loads, so the real file list
    cannot be had from the loader.
    """
    found = set()
    folders = {Path(f.path).parts[0] for f in recorded if len(Path(f.path).parts) > 1 and not Path(f.path).is_absolute()}
    for folder in folders - {"..", "."}:  # never a folder outside the workspace a record names
        for p in (root / folder).rglob("*"):
            if p.is_file() and (p.suffix.lower() in SUFFIXES or is_check(p.name)):
                found.add(p.relative_to(root).as_posix())
    return found


def check_workspace(root: Path, rec: Recorded) -> list[str]:
    """Differences between the recorded inputs and policy revision and the workspace now."""
    problems = compare_files(rec.inputs, root, "input", "workspace")
    listed = {f.path for f in rec.inputs}
    try:
        ws = load(root)
        modules = library_modules() + workspace_modules(ws)
    except WorkspaceErrors as exc:
        problems += [f"workspace no longer loads: {e}" for e in exc.errors]
        problems.append("policy revision: cannot be recomputed while the workspace does not load "
                        f"(recorded {rec.engine.policy_revision})")
        now_read = _fallback_inputs(root, rec.inputs)
    else:
        now_read = {d.rel for d in ws.documents}
        now_read |= {m.id.removeprefix("workspace/") for m in modules if m.id.startswith("workspace/")}
        revision = policy_revision(modules, ws.definitions())
        if revision != rec.engine.policy_revision:
            problems.append(f"policy revision: recorded {rec.engine.policy_revision}, recomputed {revision}")
    problems += [f"new input: {p} (read by a run now, not listed in the result)" for p in sorted(now_read - listed)]
    return problems


def check_library(rec: Recorded) -> list[str]:
    """Which built-in modules differ between the run and the govern installed here."""
    if not rec.library:
        return []  # a result from before the library was recorded: the policy revision still covers it
    now = {f.path: f.sha256 for f in library_files()}
    problems = []
    for f in rec.library:
        if f.path not in now:
            problems.append(f"missing library module: {f.path} (not in govern {__version__} installed here)")
        elif now[f.path] != f.sha256:
            problems.append(f"changed library module: {f.path} (sha256 recorded {f.sha256}, installed {now[f.path]})")
    recorded = {f.path for f in rec.library}
    problems += [f"new library module: {p} (installed here, not in the run)" for p in sorted(set(now) - recorded)]
    return problems


def check_consistency(rec: Recorded, result: RunResult | None) -> list[str]:
    """The result agrees with itself; an evidence manifest binds the verdict of the result it lists."""
    if result is None:
        return []
    problems = []  # the result agreeing with itself was held when it was read (exit 2 there)
    if rec.verdict is not None and result.verdict is not None and rec.verdict.digest != result.verdict.digest:
        problems.append(f"verdict digest: the evidence records {rec.verdict.digest}, the result it lists records "
                        f"{result.verdict.digest}")
    return problems


def check_verdict(root: Path, rec: Recorded, result: RunResult | None) -> tuple[RunResult | None, list[str]]:
    """Evaluate the workspace again as the record says it was, and name every way the verdict differs."""
    refused = reevaluate.engine_refusal(rec.engine.opa_version)
    if refused:
        return None, refused
    again, problems = reevaluate.evaluate_again(root, rec.as_of, rec.fail_on, rec.selection)
    if again is None:
        return None, problems
    if result is not None:
        problems += reevaluate.findings_differ(result.findings, again.findings)
        problems += reevaluate.checks_differ(result, again)
        problems += reevaluate.digest_differs(rec.verdict or result.verdict, again)
        problems += reevaluate.result_differs(result, again)  # everything else, field by field
    elif rec.outcome is not None and rec.verdict is not None:  # an evidence manifest alone
        problems += reevaluate.summary_differs(rec.outcome, again.summary)
        problems += reevaluate.digest_differs(rec.verdict, again)
        problems += reevaluate.manifest_differs(rec.model_dump(mode="json"), again)
    else:  # never "the same verdict" when there was nothing to compare it with
        problems.append("nothing to compare: the record holds neither findings nor an outcome and verdict")
    return again, problems


def taken_on_trust(root: Path, rec: Recorded) -> list[str]:
    """What evaluating again takes from the record because the workspace cannot say it: the checks the run
    skipped on its command line or in its environment (skipped again), and a `fail_on` other than the
    workspace manifest's. An auditor reads them on the OK line: a forger could have chosen them."""
    asked = [s for s in rec.selection.skipped if set(s.sources) - {"manifest"}]
    trusted = [f"{s.check} skipped ({', '.join(x for x in s.sources if x != 'manifest')})" for s in asked]
    try:
        own = load(root).manifest.fail_on
    except WorkspaceErrors:
        own = None  # the workspace does not load: that is a difference already
    if own is not None and rec.fail_on != own:
        trusted.append(f"fail_on {rec.fail_on} (the workspace manifest says {own})")
    return trusted


def check_rendered_from(rec: Recorded, own: str | None, folder: Path) -> list[str]:
    """Evidence that says it was re-rendered from a result, and lists the result it was rendered from (an audit
    pack's result.json, which `govern report` writes from that result byte for byte), names that file's sha256."""
    if rec.rendered_from is None or own is None:
        return []
    try:
        now = "sha256:" + _sha256(folder / own)
    except OSError:
        return []  # named as unreadable by compare_files
    if rec.rendered_from.result == now:
        return []
    return [f"rendered_from: the evidence says it was rendered from result {rec.rendered_from.result}, and the "
            f"result it lists, {own}, is {now}"]


def differences(result_path: Path, root: Path, *, inputs_only: bool = False,
                pack: audit_pack.Members | None = None, reproduce: audit_pack.Reproduce | None = None) -> Verification:
    """Every way the result, the workspace, the installed library, the reports and (unless `inputs_only`)
    a new evaluation differ from the record. `pack` renders an audit pack's members from its result
    (governance.report.audit_members), `reproduce` any other set's reports from its JSON result
    (governance.report.reproduced); without them reports are held to their sha256 only."""
    record = report_set.record_for(result_path)  # a SARIF, HTML, … report, or any file of a pack: the evidence
    rec, result = read_recorded(record)
    if rec.pack is not None:
        result_path = record  # a pack is verified whole, whichever of its files was named
    own = None
    if result is None and rec.reports:
        own, result = listed_result(rec, result_path.parent) or (None, None)
    problems = check_consistency(rec, result)
    inputs = check_workspace(root, rec) + check_library(rec)
    problems += inputs + compare_files(rec.reports, result_path.parent, "report", "evidence's folder")
    problems += report_set.differences(result_path, closed=rec.pack is not None)  # one run's set, or which file is whose
    problems += check_rendered_from(rec, own, result_path.parent)
    sha256_only = None
    if rec.pack is not None and pack is not None:
        problems += audit_pack.differences(result_path, rec, result, pack)
    elif rec.pack is None:
        problems += report_set.pack_without_pack(record)
        if result is not None and own is not None and reproduce is not None:
            more, sha256_only = audit_pack.unrendered(result_path.parent, rec, result, own, reproduce)
            problems += more
    done = Verification(rec, result, problems, on_trust=taken_on_trust(root, rec), sha256_only=sha256_only)
    if inputs_only:
        return done
    if inputs:
        problems.append("findings not re-evaluated: the inputs or the library differ from the record")
        return done
    done.reevaluated, more = check_verdict(root, rec, result)
    problems += more
    return done
