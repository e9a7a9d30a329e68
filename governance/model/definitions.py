"""Policy definitions (`policies/`): what the enterprise decided the rules are."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from governance.model.base import Date, Entity, Localized, Number, Strict


class CommitteeMember(Strict):
    person: str
    role: str
    delegate: str | None = None


class Quorum(Strict):
    min_present: int = Field(ge=0)
    chair_or_delegate_required: bool = False


class Committee(Entity):
    kind: Literal["Committee"]
    name: Localized | None = None
    chair: str
    required_roles: list[str] = []
    members: list[CommitteeMember] = []
    quorum: Quorum | None = None
    max_meeting_gap_days: int | None = Field(default=None, ge=0)


class AuthorityMatrix(Entity):
    kind: Literal["AuthorityMatrix"]
    reviewed_at: Date | None = None
    # decision type -> role -> largest amount the role may approve; None = no limit
    limits: dict[str, dict[str, Number | None]] = {}
    committee_required_above: Number | None = None
    max_waiver_days: int | None = Field(default=None, ge=0)


class Phase(Strict):
    id: str
    months: tuple[int, int]
    target_share: dict[str, float] = {}
    description: str | None = None


class BudgetPolicy(Entity):
    kind: Literal["BudgetPolicy"]
    currency: str = "CNY"
    categories: list[str]
    tolerance_pp: Number = 0
    phases: list[Phase] = []
    line_overspend_tolerance: Number = 0
    required_cost_tags: list[str] = []
    tag_compliance_min: Number = 0


class ImportantData(Strict):
    grades: list[str] = []
    risk_assessment_interval_days: int | None = Field(default=None, ge=0)


Encryption = Literal["none", "required", "cmk"]


class ClassificationPolicy(Entity):
    kind: Literal["ClassificationPolicy"]
    grades: list[str]
    levels: list[str]
    min_level: dict[str, str] = {}
    review_interval_days: dict[str, int] = {}
    encryption_at_rest: dict[str, Encryption] = {}
    important_data: ImportantData | None = None


class Match(Strict):
    grades: list[str] | None = None
    levels: list[str] | None = None
    personal_info: bool | None = None
    all: bool | None = None


Deployment = Literal["public", "private", "hybrid", "on_prem"]


class PlacementRule(Strict):
    id: str
    match: Match
    allowed_deployments: list[Deployment] | None = None
    allowed_jurisdictions: list[str] | None = None
    allowed_regions: list[str] | None = None
    description: str | None = None


class SecurityAssessmentThreshold(Strict):
    grades: list[str] = []
    subjects_at_least: int | None = None
    sensitive_subjects_at_least: int | None = None


class ContractThreshold(Strict):
    subjects_at_least: int | None = None


class CrossBorder(Strict):
    security_assessment: SecurityAssessmentThreshold | None = None
    contract_or_certification: ContractThreshold | None = None


class PlacementPolicy(Entity):
    kind: Literal["PlacementPolicy"]
    rules: list[PlacementRule] = []
    cross_border: CrossBorder | None = None


# Handbook §1.2: goals in three tiers, top first. Used when no StrategyPolicy lists them.
DEFAULT_TIERS = ("strategic", "business", "execution")
# Handbook §1.1: the four maturity dimensions. Used when no StrategyPolicy lists them.
DEFAULT_DIMENSIONS = ("process_digital", "data_asset", "business_online", "decision_intelligence")


class StrategyMaturity(Strict):
    dimensions: list[str] | None = Field(default=None, min_length=1)  # None: DEFAULT_DIMENSIONS
    assessment_interval_days: int | None = Field(default=None, ge=0)


class GoalTiers(Strict):
    tiers: list[str] = Field(min_length=1)  # top first


class Pilot(Strict):
    phase: str  # a BudgetPolicy phase id
    max_projects: int = Field(ge=0)


class Architecture(Strict):
    max_domains_per_system: int = Field(ge=1)


class StrategyPolicy(Entity):
    kind: Literal["StrategyPolicy"]
    maturity: StrategyMaturity | None = None
    goals: GoalTiers | None = None
    pilot: Pilot | None = None
    architecture: Architecture | None = None

    @property
    def tiers(self) -> list[str]:
        """Goal tiers, top first (the handbook's three unless the policy lists its own)."""
        return self.goals.tiers if self.goals else list(DEFAULT_TIERS)

    @property
    def dimensions(self) -> list[str]:
        """Maturity dimensions (the handbook's four unless the policy lists its own)."""
        listed = self.maturity.dimensions if self.maturity else None
        return listed if listed is not None else list(DEFAULT_DIMENSIONS)


DEFINITION_KINDS: dict[str, type[Entity]] = {
    "Committee": Committee,
    "AuthorityMatrix": AuthorityMatrix,
    "BudgetPolicy": BudgetPolicy,
    "ClassificationPolicy": ClassificationPolicy,
    "PlacementPolicy": PlacementPolicy,
    "StrategyPolicy": StrategyPolicy,
}

# Kinds the checks read as a single policy: a second one would make the rules ambiguous.
SINGLETON_KINDS = {"AuthorityMatrix", "BudgetPolicy", "ClassificationPolicy", "PlacementPolicy", "StrategyPolicy"}

# kind -> resource kind used in findings (snake_case, as in model.md)
RESOURCE_KIND = {
    "Committee": "committee",
    "AuthorityMatrix": "authority_matrix",
    "BudgetPolicy": "budget_policy",
    "ClassificationPolicy": "classification_policy",
    "PlacementPolicy": "placement_policy",
    "StrategyPolicy": "strategy_policy",
}
