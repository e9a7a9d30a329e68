"""The Rego library's own unit tests, run through real `opa test`."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import REPO


def _opa_test(opa: str, *extra: str) -> dict:
    proc = subprocess.run([opa, "test", "checks/", "--format", "json", *extra], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.stdout, f"opa test printed nothing: {proc.stderr}"
    return {"rc": proc.returncode, "out": json.loads(proc.stdout), "err": proc.stderr}


def test_every_rego_unit_test_passes(opa_binary):
    run = _opa_test(opa_binary)
    results = run["out"]
    failed = [f"{r['package']}.{r['name']}: {r.get('fail') and 'FAIL' or r.get('error')}" for r in results if r.get("fail") or r.get("error")]
    assert not failed, "\n".join(failed)
    assert run["rc"] == 0, run["err"]
    assert len(results) >= 5


COVERAGE_MIN = 90.0


def test_library_line_coverage_gate(opa_binary):
    """`opa test --coverage` over the library's own modules (tests excluded) stays ≥ 90 %."""
    files = _opa_test(opa_binary, "--coverage")["out"]["files"]
    modules = {name: f for name, f in files.items() if not name.endswith("_test.rego")}
    covered = sum(f.get("covered_lines", 0) for f in modules.values())
    missed = sum(f.get("not_covered_lines", 0) for f in modules.values())
    assert covered + missed > 0
    pct = 100.0 * covered / (covered + missed)
    worst = sorted((f.get("coverage", 0), n) for n, f in modules.items())[:3]
    assert pct >= COVERAGE_MIN, f"library line coverage {pct:.1f}% < {COVERAGE_MIN}% (lowest: {worst})"


def test_every_check_has_unit_tests_beside_it():
    """Each check id in a module's METADATA is exercised by tests in its `_test.rego` twin.

    (Whether a test covers both firing and not firing is a review matter: the
    tests compare the exact set of firing ids over mixed resources.)"""
    import re

    missing = []
    for module in sorted((REPO / "checks").glob("*.rego")):
        if module.name.endswith("_test.rego"):
            continue
        ids = re.findall(r"^#\s+id:\s*([A-Z]+-\d+)", module.read_text(encoding="utf-8"), re.MULTILINE)
        twin = module.with_name(module.stem + "_test.rego")
        tests = twin.read_text(encoding="utf-8") if twin.exists() else ""
        for cid in ids:
            rule = cid.replace("-", "_")
            uses = len(re.findall(rf"\.{rule}\b", tests))
            if uses < 1:
                missing.append(f"{module.name}: {cid} used in {uses} test expression(s)")
    assert not missing, "\n".join(missing)


def test_library_passes_strict_checks_and_is_formatted(opa_binary):
    """`opa check --strict` (unused args, shadowing, deprecated built-ins) and `opa fmt`."""
    strict = subprocess.run([opa_binary, "check", "--strict", "checks/", "examples/acme/checks/"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert strict.returncode == 0, strict.stdout + strict.stderr
    unformatted = subprocess.run([opa_binary, "fmt", "--list", "checks/", "examples/acme/checks/"], cwd=REPO,
                                 capture_output=True, text=True, timeout=120)
    assert unformatted.stdout.strip() == "", f"run `opa fmt -w` on: {unformatted.stdout}"
