"""`govern aggregate --format oscal`: the group as one OSCAL 1.0.4 assessment-results document.

One `result` per entity (as oscal.py makes one per run): its controls as
reviewed controls and one OSCAL finding each (satisfied unless the control
failed in that workspace), and an observation for each of its findings among
the group's worst. The plan in the back-matter names the built-in library the
group ran. UUIDs are uuid5 over the entity's name and stable keys, so the same
results give the same document; the entity is in every key, because two
subsidiaries may well hold a system of the same id.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from governance.report._escape import visible_json
from governance.report._oscal import OSCAL_VERSION, markup, prop, token, uuid_for
from governance.report.oscal import REASON, _satisfied
from governance.result import SEVERITIES, Entity, GroupFinding, GroupResult

if TYPE_CHECKING:  # the package imports this module
    from governance.report import RenderOptions


def render(group: GroupResult, options: RenderOptions) -> str:
    identity = json.dumps([group.library, group.opa_version, group.fail_on, [e.model_dump() for e in group.entities]],
                          sort_keys=True)
    plan = uuid_for("group-assessment-plan", identity)
    doc = {"assessment-results": {
        "uuid": uuid_for("group-assessment-results", identity),
        "metadata": {
            "title": "govern group assessment results",
            "last-modified": max(_times(e)[1] for e in group.entities),
            "version": hashlib.sha256(identity.encode()).hexdigest()[:12],
            "oscal-version": OSCAL_VERSION,
            "props": [prop("tool", f"{group.tool.name} {group.tool.version}"), prop("entities", len(group.entities)),
                      prop("group-fail-on", group.fail_on),
                      prop("library", group.library or "mixed"), prop("opa-version", group.opa_version or "mixed")],
        },
        "import-ap": {"href": f"#{plan}", "remarks": "The assessment plan is the built-in govern library the group's "
                                                    "results were evaluated under; see the back-matter resource."},
        "results": [_result(e, [f for f in group.findings if f.entity == e.name]) for e in group.entities],
        "back-matter": {"resources": [{
            "uuid": plan, "title": "govern checks of the group",
            "description": markup("Each entity's checks at its policy revision (its result's props), with the built-in "
                                   f"library {group.library or 'of each entity'} on OPA {group.opa_version or 'per entity'}."),
            "props": [prop("entity-policy-revision", f"{e.name} {e.policy_revision}") for e in group.entities],
        }]},
    }}
    return visible_json(doc) + "\n"  # as a run's OSCAL (oscal.py)


def _times(e: Entity) -> tuple[str, str]:
    midnight = f"{e.as_of}T00:00:00Z"
    return e.started_at or midnight, e.finished_at or midnight


def _result(e: Entity, findings: list[GroupFinding]) -> dict:
    start, end = _times(e)
    tool = uuid_for("entity-component", e.name)
    out = {
        "uuid": uuid_for("entity-result", e.name, e.policy_revision, e.as_of),
        "title": markup(f"govern check of {e.name}"),
        "description": markup(f"{e.name} as of {e.as_of}, policy revision {e.policy_revision}: {e.verdict} at the "
                               f"group's threshold, {sum(e.failing.values())} unwaived and {sum(e.waived.values())} waived "
                               "finding(s)." + (f" Its own fail_on ({e.fail_on}) is laxer than the group's: its own run "
                                                f"says {e.own_verdict}." if e.laxer_than_group else "")),
        "start": start, "end": end,
        "props": [prop("entity", e.name), prop("as-of", e.as_of), prop("fail-on", e.fail_on), prop("verdict", e.verdict),
                  prop("own-verdict", e.own_verdict), prop("fail-on-laxer-than-group", str(e.laxer_than_group).lower()),
                  prop("policy-revision", e.policy_revision), prop("library", e.library),
                  prop("opa-version", e.opa_version),
                  *[prop(f"findings-failed-{s}", e.failing.get(s, 0)) for s in SEVERITIES],
                  *[prop(f"checks-{state.replace('_', '-')}", n) for state, n in sorted(e.checks.items())],
                  prop("advisories", e.advisories), prop("checks-advisory", e.checks_standing.get("advisory", 0))],
        "local-definitions": {"components": [{
            "uuid": tool, "type": "software", "title": "govern", "description": markup(f"govern {e.tool_version}"),
            "status": {"state": "operational"}}]},
        "reviewed-controls": {"control-selections": [
            {"include-controls": [{"control-id": token(c)} for c in sorted(e.controls)]} if e.controls
            else {"remarks": "The workspace defines no controls."}]},
    }
    origins = [{"actors": [{"type": "tool", "actor-uuid": tool}]}]
    if findings:  # OSCAL forbids empty arrays
        out["observations"] = [_observation(e, f, origins, end) for f in findings]
    if e.controls:
        # judged by standing, as the per-run OSCAL does: advisories alone leave a control satisfied
        out["findings"] = [_control(e, c, e.controls_standing.get(c, status), origins)
                           for c, status in sorted(e.controls.items())]
    return out


def _observation(e: Entity, f: GroupFinding, origins: list[dict], collected: str) -> dict:
    where = f"{f.location.file}:{f.location.line}:{f.location.column}" if f.location else "-"
    return {
        "uuid": uuid_for("entity-observation", e.name, f.fingerprint),
        "title": markup(f"{f.check} {f.resource.kind} {f.resource.id}"),
        "description": markup(f.message),
        "props": [prop("check", f.check), prop("severity", f.severity), prop("fingerprint", f.fingerprint),
                  prop("location", where), *[prop("control", c) for c in f.controls]],
        "methods": ["TEST"], "types": ["finding"], "origins": origins, "collected": collected,
    }


def _control(e: Entity, control: str, status: str, origins: list[dict]) -> dict:
    satisfied = _satisfied(status)  # the per-run report's rule: a skipped check's control is not satisfied
    return {
        "uuid": uuid_for("entity-finding", e.name, control),
        "title": markup(f"{control} in {e.name}"),
        "description": markup(f"Control {control} is {'satisfied' if satisfied else 'not satisfied'} in {e.name} "
                               f"({status.replace('_', ' ')})."),
        "origins": origins,
        "target": {"type": "objective-id", "target-id": token(control),
                   "status": {"state": "satisfied" if satisfied else "not-satisfied",
                              "reason": REASON.get(status, "pass" if satisfied else "fail")}},
    }
