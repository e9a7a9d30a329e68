"""Policy definitions (`policies/`): what the enterprise decided the rules are."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from governance.model.base import Date, Entity, Localized, Number, Strict


class CommitteeMember(Strict):
    person: str
    role: str
    delegate: Optional[str] = None


class Quorum(Strict):
    min_present: int = Field(ge=0)
    chair_or_delegate_required: bool = False


class Committee(Entity):
    kind: Literal["Committee"]
    name: Optional[Localized] = None
    chair: str
    required_roles: list[str] = []
    members: list[CommitteeMember] = []
    quorum: Optional[Quorum] = None
    max_meeting_gap_days: Optional[int] = Field(default=None, ge=0)


class AuthorityMatrix(Entity):
    kind: Literal["AuthorityMatrix"]
    reviewed_at: Optional[Date] = None
    # decision type -> role -> largest amount the role may approve; None = no limit
    limits: dict[str, dict[str, Optional[Number]]] = {}
    committee_required_above: Optional[Number] = None
    max_waiver_days: Optional[int] = Field(default=None, ge=0)


class Phase(Strict):
    id: str
    months: tuple[int, int]
    target_share: dict[str, float] = {}
    description: Optional[str] = None


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
    risk_assessment_interval_days: Optional[int] = Field(default=None, ge=0)


Encryption = Literal["none", "required", "cmk"]


class ClassificationPolicy(Entity):
    kind: Literal["ClassificationPolicy"]
    grades: list[str]
    levels: list[str]
    min_level: dict[str, str] = {}
    review_interval_days: dict[str, int] = {}
    encryption_at_rest: dict[str, Encryption] = {}
    important_data: Optional[ImportantData] = None


class Match(Strict):
    grades: Optional[list[str]] = None
    levels: Optional[list[str]] = None
    personal_info: Optional[bool] = None
    all: Optional[bool] = None


Deployment = Literal["public", "private", "hybrid", "on_prem"]


class PlacementRule(Strict):
    id: str
    match: Match
    allowed_deployments: Optional[list[Deployment]] = None
    allowed_jurisdictions: Optional[list[str]] = None
    allowed_regions: Optional[list[str]] = None
    description: Optional[str] = None


class SecurityAssessmentThreshold(Strict):
    grades: list[str] = []
    subjects_at_least: Optional[int] = None
    sensitive_subjects_at_least: Optional[int] = None


class ContractThreshold(Strict):
    subjects_at_least: Optional[int] = None


class CrossBorder(Strict):
    security_assessment: Optional[SecurityAssessmentThreshold] = None
    contract_or_certification: Optional[ContractThreshold] = None


class PlacementPolicy(Entity):
    kind: Literal["PlacementPolicy"]
    rules: list[PlacementRule] = []
    cross_border: Optional[CrossBorder] = None


DEFINITION_KINDS: dict[str, type[Entity]] = {
    "Committee": Committee,
    "AuthorityMatrix": AuthorityMatrix,
    "BudgetPolicy": BudgetPolicy,
    "ClassificationPolicy": ClassificationPolicy,
    "PlacementPolicy": PlacementPolicy,
}

# Kinds the checks read as a single policy: a second one would make the rules ambiguous.
SINGLETON_KINDS = {"AuthorityMatrix", "BudgetPolicy", "ClassificationPolicy", "PlacementPolicy"}

# kind -> resource kind used in findings (snake_case, as in model.md)
RESOURCE_KIND = {
    "Committee": "committee",
    "AuthorityMatrix": "authority_matrix",
    "BudgetPolicy": "budget_policy",
    "ClassificationPolicy": "classification_policy",
    "PlacementPolicy": "placement_policy",
}
