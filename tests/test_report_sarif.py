"""SARIF 2.1.0: valid against the OASIS schema and shaped for GitHub code scanning.

Rendered from golden results (tests/golden), but for one run of the real CLI on a hostile workspace check."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from governance.report import RenderOptions, render
from governance.report._escape import visible
from governance.result import FindingLocation, RunResult
from tests import golden
from tests.conftest import SCHEMAS
from tests.reports_support import HOSTILE, hostile_check_result, run_json, string_fields

# the OASIS schema (errata 01), vendored in tests/schemas
SCHEMA = SCHEMAS / "sarif-schema-2.1.0.json"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SCORE = {"critical": 9.5, "high": 8.0, "medium": 5.5, "low": 3.0}


def validate(log: dict) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)


@pytest.fixture
def run(tmp_path):
    """The golden acme run with one finding waived (tests/golden, acme-waivers): (JSON result, SARIF log, workspace).
    The workspace is the variant's files (no OPA), for the paths the log names."""
    result = golden.data("acme-waivers")
    workspace, _ = golden.workspace("acme-waivers", tmp_path)
    assert any(f["waiver"] == golden.WAIVER_ID and f["status"] == "waived" for f in result["findings"])
    return result, json.loads(render("sarif", golden.result("acme-waivers"))), workspace


def test_validates_against_the_sarif_schema(run):
    _, log, _ = run
    validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1


def test_driver_names_the_tool_and_has_one_rule_per_check(run):
    result, log, _ = run
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "govern" and driver["version"] == result["tool"]["version"]
    assert "informationUri" not in driver  # optional; no invented project URL
    assert [r["id"] for r in driver["rules"]] == sorted(c["id"] for c in result["checks"])
    checks = {c["id"]: c for c in result["checks"]}
    for rule in driver["rules"]:
        check = checks[rule["id"]]
        assert rule["name"] and " " not in rule["name"]
        assert rule["shortDescription"]["text"] == check["title"]
        assert rule["fullDescription"]["text"]
        assert check["id"] in rule["help"]["text"] and check["id"] in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] == LEVEL[check["severity"]]
        assert check["domain"] in rule["properties"]["tags"]
        if check["severity"] == "info":
            assert "security-severity" not in rule["properties"]
        else:
            assert float(rule["properties"]["security-severity"]) == SCORE[check["severity"]]
            assert "security" in rule["properties"]["tags"]


def test_security_severity_falls_in_githubs_bucket_for_the_severity(run):
    _, log, _ = run
    buckets = {"critical": (9.0, 10.0), "high": (7.0, 8.9), "medium": (4.0, 6.9), "low": (0.1, 3.9)}
    for rule in log["runs"][0]["tool"]["driver"]["rules"]:
        severity = rule["properties"]["govern-severity"]
        if severity in buckets:
            low, high = buckets[severity]
            assert low <= float(rule["properties"]["security-severity"]) <= high


def test_every_finding_is_one_result_with_fingerprint_and_relative_location(run):
    result, log, workspace = run
    sarif_run = log["runs"][0]
    rules, results = sarif_run["tool"]["driver"]["rules"], sarif_run["results"]
    assert len(results) == len(result["findings"]) > 0
    for finding, res in zip(result["findings"], results, strict=True):
        assert res["ruleId"] == finding["check"] == rules[res["ruleIndex"]]["id"]
        assert res["level"] == LEVEL[finding["severity"]]
        assert res["message"]["text"] == finding["message"]
        assert res["partialFingerprints"] == {"governFingerprint/v1": finding["fingerprint"],
                                              "primaryLocationLineHash": finding["fingerprint"]}
        physical = res["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not uri.startswith(("/", "file:")) and (workspace / uri).is_file()
        if finding["location"]:
            assert uri == finding["location"]["file"]
            assert physical["region"] == {"startLine": finding["location"]["line"],
                                          "startColumn": finding["location"]["column"]}
    assert "%SRCROOT%" in sarif_run["originalUriBaseIds"]


def moved(result: RunResult) -> RunResult:
    """The same findings with every entity moved: another file, further down, another column."""
    return result.model_copy(update={"findings": [
        f.model_copy(update={"location": FindingLocation(file=f"moved/{f.location.file}", line=f.location.line + 40,
                                                         column=f.location.column + 2)})
        for f in result.findings]})


def test_a_moved_entity_keeps_the_fingerprint_github_matches_alerts_on():
    """GitHub keys an alert on ruleId + partialFingerprints.primaryLocationLineHash; without one it hashes the
    text around the line, so an entity that moved would close its alert and open a new one."""
    before = golden.result("acme")
    assert all(f.location is not None for f in before.findings)
    old, new = (json.loads(render("sarif", r))["runs"][0]["results"] for r in (before, moved(before)))
    assert len(old) == len(new) == len(before.findings) > 0
    for a, b in zip(old, new, strict=True):
        where = [r["locations"][0]["physicalLocation"] for r in (a, b)]
        assert where[0] != where[1]  # it did move
        assert a["ruleId"] == b["ruleId"] and a["partialFingerprints"] == b["partialFingerprints"]
        assert a["partialFingerprints"]["primaryLocationLineHash"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in old]
    assert len(set(hashes)) == len(hashes)  # two findings never share an alert


def test_automation_id_is_one_category_per_workspace_of_a_repository():
    result = golden.result("acme")
    ids = {prefix: json.loads(render("sarif", result, RenderOptions(path_prefix=prefix)))["runs"][0]["automationDetails"]
           for prefix in ("", "governance/acme", "./governance/acme/", "governance/retail")}
    # the root keeps the category `upload-sarif` gave govern's logs before (category: govern)
    assert ids[""] == {"id": "govern/"}
    assert ids["governance/acme"] == ids["./governance/acme/"] == {"id": "govern/governance/acme/"}
    assert ids["governance/retail"] == {"id": "govern/governance/retail/"}
    # GitHub's category is everything up to the last /: nothing of a run's own (time, version) is in it
    again = json.loads(render("sarif", golden.result("acme-changes"), RenderOptions(path_prefix="governance/acme")))
    assert again["runs"][0]["automationDetails"] == ids["governance/acme"]


def test_path_prefix_puts_every_uri_under_the_workspace_folder_and_stays_valid(run):
    result, plain, workspace = run
    log = json.loads(render("sarif", RunResult.model_validate(result), RenderOptions(path_prefix="org/gov")))
    validate(log)
    before, after = dict(string_fields(plain, {"uri"})), dict(string_fields(log, {"uri"}))
    assert before.keys() == after.keys() and len(after) > len(result["findings"])  # artifacts, results, suppressions
    assert any(".suppressions" in where for where in after)
    for where, uri in after.items():
        assert uri == f"org/gov/{before[where]}", where
        assert (workspace / uri.removeprefix("org/gov/")).is_file()
    base = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"]
    assert "repository" in base and "org/gov/" in base


def test_waived_findings_are_suppressed_with_the_waiver_justification(run):
    result, log, _ = run
    justification = {w["id"]: w["justification"] for w in result["waivers"]}
    decision = {w["id"]: w["decision"] for w in result["waivers"]}
    results = log["runs"][0]["results"]
    for finding, res in zip(result["findings"], results, strict=True):
        if finding["status"] == "waived":
            assert res["suppressions"] == [{**res["suppressions"][0], "kind": "external", "status": "accepted",
                                            "justification": justification[finding["waiver"]]}]
            # the decision that granted the waiver, where it names one (acme's do)
            assert res["suppressions"][0]["properties"].get("decision") == decision[finding["waiver"]]
        else:
            assert "suppressions" not in res
    assert sum("suppressions" in r for r in results) == result["summary"]["waived"] >= 1


def test_a_file_name_with_a_space_hash_or_percent_is_a_percent_encoded_uri(run):
    """A uri is not a path: `#` would start a fragment, a space is not allowed, `%` starts an escape."""
    result, _, _ = run
    model = RunResult.model_validate(result)
    odd = "inventory/our systems #2 (100%).yaml"
    moved = model.model_copy(update={
        "findings": [f.model_copy(update={"location": FindingLocation(file=odd, line=3, column=5)}) for f in model.findings],
        "inputs": [i.model_copy(update={"path": odd}) if i.path.startswith("inventory/") else i for i in model.inputs]})
    log = json.loads(render("sarif", moved, RenderOptions(path_prefix="org/gov")))
    validate(log)
    uris = {uri for _, uri in string_fields(log, {"uri"})}
    assert "org/gov/inventory/our%20systems%20%232%20%28100%25%29.yaml" in uris
    assert not any(c in uri for uri in uris for c in " #")


def test_finding_without_location_points_at_the_manifest_and_stays_valid(run):
    result, _, _ = run
    model = RunResult.model_validate(result)
    unlocated = model.model_copy(update={"findings": [f.model_copy(update={"location": None}) for f in model.findings]})
    log = json.loads(render("sarif", unlocated))
    validate(log)
    for res in log["runs"][0]["results"]:
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "governance.yaml"
        assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_baseline_state_is_reported_when_compared():
    result = golden.data("acme-changes")  # compared with a baseline: one finding new, some resolved
    log = json.loads(render("sarif", golden.result("acme-changes")))
    validate(log)
    states = [r["baselineState"] for r in log["runs"][0]["results"]]
    assert states == [{"new": "new", "existing": "unchanged"}[f["baseline"]] for f in result["findings"]]
    assert set(states) == {"new", "unchanged"}
    resolved = log["runs"][0]["properties"]["resolvedSinceBaseline"]
    assert resolved == [{"ruleId": f["check"], "resource": f"{f['resource']['kind']}/{f['resource']['id']}",
                         "fingerprint": f["fingerprint"]} for f in result["resolved"]]
    assert resolved
    # without a baseline there is no baseline state at all
    plain = json.loads(render("sarif", golden.result("acme")))
    assert not any("baselineState" in r for r in plain["runs"][0]["results"])
    assert "resolvedSinceBaseline" not in plain["runs"][0]["properties"]


def test_a_result_without_check_summaries_still_gives_a_rule_per_finding(run):
    # a hand-trimmed saved result given to `govern report`: findings whose checks are not summarised
    result, _, _ = run
    model = RunResult.model_validate(result).model_copy(update={"checks": []})
    log = json.loads(render("sarif", model))
    validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f["check"] for f in result["findings"]})
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in log["runs"][0]["results"])


# ---------------------------------------------------------------- workspace text in Markdown fields

def markdown_fields(node):
    """Every `markdown` value of a multiformatMessageString/message anywhere in the log."""
    return string_fields(node, {"markdown"})


def assert_inert(markdown: str) -> None:
    """Rendered as GitHub would (tables, strikethrough, raw HTML allowed), none of the workspace's text is markup."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)
    for tag in ("<script", "<img", "<a ", "<em>", "<s>", "<del>", "<h1"):
        assert tag not in html, (tag, html)
    assert html.count("<code>") == 2  # only govern's own `waivers/` and `waived`
    assert "\x1b" not in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("|")]
    assert rows and all(len(re.findall(r"(?<!\\)\|", row)) == 3 for row in rows), rows  # two columns, always


def test_markdown_fields_escape_workspace_text_and_text_fields_stay_plain():
    log = json.loads(render("sarif", hostile_check_result()))
    validate(log)
    fields = list(markdown_fields(log))
    assert [where for where, _ in fields] == [".runs[0].tool.driver.rules[0].help.markdown"]
    (_, markdown), = fields
    assert_inert(markdown)
    # escaped as the Markdown report escapes it: the same text, shown literally
    assert "&lt;script&gt;alert(1)&lt;/script&gt; !\\[t\\](http://tracker/x.png) \\[x\\](javascript:alert(1)) \\| col" in markdown
    assert "| Resource | system \\| !\\[r\\](http://tracker/r.png) |" in markdown
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    # plain text as written, but for the terminal escape, written out as every format writes it
    shown = visible(HOSTILE)
    assert "\x1b" not in shown and shown.endswith("\\x1b[31m")
    assert rule["shortDescription"]["text"] == shown and rule["fullDescription"]["text"] == shown
    assert shown in rule["help"]["text"]
    assert log["runs"][0]["results"][0]["message"] == {"text": shown}


def test_a_workspace_checks_metadata_cannot_inject_markdown_into_help(example, opa_binary):
    """Through the real CLI: a pull request edits a workspace check's METADATA title and description."""
    rego = example / "checks" / "ownership.rego"
    source = rego.read_text(encoding="utf-8")
    title = "# title: Production systems have an owner below the committee\n"
    assert title in source
    hostile = HOSTILE.replace("\x1b", "")
    source = source.replace(title, f"# title: {json.dumps(hostile)}\n")
    source = re.sub(r"# description: >-\n(#   .*\n)+", f"# description: {json.dumps(hostile + ' | a | b')}\n", source)
    rego.write_text(source, encoding="utf-8")
    sarif = example.parent / "g.sarif"
    result, _ = run_json(example, "--format", f"sarif={sarif}")
    assert next(c for c in result["checks"] if c["id"] == "ACME-001")["title"] == hostile  # the title did arrive
    log = json.loads(sarif.read_text(encoding="utf-8"))
    validate(log)
    rule = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "ACME-001")
    assert_inert(rule["help"]["markdown"])
    assert rule["shortDescription"]["text"] == hostile
