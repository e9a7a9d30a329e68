"""Pydantic models of the governance domain and the validated `Workspace`."""

from governance.model.build import load_workspace
from governance.model.workspace import Workspace

__all__ = ["Workspace", "load_workspace"]
