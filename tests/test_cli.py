"""`govern check` end to end on real OPA: exit codes, JSON contract, locations, determinism.

Most runs are in process on the shared OPA; a few are real processes with their own managed OPA."""

from __future__ import annotations

import hashlib
import json
import os

from governance.engine import OPA_VERSION
from governance.report import FORMATS
from tests.conftest import AS_OF, check, govern, govern_process, make_workspace

CLEAN = {"governance.yaml": "name: Clean Co\n"}
BROKEN_CHAIR = {"policies/committee.yaml": """\
kind: Committee
id: board
chair: p-cto
required_roles: [CEO, HEAD_TECHNOLOGY]
members:
  - {person: p-ceo, role: CEO}
  - {person: p-cto, role: HEAD_TECHNOLOGY}
"""}


def _check_json(root, *extra):
    proc = check(root, "--format", "json", *extra)
    return proc, (json.loads(proc.stdout) if proc.stdout.strip() else None)


def test_exit_0_when_nothing_fails(tmp_path, opa_binary):
    proc, result = _check_json(make_workspace(tmp_path, CLEAN))
    assert proc.returncode == 0, proc.stderr
    assert result["summary"]["fail"] == 0
    gov1 = next(c for c in result["checks"] if c["id"] == "GOV-001")
    assert gov1["status"] == "pass" and gov1["evaluated"] == 1


def test_exit_1_on_a_finding_with_its_location(tmp_path, opa_binary):
    # end to end: `python -m governance` in a process of its own, on the OPA it starts itself
    proc = govern_process("check", str(make_workspace(tmp_path, BROKEN_CHAIR)), "--as-of", AS_OF, "--format", "json")
    result = json.loads(proc.stdout) if proc.stdout.strip() else None
    assert proc.returncode == 1, proc.stderr
    [finding] = [f for f in result["findings"] if f["check"] == "GOV-001"]
    assert finding["status"] == "fail" and finding["severity"] == "high"
    assert finding["resource"] == {"kind": "committee", "id": "board"}
    assert finding["location"] == {"file": "policies/committee.yaml", "line": 1, "column": 1}
    assert "p-cto" in finding["message"]


def test_fail_on_threshold_and_never(tmp_path, opa_binary):
    """The threshold decides the exit code and is recorded; the findings are the same whatever it is."""
    root = make_workspace(tmp_path, BROKEN_CHAIR)  # one high finding

    def gated(*args: str) -> tuple[int, str]:
        proc, result = _check_json(root, *args)
        [finding] = [f for f in result["findings"] if f["status"] == "fail"]
        assert (finding["check"], finding["severity"]) == ("GOV-001", "high"), finding
        return proc.returncode, result["fail_on"]

    assert gated("--fail-on", "critical") == (0, "critical")
    assert gated("--fail-on", "high") == (1, "high")
    assert gated("--fail-on", "never") == (0, "never")
    assert gated() == (1, "low")  # no manifest key: low
    (root / "governance.yaml").write_text("fail_on: critical\n")
    assert gated() == (0, "critical")  # the manifest's default
    assert gated("--fail-on", "medium") == (1, "medium")  # the flag wins


def test_exit_2_on_invalid_workspace_without_opa(tmp_path):
    root = make_workspace(tmp_path, {"inventory/systems.yaml": "systems:\n  - {id: s, deployment: private, owner: p-ghost}\n"})
    proc = govern_process("check", str(root), "--as-of", AS_OF, env={"PATH": "/usr/bin:/bin", "GOVERN_OPA": "/nonexistent/opa"})
    assert proc.returncode == 2
    assert "inventory/systems.yaml:2:34: system 's' refers to unknown person 'p-ghost'" in proc.stderr
    assert proc.stdout == ""


def test_json_has_every_key_of_the_contract(example, opa_binary):
    proc, result = _check_json(example)
    assert proc.returncode == 1, proc.stderr
    for key in ("schema_version", "as_of", "tool", "engine", "inputs", "findings", "checks", "summary"):
        assert key in result
    assert result["schema_version"] == 1 and result["as_of"] == AS_OF
    assert result["tool"]["name"] == "govern"
    assert result["engine"]["kind"] == "opa" and result["engine"]["opa_version"] == OPA_VERSION
    assert result["engine"]["policy_revision"].startswith("sha256:") and len(result["engine"]["policy_revision"]) == 71
    systems = next(i for i in result["inputs"] if i["path"] == "inventory/systems.yaml")  # listed, with the file's own hash
    assert systems["sha256"] == hashlib.sha256((example / "inventory" / "systems.yaml").read_bytes()).hexdigest()
    for f in result["findings"]:
        assert set(f) >= {"check", "severity", "status", "resource", "message", "location", "controls", "waiver", "fingerprint"}
        assert f["status"] in {"fail", "waived"} and (f["waiver"] is None) == (f["status"] == "fail")
    for c in result["checks"]:
        assert set(c) >= {"id", "title", "severity", "evaluated", "failed", "waived", "status"}
        assert c["status"] == ("fail" if c["failed"] else "not_applicable" if c["evaluated"] == 0 and not c["waived"] else "pass")
    fails = [f for f in result["findings"] if f["status"] == "fail"]
    assert result["summary"]["fail"] == len(fails)
    assert result["summary"]["waived"] == len(result["findings"]) - len(fails)
    assert sum(result["summary"]["by_severity"].values()) == len(fails)


def test_findings_are_sorted_as_the_spec_says(example, opa_binary):
    _, result = _check_json(example)
    order = ["critical", "high", "medium", "low", "info"]
    keys = [(order.index(f["severity"]), f["check"], f["resource"]["kind"], f["resource"]["id"]) for f in result["findings"]]
    assert keys == sorted(keys) and len(keys) >= 3


def test_location_points_at_the_entity(example, opa_binary):
    _, result = _check_json(example)
    plc = next(f for f in result["findings"] if f["check"] == "PLC-001" and f["resource"]["id"] == "sys-payment-center")
    lines = (example / plc["location"]["file"]).read_text(encoding="utf-8").splitlines()
    line = lines[plc["location"]["line"] - 1]
    assert line[plc["location"]["column"] - 1:].startswith("id: sys-payment-center")


def test_same_inputs_give_identical_json_apart_from_run_times(example, opa_binary):
    _, first = _check_json(example)
    _, second = _check_json(example)
    for result in (first, second):
        assert set(result["run"]) == {"started_at", "finished_at"}
        result.pop("run")
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_fingerprint_survives_moving_an_entity(example, opa_binary):
    _, before = _check_json(example)
    text = (example / "inventory/datasets.yaml").read_text(encoding="utf-8")
    (example / "inventory/datasets.yaml").write_text("# moved down\n\n\n" + text, encoding="utf-8")
    _, after = _check_json(example)
    fp = {(f["check"], f["resource"]["id"]): f["fingerprint"] for f in before["findings"]}
    moved = [f for f in after["findings"] if f["location"] and f["location"]["file"] == "inventory/datasets.yaml"]
    assert moved
    for f in moved:
        assert f["fingerprint"] == fp[(f["check"], f["resource"]["id"])]


def test_output_file_and_table_default(example, opa_binary, tmp_path):
    out = tmp_path / "out" / "result.json"
    # end to end: a real process writes the file and nothing to stdout
    proc = govern_process("check", str(example), "--as-of", AS_OF, "--format", "json", "--output", str(out))
    assert proc.returncode == 1 and proc.stdout == "", proc.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["as_of"] == AS_OF
    table = check(example)
    assert table.returncode == 1
    assert "PLC-001" in table.stdout and "inventory/systems.yaml:" in table.stdout


def test_bad_as_of_and_format_are_usage_errors_before_anything_is_run_or_written(example, tmp_path):
    no_opa = {**os.environ, "GOVERN_OPA": str(tmp_path / "no-opa")}  # had OPA been looked for: exit 3
    before = sorted(example.rglob("*"))
    date = govern("check", str(example), "--as-of", "25/11/2026", env=no_opa)
    assert (date.returncode, date.stdout) == (2, ""), date.stderr
    assert "Invalid value for '--as-of' (command line): '25/11/2026' is not a date written YYYY-MM-DD" in date.stderr
    fmt = govern("check", str(example), "--format", "pdf", env=no_opa)
    assert (fmt.returncode, fmt.stdout) == (2, ""), fmt.stderr
    assert f"unknown format 'pdf' (known: {', '.join(sorted(FORMATS))}; audit=DIR for the audit pack)" in fmt.stderr
    assert "Traceback" not in date.stderr + fmt.stderr
    assert sorted(example.rglob("*")) == before


def test_unwritable_report_path_exits_3(example, opa_binary, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    proc = check(example, "--format", f"json={blocker}/result.json")
    assert proc.returncode == 3
    assert "could not write" in proc.stderr and "Traceback" not in proc.stderr
