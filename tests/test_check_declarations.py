"""A check reports as its METADATA declares: reviewers read the METADATA, so the object a rule hands
to lib.check may not say otherwise (severity, waivable, title, resource kind), and its findings are of
the kind it declares. A workspace check that differs is exit 2 at its rule; a built-in one is a bug
of the library (exit 3). Evaluated on real OPA.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.engine import CheckOutcome, EngineError, Violation
from governance.evaluate.policy import DeclaredCheck, _as_declared, blame
from governance.load import Location, WorkspaceErrors
from tests.conftest import check

HEAD = "package govern.checks.declared\n\nimport data.govern.lib\n\n"
DECLARATION = """# METADATA
# title: Every system names its owner
# description: A system without an owner has nobody to answer for it.
# custom:
#   id: DEC-001
#   severity: low
#   waivable: false
#   resource: system
"""
# what rego.metadata.rule() gives for DECLARATION, written out as a literal
AS_DECLARED = {"title": "Every system names its owner",
               "description": "A system without an owner has nobody to answer for it.",
               "custom": {"id": "DEC-001", "severity": "low", "waivable": False, "resource": "system"}}


def module(meta: dict | None = None, kind: str = "system") -> str:
    """A check declared by DECLARATION that fires once, handing lib.check `meta` (rego.metadata.rule() if None)."""
    given = "rego.metadata.rule()" if meta is None else json.dumps(meta)
    return (HEAD + DECLARATION
            + f'DECLARED_001 := lib.check({given}, {{"sys-x"}}, {{lib.violation("{kind}", "sys-x", "no owner")}})\n')


def run(example: Path, text: str, *args: str):
    (example / "checks" / "declared.rego").write_text(text, encoding="utf-8")
    return check(example, "--format", "json", "--fail-on", "low", *args)


def rule_at(text: str) -> str:
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith("DECLARED_001"))
    return f"checks/declared.rego:{line}:1"


def differing(path: tuple[str, ...], value: object) -> dict:
    meta = json.loads(json.dumps(AS_DECLARED))
    target = meta
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return meta


@pytest.mark.parametrize("path, value, said", [
    (("custom", "severity"), "info", 'custom.severity "info" where it declares "low"'),
    (("custom", "waivable"), True, "custom.waivable true where it declares false"),
    (("title",), "Harmless", 'title "Harmless" where it declares "Every system names its owner"'),
    (("custom", "resource"), "dataset", 'custom.resource "dataset" where it declares "system"'),
], ids=["severity", "waivable", "title", "resource"])
def test_a_runtime_object_that_differs_from_the_declaration_is_exit_2_at_the_rule(opa_binary, example, path, value, said):
    text = module(differing(path, value))
    proc = run(example, text)
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    assert f"{rule_at(text)}: check DEC-001 reports {said}" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_low_unwaivable_check_reported_as_waivable_info_is_refused(opa_binary, example):
    meta = differing(("custom", "severity"), "info")
    meta["custom"]["waivable"] = True
    proc = run(example, module(meta))
    assert proc.returncode == 2
    assert 'custom.severity "info" where it declares "low"; custom.waivable true where it declares false' in proc.stderr


def test_findings_of_another_kind_than_declared_are_exit_2_at_the_rule(opa_binary, example):
    text = module(kind="dataset")
    proc = run(example, text)
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"{rule_at(text)}: check DEC-001 reports findings on dataset where it declares resource system" in proc.stderr


@pytest.mark.parametrize("meta", [None, AS_DECLARED], ids=["rego.metadata.rule()", "an equal literal"])
def test_a_check_that_reports_as_declared_runs(opa_binary, example, meta):
    proc = run(example, module(meta))
    assert proc.returncode == 1, proc.stderr  # its low finding fails the run at --fail-on low
    result = json.loads(proc.stdout)
    [finding] = [f for f in result["findings"] if f["check"] == "DEC-001"]
    assert (finding["severity"], finding["status"], finding["resource"]["kind"]) == ("low", "fail", "system")
    [summary] = [c for c in result["checks"] if c["id"] == "DEC-001"]
    assert (summary["title"], summary["waivable"], summary["resource"]) == ("Every system names its owner", False, "system")


def _declared(module: str) -> DeclaredCheck:
    return DeclaredCheck(id="BUD-001", rule=("govern", "checks", "budget", "BUD_001"), module=module,
                         location=Location("x.rego", 7, 1), domain="budget", invalidates_waiver=False,
                         title={"en": "Budget"}, description="", severity="high", waivable=True, resource="budget_line")


def _outcome(severity: str) -> CheckOutcome:
    return CheckOutcome(id="BUD-001", rule=("checks", "budget", "BUD_001"), title="Budget", title_zh=None, description="",
                        severity=severity, waivable=True, resource="budget_line", evaluated=1,  # type: ignore[arg-type]
                        violations=(Violation(kind="budget_line", id="bl-1", message="m"),))


def test_a_builtin_check_that_differs_is_a_library_bug_not_the_workspaces():
    assert _as_declared(_declared("govern/checks/budget.rego"), _outcome("high")) == []
    problems = _as_declared(_declared("govern/checks/budget.rego"), _outcome("low"))
    assert isinstance(blame(problems), EngineError)  # exit 3
    assert "govern/checks/budget.rego:7:1: check BUD-001 reports custom.severity" in str(blame(problems))
    assert isinstance(blame(_as_declared(_declared("workspace/checks/b.rego"), _outcome("low"))), WorkspaceErrors)
