"""What the two OSCAL formats share: `oscal` (assessment results) and `oscal-poam` (plan of action and
milestones) describe the same run, so a finding is the same observation, a waived one the same risk, a file
the same back-matter resource, with the same UUIDs, in both (docs/audit.md, "OSCAL").

UUIDs are uuid5 over a fixed namespace and stable keys (finding fingerprints, control ids, file paths, person
ids and the digest of the run's inputs), so the same inputs give the same document apart from the run's
timestamps.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from urllib.parse import quote

from governance import frameworks
from governance.report._escape import markdown_text
from governance.report._people import person
from governance.result import CheckSummary, ControlRecord, Finding, RunResult, WaiverRecord

OSCAL_VERSION = "1.0.4"
PROP_NS = "urn:govern:oscal"  # govern's own prop names live outside the OSCAL namespace
# a control's framework references: the prop's name is the framework's key, its value one clause
REFERENCE_NS = "urn:govern:oscal:reference"
_UUIDS = uuid.UUID("6a1d0f3e-9b4c-5e27-8f61-2c7d4b9a0e15")  # fixed forever: changing it changes every UUID


def uuid_for(*keys: str) -> str:
    return str(uuid.uuid5(_UUIDS, _encodable("\x1f".join(keys))))


def party_uuid(person: str) -> str:
    """A person's party (`_oscal_parties`), the same in every document: its UUID depends on its id alone."""
    return uuid_for("party", person)


def _encodable(value: str) -> str:
    """`value` with any lone surrogate (a saved result is user input), which UTF-8 cannot encode, as its
    escape; any other text unchanged, so its UUIDs and digests are too."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def text(value: object) -> str:
    """OSCAL strings may not be empty nor start or end with whitespace, nor span lines."""
    return " ".join(str(value).split()) or "-"


def markup(value: object) -> str:
    """A title, description, statement or remarks: OSCAL markup, which GRC tools render as
    Markdown, so workspace text in it is escaped (no HTML, link, image or emphasis)."""
    return markdown_text(value) or "-"


def token(value: str) -> str:
    """An OSCAL token: a letter or _ first, then letters, digits, '.', '-', '_'."""
    chars = [c if c.isalnum() or c in ".-_" else "-" for c in value] or ["_"]
    return ("" if chars[0].isalpha() or chars[0] == "_" else "_") + "".join(chars)


def prop(name: str, value: object, **extra: str) -> dict:
    return {"name": name, "ns": PROP_NS, "value": text(value), **extra}


def day_start(day: str) -> str:
    return f"{day}T00:00:00Z"


def day_end(day: str) -> str:
    """The last second of `day`: a waiver is valid, an action due, through that day."""
    return f"{day}T23:59:59Z"


def identity(result: RunResult) -> str:
    """What makes two runs the same run: tool, policies, date, and every input."""
    basis = [result.tool.version, result.engine.policy_revision, result.as_of, result.fail_on,
             [(f.path, f.sha256) for f in result.inputs], [(f.path, f.sha256) for f in result.library]]
    return hashlib.sha256(_encodable(json.dumps(basis, ensure_ascii=False)).encode()).hexdigest()


def times(result: RunResult) -> tuple[str, str]:
    if result.run:
        return result.run.started_at, result.run.finished_at
    midnight = day_start(result.as_of)
    return midnight, midnight


def _cited_order(citation: frameworks.Citation) -> tuple[object, ...]:
    """Frameworks in the order the views list them (a key govern does not know last, by name: reading a result
    refuses one, so only a caller's own would), clauses in their natural order."""
    known = list(frameworks.FRAMEWORKS)
    place = known.index(citation.framework) if citation.framework in known else len(known)
    return place, citation.framework, frameworks.clause_order(citation.framework, citation.clause)


def reference_props(references: dict, lang: str) -> list[dict]:
    """One prop per clause a control cites (`references`: framework key -> clause or list of clauses), in
    REFERENCE_NS, named by the framework's key; the citation as a reader knows it, in `lang`, in its remarks
    (governance/frameworks.py)."""
    return [{"name": token(c.framework), "ns": REFERENCE_NS, "value": text(c.clause), "class": "framework-reference",
             "remarks": markup(reference_remark(c, lang))}
            for c in sorted(frameworks.citations(references), key=_cited_order)]


def reference_remark(citation: frameworks.Citation, lang: str) -> str:
    """The citation, then the framework's full name where the citation does not already say it: PIPL Art. 51 —
    Personal Information Protection Law (PIPL), but 《个人信息保护法》第51条 alone (the law named once)."""
    said = frameworks.display(citation.framework, citation.clause, lang)
    name = frameworks.title(citation.framework, lang)
    return said if name in said else f"{said} — {name}"


def remediation(check: CheckSummary | None, lang: str) -> str | None:
    """How to fix what `check` finds, in `lang` (else the other language), from its METADATA; None where the
    check declares none (or the result is from before checks declared it)."""
    if check is None or not check.remediation:
        return None
    texts = check.remediation
    return next((texts[k] for k in (lang, "en", "zh", *sorted(texts)) if texts.get(k, "").strip()), None)


class OscalParts:
    """The parts of an OSCAL document made from one `RunResult`, shared by both formats."""

    def __init__(self, result: RunResult, lang: str) -> None:
        self.r = result
        self.lang = lang
        self.identity = identity(result)
        self.started, self.finished = times(result)
        self.workspace = result.workspace or "workspace"
        self.tool_uuid = uuid_for("component", "govern")
        self.file_uuid = {f.path: uuid_for("input", f.path, f.sha256) for f in result.inputs}
        self.file_hash = {f.path: f.sha256 for f in result.inputs}
        self.waivers = {w.id: w for w in result.waivers}
        self.checks = {c.id: c for c in result.checks}
        self.controls: dict[str, ControlRecord] = {c.id: c for c in result.controls}

    def metadata_props(self) -> list[dict]:
        r = self.r
        return [
            prop("tool", f"{r.tool.name} {r.tool.version}"),
            prop("opa-version", r.engine.opa_version),
            prop("policy-revision", r.engine.policy_revision),
            prop("as-of", r.as_of),
            prop("workspace", self.workspace),
        ]

    def component(self) -> dict:
        return {
            "uuid": self.tool_uuid,
            "type": "software",
            "title": "govern",
            "description": markup(f"govern {self.r.tool.version}: governance as code, checks evaluated by "
                                  f"Open Policy Agent {self.r.engine.opa_version}."),
            "props": [prop("version", self.r.tool.version)],
            "status": {"state": "operational"},
        }

    def inventory_items(self, findings: list[Finding]) -> list[dict]:
        resources = sorted({(f.resource.kind, f.resource.id) for f in findings})
        return [{
            "uuid": self.subject_uuid(kind, id_),
            "description": markup(f"{kind} {id_}"),
            "props": [prop("resource-kind", kind), prop("resource-id", id_)],
        } for kind, id_ in resources]

    def subject_uuid(self, kind: str, id_: str) -> str:
        return uuid_for("resource", kind, id_)

    def origins(self) -> list[dict]:
        return [{"actors": [{"type": "tool", "actor-uuid": self.tool_uuid}]}]

    def references(self, controls: list[str]) -> list[dict]:
        """The framework references of `controls` (a finding's), each clause once."""
        out: dict[tuple[str, str], dict] = {}  # by (name, value): a list searched per clause is quadratic
        for control in controls:
            record = self.controls.get(control)
            for p in reference_props(record.references, self.lang) if record else []:
                out.setdefault((p["name"], p["value"]), p)
        return list(out.values())

    def observation(self, f: Finding) -> dict:
        props = [
            prop("check", f.check),
            prop("severity", f.severity),
            prop("status", f.status),
            prop("fingerprint", f.fingerprint),
            *[prop("control", c) for c in f.controls],
            *self.references(f.controls),
        ]
        if f.waiver:
            props.append(prop("waiver", f.waiver))
        out = {
            "uuid": self.observation_uuid(f),
            "title": markup(f"{f.check} {f.resource.kind} {f.resource.id}"),
            "description": markup(f.message),
            "props": props,
            "methods": ["TEST"],
            "types": ["finding"],
            "origins": self.origins(),
            "subjects": [{
                "subject-uuid": self.subject_uuid(f.resource.kind, f.resource.id),
                "type": "inventory-item",
                "title": markup(f"{f.resource.kind} {f.resource.id}"),
            }],
            "collected": self.finished,
        }
        evidence = self.evidence(f)
        if evidence:
            out["relevant-evidence"] = [evidence]
        return out

    def observation_uuid(self, f: Finding) -> str:
        return uuid_for("observation", f.fingerprint)

    def evidence(self, f: Finding) -> dict | None:
        loc = f.location
        if loc is None:
            return None
        digest = self.file_hash.get(loc.file)
        where = f"{loc.file}:{loc.line}:{loc.column}"
        return {
            "href": f"#{self.file_uuid[loc.file]}" if digest else quote(loc.file, errors="backslashreplace"),
            "description": markup(f"{where}" + (f", sha256 {digest}" if digest else "")),
            "props": [prop("location", where)] + ([prop("sha256", digest)] if digest else []),
        }

    def file_resources(self) -> list[dict]:
        return [{
            "uuid": self.file_uuid[f.path],
            "title": markup(f.path),
            "description": "Workspace input file read by the run.",
            "props": [prop("sha256", f.sha256)],
            "rlinks": [{"href": quote(f.path, errors="backslashreplace"),  # a lone surrogate as its escape
                        "hashes": [{"algorithm": "SHA-256", "value": f.sha256}]}],
        } for f in self.r.inputs]

    def risk_uuid(self, f: Finding) -> str:
        return uuid_for("risk", f.fingerprint, f.waiver or "")

    def recommendation(self, f: Finding) -> list[dict]:
        """The check's remediation as a risk's recommended response (none where the check declares none)."""
        how = remediation(self.checks.get(f.check), self.lang)
        if how is None:
            return []
        return [{
            "uuid": uuid_for("remediation", f.fingerprint),
            "lifecycle": "recommendation",
            "title": markup(f"How to fix what {f.check} finds"),
            "description": markup(how),
            "props": [prop("check", f.check)],
            "origins": self.origins(),
        }]

    def waiver_risk(self, f: Finding) -> dict:
        """A waived finding: a risk whose deviation was approved, by whom (a party), on which decision, until
        when (its deadline), at whose request (its origin)."""
        w: WaiverRecord | None = self.waivers.get(f.waiver or "")
        if w is None:
            approval = f"Waived by {f.waiver}; the waiver record is not in the result."
            statement, props, more = markup(approval), [], {}
        else:
            granted = f", granted by decision {w.decision}" if w.decision else ""
            # a person as the report's language shows one: 黄丽（p-dpo） in Chinese, Huang Li (p-dpo) in English
            approver, requester = (person(w.approved_by, w.approved_by_name, self.lang),
                                   person(w.requested_by, w.requested_by_name, self.lang))
            approval = (f"Waiver {w.id} approved by {approver} on {w.approved_at}{granted} (requested by {requester}); "
                        f"it expires {w.expires} (valid through that day).")
            statement = markup(w.justification)
            props = [prop("approved-by", w.approved_by), prop("approved-at", w.approved_at),
                     prop("requested-by", w.requested_by), prop("expires", w.expires)]
            props += [prop("decision", w.decision)] if w.decision else []
            more = self.deviation(f, w, approval)
        # OSCAL 1.0.4 gives a risk no remarks of its own: the approval is told on the waiver prop
        props = [prop("check", f.check), prop("severity", f.severity),
                 prop("waiver", f.waiver or "unknown", remarks=markup(approval)), *self.references(f.controls)] + props
        out = {
            "uuid": self.risk_uuid(f),
            "title": markup(f"Approved deviation: {f.check} on {f.resource.kind} {f.resource.id}"),
            "description": markup(f"{f.message}. {approval}"),
            "statement": statement,
            "props": props,
            "status": "deviation-approved",
            "origins": more.pop("origins", self.origins()),
            **more,
            "related-observations": [{"observation-uuid": self.observation_uuid(f)}],
        }
        recommended = self.recommendation(f)
        if recommended:
            out["remediations"] = recommended
        return out

    def deviation(self, f: Finding, w: WaiverRecord, approval: str) -> dict:
        """Who asked (an origin beside the tool's), until when (the deadline), and the approval, logged by its
        approver, as a risk's parts."""
        return {
            "origins": self.origins() + [{"actors": [{"type": "party", "actor-uuid": party_uuid(w.requested_by),
                                                      "role-id": "waiver-requester"}]}],
            "deadline": day_end(w.expires),
            "risk-log": {"entries": [{
                "uuid": uuid_for("risk-log", f.fingerprint, w.id),
                "title": markup(f"Deviation approved: waiver {w.id}"),
                "description": markup(approval),
                "start": day_start(w.approved_at),
                "end": day_end(w.expires),
                "props": [prop("waiver", w.id)] + ([prop("decision", w.decision)] if w.decision else []),
                "logged-by": [{"party-uuid": party_uuid(w.approved_by), "role-id": "waiver-approver"}],
                "status-change": "deviation-approved",
            }]},
        }
