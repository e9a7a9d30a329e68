"""What a run's findings add up to: the summary counts and the gate (exit 1 or not)."""

from __future__ import annotations

from governance.result.types import CheckSummary, Finding, RunResult, Summary
from governance.result.vocabulary import SEVERITIES, STATUSES, severity_rank


def advisory(finding: Finding, fail_on: str) -> bool:
    """An unwaived info finding is advice, not a failure: info never fails a run unless the
    run asked for it with --fail-on info. Reports list advisories apart from failing findings."""
    return finding.status == "fail" and finding.severity == "info" and fail_on != "info"


def summarize(findings: list[Finding], checks: list[CheckSummary], fail_on: str = "low") -> Summary:
    by_severity = {s: 0 for s in SEVERITIES}
    for f in findings:
        if f.status == "fail":
            by_severity[f.severity] += 1
    return Summary(
        fail=sum(1 for f in findings if f.status == "fail"),
        waived=sum(1 for f in findings if f.status == "waived"),
        advisories=sum(1 for f in findings if advisory(f, fail_on)),
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
