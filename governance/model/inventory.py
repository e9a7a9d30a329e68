"""Inventory entities (`inventory/`): what the enterprise actually has and did."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field

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


class Maturity(Strict):
    dimension: Literal["process_digital", "data_asset", "business_online", "decision_intelligence"]
    from_: int = Field(alias="from", ge=1, le=5)
    to: int = Field(ge=1, le=5)


class Goal(Strict):
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
    goal: Goal | None = None
    budget_lines: list[BudgetLine] = []


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

    def of(self, plural: str) -> dict[str, Entity]:
        """The entities of one kind, by its plural key in inventory files (one of INVENTORY_KINDS)."""
        store: dict[str, Entity] = getattr(self, plural)
        return store

    def kinds(self) -> Iterator[tuple[str, dict[str, Entity]]]:
        """(plural, entities) for every kind that has any, in INVENTORY_KINDS order."""
        for plural in INVENTORY_KINDS:
            if self.of(plural):
                yield plural, self.of(plural)
