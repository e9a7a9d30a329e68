"""Inventory entities (`inventory/`): what the enterprise actually has and did.

Each field's `description` is what `govern schema` and docs/reference/workspace.md
tell the people who write these files."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Annotated, Literal, get_args, get_origin, get_type_hints

from pydantic import BeforeValidator, Field, StrictFloat, StrictInt

from governance.model.base import Date, Entity, Name, Number, Ref, Strict, resource_kind
from governance.model.definitions import DEFAULT_TIERS, Deployment, Encryption
from governance.model.diagnosis import Benchmark, PainPoint, RootCause, ValueStream


class Person(Entity):
    """Someone the governance names: an owner, an approver, a committee member."""

    name: Name = Field(description="The person's name.")
    roles: list[str] = Field(default=[], description="Roles the person holds (e.g. CEO, HEAD_TECHNOLOGY).")


class Owned(Entity):
    """An entity someone is accountable for: its name, and the person who owns it."""

    name: Name | None = Field(default=None, description="Display name.")
    owner: Annotated[str | None, Ref("person")] = Field(default=None, description="Person id of who is accountable for it.")


class Platform(Entity):
    """A place systems run: a cloud account, a data centre."""

    name: Name | None = Field(default=None, description="Display name.")
    deployment: Deployment = Field(description="public, private, hybrid or on_prem.")
    region: str | None = Field(default=None, description="Where it is (e.g. cn-east-2).")
    jurisdiction: str | None = Field(default=None, description="Country, ISO 3166 alpha-2 (e.g. CN).")
    mlps_level: int | None = Field(default=None, ge=1, le=5, description="MLPS (等保, GB/T 22239-2019) level it is protected at.")
    dedicated_pool: bool = Field(
        default=False, description="Resources dedicated to this enterprise (needed for MLPS level 4 systems).")


class Replica(Strict):
    """Where a copy of a system runs."""

    region: str | None = Field(default=None, description="Where the copy is.")
    jurisdiction: str | None = Field(default=None, description="Country of the copy, ISO 3166 alpha-2.")


class DatasetRef(Strict):
    """A dataset a system holds, and on which side of a hybrid system."""

    id: str = Field(description="Dataset id.")  # a reference: System.datasets, which holds it, is marked
    side: Literal["public", "private"] | None = Field(
        default=None, description="Which side of a hybrid system holds it (a plain id: private).")


class System(Owned):
    """An application or service, where it runs and the data it holds."""

    platform: Annotated[str | None, Ref("platform")] = Field(default=None, description="Platform id it runs on.")
    deployment: Deployment = Field(description="public, private, hybrid or on_prem.")
    region: str | None = Field(default=None, description="Where it runs (e.g. cn-bj-dc1).")
    jurisdiction: str | None = Field(default=None, description="Country it runs in, ISO 3166 alpha-2.")
    replicas: list[Replica] = Field(default=[], description="Where copies of it run.")
    datasets: list[Annotated[str | DatasetRef, Ref("dataset")]] = Field(
        default=[], description="Datasets it stores: an id (stored on the system's deployment) or {id, side}.")
    ciio: bool = Field(default=False, description="Critical information infrastructure.")
    mlps_level: int | None = Field(default=None, ge=1, le=5, description="MLPS (等保) level.")
    mlps_filing_id: str | None = Field(default=None, description="MLPS filing number (needed from level 2).")
    mlps_last_assessment: Date | None = Field(default=None, description="Date of the last MLPS assessment (level 3 and above).")
    elastic: bool = Field(default=False, description="Its load varies enough to want elastic (public cloud) capacity.")
    labels: dict[str, str] = Field(default={}, description="Labels; `data_level` states the highest level of the data it holds.")
    tags: dict[str, str] = Field(default={}, description="Free tags (e.g. cost_center, environment).")
    # the business domains it serves (user, order, payment, …)
    domains: list[str] = Field(default=[], description="Business domains it serves (e.g. user, order, payment).")


class PersonalInfo(Strict):
    """Personal information in a dataset."""

    contains: bool = Field(default=False, description="The dataset holds personal information.")
    sensitive: bool = Field(default=False, description="Some of it is sensitive personal information.")
    subjects: int = Field(default=0, ge=0, description="How many people it is about.")


class Flow(Strict):
    """Where a dataset is sent."""

    to: str = Field(description="Who receives it.")
    jurisdiction: str = Field(description="Country of the receiver, ISO 3166 alpha-2.")
    mechanism: Literal["none", "contract", "certification", "security_assessment"] = Field(
        default="none", description="The legal basis of a flow abroad.")
    approval_ref: str | None = Field(default=None, description="Reference of the approval or contract.")


class Dataset(Owned):
    """A body of data, its grade and level, and its duties."""

    grade: str = Field(description="Data grade, one of ClassificationPolicy.grades.")
    level: str = Field(description="Classification level, one of ClassificationPolicy.levels.")
    classified_at: Date | None = Field(default=None, description="When it was last classified.")
    personal_info: PersonalInfo | None = Field(default=None, description="The personal information it holds.")
    pipia_ref: str | None = Field(
        default=None, description="Reference of its personal information impact assessment (PIPL art. 55).")
    encryption_at_rest: Encryption = Field(default="none", description="none, required or cmk (none < required < cmk).")
    security_officer: Annotated[str | None, Ref("person")] = Field(
        default=None, description="Person id of its data security officer (important data).")
    last_risk_assessment: Date | None = Field(default=None, description="Date of its last risk assessment (important data).")
    flows: list[Flow] = Field(default=[], description="Where it is sent.")


def _whole_level(value: object) -> object:
    # a level is a step on the 1 (manual) … 5 (intelligent) scale: 3.0, "3" and true are not steps
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError("a maturity level is a whole number from 1 to 5")
    return value


# _whole_level says what is wrong in words; the bounds, given first, put 1..5 in the JSON Schema too
Level = Annotated[int, Field(ge=1, le=5), BeforeValidator(_whole_level)]


class Maturity(Strict):
    """The maturity step a project is to achieve."""

    # one of StrategyPolicy.maturity.dimensions (the handbook's four without one)
    dimension: str = Field(description="Maturity dimension, one of StrategyPolicy.maturity.dimensions.")
    from_: int = Field(
        alias="from", ge=1, le=5, description="Level (1-5) at the start; the latest assessment before it must agree.")
    to: int = Field(ge=1, le=5, description="Level (1-5) to reach, above `from`.")


class ProjectGoal(Strict):
    """The measurable outcome a project promises."""

    metric: str = Field(description="What is measured.")
    baseline: Number = Field(description="Its value at the start.")
    target: Number = Field(description="Its value to reach.")
    due: Date | None = Field(default=None, description="When it is to be reached.")


class BudgetLine(Entity):
    """Money allotted to a project in one category."""

    category: str = Field(description="Budget category, one of BudgetPolicy.categories.")
    amount: Number = Field(ge=0, description="Amount, in the BudgetPolicy's currency.")
    owner: Annotated[str | None, Ref("person")] = Field(default=None, description="Person id of who is accountable for it.")


class Project(Owned):
    """A piece of work with a budget, in a phase of the programme."""

    phase: Annotated[str | None, Ref("phase")] = Field(default=None, description="BudgetPolicy phase id.")
    start: Date = Field(description="First day.")
    end: Date = Field(description="Last day.")
    maturity: Maturity | None = Field(default=None, description="The maturity step it is to achieve.")
    goal: ProjectGoal | None = Field(default=None, description="Its measurable outcome.")
    budget_lines: list[BudgetLine] = Field(
        default=[], description="Its budget, line by line; line ids are unique in the workspace.")
    serves: list[Annotated[str, Ref("goal")]] = Field(default=[], description="Goal ids it delivers.")
    root_causes: list[Annotated[str, Ref("root_cause")]] = Field(
        default=[], description="Root cause ids it removes (handbook §1.1.1).")
    technologies: list[str] = Field(default=[], description="Technologies it brings in, free names (e.g. iot, ml).")


class Spend(Entity):
    """Money spent on a budget line."""

    budget_line: Annotated[str, Ref("budget_line")] = Field(description="Budget line id.")
    amount: Number = Field(description="Amount, in the BudgetPolicy's currency.")
    date: Date = Field(description="When it was spent.")
    tags: dict[str, str] = Field(default={}, description="Cost tags (BudgetPolicy.required_cost_tags are required).")


class Meeting(Entity):
    """A committee meeting that was held (or, dated later than today, planned)."""

    committee: Annotated[str, Ref("committee")] = Field(description="Committee id.")
    date: Date = Field(description="When it met.")
    present: list[Annotated[str, Ref("person")]] = Field(default=[], description="Person ids of those present.")


class Subject(Strict):
    """What a decision is about."""

    kind: str = Field(description="Resource kind (e.g. project, budget_line).")
    id: str = Field(description="Its id.")


class Decision(Entity):
    """A decision taken, by whom, and (if any) in which meeting."""

    type: Literal["budget_allocation", "budget_reallocation", "waiver", "other"] = Field(
        description="What kind of decision; the AuthorityMatrix sets limits per type.")
    subject: Annotated[Subject | None, Ref()] = Field(
        default=None, description="What it is about; a decision of type waiver names the waiver it grants "
                                  "({kind: waiver, id: ...}), and that waiver names it back in `decision`.")
    amount: Number | None = Field(default=None, description="Amount decided, in the BudgetPolicy's currency.")
    requested_by: Annotated[str | None, Ref("person")] = Field(default=None, description="Person id of who asked for it.")
    approved_by: list[Annotated[str, Ref("person")]] = Field(default=[], description="Person ids of who approved it.")
    meeting: Annotated[str | None, Ref("meeting")] = Field(
        default=None, description="Meeting id, if taken in a committee meeting.")
    date: Date | None = Field(default=None, description="When it was taken.")


class Reading(Strict):
    """A goal's metric as measured on one day."""

    date: Date = Field(description="When it was measured.")
    # a number as written: true or "0.4" is no measurement (Number's float part would read them as 1.0, 0.4)
    value: StrictInt | StrictFloat = Field(description="The metric's measured value.")


class Goal(Entity):
    """A strategic, business or execution goal (handbook §1.2). The SMART elements are
    optional here: a goal that lacks one is a governance finding (STR-001), not a typo."""

    # one of StrategyPolicy.goals.tiers (the handbook's three without one)
    tier: str = Field(description=f"Goal tier, one of StrategyPolicy.goals.tiers (default: {', '.join(DEFAULT_TIERS)}).")
    statement: str = Field(min_length=1, description="The goal in words.")
    parent: Annotated[str | None, Ref("goal")] = Field(default=None, description="Goal id one tier up.")
    owner: Annotated[str | None, Ref("person")] = Field(default=None, description="Person id of who is accountable for it.")
    metric: str | None = Field(default=None, description="What is measured.")
    baseline: Number | None = Field(default=None, description="Its value at the start.")
    target: Number | None = Field(default=None, description="Its value to reach.")
    start: Date | None = Field(default=None, description="When its plan starts: the plan line runs from the baseline "
                                                         "on this day to the target on `due` (STR-011).")
    due: Date | None = Field(default=None, description="When it is to be reached.")
    status: Literal["open", "achieved", "dropped"] = Field(default="open", description="open, achieved or dropped.")
    readings: list[Reading] | None = Field(
        default=None, description="Measured values of its metric, at most one a day: the committee's progress monitoring.")


class MaturityAssessment(Entity):
    """A maturity diagnosis (handbook §1.1): a level per dimension, and measured indicators."""

    date: Date = Field(description="When it was assessed.")
    assessor: Annotated[str | None, Ref("person")] = Field(default=None, description="Person id of the assessor.")
    # dimension -> 1 manual … 5 intelligent
    scores: dict[str, Level] = Field(default={}, description="Maturity dimension -> whole level, 1 (manual) to 5 (intelligent).")
    # free names -> measured values
    indicators: dict[str, Number] = Field(default={}, description="Indicator name -> measured value.")


class Addressed(Strict):
    """A finding an action resolves: a check and the resource it reports on."""

    check: str = Field(description="Check id (an unknown one is an error; it need not fire). An ACT check is an "
                       "error too, deliberately: its finding is about an action and goes when that action is "
                       "fixed, never by another action; address the finding behind it.")
    # not a reference: a finding's resource may be gone (fixed by deleting it); ACT-004 reports an action
    # none of whose findings fired, which is what naming a resource that is not there comes to
    resource: Subject = Field(description="The resource the check reports on ({kind, id}); it need not exist "
                              "(ACT-004 reports an open action none of whose findings fired).")


class Action(Entity):
    """A committee action item (handbook §1.3.2, progress monitoring): who fixes what by when."""

    title: Name = Field(description="What is to be done.")
    owner: Annotated[str, Ref("person")] = Field(description="Person id of who is to do it.")
    due: Date = Field(description="When it is to be done.")
    status: Literal["open", "done", "dropped"] = Field(default="open", description="open, done or dropped.")
    meeting: Annotated[str | None, Ref("meeting")] = Field(
        default=None, description="Meeting id of the meeting that assigned it.")
    addresses: list[Addressed] = Field(default=[], description="The findings it resolves, each {check, resource: {kind, id}}.")
    goals: list[Annotated[str, Ref("goal")]] = Field(default=[], description="Goal ids it advances.")
    done_at: Date | None = Field(default=None, description="When it was done.")


@dataclass
class Inventory:
    """Every inventory entity by kind, each kind keyed by id (in the order declared).
    A field here is an inventory kind: its name is the kind's plural key in inventory files and
    OPA's input, its model says the rest (INVENTORY_KINDS is read off these fields)."""

    people: dict[str, Person] = field(default_factory=dict)
    platforms: dict[str, Platform] = field(default_factory=dict)
    systems: dict[str, System] = field(default_factory=dict)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    spend: dict[str, Spend] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    goals: dict[str, Goal] = field(default_factory=dict)
    maturity_assessments: dict[str, MaturityAssessment] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    value_streams: dict[str, ValueStream] = field(default_factory=dict)
    pain_points: dict[str, PainPoint] = field(default_factory=dict)
    root_causes: dict[str, RootCause] = field(default_factory=dict)
    benchmarks: dict[str, Benchmark] = field(default_factory=dict)

    def of(self, plural: str) -> dict[str, Entity]:
        """The entities of one kind, by its plural key in inventory files (one of INVENTORY_KINDS)."""
        store: dict[str, Entity] = getattr(self, plural)
        return store

    def kinds(self) -> Iterator[tuple[str, dict[str, Entity]]]:
        """(plural, entities) for every kind that has any, in INVENTORY_KINDS order."""
        for plural in INVENTORY_KINDS:
            if self.of(plural):
                yield plural, self.of(plural)


def _inventory_kinds() -> dict[str, tuple[type[Entity], str]]:
    hints = get_type_hints(Inventory)
    held = {f.name: get_args(hints[f.name])[1] for f in fields(Inventory)}  # dict[str, Model]
    return {plural: (model, resource_kind(model)) for plural, model in held.items()}


# plural key in inventory files -> (model, resource kind), in the order Inventory declares them
INVENTORY_KINDS: dict[str, tuple[type[Entity], str]] = _inventory_kinds()


def kinds_taken_by(*readers: Callable[..., object]) -> frozenset[str]:
    """The inventory kinds (plurals) `readers` take: a parameter typed as a map of id to an
    inventory model (`Mapping[str, Project]`) takes that kind. What a function reads of the
    inventory is then said by its signature, and mypy holds its body to it."""
    plural_of = {model: plural for plural, (model, _) in INVENTORY_KINDS.items()}
    taken: set[str] = set()
    for reader in readers:
        for name, hint in get_type_hints(reader).items():
            args = get_args(hint)
            if name != "return" and get_origin(hint) in (Mapping, dict) and len(args) == 2 and args[1] in plural_of:
                taken.add(plural_of[args[1]])
    return frozenset(taken)
