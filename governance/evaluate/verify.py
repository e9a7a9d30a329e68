"""Does a saved result describe a workspace as it is now? (`govern verify`)

An auditor holds a result (the JSON result or an evidence.json manifest) and
a checkout of the workspace. Verification recomputes, without running OPA,
the sha256 of every input the result lists, looks for input files the result
does not list, recomputes the policy revision from the workspace and the
installed library, and compares the library modules one by one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from governance import __version__
from governance.engine import policy_revision
from governance.evaluate import saved
from governance.evaluate.policy import library_modules, workspace_modules
from governance.evaluate.run import library_files, load
from governance.evaluate.saved import ResultFileError
from governance.load import WorkspaceErrors
from governance.load.files import SUFFIXES
from governance.load.rego import is_check
from governance.result import Engine, InputFile, Tool


class Recorded(BaseModel):
    """The keys verification reads; a JSON result and an evidence manifest both have them."""

    model_config = ConfigDict(extra="ignore")
    tool: Tool
    engine: Engine
    inputs: list[InputFile]
    library: list[InputFile] = []
    reports: list[InputFile] = []  # only in an evidence.json written beside reports


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_recorded(path: Path) -> Recorded:
    """The recorded evidence, or a `ResultFileError` naming what is wrong (exit 2)."""
    data = saved.read_recorded(path)  # validated whole first: dates, counts, vocabulary, agreeing with itself
    try:
        return Recorded.model_validate(data)
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}" for e in exc.errors()[:5])
        raise ResultFileError(f"{path}: not a govern result or evidence manifest: {where}") from None


def compare_files(recorded: list[InputFile], base: Path, label: str) -> list[str]:
    """A line for each recorded file that is missing or whose sha256 differs."""
    problems = []
    for f in recorded:
        path = Path(f.path) if Path(f.path).is_absolute() else base / f.path
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
    for folder in folders:
        for p in (root / folder).rglob("*"):
            if p.is_file() and (p.suffix.lower() in SUFFIXES or is_check(p.name)):
                found.add(p.relative_to(root).as_posix())
    return found


def check_workspace(root: Path, rec: Recorded) -> list[str]:
    """Differences between the recorded inputs and policy revision and the workspace now."""
    problems = compare_files(rec.inputs, root, "input")
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


def differences(result_path: Path, root: Path) -> tuple[Recorded, list[str]]:
    """Every way the workspace, the installed library and the reports differ from the record."""
    rec = read_recorded(result_path)
    problems = check_workspace(root, rec) + check_library(rec)
    problems += compare_files(rec.reports, result_path.parent, "report")
    return rec, problems
