"""`govern test`: a workspace's *_test.rego files with the built-in library, on the pinned OPA (real `opa test`),
under the builtin restrictions of `check`. Exit 0 all pass; 1 a failing or erring test, no test, or coverage under
--threshold; 2 an invalid workspace (its tests included); 3 OPA missing or dead."""

from __future__ import annotations

import os
import re

import pytest

from tests.checks_support import CHECK, FIRES
from tests.conftest import EXAMPLE, govern, make_workspace


def workspace(root, **tests: str):
    """A small workspace with EXT-001 and the given test files (name -> text) in checks/."""
    files = {"governance.yaml": "checks: [checks]\n", "checks/ext.rego": CHECK}
    files |= {f"checks/{name}_test.rego": text for name, text in tests.items()}
    return make_workspace(root, files)


def lines_of(stdout: str) -> list[str]:
    return stdout.rstrip("\n").split("\n")


# ---------------------------------------------------------------- examples/acme


def test_acme_tests_pass_with_a_line_for_each():
    names = re.findall(r"^(test_\w+) if", (EXAMPLE / "checks" / "ownership_test.rego").read_text(encoding="utf-8"), re.M)
    ran = govern("test", str(EXAMPLE))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out = lines_of(ran.stdout)
    assert out[0] == "checks/ownership_test.rego:"
    passed = re.findall(r"^  data\.govern\.checks\.acme_test\.(\w+): PASS \(\d+\.\d{3}ms\)$", ran.stdout, re.M)
    assert sorted(passed) == sorted(names)
    assert out[-1] == f"PASS: {len(names)}/{len(names)}" and "coverage" not in ran.stdout


def test_acme_coverage_is_reported_per_workspace_check():
    ran = govern("test", str(EXAMPLE), "--coverage")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    summary = next(line for line in lines_of(ran.stdout) if line.startswith("coverage:"))
    assert re.fullmatch(r"coverage: 100\.0% of \d+ lines in the workspace's checks", summary), summary
    assert re.search(r"^  checks/ownership\.rego: 100\.0% \((\d+)/\1 lines\)$", ran.stdout, re.M)
    assert "_test.rego: " not in ran.stdout and "<govern>" not in ran.stdout  # neither tests nor the library count


def test_the_command_runs_in_the_workspace_by_default():
    ran = govern("test", cwd=EXAMPLE)
    assert ran.returncode == 0 and "PASS: " in ran.stdout


# ---------------------------------------------------------------- failures


def test_a_failing_test_is_exit_1_with_its_place_and_what_it_printed(tmp_path):
    wrong = '\ntest_wrong if {\n\tprint("saw", 2)\n\text.label({"deployment": "x"}) == "public"\n}\n'
    root = workspace(tmp_path, ext=FIRES + wrong)
    ran = govern("test", str(root), "--coverage")
    assert ran.returncode == 1
    assert "  data.govern.checks.ext_test.test_fires_on_a_public_system: PASS" in ran.stdout
    assert re.search(r"^  data\.govern\.checks\.ext_test\.test_wrong: FAIL \(.*\)\n    at checks/ext_test\.rego:10\n"
                     r"    \| saw 2$", ran.stdout, re.M), ran.stdout
    assert lines_of(ran.stdout)[-3:] == ["PASS: 1/2", "FAIL: 1/2", "coverage: not measured, as a test did not pass"]


def test_a_test_that_errs_is_exit_1_with_opas_message(tmp_path):
    conflict = FIRES + '\nf(x) := 1 if x > 0\n\nf(x) := 2 if x > -5\n\ntest_conflict if {\n\tf(1) == 1\n}\n'
    ran = govern("test", str(workspace(tmp_path, ext=conflict)))
    assert ran.returncode == 1
    assert re.search(r"test_conflict: ERROR .*\n    at checks/ext_test\.rego:\d+\n"
                     r"    functions must not produce multiple outputs", ran.stdout), ran.stdout
    assert "ERROR: 1/2" in ran.stdout


@pytest.mark.parametrize(("threshold", "code"), [("99.5", 1), ("50", 0)])
def test_coverage_under_the_threshold_is_exit_1(tmp_path, threshold, code):
    """FIRES never calls `label`: its two rules are the workspace's uncovered lines."""
    ran = govern("test", str(workspace(tmp_path, ext=FIRES)), "--threshold", threshold)
    assert ran.returncode == code, ran.stdout + ran.stderr
    summary = next(line for line in lines_of(ran.stdout) if line.startswith("coverage:"))
    percent = float(re.match(r"coverage: ([\d.]+)%", summary).group(1))
    assert 50 < percent < 99.5
    assert summary.endswith(f"(threshold {float(threshold):g}%: NOT MET)" if code else f"(threshold {float(threshold):g}%)")
    assert re.search(r"^  checks/ext\.rego: [\d.]+% \(\d+/\d+ lines; lines not covered: 18, 20\)$", ran.stdout, re.M), ran.stdout


def test_a_threshold_of_a_fully_covered_workspace_passes_and_out_of_range_is_a_usage_error(tmp_path):
    assert govern("test", str(EXAMPLE), "--threshold", "100").returncode == 0
    ran = govern("test", str(EXAMPLE), "--threshold", "101")
    assert ran.returncode == 2 and "Invalid value for '--threshold'" in ran.stderr


def test_no_tests_is_exit_1_not_a_pass(tmp_path):
    ran = govern("test", str(workspace(tmp_path)))
    assert ran.returncode == 1
    assert "no tests found" in ran.stdout and "nothing was tested" in ran.stdout


# ---------------------------------------------------------------- the restrictions of check, and a bad workspace


@pytest.mark.parametrize(("call", "builtin"), [
    ('http.send({"method": "get", "url": "http://example.com"}).status_code == 200', "http.send"),
    ("time.now_ns() > 0", "time.now_ns"),
    ('opa.runtime().env.HOME != ""', "opa.runtime"),
])
def test_a_test_calling_a_refused_builtin_is_exit_2_at_its_line(tmp_path, call, builtin):
    ran = govern("test", str(workspace(tmp_path, ext=FIRES + f"\ntest_reaches_out if {{\n\t{call}\n}}\n")))
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert re.search(rf"^checks/ext_test\.rego:11:\d+: builtin {re.escape(builtin)} is not allowed in govern checks", ran.stderr,
                     re.M), ran.stderr
    assert ran.stdout == ""


def test_a_syntax_error_in_a_test_is_exit_2_at_its_line(tmp_path):
    ran = govern("test", str(workspace(tmp_path, ext=FIRES + "\ntest_broken if {\n\t1 ==\n}\n")))
    assert ran.returncode == 2 and re.search(r"^checks/ext_test\.rego:1[12]:\d+: ", ran.stderr, re.M), ran.stderr


def test_an_invalid_workspace_is_exit_2(tmp_path):
    ran = govern("test", str(tmp_path))
    assert ran.returncode == 2 and "not a govern workspace" in ran.stderr
    root = workspace(tmp_path / "ws", ext=FIRES)
    (root / "governance.yaml").write_text("checks: [checks]\nskip: [NOPE-1]\n", encoding="utf-8")
    ran = govern("test", str(root))
    assert ran.returncode == 2 and "governance.yaml:2:8: skip: unknown check id 'NOPE-1'" in ran.stderr


def test_the_workspaces_definitions_are_data_as_in_check(tmp_path):
    committee = 'test_sees_the_committee if {\n\tdata.govern.definitions.committees.board.chair == "p-ceo"\n}\n'
    ran = govern("test", str(workspace(tmp_path / "board", ext=FIRES + "\n" + committee)))
    assert ran.returncode == 0, ran.stdout
    assert "  data.govern.checks.ext_test.test_sees_the_committee: PASS" in ran.stdout
    # the data is the workspace's own committee, not anything a test would pass on
    other = govern("test", str(workspace(tmp_path / "other", ext=FIRES + "\n" + committee.replace('"p-ceo"', '"p-cto"'))))
    assert other.returncode == 1 and "test_sees_the_committee: FAIL" in other.stdout, other.stdout


# ---------------------------------------------------------------- OPA missing or dead: exit 3


def test_opa_missing_is_exit_3():
    ran = govern("test", str(EXAMPLE), env={**os.environ, "GOVERN_OPA": "/nonexistent/opa"})
    assert ran.returncode == 3 and "OPA v" in ran.stderr and "not found" in ran.stderr
    assert ran.stdout == ""


def test_opa_dying_of_a_test_that_asks_for_all_memory_is_exit_3(tmp_path):
    hungry = FIRES + "\ntest_hungry if {\n\tcount(numbers.range(1, 200000000)) == 0\n}\n"
    ran = govern("test", str(workspace(tmp_path, ext=hungry)), env={**os.environ, "GOVERN_OPA_MEMORY": "256M"})
    assert ran.returncode == 3, ran.stdout + ran.stderr
    assert "its limit is 256 MiB; set GOVERN_OPA_MEMORY to raise it" in ran.stderr
    assert ran.stdout == "" and "Traceback" not in ran.stderr


def test_with_coverage_the_two_opas_share_the_memory_limit(tmp_path):
    """Tests and coverage are two `opa test` runs side by side: each gets half, so together they hold
    no more than GOVERN_OPA_MEMORY allows one OPA."""
    hungry = FIRES + "\ntest_hungry if {\n\tcount(numbers.range(1, 200000000)) == 0\n}\n"
    ran = govern("test", str(workspace(tmp_path, ext=hungry)), "--coverage",
                 env={**os.environ, "GOVERN_OPA_MEMORY": "256M"})
    assert ran.returncode == 3, ran.stdout + ran.stderr
    assert "its limit is 128 MiB (its share of 256 MiB); set GOVERN_OPA_MEMORY to raise it" in ran.stderr
    assert ran.stdout == "" and "Traceback" not in ran.stderr


def test_a_workspace_without_checks_of_its_own_has_nothing_to_cover(tmp_path):
    """Its tests may test the built-in library against its own policy; a threshold has no lines to fail on."""
    root = make_workspace(tmp_path, {"governance.yaml": "checks: [checks]\n", "checks/policy_test.rego": (
        "package govern.checks.policy_test\n\ntest_the_board_is_chaired if {\n"
        '\tdata.govern.definitions.committees.board.chair == "p-ceo"\n}\n')})
    ran = govern("test", str(root), "--threshold", "90")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert lines_of(ran.stdout)[-1] == "coverage: the workspace has no checks of its own to cover"
