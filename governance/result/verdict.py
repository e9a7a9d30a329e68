"""What a run's findings add up to: the summary counts, the gate (exit 1 or not), and the
digest that binds the verdict so that a result edited afterwards shows it."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii

from pydantic import BaseModel

from governance.result.types import CheckSummary, ControlRecord, Finding, RunResult, Summary, Verdict
from governance.result.vocabulary import (
    SEVERITIES,
    STATUSES,
    Standing,
    advises,
    group_standing,
    severity_rank,
    standing,
)


def advisory(finding: Finding, fail_on: str) -> bool:
    """An unwaived info finding is advice, not a failure: info never fails a run unless the
    run asked for it with --fail-on info. Reports list advisories apart from failing findings."""
    return finding.status == "fail" and advises(finding.severity, fail_on)


def check_standings(checks: Iterable[CheckSummary], fail_on: str) -> dict[str, Standing]:
    """check id -> how the reports read it (vocabulary.standing)."""
    return {c.id: standing(c.status, c.severity, fail_on) for c in checks}


def control_standing(control: ControlRecord, checks: dict[str, Standing]) -> Standing:
    """A control as the reports read it, from its checks' standings (`checks`, check_standings)."""
    return group_standing(checks.get(c, "not_applicable") for c in control.checks)


@dataclass(frozen=True)
class Tally:
    """What a run's findings, checks and controls count to, as every format shows them: failing
    findings apart from advisories, and checks and controls by standing."""

    failing: int  # unwaived findings that are not advisories
    advisories: int
    waived: int
    checks: Counter[Standing]
    controls: Counter[Standing]


def tally(result: RunResult) -> Tally:
    checks = check_standings(result.checks, result.fail_on)
    advice = sum(advisory(f, result.fail_on) for f in result.findings)
    return Tally(failing=sum(f.status == "fail" for f in result.findings) - advice, advisories=advice,
                 waived=sum(f.status == "waived" for f in result.findings), checks=Counter(checks.values()),
                 controls=Counter(control_standing(c, checks) for c in result.controls))


def summarize(findings: list[Finding], checks: list[CheckSummary], fail_on: str = "low") -> Summary:
    by_severity = {s: 0 for s in SEVERITIES}
    for f in findings:
        if f.status == "fail":
            by_severity[f.severity] += 1
    return Summary(
        fail=sum(1 for f in findings if f.status == "fail"),
        waived=sum(1 for f in findings if f.status == "waived"),
        advisories=sum(1 for f in findings if advisory(f, fail_on)),
        advisory_checks=sum(1 for c in checks if standing(c.status, c.severity, fail_on) == "advisory"),
        by_severity={k: v for k, v in by_severity.items() if v},
        checks={s: sum(1 for c in checks if c.status == s) for s in STATUSES},
    )


def gate(result: RunResult, fail_on: str, *, new_only: bool = False) -> bool:
    """True when an unwaived finding is at or above `fail_on` (exit 1); with `new_only`,
    only findings new since the baseline count."""
    if fail_on == "never":
        return False
    threshold = severity_rank(fail_on)
    return any(f.status == "fail" and severity_rank(f.severity) <= threshold and (not new_only or f.baseline == "new")
               for f in result.findings)


# What a digest made now covers (Verdict.covers): 2 adds what the committee reads beside the verdict (each
# finding's Chinese message, the budget and strategy sections, cadence_days); 3 adds the action items, which
# the plan of action and milestones pairs with the findings, and the diagnosis section. A result records the
# coverage its digest was made with, so one saved before keeps verifying with the coverage it had.
DIGEST_COVERS = 3


def verdict_digest(result: RunResult, covers: int | None = None) -> str:
    """sha256 over a canonical serialisation of what the run concluded: the date and threshold it
    judged by, every finding (in the result's order) as check, resource, status, severity, waiver,
    fingerprint and message, each check's severity, status and counts, and the summary's counts; and the
    people of each waiver whose record names them (requester and approver, ids and names), as the reports
    show them. With coverage 2 (`covers`; by default the one the result's verdict records, else
    DIGEST_COVERS), also each finding's message_zh and the result's budget, strategy and cadence_days; with
    coverage 3, also its action items (`actions`) and its diagnosis section.
    Nothing of the run's clock or of a baseline comparison: same inputs and as_of, same digest.

    The serialisation is `json.dumps(..., sort_keys=True, ensure_ascii=True, separators=(",", ":"))` of
    those values; the findings (a run may hold 100,000) are written by one template apiece with the same
    string encoder json.dumps uses, instead of a dict apiece for it to sort and walk: the same text."""
    summary = _canonical({"fail": result.summary.fail, "waived": result.summary.waived,
                          "advisories": result.summary.advisories, "by_severity": result.summary.by_severity,
                          "checks": result.summary.checks})
    if covers is None:
        covers = DIGEST_COVERS if result.verdict is None else result.verdict.covers
    judging: dict[str, object] = {"checks": [
        {"id": c.id, "severity": c.severity, "status": c.status, "evaluated": c.evaluated, "failed": c.failed,
         "waived": c.waived} for c in result.checks], "fail_on": result.fail_on}
    if covers >= 3:  # the diagnosis the committee reads, sorted between checks and fail_on
        judging["diagnosis"] = None if result.diagnosis is None else result.diagnosis.model_dump(mode="json")
    judged = _canonical(judging)[1:-1]
    committee = covers >= 2
    findings = ",".join([_FINDING % (_text(f.check), _text(f.fingerprint), _text(f.message),
                                     _zh(f.message_zh) if committee else "", _text(f.resource.id),
                                     _text(f.resource.kind), _text(f.severity), _text(f.status),
                                     "null" if f.waiver is None else _text(f.waiver)) for f in result.findings])
    # Only where a record carries names: a result saved before waivers carried them keeps its digest.
    people = [{"id": w.id, "requested_by": w.requested_by, "requested_by_name": w.requested_by_name,
               "approved_by": w.approved_by, "approved_by_name": w.approved_by_name}
              for w in result.waivers if w.requested_by_name is not None or w.approved_by_name is not None]
    named = f',"waiver_people":{_canonical(people)}' if people else ""
    # what the committee reads beside the verdict, in its place among the sorted keys
    budget = f',"budget":{_section(result.budget)},"cadence_days":{_canonical(result.cadence_days)}' if committee else ""
    strategy = f',"strategy":{_section(result.strategy)}' if committee else ""
    actions = f'"actions":{_actions(result)},' if covers >= 3 else ""
    # the keys in sorted order: [actions], as_of, [budget, cadence_days], checks, [diagnosis], fail_on, findings, [strategy],
    # summary, waiver_people
    canonical = (f'{{{actions}"as_of":{_canonical(result.as_of)}{budget},{judged},"findings":[{findings}]{strategy}'
                 f',"summary":{summary}{named}}}')
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


# one finding as json.dumps writes it with sorted keys and no spaces (message_zh, `_zh`, only with coverage 2)
_FINDING = ('{"check":%s,"fingerprint":%s,"message":%s%s,"resource":{"id":%s,"kind":%s},"severity":%s,"status":%s,'
            '"waiver":%s}')
_text = encode_basestring_ascii  # ASCII-escaped, so any text a check wrote serialises the same everywhere


def _zh(message: str | None) -> str:
    return ',"message_zh":' + ("null" if message is None else _text(message))


def _section(section: BaseModel | None) -> str:
    return "null" if section is None else _canonical(section.model_dump(mode="json"))


def _actions(result: RunResult) -> str:
    """The action items as the digest binds them; null where the result records none (saved before they were)."""
    if result.actions is None:
        return "null"
    return _canonical([a.model_dump(mode="json") for a in result.actions])


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def sealed(result: RunResult) -> RunResult:
    """The result with the digest of its verdict: the one place a result gets it."""
    return result.model_copy(update={"verdict": Verdict(digest=verdict_digest(result, DIGEST_COVERS),
                                                        covers=DIGEST_COVERS)})
