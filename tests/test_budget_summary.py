"""The budget section of the RunResult: category shares per phase, on the basis of BUD-002
(every budget line of every project in the phase), computed without OPA."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from governance.evaluate.budget import summarize
from governance.evaluate.run import load
from governance.result import RunResult
from tests.conftest import AS_OF, check, make_workspace
from tests.reports_support import acme_budget

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


def of(ws, as_of: str = AS_OF):
    inv = ws.inventory
    return summarize(ws.budget_policy, inv.projects, inv.spend, inv.decisions, dt.date.fromisoformat(as_of))


@pytest.fixture
def summary(tmp_path):
    ws = load(make_workspace(tmp_path, {"policies/budget.yaml": POLICY, "inventory/projects.yaml": PROJECTS}))
    return of(ws)


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
    assert of(ws).phases[0].shares == {"talent": 0.666667, "technology": 0.333333}


def test_no_budget_policy_means_no_budget_section(tmp_path):
    ws = load(make_workspace(tmp_path, {}))
    assert of(ws) is None


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


# ---------------------------------------------------------------- plan against spend, and burn


SPEND = """\
spend:
  - {id: sp-1, budget_line: bl-1, amount: 200, date: 2026-03-01}
  - {id: sp-2, budget_line: bl-4, amount: 50, date: 2026-11-25}
  - {id: sp-3, budget_line: bl-4, amount: 1000, date: 2026-11-26}
  - {id: sp-4, budget_line: bl-5, amount: 1.5, date: 2026-02-01}
  - {id: sp-5, budget_line: bl-7, amount: 9, date: 2026-02-01}
"""


def test_spend_is_summed_per_category_and_phase_up_to_as_of(tmp_path):
    ws = load(make_workspace(tmp_path, {"policies/budget.yaml": POLICY, "inventory/projects.yaml": PROJECTS,
                                        "inventory/spend.yaml": SPEND}))
    summary = of(ws)
    pilot, scale_up, deepen = summary.phases
    # sp-2 is dated on as_of and counts; sp-3 is dated the day after and has not happened yet
    assert (pilot.spent, pilot.spent_total) == ({"talent": 0, "technology": 200, "travel": 50}, 250)
    assert pilot.spent_shares == {"talent": 0.0, "technology": 0.8, "travel": 0.2}
    assert (scale_up.spent, scale_up.spent_total) == ({"operations": 1.5}, 1.5)
    assert (deepen.spent, deepen.spent_total, deepen.spent_shares) == ({}, 0, {})
    # every project's lines, the unphased one too (bl-7 and its spend)
    assert summary.planned == {"operations": 7.5, "talent": 1099, "technology": 600, "travel": 300}
    assert summary.spent == {"operations": 1.5, "talent": 9, "technology": 200, "travel": 50}
    assert of(ws, "2026-11-26").phases[0].spent["travel"] == 1050


def test_lines_spent_above_their_amount_are_listed_by_id(tmp_path):
    spend = SPEND + "  - {id: sp-6, budget_line: bl-2, amount: 100, date: 2026-03-01}\n" \
                    "  - {id: sp-7, budget_line: bl-2, amount: 0.5, date: 2026-03-02}\n"
    ws = load(make_workspace(tmp_path, {"policies/budget.yaml": POLICY, "inventory/projects.yaml": PROJECTS,
                                        "inventory/spend.yaml": spend}))
    # bl-2 (100) spent 100.5: above; bl-4 (300) spent 50 by as_of and 1000 more the day after: all spend on a
    # line counts, whatever its date, as BUD-003 counts it
    assert [(x.id, x.project, x.category, x.amount, x.spent) for x in of(ws).overspent] == [
        ("bl-2", "prj-b", "talent", 100, 100.5), ("bl-4", "prj-a", "travel", 300, 1050)]
    assert [x.id for x in of(ws, "2026-01-01").overspent] == ["bl-2", "bl-4"]
    exactly = spend.replace("amount: 0.5", "amount: 0")
    ws = load(make_workspace(tmp_path / "exactly", {"policies/budget.yaml": POLICY, "inventory/projects.yaml": PROJECTS,
                                                    "inventory/spend.yaml": exactly}))
    assert [x.id for x in of(ws).overspent] == ["bl-4"]  # bl-2 spent exactly its amount: not above it


ON_THE_EDGES = """\
  - id: prj-starts
    start: 2026-11-25
    end: 2026-12-31
    budget_lines:
      - {id: bl-8, category: talent, amount: 10, owner: p-cto}
  - id: prj-ends
    start: 2026-01-01
    end: 2026-11-25
    budget_lines:
      - {id: bl-9, category: talent, amount: 10, owner: p-cto}
"""


def test_burn_of_running_projects_against_approval_and_time(tmp_path):
    decisions = """\
decisions:
  - {id: d-small, type: budget_allocation, amount: 300, subject: {kind: project, id: prj-b}}
  - {id: d-big, type: budget_allocation, amount: 350, subject: {kind: project, id: prj-b}}
  - {id: d-other, type: budget_reallocation, amount: 9000, subject: {kind: project, id: prj-b}}
  - {id: d-none, type: budget_allocation, subject: {kind: project, id: prj-a}}
"""
    projects = PROJECTS.replace("id: prj-unphased\n    start: 2026-01-01", "id: prj-unphased\n    start: 2026-11-26")
    projects += ON_THE_EDGES
    ws = load(make_workspace(tmp_path, {"policies/budget.yaml": POLICY, "inventory/projects.yaml": projects,
                                        "inventory/spend.yaml": SPEND, "inventory/decisions.yaml": decisions}))
    burn = {b.id: b for b in of(ws).projects}
    # prj-empty has no lines; prj-unphased has not started; prj-starts and prj-ends start or end on as_of:
    # running is start < as_of < end, as BUD-004 has it
    assert sorted(burn) == ["prj-a", "prj-b", "prj-c"]
    b = burn["prj-b"]
    assert (b.budget, b.approved, b.spent, b.spent_share) == (400, 350, 200, 0.5)  # the largest allocation, not summed
    assert (b.elapsed_days, b.days, b.time_share) == (328, 364, round(328 / 364, 6))
    assert (b.name, b.phase, b.start, b.end) == (None, "pilot", "2026-01-01", "2026-12-31")
    assert (burn["prj-a"].approved, burn["prj-a"].spent) == (None, 50)  # a decision without an amount approves nothing
    assert of(ws, "2027-01-01").projects == []  # every project has ended


def test_acme_plan_and_spend_computed_from_its_files(acme_result):
    """The result's numbers on acme, against a count made from its YAML and CSV (reports_support.acme_budget)."""
    expected = acme_budget()
    budget = RunResult.model_validate_json(json.dumps(acme_result)).budget
    assert budget is not None
    assert budget.planned == expected.planned and budget.spent == expected.spent
    assert sum(budget.spent.values()) == 9_700_000
    assert {p.id: p.total for p in budget.phases} == expected.phase_planned
    assert {p.id: p.spent_total for p in budget.phases} == expected.phase_spent
    assert {b.id: (b.budget, b.spent, b.elapsed_days, b.days) for b in budget.projects} == expected.running
    assert [(x.id, x.amount, x.spent) for x in budget.overspent] == expected.overspent
    payments = next(b for b in budget.projects if b.id == "prj-payments")
    assert (payments.spent, payments.spent_share) == (4_530_000, round(4_530_000 / 5_800_000, 6))


def test_the_overspent_lines_are_counted_as_bud_003_counts_them(example):
    """Spend dated after as_of is on the line all the same for BUD-003: the overspent table lists the line too."""
    with (example / "inventory" / "spend.csv").open("a", encoding="utf-8") as f:
        f.write("sp-999,bl-17,99000000,2026-12-20,CC-410,prj-payments,prod\n")
    result = RunResult.model_validate_json(check(example, "--format", "json").stdout)
    fired = {f.resource.id for f in result.findings if f.check == "BUD-003"}
    assert result.budget is not None
    listed = {line.id for line in result.budget.overspent}
    assert "bl-17" in fired and fired <= listed
    assert next(line for line in result.budget.overspent if line.id == "bl-17").spent > 99_000_000
