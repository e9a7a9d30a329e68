"""`--format oscal`: OSCAL 1.0.4 assessment-results, validated against the
official JSON schema with jsonschema-rs (Python's jsonschema cannot compile
its \\p{L} patterns), rendered from golden results of the example
(tests/golden: no OPA), and across real runs of `govern check` for the
content-derived UUIDs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest

from governance.report import render
from governance.report._escape import markdown_text
from tests import golden
from tests.conftest import SCHEMAS, check
from tests.reports_support import uuids

# NIST's OSCAL 1.0.4 assessment-results schema, vendored in tests/schemas
SCHEMA = SCHEMAS / "oscal_assessment-results_schema.json"


@pytest.fixture(scope="module")
def validator():
    return jsonschema_rs.validator_for(json.loads(SCHEMA.read_text(encoding="utf-8")))


def run(workspace: Path, out: Path) -> tuple[dict, dict]:
    """One real run (shared OPA): (the JSON result, the OSCAL document) of the same evaluation."""
    proc = check(workspace, "--format", f"json={out / 'result.json'}", "--format", f"oscal={out / 'oscal.json'}")
    assert proc.returncode in (0, 1), proc.stderr
    read = lambda name: json.loads((out / name).read_text(encoding="utf-8"))  # noqa: E731
    return read("result.json"), read("oscal.json")


def rendered(name: str) -> tuple[dict, dict]:
    """A golden result and its OSCAL document."""
    return golden.data(name), json.loads(render("oscal", golden.result(name)))


def assert_valid(validator, doc: dict) -> None:
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message[:200]}" for e in validator.iter_errors(doc)]
    assert not errors, "\n".join(errors[:20])


def props(node: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in node.get("props", []):
        out.setdefault(p["name"], []).append(p["value"])
    return out


def without_times(doc: dict) -> dict:
    """The document with the run's timestamps blanked: the only fields allowed to differ."""
    doc = json.loads(json.dumps(doc))
    ar = doc["assessment-results"]
    ar["metadata"]["last-modified"] = ""
    for result in ar["results"]:
        result["start"] = result["end"] = ""
        for obs in result.get("observations", []):
            obs["collected"] = ""
    return doc


@pytest.fixture
def example_run():
    return rendered("acme")


def test_validates_against_the_oscal_schema(example_run, validator):
    _, doc = example_run
    assert_valid(validator, doc)
    meta = doc["assessment-results"]["metadata"]
    assert meta["oscal-version"] == "1.0.4"
    assert meta["title"] and meta["version"]


def test_the_validator_rejects_what_oscal_forbids(example_run, validator):
    """Guard against a validator that accepts anything: one bad state is caught."""
    _, doc = example_run
    bad = json.loads(json.dumps(doc))
    bad["assessment-results"]["results"][0]["findings"][0]["target"]["status"]["state"] = "passed"
    assert not validator.is_valid(bad)


def test_metadata_and_result_carry_the_run(example_run):
    result, doc = example_run
    ar = doc["assessment-results"]
    assert ar["metadata"]["last-modified"] == result["run"]["finished_at"]
    assert props(ar["metadata"])["policy-revision"] == [result["engine"]["policy_revision"]]
    assert props(ar["metadata"])["opa-version"] == [result["engine"]["opa_version"]]
    (res,) = ar["results"]
    assert (res["start"], res["end"]) == (result["run"]["started_at"], result["run"]["finished_at"])
    plan = ar["import-ap"]["href"]
    resources = {r["uuid"]: r for r in ar["back-matter"]["resources"]}
    assert plan.startswith("#") and plan[1:] in resources


def test_every_finding_is_an_observation_with_its_evidence(example_run):
    result, doc = example_run
    ar = doc["assessment-results"]
    (res,) = ar["results"]
    observations = res.get("observations", [])
    assert len(observations) == len(result["findings"]) > 0
    hashes = {f["path"]: f["sha256"] for f in result["inputs"]}
    resources = {r["uuid"]: r for r in ar["back-matter"]["resources"]}
    items = {i["uuid"]: i for i in res["local-definitions"]["inventory-items"]}
    for finding, obs in zip(result["findings"], observations, strict=True):
        assert obs["methods"] == ["TEST"]
        assert obs["collected"] == result["run"]["finished_at"]
        assert obs["description"] == markdown_text(finding["message"])  # OSCAL markup: escaped
        assert props(obs)["check"] == [finding["check"]]
        (subject,) = obs["subjects"]
        assert subject["title"] == markdown_text(f"{finding['resource']['kind']} {finding['resource']['id']}")
        assert props(items[subject["subject-uuid"]])["resource-id"] == [finding["resource"]["id"]]
        (evidence,) = obs["relevant-evidence"]
        file = finding["location"]["file"]
        assert markdown_text(f"{file}:{finding['location']['line']}") in evidence["description"]
        assert hashes[file] in evidence["description"]
        linked = resources[evidence["href"][1:]]
        assert linked["rlinks"][0]["hashes"] == [{"algorithm": "SHA-256", "value": hashes[file]}]


def test_each_control_is_reviewed_and_has_a_finding(example_run):
    result, doc = example_run
    (res,) = doc["assessment-results"]["results"]
    controls = {c["id"]: c for c in result["controls"]}
    assert controls, "the example defines controls"
    selected = [c["control-id"] for c in res["reviewed-controls"]["control-selections"][0]["include-controls"]]
    assert selected == list(controls)
    by_target = {f["target"]["target-id"]: f for f in res["findings"]}
    observation_of = {o["uuid"]: props(o)["check"][0] for o in res.get("observations", [])}
    for cid, control in controls.items():
        target = by_target[cid]["target"]
        assert target["type"] == "objective-id"
        unwaived = {f["check"]: f["severity"] for f in result["findings"]
                    if f["status"] == "fail" and f["check"] in control["checks"]}
        failing = {c for c, severity in unwaived.items() if severity != "info"}  # info: advisories, noted only
        assert target["status"]["state"] == ("not-satisfied" if failing or control["status"] == "skipped" else "satisfied")
        assert (control["status"] == "fail") == bool(unwaived)  # the JSON's status stays the contract's
        related = {observation_of[r["observation-uuid"]] for r in by_target[cid].get("related-observations", [])}
        assert related <= set(control["checks"])
        assert set(unwaived) <= related
        if unwaived and not failing:
            assert "advisory" in by_target[cid]["description"] and props(by_target[cid])["advisories"]
    assert {"satisfied", "not-satisfied"} <= {f["target"]["status"]["state"] for f in res["findings"]}


def test_identical_apart_from_timestamps_across_runs(example, opa_binary, tmp_path, validator):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _, first = run(example, tmp_path / "a")
    _, second = run(example, tmp_path / "b")
    assert without_times(first) == without_times(second)
    # and the UUIDs are content-derived, not constant: a changed input gives a new document uuid
    systems = example / "inventory" / "systems.yaml"
    systems.write_text(systems.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    (tmp_path / "c").mkdir()
    _, third = run(example, tmp_path / "c")
    assert third["assessment-results"]["uuid"] != first["assessment-results"]["uuid"]
    first_obs = [o["uuid"] for o in first["assessment-results"]["results"][0].get("observations", [])]
    third_obs = [o["uuid"] for o in third["assessment-results"]["results"][0].get("observations", [])]
    assert first_obs == third_obs  # same findings, same observation UUIDs


def test_uuids_are_unique_within_the_document(example_run):
    _, doc = example_run
    seen = uuids(doc)
    assert len(seen) == len(set(seen)) > 10


def test_waived_finding_becomes_an_approved_deviation(validator):
    result, doc = rendered("acme-waivers")
    assert_valid(validator, doc)
    target = golden.waivable_failures(golden.data("acme"))[0]  # the finding the variant's waiver names
    waived = [f for f in result["findings"] if f["waiver"] == golden.WAIVER_ID]
    assert [(f["check"], f["resource"]) for f in waived] == [(target["check"], target["resource"])]
    (res,) = doc["assessment-results"]["results"]
    risks = [r for r in res["risks"] if props(r)["waiver"] == [golden.WAIVER_ID]]
    assert len(risks) == 1
    risk = risks[0]
    assert risk["status"] == "deviation-approved"
    assert props(risk)["approved-by"] == ["p-ceo"]
    assert props(risk)["expires"] == ["2026-12-31"]
    (waiver_prop,) = [p for p in risk["props"] if p["name"] == "waiver"]
    for told in (waiver_prop["remarks"], risk["description"]):
        assert golden.WAIVER_ID in told and "p-ceo" in told and "2026-12-31" in told
    assert risk["statement"] == markdown_text(golden.WAIVER_JUSTIFICATION) and "\\|" in risk["statement"]
    (link,) = risk["related-observations"]
    observation = next(o for o in res["observations"] if o["uuid"] == link["observation-uuid"])
    assert props(observation)["status"] == ["waived"] and props(observation)["check"] == [target["check"]]
    controls = set(waived[0]["controls"])
    for finding in res["findings"]:
        if finding["target"]["target-id"] in controls:
            assert {"risk-uuid": risk["uuid"]} in finding["related-risks"]


def test_a_waiver_granted_by_a_decision_names_it_on_its_risk(opa_binary, example, tmp_path, validator):
    _, doc = run(example, tmp_path)
    assert_valid(validator, doc)
    risks = {props(r)["waiver"][0]: r for r in doc["assessment-results"]["results"][0]["risks"]}
    granted = risks["wv-2026-021"]
    assert props(granted)["decision"] == ["dec-2026-093"]
    (waiver_prop,) = [p for p in granted["props"] if p["name"] == "waiver"]
    assert "granted by decision dec-2026-093" in waiver_prop["remarks"]
    assert props(risks["wv-2026-023"])["decision"] == ["dec-2026-101"]


def test_markup_fields_carry_workspace_text_escaped():
    """GRC tools render OSCAL markup as Markdown: a finding message or check title from a
    workspace adds no HTML, link or image there."""
    from markdown_it import MarkdownIt

    from tests.reports_support import hostile_check_result, string_fields

    doc = json.loads(render("oscal", hostile_check_result()))
    fields = dict(string_fields(doc, {"title", "description", "statement", "remarks"}))
    assert any("alert(1)" in text for text in fields.values())  # the hostile text is there …
    md = MarkdownIt("commonmark", {"html": True})
    for where, text in fields.items():  # … and inert everywhere
        html = md.render(text)
        assert not any(tag in html for tag in ("<script", "<img", "<a ", "<em>")), (where, html)


# ---------------------------------------------------------------- the mapping, the people, another tool's models

REFERENCE_NS = "urn:govern:oscal:reference"


def cited(references: dict) -> set[tuple[str, str]]:
    """(framework, clause) for each clause a control's references cite."""
    return {(key, clause) for key, clauses in references.items()
            for clause in (clauses if isinstance(clauses, list) else [clauses])}


def reference_props(node: dict) -> set[tuple[str, str]]:
    return {(p["name"], p["value"]) for p in node.get("props", []) if p.get("ns") == REFERENCE_NS}


def test_each_control_and_finding_carries_its_framework_references(example_run, validator):
    """An auditor asked which MLPS or PIPL clauses a finding bears on reads it off the OSCAL: one prop per
    clause, named by the framework's key, on the control's finding, and on each observation and risk of a
    finding of its checks."""
    result, doc = example_run
    (res,) = doc["assessment-results"]["results"]
    by_target = {f["target"]["target-id"]: f for f in res["findings"]}
    controls = {c["id"]: c for c in result["controls"]}
    assert {"gbt22239", "pipl", "iso27001"} <= {key for c in controls.values() for key in c["references"]}
    for cid, control in controls.items():
        assert reference_props(by_target[cid]) == cited(control["references"]), cid
    for finding, obs in zip(result["findings"], res["observations"], strict=True):
        expected = set().union(*(cited(controls[c]["references"]) for c in finding["controls"]))
        assert reference_props(obs) == expected, finding["check"]
    for risk in res.get("risks", []):
        (observation,) = [o for o in res["observations"] if o["uuid"] == risk["related-observations"][0]["observation-uuid"]]
        assert reference_props(risk) == reference_props(observation)
    assert any(reference_props(o) for o in res["observations"])


def test_a_findings_references_are_each_clause_once_in_linear_time():
    """A finding of checks evidencing many controls carries each clause once, in the order first cited. The
    clauses seen are a set: searching the list so far made 20,184 clauses take minutes."""
    import time

    from governance.report._oscal import OscalParts
    from governance.result import ControlRecord

    clauses = [f"{a}.{b}.{c}" for a in range(1, 21) for b in range(1, 21) for c in range(1, 51)]  # 20,000
    shared = clauses[:50]
    controls = [ControlRecord(id=f"CTL-X-{i:03}", title={"en": "x"}, checks=[], status="pass",
                              references={"gbt22239": clauses[50 * i:50 * (i + 1)] + shared}) for i in range(400)]
    parts = OscalParts(golden.result("acme").model_copy(update={"controls": controls}), "en")
    started = time.perf_counter()
    props = parts.references([c.id for c in controls])  # 40,000 citations, 20,000 of them distinct
    elapsed = time.perf_counter() - started
    assert [p["value"] for p in props] == clauses
    assert elapsed < 5, elapsed  # under 1 s; a list searched per citation took 36 s


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_reference_reads_as_its_citation_in_the_reports_language(lang):
    """The prop's remarks say the citation as a reader knows it and the framework's name where the citation does
    not already (governance/frameworks.py), in the report's language: 《个人信息保护法》第51条 / PIPL Art. 51 —
    Personal Information Protection Law (PIPL)."""
    from governance import frameworks
    from governance.report import RenderOptions

    doc = json.loads(render("oscal", golden.result("acme"), RenderOptions(lang=lang)))
    (res,) = doc["assessment-results"]["results"]
    refs = [p for f in res["findings"] for p in f["props"] if p.get("ns") == REFERENCE_NS]
    assert {p["name"] for p in refs} >= {"pipl", "gbt22239"}
    for p in refs:
        assert p["class"] == "framework-reference"
        said, name = frameworks.display(p["name"], p["value"], lang), frameworks.title(p["name"], lang)
        assert p["remarks"] == markdown_text(said if name in said else f"{said} — {name}")
    pipl = next(p for p in refs if p["name"] == "pipl")
    # a law's name said once in Chinese (the citation names it in full); the English citation abbreviates it
    assert pipl["remarks"] == markdown_text({"zh": f"《个人信息保护法》第{pipl['value'].removeprefix('art. ')}条",
                                             "en": f"PIPL Art. {pipl['value'].removeprefix('art. ')} — "
                                                   "Personal Information Protection Law (PIPL)"}[lang])
    assert all(p["remarks"].count(frameworks.title(p["name"], lang)) == 1 for p in refs)


def parties_of(doc: dict) -> dict[str, dict]:
    """party uuid -> party, from the document's metadata."""
    (top,) = doc.values()
    return {p["uuid"]: p for p in top["metadata"].get("parties", [])}


def party_refs(node) -> list[str]:
    """Every party UUID the document points at, wherever it does."""
    found: list[str] = []
    if isinstance(node, dict):
        found += node.get("party-uuids", [])
        if "party-uuid" in node:
            found.append(node["party-uuid"])
        if node.get("type") == "party" and "actor-uuid" in node:
            found.append(node["actor-uuid"])
        for value in node.values():
            found += party_refs(value)
    elif isinstance(node, list):
        for value in node:
            found += party_refs(value)
    return found


def test_the_people_involved_are_parties_pointed_at_by_uuid(validator):
    """Waivers' approvers and requesters, action owners and goal owners are `parties` (a person, by name, with
    their workspace id), each with a UUID of its id alone; the waived risk names its approver by that UUID."""
    import uuid

    result, doc = rendered("acme-waivers")
    assert_valid(validator, doc)
    party = parties_of(doc)
    by_id = {props(p)["person-id"][0]: p for p in party.values()}
    people = {w["approved_by"] for w in result["waivers"]} | {w["requested_by"] for w in result["waivers"]}
    people |= {a["owner"] for a in result["actions"]} | {g["owner"] for g in result["strategy"]["goals"] if g["owner"]}
    assert set(by_id) == people
    names = {w["approved_by"]: w["approved_by_name"] for w in result["waivers"]}
    names |= {a["owner"]: a["owner_name"] for a in result["actions"]}
    for pid, p in by_id.items():
        assert p["type"] == "person" and uuid.UUID(p["uuid"]).version == 5
        if names.get(pid):
            assert p["name"] == names[pid]
    refs = party_refs(doc)
    assert refs and set(refs) <= set(party)  # every pointer names a party of the document
    meta = doc["assessment-results"]["metadata"]
    roles = {r["id"] for r in meta["roles"]}
    assert {rp["role-id"] for rp in meta["responsible-parties"]} == roles >= {"waiver-approver", "action-owner"}
    (res,) = doc["assessment-results"]["results"]
    risk = next(r for r in res["risks"] if props(r)["waiver"] == [golden.WAIVER_ID])
    (entry,) = risk["risk-log"]["entries"]
    assert entry["logged-by"] == [{"party-uuid": by_id["p-ceo"]["uuid"], "role-id": "waiver-approver"}]
    assert entry["status-change"] == "deviation-approved" and risk["deadline"].startswith("2026-12-31")
    # the same person, the same UUID, in another document
    _, plain = rendered("acme")
    assert {props(p)["person-id"][0]: u for u, p in parties_of(plain).items()}["p-ceo"] == by_id["p-ceo"]["uuid"]


def test_a_checks_remediation_is_the_recommended_response_of_its_risks(validator):
    """Where the check says how to fix what it finds (METADATA custom.remediation), its waived findings' risks
    carry it, in the report's language."""
    from governance.report import RenderOptions

    result = golden.result("acme")
    waived = {f.check for f in result.findings if f.status == "waived"}
    told = {"zh": "补齐 *负责人*", "en": "Name the *owner*"}  # Markdown in it stays text
    result = result.model_copy(update={"checks": [
        c.model_copy(update={"remediation": told}) if c.id == min(waived) else c.model_copy(update={"remediation": {}})
        for c in result.checks]})
    doc = json.loads(render("oscal", result, RenderOptions(lang="en")))
    assert_valid(validator, doc)
    how = {c.id: c.remediation for c in result.checks if c.remediation}
    (res,) = doc["assessment-results"]["results"]
    risks = {props(r)["check"][0]: r for r in res["risks"]}
    assert set(how) < set(risks)
    for check_id, risk in risks.items():
        if check_id in how:
            (response,) = risk["remediations"]
            assert response["lifecycle"] == "recommendation"
            assert response["description"] == markdown_text(how[check_id]["en"])
        else:
            assert "remediations" not in risk
    zh = json.loads(render("oscal", result, RenderOptions(lang="zh")))
    zh_risks = {props(r)["check"][0]: r for r in zh["assessment-results"]["results"][0]["risks"]}
    (check_id,) = how
    assert zh_risks[check_id]["remediations"][0]["description"] == markdown_text(how[check_id]["zh"])


@pytest.mark.parametrize("name", ["acme", "acme-waivers"])
def test_loads_in_compliance_trestle(name):
    """Another tool's OSCAL models (compliance-trestle's pydantic ones) load the document."""
    from trestle.oscal.assessment_results import AssessmentResults

    _, doc = rendered(name)
    loaded = AssessmentResults.parse_obj(doc["assessment-results"])
    assert str(loaded.uuid) == doc["assessment-results"]["uuid"]
    assert len(loaded.metadata.parties or []) == len(doc["assessment-results"]["metadata"]["parties"])
