"""What a report draws from a check besides its findings (the budget's bands, the pilot's scope,
the overdue goals, the portfolio entry a finding names) is declared in the check's METADATA
(`custom.observes`, `custom.portfolio`) and looked up there: Python names no check, so renaming or
splitting one cannot silently empty a chart."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from governance.engine import EngineError, inspect
from governance.evaluate import readings
from governance.evaluate.policy import catalogue, library_modules
from governance.report import RenderOptions, render
from governance.result import RunResult
from tests import conftest, golden
from tests.conftest import AS_OF, EXAMPLE, check, make_workspace

OBSERVED = {"budget_bands": "BUD-002", "pilot_scope": "STR-009", "overdue_goals": "STR-004", "goal_progress": "STR-011",
            "hand_offs": "DIA-004", "unrooted_pain_points": "DIA-005", "root_cause_removal": "DIA-006"}


@pytest.fixture(scope="module")
def library(opa_binary):
    checks, _, problems = catalogue(inspect(library_modules()))
    assert problems == []
    return checks


def test_every_reading_is_observed_by_exactly_one_builtin_check(library):
    declared = Counter(c.observes for c in library.values() if c.observes)
    assert set(declared) == set(readings.READINGS) and set(declared.values()) == {1}, declared
    assert {c.observes: c.id for c in library.values() if c.observes} == OBSERVED


def test_every_builtin_check_on_the_portfolio_declares_its_entry(library):
    entries = {c.id: c.portfolio for c in library.values() if c.resource == "portfolio"}
    assert entries == {
        "BUD-005": readings.Portfolio(id="spend", policy="budget_policy", field=("required_cost_tags",)),
        "STR-006": readings.Portfolio(id="maturity", policy="strategy_policy", field=()),
        "DIA-007": readings.Portfolio(id="benchmark", policy="strategy_policy", field=()),
    }
    assert not [c.id for c in library.values() if c.portfolio and c.resource != "portfolio"]


# ---------------------------------------------------------------- a renamed check keeps its charts

def _library_copy(tmp_path: Path, edit) -> Path:
    from governance import library

    copy = tmp_path / "library"
    for folder in ("checks", "controls"):
        shutil.copytree(library.library_root() / folder, copy / folder)
    for path in [*(copy / "checks").glob("*.rego"), *(copy / "controls").glob("*.yaml")]:
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


def _run(monkeypatch, root: Path):
    from governance import library
    from governance.evaluate.run import run_check

    monkeypatch.setattr(library, "library_root", lambda: root)
    return run_check(EXAMPLE, dt.date.fromisoformat(AS_OF), opa_url=conftest.shared_opa())


def test_renamed_observing_checks_still_fill_the_budget_chart_the_goal_tree_and_the_pilot(tmp_path, monkeypatch,
                                                                                          opa_binary):
    renamed = {old: old.replace("-0", "-9") for old in OBSERVED.values()}  # BUD-002 -> BUD-902, ...

    def rename(text: str) -> str:
        for old, new in renamed.items():
            text = text.replace(old, new)
        return text

    result = json.loads(_run(monkeypatch, _library_copy(tmp_path, rename)).to_json())
    expected = golden.data("acme")
    assert {c["id"] for c in result["checks"]} >= set(renamed.values())
    assert result["budget"] == expected["budget"] and any(p["bands"] for p in result["budget"]["phases"])
    assert result["strategy"] == expected["strategy"]
    assert any(g["overdue"] for g in result["strategy"]["goals"]) and result["strategy"]["pilot"]


def test_the_budget_charts_badge_is_the_budget_domains_finding_on_the_phase_whatever_the_check_is_called():
    saved = json.dumps(golden.data("acme-expiring")).replace('"BUD-002"', '"BUD-902"')
    html = str(render("html", RunResult.model_validate_json(saved), RenderOptions(lang="en")))
    assert '<span class="badge badge-fail">BUD-902 · ' in html


def test_a_library_where_no_check_observes_a_reading_fails_closed(tmp_path, monkeypatch, opa_binary):
    root = _library_copy(tmp_path, lambda text: text.replace("#   observes: pilot_scope\n", ""))
    with pytest.raises(EngineError, match="no check of the library declares custom.observes: pilot_scope"):
        _run(monkeypatch, root)


# ---------------------------------------------------------------- workspace checks

HOUSE = """\
package govern.checks.house

import data.govern.lib

# METADATA
# title: Always passes
# custom:
#   id: HOUSE-001
#   severity: low
#   waivable: true
{custom}HOUSE_001 := lib.check(rego.metadata.rule(), {{1}}, set())
"""


@pytest.mark.parametrize(("custom", "why"), [
    ("#   observes: budget_bands\n", "custom.observes: budget_bands is observed by BUD-002 already"),
    ("#   observes: morale\n",
     "custom.observes must be one of budget_bands, pilot_scope, overdue_goals, goal_progress, hand_offs, "
     "unrooted_pain_points, root_cause_removal (got 'morale')"),
    ("#   portfolio: {id: spend, at: [strategy_policy]}\n", "custom.portfolio: entry spend is declared by BUD-005 already"),
    ("#   portfolio: {id: morale, at: [people]}\n", "custom.portfolio must be {id: <entry>, at: [<policy kind>"),
], ids=["a reading the library observes", "an unknown reading", "a portfolio entry shown elsewhere",
        "a portfolio entry at no policy"])
def test_a_workspace_check_cannot_claim_a_reading_or_move_a_portfolio_entry(opa_binary, tmp_path, custom, why):
    ws = make_workspace(tmp_path / "ws", {"governance.yaml": "checks: [checks]\n",
                                          "checks/house.rego": HOUSE.format(custom=custom)})
    proc = check(ws)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("checks/house.rego:12:1:") and why in proc.stderr, proc.stderr  # at its rule


# ---------------------------------------------------------------- the portfolio, loaded here or apart

@pytest.mark.parametrize("apart", [False, True], ids=["loaded here", "loaded apart"])
def test_a_portfolio_finding_and_a_waiver_on_it_are_placed_where_its_check_declares(tmp_path, monkeypatch, opa_binary,
                                                                                     apart):
    from governance.evaluate import apart as apart_
    from governance.evaluate.run import run_check
    from governance.load import WorkspaceErrors

    ws = tmp_path / "acme"
    shutil.copytree(EXAMPLE, ws)
    budget = ws / "policies" / "budget.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace("tag_compliance_min: 0.95", "tag_compliance_min: 1.0"),
                      encoding="utf-8")
    waivers = ws / "waivers" / "waivers.yaml"
    waiver = ("\n  - {id: wv-spend, check: BUD-005, resource: {kind: portfolio, id: spend}, justification: x,\n"
              "     requested_by: p-cto, approved_by: p-ceo, approved_at: 2026-11-01, expires: 2026-12-31}\n")
    waivers.write_text(waivers.read_text(encoding="utf-8") + waiver, encoding="utf-8")
    monkeypatch.setattr(apart_, "LARGE", 0 if apart else apart_.LARGE)
    today = dt.date.fromisoformat(AS_OF)
    result = run_check(ws, today, opa_url=conftest.shared_opa())
    [finding] = [f for f in result.findings if f.resource.kind == "portfolio"]
    assert (finding.check, finding.resource.id, finding.status, finding.waiver) == ("BUD-005", "spend", "waived", "wv-spend")
    # custom.portfolio.at: [budget_policy, required_cost_tags]
    assert finding.location and (finding.location.file, finding.location.line) == ("policies/budget.yaml", 11)
    waivers.write_text(waivers.read_text(encoding="utf-8").replace("id: spend}", "id: spent}"), encoding="utf-8")
    with pytest.raises(WorkspaceErrors, match="waiver 'wv-spend' refers to unknown portfolio 'spent'"):
        run_check(ws, today, opa_url=conftest.shared_opa())
