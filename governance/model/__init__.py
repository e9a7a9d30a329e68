"""Pydantic models of the governance domain and the validated `Workspace`."""

from governance.model.build import inventory_bytes, load_workspace, rego_checks
from governance.model.workspace import Workspace

__all__ = ["Workspace", "inventory_bytes", "load_workspace", "rego_checks"]
