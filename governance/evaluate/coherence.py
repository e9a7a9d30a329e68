"""Does a saved result agree with itself?

A result's types (result/types.py) say each value is possible; this says the
values fit together the way a run writes them: the summary is the sum of the
findings, each check's counts and status are those of its findings, each
finding belongs to a check the result lists and is waived only by a waiver
it lists, valid, for that very check and resource. A result edited by hand
(findings deleted, a summary rewritten, a waiver invented) fails here, each
problem named by its JSON path so the reader can point at it in the file.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from governance.evaluate.findings import fingerprint
from governance.result import (
    SEVERITIES,
    STATUSES,
    CheckSummary,
    Finding,
    Manifest,
    Run,
    RunResult,
    Summary,
    check_status,
    rollup,
    summarize,
    verdict_digest,
)

JsonPath = tuple[str | int, ...]
Problem = tuple[JsonPath, str]  # where in the document, what is wrong


# keys only a result has: a manifest holding them is a result in disguise (its findings would be ignored)
RESULT_ONLY = ("findings", "checks", "summary", "waivers", "controls", "domains", "resolved", "budget", "strategy")


def result_problems(r: RunResult) -> list[Problem]:
    checks = _first_by_id(r.checks)
    return [*_kind(r), *_run(r.run), *_duplicates(r), *_listed_once(r), *_findings(r, checks), *_resolved(r),
            *_checks(r), *_selection(r), *_summary(r), *_waivers(r, checks), *_controls(r, checks), *_digest(r)]


def manifest_problems(m: Manifest) -> list[Problem]:
    """A manifest holds no findings: only its own counts can be held to each other."""
    out = list(_run(m.run))
    out += [((key,), f"`{key}` is a result's: an evidence manifest holds no findings (a document with them is a "
             "result, not evidence)") for key in RESULT_ONLY if key in (m.model_extra or {})]
    out += _counts(m.outcome, ("outcome",))
    skipped = m.outcome.checks.get("skipped")
    if m.outcome.checks and skipped != len(m.selection.skipped):
        out.append((("outcome", "checks", "skipped"), f"{skipped or 0} check(s) skipped, but the selection skips "
                    f"{len(m.selection.skipped)}"))
    return out


def _kind(r: RunResult) -> Iterator[Problem]:
    """A run writes `kind` only in an evidence manifest: a result claiming one is dressed up as evidence."""
    if "kind" in (r.model_extra or {}):
        yield ("kind",), "a result has no `kind` (only an evidence manifest does, and it holds no findings)"


def _listed_once(r: RunResult) -> Iterator[Problem]:
    """Each finding is listed once: a run gives one finding per check and resource."""
    seen: dict[tuple[str, str, str], int] = {}
    for i, f in enumerate(r.findings):
        key = (f.check, f.resource.kind, f.resource.id)
        if key in seen:
            yield ("findings", i, "fingerprint"), f"finding listed more than once: {named(f)} (as findings[{seen[key]}])"
        seen.setdefault(key, i)


def _digest(r: RunResult) -> Iterator[Problem]:
    """The verdict digest is the digest of what the result concludes (result/verdict.py): a result edited
    after its run shows it, unless the editor recomputed it too (then only `govern verify` shows it)."""
    if r.verdict is None:
        return  # a result from before govern recorded one: the other parts still hold it to itself
    digest = verdict_digest(r)
    if r.verdict.digest != digest:
        yield ("verdict", "digest"), (f"recorded {r.verdict.digest}, but the result's findings, checks and summary "
                                      f"give {digest}")


def named(f: Finding) -> str:
    """A finding as verify names it: PLC-001 system/sys-payment-center."""
    return f"{f.check} {f.resource.kind}/{f.resource.id}"


def _first_by_id(checks: list[CheckSummary]) -> dict[str, CheckSummary]:
    out: dict[str, CheckSummary] = {}
    for c in checks:
        out.setdefault(c.id, c)
    return out


def _run(run: Run | None) -> Iterator[Problem]:
    if run and dt.datetime.fromisoformat(run.finished_at) < dt.datetime.fromisoformat(run.started_at):
        yield ("run", "finished_at"), f"the run finished ({run.finished_at}) before it started ({run.started_at})"


def _duplicates(r: RunResult) -> Iterator[Problem]:
    lists: dict[str, list[str]] = {"checks": [c.id for c in r.checks], "waivers": [w.id for w in r.waivers],
                                   "controls": [c.id for c in r.controls]}
    for key, ids in lists.items():
        seen: set[str] = set()
        for i, id_ in enumerate(ids):
            if id_ in seen:
                yield (key, i, "id"), f"{id_} is listed twice in {key}"
            seen.add(id_)


def _fingerprint(f: Finding, at: JsonPath) -> Iterator[Problem]:
    if f.fingerprint != fingerprint(f.check, f.resource.kind, f.resource.id):
        yield (*at, "fingerprint"), (f"not the fingerprint of check {f.check} on {f.resource.kind} {f.resource.id} "
                                     f"(that is {fingerprint(f.check, f.resource.kind, f.resource.id)})")


def _findings(r: RunResult, checks: dict[str, CheckSummary]) -> Iterator[Problem]:
    waivers = {w.id: w for w in r.waivers}
    for i, f in enumerate(r.findings):
        at: JsonPath = ("findings", i)
        yield from _fingerprint(f, at)
        check = checks.get(f.check)
        if check is None:
            yield (*at, "check"), f"a finding of check {f.check}, which the result's checks do not list"
        elif f.severity != check.severity:
            yield (*at, "severity"), f"severity {f.severity}, but check {f.check} is {check.severity}"
        if f.status == "fail" and f.waiver is not None:
            yield (*at, "waiver"), f"an unwaived finding (status fail) names waiver {f.waiver}"
        if f.status != "waived":
            continue
        if check is not None and not check.waivable:
            yield (*at, "status"), f"waived, but check {f.check} is not waivable"
        waiver = waivers.get(f.waiver) if f.waiver is not None else None
        if f.waiver is None:
            yield (*at, "waiver"), "a waived finding names no waiver"
        elif waiver is None:
            yield (*at, "waiver"), f"waived by {f.waiver}, which the result's waivers do not list"
        elif not waiver.valid:
            yield (*at, "waiver"), f"waived by {f.waiver}, which the result lists as invalid"
        elif (waiver.check, waiver.resource.kind, waiver.resource.id) != (f.check, f.resource.kind, f.resource.id):
            yield (*at, "waiver"), (f"waived by {f.waiver}, which waives {waiver.check} on {waiver.resource.kind} "
                                    f"{waiver.resource.id}, not this finding")


def _resolved(r: RunResult) -> Iterator[Problem]:
    """Findings of the baseline gone now: their checks may be gone too, but each is still a finding."""
    for i, f in enumerate(r.resolved or []):
        yield from _fingerprint(f, ("resolved", i))


def _checks(r: RunResult) -> Iterator[Problem]:
    failed = Counter(f.check for f in r.findings if f.status == "fail")
    waived = Counter(f.check for f in r.findings if f.status == "waived")
    for i, c in enumerate(r.checks):
        at: JsonPath = ("checks", i)
        if c.failed != failed[c.id]:
            yield (*at, "failed"), f"check {c.id}: failed is {c.failed}, but {failed[c.id]} of its findings are unwaived"
        if c.waived != waived[c.id]:
            yield (*at, "waived"), f"check {c.id}: waived is {c.waived}, but {waived[c.id]} of its findings are waived"
        if c.status == "skipped":
            if c.evaluated:
                yield (*at, "evaluated"), f"check {c.id} is skipped, yet evaluated {c.evaluated}"
        elif c.status != check_status(c.failed, c.waived, c.evaluated):
            yield (*at, "status"), (f"check {c.id}: status {c.status}, but evaluated {c.evaluated}, failed {c.failed} "
                                    f"and waived {c.waived} make it {check_status(c.failed, c.waived, c.evaluated)}")


def _selection(r: RunResult) -> Iterator[Problem]:
    """A check is skipped exactly when the selection says so."""
    chosen = {s.check for s in r.selection.skipped}
    status = {c.id: c.status for c in r.checks}
    for i, c in enumerate(r.checks):
        if c.status == "skipped" and c.id not in chosen:
            yield ("checks", i, "status"), f"check {c.id} is skipped, but the selection does not skip it"
    for i, s in enumerate(r.selection.skipped):
        if status.get(s.check) != "skipped":
            yield ("selection", "skipped", i, "check"), (
                f"the selection skips {s.check}, but the result's checks do not list it" if s.check not in status
                else f"the selection skips {s.check}, but its status is {status[s.check]}")


def _summary(r: RunResult) -> Iterator[Problem]:
    """The summary is what `summarize` makes of the findings and checks, as a run writes it."""
    now, at = summarize(r.findings, r.checks, r.fail_on), ("summary",)
    for name in ("fail", "waived", "advisories", "advisory_checks"):
        given, made = getattr(r.summary, name), getattr(now, name)
        if given != made and not (name == "advisory_checks" and given is None):  # None: counted before they were
            yield (*at, name), f"{given}, but the findings make it {made}"
    for severity in SEVERITIES:
        given, made = r.summary.by_severity.get(severity, 0), now.by_severity.get(severity, 0)
        if given != made:
            where = (*at, "by_severity", severity) if severity in r.summary.by_severity else (*at, "by_severity")
            yield where, f"{given} unwaived {severity} finding(s), but the findings hold {made}"
    if r.summary.checks:  # a result from before checks were counted has none
        for status in STATUSES:
            given, made = r.summary.checks.get(status, 0), now.checks[status]
            if given != made:
                yield (((*at, "checks", status) if status in r.summary.checks else (*at, "checks")),
                       f"{given} check(s) {status}, but the checks hold {made}")
    yield from _baseline(r)


def _baseline(r: RunResult) -> Iterator[Problem]:
    """With --baseline, the summary counts new, existing and resolved findings."""
    counts = (r.summary.model_extra or {}).get("baseline")
    if counts is None:
        return
    made = {"new": sum(f.baseline == "new" for f in r.findings),
            "existing": sum(f.baseline == "existing" for f in r.findings), "resolved": len(r.resolved or [])}
    if not isinstance(counts, dict):
        yield ("summary", "baseline"), "must be an object counting new, existing and resolved findings"
        return
    for name, n in made.items():
        if counts.get(name) != n:
            yield ("summary", "baseline", name), f"{counts.get(name)!r} {name} finding(s), but the result holds {n}"


def _counts(summary: Summary, at: JsonPath) -> Iterator[Problem]:
    """Counts that hold in any summary: the unwaived by severity add up to the unwaived, and the
    advisories are among the unwaived info findings."""
    total = sum(summary.by_severity.values())
    if summary.fail != total:
        yield (*at, "fail"), f"{summary.fail} unwaived finding(s), but by_severity counts {total}"
    if summary.advisories > summary.by_severity.get("info", 0):
        yield (*at, "advisories"), (f"{summary.advisories} advisories, more than the "
                                    f"{summary.by_severity.get('info', 0)} unwaived info finding(s)")


def _waivers(r: RunResult, checks: dict[str, CheckSummary]) -> Iterator[Problem]:
    applied = Counter(f.waiver for f in r.findings if f.status == "waived")
    for i, w in enumerate(r.waivers):
        at: JsonPath = ("waivers", i)
        if w.applied != applied[w.id]:
            yield (*at, "applied"), f"waiver {w.id}: applied is {w.applied}, but it waives {applied[w.id]} finding(s)"
        if w.valid == bool(w.problems):
            yield (*at, "valid"), (f"waiver {w.id} is valid, yet {', '.join(w.problems)} fired on it" if w.valid
                                   else f"waiver {w.id} is invalid, yet no check fired on it")
        for k, cid in enumerate(w.problems):
            if cid not in checks:
                yield (*at, "problems", k), f"waiver {w.id}: check {cid}, which the result's checks do not list"


def _controls(r: RunResult, checks: dict[str, CheckSummary]) -> Iterator[Problem]:
    """A control's status rolls up its checks' (run.py `_controls`)."""
    for i, control in enumerate(r.controls):
        at: JsonPath = ("controls", i)
        for k, cid in enumerate(control.checks):
            if cid not in checks:
                yield (*at, "checks", k), f"control {control.id} names check {cid}, which the result's checks do not list"
        made = rollup(checks[c].status if c in checks else "not_applicable" for c in control.checks)
        if control.status != made:
            yield (*at, "status"), f"control {control.id}: status {control.status}, but its checks make it {made}"
