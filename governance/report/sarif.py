"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other CI dashboards.

One rule per check, one result per finding. GitHub matches a result to an
existing alert by `partialFingerprints.primaryLocationLineHash`, which it
computes from the text around the line when the log has none, so an entity
that moved would become a new alert: govern sets it to the finding
fingerprint (check and resource only), so a moved entity stays the same alert.

GitHub ignores `originalUriBaseIds` and reads every `uri` as relative to the
repository root, while a result's paths are relative to the workspace root:
`--path-prefix` (RenderOptions.path_prefix) names the workspace's folder in the
repository and goes in front of every uri. The same prefix makes the run's
`automationDetails.id`, the category GitHub keeps one analysis per: one per
workspace of a repository, stable while the workspace stays where it is
(docs/ci.md).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from governance.report._escape import markdown_cell, markdown_text, visible_json
from governance.report._paths import in_repository
from governance.report._remediation import Remedy, as_markdown
from governance.result import CheckSummary, Finding, FindingLocation, RunResult
from governance.vocabulary import messages

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "sarif"
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
MANIFEST = "governance.yaml"
FINGERPRINT_KEY = "governFingerprint/v1"
LINE_HASH_KEY = "primaryLocationLineHash"  # the key GitHub matches alerts on across runs
CATEGORY = "govern"

# error for what must block a merge, warning for what should be fixed soon, note for the rest.
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub buckets: ≥9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. Info checks get no
# security severity at all, so GitHub files them as plain notes rather than as security alerts.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
BASELINE_STATE = {"new": "new", "existing": "unchanged"}
REMEDIATION_LANGS = ("en", "zh")  # the order help shows a check's remediation in
COLON = {"en": ": ", "zh": "："}  # after the label, as each language writes it


def render(result: RunResult, options: RenderOptions) -> str:
    prefix = options.path_prefix
    rules = _rules(result)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    artifacts = [{"location": _artifact(prefix, f.path), "hashes": {"sha-256": f.sha256}} for f in result.inputs]
    artifact_index = {f.path: i for i, f in enumerate(result.inputs)}
    fallback = _fallback_location(result)
    run = {
        "tool": {"driver": {
            "name": result.tool.name,
            "version": result.tool.version,
            "semanticVersion": result.tool.version,
            "rules": rules,
        }},
        "automationDetails": {"id": automation_id(prefix)},
        "invocations": [_invocation(result)],
        # the base's absolute place differs per checkout, so only describe it
        "originalUriBaseIds": {SRCROOT: {"description": {"text": _base_description(prefix)}}},
        "artifacts": artifacts,
        "results": [_result(f, index[f.check], result, artifact_index, fallback, prefix) for f in result.findings],
        "columnKind": "unicodeCodePoints",
        "properties": _run_properties(result),
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    # code-scanning UIs show the parsed text, so a JSON escape would reach the reader raw: escaped visibly
    return visible_json(log) + "\n"


def automation_id(prefix: str) -> str:
    """`govern/` for a workspace at the repository root, `govern/<prefix>/` for one in a folder.

    GitHub takes everything up to the last `/` as the analysis category and keeps one analysis per
    tool and category, so each workspace of a repository needs its own. Its folder is unique in the
    repository and changes only when the workspace moves (its display name may change any day),
    and the root's `govern/` is the category `upload-sarif` gave govern's logs before they carried
    one (`category: govern`), so those alerts carry on."""
    return f"{CATEGORY}/{prefix}/" if prefix else f"{CATEGORY}/"


def _base_description(prefix: str) -> str:
    if prefix:
        return f"The root of the repository; the governance workspace (the folder holding governance.yaml) is {prefix}/."
    return "The root of the governance workspace (the folder holding governance.yaml)."


def _artifact(prefix: str, path: str) -> dict[str, object]:
    # a uri, not a path: a file name's space, `#` or `%` would otherwise end or garble it; a lone surrogate
    # (a saved result is user input), which UTF-8 cannot encode, goes in as its escape
    return {"uri": quote(in_repository(prefix, path), safe="/", errors="backslashreplace"), "uriBaseId": SRCROOT}


def _rules(result: RunResult) -> list[dict]:
    checks = {c.id: c for c in result.checks}
    # a hand-edited or older result may hold a finding of a check it does not summarise
    for f in result.findings:
        checks.setdefault(f.check, CheckSummary(id=f.check, title=f.check, severity=f.severity, waivable=True,
                                                 domain="custom", evaluated=0, failed=0, waived=0, status="fail"))
    titles = {c.id: c.title.get("en") or next(iter(c.title.values()), "") for c in result.controls}
    return [_rule(checks[cid], titles) for cid in sorted(checks)]


def _rule(check: CheckSummary, control_titles: dict[str, str]) -> dict:
    description = check.description or check.title
    properties = {"tags": _tags(check), "precision": "very-high", "govern-severity": check.severity}
    if check.severity in SECURITY_SEVERITY:
        properties["security-severity"] = SECURITY_SEVERITY[check.severity]
    return {
        "id": check.id,
        "name": _camel(check.title) or check.id.replace("-", ""),
        "shortDescription": {"text": check.title},
        "fullDescription": {"text": description},
        "help": {"text": _help_text(check, control_titles), "markdown": _help_markdown(check, control_titles)},
        "defaultConfiguration": {"level": LEVEL[check.severity]},
        "properties": properties,
    }


def _tags(check: CheckSummary) -> list[str]:
    tags = ["governance", check.domain]
    if check.severity in SECURITY_SEVERITY:
        tags.append("security")  # GitHub shows security-severity only on rules tagged security
    return tags + list(check.controls)


def _camel(title: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title))


def _facts(check: CheckSummary, control_titles: dict[str, str]) -> list[tuple[str, str]]:
    controls = ", ".join(f"{c} ({control_titles[c]})" if control_titles.get(c) else c for c in check.controls)
    return [
        ("Severity", check.severity),
        ("Waivable", "yes" if check.waivable else "no"),
        ("Resource", check.resource or "-"),
        ("Domain", check.domain),
        ("Controls", controls or "-"),
    ]


def _remediation(check: CheckSummary) -> list[tuple[str, str, str]]:
    """How to fix what the check finds, English first (a code-scanning UI's language), then the Chinese the
    committee reads: (label, colon, text) per language the check's METADATA says it in."""
    return [(messages(lang).text("remediation"), COLON[lang], check.remediation[lang]) for lang in REMEDIATION_LANGS
            if check.remediation.get(lang)]


def _help_text(check: CheckSummary, control_titles: dict[str, str]) -> str:
    lines = [f"{check.id}: {check.title}", "", check.description or check.title, ""]
    fixes = [f"{label}{colon}{text}" for label, colon, text in _remediation(check)]
    lines += [*fixes, ""] if fixes else []
    lines += [f"{k}: {v}" for k, v in _facts(check, control_titles)]
    if check.waivable:
        lines += ["", "An approved, unexpired waiver for this check and resource turns a finding into `waived`."]
    return "\n".join(lines)


def _help_markdown(check: CheckSummary, control_titles: dict[str, str]) -> str:
    """GitHub and other code-scanning UIs render this as Markdown, and a workspace's own check supplies
    the id, title, description, resource, domain and control titles: each is escaped as the Markdown
    report escapes it, so none can add a link, an image, raw HTML or a table column. A remediation's
    backticks are code spans, as the Markdown report and the HTML page show them (its text escaped around them)."""
    lines = [f"**{markdown_text(check.id)}** — {markdown_text(check.title)}", "",
             markdown_text(check.description or check.title), ""]
    lines += [line for label, colon, text in _remediation(check)
              for line in (f"**{markdown_text(label)}**{colon}{as_markdown(Remedy(check.id, '', text))}", "")]
    lines += ["| | |", "|---|---|"]
    lines += [f"| {k} | {markdown_cell(v)} |" for k, v in _facts(check, control_titles)]
    if check.waivable:
        lines += ["", "An approved, unexpired waiver (`waivers/`) for this check and resource turns a finding into `waived`."]
    return "\n".join(lines)


def _fallback_location(result: RunResult) -> FindingLocation | None:
    """Where a finding without a location points: the workspace manifest, as GitHub needs a file."""
    paths = [f.path for f in result.inputs]
    if MANIFEST in paths:
        return FindingLocation(file=MANIFEST, line=1, column=1)
    return FindingLocation(file=paths[0], line=1, column=1) if paths else None


def _result(f: Finding, rule_index: int, result: RunResult, artifact_index: dict[str, int],
            fallback: FindingLocation | None, prefix: str) -> dict:
    out: dict[str, object] = {
        "ruleId": f.check,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": f.message},
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint, LINE_HASH_KEY: f.fingerprint},
        "properties": {"resource": {"kind": f.resource.kind, "id": f.resource.id}, "severity": f.severity,
                       "controls": list(f.controls), "status": f.status},
    }
    location = f.location or fallback
    if location is not None:
        artifact = _artifact(prefix, location.file)
        if location.file in artifact_index:
            artifact["index"] = artifact_index[location.file]
        out["locations"] = [{
            "physicalLocation": {"artifactLocation": artifact,
                                 "region": {"startLine": max(location.line, 1), "startColumn": max(location.column, 1)}},
            "logicalLocations": [{"name": f.resource.id, "fullyQualifiedName": f"{f.resource.kind}/{f.resource.id}",
                                  "kind": f.resource.kind}],
        }]
    if f.baseline:
        out["baselineState"] = BASELINE_STATE[f.baseline]
    if f.status == "waived":
        out["suppressions"] = [_suppression(f, result, prefix)]
    return out


def _suppression(f: Finding, result: RunResult, prefix: str) -> dict:
    waiver = next((w for w in result.waivers if w.id == f.waiver), None)
    suppression: dict[str, object] = {"kind": "external", "status": "accepted",
                   "justification": waiver.justification if waiver else f"waived by {f.waiver}"}
    if waiver is not None:
        granted = {"decision": waiver.decision} if waiver.decision else {}
        suppression["properties"] = {"waiver": waiver.id, "approvedBy": waiver.approved_by,
                                     "approvedAt": waiver.approved_at, "expires": waiver.expires, **granted}
        if waiver.location:
            suppression["location"] = {"physicalLocation": {
                "artifactLocation": _artifact(prefix, waiver.location.file),
                "region": {"startLine": waiver.location.line, "startColumn": waiver.location.column}}}
    return suppression


def _invocation(result: RunResult) -> dict:
    invocation: dict[str, object] = {"executionSuccessful": True}  # a run that did not complete never produces a report
    if result.run is not None:
        invocation["startTimeUtc"] = result.run.started_at
        invocation["endTimeUtc"] = result.run.finished_at
    if result.selection.skipped:  # the run's selection turned these rules off: SARIF's way to say so
        invocation["ruleConfigurationOverrides"] = [{"descriptor": {"id": s.check}, "configuration": {"enabled": False}}
                                                    for s in result.selection.skipped]
        invocation["toolConfigurationNotifications"] = [{
            "level": "note", "associatedRule": {"id": s.check},
            "message": {"text": f"{s} skipped: evaluated, but its findings are not reported and do not fail the run"},
        } for s in result.selection.skipped]
    return invocation


def _run_properties(result: RunResult) -> dict:
    properties: dict[str, object] = {"workspace": result.workspace, "asOf": result.as_of, "failOn": result.fail_on,
                  "opaVersion": result.engine.opa_version, "policyRevision": result.engine.policy_revision}
    if result.resolved is not None:
        properties["resolvedSinceBaseline"] = [
            {"ruleId": f.check, "resource": f"{f.resource.kind}/{f.resource.id}", "fingerprint": f.fingerprint}
            for f in result.resolved]
    return properties
