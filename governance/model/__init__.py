"""Pydantic models of the governance domain and the validated `Workspace`."""

from governance.model.build import MANIFEST, OnKind, inventory_bytes, load_workspace, read_places, rego_checks
from governance.model.definitions import DEFAULT_DIMENSIONS, DEFAULT_TIERS, BudgetPolicy, Phase, StrategyPolicy, cadence
from governance.model.governance import Control
from governance.model.inventory import Action, Decision, Goal, MaturityAssessment, Person, Project, Spend, kinds_taken_by
from governance.model.references import check_pending_references
from governance.model.schema import schema_files
from governance.model.workspace import DEFINITIONS, Workspace, assemble_input

__all__ = ["Action", "assemble_input", "BudgetPolicy", "cadence", "check_pending_references", "Control", "Decision",
           "DEFAULT_DIMENSIONS",
           "DEFAULT_TIERS", "DEFINITIONS", "Goal", "inventory_bytes", "kinds_taken_by", "load_workspace", "MANIFEST",
           "MaturityAssessment", "OnKind", "Person", "Phase", "Project", "read_places", "rego_checks", "schema_files", "Spend",
           "StrategyPolicy", "Workspace"]
