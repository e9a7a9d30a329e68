"""Merge the saved results of many workspaces into one group report (`govern aggregate`).

Findings of different workspaces compare only when the same checks judged
them: the same built-in library (the `library` hashes every result records)
on the same OPA version. Results of different ones are refused
(`MixedRevisions`, exit 3) unless the caller allows it; the tool's own
version is not compared, since the checks that ran are what the library
hashes say. Each workspace keeps its own policy revision: its definitions
and its own checks are its business.

Its threshold is not: the group judges every entity at one `fail_on` (the
group's, `low` unless told otherwise), whatever its own manifest says. An
entity whose own `fail_on` is laxer says so, so that its own green run is not
read as the group's pass.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from governance import __version__
from governance.evaluate.saved import ResultFileError, read_result
from governance.load import MAX_NAME_CHARS, id_problem
from governance.result import (
    FAIL_ON,
    SEVERITIES,
    STANDINGS,
    STATUSES,
    Entity,
    GroupFinding,
    GroupResult,
    RunResult,
    Tool,
    advisory,
    check_standings,
    control_standing,
    gate,
    severity_rank,
)
from governance.text import one_line

__all__ = ["MixedRevisions", "ResultFileError", "aged", "aggregate", "failing", "laxer", "library_digest", "merge"]

DEFAULT_TOP = 50  # the worst findings a group report lists
DEFAULT_FAIL_ON = "low"  # as for `govern check`


class MixedRevisions(Exception):
    """The results were evaluated under different built-in libraries or OPA versions (exit 3)."""


def library_digest(result: RunResult) -> str:
    """One name for the built-in checks and controls a result ran: sha256 over their paths and hashes."""
    files = sorted((f.path, f.sha256) for f in result.library)
    return "sha256:" + hashlib.sha256(json.dumps(files).encode()).hexdigest()


def aggregate(paths: Sequence[Path | str], *, top: int = DEFAULT_TOP, allow_mixed: bool = False,
              fail_on: str = DEFAULT_FAIL_ON) -> GroupResult:
    """The group report of the results saved at `paths`; `ResultFileError` naming a file that is not one."""
    results = {str(p): read_result(p) for p in paths}
    return merge(results, top=top, allow_mixed=allow_mixed, fail_on=fail_on)


def merge(results: dict[str, RunResult], *, top: int = DEFAULT_TOP, allow_mixed: bool = False,
          fail_on: str = DEFAULT_FAIL_ON) -> GroupResult:
    """`results` by the file each came from (for messages); one per workspace. `fail_on`: the group's
    threshold, at which every entity is judged."""
    _one_per_workspace(results)
    engines = {(library_digest(r), r.engine.opa_version) for r in results.values()}
    if len(engines) > 1 and not allow_mixed:
        raise MixedRevisions(_mixed(results))
    entities = sorted((_entity(r, fail_on) for r in results.values()), key=lambda e: e.name)
    unwaived = sorted((GroupFinding.model_validate({**f.model_dump(), "entity": r.workspace}) for r in results.values()
                       for f in r.findings if f.status == "fail" and not advisory(f, fail_on)), key=_worst_first)
    library, opa = next(iter(engines)) if len(engines) == 1 else (None, None)
    return GroupResult(tool=Tool(version=__version__), fail_on=fail_on, library=library, opa_version=opa,
                       mixed_revisions=len(engines) > 1, entities=entities,
                       findings=unwaived[:top] if top else unwaived, findings_total=len(unwaived))


def aged(group: GroupResult, as_of: str, digests: dict[str, str]) -> GroupResult:
    """The group of each entity's latest recorded run on or before `as_of` (`govern aggregate --db`), each
    entity saying how old its run is (`age_days`) and which it is (`digest`): an entity that stopped
    reporting shows an old run, never a silent pass. `digests`: the recorded run of each entity, by name."""
    day = dt.date.fromisoformat(as_of)
    entities = [Entity.model_validate({**e.model_dump(), "age_days": (day - dt.date.fromisoformat(e.as_of)).days,
                                       "digest": digests[e.name]}) for e in group.entities]
    return GroupResult.model_validate({**group.model_dump(), "as_of": as_of, "entities": entities})


def failing(group: GroupResult) -> bool:
    """Does an entity fail at the group's threshold (`govern aggregate` exits 1)?"""
    return any(e.verdict == "fail" for e in group.entities)


def laxer(own: str, group: str) -> bool:
    """Does threshold `own` let pass a finding that `group` fails? FAIL_ON runs from the laxest
    severity threshold (critical: only critical fails) to info, then never, laxest of all."""
    def strictness(fail_on: str) -> int:
        return -1 if fail_on == "never" else FAIL_ON.index(fail_on)

    return strictness(own) < strictness(group)


def _one_per_workspace(results: dict[str, RunResult]) -> None:
    """Two results of one workspace would count its findings twice; a result without a name has no entity.
    Names compare as a workspace's are read (load/characters.py): in NFC, and refused where a
    workspace's name would be, so no invisible character can make one workspace two."""
    seen: dict[str, str] = {}
    for path, r in results.items():
        if not r.workspace:
            raise ResultFileError(f"{path}:1:1: the result names no workspace (`workspace` is empty); "
                                  "results of govern check always carry one")
        why = id_problem(r.workspace, MAX_NAME_CHARS)
        if why:
            raise ResultFileError(f"{path}:1:1: the workspace name '{one_line(r.workspace)}' {why}; "
                                  "results of govern check never carry such a name")
        name = unicodedata.normalize("NFC", r.workspace)
        if name in seen:
            raise ResultFileError(f"{seen[name]} and {path} are both results of workspace '{one_line(name)}': "
                                  "give one result per workspace")
        seen[name] = path


def _mixed(results: dict[str, RunResult]) -> str:
    groups: dict[tuple[str, str], list[str]] = {}
    for path, r in results.items():
        groups.setdefault((library_digest(r), r.engine.opa_version), []).append(path)
    told = "; ".join(f"{', '.join(sorted(paths))}: built-in library {lib[:19]}… on OPA {opa}"
                     for (lib, opa), paths in sorted(groups.items()))
    return (f"the results were evaluated under different built-in check libraries or OPA versions ({told}); "
            "re-run `govern check` with one govern and OPA version, or pass --allow-mixed-revisions")


def _entity(r: RunResult, fail_on: str) -> Entity:
    """`r` summarised at the group's threshold `fail_on`."""
    def by_severity(status: str) -> dict[str, int]:
        # advisories are counted apart, never among the failing, as in every per-run report
        return {s: sum(1 for f in r.findings if f.status == status and f.severity == s and not advisory(f, fail_on))
                for s in SEVERITIES}

    standings = check_standings(r.checks, fail_on)
    return Entity(
        name=r.workspace, as_of=r.as_of, fail_on=r.fail_on, verdict="fail" if gate(r, fail_on) else "pass",
        own_verdict="fail" if gate(r, r.fail_on) else "pass", laxer_than_group=laxer(r.fail_on, fail_on),
        failing=by_severity("fail"), waived=by_severity("waived"), advisories=sum(advisory(f, fail_on) for f in r.findings),
        checks={s: sum(1 for c in r.checks if c.status == s) for s in STATUSES},
        controls={c.id: c.status for c in r.controls},
        checks_standing={s: sum(v == s for v in standings.values()) for s in STANDINGS},
        controls_standing={c.id: control_standing(c, standings) for c in r.controls},
        tool_version=r.tool.version, opa_version=r.engine.opa_version,
        policy_revision=r.engine.policy_revision, library=library_digest(r),
        started_at=r.run.started_at if r.run else None, finished_at=r.run.finished_at if r.run else None)


def _worst_first(f: GroupFinding) -> tuple:
    return severity_rank(f.severity), f.entity, f.check, f.resource.kind, f.resource.id
