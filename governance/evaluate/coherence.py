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
from dataclasses import dataclass, field

from governance import frameworks
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
    WaiverRecord,
    advisory,
    check_status,
    rollup,
    summarize,
    verdict_digest,
)

JsonPath = tuple[str | int, ...]
Problem = tuple[JsonPath, str]  # where in the document, what is wrong


# keys only a result has: a manifest holding them is a result in disguise (its findings would be ignored)
RESULT_ONLY = ("findings", "checks", "summary", "waivers", "controls", "domains", "resolved", "budget", "strategy",
               "actions")


def result_problems(r: RunResult) -> list[Problem]:
    checks = _first_by_id(r.checks)
    problems: list[Problem] = []
    counts = _findings(r, checks, problems)  # one pass over the findings (a run may hold 100,000)
    return [*_kind(r), *_run(r.run), *_duplicates(r), *problems, *_resolved(r), *_checks(r, counts),
            *_selection(r), *_summary(r, counts), *_waivers(r, checks, counts), *_controls(r, checks),
            *_actions(r, checks), *_digest(r)]


@dataclass
class _Counts:
    """What the findings add up to, counted in the one pass that holds each of them to the rest."""

    failed: Counter[str] = field(default_factory=Counter)  # check -> its unwaived findings
    waived: Counter[str] = field(default_factory=Counter)  # check -> its waived findings
    applied: Counter[str | None] = field(default_factory=Counter)  # waiver -> the findings it waives
    unwaived: Counter[str] = field(default_factory=Counter)  # severity -> unwaived findings
    baseline: Counter[str | None] = field(default_factory=Counter)  # new, existing (with --baseline)
    advisories: int = 0


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
                                   "controls": [c.id for c in r.controls], "actions": [a.id for a in r.actions or []]}
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


def _findings(r: RunResult, checks: dict[str, CheckSummary], problems: list[Problem]) -> _Counts:
    """Each finding listed once (a run gives one per check and resource), with its own fingerprint, of a check
    the result lists and at its severity, waived only as a waiver the result lists allows; the counts besides."""
    waivers = {w.id: w for w in r.waivers}
    counts = _Counts()
    seen: dict[tuple[str, str, str], int] = {}
    for i, f in enumerate(r.findings):
        at: JsonPath = ("findings", i)
        key = (f.check, f.resource.kind, f.resource.id)
        if key in seen:
            problems.append(((*at, "fingerprint"), f"finding listed more than once: {named(f)} (as findings[{seen[key]}])"))
        seen.setdefault(key, i)
        if f.fingerprint != fingerprint(*key):
            problems.extend(_fingerprint(f, at))
        counts.baseline[f.baseline] += 1
        check = checks.get(f.check)
        if check is None:
            problems.append(((*at, "check"), f"a finding of check {f.check}, which the result's checks do not list"))
        elif f.severity != check.severity:
            problems.append(((*at, "severity"), f"severity {f.severity}, but check {f.check} is {check.severity}"))
        if f.status == "fail":
            counts.failed[f.check] += 1
            counts.unwaived[f.severity] += 1
            counts.advisories += advisory(f, r.fail_on)
            if f.waiver is not None:
                problems.append(((*at, "waiver"), f"an unwaived finding (status fail) names waiver {f.waiver}"))
            continue
        counts.waived[f.check] += 1
        counts.applied[f.waiver] += 1
        problems.extend(_waived(f, at, check, waivers))
    return counts


def _waived(f: Finding, at: JsonPath, check: CheckSummary | None, waivers: dict[str, WaiverRecord]) -> Iterator[Problem]:
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


def _checks(r: RunResult, counts: _Counts) -> Iterator[Problem]:
    failed, waived = counts.failed, counts.waived
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


def _summary(r: RunResult, counts: _Counts) -> Iterator[Problem]:
    """The summary is what `summarize` makes of the findings and checks, as a run writes it (the findings'
    part from their counts, taken in the pass over them)."""
    at: JsonPath = ("summary",)
    now = summarize([], r.checks, r.fail_on).model_copy(update={
        "fail": counts.unwaived.total(), "waived": counts.waived.total(),
        "advisories": counts.advisories,
        "by_severity": {s: counts.unwaived[s] for s in SEVERITIES if counts.unwaived[s]}})
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
    yield from _baseline(r, counts.baseline)


def _baseline(r: RunResult, baseline: Counter[str | None]) -> Iterator[Problem]:
    """With --baseline, the summary counts new, existing and resolved findings."""
    counts = (r.summary.model_extra or {}).get("baseline")
    if counts is None:
        return
    made = {"new": baseline["new"], "existing": baseline["existing"], "resolved": len(r.resolved or [])}
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


def _waivers(r: RunResult, checks: dict[str, CheckSummary], counts: _Counts) -> Iterator[Problem]:
    applied = counts.applied
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
    """A control's status rolls up its checks' (run.py `_controls`); it cites clauses as a workspace's control
    must (the loader holds a workspace to frameworks.problems, so a run writes nothing else): a citation is a
    name every report and the audit pack build on, a file name among them."""
    for i, control in enumerate(r.controls):
        at: JsonPath = ("controls", i)
        for where, why in frameworks.problems(control.references):
            yield (*at, "references", *where), f"control {control.id}: {why}"
        for k, cid in enumerate(control.checks):
            if cid not in checks:
                yield (*at, "checks", k), f"control {control.id} names check {cid}, which the result's checks do not list"
        made = rollup(checks[c].status if c in checks else "not_applicable" for c in control.checks)
        if control.status != made:
            yield (*at, "status"), f"control {control.id}: status {control.status}, but its checks make it {made}"


def _actions(r: RunResult, checks: dict[str, CheckSummary]) -> Iterator[Problem]:
    """An action addresses checks of the run's policy (evaluate/actions.py), and every one of them is listed."""
    for i, action in enumerate(r.actions or []):
        for k, addressed in enumerate(action.addresses):
            if addressed.check not in checks:
                yield (("actions", i, "addresses", k, "check"),
                       f"action {action.id} addresses check {addressed.check}, which the result's checks do not list")
