"""`govern aggregate`: the results of many workspaces as one group report, refused when
they were evaluated under different built-in libraries or OPA versions.

One test merges three fresh runs on real OPA; the rest merge golden results (real runs, checked
in: tests/golden) renamed as subsidiaries, so they need no OPA.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema_rs
import pytest

from governance.result import SEVERITIES, STATUSES, RunResult, advisory, gate, rollup, sealed, severity_rank
from tests import golden
from tests.conftest import SCHEMAS, check, govern, make_workspace

SUBSIDIARIES = {"acme": "Acme North 北方", "acme-waivers": "Acme South 南方", "minimal": "Minimal Co"}


def _as_subsidiary(tmp_path: Path, golden_name: str, workspace: str, **changes) -> Path:
    doc = golden.data(golden_name)
    doc["workspace"] = workspace
    for key, value in changes.items():
        doc[key] = value
    if changes:  # a result as its own run would have written it: the digest covers fail_on
        doc = json.loads(sealed(RunResult.model_validate(doc)).to_json())
    path = tmp_path / f"{golden_name}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def three(tmp_path) -> list[Path]:
    return [_as_subsidiary(tmp_path, g, name) for g, name in SUBSIDIARIES.items()]


def _group(*args: str) -> dict:
    """The JSON group report; its exit code is 1 exactly when an entity fails at the group's threshold."""
    proc = govern("aggregate", *args)
    assert proc.returncode in (0, 1), proc.stderr
    group = json.loads(proc.stdout)
    assert proc.returncode == (1 if any(e["verdict"] == "fail" for e in group["entities"]) else 0)
    return group


# ------------------------------------------------------------ the merge

def test_three_real_runs_merge_into_one_summary_per_entity(example, tmp_path):
    south = shutil.copytree(example, tmp_path / "south")
    manifest = south / "governance.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("name: Acme Retail Group", "name: Acme South"),
                        encoding="utf-8")
    small = make_workspace(tmp_path / "small", {"governance.yaml": "name: Small Co\n"})
    paths = []
    for ws in (example, south, small):
        out = tmp_path / f"{ws.name}.json"
        assert check(ws, "--format", f"json={out}").returncode in (0, 1)
        paths.append(out)
    group = _group(*map(str, paths))
    assert [e["name"] for e in group["entities"]] == ["Acme Retail Group", "Acme South", "Small Co"]
    assert [e["verdict"] for e in group["entities"]] == ["fail", "fail", "pass"]
    run = RunResult.model_validate_json(paths[0].read_text(encoding="utf-8"))
    assert group["library"].startswith("sha256:") and group["opa_version"] == run.engine.opa_version
    assert group["entities"][0]["policy_revision"] == run.engine.policy_revision
    assert {f["entity"] for f in group["findings"]} == {"Acme Retail Group", "Acme South"}


def test_each_entity_is_summarised_from_its_own_result(three):
    group = _group(*map(str, three), "--top", "0")
    results = {r.workspace: r for r in (RunResult.model_validate(json.loads(p.read_text(encoding="utf-8"))) for p in three)}
    assert [e["name"] for e in group["entities"]] == sorted(results)
    for entity in group["entities"]:
        r = results[entity["name"]]
        assert r.fail_on == group["fail_on"] == "low"  # so the group's verdict is its own
        assert entity["verdict"] == entity["own_verdict"] == ("fail" if gate(r, r.fail_on) else "pass")
        assert entity["laxer_than_group"] is False
        # advisories are counted apart, never among the failing
        advice = [f for f in r.findings if advisory(f, r.fail_on)]
        assert entity["advisories"] == len(advice)
        assert entity["failing"] == {s: r.summary.by_severity.get(s, 0) - sum(f.severity == s for f in advice)
                                     for s in SEVERITIES}
        assert sum(entity["waived"].values()) == r.summary.waived
        assert entity["checks"] == {s: sum(1 for c in r.checks if c.status == s) for s in STATUSES}
        assert entity["policy_revision"] == r.engine.policy_revision
        assert entity["controls"] == {c.id: c.status for c in r.controls}
    failing = [(f.severity, name, f.fingerprint) for name, r in results.items() for f in r.findings
               if f.status == "fail" and not advisory(f, r.fail_on)]
    assert group["findings_total"] == len(failing) == len(group["findings"])
    assert {(f["severity"], f["entity"], f["fingerprint"]) for f in group["findings"]} == set(failing)
    order = [(severity_rank(f["severity"]), f["entity"]) for f in group["findings"]]
    assert order == sorted(order)  # the worst first, then by entity
    assert group["findings"][0]["severity"] == "critical"
    assert not [f for f in group["findings"] if f["status"] != "fail" or f["severity"] == "info"]  # no waived, no advisory


def test_top_keeps_the_worst_and_counts_them_all(three):
    everything = _group(*map(str, three), "--top", "0")
    top = _group(*map(str, three), "--top", "3")
    assert top["findings"] == everything["findings"][:3]
    assert top["findings_total"] == everything["findings_total"] > 3


def test_the_same_results_give_the_same_bytes_in_any_order(three):
    forward = govern("aggregate", *map(str, three))
    backward = govern("aggregate", *map(str, reversed(three)))
    assert forward.returncode == backward.returncode == 1  # two of the three fail at `low`
    assert forward.stdout == backward.stdout
    for fmt in ("markdown", "html", "oscal"):
        assert govern("aggregate", *map(str, three), "--format", fmt).stdout == \
            govern("aggregate", *map(str, reversed(three)), "--format", fmt).stdout


# ------------------------------------------------------------ the group's threshold

def test_an_entity_whose_own_fail_on_is_never_fails_at_the_groups_threshold_and_is_flagged(tmp_path):
    """Its own `govern check` passed (fail_on: never), with 2 critical and 8 high unwaived findings:
    the group judges it at its own threshold (low by default), and says that its own is laxer."""
    lax = _as_subsidiary(tmp_path, "acme", "Lax Co", fail_on="never")
    clean = _as_subsidiary(tmp_path, "minimal", "Minimal Co")
    group = _group(str(lax), str(clean))
    assert group["fail_on"] == "low"
    entity = next(e for e in group["entities"] if e["name"] == "Lax Co")
    assert entity["failing"]["critical"] == 2 and entity["failing"]["high"] == 8
    assert (entity["verdict"], entity["own_verdict"], entity["fail_on"], entity["laxer_than_group"]) == \
        ("fail", "pass", "never", True)
    assert {f["entity"] for f in group["findings"]} == {"Lax Co"}  # its findings are the group's worst
    assert next(e for e in group["entities"] if e["name"] == "Minimal Co")["laxer_than_group"] is False
    assert govern("aggregate", str(lax), str(clean)).returncode == 1

    markdown = govern("aggregate", str(lax), str(clean), "--format", "markdown", "--lang", "en").stdout
    assert "- Group fail-on threshold: low" in markdown and "2 entities: 1 pass, 1 fail" in markdown
    assert "| Lax Co | 2026-11-25 | Fail ⚠ own fail\\_on never is laxer than the group's |" in markdown
    assert "⚠ marks an entity whose own fail_on is laxer than the group's threshold (low)" in markdown
    assert "⚠" not in next(line for line in markdown.splitlines() if line.startswith("| Minimal Co"))
    html = govern("aggregate", str(lax), str(clean), "--format", "html", "--lang", "zh").stdout
    assert 'data-entity="Lax Co" data-verdict="fail" data-laxer="never"' in html
    assert "自身阈值为 never，宽于集团阈值" in html and 'id="laxer"' in html
    assert 'data-entity="Minimal Co" data-verdict="pass">' in html
    oscal = json.loads(govern("aggregate", str(lax), str(clean), "--format", "oscal").stdout)["assessment-results"]
    assert {p["name"]: p["value"] for p in oscal["metadata"]["props"]}["group-fail-on"] == "low"
    props = {r["title"]: {p["name"]: p["value"] for p in r["props"]} for r in oscal["results"]}
    lax_props = props["govern check of Lax Co"]
    assert (lax_props["verdict"], lax_props["own-verdict"], lax_props["fail-on-laxer-than-group"]) == ("fail", "pass", "true")
    assert props["govern check of Minimal Co"]["fail-on-laxer-than-group"] == "false"


@pytest.mark.parametrize("fail_on, verdicts, laxer, code", [
    ("never", ["pass", "pass", "pass"], [False, False, False], 0),  # no threshold: a report, never a gate
    ("critical", ["fail", "fail", "pass"], [False, False, False], 1),
    ("info", ["fail", "fail", "pass"], [True, True, True], 1),  # every entity's own low is laxer than info
])
def test_the_group_threshold_judges_every_entity_and_sets_the_exit_code(three, fail_on, verdicts, laxer, code):
    proc = govern("aggregate", *map(str, three), "--fail-on", fail_on, "--top", "0")
    assert proc.returncode == code, proc.stderr
    group = json.loads(proc.stdout)
    assert group["fail_on"] == fail_on
    assert [e["verdict"] for e in group["entities"]] == verdicts
    assert [e["laxer_than_group"] for e in group["entities"]] == laxer
    assert [e["own_verdict"] for e in group["entities"]] == ["fail", "fail", "pass"]  # each at its own low
    infos = [f for f in group["findings"] if f["severity"] == "info"]
    assert bool(infos) == (fail_on == "info")  # info fails only a group that asks for it, as a run
    assert all(e["advisories"] == 0 for e in group["entities"]) == (fail_on == "info")


def test_a_bad_group_threshold_is_a_usage_error(three):
    proc = govern("aggregate", *map(str, three), "--fail-on", "severe")
    assert proc.returncode == 2 and "'severe' is not one of" in proc.stderr and proc.stdout == ""


# ------------------------------------------------------------ refusals

def _other_library(tmp_path: Path) -> Path:
    doc = golden.data("minimal")
    doc["library"][0]["sha256"] = "0" * 64  # one built-in module changed
    return _as_subsidiary(tmp_path, "minimal", "Minimal Co", library=doc["library"])


def test_results_of_another_library_are_refused_with_exit_3_and_nothing_written(three, tmp_path):
    stale = _other_library(tmp_path)
    out = tmp_path / "out" / "group.md"
    proc = govern("aggregate", str(three[0]), str(three[1]), str(stale), "--format", "markdown", "-o", str(out))
    assert proc.returncode == 3 and proc.stdout == ""
    assert "different built-in check libraries or OPA versions" in proc.stderr
    assert str(stale) in proc.stderr and str(three[0]) in proc.stderr
    assert "--allow-mixed-revisions" in proc.stderr
    assert not out.exists() and not out.parent.exists()


def test_results_of_another_opa_version_are_refused(three, tmp_path):
    engine = golden.data("minimal")["engine"] | {"opa_version": "1.4.2"}
    other = _as_subsidiary(tmp_path, "minimal", "Minimal Co", engine=engine)
    proc = govern("aggregate", str(three[0]), str(other))
    assert proc.returncode == 3 and "on OPA 1.4.2" in proc.stderr


def test_mixed_revisions_merge_when_allowed_and_the_report_says_so(three, tmp_path):
    stale = _other_library(tmp_path)
    group = _group(str(three[0]), str(stale), "--allow-mixed-revisions")
    assert group["mixed_revisions"] is True and group["library"] is None
    assert len({e["library"] for e in group["entities"]}) == 2
    markdown = govern("aggregate", str(three[0]), str(stale), "--allow-mixed-revisions", "--format", "markdown",
                      "--lang", "en").stdout
    assert "different built-in check libraries or OPA versions (--allow-mixed-revisions)" in markdown


def test_an_unreadable_result_is_exit_2_naming_the_file(three, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1, "findings": [', encoding="utf-8")
    proc = govern("aggregate", str(three[0]), str(broken))
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"{broken}:1:" in proc.stderr and "JSON syntax error" in proc.stderr
    missing = govern("aggregate", str(three[0]), str(tmp_path / "missing.json"))
    assert missing.returncode == 2 and "missing.json" in missing.stderr


def test_two_results_of_one_workspace_are_exit_2(tmp_path):
    first = _as_subsidiary(tmp_path, "acme", "Acme")
    second = _as_subsidiary(tmp_path, "acme-waivers", "Acme")
    proc = govern("aggregate", str(first), str(second))
    assert proc.returncode == 2
    assert f"{first} and {second} are both results of workspace 'Acme'" in proc.stderr


# ------------------------------------------------------------ the formats

def test_the_oscal_group_document_validates_and_keeps_entities_apart(three):
    validator = jsonschema_rs.validator_for(json.loads((SCHEMAS / "oscal_assessment-results_schema.json").read_text()))
    doc = json.loads(govern("aggregate", *map(str, three), "--format", "oscal").stdout)
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message[:200]}" for e in validator.iter_errors(doc)]
    assert not errors, "\n".join(errors[:20])
    results = doc["assessment-results"]["results"]
    assert [next(p["value"] for p in r["props"] if p["name"] == "entity") for r in results] == sorted(SUBSIDIARIES.values())
    every = _uuids(doc)
    assert len(every) == len(set(every)), "a UUID is used twice"  # two entities hold findings on the same resources


def _uuids(node: object) -> list[str]:
    if isinstance(node, dict):
        return ([node["uuid"]] if "uuid" in node else []) + [u for v in node.values() for u in _uuids(v)]
    if isinstance(node, list):
        return [u for v in node for u in _uuids(v)]
    return []


@pytest.mark.parametrize("lang, words", [("zh", ["集团治理汇总报告", "最严重的发现", "3 个主体：1 个通过，2 个未通过"]),
                                         ("en", ["Group governance report", "Worst findings", "3 entities: 1 pass, 2 fail"])])
def test_markdown_and_html_speak_the_language_asked(three, lang, words):
    for fmt in ("markdown", "html"):
        out = govern("aggregate", *map(str, three), "--format", fmt, "--lang", lang).stdout
        assert all(w in out for w in words), (fmt, lang)
        assert all(name in out for name in SUBSIDIARIES.values())


def test_hostile_entity_names_stay_text(tmp_path):
    evil = _as_subsidiary(tmp_path, "acme", "<script>x</script> | a [link](http://e.x)")
    html = govern("aggregate", str(evil), "--format", "html").stdout
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    markdown = govern("aggregate", str(evil), "--format", "markdown").stdout
    assert "<script>" not in markdown and "\\| a \\[link\\](http://e.x)" in markdown


def test_the_report_goes_to_a_file_with_output(three, tmp_path):
    out = tmp_path / "reports" / "group.html"
    proc = govern("aggregate", *map(str, three), "--format", "html", "--output", str(out))
    assert proc.returncode == 1 and proc.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert govern("aggregate", *map(str, three), "--output", str(tmp_path)).returncode == 2  # a folder


def test_a_group_report_that_cannot_be_written_is_exit_3_and_says_so(three, tmp_path):
    (tmp_path / "taken").write_text("a file, where a folder is needed")
    proc = govern("aggregate", *map(str, three), "--output", str(tmp_path / "taken" / "group.json"))
    assert proc.returncode == 3 and proc.stderr.rstrip().endswith("no group report was written.")
    assert "report of this run" not in proc.stderr  # an aggregate is no run


def test_a_skipped_checks_control_is_not_satisfied_in_the_group_report(tmp_path):
    doc = golden.data("acme")
    skipped = next(c for c in doc["controls"] if c["status"] == "pass"
                   and not any(f["check"] in c["checks"] for f in doc["findings"]))
    _skip(doc, skipped["checks"])
    doc = json.loads(sealed(RunResult.model_validate(doc)).to_json())  # as a run skipping them would seal it
    path = tmp_path / "skipped.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    proc = govern("aggregate", str(path), "--format", "oscal")
    assert proc.returncode == 1, proc.stderr  # acme's findings fail it at the group's threshold
    findings = json.loads(proc.stdout)["assessment-results"]["results"][0]["findings"]
    [control] = [f for f in findings if f["target"]["target-id"] == skipped["id"]]
    assert control["target"]["status"] == {"state": "not-satisfied", "reason": "other"}
    counts = {s: sum(c["status"] == s for c in doc["checks"]) for s in STATUSES}
    assert counts["skipped"]
    md = govern("aggregate", str(path), "--format", "markdown", "--lang", "en")
    assert md.returncode == 1 and "Checks (pass / fail / pass with advisories / n/a / skipped)" in md.stdout
    advice = 2  # acme's two info checks pass with advisories, counted apart from the failing
    shown = [counts["pass"], counts["fail"] - advice, advice, counts["not_applicable"], counts["skipped"]]
    assert " / ".join(map(str, shown)) in md.stdout


def _skip(doc: dict, checks: list[str]) -> None:
    """`doc` as a run with --skip of `checks` records it (a saved result must agree with itself)."""
    for c in doc["checks"]:
        if c["id"] in checks:
            c.update(status="skipped", evaluated=0, failed=0, waived=0)
    status = {c["id"]: c["status"] for c in doc["checks"]}
    for control in doc["controls"]:
        control["status"] = rollup(status[c] for c in control["checks"])
    doc["selection"]["skipped"] = [{"check": c, "sources": ["cli"]} for c in sorted(checks)]
    doc["summary"]["checks"] = {s: sum(c["status"] == s for c in doc["checks"]) for s in STATUSES}
