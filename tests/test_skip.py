"""Selecting checks (docs/configuration.md): `--skip ID` and the manifest's `skip:` leave a check out of the
report, never silently: it is still evaluated, appears everywhere with status `skipped`, is counted in the
summary, recorded with its source in the evidence, and can neither pass a control nor apply a waiver it rejects."""

from __future__ import annotations

import json
import os
import re

import jsonschema
import jsonschema_rs
import pytest

from governance.evaluate.baseline import load_result
from governance.report import RenderOptions, render
from governance.result import RunResult, rollup
from tests.conftest import EXAMPLE, SCHEMAS, check, govern, make_workspace

CRITICAL = ("PLC-001", "PLC-007")  # the checks with critical findings in examples/acme
WAIVED_CHECK, WAIVER = "ACME-001", "wv-2026-021"  # a check whose one finding acme waives


def skip_manifest(root, *ids: str) -> None:
    with (root / "governance.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write("skip:\n" + "".join(f"  - {i}\n" for i in ids))


@pytest.fixture(scope="module")
def skipped_run() -> RunResult:
    """examples/acme with PLC-001 (it fires) and ACME-001 (its finding is waived) skipped on the command line."""
    ran = check(EXAMPLE, "--skip", "PLC-001", "--skip", WAIVED_CHECK, "--format", "json")
    assert ran.returncode == 1, ran.stderr
    return RunResult.model_validate_json(ran.stdout)


def by_id(items, id_):
    return next(i for i in items if i.id == id_)


# ---------------------------------------------------------------- what a skipped check is in the result


def test_a_skipped_check_is_listed_with_status_skipped_and_nothing_of_its_outcome(skipped_run):
    summary = by_id(skipped_run.checks, "PLC-001")
    assert (summary.status, summary.evaluated, summary.failed, summary.waived) == ("skipped", 0, 0, 0)
    assert summary.title and summary.severity == "critical"  # still described from its METADATA
    assert not [f for f in skipped_run.findings if f.check in ("PLC-001", WAIVED_CHECK)]
    assert [(s.check, s.sources) for s in skipped_run.selection.skipped] == [(WAIVED_CHECK, ["cli"]), ("PLC-001", ["cli"])]


def test_skipped_checks_are_counted_in_the_summary(skipped_run):
    counts = skipped_run.summary.checks
    assert counts["skipped"] == 2
    assert sum(counts.values()) == len(skipped_run.checks)
    assert skipped_run.summary.fail == 34 and skipped_run.summary.waived == 1  # acme: 35 and 2 without the skips


def test_a_control_evidenced_by_a_skipped_check_is_skipped_not_passed(skipped_run):
    assert by_id(skipped_run.controls, "CTL-PLC-01").status == "skipped"  # evidenced by PLC-001 alone
    assert by_id(skipped_run.controls, "CTL-ACME-01").status == "skipped"  # it passed, its finding waived, before


def test_rollup_puts_skipped_between_fail_and_pass():
    assert rollup(["pass", "skipped"]) == "skipped"
    assert rollup(["not_applicable", "skipped"]) == "skipped"
    assert rollup(["skipped", "fail", "pass"]) == "fail"
    assert rollup(["pass", "not_applicable"]) == "pass"


def test_a_waiver_of_a_skipped_check_applies_to_nothing_and_stays_valid(skipped_run):
    waiver = by_id(skipped_run.waivers, WAIVER)
    assert waiver.valid and waiver.applied == 0


def test_skipping_every_failing_check_passes_the_run_but_says_so(example):
    assert check(example, "--fail-on", "critical").returncode == 1
    ran = check(example, "--fail-on", "critical", "--lang", "en", *[a for c in CRITICAL for a in ("--skip", c)])
    assert ran.returncode == 0, ran.stderr
    summary = ran.stdout.strip().splitlines()
    # acme's one not-applicable check is WAV-009: its authority matrix does not require waiver decisions
    assert re.search(r"checks: \d+ pass, \d+ fail, 1 not applicable(, \d+ pass with advisories)?, 2 skipped",
                     summary[-2]), summary[-2]
    assert summary[-1].startswith("Skipped checks (evaluated, but their findings are not reported and never fail the run)")
    assert "PLC-001 (cli), PLC-007 (cli)" in summary[-1]


def test_without_a_skip_the_summary_line_is_unchanged():
    ran = check(EXAMPLE, "--lang", "en")
    last = ran.stdout.strip().splitlines()[-1]
    assert "skipped" not in ran.stdout.lower() and re.search(r"1 not applicable(, \d+ pass with advisories)? · OPA", last), last


def test_a_skipped_check_is_still_evaluated_so_a_broken_one_still_fails_the_run(tmp_path):
    """Skipping hides a check's findings, not its faults: a workspace check that yields nothing is exit 2 either way."""
    root = make_workspace(tmp_path, {"checks/broken.rego": """\
package govern.checks.broken

import data.govern.lib

# METADATA
# title: Never defined
# custom:
#   id: BRK-001
#   severity: low
#   waivable: true
BRK_001 := lib.check(rego.metadata.rule(), {}, set()) if false
"""})
    for extra in ((), ("--skip", "BRK-001")):
        ran = check(root, *extra)
        assert ran.returncode == 2, (extra, ran.stderr)
        assert "checks/broken.rego" in ran.stderr and "BRK-001 produced no result" in ran.stderr


# ---------------------------------------------------------------- where the selection comes from


def test_the_manifest_the_environment_and_the_command_line_add_up_and_are_recorded(example):
    skip_manifest(example, "PLC-009", "STR-004")
    base = {k: v for k, v in os.environ.items() if not k.startswith("GOVERN_CHECK_")}
    from_env = check(example, "--format", "json", env={**base, "GOVERN_CHECK_SKIP": "STR-004  CLS-008"})
    assert from_env.returncode == 1, from_env.stderr
    selection = json.loads(from_env.stdout)["selection"]["skipped"]
    assert selection == [{"check": "CLS-008", "sources": ["env"]}, {"check": "PLC-009", "sources": ["manifest"]},
                         {"check": "STR-004", "sources": ["env", "manifest"]}]
    # the command line replaces the environment's list; the manifest's still adds
    typed = check(example, "--format", "json", "--skip", "STR-010", env={**base, "GOVERN_CHECK_SKIP": "CLS-008"})
    assert [(s["check"], s["sources"]) for s in json.loads(typed.stdout)["selection"]["skipped"]] == [
        ("PLC-009", ["manifest"]), ("STR-004", ["manifest"]), ("STR-010", ["cli"])]


def test_the_evidence_manifest_records_the_selection(example, tmp_path):
    skip_manifest(example, "PLC-009")
    ran = check(example, "--skip", "STR-010", "--format", f"json={tmp_path / 'out' / 'result.json'}")
    assert ran.returncode == 1, ran.stderr
    evidence = json.loads((tmp_path / "out" / "evidence.json").read_text(encoding="utf-8"))
    assert evidence["selection"] == {"skipped": [{"check": "PLC-009", "sources": ["manifest"]},
                                                 {"check": "STR-010", "sources": ["cli"]}]}
    assert evidence["outcome"]["checks"]["skipped"] == 2


def test_an_unknown_id_on_the_command_line_is_a_usage_error_before_anything_is_written(tmp_path):
    ran = check(EXAMPLE, "--skip", "PLC-01", "--format", f"json={tmp_path / 'r.json'}")
    assert ran.returncode == 2
    assert "Error: Invalid value for --skip" in ran.stderr and "unknown check id 'PLC-01'" in ran.stderr
    assert "did you mean PLC-001" in ran.stderr and "Traceback" not in ran.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_id_in_the_manifest_is_exit_2_at_its_line(example):
    skip_manifest(example, "PLC-001", "NOPE-1")
    lines = (example / "governance.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "NOPE-1" in text)
    for ran in (check(example), govern("validate", str(example))):
        assert ran.returncode == 2
        assert f"governance.yaml:{line}:5: skip: unknown check id 'NOPE-1'" in ran.stderr, ran.stderr


def test_a_check_that_decides_which_waivers_are_valid_cannot_be_skipped(example):
    ran = check(example, "--skip", "WAV-005")
    assert ran.returncode == 2 and "WAV-005 decides which waivers are valid and cannot be skipped" in ran.stderr
    skip_manifest(example, "WAV-001")
    ran = govern("validate", str(example))
    assert ran.returncode == 2 and "skip: WAV-001 decides which waivers are valid" in ran.stderr


def test_a_waiver_check_that_invalidates_nothing_can_be_skipped(example):
    ran = check(example, "--skip", "WAV-006", "--format", "json")
    assert ran.returncode == 1, ran.stderr
    assert by_id(RunResult.model_validate_json(ran.stdout).checks, "WAV-006").status == "skipped"


def test_the_manifest_skip_must_be_a_list_of_ids(example):
    with (example / "governance.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write("skip: {PLC-001: true}\n")
    ran = govern("validate", str(example))
    assert ran.returncode == 2 and "governance.yaml:" in ran.stderr and "skip" in ran.stderr


# ---------------------------------------------------------------- every output shows it


def test_the_table_and_markdown_show_the_count_and_the_list(skipped_run):
    for fmt in ("table", "markdown"):
        for lang, count, listed in (("en", "2 skipped", "ACME-001 (cli), PLC-001 (cli)"), ("zh", "2 已跳过", "已跳过的检查")):
            text = render(fmt, skipped_run, RenderOptions(lang=lang))
            assert count in text and listed in text, (fmt, lang)
    assert "| ⏭️ skipped |" in render("markdown", skipped_run, RenderOptions(lang="en"))  # CTL-PLC-01's row


def test_html_shows_the_count_the_list_and_the_domain_cards(skipped_run):
    page = render("html", skipped_run, RenderOptions(lang="en"))
    assert 'data-stat="checks-skipped">2<' in page
    assert re.search(r'data-field="skipped-checks">Skipped checks [^<]*ACME-001 \(cli\), PLC-001 \(cli\)<', page)
    assert re.search(r'data-domain="placement" data-status="fail"', page)  # PLC-002 still fails placement
    assert re.search(r'data-domain="acme" data-status="skipped"', page)  # its only check is skipped
    assert 'data-field="checks-skipped">1<' in page


def test_junit_marks_a_skipped_check_skipped(skipped_run):
    xml = render("junit", skipped_run, RenderOptions(lang="en"))
    case = re.search(r'<testcase classname="placement" name="PLC-001 [^"]*"[^>]*>\s*<skipped message="([^"]*)"', xml)
    assert case and "selection" in case.group(1)
    assert re.search(r'<testsuites [^>]*skipped="3"', xml)  # and WAV-009, not applicable in acme


def test_sarif_turns_the_rules_off_for_the_run_and_stays_valid(skipped_run):
    log = json.loads(render("sarif", skipped_run, RenderOptions(lang="en")))
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["ruleConfigurationOverrides"] == [
        {"descriptor": {"id": c}, "configuration": {"enabled": False}} for c in (WAIVED_CHECK, "PLC-001")]
    notes = invocation["toolConfigurationNotifications"]
    assert [n["associatedRule"]["id"] for n in notes] == [WAIVED_CHECK, "PLC-001"]
    assert "not reported" in notes[1]["message"]["text"]
    assert "PLC-001" in {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}  # still described
    assert not [r for r in log["runs"][0]["results"] if r["ruleId"] == "PLC-001"]


def test_oscal_does_not_call_a_skipped_control_satisfied(skipped_run):
    doc = json.loads(render("oscal", skipped_run, RenderOptions(lang="en")))
    schema = jsonschema_rs.validator_for(json.loads((SCHEMAS / "oscal_assessment-results_schema.json").read_text("utf-8")))
    schema.validate(doc)
    findings = doc["assessment-results"]["results"][0]["findings"]
    target = next(f for f in findings if f["target"]["target-id"] == "CTL-PLC-01")
    assert target["target"]["status"] == {"state": "not-satisfied", "reason": "other"}
    assert "not assessed" in target["description"] and "PLC-001" in target["description"]


def test_csv_has_no_row_for_a_skipped_check(skipped_run):
    text = render("csv", skipped_run, RenderOptions(lang="en")).decode("utf-8")
    assert ",PLC-001," not in text and ",PLC-007," in text


# ---------------------------------------------------------------- with a baseline, and saved results


def test_findings_of_a_check_skipped_now_are_not_resolved_since_the_baseline(tmp_path):
    before = check(EXAMPLE, "--format", f"json={tmp_path / 'before.json'}")
    assert before.returncode == 1
    ran = check(EXAMPLE, "--skip", "PLC-001", "--baseline", str(tmp_path / "before.json"), "--format", "json")
    result = RunResult.model_validate_json(ran.stdout)
    assert result.resolved == []
    assert result.summary.model_dump()["baseline"]["resolved"] == 0


def test_a_result_saved_before_selection_existed_still_renders(tmp_path):
    doc = json.loads((EXAMPLE.parents[1] / "tests" / "golden" / "acme.json").read_text(encoding="utf-8"))
    del doc["selection"]
    saved = tmp_path / "old.json"
    saved.write_text(json.dumps(doc), encoding="utf-8")
    assert load_result(saved).selection.skipped == []
    ran = govern("report", str(saved), "--format", "table", "--lang", "en")
    assert ran.returncode == 0 and "skipped" not in ran.stdout.lower()
