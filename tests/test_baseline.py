"""`--baseline`: findings matched by fingerprint, so moving an entity is not news.

Checkov keys its baseline on file and line, so moving a resource makes its
findings "new" (checkov#7647); govern's fingerprint is check + resource only.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ruamel.yaml import YAML

from tests.conftest import check
from tests.reports_support import run_json

PLURAL = {"system": "systems", "dataset": "datasets", "platform": "platforms", "person": "people",
          "project": "projects", "decision": "decisions", "meeting": "meetings"}
EXTRA_DATASET = """\
datasets:
  - id: ds-baseline-probe
    name: 基线探针
    owner: p-cdo
    grade: general-3
    level: public
    classified_at: 2026-11-01
"""


def acme_baseline(example: Path, acme_result: dict) -> tuple[dict, Path]:
    """acme's result (conftest.acme_result: the run of an unchanged `example`) saved beside `example` as a baseline."""
    path = example.parent / "baseline.json"
    path.write_text(json.dumps(acme_result), encoding="utf-8")
    return acme_result, path


def fingerprints(result: dict) -> set[str]:
    return {f["fingerprint"] for f in result["findings"]}


def test_same_workspace_against_itself_is_all_existing(example, opa_binary, acme_result):
    before, baseline = acme_baseline(example, acme_result)
    assert any(f["status"] == "fail" for f in before["findings"]), "acme should have unwaived findings"
    after, _ = run_json(example, "--baseline", str(baseline))
    assert {f["baseline"] for f in after["findings"]} == {"existing"}
    assert after["resolved"] == []
    # the counts, and the run compared with, named by its as_of and the sha256 of the file's bytes
    assert after["summary"]["baseline"] == {"new": 0, "existing": len(after["findings"]), "resolved": 0,
                                            "as_of": before["as_of"], "source": "file",
                                            "digest": hashlib.sha256(baseline.read_bytes()).hexdigest()}
    assert check(example, "--baseline", str(baseline)).returncode == 1
    assert check(example, "--baseline", str(baseline), "--fail-on-new-only").returncode == 0


def test_new_findings_are_marked_and_fail_only_them(example, opa_binary, acme_result):
    before, baseline = acme_baseline(example, acme_result)
    (example / "inventory" / "probe.yaml").write_text(EXTRA_DATASET, encoding="utf-8")
    after, _ = run_json(example, "--baseline", str(baseline))
    added = fingerprints(after) - fingerprints(before)
    assert added, "a general-3 dataset classified public should raise at least one finding"
    for f in after["findings"]:
        assert f["baseline"] == ("new" if f["fingerprint"] in added else "existing")
    assert any(f["resource"]["id"] == "ds-baseline-probe" and f["baseline"] == "new" for f in after["findings"])
    assert any(f["baseline"] == "new" and f["status"] == "fail" and f["severity"] != "info" for f in after["findings"])
    assert check(example, "--baseline", str(baseline), "--fail-on-new-only").returncode == 1
    # the same new findings do not fail a run whose threshold is above them
    order = ("critical", "high", "medium", "low", "info")
    worst = min(order.index(f["severity"]) for f in after["findings"] if f["baseline"] == "new")
    if worst > 0:
        higher = order[worst - 1]
        assert check(example, "--baseline", str(baseline), "--fail-on-new-only", "--fail-on", higher).returncode == 0


def test_findings_gone_since_the_baseline_are_resolved(example, opa_binary):
    probe = example / "inventory" / "probe.yaml"
    probe.write_text(EXTRA_DATASET, encoding="utf-8")
    before, baseline = run_json(example, name="baseline.json")
    probe.unlink()
    after, _ = run_json(example, "--baseline", str(baseline))
    gone = fingerprints(before) - fingerprints(after)
    assert gone
    assert [f["fingerprint"] for f in after["resolved"]] == [
        f["fingerprint"] for f in before["findings"] if f["fingerprint"] in gone]
    assert {f["baseline"] for f in after["findings"]} == {"existing"}
    table = check(example, "--baseline", str(baseline), "--lang", "en")
    assert f"{len(gone)} resolved since baseline" in table.stdout
    assert "Baseline" in table.stdout


def test_moving_an_entity_to_another_file_keeps_its_finding_existing(example, opa_binary, acme_result):
    before, baseline = acme_baseline(example, acme_result)
    target = next(f for f in before["findings"]
                  if f["resource"]["kind"] in PLURAL and f["location"] and f["location"]["file"].startswith("inventory/")
                  and f["location"]["file"].endswith(".yaml"))
    kind, rid, source = target["resource"]["kind"], target["resource"]["id"], example / target["location"]["file"]
    yaml = YAML()
    doc = yaml.load(source.read_text(encoding="utf-8"))
    entities = doc[PLURAL[kind]]
    entity = next(e for e in entities if e["id"] == rid)
    entities.remove(entity)
    with (example / "inventory" / "moved.yaml").open("w", encoding="utf-8") as out:
        yaml.dump({PLURAL[kind]: [entity]}, out)
    with source.open("w", encoding="utf-8") as out:
        yaml.dump(doc, out)

    after, _ = run_json(example, "--baseline", str(baseline))
    moved = [f for f in after["findings"] if f["fingerprint"] == target["fingerprint"]]
    assert len(moved) == 1 and moved[0]["location"]["file"] == "inventory/moved.yaml"
    assert moved[0]["baseline"] == "existing"
    assert fingerprints(after) == fingerprints(before)
    assert {f["baseline"] for f in after["findings"]} == {"existing"} and after["resolved"] == []
    assert check(example, "--baseline", str(baseline), "--fail-on-new-only").returncode == 0


def test_a_baseline_that_is_not_a_result_is_bad_input(example, tmp_path, opa_binary):
    for name, text in (("broken.json", '{"findings": ['), ("other.json", json.dumps({"version": "2.1.0", "runs": []})),
                       ("old.json", json.dumps({"schema_version": 1, "findings": [{"check": "X"}]}))):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        proc = check(example, "--baseline", str(path), "--format", "json")
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith(f"{path}:") and "not a govern JSON result" in proc.stderr
        assert proc.stdout == ""


def test_fail_on_new_only_needs_a_baseline(example):
    proc = check(example, "--fail-on-new-only")
    assert proc.returncode == 2 and "--baseline" in proc.stderr
