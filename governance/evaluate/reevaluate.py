"""Evaluate a workspace again and compare the verdict with a recorded one (`govern verify`).

The run is `govern check`'s own (run.run_check) on a managed OPA, at the recorded `as_of`, with
the recorded selection and `fail_on`, so a faithful result is given again finding for finding.
Its verdict is then compared with the record: every finding by check and resource (status,
severity, waiver), every check's status and counts, and the verdict digest, which covers the rest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from governance.engine import OPA_VERSION
from governance.evaluate.run import run_check
from governance.evaluate.selection import SkipRefused
from governance.load import WorkspaceErrors
from governance.result import Finding, RunResult, Selection, Summary, Verdict
from governance.result.consistency import named


def engine_refusal(recorded_version: str) -> list[str]:
    """Why the findings cannot be evaluated again here: the record's OPA is not the one this govern runs."""
    if recorded_version == OPA_VERSION:
        return []
    return [f"OPA version: the result was evaluated on OPA {recorded_version}, this govern evaluates on OPA "
            f"{OPA_VERSION}; findings not re-evaluated (verify with the govern release that runs OPA "
            f"{recorded_version}, or pass --inputs-only to check the inputs alone)"]


def evaluate_again(root: Path, as_of: str, fail_on: str, selection: Selection) -> tuple[RunResult | None, list[str]]:
    """The workspace's result now, as `govern check` would give it with the recorded settings; or None and
    why it could not be had (the workspace no longer loads, the selection cannot be repeated).
    OPA failing is an `EngineError` (exit 3), as for `check`."""
    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError:
        return None, [f"as_of {as_of!r} is not a date: findings not re-evaluated"]
    # the manifest's own skips come back with the manifest; those asked on the command line or in the
    # environment then are asked again, so the checks skipped are the same
    asked = [s.check for s in selection.skipped if set(s.sources) - {"manifest"}]
    try:
        return run_check(root, day, fail_on=fail_on, skip=asked), []
    except WorkspaceErrors as exc:
        return None, [f"re-evaluation: the workspace does not load: {e}" for e in exc.errors]
    except SkipRefused as exc:
        return None, [f"re-evaluation: the recorded selection cannot be repeated: {exc}"]


def _key(f: Finding) -> tuple[str, str, str]:
    return f.check, f.resource.kind, f.resource.id


def findings_differ(recorded: list[Finding], again: list[Finding]) -> list[str]:
    """Each finding missing, added or judged differently, in the recorded order then the new one's."""
    now = {_key(f): f for f in again}
    before = {_key(f): f for f in recorded}
    problems = []
    for f in recorded:
        g = now.get(_key(f))
        if g is None:
            problems.append(f"finding missing on re-evaluation: {named(f)} (recorded {f.status}, {f.severity})")
            continue
        if f.status != g.status:
            problems.append(f"status differs: {named(f)}: recorded {f.status}, re-evaluation {g.status}")
        if f.severity != g.severity:
            problems.append(f"severity differs: {named(f)}: recorded {f.severity}, re-evaluation {g.severity}")
        if f.waiver != g.waiver:
            problems.append(f"waiver differs: {named(f)}: recorded {f.waiver or 'none'}, "
                            f"re-evaluation {g.waiver or 'none'}")
    problems += [f"finding not in the result: {named(g)} (re-evaluation {g.status}, {g.severity})"
                 for g in again if _key(g) not in before]
    return problems


def checks_differ(recorded: RunResult, again: RunResult) -> list[str]:
    """Each check whose status or counts differ, or that only one of the two lists."""
    now = {c.id: c for c in again.checks}
    before = {c.id for c in recorded.checks}
    problems = []
    for c in recorded.checks:
        g = now.get(c.id)
        if g is None:
            problems.append(f"check missing on re-evaluation: {c.id} (recorded {c.status})")
            continue
        for key in ("status", "severity", "evaluated", "failed", "waived"):
            if getattr(c, key) != getattr(g, key):
                problems.append(f"check {c.id} {key} differs: recorded {getattr(c, key)}, re-evaluation {getattr(g, key)}")
    problems += [f"check not in the result: {g.id} (re-evaluation {g.status})" for g in again.checks if g.id not in before]
    return problems


def summary_differs(recorded: Summary | dict, again: Summary) -> list[str]:
    """The counts an evidence manifest records (`outcome`), against the re-evaluation's."""
    before = recorded if isinstance(recorded, dict) else recorded.model_dump()
    now = again.model_dump()
    return [f"summary {key} differs: recorded {before[key]}, re-evaluation {now[key]}"
            for key in ("fail", "waived", "advisories", "by_severity", "checks") if key in before and before[key] != now[key]]


def digest_differs(recorded: Verdict | None, again: RunResult) -> list[str]:
    if recorded is None or again.verdict is None or recorded.digest == again.verdict.digest:
        return []
    return [f"verdict digest differs: recorded {recorded.digest}, re-evaluation {again.verdict.digest}"]
