"""Pydantic models of the governance domain and the validated `Workspace`."""

from governance.model.build import MANIFEST, OnKind, inventory_bytes, load_workspace, read_places, rego_checks
from governance.model.definitions import DEFAULT_DIMENSIONS, DEFAULT_TIERS, BudgetPolicy, Phase, StrategyPolicy, cadence
from governance.model.diagnosis import Benchmark, PainPoint, RootCause, Step, ValueStream
from governance.model.governance import Control
from governance.model.inventory import Action, Decision, Goal, MaturityAssessment, Person, Project, Spend, kinds_taken_by
from governance.model.references import check_pending_references
from governance.model.schema import schema_files
from governance.model.workspace import DEFINITIONS, Workspace, assemble_input

__all__ = ["Action", "assemble_input", "Benchmark", "BudgetPolicy", "cadence", "check_pending_references", "Control", "Decision",
           "DEFAULT_DIMENSIONS",
           "DEFAULT_TIERS", "DEFINITIONS", "Goal", "inventory_bytes", "kinds_taken_by", "load_workspace", "MANIFEST",
           "MaturityAssessment", "OnKind", "PainPoint", "Person", "Phase", "Project", "read_places", "rego_checks", "RootCause",
           "schema_files", "Spend", "Step", "StrategyPolicy", "ValueStream", "Workspace"]
