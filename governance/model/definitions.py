"""Policy definitions (`policies/`): what the enterprise decided the rules are.

Each field's `description` is what `govern schema` and docs/reference/workspace.md
tell the people who write these files."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import Field

from governance.model.base import Date, Entity, Localized, Number, Ref, Strict
from governance.result import DEFAULT_CADENCE_DAYS, Severity
from governance.vocabulary import default_dimensions, default_tiers


def cadence(committees: Iterable[Committee]) -> int:
    """The workspace's meeting cadence: the soonest next regular meeting of any of its committees."""
    return min((c.cadence() for c in committees), default=DEFAULT_CADENCE_DAYS)  # no committee: the default


class CommitteeMember(Strict):
    """A seat on the committee."""

    person: Annotated[str, Ref("person")] = Field(description="Person id of the member.")
    role: str = Field(description="The role the member holds on the committee (e.g. CEO, HEAD_DATA).")
    delegate: Annotated[str | None, Ref("person")] = Field(
        default=None, description="Person id of who may stand in for the member.")


class Quorum(Strict):
    """What a committee meeting needs for its decisions to count."""

    min_present: int = Field(ge=0, description="Fewest distinct people present.")
    chair_or_delegate_required: bool = Field(default=False, description="The chair, or the chair's delegate, must be present.")


class ActionRule(Strict):
    """What the committee wants an owner and a deadline for."""

    required_at: Severity = Field(
        description="Unwaived findings at or above this severity need an open action addressing them (ACT-001).")


class Committee(Entity):
    """The digital-operations committee (handbook §1.3.2); a workspace may have several."""

    kind: Literal["Committee"] = Field(description="What this file defines.")
    name: Localized | None = Field(default=None, description="The committee's name in Chinese and English.")
    chair: Annotated[str, Ref("person")] = Field(description="Person id of the chair.")
    required_roles: list[str] = Field(default=[], description="Roles the members must cover between them.")
    members: list[CommitteeMember] = Field(default=[], description="The committee's seats.")
    quorum: Quorum | None = Field(default=None, description="What a meeting needs for its decisions to count.")
    max_meeting_gap_days: int | None = Field(default=None, ge=0, description="Most days allowed since the last meeting held.")
    cadence_days: int | None = Field(
        default=None, ge=1, description="Days between regular meetings: a waiver expiring before the next one "
                                        "needs the committee now (default `max_meeting_gap_days`, else 30).")
    actions: ActionRule | None = Field(
        default=None, description="Which findings need an open action item (without it, ACT-001 is not applicable).")

    def cadence(self) -> int:
        """Days from one regular meeting to the next."""
        return self.cadence_days or self.max_meeting_gap_days or DEFAULT_CADENCE_DAYS


class AuthorityMatrix(Entity):
    """Who may approve what, up to which amount. One per workspace."""

    kind: Literal["AuthorityMatrix"] = Field(description="What this file defines.")
    reviewed_at: Date | None = Field(default=None, description="When the matrix was last reviewed (due every year).")
    # decision type -> role -> largest amount the role may approve; None = no limit
    limits: dict[str, dict[str, Number | None]] = Field(
        default={}, description="Decision type -> role -> largest amount the role may approve (null: no limit). "
                                "A role absent from a type's map may not approve that type.")
    committee_required_above: Number | None = Field(
        default=None, description="Decisions of a larger amount must be taken in a committee meeting.")
    max_waiver_days: int | None = Field(default=None, ge=0, description="Longest a waiver may run, approval to expiry.")
    waiver_requires_decision: bool = Field(
        default=False, description="Every waiver must name the decision (type waiver) that granted it, "
                                   "approved by the waiver's approver on or before its approval.")


class Phase(Strict):
    """A phase of the programme; a running project must be in its months."""

    id: str = Field(description="Unique among phases; projects name it in `phase`.")
    months: tuple[int, int] = Field(description="First and last month, both included; month 1 is the month a project starts.")
    target_share: dict[str, float] = Field(
        default={}, description="Budget category -> its target share of the phase total (0..1).")
    description: str | None = Field(default=None, description="Free text for the people who read this file.")


class BudgetPolicy(Entity):
    """How the budget is split across categories and phases (handbook §1.3.2). One per workspace."""

    kind: Literal["BudgetPolicy"] = Field(description="What this file defines.")
    currency: str = Field(default="CNY", description="Currency of every amount in the workspace.")
    categories: list[str] = Field(description="The budget categories (e.g. technology, talent, operations).")
    tolerance_pp: Number = Field(default=0, description="Allowed distance from each target share, in percentage points.")
    phases: list[Phase] = Field(default=[], description="The programme's phases.")
    line_overspend_tolerance: Number = Field(
        default=0, description="Spend may exceed a budget line's amount by this fraction (0.05 = 5%).")
    required_cost_tags: list[str] = Field(default=[], description="Tags every spend must carry.")
    tag_compliance_min: Number = Field(
        default=0, description="Least share (0..1) of spend, by amount, carrying every required tag.")


class ImportantData(Strict):
    """The grades that count as important data (DSL art. 27) and their duties."""

    grades: list[str] = Field(default=[], description="Grades that count as important data.")
    risk_assessment_interval_days: int | None = Field(
        default=None, ge=0, description="Most days allowed since a dataset's last risk assessment.")


Encryption = Literal["none", "required", "cmk"]


class ClassificationPolicy(Entity):
    """Data grades (GB/T 43697-2024) and organisational levels, and what each requires. One per workspace."""

    kind: Literal["ClassificationPolicy"] = Field(description="What this file defines.")
    grades: list[str] = Field(description="Data grades, highest first.")
    levels: list[str] = Field(description="Organisational classification levels, highest first.")
    min_level: dict[str, str] = Field(default={}, description="Grade -> the lowest level a dataset of that grade may have.")
    review_interval_days: dict[str, int] = Field(
        default={}, description="Grade (or `default`) -> most days allowed since a dataset was classified.")
    encryption_at_rest: dict[str, Encryption] = Field(
        default={}, description="Level -> the least encryption at rest it requires (none < required < cmk).")
    important_data: ImportantData | None = Field(default=None, description="Which grades are important data.")


class Match(Strict):
    """Which datasets a placement rule applies to: a dataset matches if any matcher given matches."""

    grades: list[str] | None = Field(default=None, description="Datasets of one of these grades.")
    levels: list[str] | None = Field(default=None, description="Datasets of one of these levels.")
    personal_info: bool | None = Field(
        default=None, description="Datasets that contain (true) or do not contain (false) personal information.")
    all: bool | None = Field(default=None, description="Every dataset, when true.")


Deployment = Literal["public", "private", "hybrid", "on_prem"]


class PlacementRule(Strict):
    """Where the datasets a rule matches may be stored; a dimension it does not set is not restricted."""

    id: str = Field(description="Unique among the policy's rules; findings name it.")
    match: Match = Field(description="The datasets the rule applies to.")
    allowed_deployments: list[Deployment] | None = Field(default=None, description="Deployments the datasets may be on.")
    allowed_jurisdictions: list[str] | None = Field(
        default=None, description="Jurisdictions (ISO 3166 alpha-2) the datasets may be in.")
    allowed_regions: list[str] | None = Field(default=None, description="Regions the datasets may be in.")
    description: str | None = Field(default=None, description="Free text for the people who read this file.")


class SecurityAssessmentThreshold(Strict):
    """When a flow abroad needs a CAC security assessment."""

    grades: list[str] = Field(default=[], description="Datasets of these grades always need one.")
    subjects_at_least: int | None = Field(
        default=None, description="Datasets with at least this many personal-information subjects.")
    sensitive_subjects_at_least: int | None = Field(
        default=None, description="Datasets with at least this many sensitive personal-information subjects.")


class ContractThreshold(Strict):
    """When a flow abroad needs at least a standard contract or a certification."""

    subjects_at_least: int | None = Field(
        default=None, description="Datasets with at least this many personal-information subjects.")


class CrossBorder(Strict):
    """What a dataset's flow out of CN needs (CAC 2024 provisions)."""

    security_assessment: SecurityAssessmentThreshold | None = Field(
        default=None, description="When a security assessment is needed.")
    contract_or_certification: ContractThreshold | None = Field(
        default=None, description="When a contract, a certification or a security assessment is needed.")


class PlacementPolicy(Entity):
    """Where data may be stored, and what a flow abroad needs. One per workspace."""

    kind: Literal["PlacementPolicy"] = Field(description="What this file defines.")
    rules: list[PlacementRule] = Field(
        default=[], description="Placement rules; a dataset must satisfy every rule that matches it.")
    cross_border: CrossBorder | None = Field(default=None, description="Thresholds for flows out of CN.")


# Handbook §1.2: goals in three tiers, top first; §1.1: the four maturity dimensions. Used when
# no StrategyPolicy lists them; the vocabulary holds them, with their names (checks/vocabulary.json).
DEFAULT_TIERS = default_tiers()
DEFAULT_DIMENSIONS = default_dimensions()
# How far a goal's reading may lag its plan line, as a share of |target - baseline| (STR-011),
# when the policy sets none.
DEFAULT_PROGRESS_TOLERANCE = 0.1


class StrategyMaturity(Strict):
    """The maturity diagnosis (handbook §1.1)."""

    dimensions: list[str] | None = Field(  # None: DEFAULT_DIMENSIONS
        default=None, min_length=1,
        description=f"Maturity dimensions (default: {', '.join(DEFAULT_DIMENSIONS)}).")
    assessment_interval_days: int | None = Field(default=None, ge=0, description="Most days allowed since the latest assessment.")


class GoalSettings(Strict):
    """The tiers of SMART goals (handbook §1.2), and how the committee monitors their progress (§1.3.2)."""

    tiers: list[str] | None = Field(  # None: DEFAULT_TIERS
        default=None, min_length=1,
        description="Goal tiers, top first; a goal below the top names a parent one tier up "
                    f"(default: {', '.join(DEFAULT_TIERS)}).")
    # a share of the whole distance: 0 allows no lag at all, 1 lets a goal lag by all of it
    progress_tolerance: Number = Field(
        default=DEFAULT_PROGRESS_TOLERANCE, ge=0, le=1,
        description="How far a goal's latest reading may lag its plan line, as a share of |target - baseline|, "
                    f"0 to 1 (STR-011; default {DEFAULT_PROGRESS_TOLERANCE}).")
    reading_interval_days: int | None = Field(
        default=None, ge=1, description="An open goal needs a reading at least this often (STR-012; unset: not judged).")


class Pilot(Strict):
    """The pilot: one or two scenarios at a time (handbook §1.3.1)."""

    phase: Annotated[str, Ref("phase")] = Field(description="The BudgetPolicy phase id of the pilot.")
    max_projects: int = Field(ge=0, description="Most projects of that phase running at once.")


class Architecture(Strict):
    """Services split by business domain (handbook §2.1.2)."""

    max_domains_per_system: int = Field(ge=1, description="Most business domains one system may serve.")


class Diagnosis(Strict):
    """How the diagnosis is kept current (handbook §1.1): the DIA checks read it."""

    map_interval_days: int = Field(ge=1, description="A core value stream is mapped again at least this often (DIA-001).")
    max_manual_steps: int = Field(
        ge=0, description="Most manual hand-offs a value stream may have before each needs a pain point (DIA-004).")
    benchmark_interval_days: int = Field(ge=1, description="A benchmark study at least this often (DIA-007).")


class StrategyPolicy(Entity):
    """The strategy: maturity and diagnosis, goal tiers, pilot and architecture (handbook §1.1-§2.1). One per workspace."""

    kind: Literal["StrategyPolicy"] = Field(description="What this file defines.")
    maturity: StrategyMaturity | None = Field(default=None, description="The maturity diagnosis.")
    goals: GoalSettings | None = Field(
        default=None, description=f"Goal tiers (default: {', '.join(DEFAULT_TIERS)}) and progress monitoring.")
    pilot: Pilot | None = Field(default=None, description="The pilot phase and its size.")
    architecture: Architecture | None = Field(default=None, description="How systems are split by business domain.")
    diagnosis: Diagnosis | None = Field(
        default=None, description="How the diagnosis is kept current (without it, the DIA checks are not applicable).")

    @property
    def tiers(self) -> list[str]:
        """Goal tiers, top first (the handbook's three unless the policy lists its own)."""
        listed = self.goals.tiers if self.goals else None
        return listed if listed is not None else list(DEFAULT_TIERS)

    @property
    def progress_tolerance(self) -> float:
        """The share of |target - baseline| a goal's reading may lag its plan (STR-011)."""
        return self.goals.progress_tolerance if self.goals else DEFAULT_PROGRESS_TOLERANCE

    @property
    def dimensions(self) -> list[str]:
        """Maturity dimensions (the handbook's four unless the policy lists its own)."""
        listed = self.maturity.dimensions if self.maturity else None
        return listed if listed is not None else list(DEFAULT_DIMENSIONS)

