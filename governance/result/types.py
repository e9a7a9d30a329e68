"""The run result: the JSON contract (docs/audit.md describes its keys), as pydantic models.

Every renderer reads a `RunResult`; `govern report` re-reads one from JSON,
so whatever a report needs must live here, not in the workspace.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, model_validator

from governance.result.vocabulary import DEFAULT_CADENCE_DAYS, EARLIEST, LATEST, FailOn, Number, Severity, Status

SCHEMA_VERSION = 1

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _real_day(value: str) -> str:
    """A calendar date written YYYY-MM-DD, inside the range every model accepts: a saved result is read back
    (`govern report`, verify, aggregate), and a date that does not exist must be refused there, not crash a report."""
    if not _DAY.fullmatch(value):
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{value} is outside {EARLIEST}..{LATEST}")
    return value


_UTC_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def _utc_time(value: str) -> str:
    """A UTC time as a run writes it, the one form it writes (2026-11-25T09:30:00Z): a real date and time.
    Another offset (+08:00, even +00:00) or fractions of a second are no run's: refused, as the message says."""
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a time written YYYY-MM-DDTHH:MM:SSZ") from None
    if not _UTC_TIME.fullmatch(value):
        raise ValueError(f"{value!r} is not a UTC time written YYYY-MM-DDTHH:MM:SSZ")
    return value


Day = Annotated[str, AfterValidator(_real_day)]  # kept as written, so a re-rendered result is byte for byte the same
Timestamp = Annotated[str, AfterValidator(_utc_time)]
Count = Annotated[StrictInt, Field(ge=0)]  # not a bool, not 2.0, never negative
Position = Annotated[StrictInt, Field(ge=1)]  # 1-based line or column
COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")  # a git commit id: sha1, or a sha256 repository's


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")  # newer results may add keys; keep them on re-render


class Resource(_Model):
    kind: str
    id: str


class FindingLocation(_Model):
    file: str
    line: Position
    column: Position


class Finding(_Model):
    check: str
    severity: Severity
    status: Literal["fail", "waived"]
    resource: Resource
    message: str  # English, as the check wrote it
    message_zh: str | None = None  # the same finding in Chinese, where the check writes one
    location: FindingLocation | None = None
    controls: list[str] = []
    waiver: str | None = None
    fingerprint: str
    baseline: Literal["new", "existing"] | None = None  # set only with --baseline


class Addressed(_Model):
    """A finding an action addresses: a check on a resource (the check need not fire)."""

    check: str
    resource: Resource


class ActionItem(_Model):
    """A committee action item as the run records it (the workspace's `actions`): who fixes which findings by
    when. The plan of action and milestones (`--format oscal-poam`) pairs each finding with the actions that
    address it, from a saved result as from a run."""

    id: str
    title: str
    owner: str  # person id
    owner_name: str | None = None  # where the inventory knows the person
    due: Day
    status: Literal["open", "done", "dropped"]
    meeting: str | None = None  # the meeting that assigned it
    addresses: list[Addressed] = []
    goals: list[str] = []  # goal ids it advances
    done_at: Day | None = None


class CheckSummary(_Model):
    id: str
    title: str  # English, from the check's METADATA title
    title_zh: str | None = None  # from its METADATA custom.title_zh, where present
    description: str = ""
    severity: Severity
    waivable: bool
    domain: str
    resource: str | None = None
    evaluated: Count
    failed: Count
    waived: Count
    status: Status
    controls: list[str] = []
    # its findings need a committee decision (METADATA custom.agenda): `govern agenda` lists them; None in a
    # result from before checks were marked
    agenda: bool | None = None
    # how to fix what it finds, language (zh, en) -> text, from its METADATA custom.remediation; {} where the check
    # declares none and in a result from before checks declared it
    remediation: dict[str, str] = {}


class SkippedCheck(_Model):
    """A check the run's selection left out, and who asked for it: the command line (`--skip`),
    the environment (GOVERN_CHECK_SKIP) or the manifest (`skip:` in governance.yaml)."""

    check: str
    sources: list[Literal["cli", "env", "manifest"]]

    def __str__(self) -> str:
        return f"{self.check} ({', '.join(self.sources)})"  # as reports list it: PLC-001 (manifest)


class Selection(_Model):
    """Which checks the run reports: all those the policy declares, less `skipped`."""

    skipped: list[SkippedCheck] = []  # sorted by check id


class WaiverRecord(_Model):
    id: str
    check: str
    resource: Resource
    justification: str
    requested_by: str
    approved_by: str
    # the people's names where the inventory knows them, so a report shows a person as name (id)
    requested_by_name: str | None = None
    approved_by_name: str | None = None
    approved_at: Day
    expires: Day
    decision: str | None = None  # the decision that granted it, where the waiver names one
    valid: bool
    problems: list[str] = []  # ids of WAV checks that fired on this waiver
    applied: Count = 0  # findings it waived this run
    location: FindingLocation | None = None


class ControlRecord(_Model):
    id: str
    title: dict[str, str]
    checks: list[str]
    references: dict = {}
    status: Status


class DomainRecord(_Model):
    """A check domain as its package's METADATA declares it: titles per language, reading order."""

    id: str
    title: dict[str, str] = {}
    order: int | None = None


class Tool(_Model):
    name: str = "govern"
    version: str


class Engine(_Model):
    kind: Literal["opa"] = "opa"
    opa_version: str
    policy_revision: str


class InputFile(_Model):
    path: str
    sha256: str


class Run(_Model):
    started_at: Timestamp
    finished_at: Timestamp


class Summary(_Model):
    fail: Count  # unwaived findings of every severity (the JSON contract), advisories included
    waived: Count
    advisories: Count = 0  # of `fail`, the info findings that cannot fail this run (see verdict.advisory)
    # of `checks["fail"]`, the checks failing on advisories alone: reports show them passing with advisories
    # (vocabulary.standing); None in a result from before they were counted
    advisory_checks: Count | None = None
    by_severity: dict[Severity, Count]
    checks: dict[Status, Count] = {}


class Verdict(_Model):
    """What the run concluded, bound by one digest (`verdict.verdict_digest`): its findings, the checks'
    statuses and counts, and the summary, and (coverage 2) what the committee reads beside them. A result
    edited after the run no longer matches it."""

    digest: str  # sha256:<hex>
    # what the digest covers (result/verdict.py): 1, the verdict alone, in results saved before 2 bound what the
    # committee reads too (Chinese messages, budget, strategy, cadence_days); absent in those results, so 1;
    # 3 adds the action items
    covers: int = 1


class GitState(_Model):
    """The workspace's git commit when it is in a git repository, and whether a file the run read
    differs from that commit (modified, untracked or ignored)."""

    commit: Annotated[str, Field(pattern=f"^{COMMIT.pattern}$")]  # a saved result carries an id here, never text
    dirty: bool


class Band(_Model):
    """The budget check's own reading of one targeted category in one phase (the check observing
    `budget_bands` emits it, so the chart cannot disagree with the finding)."""

    share: float  # actual share of the phase total, 0..1
    target: float
    low: float  # target - tolerance, clamped to 0..1
    high: float
    in_band: bool


class PhaseBudget(_Model):
    id: str
    months: tuple[int, int]
    projects: list[str]  # ids of the projects in this phase, sorted
    lines: Count  # number of budget lines counted
    total: Number  # money keeps its int-ness, as in the inventory
    amounts: dict[str, Number]  # category -> summed amount
    shares: dict[str, float]  # category -> amount / total (0..1); empty when total is 0
    targets: dict[str, float]  # category -> target share (0..1), from the policy
    bands: dict[str, Band] = {}  # targeted category -> the check's observation; empty where it did not evaluate
    # spend dated on or before as_of on those lines: what was spent against `amounts` (the plan)
    spent: dict[str, Number] = {}  # category -> summed spend
    spent_total: Number = 0
    spent_shares: dict[str, float] = {}  # category -> spent / spent_total (0..1); empty when nothing was spent


class LineSpend(_Model):
    """A budget line and what was spent on it (all spend on it, whatever its date, as BUD-003 counts it)."""

    id: str
    project: str
    category: str
    amount: Number
    spent: Number


class ProjectBurn(_Model):
    """A running project's spend to date against what was approved and against the time gone by."""

    id: str
    name: str | None = None
    phase: str | None = None
    start: Day
    end: Day
    budget: Number  # the sum of its budget lines (the plan)
    # the largest budget_allocation decision naming it, on the basis of the check on allocations (decisions are
    # not added up); None when no such decision has an amount
    approved: Number | None = None
    spent: Number  # spend dated on or before as_of on its lines
    elapsed_days: Count  # whole days from start to as_of
    days: Count  # whole days from start to end
    spent_share: float | None = None  # spent / budget; None when the budget is 0
    time_share: float | None = None  # elapsed_days / days; None when the project lasts no whole day


class BudgetSummary(_Model):
    policy: str  # BudgetPolicy id
    currency: str
    tolerance_pp: Number  # ± percentage points around each target share
    categories: list[str]  # the policy's categories, then any other category found on a line
    phases: list[PhaseBudget]
    # every project's budget lines (any phase) against spend dated on or before as_of, per category
    planned: dict[str, Number] = {}
    spent: dict[str, Number] = {}
    projects: list[ProjectBurn] = []  # running projects (start < as_of < end, as BUD-004) with budget lines, by id
    # budget lines whose spend, all of it whatever its date (as BUD-003 counts), is above their amount, by id
    # (whether that is a finding: BUD-003)
    overspent: list[LineSpend] = []

    @property
    def records_spend(self) -> bool:
        """Whether the result records spend at all: one saved before spend was recorded lacks `spent`, and
        its defaults (nothing spent, nothing overspent, nothing running) would be read as facts."""
        return "spent" in self.model_fields_set


class GoalProgress(_Model):
    """A goal's latest reading against its plan line, as the check observing `goal_progress` measured it."""

    date: Day  # the latest reading dated on or before as_of
    value: Number
    plan: Number  # the plan line at that date, to 6 decimal places
    behind: bool  # behind by more than the tolerance: the check's call, not recomputed


class GoalRecord(_Model):
    """One goal as the committee reads it in the goal tree (handbook §1.2)."""

    id: str
    tier: str
    statement: str
    depth: int  # 0 for a root of the tree; the tree is `StrategySummary.goals` in order
    parent: str | None = None
    owner: str | None = None  # person id
    owner_name: str | None = None
    metric: str | None = None
    baseline: Number | None = None
    target: Number | None = None
    due: Day | None = None
    status: str = "open"
    overdue: bool = False  # the check observing `overdue_goals` fired on it (waived or not): its call, not recomputed
    projects: list[str] = []  # the projects whose `serves` names it, sorted
    progress: GoalProgress | None = None  # None: the check did not judge it against a plan line


class AssessmentRecord(_Model):
    """A maturity diagnosis (handbook §1.1)."""

    id: str
    date: Day
    assessor: str | None = None
    scores: dict[str, int] = {}  # dimension -> level 1..5
    indicators: dict[str, Number] = {}


class PilotScope(_Model):
    """The pilot phase against its limit (handbook §1.3.1), as the check observing `pilot_scope` counted it."""

    phase: str
    max_projects: Count
    running: list[str]  # pilot-phase projects running on as_of, sorted


class StrategySummary(_Model):
    policy: str | None  # StrategyPolicy id; None when goals or assessments exist without one
    tiers: list[str]  # top first
    dimensions: list[str]
    goals: list[GoalRecord]  # depth-first, roots by tier then id, children by id
    latest: AssessmentRecord | None = None
    previous: AssessmentRecord | None = None  # the one before `latest`, for the change per dimension
    pilot: PilotScope | None = None
    overdue_assessed: bool = True  # False when the overdue goals' check was skipped: no goal's `overdue` was judged


class StepRecord(_Model):
    """A step of a value stream, as the committee reads it in the stream's flow (handbook §1.1.1)."""

    id: str
    name: str | None = None
    owner: str | None = None  # person id
    owner_name: str | None = None
    minutes: Number | None = None
    error_rate: Number | None = None  # 0..1
    manual: bool = False
    systems: list[str] = []  # system ids, as listed
    hand_off: bool = False  # the check observing `hand_offs` counted it a hand-off: its call, not recomputed


class ValueStreamRecord(_Model):
    """A value stream with its steps in order, and the time they take together."""

    id: str
    name: str | None = None
    core: bool = False
    owner: str  # person id
    owner_name: str | None = None
    mapped_at: Day | None = None
    steps: list[StepRecord]
    minutes: Number  # the sum of the steps' minutes where given (see `timed`)
    timed: Count  # how many steps give their minutes: the total is partial when fewer than all


class ProjectLink(_Model):
    """A project named in the diagnosis chain or by a benchmark, with whether it still runs or is yet to start."""

    id: str
    name: str | None = None
    live: bool | None = None  # None where no check observed it (only projects removing a root cause are)


class RootCauseRecord(_Model):
    """A root cause and the projects that list it as removed (handbook §1.1.1 step 3)."""

    id: str
    category: str
    method: str
    statement: str
    projects: list[ProjectLink] = []  # the projects whose `root_causes` name it, by id
    unremoved: bool = False  # the check observing `root_cause_removal` fired on it (waived or not)


class PainPointRecord(_Model):
    """A pain point on a value stream's steps, and its root causes."""

    id: str
    value_stream: str
    steps: list[str] = []
    statement: str
    root_causes: list[str] = []  # root cause ids, as listed
    unrooted: bool = False  # the check observing `unrooted_pain_points` fired on it (waived or not)


class BenchmarkRecord(_Model):
    """A study of a leading peer, and the projects taking its practice up (handbook §1.1.2)."""

    id: str
    peer: str
    practice: str
    studied_at: Day
    adopted_by: list[ProjectLink] = []


class DiagnosisSummary(_Model):
    """The diagnosis chapter (handbook §1.1): each value stream with its steps, the chain from pain point to
    root cause to the projects removing it with its gaps, and the benchmarks."""

    streams: list[ValueStreamRecord]  # core streams first, then by id
    pain_points: list[PainPointRecord] = []  # in the order of their streams, then by id
    root_causes: list[RootCauseRecord] = []  # by id
    benchmarks: list[BenchmarkRecord] = []  # the latest study first
    # False when the checks behind hand-offs and gaps did not judge them (the StrategyPolicy has no `diagnosis`
    # section, or one of those checks was skipped): no step is then called a hand-off, nothing a gap
    judged: bool = True

    @model_validator(mode="after")
    def _chain_resolves(self) -> DiagnosisSummary:
        """A saved result is read back: every id the chain names must be in it, or a renderer would fail."""
        streams = {s.id: {step.id for step in s.steps} for s in self.streams}
        causes = {r.id for r in self.root_causes}
        for point in self.pain_points:
            if point.value_stream not in streams:
                raise ValueError(f"pain point {point.id} names value stream {point.value_stream}, which is not listed")
            unknown = [s for s in point.steps if s not in streams[point.value_stream]] + \
                [c for c in point.root_causes if c not in causes]
            if unknown:
                raise ValueError(f"pain point {point.id} names {', '.join(unknown)}, which is not listed")
        return self


class RunResult(_Model):
    schema_version: int = SCHEMA_VERSION
    workspace: str = ""
    as_of: Day
    fail_on: FailOn = "low"
    run: Run | None = None
    tool: Tool
    engine: Engine
    inputs: list[InputFile]
    # the built-in checks and controls this run loaded (paths relative to the library root),
    # so an auditor sees exactly which checks ran; `govern verify` compares them
    library: list[InputFile] = []
    git: GitState | None = None  # None when the workspace is not in a git repository (or git cannot say)
    findings: list[Finding]
    checks: list[CheckSummary]
    domains: list[DomainRecord] = []  # every domain of `checks`, in reading order
    controls: list[ControlRecord] = []
    waivers: list[WaiverRecord] = []
    selection: Selection = Selection()
    summary: Summary
    verdict: Verdict | None = None  # None only in results made before govern recorded it
    resolved: list[Finding] | None = None  # with --baseline: findings of the baseline gone now
    budget: BudgetSummary | None = None  # shares per phase against targets, for the committee's chart
    strategy: StrategySummary | None = None  # goal tree, maturity, pilot scope, for the committee's strategy section
    # the committee's action items, by id; None in a result saved before they were recorded (not "no actions")
    actions: list[ActionItem] | None = None
    diagnosis: DiagnosisSummary | None = None  # value streams and the pain point chain; None without value streams
    # days to the committee's next regular meeting (its `cadence_days`): waivers expiring sooner need it now
    cadence_days: Annotated[StrictInt, Field(ge=1)] = DEFAULT_CADENCE_DAYS

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, exclude_none=False) + "\n"


class Outcome(Summary):
    """An evidence manifest's `outcome`: the run's threshold and its summary counts."""

    fail_on: FailOn


class Manifest(_Model):
    """An evidence manifest (`--format evidence`, and `evidence.json` beside reports): the record of a run
    without its findings, as `govern verify` reads it back."""

    kind: str  # EVIDENCE_KIND (result/written.py): only a document of that kind is read as a manifest
    schema_version: int
    workspace: str = ""
    as_of: Day
    run: Run | None = None
    tool: Tool
    engine: Engine
    inputs: list[InputFile]
    library: list[InputFile] = []
    selection: Selection = Selection()
    # what the run concluded: without them a manifest records inputs only, and verify would have nothing to
    # hold a re-evaluation to (a manifest stripped of them is refused, not taken as "the same verdict")
    outcome: Outcome
    verdict: Verdict
    reports: list[InputFile] = []  # only in an evidence.json written beside reports
