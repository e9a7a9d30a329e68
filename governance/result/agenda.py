"""The committee's meeting pack (`govern agenda`), as its JSON says it and every agenda format reads it
(docs/agenda.md describes the keys).

The pack is built once (evaluate/agenda.py) from a run at the meeting's date, the workspace's people
and owners, and the run it is compared with; its renderers read nothing else.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from governance.result.types import (
    Addressed,
    Count,
    Day,
    Engine,
    FindingLocation,
    GoalRecord,
    Resource,
    Tool,
    _Model,
)
from governance.result.vocabulary import FailOn, Number, Severity

AGENDA_KIND: Literal["govern-agenda"] = "govern-agenda"
AGENDA_SCHEMA_VERSION = 1


class AgendaWindow(_Model):
    """From the meeting's date to the next regular meeting (the committee's cadence), both days included."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    start: Day = Field(alias="from")
    to: Day


class AgendaGroup(_Model):
    """A heading of the items needing a decision: one per check domain that has any (the domain its
    package's METADATA declares), titled by the vocabulary's agenda name for it, else by the domain's own."""

    id: str
    title: dict[str, str] = {}  # language -> heading
    order: int | None = None


class AgendaItem(_Model):
    """One thing the committee decides on: an unwaived finding of a check marked `custom.agenda`, or an
    applied waiver that expires before the next regular meeting (renew it or let it lapse)."""

    kind: Literal["finding", "waiver_expiring"]
    group: str  # an AgendaGroup id
    check: str  # the finding's check; for an expiring waiver, the check it waives
    resource: Resource  # the finding's resource; for an expiring waiver, the resource it waives
    status: Literal["fail", "waived"]
    severity: Severity
    message: str = ""  # English, as the check wrote it
    message_zh: str | None = None
    owner: str | None = None  # person id: who answers for it (evaluate/agenda.py says who that is)
    owner_name: str | None = None
    date: Day | None = None  # the date the item turns on
    date_field: str | None = None  # which field of the resource that date is: due, expires, date, start
    location: FindingLocation | None = None
    waiver: str | None = None  # an expiring waiver's id
    expires: Day | None = None  # an expiring waiver's last day
    fingerprint: str | None = None  # the finding's (an expiring waiver: the finding it waives)
    change: Literal["new", "existing"] | None = None  # against the previous run, when there is one


class AgendaCounts(_Model):
    """A run's counts as page one compares them with the previous run's."""

    unwaived: Count  # unwaived findings above info
    advisories: Count  # unwaived info findings
    waived: Count
    items: Count  # items needing a decision
    by_severity: dict[Severity, Count] = {}  # unwaived, per severity


class PreviousRun(_Model):
    """The run the pack compares with: the entity's last recorded run before the meeting (`history`), or a
    --baseline result (`file`)."""

    as_of: Day
    digest: str  # sha256 of its result's bytes, in hex
    source: Literal["history", "file"]
    counts: AgendaCounts


class AgendaChange(_Model):
    """A finding that appeared or went away between the previous run and the meeting."""

    change: Literal["new", "resolved"]
    check: str
    severity: Severity
    status: Literal["fail", "waived"]
    resource: Resource
    message: str = ""
    message_zh: str | None = None
    location: FindingLocation | None = None
    fingerprint: str = ""
    date: Day | None = None  # the run it was first recorded in, between the previous run and the meeting (history)


class AgendaPoint(_Model):
    """One recorded run of the entity up to the meeting (from the history store)."""

    as_of: Day
    unwaived: Count
    waived: Count


class AgendaReading(_Model):
    """A goal's metric as measured on one day."""

    date: Day
    value: Number


class AgendaGoal(_Model):
    """One goal's readings against its plan line: from `baseline` on `start` to `target` on `due`."""

    goal: str
    statement: str
    tier: str
    owner: str | None = None
    owner_name: str | None = None
    metric: str | None = None
    baseline: Number | None = None
    target: Number | None = None
    start: Day | None = None
    due: Day | None = None
    status: str = "open"
    readings: list[AgendaReading] = []  # by date
    planned: Number | None = None  # the plan line on the latest reading's date, as the check measured it
    checks: list[str] = []  # the marked checks with an unwaived finding on the goal (behind plan, overdue …)


class ActionRecord(_Model):
    """A committee action item, as the pack lists it by owner."""

    id: str
    title: str
    owner: str
    owner_name: str | None = None
    due: Day
    status: Literal["open", "done", "dropped"]
    overdue: bool = False  # open, and due before the meeting
    meeting: str | None = None  # the meeting that assigned it
    done_at: Day | None = None
    addresses: list[Addressed] = []  # the findings it addresses
    location: FindingLocation | None = None


class Agenda(_Model):
    kind: Literal["govern-agenda"] = AGENDA_KIND
    schema_version: int = AGENDA_SCHEMA_VERSION
    workspace: str
    meeting: Day
    window: AgendaWindow
    cadence_days: Count
    tool: Tool
    engine: Engine
    run_verdict: str | None = None  # the digest of the run's verdict (RunResult.verdict) the pack was built from
    fail_on: FailOn
    verdict: Literal["pass", "fail"]
    counts: AgendaCounts
    previous: PreviousRun | None = None
    groups: list[AgendaGroup]
    items: list[AgendaItem]
    changes: list[AgendaChange] | None = None  # None without a previous run
    trend: list[AgendaPoint] = []
    goals: list[GoalRecord] = []  # the goal tree, depth first
    progress: list[AgendaGoal] = []  # the goals with a plan or readings, in the tree's order
    last_meeting: Day | None = None  # the committee's latest meeting before this one, where one is recorded
    actions: list[ActionRecord] = []  # open, by owner then due date
    closed: list[ActionRecord] = []  # done or dropped since the last meeting
    # how to fix, per check of the items (check id -> language -> text, its METADATA custom.remediation), by id;
    # {} in a pack from before checks declared it
    remediation: dict[str, dict[str, str]] = {}

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, by_alias=True) + "\n"
