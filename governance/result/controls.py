"""The control catalogue as `govern controls` shows it, and one framework's view of it (docs/audit.md,
"Frameworks and the controls view", describes the keys).

Both are built once (evaluate/controls.py) from the workspace's controls and a run's result; their
renderers read nothing else. A status is a standing (`pass`, `advisory`, `fail`, `not_applicable`,
`skipped`), as every report other than the run's JSON reads a check or a control, or None where the run
says nothing of it (no run, or a control or check the run did not hold).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from governance.result.types import Count, Day, _Model
from governance.result.vocabulary import Standing

CONTROLS_KIND: Literal["govern-controls"] = "govern-controls"
FRAMEWORK_KIND: Literal["govern-framework"] = "govern-framework"
CONTROLS_SCHEMA_VERSION = 1

RequirementStatus = Literal["satisfied", "not_satisfied", "not_applicable", "not_evaluated"]
REQUIREMENT_STATUSES: tuple[RequirementStatus, ...] = ("satisfied", "not_satisfied", "not_applicable", "not_evaluated")


class Citation(_Model):
    """A clause of a framework a control cites: `framework` is its key (gbt22239, pipl …)."""

    framework: str
    clause: str


class ViewCheck(_Model):
    """A check that evidences a control, with its standing in the run (None: not in the run)."""

    id: str
    title: dict[str, str] = {}  # language -> title, as its METADATA gives it (empty when not in the run)
    status: Standing | None = None


class ViewControl(_Model):
    """A control of the catalogue: its checks, the clauses it cites, and its standing in the run."""

    id: str
    title: dict[str, str]
    domain: str | None = None
    status: Standing | None = None  # None: not evaluated (no run, or the run does not hold it)
    checks: list[ViewCheck]
    references: list[Citation]


class ControlsView(_Model):
    kind: Literal["govern-controls"] = CONTROLS_KIND
    schema_version: int = CONTROLS_SCHEMA_VERSION
    workspace: str
    as_of: Day | None = None  # the run's as-of date; None without a run
    controls: list[ViewControl]  # by id

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


class Requirement(_Model):
    """A clause of the framework the catalogue cites, the controls that cite it, and its status from theirs."""

    clause: str
    status: RequirementStatus
    controls: list[ViewControl]  # by id


class Coverage(_Model):
    """How many of the framework's clauses the catalogue cites, and how many stand in each status."""

    cited: Count
    satisfied: Count
    not_satisfied: Count
    not_applicable: Count
    not_evaluated: Count


class FrameworkView(_Model):
    kind: Literal["govern-framework"] = FRAMEWORK_KIND
    schema_version: int = CONTROLS_SCHEMA_VERSION
    workspace: str
    as_of: Day | None = None
    framework: str  # its key
    requirements: list[Requirement]  # in the framework's clause order
    coverage: Coverage

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


def requirement_status(controls: Iterable[Standing | None]) -> RequirementStatus:
    """A requirement from the standings of the controls that cite it: any failing control leaves it not
    satisfied; otherwise one skipped or not in the run leaves it not evaluated (part of its evidence was
    not looked at, so it must not read as satisfied); otherwise one passing (with advisories or not)
    satisfies it; a requirement whose controls are all not applicable is not applicable."""
    seen = set(controls)
    if "fail" in seen:
        return "not_satisfied"
    if "skipped" in seen or None in seen:
        return "not_evaluated"
    if seen & {"pass", "advisory"}:
        return "satisfied"
    return "not_applicable"


def coverage(requirements: list[Requirement]) -> Coverage:
    counted = {status: sum(r.status == status for r in requirements) for status in REQUIREMENT_STATUSES}
    return Coverage(cited=len(requirements), **counted)
