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
  the waiver, its approver (a party, in its risk log) and its expiry (its deadline);
- every control's framework references → props in `REFERENCE_NS` on its
  finding and on the observations and risks of its checks' findings;
- the people who act (waivers' approvers and requesters, action owners, goal
  owners) → `metadata.parties`, pointed at by UUID.

The parts both OSCAL formats hold, and their UUIDs, are made in `_oscal.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.report._escape import visible_json
from governance.report._oscal import OSCAL_VERSION, OscalParts, markup, prop, reference_props, token, uuid_for
from governance.report._oscal_parties import parties
from governance.result import (
    CheckSummary,
    ControlRecord,
    Finding,
    RunResult,
    Standing,
    advisory,
    check_standings,
    control_standing,
)

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "oscal"


# the target's status reason where it is not plain pass or fail
REASON = {"not_applicable": "not-applicable", "skipped": "other"}


def _satisfied(standing: str) -> bool:
    """A skipped check's evidence was not looked at, so what it evidences cannot be called satisfied;
    advisories alone do not make it unsatisfied (`governance.result.standing`)."""
    return standing not in ("fail", "skipped")


class _Document(OscalParts):
    """Builds one assessment-results document from one `RunResult`."""

    def __init__(self, result: RunResult, lang: str) -> None:
        super().__init__(result, lang)
        self.plan_uuid = uuid_for("assessment-plan", result.engine.policy_revision)
        self.skipped = {s.check for s in result.selection.skipped}
        self.standings = check_standings(result.checks, result.fail_on)
        self.people = parties(result)

    # ---------------------------------------------------------------- top level

    def build(self) -> dict:
        return {"assessment-results": {
            "uuid": uuid_for("assessment-results", self.identity),
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
            "title": markup(f"govern assessment results: {self.workspace} as of {r.as_of}"),
            "last-modified": self.finished,
            "version": f"{r.as_of}-{self.identity[:12]}",
            "oscal-version": OSCAL_VERSION,
            "props": self.metadata_props(),
            **self.people.metadata(),
        }

    def result(self) -> dict:
        r = self.r
        observations = [self.observation(f) for f in r.findings]
        risks = [self.waiver_risk(f) for f in r.findings if f.status == "waived"]
        findings = self.findings()
        out = {
            "uuid": uuid_for("result", self.identity),
            "title": markup(f"govern check of {self.workspace}"),
            "description": markup(
                f"Every check evaluated on Open Policy Agent {r.engine.opa_version} as of {r.as_of}, "
                f"policy revision {r.engine.policy_revision}: {r.summary.fail} unwaived and "
                f"{r.summary.waived} waived finding(s) over {len(r.checks)} check(s)."),
            "start": self.started,
            "end": self.finished,
            "props": [
                prop("as-of", r.as_of),
                prop("fail-on", r.fail_on),
                prop("findings-failed", r.summary.fail),
                prop("findings-waived", r.summary.waived),
                *[prop(f"checks-{state.replace('_', '-')}", n) for state, n in sorted(r.summary.checks.items())],
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
        out: dict = {"components": [self.component()]}
        items = self.inventory_items(self.r.findings)
        if items:
            out["inventory-items"] = items
        return out

    def reviewed_controls(self) -> dict:
        controls = self.r.controls
        if not controls:
            return {"control-selections": [{"remarks": "The workspace defines no controls."}]}
        return {"control-selections": [{
            "include-controls": [{"control-id": token(c.id)} for c in controls],
        }]}

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
        return f"; with {n} advisory finding(s) from {', '.join(advice)}", [prop("advisories", n)]

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
        props = ([prop("control-status", control.status)] + advice_props
                 + [prop(f"title-{lang}", text) for lang, text in sorted(control.title.items()) if text.strip()]
                 + [prop("check", c) for c in control.checks] + reference_props(control.references, self.lang))
        return self._finding("control", control.id, standing, f"{control.id} {title}", description, related, props)

    def check_finding(self, check: CheckSummary, related: list[Finding]) -> dict:
        standing = self.standings[check.id]
        noted, advice_props = self.advice(related)
        description = (f"Check {check.id} evidences no control in this workspace; it "
                       f"{'passed' if standing == 'advisory' else check.status + 'ed'} "
                       f"with {check.failed} unwaived and {check.waived} waived finding(s){noted}.")
        if check.status == "skipped":
            description = f"Check {check.id} evidences no control in this workspace; this run skipped it (not assessed)."
        props = [prop("check", check.id), prop("check-status", check.status)] + advice_props
        return self._finding("check", check.id, standing, f"{check.id} {check.title} (no control)", description,
                             related, props)

    def _finding(self, kind: str, id_: str, status: Standing, title: str, description: str, related: list[Finding],
                 props: list[dict]) -> dict:
        """The finding on a control (or on a check that evidences none), `id_` its target, judged by its
        standing (`status`)."""
        satisfied = _satisfied(status)
        out = {
            "uuid": uuid_for("finding", kind, id_),
            "title": markup(title),
            "description": markup(description),
            "props": props,
            "origins": self.origins(),
            "target": {
                "type": "objective-id",
                "target-id": token(id_),
                "status": {"state": "satisfied" if satisfied else "not-satisfied",
                           "reason": REASON.get(status, "pass" if satisfied else "fail")},
            },
        }
        if related:
            out["related-observations"] = [{"observation-uuid": self.observation_uuid(f)} for f in related]
        risks = [{"risk-uuid": self.risk_uuid(f)} for f in related if f.status == "waived"]
        if risks:
            out["related-risks"] = risks
        return out

    def resources(self) -> list[dict]:
        r = self.r
        plan = {
            "uuid": self.plan_uuid,
            "title": "govern assessment plan: checks at the recorded policy revision",
            "description": markup(
                f"The built-in govern library and the workspace's own Rego checks and policy definitions, "
                f"together identified by policy revision {r.engine.policy_revision}; every check is evaluated "
                f"on Open Policy Agent {r.engine.opa_version}."),
            "props": [prop("policy-revision", r.engine.policy_revision)]
                     + [prop("library-module", f"{f.path} sha256:{f.sha256}") for f in r.library],
        }
        return [plan] + self.file_resources()


def render(result: RunResult, options: RenderOptions) -> str:
    return visible_json(_Document(result, options.lang).build()) + "\n"  # GRC tools show the parsed text: escaped visibly
