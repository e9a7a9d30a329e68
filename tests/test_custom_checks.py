"""Workspace checks: Rego folders listed under `checks:` in governance.yaml
join the built-in library and report exactly like built-in checks.

The example's ACME-001 (examples/acme/checks/ownership.rego) fires on
sys-data-platform, whose owner sits on the committee; wv-2026-021 waives it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import EXAMPLE, REPO, check, govern


def run(ws: Path) -> dict:
    proc = check(ws, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def findings_of(result: dict, check: str) -> dict[str, dict]:
    return {f["resource"]["id"]: f for f in result["findings"] if f["check"] == check}


def entry(result: dict, check: str) -> dict:
    return next(c for c in result["checks"] if c["id"] == check)


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_opa_test_runs_the_example_checks_with_the_library(opa_binary):
    # the library's modules without its own tests (tests/test_rego_units.py runs those), and the example's checks
    library = sorted(str(p.relative_to(REPO)) for p in (REPO / "checks").glob("*.rego") if not p.name.endswith("_test.rego"))
    proc = subprocess.run([opa_binary, "test", *library, "examples/acme/checks/", "--format", "json", "--timeout", "60s"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.stdout, proc.stderr
    results = json.loads(proc.stdout)
    failed = [f"{r['package']}.{r['name']}" for r in results if r.get("fail") or r.get("error")]
    assert not failed and proc.returncode == 0, failed or proc.stderr
    acme = [r for r in results if r["package"] == "data.govern.checks.acme_test"]
    assert len(acme) >= 5 and len(acme) == len(results)


def test_a_custom_check_reports_like_a_builtin_one(opa_binary, example):
    result = run(example)
    custom, builtin = entry(result, "ACME-001"), entry(result, "MLP-002")
    assert custom.keys() == builtin.keys()
    assert (custom["title"], custom["severity"], custom["waivable"], custom["resource"], custom["domain"]) == (
        "Production systems have an owner below the committee", "medium", True, "system", "acme")
    production = sum(1 for line in (example / "inventory" / "systems.yaml").read_text(encoding="utf-8").splitlines()
                     if "environment: prod" in line)
    assert custom["evaluated"] == production
    assert custom["controls"] == ["CTL-ACME-01"]

    found = findings_of(result, "ACME-001")
    assert set(found) == {"sys-data-platform"}
    f = found["sys-data-platform"]
    assert f.keys() == result["findings"][0].keys()
    assert f["location"] == {"file": "inventory/systems.yaml", "column": 5,
                             "line": line_of(example / "inventory" / "systems.yaml", "id: sys-data-platform")}
    assert f["controls"] == ["CTL-ACME-01"] and "p-cdo" in f["message"]
    # the example's waiver applies to it like to any built-in finding
    assert (f["status"], f["waiver"]) == ("waived", "wv-2026-021")
    assert (custom["failed"], custom["waived"], custom["status"]) == (0, 1, "pass")
    # its Rego is an input of the run, hashed like every other file
    assert "checks/ownership.rego" in {i["path"] for i in result["inputs"]}


def test_without_its_waiver_the_custom_finding_fails(opa_binary, example):
    waivers = example / "waivers" / "waivers.yaml"
    text = waivers.read_text(encoding="utf-8")
    waivers.write_text(text.replace("check: ACME-001", "check: ACME-999"), encoding="utf-8")
    result = run(example)
    assert findings_of(result, "ACME-001")["sys-data-platform"]["status"] == "fail"
    assert entry(result, "ACME-001")["status"] == "fail"
    assert "does not exist" in findings_of(result, "WAV-006")["wv-2026-021"]["message"]


def test_a_custom_check_sees_the_inventory(opa_binary, example):
    systems = example / "inventory" / "systems.yaml"
    systems.write_text(systems.read_text(encoding="utf-8").replace("    owner: p-hr\n", ""), encoding="utf-8")
    found = findings_of(run(example), "ACME-001")
    assert found["sys-hr"]["message"] == "production system sys-hr has no owner"
    assert found["sys-hr"]["status"] == "fail"


def test_a_non_waivable_custom_check_cannot_be_waived(opa_binary, example):
    rego = example / "checks" / "ownership.rego"
    rego.write_text(rego.read_text(encoding="utf-8").replace("waivable: true", "waivable: false"), encoding="utf-8")
    result = run(example)
    assert findings_of(result, "ACME-001")["sys-data-platform"]["status"] == "fail"
    assert "ACME-001" in findings_of(result, "WAV-004")["wv-2026-021"]["message"]


def test_a_custom_check_must_live_under_govern_checks(example):
    rego = example / "checks" / "ownership.rego"
    text = rego.read_text(encoding="utf-8")
    rego.write_text(text.replace("package govern.checks.acme", "package acme.rules"), encoding="utf-8")
    proc = check(example)
    assert proc.returncode == 2, proc.stderr
    line = line_of(rego, "package acme.rules")
    assert f"checks/ownership.rego:{line}:1:" in proc.stderr and "govern.checks.<name>" in proc.stderr


def test_the_example_lists_its_checks_folder():
    manifest = (EXAMPLE / "governance.yaml").read_text(encoding="utf-8")
    assert any(line.split("#")[0].strip() == "checks: [checks]" for line in manifest.splitlines())


def test_a_check_file_with_a_colon_in_its_name_runs_on_the_managed_opa(opa_binary, example, tmp_path, acme_result):
    """OPA reads a path argument `a:b` as data prefix `a` and path `b`; the managed OPA must still load
    `own:ership.rego` as the module it is (it is given folders, not files), with the same result."""
    plain = acme_result  # on the shared OPA, as of 2026-11-25 too
    (example / "checks" / "ownership.rego").rename(example / "checks" / "own:ership.rego")
    proc = govern("check", str(example), "--as-of", "2026-11-25", "--format", "json")  # no --opa-url: the managed OPA
    assert proc.returncode == 1, proc.stderr
    colon = json.loads(proc.stdout)
    assert [(f["check"], f["resource"]) for f in colon["findings"]] == [(f["check"], f["resource"]) for f in plain["findings"]]
    assert "ACME-001" in {c["id"] for c in colon["checks"]}  # the renamed module's check ran
