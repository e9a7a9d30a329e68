"""Inventory entities (`inventory/`): what the enterprise actually has and did."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from governance.model.base import Date, Entity, Number, Strict
from governance.model.definitions import Deployment, Encryption


class Person(Entity):
    name: str
    roles: list[str] = []


class Owned(Entity):
    """An entity someone is accountable for: its name, and the person who owns it."""

    name: str | None = None
    owner: str | None = None


class Platform(Entity):
    name: str | None = None
    deployment: Deployment
    region: str | None = None
    jurisdiction: str | None = None
    mlps_level: int | None = Field(default=None, ge=1, le=5)
    dedicated_pool: bool = False


class Replica(Strict):
    region: str | None = None
    jurisdiction: str | None = None


class DatasetRef(Strict):
    id: str
    side: Literal["public", "private"] | None = None


class System(Owned):
    platform: str | None = None
    deployment: Deployment
    region: str | None = None
    jurisdiction: str | None = None
    replicas: list[Replica] = []
    datasets: list[str | DatasetRef] = []
    ciio: bool = False
    mlps_level: int | None = Field(default=None, ge=1, le=5)
    mlps_filing_id: str | None = None
    mlps_last_assessment: Date | None = None
    elastic: bool = False
    labels: dict[str, str] = {}
    tags: dict[str, str] = {}
    domains: list[str] = []  # the business domains it serves (user, order, payment, …)


class PersonalInfo(Strict):
    contains: bool = False
    sensitive: bool = False
    subjects: int = Field(default=0, ge=0)


class Flow(Strict):
    to: str
    jurisdiction: str
    mechanism: Literal["none", "contract", "certification", "security_assessment"] = "none"
    approval_ref: str | None = None


class Dataset(Owned):
    grade: str
    level: str
    classified_at: Date | None = None
    personal_info: PersonalInfo | None = None
    pipia_ref: str | None = None
    encryption_at_rest: Encryption = "none"
    security_officer: str | None = None
    last_risk_assessment: Date | None = None
    flows: list[Flow] = []


def _whole_level(value: object) -> object:
    # a level is a step on the 1 (manual) … 5 (intelligent) scale: 3.0, "3" and true are not steps
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError("a maturity level is a whole number from 1 to 5")
    return value


Level = Annotated[int, BeforeValidator(_whole_level)]


class Maturity(Strict):
    dimension: str  # one of StrategyPolicy.maturity.dimensions (the handbook's four without one)
    from_: int = Field(alias="from", ge=1, le=5)
    to: int = Field(ge=1, le=5)


class ProjectGoal(Strict):
    metric: str
    baseline: Number
    target: Number
    due: Date | None = None


class BudgetLine(Entity):
    category: str
    amount: Number = Field(ge=0)
    owner: str | None = None


class Project(Owned):
    phase: str | None = None
    start: Date
    end: Date
    maturity: Maturity | None = None
    goal: ProjectGoal | None = None
    budget_lines: list[BudgetLine] = []
    serves: list[str] = []  # the goals it delivers


class Spend(Entity):
    budget_line: str
    amount: Number
    date: Date
    tags: dict[str, str] = {}


class Meeting(Entity):
    committee: str
    date: Date
    present: list[str] = []


class Subject(Strict):
    kind: str
    id: str


class Decision(Entity):
    type: Literal["budget_allocation", "budget_reallocation", "waiver", "other"]
    subject: Subject | None = None
    amount: Number | None = None
    requested_by: str | None = None
    approved_by: list[str] = []
    meeting: str | None = None
    date: Date | None = None


class Goal(Entity):
    """A strategic, business or execution goal (handbook §1.2). The SMART elements are
    optional here: a goal that lacks one is a governance finding (STR-001), not a typo."""

    tier: str  # one of StrategyPolicy.goals.tiers (the handbook's three without one)
    statement: str = Field(min_length=1)
    parent: str | None = None
    owner: str | None = None
    metric: str | None = None
    baseline: Number | None = None
    target: Number | None = None
    due: Date | None = None
    status: Literal["open", "achieved", "dropped"] = "open"


class MaturityAssessment(Entity):
    """A maturity diagnosis (handbook §1.1): a level per dimension, and measured indicators."""

    date: Date
    assessor: str | None = None
    scores: dict[str, Level] = {}  # dimension -> 1 manual … 5 intelligent
    indicators: dict[str, Number] = {}  # free names -> measured values


# plural key in inventory files -> (model, resource kind)
INVENTORY_KINDS: dict[str, tuple[type[Entity], str]] = {
    "people": (Person, "person"),
    "platforms": (Platform, "platform"),
    "systems": (System, "system"),
    "datasets": (Dataset, "dataset"),
    "projects": (Project, "project"),
    "spend": (Spend, "spend"),
    "meetings": (Meeting, "meeting"),
    "decisions": (Decision, "decision"),
    "goals": (Goal, "goal"),
    "maturity_assessments": (MaturityAssessment, "maturity_assessment"),
}


@dataclass
class Inventory:
    """Every inventory entity by kind, each kind keyed by id (in the order declared)."""

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

    def of(self, plural: str) -> dict[str, Entity]:
        """The entities of one kind, by its plural key in inventory files (one of INVENTORY_KINDS)."""
        store: dict[str, Entity] = getattr(self, plural)
        return store

    def kinds(self) -> Iterator[tuple[str, dict[str, Entity]]]:
        """(plural, entities) for every kind that has any, in INVENTORY_KINDS order."""
        for plural in INVENTORY_KINDS:
            if self.of(plural):
                yield plural, self.of(plural)
