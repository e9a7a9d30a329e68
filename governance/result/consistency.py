"""Does a result agree with itself? (the first part of `govern verify`, no OPA needed)

A result edited after its run, by hand or by a tool, has to be edited everywhere at once to
look whole: every finding, each check's counts and status, the summary, and the digest of the
verdict. Each function here names what does not add up, in words an auditor reads.
"""

from __future__ import annotations

from collections import Counter

from governance.result.types import Finding, RunResult
from governance.result.verdict import summarize, verdict_digest
from governance.result.vocabulary import FAIL_ON, SEVERITIES, STATUSES, check_status


def named(f: Finding) -> str:
    """A finding as verify names it: PLC-001 system/sys-payment-center."""
    return f"{f.check} {f.resource.kind}/{f.resource.id}"


def findings_agree(result: RunResult) -> list[str]:
    """Each finding belongs to a check of the result, at its severity, and is waived exactly when it names a waiver."""
    checks = {c.id: c for c in result.checks}
    problems = []
    for f in result.findings:
        check = checks.get(f.check)
        if check is None:
            problems.append(f"finding of a check the result does not list: {named(f)}")
        elif f.severity != check.severity:
            problems.append(f"finding severity contradicts its check: {named(f)} is {f.severity}, "
                            f"{f.check} is {check.severity}")
        elif check.status == "skipped":
            problems.append(f"finding of a skipped check: {named(f)}")
        if (f.status == "waived") != (f.waiver is not None):
            problems.append(f"finding {named(f)} is {f.status} " + (f"but names waiver {f.waiver}" if f.waiver
                                                                     else "but names no waiver"))
    twice = [key for key, n in Counter((f.check, f.resource.kind, f.resource.id) for f in result.findings).items() if n > 1]
    problems += [f"finding listed more than once: {c} {k}/{i}" for c, k, i in twice]
    return problems


def checks_agree(result: RunResult) -> list[str]:
    """Each check's failed and waived counts are its findings', and its status follows from them."""
    failed = Counter(f.check for f in result.findings if f.status == "fail")
    waived = Counter(f.check for f in result.findings if f.status == "waived")
    skipped = {s.check for s in result.selection.skipped}
    problems = []
    for c in result.checks:
        if c.failed != failed[c.id] or c.waived != waived[c.id]:
            problems.append(f"check {c.id} counts {c.failed} failed and {c.waived} waived; its findings are "
                            f"{failed[c.id]} failed and {waived[c.id]} waived")
        expected = "skipped" if c.id in skipped else check_status(c.failed, c.waived, c.evaluated)
        if c.status != expected:
            problems.append(f"check {c.id} is {c.status}; its counts make it {expected}")
        if c.evaluated < 0:
            problems.append(f"check {c.id} evaluated a negative number of resources ({c.evaluated})")
    return problems


def summary_agrees(result: RunResult) -> list[str]:
    """The summary is what the findings and checks add up to, in the vocabulary's words."""
    problems = []
    if result.fail_on not in FAIL_ON:
        problems.append(f"fail_on {result.fail_on!r} is not one of {', '.join(FAIL_ON)}")
    problems += [f"summary counts severity {s!r}, not one of {', '.join(SEVERITIES)}"
                 for s in result.summary.by_severity if s not in SEVERITIES]
    problems += [f"summary counts check status {s!r}, not one of {', '.join(STATUSES)}"
                 for s in result.summary.checks if s not in STATUSES]
    if problems:
        return problems
    recorded = result.summary
    actual = summarize(result.findings, result.checks, result.fail_on)
    for key in ("fail", "waived", "advisories", "by_severity", "checks"):
        if getattr(recorded, key) != getattr(actual, key):
            problems.append(f"summary {key} is {getattr(recorded, key)}; the findings and checks make it "
                            f"{getattr(actual, key)}")
    return problems


def digest_agrees(result: RunResult) -> list[str]:
    """The verdict digest is the digest of what the result concludes."""
    if result.verdict is None:
        return []  # a result from before govern recorded one: the other parts still hold it to itself
    digest = verdict_digest(result)
    if result.verdict.digest != digest:
        return [f"verdict digest: recorded {result.verdict.digest}, the result's findings, checks and summary "
                f"give {digest}"]
    return []


CONSISTENCY = (findings_agree, checks_agree, summary_agrees, digest_agrees)


def contradictions(result: RunResult) -> list[str]:
    """Every way `result` disagrees with itself; empty when it is whole."""
    return [line for agree in CONSISTENCY for line in agree(result)]
