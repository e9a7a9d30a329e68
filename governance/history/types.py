"""What the history store answers (docs/history.md): the JSON contract of the `govern history` reading
commands, as pydantic models.

A run is named by its digest, the sha256 of the result file's bytes in hex (what `sha256sum` prints),
so a run in the store and the file on disk are matched without govern. Dates are as_of days as a run
writes them (YYYY-MM-DD); `started` is the run's start time as it wrote it, or None for a result made
before runs recorded one (such a run sorts before the others of its day).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from governance.result import Resource, Severity

EventKind = Literal["new", "resolved", "regressed", "waived", "unwaived"]
FindingState = Literal["open", "resolved"]


class TrendPoint(BaseModel):
    """One recorded run's counts, computed once when it is recorded (a trend never reads findings).

    `unwaived`: unwaived findings above info; `advisories`: unwaived info findings; `by_severity`: unwaived
    findings per severity, every severity present; `new`/`resolved`/`regressed`: relative to the entity's
    previous run (`new` = reported for the first time ever, `regressed` = reported again after it was
    resolved); `by_domain`: unwaived findings above info per check domain; controls: those whose status is
    `pass`, of all the run reports.
    """

    entity: str
    as_of: str
    digest: str
    started: str | None
    unwaived: int
    advisories: int
    waived: int
    by_severity: dict[Severity, int]
    new: int
    resolved: int
    regressed: int
    by_domain: dict[str, int] = {}
    controls_satisfied: int = 0
    controls_total: int = 0


class Trend(BaseModel):
    """`history trend --format json`: one point per recorded run, ordered by entity, then as_of, then started."""

    points: list[TrendPoint]


class FindingEvent(BaseModel):
    """A change in a finding's life at one run (`digest`): first reported (new), no longer reported
    (resolved), reported again after that (regressed), or its status changed between two runs that both
    report it (waived, unwaived)."""

    as_of: str
    kind: EventKind
    digest: str


class FindingHistory(BaseModel):
    """`history finding FINGERPRINT --format json`: one finding (entity, fingerprint) across runs."""

    entity: str
    fingerprint: str
    check: str
    resource: Resource
    severity: Severity
    first_seen: str  # the as_of of the first run that reported it
    last_seen: str  # the as_of of the latest run that reported it
    state: FindingState  # open: the entity's latest run reports it
    events: list[FindingEvent]


class RecordedRun(BaseModel):
    """A run in the store (`history list`), with its precomputed counts."""

    entity: str
    as_of: str
    started: str | None
    digest: str
    fail_on: str
    tool_version: str
    opa_version: str
    counts: TrendPoint


class RecordOutcome(BaseModel):
    """What `record` did with one result: stored it, or found its digest already stored (nothing changed)."""

    digest: str
    entity: str
    as_of: str
    stored: bool
    restored: bool = False  # an archived run loaded back (`history record ARCHIVE`): its bytes and findings return


class OpenFinding(BaseModel):
    """A finding open at a given as_of, and for how long: days from its latest opening (new or regressed)."""

    entity: str
    fingerprint: str
    check: str
    resource: Resource
    severity: Severity
    first_seen: str  # as_of of the run that opened it (the latest `new` or `regressed`)
    age_days: int


class SeverityResolveTime(BaseModel):
    """Time to resolve for one severity: how many openings were resolved, their median time in days
    (None when none was), and the finding of that severity open longest (None when none is open)."""

    resolved: int
    median_days: float | None
    longest_open: OpenFinding | None


class ResolveTimes(BaseModel):
    """Time to resolve per severity, every severity present, at a given as_of."""

    as_of: str
    by_severity: dict[Severity, SeverityResolveTime]


class PruneOutcome(BaseModel):
    """What `prune` did: the runs moved to the archive (their digests) and the latest runs it kept although
    they were older than the date (an entity's latest run is never pruned). No run to move: no archive (None)."""

    archive: str | None
    pruned: list[str]
    kept_latest: list[str]
