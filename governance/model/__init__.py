"""Pydantic models of the governance domain and the validated `Workspace`."""

from governance.model.build import MANIFEST, OnKind, inventory_bytes, load_workspace, read_places, rego_checks
from governance.model.definitions import DEFAULT_DIMENSIONS, DEFAULT_TIERS, Phase, cadence
from governance.model.governance import Control
from governance.model.inventory import Goal, MaturityAssessment, Project
from governance.model.schema import schema_files
from governance.model.workspace import Workspace, assemble_input

__all__ = ["Control", "DEFAULT_DIMENSIONS", "DEFAULT_TIERS", "Goal", "MANIFEST", "MaturityAssessment", "OnKind", "Phase",
           "Project", "Workspace", "assemble_input", "inventory_bytes", "load_workspace", "read_places", "rego_checks",
           "cadence", "schema_files"]
