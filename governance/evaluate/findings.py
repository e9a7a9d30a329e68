"""Raw violations from OPA → findings with locations, controls and waivers applied."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from governance.engine.errors import EngineError
from governance.result import CheckSummary, Finding, FindingLocation, Resource, WaiverRecord, check_status, severity_rank
from governance.model.workspace import Workspace

# Waiver checks whose firing makes a waiver invalid (checks.md: WAV-001..005).
INVALIDATING = {"WAV-001", "WAV-002", "WAV-003", "WAV-004", "WAV-005"}
DOMAINS = {"GOV": "committee", "BUD": "budget", "CLS": "classification", "PLC": "placement", "MLP": "mlps", "WAV": "waivers"}


def fingerprint(check: str, kind: str, id_: str) -> str:
    """Depends on check and resource only, so moving an entity between files or lines keeps it."""
    return hashlib.sha256(f"{check}\0{kind}\0{id_}".encode()).hexdigest()[:32]


def sort_key(f: Finding):
    return (severity_rank(f.severity), f.check, f.resource.kind, f.resource.id, f.message)


def domain_of(meta: dict) -> str:
    custom = meta["custom"]
    return custom.get("domain") or DOMAINS.get(custom["id"].split("-")[0], "custom")


def controls_by_check(ws: Workspace) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for control in sorted(ws.controls.values(), key=lambda c: c.id):
        for check in control.checks:
            out[check].append(control.id)
    return out


def _location(ws: Workspace, kind: str, id_: str):
    loc = ws.locate(kind, id_)
    return FindingLocation(**loc.as_dict()) if loc else None


def build(ws: Workspace, checks: list[dict]) -> tuple[list[Finding], list[CheckSummary], list[WaiverRecord]]:
    controls = controls_by_check(ws)
    _require_waiver_checks(ws, checks)
    problems: dict[str, set[str]] = defaultdict(set)  # waiver id -> WAV checks that fired on it
    for check in checks:
        cid = check["meta"]["custom"]["id"]
        if cid in INVALIDATING:
            for v in check["violations"]:
                if v["resource"]["kind"] == "waiver":
                    problems[v["resource"]["id"]].add(cid)
    valid = {(w.check, w.resource.kind, w.resource.id): w.id
             for w in sorted(ws.waivers.values(), key=lambda w: w.id, reverse=True)
             if w.id not in problems}  # reverse: the lowest id wins when two waive the same finding
    applied: dict[str, int] = defaultdict(int)

    findings: list[Finding] = []
    summaries: list[CheckSummary] = []
    for check in checks:
        meta = check["meta"]
        custom = meta["custom"]
        cid, waivable = custom["id"], custom["waivable"]
        failed = waived = 0
        for v in check["violations"]:
            kind, rid = v["resource"]["kind"], v["resource"]["id"]
            waiver = valid.get((cid, kind, rid)) if waivable else None
            if waiver:
                applied[waiver] += 1
                waived += 1
            else:
                failed += 1
            findings.append(Finding(
                check=cid, severity=custom["severity"], status="waived" if waiver else "fail",
                resource=Resource(kind=kind, id=rid), message=v["message"],
                location=_location(ws, kind, rid), controls=controls.get(cid, []),
                waiver=waiver, fingerprint=fingerprint(cid, kind, rid),
            ))
        evaluated = check["evaluated"]
        status = check_status(failed, waived, evaluated)
        summaries.append(CheckSummary(
            id=cid, title=meta["title"], description=" ".join((meta.get("description") or "").split()),
            severity=custom["severity"], waivable=waivable, domain=domain_of(meta), resource=custom.get("resource"),
            evaluated=evaluated, failed=failed, waived=waived, status=status, controls=controls.get(cid, []),
        ))
    findings.sort(key=sort_key)
    summaries.sort(key=lambda c: c.id)
    return findings, summaries, _waiver_records(ws, problems, applied)


def _require_waiver_checks(ws: Workspace, checks: list[dict]) -> None:
    """Fail closed: a waiver is applied only when absent from every WAV-001..005
    finding, so a result missing one of those checks would silently apply it."""
    if not ws.waivers:
        return
    missing = INVALIDATING - {c["meta"]["custom"]["id"] for c in checks}
    if missing:
        raise EngineError(f"the result lacks waiver check(s) {', '.join(sorted(missing))}; waivers cannot be validated")


def _waiver_records(ws: Workspace, problems, applied) -> list[WaiverRecord]:
    return [
        WaiverRecord(
            id=w.id, check=w.check, resource=Resource(kind=w.resource.kind, id=w.resource.id),
            justification=w.justification, requested_by=w.requested_by, approved_by=w.approved_by,
            approved_at=w.approved_at.isoformat(), expires=w.expires.isoformat(),
            valid=w.id not in problems, problems=sorted(problems.get(w.id, ())), applied=applied.get(w.id, 0),
            location=_location(ws, "waiver", w.id),
        )
        for w in sorted(ws.waivers.values(), key=lambda w: w.id)
    ]
