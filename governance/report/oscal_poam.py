"""`--format oscal-poam`: a NIST OSCAL 1.0.4 plan of action and milestones (POA&M), JSON.

What is not yet satisfied, and who fixes it by when (docs/audit.md, "OSCAL plan of action and milestones"):
- each unwaived finding above `info` → a `poam-item`, linked to its `observation` (as in the assessment
  results) and to a `risk` whose remediations are the committee's action items that address the finding
  (an item of `actions` whose `addresses` names its check and resource): each a response (`planned` while
  open, `completed` when done) with its owner as a party and its due date as a milestone; the risk is
  `remediating` while an open action addresses it, else `open`. A finding no action addresses (or only
  dropped ones) is a marked gap: a `gap` prop (`no-action`) and remarks saying so;
- each waived finding → an accepted risk: status `deviation-approved`, its approver (a party) and decision in
  its risk log, its expiry as its deadline; it is no item of the plan;
- the check's remediation (its METADATA), where it declares one, → a `recommendation` response on the risk;
- each check the run skipped (`selection.skipped`) → a `skipped-check` prop in the metadata and an item marked
  not evaluated (`evaluated` prop `no`), with the actions that address the check, so that a skipped check's
  findings read as unknown, never as resolved.

govern's own words are English, as in the assessment results; what the result holds in both languages (a
finding's message, a check's remediation) is given in the report's language (`--lang`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.report._escape import visible_json
from governance.report._oscal import OSCAL_VERSION, OscalParts, day_end, markup, party_uuid, prop, uuid_for
from governance.report._oscal_parties import parties
from governance.report._people import person
from governance.result import ActionItem, Finding, RunResult, SkippedCheck

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "oscal-poam"
GAP = "no-action"  # the `gap` prop of an item no open or done action addresses
LIFECYCLE = {"open": "planned", "done": "completed"}  # an action's status -> its response's lifecycle (dropped: none)


def planned(finding: Finding) -> bool:
    """Whether the plan lists `finding` as an item: unwaived, above info."""
    return finding.status == "fail" and finding.severity != "info"


class _Plan(OscalParts):
    """Builds one POA&M document from one `RunResult`."""

    def __init__(self, result: RunResult, lang: str) -> None:
        super().__init__(result, lang)
        self.people = parties(result)
        self.addressing: dict[tuple[str, str, str], list[ActionItem]] = {}
        for action in result.actions or []:
            for a in action.addresses:
                self.addressing.setdefault((a.check, a.resource.kind, a.resource.id), []).append(action)

    def build(self) -> dict:
        r = self.r
        items = [f for f in r.findings if planned(f)]
        waived = [f for f in r.findings if f.status == "waived"]
        shown = items + waived
        out: dict = {
            "uuid": uuid_for("poam", self.identity),
            "metadata": self.metadata(),
            "local-definitions": self.local_definitions(shown),
        }
        if shown:  # OSCAL forbids empty arrays
            out["observations"] = [self.observation(f) for f in shown]
            out["risks"] = [self.open_risk(f) for f in items] + [self.waiver_risk(f) for f in waived]
        out["poam-items"] = ([self.item(f) for f in items] + [self.not_evaluated(s) for s in r.selection.skipped]
                             or [self.nothing_to_do()])
        out["back-matter"] = {"resources": self.file_resources()} if r.inputs else None
        return {"plan-of-action-and-milestones": {k: v for k, v in out.items() if v is not None}}

    def metadata(self) -> dict:
        r = self.r
        return {
            "title": markup(f"govern plan of action and milestones: {self.workspace} as of {r.as_of}"),
            "last-modified": self.finished,
            "version": f"{r.as_of}-{self.identity[:12]}",
            "oscal-version": OSCAL_VERSION,
            # the run it plans from, as a report of the run's set names it (evaluate/report_set.py)
            "props": [prop("run-started", self.started), *self.metadata_props(), prop("fail-on", r.fail_on),
                      prop("actions-recorded", "yes" if r.actions is not None else "no"),
                      *[prop("skipped-check", s.check, remarks=markup(f"not evaluated: skipped by {', '.join(s.sources)}"))
                        for s in r.selection.skipped]],
            **self.people.metadata(),
        }

    def local_definitions(self, shown: list[Finding]) -> dict:
        out: dict = {"components": [self.component()]}
        items = self.inventory_items(shown)
        if items:
            out["inventory-items"] = items
        return out

    def message(self, f: Finding) -> str:
        return f.message_zh if self.lang == "zh" and f.message_zh else f.message

    def actions(self, f: Finding) -> list[ActionItem]:
        return self.addressing.get((f.check, f.resource.kind, f.resource.id), [])

    # ---------------------------------------------------------------- an item and its risk

    def item(self, f: Finding) -> dict:
        actions = self.actions(f)
        working = [a for a in actions if a.status != "dropped"]
        props = [prop("check", f.check), prop("severity", f.severity), prop("fingerprint", f.fingerprint),
                 *[prop("control", c) for c in f.controls], *self.references(f.controls),
                 *[prop("action", a.id, remarks=markup(f"status {a.status}, due {a.due}")) for a in actions]]
        if not working:
            props.append(prop("gap", GAP))
        return {
            "uuid": uuid_for("poam-item", f.fingerprint),
            "title": markup(f"{f.check} on {f.resource.kind} {f.resource.id}"),
            "description": markup(self.message(f)),
            "props": props,
            "origins": self.origins(),
            "related-observations": [{"observation-uuid": self.observation_uuid(f)}],
            "related-risks": [{"risk-uuid": self.risk_uuid(f)}],
            "remarks": markup(self.plan_told(f, actions)),
        }

    def owner(self, a: ActionItem) -> str:
        """An action's owner as the report's language shows a person: 黄丽（p-dpo） / Huang Li (p-dpo)."""
        return person(a.owner, a.owner_name, self.lang)

    def plan_told(self, f: Finding, actions: list[ActionItem]) -> str:
        """The item's remarks: the actions that address it, or why it is a gap."""
        told = [f"action {a.id} ({a.status}, due {a.due}, owner {self.owner(a)})" for a in actions]
        if self.r.actions is None:
            return ("Gap: no action addresses this finding as far as this result can tell; it was saved before "
                    "results recorded the committee's action items.")
        if not any(a.status != "dropped" for a in actions):
            dropped = f" (only {', '.join(told)}, dropped)" if told else ""
            return f"Gap: no open or done action item addresses this finding{dropped}; the committee has planned nothing."
        done = [a for a in actions if a.status == "done"]
        still = "; the finding still fires although an action addressing it is done" if done else ""
        return f"Addressed by {', '.join(told)}{still}."

    def open_risk(self, f: Finding) -> dict:
        actions = self.actions(f)
        open_ = sorted((a for a in actions if a.status == "open"), key=lambda a: (a.due, a.id))
        out = {
            "uuid": self.risk_uuid(f),
            "title": markup(f"Open finding: {f.check} on {f.resource.kind} {f.resource.id}"),
            "description": markup(self.message(f)),
            "statement": markup(f"Unwaived {f.severity} finding of check {f.check} on {f.resource.kind} "
                                f"{f.resource.id}: its message says what is wrong."),
            "props": [prop("check", f.check), prop("severity", f.severity), *self.references(f.controls)],
            "status": "remediating" if open_ else "open",
            "origins": self.origins(),
        }
        if open_:
            out["deadline"] = day_end(open_[0].due)
        responses = [self.response(f, a) for a in actions if a.status in LIFECYCLE] + self.recommendation(f)
        if responses:
            out["remediations"] = responses
        out["related-observations"] = [{"observation-uuid": self.observation_uuid(f)}]
        return out

    def response(self, f: Finding, a: ActionItem) -> dict:
        """An action item as a response to the finding's risk: its owner (a party) and its due date (a
        milestone); done, the day it was done."""
        owner = party_uuid(a.owner)
        props = [prop("action", a.id), prop("action-status", a.status), prop("due", a.due),
                 *([prop("meeting", a.meeting)] if a.meeting else []), *[prop("goal", g) for g in a.goals],
                 *([prop("done-at", a.done_at)] if a.done_at else [])]
        return {
            "uuid": uuid_for("response", f.fingerprint, a.id),
            "lifecycle": LIFECYCLE[a.status],
            "title": markup(a.title),
            "description": markup(f"Action item {a.id}, {a.status}: owner {self.owner(a)}, due {a.due}"
                                  + (f", assigned at meeting {a.meeting}" if a.meeting else "")
                                  + (f", done {a.done_at}" if a.done_at else "") + "."),
            "props": props,
            "origins": [{"actors": [{"type": "party", "actor-uuid": owner, "role-id": "action-owner"}]}],
            "tasks": [{
                "uuid": uuid_for("milestone", f.fingerprint, a.id),
                "type": "milestone",
                "title": markup(f"{a.id} due"),
                "timing": {"on-date": {"date": day_end(a.due)}},
                "responsible-roles": [{"role-id": "action-owner", "party-uuids": [owner]}],
            }],
        }

    # ---------------------------------------------------------------- a check the run did not evaluate

    def not_evaluated(self, skipped: SkippedCheck) -> dict:
        """A skipped check's item: its findings are unknown, so the plan says so rather than leave them out, and
        names the actions that address the check (on any resource)."""
        actions = sorted({a.id: a for (check, _, _), found in self.addressing.items() if check == skipped.check
                          for a in found}.values(), key=lambda a: a.id)
        told = [f"action {a.id} ({a.status}, due {a.due}, owner {person(a.owner, a.owner_name)})" for a in actions]
        if self.r.actions is None:
            planned_ = "this result was saved before results recorded the committee's action items."
        else:
            planned_ = f"actions that address it: {', '.join(told)}." if told else "no action addresses it."
        return {
            "uuid": uuid_for("poam-item", "not-evaluated", skipped.check, self.identity),
            "title": markup(f"{skipped.check} not evaluated"),
            "description": markup(f"Check {skipped.check} was skipped by this run ({', '.join(skipped.sources)}): "
                                  "its findings are unknown, not resolved."),
            "props": [prop("check", skipped.check), prop("evaluated", "no"),
                      *[prop("skipped-by", source) for source in skipped.sources],
                      *[prop("action", a.id, remarks=markup(f"status {a.status}, due {a.due}")) for a in actions]],
            "origins": self.origins(),
            "remarks": markup(f"Not evaluated: {planned_}"),
        }

    def nothing_to_do(self) -> dict:
        """OSCAL requires at least one item: a plan with nothing to do says so in its one item."""
        return {
            "uuid": uuid_for("poam-item", "none", self.identity),
            "title": "Nothing to plan",
            "description": markup(f"No unwaived finding above info in the run of {self.workspace} as of {self.r.as_of}."),
            "props": [prop("items", 0)],
            "origins": self.origins(),
        }


def render(result: RunResult, options: RenderOptions) -> str:
    return visible_json(_Plan(result, options.lang).build()) + "\n"  # GRC tools show the parsed text: escaped visibly
