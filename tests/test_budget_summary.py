"""The budget section of the RunResult: category shares per phase, on the basis of BUD-002
(every budget line of every project in the phase), computed without OPA."""

from __future__ import annotations

import pytest

from governance.evaluate.budget import summarize
from governance.evaluate.run import load
from governance.result import RunResult
from tests.conftest import make_workspace

POLICY = """\
kind: BudgetPolicy
id: budget-test
currency: EUR
categories: [technology, talent, operations]
tolerance_pp: 5
phases:
  - {id: pilot,    months: [1, 6],  target_share: {technology: 0.60}}
  - {id: scale_up, months: [7, 18], target_share: {talent: 0.30, operations: 0.30}}
  - {id: deepen,   months: [19, 36]}
"""

PROJECTS = """\
projects:
  - id: prj-b
    phase: pilot
    start: 2026-01-01
    end: 2026-12-31
    budget_lines:
      - {id: bl-1, category: technology, amount: 300, owner: p-cto}
      - {id: bl-2, category: talent, amount: 100, owner: p-cto}
  - id: prj-a
    phase: pilot
    start: 2026-01-01
    end: 2026-12-31
    budget_lines:
      - {id: bl-3, category: technology, amount: 300, owner: p-cto}
      - {id: bl-4, category: travel, amount: 300, owner: p-cto}
  - id: prj-c
    phase: scale_up
    start: 2026-01-01
    end: 2026-12-31
    budget_lines:
      - {id: bl-5, category: operations, amount: 2.5, owner: p-cto}
      - {id: bl-6, category: operations, amount: 5, owner: p-cto}
  - id: prj-empty
    phase: scale_up
    start: 2026-01-01
    end: 2026-12-31
  - id: prj-unphased
    start: 2026-01-01
    end: 2026-12-31
    budget_lines:
      - {id: bl-7, category: talent, amount: 999, owner: p-cto}
"""


@pytest.fixture
def summary(tmp_path):
    ws = load(make_workspace(tmp_path, {"policies/budget.yaml": POLICY, "inventory/projects.yaml": PROJECTS}))
    return summarize(ws.budget_policy, ws.inventory.projects)


def test_shares_are_over_every_line_of_every_project_in_the_phase(summary):
    pilot = summary.phases[0]
    assert pilot.id == "pilot" and pilot.months == (1, 6)
    assert pilot.projects == ["prj-a", "prj-b"]
    assert pilot.lines == 4
    assert pilot.total == 1000
    assert pilot.amounts == {"talent": 100, "technology": 600, "travel": 300}
    # a category outside the policy still counts towards the total, as in BUD-002
    assert pilot.shares == {"talent": 0.1, "technology": 0.6, "travel": 0.3}
    assert pilot.targets == {"technology": 0.6}


def test_one_category_phase_and_fractional_amounts(summary):
    scale_up = summary.phases[1]
    assert scale_up.projects == ["prj-c", "prj-empty"]  # a project without lines is in the phase, adds nothing
    assert scale_up.lines == 2
    assert scale_up.total == 7.5
    assert scale_up.shares == {"operations": 1.0}
    assert scale_up.targets == {"operations": 0.3, "talent": 0.3}


def test_phase_without_lines_has_no_shares_and_unphased_projects_are_left_out(summary):
    deepen = summary.phases[2]
    assert (deepen.lines, deepen.total, deepen.amounts, deepen.shares, deepen.targets) == (0, 0, {}, {}, {})
    assert all("prj-unphased" not in p.projects for p in summary.phases)
    assert sum(p.total for p in summary.phases) == 1007.5  # bl-7's 999 is in no phase


def test_policy_fields_and_category_order(summary):
    assert (summary.policy, summary.currency, summary.tolerance_pp) == ("budget-test", "EUR", 5)
    assert [p.id for p in summary.phases] == ["pilot", "scale_up", "deepen"]  # the policy's order
    assert summary.categories == ["technology", "talent", "operations", "travel"]  # policy's, then found


def test_shares_are_rounded_to_six_digits(tmp_path):
    projects = """\
projects:
  - id: prj-x
    phase: pilot
    start: 2026-01-01
    end: 2026-12-31
    budget_lines:
      - {id: bl-1, category: technology, amount: 1, owner: p-cto}
      - {id: bl-2, category: talent, amount: 2, owner: p-cto}
"""
    ws = load(make_workspace(tmp_path, {"policies/budget.yaml": POLICY, "inventory/projects.yaml": projects}))
    assert summarize(ws.budget_policy, ws.inventory.projects).phases[0].shares == {"talent": 0.666667, "technology": 0.333333}


def test_no_budget_policy_means_no_budget_section(tmp_path):
    ws = load(make_workspace(tmp_path, {}))
    assert summarize(ws.budget_policy, ws.inventory.projects) is None


def test_round_trips_through_the_run_result_json(summary):
    """`govern report` re-renders from saved JSON: the section must survive it unchanged."""
    base = {"as_of": "2026-11-25", "tool": {"version": "0"}, "inputs": [], "findings": [], "checks": [],
            "engine": {"opa_version": "1", "policy_revision": "sha256:x"},
            "summary": {"fail": 0, "waived": 0, "by_severity": {}}}
    result = RunResult(**base, budget=summary)
    again = RunResult.model_validate_json(result.to_json())
    assert again.budget == summary
    assert again.to_json() == result.to_json()
    assert RunResult(**base).budget is None
