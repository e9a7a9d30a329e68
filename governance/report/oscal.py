"""`--format oscal`: NIST OSCAL 1.0.4 assessment-results, JSON.

Mapping (docs/audit.md):
- the workspace's controls → `reviewed-controls` (include-controls by id);
- each finding → an `observation` (method TEST, collected at the run's end)
  whose subject is the resource and whose evidence is its input file with
  that file's sha256 (also a back-matter resource with the hash);
- each control → one OSCAL `finding`, target objective-id = control id,
  `satisfied` unless one of its checks has an unwaived finding other than an
  advisory (`not-satisfied`) or was skipped by the run's selection (then
  `not-satisfied`, reason `other`: not assessed); advisories are noted in its
  description and counted in an `advisories` prop;
- each waived finding → a `risk` with status `deviation-approved`, naming
  the waiver, its approver and its expiry.

UUIDs are uuid5 over a fixed namespace and stable keys (finding fingerprints,
control ids, file paths and the digest of the run's inputs), so the same
inputs give the same document apart from the run's timestamps.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import TYPE_CHECKING
from urllib.parse import quote

from governance.report._escape import markdown_text, visible_json
from governance.report._people import person
from governance.result import (
    CheckSummary,
    ControlRecord,
    Finding,
    RunResult,
    Standing,
    WaiverRecord,
    advisory,
    check_standings,
    control_standing,
)

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "oscal"
OSCAL_VERSION = "1.0.4"
PROP_NS = "urn:govern:oscal"  # govern's own prop names live outside the OSCAL namespace
_UUIDS = uuid.UUID("6a1d0f3e-9b4c-5e27-8f61-2c7d4b9a0e15")  # fixed forever: changing it changes every UUID


def _uuid(*keys: str) -> str:
    return str(uuid.uuid5(_UUIDS, _encodable("\x1f".join(keys))))


def _encodable(text: str) -> str:
    """`text` with any lone surrogate (a saved result is user input), which UTF-8 cannot encode, as its
    escape; any other text unchanged, so its UUIDs and digests are too."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _text(value: object) -> str:
    """OSCAL strings may not be empty nor start or end with whitespace, nor span lines."""
    return " ".join(str(value).split()) or "-"


def _markup(value: object) -> str:
    """A title, description, statement or remarks: OSCAL markup, which GRC tools render as
    Markdown, so workspace text in it is escaped (no HTML, link, image or emphasis)."""
    return markdown_text(value) or "-"


def _token(value: str) -> str:
    """An OSCAL token: a letter or _ first, then letters, digits, '.', '-', '_'."""
    chars = [c if c.isalnum() or c in ".-_" else "-" for c in value] or ["_"]
    return ("" if chars[0].isalpha() or chars[0] == "_" else "_") + "".join(chars)


# the target's status reason where it is not plain pass or fail
REASON = {"not_applicable": "not-applicable", "skipped": "other"}


def _satisfied(standing: str) -> bool:
    """A skipped check's evidence was not looked at, so what it evidences cannot be called satisfied;
    advisories alone do not make it unsatisfied (`governance.result.standing`)."""
    return standing not in ("fail", "skipped")


def _prop(name: str, value: object, **extra: str) -> dict:
    return {"name": name, "ns": PROP_NS, "value": _text(value), **extra}


def _identity(result: RunResult) -> str:
    """What makes two runs the same run: tool, policies, date, and every input."""
    basis = [result.tool.version, result.engine.policy_revision, result.as_of, result.fail_on,
             [(f.path, f.sha256) for f in result.inputs], [(f.path, f.sha256) for f in result.library]]
    return hashlib.sha256(_encodable(json.dumps(basis, ensure_ascii=False)).encode()).hexdigest()


def _times(result: RunResult) -> tuple[str, str]:
    if result.run:
        return result.run.started_at, result.run.finished_at
    midnight = f"{result.as_of}T00:00:00Z"
    return midnight, midnight


class _Document:
    """Builds one assessment-results document from one `RunResult`."""

    def __init__(self, result: RunResult) -> None:
        self.r = result
        self.identity = _identity(result)
        self.started, self.finished = _times(result)
        self.workspace = result.workspace or "workspace"
        self.tool_uuid = _uuid("component", "govern")
        self.plan_uuid = _uuid("assessment-plan", result.engine.policy_revision)
        self.file_uuid = {f.path: _uuid("input", f.path, f.sha256) for f in result.inputs}
        self.file_hash = {f.path: f.sha256 for f in result.inputs}
        self.waivers = {w.id: w for w in result.waivers}
        self.skipped = {s.check for s in result.selection.skipped}
        self.standings = check_standings(result.checks, result.fail_on)

    # ---------------------------------------------------------------- top level

    def build(self) -> dict:
        return {"assessment-results": {
            "uuid": _uuid("assessment-results", self.identity),
            "metadata": self.metadata(),
            "import-ap": {
                "href": f"#{self.plan_uuid}",
                "remarks": "The assessment plan is the set of govern checks at the recorded policy revision; "
                           "see the back-matter resource it points to.",
            },
            "results": [self.result()],
            "back-matter": {"resources": self.resources()},
        }}

    def metadata(self) -> dict:
        r = self.r
        return {
            "title": _markup(f"govern assessment results: {self.workspace} as of {r.as_of}"),
            "last-modified": self.finished,
            "version": f"{r.as_of}-{self.identity[:12]}",
            "oscal-version": OSCAL_VERSION,
            "props": [
                _prop("tool", f"{r.tool.name} {r.tool.version}"),
                _prop("opa-version", r.engine.opa_version),
                _prop("policy-revision", r.engine.policy_revision),
                _prop("as-of", r.as_of),
                _prop("workspace", self.workspace),
            ],
        }

    def result(self) -> dict:
        r = self.r
        observations = [self.observation(f) for f in r.findings]
        risks = [self.risk(f) for f in r.findings if f.status == "waived"]
        findings = self.findings()
        out = {
            "uuid": _uuid("result", self.identity),
            "title": _markup(f"govern check of {self.workspace}"),
            "description": _markup(
                f"Every check evaluated on Open Policy Agent {r.engine.opa_version} as of {r.as_of}, "
                f"policy revision {r.engine.policy_revision}: {r.summary.fail} unwaived and "
                f"{r.summary.waived} waived finding(s) over {len(r.checks)} check(s)."),
            "start": self.started,
            "end": self.finished,
            "props": [
                _prop("as-of", r.as_of),
                _prop("fail-on", r.fail_on),
                _prop("findings-failed", r.summary.fail),
                _prop("findings-waived", r.summary.waived),
                *[_prop(f"checks-{state.replace('_', '-')}", n) for state, n in sorted(r.summary.checks.items())],
            ],
            "local-definitions": self.local_definitions(),
            "reviewed-controls": self.reviewed_controls(),
        }
        # OSCAL forbids empty arrays: a clean run simply has no observations or risks
        for key, items in (("observations", observations), ("risks", risks), ("findings", findings)):
            if items:
                out[key] = items
        return out

    # ---------------------------------------------------------------- parts

    def local_definitions(self) -> dict:
        component = {
            "uuid": self.tool_uuid,
            "type": "software",
            "title": "govern",
            "description": _markup(f"govern {self.r.tool.version}: governance as code, checks evaluated by "
                                 f"Open Policy Agent {self.r.engine.opa_version}."),
            "props": [_prop("version", self.r.tool.version)],
            "status": {"state": "operational"},
        }
        out = {"components": [component]}
        resources = sorted({(f.resource.kind, f.resource.id) for f in self.r.findings})
        if resources:
            out["inventory-items"] = [{
                "uuid": self.subject_uuid(kind, id_),
                "description": _markup(f"{kind} {id_}"),
                "props": [_prop("resource-kind", kind), _prop("resource-id", id_)],
            } for kind, id_ in resources]
        return out

    def subject_uuid(self, kind: str, id_: str) -> str:
        return _uuid("resource", kind, id_)

    def reviewed_controls(self) -> dict:
        controls = self.r.controls
        if not controls:
            return {"control-selections": [{"remarks": "The workspace defines no controls."}]}
        return {"control-selections": [{
            "include-controls": [{"control-id": _token(c.id)} for c in controls],
        }]}

    def origins(self) -> list[dict]:
        return [{"actors": [{"type": "tool", "actor-uuid": self.tool_uuid}]}]

    def observation(self, f: Finding) -> dict:
        props = [
            _prop("check", f.check),
            _prop("severity", f.severity),
            _prop("status", f.status),
            _prop("fingerprint", f.fingerprint),
            *[_prop("control", c) for c in f.controls],
        ]
        if f.waiver:
            props.append(_prop("waiver", f.waiver))
        out = {
            "uuid": self.observation_uuid(f),
            "title": _markup(f"{f.check} {f.resource.kind} {f.resource.id}"),
            "description": _markup(f.message),
            "props": props,
            "methods": ["TEST"],
            "types": ["finding"],
            "origins": self.origins(),
            "subjects": [{
                "subject-uuid": self.subject_uuid(f.resource.kind, f.resource.id),
                "type": "inventory-item",
                "title": _markup(f"{f.resource.kind} {f.resource.id}"),
            }],
            "collected": self.finished,
        }
        evidence = self.evidence(f)
        if evidence:
            out["relevant-evidence"] = [evidence]
        return out

    def observation_uuid(self, f: Finding) -> str:
        return _uuid("observation", f.fingerprint)

    def evidence(self, f: Finding) -> dict | None:
        loc = f.location
        if loc is None:
            return None
        digest = self.file_hash.get(loc.file)
        where = f"{loc.file}:{loc.line}:{loc.column}"
        out = {
            "href": f"#{self.file_uuid[loc.file]}" if digest else quote(loc.file, errors="backslashreplace"),
            "description": _markup(f"{where}" + (f", sha256 {digest}" if digest else "")),
            "props": [_prop("location", where)] + ([_prop("sha256", digest)] if digest else []),
        }
        return out

    def risk(self, f: Finding) -> dict:
        w: WaiverRecord | None = self.waivers.get(f.waiver or "")
        if w is None:
            approval = f"Waived by {f.waiver}; the waiver record is not in the result."
            statement, props = _markup(approval), []
        else:
            granted = f", granted by decision {w.decision}" if w.decision else ""
            approval = (f"Waiver {w.id} approved by {person(w.approved_by, w.approved_by_name)} on {w.approved_at}{granted} "
                        f"(requested by {person(w.requested_by, w.requested_by_name)}); it expires {w.expires} "
                        "(valid through that day).")
            statement = _markup(w.justification)
            props = [_prop("approved-by", w.approved_by), _prop("approved-at", w.approved_at),
                     _prop("requested-by", w.requested_by), _prop("expires", w.expires)]
            props += [_prop("decision", w.decision)] if w.decision else []
        # OSCAL 1.0.4 gives a risk no remarks of its own: the approval is told on the waiver prop
        props = [_prop("check", f.check), _prop("severity", f.severity),
                 _prop("waiver", f.waiver or "unknown", remarks=_markup(approval))] + props
        return {
            "uuid": _uuid("risk", f.fingerprint, f.waiver or ""),
            "title": _markup(f"Approved deviation: {f.check} on {f.resource.kind} {f.resource.id}"),
            "description": _markup(f"{f.message}. {approval}"),
            "statement": statement,
            "props": props,
            "status": "deviation-approved",
            "origins": self.origins(),
            "related-observations": [{"observation-uuid": self.observation_uuid(f)}],
        }

    def findings(self) -> list[dict]:
        by_check: dict[str, list[Finding]] = {}
        for f in self.r.findings:
            by_check.setdefault(f.check, []).append(f)
        out = [self.control_finding(c, by_check) for c in self.r.controls]
        # a workspace check evidencing no control still gets a finding, so no failure goes unreported
        mapped = {check for c in self.r.controls for check in c.checks}
        out += [self.check_finding(c, by_check.get(c.id, [])) for c in self.r.checks
                if c.id not in mapped and c.status != "not_applicable"]
        return out

    def advice(self, related: list[Finding]) -> tuple[str, list[dict]]:
        """The advisories among `related`, told in a description and counted in a prop (none: nothing)."""
        advice = sorted({f.check for f in related if advisory(f, self.r.fail_on)})
        if not advice:
            return "", []
        n = sum(advisory(f, self.r.fail_on) for f in related)
        return f"; with {n} advisory finding(s) from {', '.join(advice)}", [_prop("advisories", n)]

    def control_finding(self, control: ControlRecord, by_check: dict[str, list[Finding]]) -> dict:
        related = [f for check in control.checks for f in by_check.get(check, [])]
        failed = [f.check for f in related if f.status == "fail" and not advisory(f, self.r.fail_on)]
        standing = control_standing(control, self.standings)
        satisfied = _satisfied(standing)
        title = control.title.get("en") or control.title.get("zh") or control.id
        noted, advice_props = self.advice(related)
        if standing == "not_applicable":
            why = "none of its checks had anything to evaluate"
        elif standing == "skipped":
            why = f"not assessed: this run skipped {', '.join(sorted(self.skipped & set(control.checks)))}"
        elif satisfied:
            waived = any(f.status == "waived" for f in related)
            why = "every evaluated check passed" + (" (some findings waived)" if waived else "") + noted
        else:
            why = "unwaived findings from " + ", ".join(sorted(set(failed))) + noted
        description = (f"Control {control.id} is {'satisfied' if satisfied else 'not satisfied'}: {why}. "
                       f"Checks: {', '.join(control.checks) or 'none'}.")
        props = ([_prop("control-status", control.status)] + advice_props
                 + [_prop(f"title-{lang}", text) for lang, text in sorted(control.title.items()) if text.strip()]
                 + [_prop("check", c) for c in control.checks])
        return self._finding("control", control.id, standing, f"{control.id} {title}", description, related, props)

    def check_finding(self, check: CheckSummary, related: list[Finding]) -> dict:
        standing = self.standings[check.id]
        noted, advice_props = self.advice(related)
        description = (f"Check {check.id} evidences no control in this workspace; it "
                       f"{'passed' if standing == 'advisory' else check.status + 'ed'} "
                       f"with {check.failed} unwaived and {check.waived} waived finding(s){noted}.")
        if check.status == "skipped":
            description = f"Check {check.id} evidences no control in this workspace; this run skipped it (not assessed)."
        props = [_prop("check", check.id), _prop("check-status", check.status)] + advice_props
        return self._finding("check", check.id, standing, f"{check.id} {check.title} (no control)", description,
                             related, props)

    def _finding(self, kind: str, id_: str, status: Standing, title: str, description: str, related: list[Finding],
                 props: list[dict]) -> dict:
        """The finding on a control (or on a check that evidences none), `id_` its target, judged by its
        standing (`status`)."""
        satisfied = _satisfied(status)
        out = {
            "uuid": _uuid("finding", kind, id_),
            "title": _markup(title),
            "description": _markup(description),
            "props": props,
            "origins": self.origins(),
            "target": {
                "type": "objective-id",
                "target-id": _token(id_),
                "status": {"state": "satisfied" if satisfied else "not-satisfied",
                           "reason": REASON.get(status, "pass" if satisfied else "fail")},
            },
        }
        if related:
            out["related-observations"] = [{"observation-uuid": self.observation_uuid(f)} for f in related]
        risks = [{"risk-uuid": _uuid("risk", f.fingerprint, f.waiver or "")} for f in related if f.status == "waived"]
        if risks:
            out["related-risks"] = risks
        return out

    def resources(self) -> list[dict]:
        r = self.r
        plan = {
            "uuid": self.plan_uuid,
            "title": "govern assessment plan: checks at the recorded policy revision",
            "description": _markup(
                f"The built-in govern library and the workspace's own Rego checks and policy definitions, "
                f"together identified by policy revision {r.engine.policy_revision}; every check is evaluated "
                f"on Open Policy Agent {r.engine.opa_version}."),
            "props": [_prop("policy-revision", r.engine.policy_revision)]
                     + [_prop("library-module", f"{f.path} sha256:{f.sha256}") for f in r.library],
        }
        files = [{
            "uuid": self.file_uuid[f.path],
            "title": _markup(f.path),
            "description": "Workspace input file read by the run.",
            "props": [_prop("sha256", f.sha256)],
            "rlinks": [{"href": quote(f.path, errors="backslashreplace"),  # a lone surrogate as its escape
                        "hashes": [{"algorithm": "SHA-256", "value": f.sha256}]}],
        } for f in r.inputs]
        return [plan] + files


def render(result: RunResult, options: RenderOptions) -> str:
    return visible_json(_Document(result).build()) + "\n"  # GRC tools show the parsed text: escaped visibly
