"""Waivers, controls and the workspace manifest."""

from __future__ import annotations

from governance.model.base import Date, Entity, Localized, Strict
from governance.result.vocabulary import FailOn


class ResourceRef(Strict):
    kind: str
    id: str


class Waiver(Entity):
    check: str
    resource: ResourceRef
    justification: str
    requested_by: str
    approved_by: str
    approved_at: Date
    expires: Date


class Control(Entity):
    title: Localized
    checks: list[str] = []
    references: dict[str, object] = {}
    domain: str | None = None


class Manifest(Strict):
    name: str | None = None
    description: str | None = None
    policies: list[str] = ["policies"]
    controls: list[str] = ["controls"]
    checks: list[str] = ["checks"]
    inventory: list[str] = ["inventory"]
    waivers: list[str] = ["waivers"]
    fail_on: FailOn = "low"
    skip: list[str] = []  # check ids evaluated but not reported, e.g. a new check in advisory mode
    annotations: dict[str, str] | None = None
