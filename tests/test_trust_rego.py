"""Workspace Rego is untrusted code (docs/security.md).

It may call only pure, deterministic builtins; its faults are exit 2 at its
workspace-relative file:line:col in `validate` and `check` alike; it may add
checks but never alter a built-in one; and a check that would vanish from the
report (no METADATA id, undefined) is named instead.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from governance.engine.capabilities import allowed_builtins, current
from tests.conftest import AS_OF, EXAMPLE, Ran, check, govern

HEAD = "package govern.checks.evil\n\nimport data.govern.lib\n\n"


def check_rule(cid: str, body: str = "set()", subjects: str = "{1}") -> str:
    return f"""# METADATA
# title: {cid} under test
# custom:
#   id: {cid}
#   severity: low
#   waivable: true
EVIL_{cid.replace('-', '_')} := lib.check(rego.metadata.rule(), {subjects}, {body})
"""


def with_module(example: Path, text: str, name: str = "evil.rego") -> Path:
    (example / "checks" / name).write_text(text, encoding="utf-8")
    return example


def both(ws: Path) -> tuple[Ran, Ran]:
    return govern("validate", str(ws)), check(ws, "--format", "json")


def line_col(text: str, needle: str) -> str:
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return f"{n}:{line.index(needle) + 1}"
    raise AssertionError(needle)


REFUSED = {
    "http.send": 'http.send({"method": "get", "url": "http://127.0.0.1:9/"})',
    "net.lookup_ip_addr": 'net.lookup_ip_addr("example.com")',
    "opa.runtime": "opa.runtime().env",
    "time.now_ns": "time.now_ns()",
    "rand.intn": 'rand.intn("x", 10)',
    "uuid.rfc4122": 'uuid.rfc4122("x")',
    "io.jwt.decode_verify": 'io.jwt.decode_verify("a.b.c", {"secret": "s"})',
}


@pytest.mark.parametrize("builtin", sorted(REFUSED))
def test_a_refused_builtin_is_exit_2_at_its_call(opa_binary, example, builtin):
    text = (HEAD + f"leak := {REFUSED[builtin]}\n"
            + check_rule("EV-001", '{v | v := lib.violation("system", "x", sprintf("%v", [leak]))}'))
    ws = with_module(example, text)
    validate = govern("validate", str(ws))
    assert validate.returncode == 2, validate.stderr
    where = f"checks/evil.rego:{line_col(text, REFUSED[builtin])}"
    assert f"{where}: builtin {builtin} is not allowed" in validate.stderr
    assert "Traceback" not in validate.stderr


def test_check_refuses_what_validate_refuses_before_any_opa_server(opa_binary, example):
    text = (HEAD + "secrets := opa.runtime().env\n"
            + check_rule("EV-001", '{v | some k, _ in secrets; v := lib.violation("system", k, k)}'))
    validate, check = both(with_module(example, text))
    assert validate.returncode == check.returncode == 2
    assert check.stdout == ""
    assert "checks/evil.rego:5:12: builtin opa.runtime is not allowed" in check.stderr


def test_the_allow_list_keeps_out_the_network_the_environment_the_clock_and_randomness(opa_binary):
    shipped = {b["name"]: b for b in current(opa_binary)["builtins"]}
    allowed = allowed_builtins()
    assert allowed <= set(shipped), f"not builtins of the pinned OPA: {sorted(allowed - set(shipped))}"
    assert [n for n in allowed if shipped[n].get("nondeterministic")] == []
    refused = {"http.send", "opa.runtime", "time.now_ns", "json.verify_schema", "json.match_schema",
               "crypto.x509.parse_and_verify_certificates", "crypto.x509.parse_and_verify_certificates_with_options"}
    assert not allowed & refused
    assert not [n for n in allowed if n.startswith(("net.", "rand.", "uuid.", "http.", "opa."))]
    # every builtin of the pinned OPA was looked at: it is either allowed or refused for a stated reason
    unreviewed = set(shipped) - allowed - refused
    assert all(n.startswith(("net.", "rand.", "uuid.", "io.jwt.")) or shipped[n].get("nondeterministic")
               for n in unreviewed), sorted(unreviewed)


def test_the_builtin_library_is_held_to_the_same_list(opa_binary):
    from governance.engine import inspect
    from governance.evaluate.policy import library_modules

    found = inspect(library_modules())  # raises RegoErrors if any module calls a refused builtin
    assert len(found.packages) == len(library_modules())


@pytest.mark.parametrize("text, needle", [
    (HEAD + "x := {\n", None),
    (HEAD + "x := undefined_fn(1)\n", "undefined_fn(1)"),
    (HEAD + "x := yy\n", "yy"),  # unsafe variable
])
def test_rego_syntax_and_compile_errors_are_exit_2_in_validate_and_check(opa_binary, example, text, needle):
    validate, check = both(with_module(example, text))
    assert validate.returncode == check.returncode == 2, (validate.stderr, check.stderr)
    assert check.stdout == ""
    for proc in (validate, check):
        assert "checks/evil.rego:" in proc.stderr and "Traceback" not in proc.stderr
        assert str(example) not in proc.stderr  # workspace-relative, never the runner's path
        if needle:
            assert f"checks/evil.rego:{line_col(text, needle)}" in proc.stderr


def test_a_conflict_only_evaluation_can_show_is_exit_2_in_check(opa_binary, example):
    text = HEAD + "x := 1\n\nx := 2\n"
    validate, check = both(with_module(example, text))
    assert validate.returncode == 0  # OPA finds conflicting values only when it evaluates them
    assert check.returncode == 2 and check.stdout == ""
    assert "checks/evil.rego:7:1: eval_conflict_error" in check.stderr


def test_a_rego_file_that_is_not_utf8_is_exit_2(opa_binary, example):
    (example / "checks" / "evil.rego").write_bytes(b"package govern.checks.evil\n# \xff\xfe\n")
    validate, check = both(example)
    assert validate.returncode == check.returncode == 2
    assert "checks/evil.rego" in check.stderr


# ------------------------------------------------------------ built-in checks cannot be altered

BETWEEN_ATTACK = "package govern.checks.budget\n\n_between(n, range) if {\n\tn > -1000000\n}\n"


@pytest.mark.parametrize("package", [
    "govern.checks.budget", "govern.lib", "govern.main", "govern.waiver_checks", "govern.action_checks", "govern.checks",
    "govern.checks.budget.extra", "govern", "govern.checks.evil.deeper", "other.place", 'govern.checks["budget"]',
    "govern.vocabulary",
])
def test_a_workspace_module_in_a_library_package_or_outside_govern_checks_is_exit_2(opa_binary, example, package):
    text = f"package {package}\n\nx := 1\n"
    validate = govern("validate", str(with_module(example, text)))
    assert validate.returncode == 2, validate.stdout
    assert "checks/evil.rego:1:1: " in validate.stderr
    assert "package govern.checks.<name>" in validate.stderr or "built-in library" in validate.stderr


def _builtin_results(result: dict) -> tuple[list, list]:
    own = ("EV-", "ACME-")
    return ([f for f in result["findings"] if not f["check"].startswith(own)],
            [c for c in result["checks"] if not c["id"].startswith(own)])


ATTACKS = {
    "extends _between in the budget package": BETWEEN_ATTACK,
    "redefines a library function": "package govern.lib\n\nwithin_days(d, n) := true\n",
    "ref head into another package": HEAD + "data.govern.checks.budget.BUD_006 := {}\n",
    "shadows lib with an import alias": "package govern.checks.evil\n\nimport data.govern.checks.budget as lib\n\nx := lib\n",
    "same id as a built-in check": HEAD + check_rule("BUD-006"),
    "a check that is always undefined": HEAD + check_rule("EV-002").rstrip() + " if false\n",
    "a waiver check of its own": "package govern.waiver_checks\n\nimport data.govern.lib\n\n" + check_rule("WAV-001"),
    # the product's words are the library's: the Chinese messages of the built-in checks read them
    "renames a deployment in the vocabulary": "package govern.vocabulary.names.deployments\n\npublic := {\"zh\": \"私有云\"}\n",
    "ref head into the vocabulary": HEAD + 'data.govern.vocabulary.names.levels.restricted := {"zh": "公开"}\n',
}


def test_no_workspace_module_changes_a_builtin_result(opa_binary, example, tmp_path, acme_result):
    expected = _builtin_results(acme_result)
    outcomes = {}
    for name, text in ATTACKS.items():
        ws = tmp_path / name.replace(" ", "-")
        shutil.copytree(example, ws)
        proc = check(with_module(ws, text), "--format", "json")  # the attack is in the workspace's checks
        outcomes[name] = proc.returncode
        if proc.returncode == 2:  # refused, at the module
            assert "checks/evil.rego:" in proc.stderr, (name, proc.stderr)
            continue
        assert proc.returncode == 1, (name, proc.stderr)
        assert _builtin_results(json.loads(proc.stdout)) == expected, name
    # both ways are exercised: some attacks are refused, and some evaluate and change nothing built in
    assert set(outcomes.values()) == {1, 2}, outcomes


def test_the_budget_between_attack_is_refused_and_bud_006_still_fires(opa_binary, example):
    proc = check(with_module(example, BETWEEN_ATTACK), "--format", "json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "checks/evil.rego:1:1: package govern.checks.budget belongs to the built-in library" in proc.stderr


# ------------------------------------------------------------ checks never vanish silently

def test_metadata_without_a_custom_id_is_exit_2_at_the_rule(opa_binary, example):
    text = HEAD + check_rule("EV-001").replace("#   id: EV-001\n", "")
    proc = govern("validate", str(with_module(example, text)))
    assert proc.returncode == 2
    where = f"checks/evil.rego:{line_col(text, 'EVIL_EV_001')}"
    assert f"{where}: METADATA of rule govern.checks.evil.EVIL_EV_001 has no custom.id" in proc.stderr


def test_a_check_shaped_value_without_metadata_is_exit_2_at_the_rule(opa_binary, example):
    text = HEAD + 'FORGOT := {"evaluated": 3, "violations": set()}\n'
    validate, check = both(with_module(example, text))
    assert validate.returncode == 0, validate.stderr  # only evaluation shows what a rule's value is
    assert check.returncode == 2 and check.stdout == ""
    where = f"checks/evil.rego:{line_col(text, 'FORGOT')}"
    assert f"{where}: rule govern.checks.evil.FORGOT looks like a check result" in check.stderr


@pytest.mark.parametrize("cid", ["BUD-003", "EV-404"])
def test_a_literal_claiming_a_check_id_is_exit_2_at_its_rule(opa_binary, example, cid):
    meta = f'{{"title": "forged", "custom": {{"id": "{cid}", "severity": "low", "waivable": true}}}}'
    text = HEAD + f'FORGED := {{"meta": {meta}, "evaluated": 1, "violations": set()}}\n'
    proc = check(with_module(example, text), "--format", "json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert (f"checks/evil.rego:{line_col(text, 'FORGED')}: rule govern.checks.evil.FORGED reports check id {cid}, "
            "which its METADATA does not declare") in proc.stderr


def test_a_declared_check_that_produces_no_result_is_exit_2(opa_binary, example):
    text = HEAD + check_rule("EV-003").rstrip() + " if input.no_such_thing\n"
    proc = check(with_module(example, text))
    assert proc.returncode == 2
    assert f"checks/evil.rego:{line_col(text, 'EVIL_EV_003')}: check EV-003 produced no result" in proc.stderr


def test_a_check_without_severity_or_with_a_bad_one_is_exit_2(opa_binary, example):
    text = HEAD + check_rule("EV-004").replace("severity: low", "severity: urgent")
    proc = govern("validate", str(with_module(example, text)))
    assert proc.returncode == 2 and "check EV-004: custom.severity must be one of" in proc.stderr


def test_two_checks_with_one_id_are_exit_2(opa_binary, example):
    text = HEAD + check_rule("ACME-001")
    proc = govern("validate", str(with_module(example, text)))
    assert proc.returncode == 2
    # the example's own declaration is the second one read: blamed at its rule, pointing at the first
    lines = (example / "checks" / "ownership.rego").read_text(encoding="utf-8").splitlines()
    line = next(i for i, x in enumerate(lines, 1) if x.startswith("ACME_001 :="))
    assert f"checks/ownership.rego:{line}:1: check id ACME-001 is declared already (at checks/evil.rego:11:1)" in proc.stderr


def test_a_workspace_check_reusing_a_builtin_id_is_the_one_refused(opa_binary, example):
    proc = govern("validate", str(with_module(example, HEAD + check_rule("BUD-006"))))
    assert proc.returncode == 2
    assert "checks/evil.rego:11:1: check id BUD-006 is declared already (at <govern>/checks/budget.rego:" in proc.stderr


def test_a_runtime_builtin_error_in_a_workspace_check_is_exit_2_at_the_call(opa_binary, example):
    body = '{v | x := to_number("not a number"); x == 1; v := lib.violation("system", "a", "b")}'
    text = HEAD + check_rule("EV-005", body)
    proc = check(with_module(example, text), "--format", "json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"checks/evil.rego:{line_col(text, 'to_number')}: eval_builtin_error: to_number" in proc.stderr


def test_a_control_naming_an_unknown_check_is_exit_2_at_the_control(opa_binary, example):
    controls = example / "controls" / "acme.yaml"
    text = controls.read_text(encoding="utf-8").replace("ACME-001", "ACME-999", 1)
    controls.write_text(text, encoding="utf-8")
    validate, check = both(example)
    assert validate.returncode == check.returncode == 2
    assert f"controls/acme.yaml:{line_col(text, 'ACME-999')}: control" in validate.stderr
    assert "names unknown check ACME-999" in validate.stderr


def test_the_example_is_valid_and_validate_counts_its_checks(opa_binary):
    proc = govern("validate", str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert "70 checks" in proc.stdout


@pytest.mark.parametrize("ref", ["data.payments.secrets", "data.system.authz", "data.govern_input", "data[name]",
                                 "object.keys(data)"])
def test_a_workspace_check_reads_data_govern_only(opa_binary, example, ref):
    text = HEAD + "some_name := \"x\"\n\n" + f"leak := {ref.replace('name', 'some_name')}\n"
    validate, check = both(with_module(example, text))
    assert validate.returncode == check.returncode == 2, (validate.stdout, validate.stderr)
    assert "checks/evil.rego:7:" in validate.stderr
    assert "may read data.govern only" in validate.stderr or "recursive" in validate.stderr


def test_a_workspace_check_cannot_read_another_tenants_data_on_a_shared_server(opa_binary, example, running_opa):
    import requests

    secret = {"db_password": "hunter2-" + "x" * 8}
    assert requests.put(f"{running_opa}/v1/data/payments/secrets", json=secret, timeout=5).status_code == 204
    body = '{v | v := lib.violation("system", "s", json.marshal(data.payments.secrets))}'
    proc = govern("check", str(with_module(example, HEAD + check_rule("EV-006", body))), "--as-of", AS_OF,
                  "--format", "json", "--opa-url", running_opa)
    assert proc.returncode == 2 and "may read data.govern only, not data.payments.secrets" in proc.stderr
    assert "hunter2" not in proc.stdout + proc.stderr


def test_a_malformed_literal_claiming_a_builtin_id_is_blamed_on_its_rule(opa_binary, example):
    text = HEAD + ('FAKE := {"meta": {"title": "x", "custom": {"id": "BUD-001", "severity": "bogus", "waivable": true}}, '
                   '"evaluated": 1, "violations": []}\n')
    proc = check(with_module(example, text), "--format", "json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"checks/evil.rego:{line_col(text, 'FAKE')}: check BUD-001: unexpected result shape" in proc.stderr


@pytest.mark.parametrize("key, value", [("domain", "{a: 1}"), ("resource", "[1]")])
def test_metadata_that_reports_cannot_show_is_exit_2_in_validate(opa_binary, example, key, value):
    text = HEAD + check_rule("EV-007").replace("#   waivable: true\n", f"#   waivable: true\n#   {key}: {value}\n")
    validate, check = both(with_module(example, text))
    assert validate.returncode == check.returncode == 2
    assert f"check EV-007: custom.{key} must be text" in validate.stderr


@pytest.mark.parametrize("text, where", [
    (HEAD + "x := " + "[" * 65 + "1" + "]" * 65 + "\n", "checks/evil.rego:5:70: Rego nested more than 64 levels deep"),
    (HEAD + "x := 1\n" + "# padding\n" * 120_000, "checks/evil.rego:1:1: a Rego module may be at most 1024 KiB"),
])
def test_rego_too_deep_or_too_large_is_exit_2_before_opa_parses_it(opa_binary, example, text, where):
    validate, check = both(with_module(example, text))
    assert validate.returncode == check.returncode == 2
    assert where in validate.stderr and where in check.stderr
