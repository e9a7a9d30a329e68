"""Facts about checks live in their METADATA: each check's domain (declared once per
package, with its titles and reading order) and which checks invalidate a waiver.
Python reads them and re-types none of them."""

from __future__ import annotations

import pytest

from governance.engine import inspect
from governance.evaluate.policy import UNDECLARED_DOMAIN, catalogue, library_modules
from tests.conftest import check, make_workspace


@pytest.fixture(scope="module")
def library(opa_binary):
    checks, domains, problems = catalogue(inspect(library_modules()))
    assert problems == []
    return checks, domains


def test_every_builtin_check_has_a_declared_domain(library):
    checks, domains = library
    undeclared = sorted(c.id for c in checks.values() if c.domain not in domains)
    assert undeclared == [], f"checks whose package declares no domain (package-scope METADATA custom.domain): {undeclared}"
    assert UNDECLARED_DOMAIN not in domains


def test_every_domain_has_both_titles_and_its_own_order(library):
    _, domains = library
    for d in domains.values():
        assert set(d.title) == {"zh", "en"} and all(t.strip() for t in d.title.values()), d
    orders = [d.order for d in domains.values()]
    assert None not in orders and len(set(orders)) == len(orders), orders


def test_the_waiver_invalidating_checks_are_marked_in_metadata(library):
    checks, _ = library
    marked = {c.id for c in checks.values() if c.invalidates_waiver}
    # WAV-001..005 and WAV-007..009 invalidate the waiver they fire on; WAV-006 (an unused waiver) does not
    assert marked == {"WAV-001", "WAV-002", "WAV-003", "WAV-004", "WAV-005", "WAV-007", "WAV-008", "WAV-009"}


def test_the_agenda_checks_are_marked_in_metadata(library):
    """The checks whose findings need a committee decision say so themselves (`custom.agenda: true`);
    `govern agenda` reads the marks and names no check."""
    checks, _ = library
    marked = {c.id for c in checks.values() if c.agenda}
    assert {"GOV-003", "GOV-005", "GOV-006", "GOV-008", "GOV-009", "BUD-003", "BUD-007", "STR-004", "STR-009",
            "WAV-005"} <= marked
    assert not marked & {"GOV-001", "BUD-001", "STR-001", "WAV-006", "PLC-001"}  # the rest are the owners' to fix


MODULE = """\
{block}package govern.checks.house

import data.govern.lib

# METADATA
# title: Always passes
# custom:
#   id: HOUSE-001
#   severity: low
#   waivable: true
HOUSE_001 := lib.check(rego.metadata.rule(), {{1}}, set())
"""

DOMAIN_BLOCK = """\
# METADATA
# scope: package
# title: House rules
# custom:
#   domain:
#     id: {id}
#     order: 50
#     title:
#       zh: {zh}
#       en: House rules
"""


def _run_json(tmp_path, block: str):
    import json

    ws = make_workspace(tmp_path / "ws", {"governance.yaml": "checks: [checks]\n",
                                          "checks/house.rego": MODULE.format(block=block)})
    proc = check(ws, "--format", "json")
    return proc, (json.loads(proc.stdout) if proc.returncode in (0, 1) else None)


def test_a_workspace_package_declares_its_own_domain_and_reports_follow_it(opa_binary, tmp_path):
    proc, result = _run_json(tmp_path, DOMAIN_BLOCK.format(id="house", zh="内部规则"))
    assert proc.returncode in (0, 1), proc.stderr
    assert next(c for c in result["checks"] if c["id"] == "HOUSE-001")["domain"] == "house"
    ids = [d["id"] for d in result["domains"]]
    # reading order: the built-in six (orders 1-6), then house (50)
    assert ids[-1] == "house" and ids[0] == "committee", ids
    assert result["domains"][-1]["title"] == {"zh": "内部规则", "en": "House rules"}


def test_a_package_without_a_domain_puts_its_checks_under_custom(opa_binary, tmp_path):
    proc, result = _run_json(tmp_path, "")
    assert proc.returncode in (0, 1), proc.stderr
    assert next(c for c in result["checks"] if c["id"] == "HOUSE-001")["domain"] == UNDECLARED_DOMAIN
    assert result["domains"][-1] == {"id": UNDECLARED_DOMAIN, "title": {}, "order": None}


def test_a_workspace_cannot_retitle_a_builtin_domain(opa_binary, tmp_path):
    proc, _ = _run_json(tmp_path, DOMAIN_BLOCK.format(id="budget", zh="随便"))
    assert proc.returncode == 2, proc.stderr
    assert "checks/house.rego:11:1:" in proc.stderr  # at its package line
    assert "domain budget is declared already, differently" in proc.stderr


def test_a_malformed_domain_is_exit_2_at_its_block(opa_binary, tmp_path):
    proc, _ = _run_json(tmp_path, DOMAIN_BLOCK.format(id="Not An Id", zh="x"))
    assert proc.returncode == 2, proc.stderr
    assert "checks/house.rego:11:1:" in proc.stderr  # at its package line
    assert "custom.domain must be an object with an id" in proc.stderr


AGENDA_MODULE = """\
package govern.checks.house

import data.govern.lib

# METADATA
# title: Always fires
# custom:
#   id: HOUSE-001
#   severity: low
#   waivable: true
#   resource: committee
#   agenda: {agenda}
HOUSE_001 := lib.check(rego.metadata.rule(), {{"c": 1}}, {{lib.violation("committee", "c", {{"en": "x", "zh": "x"}})}})
"""


@pytest.mark.parametrize("agenda, marked", [("true", True), ("false", False)])
def test_a_workspace_check_marks_its_own_findings_for_the_agenda(opa_binary, tmp_path, agenda, marked):
    import json

    ws = make_workspace(tmp_path / "ws", {"governance.yaml": "checks: [checks]\n",
                                          "checks/house.rego": AGENDA_MODULE.format(agenda=agenda)})
    proc = check(ws, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    assert next(c for c in json.loads(proc.stdout)["checks"] if c["id"] == "HOUSE-001")["agenda"] is marked


def test_an_agenda_mark_that_is_not_true_or_false_is_exit_2_at_its_check(opa_binary, tmp_path):
    ws = make_workspace(tmp_path / "ws", {"governance.yaml": "checks: [checks]\n",
                                          "checks/house.rego": AGENDA_MODULE.format(agenda='"yes"')})
    proc = check(ws, "--format", "json")
    assert proc.returncode == 2, proc.stderr
    assert "checks/house.rego:" in proc.stderr and "custom.agenda must be true or false" in proc.stderr
