"""The group report: the results of many workspaces (one per subsidiary, say) merged by
`govern aggregate`, as pydantic models.

`governance.evaluate.aggregate` builds a `GroupResult` from saved run results;
the group renderers read nothing else. Like a `RunResult` without its run
timestamps, the same results give the same group report, byte for byte.
"""

from __future__ import annotations

from typing import Literal

from governance.result.types import Finding, Tool, _Model
from governance.result.vocabulary import FailOn, Standing, Status

GROUP_SCHEMA_VERSION = 1


class Entity(_Model):
    """One workspace's result, summarised."""

    name: str  # the workspace's name as its result gives it
    as_of: str
    fail_on: str  # its own threshold, as its result records it
    verdict: Literal["pass", "fail"]  # at the group's threshold (`GroupResult.fail_on`): what the group report judges
    own_verdict: Literal["pass", "fail"]  # its own gate at its own fail_on: what its `govern check` exited with (0 or 1)
    # its own fail_on lets pass findings that the group's threshold fails (`fail_on: never` against `low`, say):
    # its own green run does not mean the group's pass
    laxer_than_group: bool
    failing: dict[str, int]  # unwaived findings by severity, every severity listed, advisories not among them
    waived: dict[str, int]  # waived findings by severity, every severity listed
    advisories: int  # unwaived info findings that cannot fail it at the group's threshold
    checks: dict[str, int]  # checks by status: pass, fail, not_applicable
    controls: dict[str, Status] = {}  # control id -> its status in this workspace
    # as every per-run report reads them at the group's threshold (governance.result.verdict.tally): a check or
    # control whose unwaived findings are all advisories passes with advisories ("advisory"), it does not fail
    checks_standing: dict[str, int] = {}  # checks by standing, every standing listed
    controls_standing: dict[str, Standing] = {}  # control id -> its standing in this workspace
    tool_version: str
    opa_version: str
    policy_revision: str
    library: str  # digest of the built-in checks and controls it ran (`library` of its result)
    started_at: str | None = None  # its run, as its result records it
    finished_at: str | None = None


class GroupFinding(Finding):
    """An unwaived finding of one entity."""

    entity: str


class GroupResult(_Model):
    schema_version: int = GROUP_SCHEMA_VERSION
    kind: Literal["group"] = "group"
    tool: Tool  # the govern that merged the results
    fail_on: FailOn = "low"  # the group's threshold (`govern aggregate --fail-on`), applied to every entity
    library: str | None  # the built-in library every entity ran; None when --allow-mixed-revisions merged several
    opa_version: str | None  # likewise, the OPA version
    mixed_revisions: bool = False
    entities: list[Entity]  # by name
    findings: list[GroupFinding]  # the worst unwaived findings, advisories excluded: severity, then entity, check, resource
    findings_total: int  # failing findings of every entity (`findings` may hold fewer: --top)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"
