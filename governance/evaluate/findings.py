"""Raw violations from OPA → findings with locations, controls and waivers applied."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping

from governance.engine import CheckOutcome, EngineError
from governance.evaluate.policy import DeclaredCheck
from governance.model import Person, Workspace
from governance.result import (
    CheckSummary,
    Finding,
    FindingLocation,
    Resource,
    Status,
    WaiverRecord,
    check_status,
    severity_rank,
)


def fingerprint(check: str, kind: str, id_: str) -> str:
    """Depends on check and resource only, so moving an entity between files or lines keeps it."""
    return hashlib.sha256(f"{check}\0{kind}\0{id_}".encode()).hexdigest()[:32]


def sort_key(f: Finding) -> tuple[int, str, str, str, str]:
    return (severity_rank(f.severity), f.check, f.resource.kind, f.resource.id, f.message)


def controls_by_check(ws: Workspace) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for control in sorted(ws.controls.values(), key=lambda c: c.id):
        for check in control.checks:
            out[check].append(control.id)
    return out


def _location(ws: Workspace, kind: str, id_: str) -> FindingLocation | None:
    loc = ws.declared_at(kind, id_)
    return FindingLocation(**loc.as_dict()) if loc else None


def build(ws: Workspace, outcomes: list[CheckOutcome], catalogue: dict[str, DeclaredCheck],
          skipped: frozenset[str] = frozenset()) -> tuple[list[Finding], list[CheckSummary], list[WaiverRecord]]:
    """Findings from the outcomes, with waivers applied where valid; `catalogue` is the
    checks' declarations (their domain, and whether they invalidate waivers). A `skipped`
    check reports nothing of its outcome (selection.py)."""
    controls = controls_by_check(ws)
    _require_waiver_checks(ws, outcomes, catalogue)
    problems: dict[str, set[str]] = defaultdict(set)  # waiver id -> invalidating checks that fired on it
    for outcome in outcomes:
        if catalogue[outcome.id].invalidates_waiver:
            for v in outcome.violations:
                if v.kind == "waiver":
                    problems[v.id].add(outcome.id)
    valid = {(w.check, w.resource.kind, w.resource.id): w.id
             for w in sorted(ws.waivers.values(), key=lambda w: w.id, reverse=True)
             if w.id not in problems}  # reverse: the lowest id wins when two waive the same finding
    applied: dict[str, int] = defaultdict(int)

    findings: list[Finding] = []
    summaries: list[CheckSummary] = []
    for outcome in outcomes:
        cid = outcome.id
        if cid in skipped:
            summaries.append(_summary(outcome, catalogue, controls, evaluated=0, failed=0, waived=0, status="skipped"))
            continue
        failed = waived = 0
        for v in outcome.violations:
            waiver = valid.get((cid, v.kind, v.id)) if outcome.waivable else None
            if waiver:
                applied[waiver] += 1
                waived += 1
            else:
                failed += 1
            findings.append(Finding(
                check=cid, severity=outcome.severity, status="waived" if waiver else "fail",
                resource=Resource(kind=v.kind, id=v.id), message=v.message, message_zh=v.message_zh,
                location=_location(ws, v.kind, v.id), controls=controls.get(cid, []),
                waiver=waiver, fingerprint=fingerprint(cid, v.kind, v.id),
            ))
        summaries.append(_summary(outcome, catalogue, controls, evaluated=outcome.evaluated, failed=failed, waived=waived,
                                  status=check_status(failed, waived, outcome.evaluated)))
    findings.sort(key=sort_key)
    summaries.sort(key=lambda c: c.id)
    return findings, summaries, _waiver_records(ws, problems, applied)


def _summary(outcome: CheckOutcome, catalogue: dict[str, DeclaredCheck], controls: dict[str, list[str]], *,
             evaluated: int, failed: int, waived: int, status: Status) -> CheckSummary:
    return CheckSummary(
        id=outcome.id, title=outcome.title, title_zh=outcome.title_zh, description=outcome.description,
        severity=outcome.severity,
        waivable=outcome.waivable, domain=catalogue[outcome.id].domain, resource=outcome.resource,
        evaluated=evaluated, failed=failed, waived=waived, status=status, controls=controls.get(outcome.id, []),
        agenda=catalogue[outcome.id].agenda, remediation=dict(catalogue[outcome.id].remediation),
    )


def _require_waiver_checks(ws: Workspace, outcomes: list[CheckOutcome], catalogue: dict[str, DeclaredCheck]) -> None:
    """Fail closed: a waiver is applied only when no invalidating check fired on it, so
    a result missing one of those checks would silently apply it."""
    if not ws.waivers:
        return
    missing = {d.id for d in catalogue.values() if d.invalidates_waiver} - {o.id for o in outcomes}
    if missing:
        raise EngineError(f"the result lacks waiver check(s) {', '.join(sorted(missing))}; waivers cannot be validated")


def _waiver_records(ws: Workspace, problems: dict[str, set[str]], applied: dict[str, int]) -> list[WaiverRecord]:
    return [
        WaiverRecord(
            id=w.id, check=w.check, resource=Resource(kind=w.resource.kind, id=w.resource.id),
            justification=w.justification, requested_by=w.requested_by, approved_by=w.approved_by,
            approved_at=w.approved_at.isoformat(), expires=w.expires.isoformat(), decision=w.decision,
            valid=w.id not in problems, problems=sorted(problems.get(w.id, ())), applied=applied.get(w.id, 0),
            location=_location(ws, "waiver", w.id),
        )
        for w in sorted(ws.waivers.values(), key=lambda w: w.id)
    ]


def named(waivers: list[WaiverRecord], people: Mapping[str, Person]) -> list[WaiverRecord]:
    """The waivers with their requester's and approver's names, where the inventory knows them: a report shows a
    person as name (id), and renderers never read the workspace."""
    def name(person: str) -> str | None:
        known = people.get(person)
        return known.name if known else None
    return [w.model_copy(update={"requested_by_name": name(w.requested_by), "approved_by_name": name(w.approved_by)})
            for w in waivers]
