"""The committee's meeting pack: from a run at the meeting's date to the typed `Agenda` (docs/agenda.md).

Which findings need the committee is each check's own word (METADATA `custom.agenda`, carried in the
run's `checks`); they are grouped by the check's domain, headed by the vocabulary's agenda heading for
that domain (label `agenda.group.<domain>`), else by the domain's own title. Nothing here names a check.

Who answers for an item is read off the resource's entity: its `owner`, else the person field of its
kind that names who answers for it (`ANSWERS_FOR`: a committee's chair, a decision's or a waiver's
approver, its requester); a budget line without an owner is its project's owner's; a resource that is
no entity (a phase, the portfolio) is the committee's, so its chair's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Unpack

from governance.engine import EngineError, EngineOptions
from governance.evaluate.run import load, run_check
from governance.model import Action, Workspace
from governance.result import (
    ActionRecord,
    Addressed,
    Agenda,
    AgendaChange,
    AgendaCounts,
    AgendaGoal,
    AgendaGroup,
    AgendaItem,
    AgendaPoint,
    AgendaReading,
    AgendaWindow,
    Finding,
    FindingLocation,
    PreviousRun,
    Resource,
    RunResult,
    WaiverRecord,
    advisory,
    gate,
    severity_rank,
)
from governance.vocabulary import vocabulary

# the person fields that say who answers for an entity with no `owner`, in the order they are asked
ANSWERS_FOR = ("chair", "approved_by", "requested_by")
# the date an item turns on: the first of these fields its resource has
DATE_FIELDS = ("due", "expires", "date", "start")
GROUP_LABEL = "agenda.group.{}"  # the vocabulary's agenda heading of a domain, by its id
WAIVER_KIND = "waiver"
GOAL_KIND = "goal"
ACTION_KIND = "action"


@dataclass(frozen=True)
class Earlier:
    """The run the pack compares with: its result (already compared with: `history.compared`), the sha256
    of its bytes, and where it came from."""

    result: RunResult
    digest: str
    source: Literal["history", "file"]


def build(result: RunResult, ws: Workspace, earlier: Earlier | None = None,
          trend: list[AgendaPoint] | None = None, dates: dict[str, str] | None = None) -> Agenda:
    """The pack for the meeting on `result.as_of`. `result` is the run at that date, compared with
    `earlier` where there is one (its findings marked new or existing, `resolved` set); `ws` the workspace
    it evaluated, loaded whole (owners, people, dates); `trend` the entity's recorded runs up to it; `dates`
    the day each change was first recorded, by fingerprint (history store)."""
    meeting = dt.date.fromisoformat(result.as_of)
    last = last_meeting(ws, result.as_of)
    still, closed = actions(ws, result.as_of, last)
    window = AgendaWindow(start=result.as_of, to=(meeting + dt.timedelta(days=result.cadence_days)).isoformat())
    groups = _groups(result)
    items = _finding_items(result, ws) + _waiver_items(result, ws, window.to)
    items.sort(key=lambda i: (groups[i.group].order is None, groups[i.group].order or 0, i.group,
                              severity_rank(i.severity), i.date or "9999-12-31", i.check, i.resource.kind, i.resource.id))
    used = [groups[g] for g in dict.fromkeys(i.group for i in items)]
    return Agenda(
        workspace=result.workspace, meeting=result.as_of, window=window, cadence_days=result.cadence_days,
        tool=result.tool, engine=result.engine, run_verdict=result.verdict.digest if result.verdict else None,
        fail_on=result.fail_on, verdict="fail" if gate(result, result.fail_on) else "pass",
        counts=counts(result, len(items)), previous=_previous(earlier, ws, _marked(result)), groups=used, items=items,
        changes=_changes(result, dates or {}) if earlier is not None else None, trend=trend or [],
        goals=result.strategy.goals if result.strategy else [], last_meeting=last, progress=progress(ws, result),
        actions=still, closed=closed, remediation=_remediation(result, items),
    )


def _remediation(result: RunResult, items: list[AgendaItem]) -> dict[str, dict[str, str]]:
    """How to fix what the items' checks find, as their METADATA says it: what the committee assigns."""
    declared = {c.id: c.remediation for c in result.checks if c.remediation}
    return {cid: dict(declared[cid]) for cid in sorted({i.check for i in items}) if cid in declared}


def last_meeting(ws: Workspace, meeting: str) -> str | None:
    """The date of the committees' latest recorded meeting before this one (`meetings` in the inventory)."""
    day = dt.date.fromisoformat(meeting)
    held = [m.date for m in ws.inventory.meetings.values() if m.date < day]
    return max(held).isoformat() if held else None


def counts(result: RunResult, items: int) -> AgendaCounts:
    unwaived = [f for f in result.findings if f.status == "fail" and not advisory(f, result.fail_on)]
    return AgendaCounts(unwaived=len(unwaived), advisories=sum(advisory(f, result.fail_on) for f in result.findings),
                  waived=sum(f.status == "waived" for f in result.findings), items=items,
                  by_severity=dict(sorted(Counter(f.severity for f in unwaived).items(),
                                          key=lambda kv: severity_rank(kv[0]))))


def _previous(earlier: Earlier | None, ws: Workspace, marked: set[str]) -> PreviousRun | None:
    """The previous run, its items counted as this meeting's are: by this run's marks (a run recorded before
    a check was marked counts its findings too), in its own window."""
    if earlier is None:
        return None
    before = earlier.result
    items = len(_finding_items(before, ws, agenda=marked))
    end = dt.date.fromisoformat(before.as_of) + dt.timedelta(days=before.cadence_days)
    items += len(_expiring(before, end.isoformat()))
    return PreviousRun(as_of=before.as_of, digest=earlier.digest, source=earlier.source,
                       counts=counts(before, items))


def _marked(result: RunResult) -> set[str]:
    return {c.id for c in result.checks if c.agenda}


def _groups(result: RunResult) -> dict[str, AgendaGroup]:
    """Every domain of the run as a heading, and the waivers' heading (`_waiver_group`)."""
    labels = vocabulary()["labels"]
    groups = {d.id: AgendaGroup(id=d.id, title=dict(labels.get(GROUP_LABEL.format(d.id)) or d.title), order=d.order)
              for d in result.domains}
    waivers = _waiver_group(result)
    if waivers not in groups:  # no check reports on waivers this run: the heading stands on its own
        groups[waivers] = AgendaGroup(id=waivers, title=dict(labels.get(GROUP_LABEL.format(waivers)) or {}))
    return groups


def _waiver_group(result: RunResult) -> str:
    """Where expiring waivers go: beside the expired ones, in the domain of the agenda checks on waivers."""
    return next((c.domain for c in result.checks if c.agenda and c.resource == WAIVER_KIND), WAIVER_KIND)


def _finding_items(result: RunResult, ws: Workspace, agenda: set[str] | None = None) -> list[AgendaItem]:
    marked = _marked(result) if agenda is None else agenda
    domain = {c.id: c.domain for c in result.checks}
    return [_finding_item(f, domain.get(f.check, ""), ws) for f in result.findings
            if f.status == "fail" and f.check in marked]


def _finding_item(f: Finding, group: str, ws: Workspace) -> AgendaItem:
    owner = answerable(ws, f.resource)
    date, field = dated(ws, f.resource)
    return AgendaItem(kind="finding", group=group, check=f.check, resource=f.resource, status="fail",
                      severity=f.severity, message=f.message, message_zh=f.message_zh, owner=owner,
                      owner_name=_name(ws, owner), date=date, date_field=field, location=f.location,
                      fingerprint=f.fingerprint, change=f.baseline)


def _expiring(result: RunResult, until: str) -> list[tuple[WaiverRecord, Finding | None]]:
    """Each waiver applied this run whose last day falls on or before `until`, with a finding it waived."""
    waived = {f.waiver: f for f in result.findings if f.status == "waived"}
    return [(w, waived.get(w.id)) for w in result.waivers if w.valid and w.applied > 0 and w.expires <= until]


def _waiver_items(result: RunResult, ws: Workspace, until: str) -> list[AgendaItem]:
    group = _waiver_group(result)
    items = []
    for w, f in _expiring(result, until):
        owner = answerable(ws, Resource(kind=WAIVER_KIND, id=w.id))
        items.append(AgendaItem(
            kind="waiver_expiring", group=group, check=w.check, resource=w.resource, status="waived",
            severity=f.severity if f else "info", message=f.message if f else w.justification,
            message_zh=f.message_zh if f else None, owner=owner, owner_name=_name(ws, owner), date=w.expires,
            date_field="expires", location=w.location, waiver=w.id, expires=w.expires,
            fingerprint=f.fingerprint if f else None, change=f.baseline if f else None))
    return items


def answerable(ws: Workspace, resource: Resource) -> str | None:
    """The person id of who answers for `resource` (see the module's docstring), or None."""
    entity = ws.entity(resource.kind, resource.id)
    if entity is None:
        chairs = [c.chair for _, c in sorted(ws.committees.items())]
        return chairs[0] if chairs else None
    for name in ("owner", *ANSWERS_FOR):
        value = getattr(entity, name, None)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value:
            return value
    project = ws.budget_line_project.get(resource.id) if resource.kind == "budget_line" else None
    if project is not None:
        return answerable(ws, Resource(kind="project", id=project))
    return None


def dated(ws: Workspace, resource: Resource) -> tuple[str | None, str | None]:
    """The date an item turns on (the first of DATE_FIELDS its entity has) and which field it is."""
    entity = ws.entity(resource.kind, resource.id)
    for name in DATE_FIELDS:
        value = getattr(entity, name, None) if entity is not None else None
        if isinstance(value, dt.date):
            return value.isoformat(), name
    return None, None


def _name(ws: Workspace, person: str | None) -> str | None:
    found = ws.inventory.people.get(person) if person else None
    return found.name if found is not None else None


def _changes(result: RunResult, dates: dict[str, str]) -> list[AgendaChange]:
    """What appeared (findings marked new) and what went away (`resolved`) since the previous run."""
    def change(kind: Literal["new", "resolved"], f: Finding) -> AgendaChange:
        return AgendaChange(change=kind, check=f.check, severity=f.severity, status=f.status,
                      resource=f.resource, message=f.message, message_zh=f.message_zh, location=f.location,
                            fingerprint=f.fingerprint, date=dates.get(f.fingerprint))

    new = [change("new", f) for f in result.findings if f.baseline == "new"]
    return new + [change("resolved", f) for f in result.resolved or []]



def meeting_run(path: Path | str, meeting: dt.date, progress: Callable[[str], None] = lambda _: None,
                **engine_options: Unpack[EngineOptions]) -> tuple[RunResult, Workspace]:
    """The run at the meeting's date, and the workspace it evaluated, loaded whole: a run keeps only what its
    summaries read of the inventory (run.prepare), and the pack needs every owner and person. The workspace is
    read twice; if a file changed in between, the pack could mix two versions of it, so that is an engine
    failure (exit 3), never a pack."""
    progress("loading the workspace's people and owners")
    ws = load(path)  # an invalid workspace is exit 2 here, before OPA starts
    result = run_check(path, meeting, progress=progress, **engine_options)
    read = {(d.rel, d.sha256) for d in ws.documents} | {(s.rel, s.sha256) for s in ws.rego_sources}
    if read != {(f.path, f.sha256) for f in result.inputs}:
        raise EngineError("the workspace changed while the agenda was built (its files differ between two reads); "
                          "run it again")
    return result, ws


def progress(ws: Workspace, result: RunResult) -> list[AgendaGoal]:
    """Each goal with a plan line (baseline on its start, target on its due date) or readings, in the goal
    tree's order: its readings up to the meeting, the plan line's value on the latest one as the check
    observing `goal_progress` measured it (GoalRecord.progress; not recomputed), and the marked checks with
    an unwaived finding on it (behind plan, overdue …)."""
    marked = _marked(result)
    flagged: dict[str, set[str]] = {}
    for f in result.findings:
        if f.status == "fail" and f.check in marked and f.resource.kind == GOAL_KIND:
            flagged.setdefault(f.resource.id, set()).add(f.check)
    records = {g.id: g for g in result.strategy.goals} if result.strategy else {}
    order = [*records, *sorted(set(ws.inventory.goals) - set(records))]
    shown = []
    for gid in order:
        goal = ws.inventory.goals.get(gid)
        if goal is None:
            continue
        readings = sorted((r for r in goal.readings or () if r.date.isoformat() <= result.as_of), key=lambda r: r.date)
        planned = records[gid].progress if gid in records else None
        if not readings and None in (goal.start, goal.due, goal.baseline, goal.target):
            continue
        shown.append(AgendaGoal(
            goal=gid, statement=goal.statement, tier=goal.tier, owner=goal.owner, owner_name=_name(ws, goal.owner),
            metric=goal.metric, baseline=goal.baseline, target=goal.target,
            start=goal.start.isoformat() if goal.start else None, due=goal.due.isoformat() if goal.due else None,
            status=goal.status, readings=[AgendaReading(date=r.date.isoformat(), value=r.value) for r in readings],
            planned=planned.plan if planned else None, checks=sorted(flagged.get(gid, ()))))
    return shown


def actions(ws: Workspace, meeting: str, last: str | None) -> tuple[list[ActionRecord], list[ActionRecord]]:
    """The open actions, by owner then due date; and those done or dropped since the committee's last
    meeting `last`, by their `done_at` (one without it cannot be dated, and is not listed)."""
    day = dt.date.fromisoformat(meeting)
    records = [_action(ws, a, day) for a in ws.inventory.actions.values()]
    still = sorted((r for r in records if r.status == "open"),
                   key=lambda r: (r.owner_name or r.owner, r.owner, r.due, r.id))
    closed = sorted((r for r in records if r.status != "open" and last is not None and r.done_at is not None
                     and last < r.done_at <= meeting), key=lambda r: (r.done_at or "", r.id))
    return still, closed


def _action(ws: Workspace, action: Action, day: dt.date) -> ActionRecord:
    where = ws.declared_at(ACTION_KIND, action.id)
    return ActionRecord(
        id=action.id, title=action.title, owner=action.owner, owner_name=_name(ws, action.owner),
        due=action.due.isoformat(), status=action.status, overdue=action.status == "open" and action.due < day,
        meeting=action.meeting, done_at=action.done_at.isoformat() if action.done_at else None,
        addresses=[Addressed(check=a.check, resource=Resource(kind=a.resource.kind, id=a.resource.id))
                   for a in action.addresses],
        location=FindingLocation(**where.as_dict()) if where else None)
