"""Waivers, controls and the workspace manifest.

Each field's `description` is what `govern schema` and docs/reference/workspace.md
tell the people who write these files."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from governance.frameworks import FRAMEWORKS, MAX_CLAUSES
from governance.model.base import Date, Entity, Localized, Name, Ref, Strict
from governance.result import FailOn


class ResourceRef(Strict):
    """The resource a waiver is for."""

    kind: str = Field(description="Resource kind, as findings name it (e.g. budget_line, system, phase).")
    id: str = Field(description="Its id.")


class Waiver(Entity):
    """An approved exception: one check does not fail on one resource until it expires."""

    check: str = Field(description="Check id (e.g. BUD-003); the check must be waivable.")
    resource: Annotated[ResourceRef, Ref()] = Field(description="The resource the check's finding is about.")
    justification: str = Field(description="Why the exception is accepted.")
    requested_by: Annotated[str, Ref("person")] = Field(description="Person id of who asked for it.")
    approved_by: Annotated[str, Ref("person")] = Field(
        description="Person id of who approved it: not the requester, with a role under AuthorityMatrix limits.waiver.")
    approved_at: Date = Field(description="When it was approved.")
    expires: Date = Field(description="Last day it applies.")
    decision: Annotated[str | None, Ref("decision")] = Field(
        default=None, description="Decision id of the committee decision (type waiver) that granted it; "
                                  "required where AuthorityMatrix waiver_requires_decision is true.")


class Control(Entity):
    """A control of the catalogue and the checks that evidence it."""

    title: Localized = Field(description="The control's title in Chinese and English.")
    checks: list[str] = Field(default=[], description="Ids of the checks that evidence it.")
    references: dict[str, object] = Field(
        default={}, json_schema_extra={"propertyNames": {"enum": list(FRAMEWORKS)}},
        description="Framework -> the clause it cites, or a list of them (e.g. handbook: \"1.3.2\", iso27001: [A.5.3], "
                    "pipl: [art. 51], gbt22239: [\"8.1.4.8\"], gbt43697: [\"6.5\", Annex G]). Frameworks: "
                    + ", ".join(FRAMEWORKS) + "; a clause written otherwise than its framework's is an error, and so "
                    + f"are more than {MAX_CLAUSES} clauses in all.")
    domain: str | None = Field(default=None, description="Domain id it belongs to (e.g. budget).")


class Manifest(Strict):
    """`governance.yaml`: what makes a folder a workspace, and where its files are. Every key is optional."""

    name: Name | None = Field(default=None, description="Display name of the enterprise (default: the folder's name).")
    description: str | None = Field(default=None, description="Free text for the people who read this file.")
    policies: list[str] = Field(
        default=["policies"], description="Files or folders of policy definitions, relative to this file.")
    controls: list[str] = Field(
        default=["controls"], description="Files or folders of controls, added to the built-in catalogue.")
    checks: list[str] = Field(default=["checks"], description="Files or folders of Rego checks, added to the built-in library.")
    inventory: list[str] = Field(default=["inventory"], description="Files or folders of inventory.")
    waivers: list[str] = Field(default=["waivers"], description="Files or folders of waivers.")
    fail_on: FailOn = Field(
        default="low", description="Lowest unwaived severity that fails a run, or never (`--fail-on` overrides it).")
    skip: list[str] = Field(
        default=[], description="Check ids evaluated but not reported, e.g. a new check in advisory mode (`--skip` adds to it).")
    annotations: dict[str, str] | None = Field(default=None, description="Free-form labels, text to text.")
