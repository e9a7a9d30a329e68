"""`--format oscal-poam`: an OSCAL 1.0.4 plan of action and milestones, validated against NIST's POA&M JSON
schema (vendored in tests/schemas) and loaded with compliance-trestle's models; rendered from golden results
of the example (no OPA), and from real runs for `check` against `report` and for determinism."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest

from governance.evaluate.report_set import run_named
from governance.report import RenderOptions, render
from governance.report._escape import markdown_text
from governance.result import RunResult, Selection, SkippedCheck
from tests import golden
from tests.conftest import SCHEMAS, check, govern
from tests.reports_support import uuids

SCHEMA = SCHEMAS / "oscal_poam_schema.json"


@pytest.fixture(scope="module")
def validator():
    return jsonschema_rs.validator_for(json.loads(SCHEMA.read_text(encoding="utf-8")))


def assert_valid(validator, doc: dict) -> None:
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message[:200]}" for e in validator.iter_errors(doc)]
    assert not errors, "\n".join(errors[:20])


def plan(result: RunResult, lang: str = "en") -> dict:
    return json.loads(render("oscal-poam", result, RenderOptions(lang=lang)))["plan-of-action-and-milestones"]


def props(node: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in node.get("props", []):
        out.setdefault(p["name"], []).append(p["value"])
    return out


def key(finding) -> tuple[str, str, str]:
    return finding.check, finding.resource.kind, finding.resource.id


def item_of(poam: dict, check_id: str, resource_id: str) -> dict:
    (item,) = [i for i in poam["poam-items"] if props(i)["check"] == [check_id] and f" {resource_id}" in i["title"]]
    return item


def risk_of(poam: dict, item: dict) -> dict:
    (link,) = item["related-risks"]
    return next(r for r in poam["risks"] if r["uuid"] == link["risk-uuid"])


def party_of(poam: dict, person: str) -> str:
    return next(p["uuid"] for p in poam["metadata"]["parties"] if props(p)["person-id"] == [person])


@pytest.mark.parametrize("name", ["acme", "acme-waivers", "acme-expiring", "minimal"])
def test_validates_against_nists_poam_schema_and_loads_in_trestle(name, validator):
    from trestle.oscal.poam import PlanOfActionAndMilestones

    doc = json.loads(render("oscal-poam", golden.result(name)))
    assert_valid(validator, doc)
    poam = doc["plan-of-action-and-milestones"]
    assert poam["metadata"]["oscal-version"] == "1.0.4"
    loaded = PlanOfActionAndMilestones.parse_obj(poam)
    assert len(loaded.poam_items) == len(poam["poam-items"])


def test_the_validator_rejects_what_oscal_forbids(validator):
    """Guard against a validator that accepts anything: one bad state is caught."""
    doc = json.loads(render("oscal-poam", golden.result("acme")))
    doc["plan-of-action-and-milestones"]["poam-items"] = []
    assert not validator.is_valid(doc)


def test_every_unwaived_finding_above_info_is_an_item_linked_to_its_observation_and_risk():
    result = golden.result("acme")
    poam = plan(result)
    expected = [f for f in result.findings if f.status == "fail" and f.severity != "info"]
    assert expected and any(f.severity == "info" and f.status == "fail" for f in result.findings)
    assert [props(i)["fingerprint"] for i in poam["poam-items"]] == [[f.fingerprint] for f in expected]
    observations = {o["uuid"]: o for o in poam["observations"]}
    risks = {r["uuid"]: r for r in poam["risks"]}
    for f, item in zip(expected, poam["poam-items"], strict=True):
        (obs,) = item["related-observations"]
        assert props(observations[obs["observation-uuid"]])["fingerprint"] == [f.fingerprint]
        (link,) = item["related-risks"]
        assert risks[link["risk-uuid"]]["related-observations"] == item["related-observations"]
        assert item["description"] == markdown_text(f.message)
        assert props(item)["severity"] == [f.severity]


def test_an_open_action_is_the_plan_its_owner_a_party_its_due_date_a_milestone():
    result = golden.result("acme")
    poam = plan(result)
    action = next(a for a in result.actions or [] if a.id == "act-2026-07-01")  # PLC-007 on ds-orders, open
    (addressed,) = action.addresses
    item = item_of(poam, addressed.check, addressed.resource.id)
    assert props(item)["action"] == [action.id] and "gap" not in props(item)
    assert action.id in item["remarks"] and action.owner in item["remarks"]
    risk = risk_of(poam, item)
    assert risk["status"] == "remediating" and risk["deadline"] == f"{action.due}T23:59:59Z"
    (response,) = [r for r in risk["remediations"] if r["lifecycle"] != "recommendation"]
    assert response["lifecycle"] == "planned" and response["title"] == markdown_text(action.title)
    owner = party_of(poam, action.owner)
    assert response["origins"] == [{"actors": [{"type": "party", "actor-uuid": owner, "role-id": "action-owner"}]}]
    (milestone,) = response["tasks"]
    assert milestone["type"] == "milestone" and milestone["timing"] == {"on-date": {"date": f"{action.due}T23:59:59Z"}}
    assert milestone["responsible-roles"] == [{"role-id": "action-owner", "party-uuids": [owner]}]


def test_a_done_action_whose_finding_still_fires_is_told_and_leaves_the_risk_open():
    result = golden.result("acme")
    poam = plan(result)
    action = next(a for a in result.actions or [] if a.id == "act-2026-07-02")  # done, CLS-001 still fires (ACT-003)
    item = item_of(poam, "CLS-001", "ds-marketing-leads")
    risk = risk_of(poam, item)
    assert risk["status"] == "open" and "deadline" not in risk
    # the action's response, then the check's remediation (METADATA) as a recommendation
    assert [r["lifecycle"] for r in risk["remediations"]] == ["completed", "recommendation"]
    assert "still fires" in item["remarks"] and action.id in item["remarks"]


def test_a_finding_no_action_addresses_is_a_marked_gap():
    result = golden.result("acme")
    poam = plan(result)
    addressed = {(a.check, a.resource.kind, a.resource.id) for action in result.actions or [] for a in action.addresses
                 if action.status != "dropped"}
    gaps = [f for f in result.findings if f.status == "fail" and f.severity != "info" and key(f) not in addressed]
    assert gaps
    marked = {props(i)["fingerprint"][0] for i in poam["poam-items"] if props(i).get("gap") == ["no-action"]}
    assert marked == {f.fingerprint for f in gaps}
    for f in gaps:
        item = item_of(poam, f.check, f.resource.id)
        assert item["remarks"].startswith("Gap: no open or done action item addresses this finding")
        assert risk_of(poam, item)["status"] == "open"


def test_a_dropped_action_leaves_a_gap(validator):
    result = golden.result("acme")
    actions = [a.model_copy(update={"status": "dropped"}) if a.id == "act-2026-07-01" else a for a in result.actions or []]
    poam = plan(result.model_copy(update={"actions": actions}))
    item = item_of(poam, "PLC-007", "ds-orders")
    assert props(item)["gap"] == ["no-action"] and "dropped" in item["remarks"]
    assert "remediations" not in risk_of(poam, item) or all(
        r["lifecycle"] == "recommendation" for r in risk_of(poam, item)["remediations"])


def test_waived_findings_are_accepted_risks_with_their_approver_decision_and_expiry(validator):
    result = golden.result("acme-waivers")
    poam = plan(result)
    waived = [f for f in result.findings if f.status == "waived"]
    assert waived
    items = {props(i)["fingerprint"][0] for i in poam["poam-items"]}
    waivers = {w.id: w for w in result.waivers}
    for f in waived:
        assert f.fingerprint not in items  # accepted, so nothing to plan
        (risk,) = [r for r in poam["risks"] if props(r).get("waiver") == [f.waiver]]
        w = waivers[f.waiver or ""]
        assert risk["status"] == "deviation-approved" and risk["deadline"] == f"{w.expires}T23:59:59Z"
        (entry,) = risk["risk-log"]["entries"]
        assert entry["logged-by"] == [{"party-uuid": party_of(poam, w.approved_by), "role-id": "waiver-approver"}]
        assert entry["start"] == f"{w.approved_at}T00:00:00Z"
        assert props(risk).get("decision") == ([w.decision] if w.decision else None)
        assert {"type": "party", "actor-uuid": party_of(poam, w.requested_by), "role-id": "waiver-requester"} in [
            a for o in risk["origins"] for a in o["actors"]]
    assert any(w.decision for w in result.waivers if w.applied)


def test_items_carry_their_framework_references():
    result = golden.result("acme")
    poam = plan(result)
    controls = {c.id: c for c in result.controls}
    f = next(f for f in result.findings if f.check == "PLC-007")
    item = item_of(poam, f.check, f.resource.id)
    refs = {(p["name"], p["value"]) for p in item["props"] if p["ns"] == "urn:govern:oscal:reference"}
    cited = {(k, c) for cid in f.controls for k, v in controls[cid].references.items()
             for c in (v if isinstance(v, list) else [v])}
    assert refs == cited and refs


def test_the_report_language_is_the_findings_and_remediations_language():
    result = golden.result("acme")
    f = next(f for f in result.findings if f.status == "fail" and f.severity != "info" and f.message_zh)
    zh, en = plan(result, "zh"), plan(result, "en")
    assert item_of(zh, f.check, f.resource.id)["description"] == markdown_text(f.message_zh)
    assert item_of(en, f.check, f.resource.id)["description"] == markdown_text(f.message)
    told = {"zh": "补齐备案编号", "en": "Record the filing number"}
    checks = [c.model_copy(update={"remediation": told}) if c.id == f.check else c for c in result.checks]
    fixed = result.model_copy(update={"checks": checks})
    for lang, poam in (("zh", plan(fixed, "zh")), ("en", plan(fixed, "en"))):
        risk = risk_of(poam, item_of(poam, f.check, f.resource.id))
        (recommended,) = [r for r in risk["remediations"] if r["lifecycle"] == "recommendation"]
        assert recommended["description"] == told[lang]


def test_a_person_is_written_as_the_reports_language_writes_one():
    """黄丽（p-dpo） in a Chinese plan, as the Chinese reports write a person; Huang Li (p-dpo) in an English one."""
    result = golden.result("acme")
    action = next(a for a in result.actions or [] if a.id == "act-2026-07-01")
    (addressed,) = action.addresses
    assert action.owner_name
    for lang, shown in (("zh", f"{action.owner_name}（{action.owner}）"), ("en", f"{action.owner_name} ({action.owner})")):
        poam = plan(result, lang)
        item = item_of(poam, addressed.check, addressed.resource.id)
        (response,) = [r for r in risk_of(poam, item)["remediations"] if r["lifecycle"] != "recommendation"]
        assert markdown_text(shown) in item["remarks"] and markdown_text(shown) in response["description"], lang
        waiver = next(w for w in result.waivers if w.approved_by_name)
        approved = f"{waiver.approved_by_name}（{waiver.approved_by}）" if lang == "zh" else \
            f"{waiver.approved_by_name} ({waiver.approved_by})"
        assert any(markdown_text(approved) in json.dumps(r, ensure_ascii=False) for r in poam["risks"]), lang


def test_a_result_saved_before_actions_were_recorded_says_so():
    result = golden.result("acme").model_copy(update={"actions": None})
    poam = plan(result)
    assert props(poam["metadata"])["actions-recorded"] == ["no"]
    assert all("saved before" in i["remarks"] for i in poam["poam-items"])


def test_a_run_with_nothing_to_plan_still_validates(validator):
    result = golden.result("minimal")
    clean = result.model_copy(update={"findings": [f for f in result.findings if f.status != "fail" or
                                                   f.severity == "info"]})
    doc = json.loads(render("oscal-poam", clean))
    assert_valid(validator, doc)
    (item,) = doc["plan-of-action-and-milestones"]["poam-items"]
    assert props(item)["items"] == ["0"]


def test_check_and_report_write_the_same_plan_and_runs_differ_only_in_their_times(example, tmp_path, validator):
    """`govern report RESULT --format oscal-poam` from a saved result gives what `govern check` gave; two runs on
    the same inputs give the same plan apart from the run's times; the report set names the plan's run."""
    runs = []
    for n in (1, 2):
        out = tmp_path / f"run{n}"
        proc = check(example, "--format", f"json={out / 'result.json'}", "--format", f"oscal-poam={out / 'poam.json'}")
        assert proc.returncode == 1, proc.stderr
        runs.append(out)
    first = (runs[0] / "poam.json").read_text(encoding="utf-8")
    assert_valid(validator, json.loads(first))
    again = tmp_path / "again" / "poam.json"
    proc = govern("report", str(runs[0] / "result.json"), "--format", f"oscal-poam={again}")
    assert proc.returncode == 0, proc.stderr
    assert again.read_text(encoding="utf-8") == first
    started = json.loads((runs[0] / "result.json").read_text(encoding="utf-8"))["run"]
    assert run_named(runs[0] / "poam.json") == started["started_at"]

    def timeless(path: Path) -> str:
        text = path.read_text(encoding="utf-8")
        run = json.loads(path.with_name("result.json").read_text(encoding="utf-8"))["run"]
        # one word for both: a run that starts and ends within a second has one time for both
        return text.replace(run["started_at"], "TIME").replace(run["finished_at"], "TIME")

    assert timeless(runs[0] / "poam.json") == timeless(runs[1] / "poam.json")


def test_workspace_text_is_inert_and_the_plan_still_validates(validator):
    """GRC tools render OSCAL markup as Markdown: a hostile finding message or title adds no HTML, link or
    image to the plan, and control or bidi characters do not break the schema."""
    from markdown_it import MarkdownIt

    from tests.reports_support import hostile_check_result, string_fields

    doc = json.loads(render("oscal-poam", hostile_check_result()))
    assert_valid(validator, doc)
    fields = dict(string_fields(doc, {"title", "description", "statement", "remarks"}))
    assert any("alert(1)" in text for text in fields.values())
    md = MarkdownIt("commonmark", {"html": True})
    for where, text in fields.items():
        html = md.render(text)
        assert not any(tag in html for tag in ("<script", "<img", "<a ", "<em>")), (where, html)


@pytest.mark.parametrize("name", ["acme", "acme-waivers", "acme-expiring"])
def test_uuids_are_unique_within_the_plan(name):
    seen = uuids(json.loads(render("oscal-poam", golden.result(name))))
    assert len(seen) == len(set(seen)) > 50


def test_a_skipped_check_is_an_item_not_evaluated_with_its_actions_never_a_silent_absence(validator):
    """`--skip PLC-007` leaves the run without PLC-007's findings: the plan says the check was not evaluated, and
    which action addresses it, so its open action does not vanish and the check cannot read as resolved."""
    result = golden.result("acme")
    skipped = result.model_copy(update={
        "findings": [f for f in result.findings if f.check != "PLC-007"],
        "selection": Selection(skipped=[SkippedCheck(check="PLC-007", sources=["cli"])])})
    doc = json.loads(render("oscal-poam", skipped, RenderOptions(lang="en")))
    assert_valid(validator, doc)
    poam = doc["plan-of-action-and-milestones"]
    (meta,) = [p for p in poam["metadata"]["props"] if p["name"] == "skipped-check"]
    assert meta["value"] == "PLC-007" and "not evaluated" in meta["remarks"]
    (item,) = [i for i in poam["poam-items"] if props(i).get("evaluated") == ["no"]]
    assert props(item)["check"] == ["PLC-007"] and props(item)["skipped-by"] == ["cli"]
    assert props(item)["action"] == ["act-2026-07-01"] and "act-2026-07-01" in item["remarks"]
    assert "not resolved" in item["description"]
    assert not any(props(i).get("check") == ["PLC-007"] for i in poam["poam-items"] if i is not item)


def test_a_run_that_skipped_a_check_and_found_nothing_still_names_the_check(validator):
    result = golden.result("minimal")
    clean = result.model_copy(update={"findings": [f for f in result.findings if f.status != "fail"],
                                      "selection": Selection(skipped=[SkippedCheck(check="PLC-001",
                                                                                   sources=["manifest"])])})
    doc = json.loads(render("oscal-poam", clean))
    assert_valid(validator, doc)
    (item,) = doc["plan-of-action-and-milestones"]["poam-items"]
    assert props(item)["evaluated"] == ["no"] and props(item)["check"] == ["PLC-001"]


def test_a_run_with_a_check_skipped_on_the_command_line_keeps_its_open_action_in_the_plan(example, tmp_path,
                                                                                           validator):
    out = tmp_path / "out"
    proc = check(example, "--skip", "PLC-007", "--format", f"oscal-poam={out / 'poam.json'}")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads((out / "poam.json").read_text(encoding="utf-8"))
    assert_valid(validator, doc)
    poam = doc["plan-of-action-and-milestones"]
    assert props(poam["metadata"])["skipped-check"] == ["PLC-007"]
    (item,) = [i for i in poam["poam-items"] if props(i)["check"] == ["PLC-007"]]
    assert props(item)["evaluated"] == ["no"] and props(item)["skipped-by"] == ["cli"]
    assert props(item)["action"] == ["act-2026-07-01"]
