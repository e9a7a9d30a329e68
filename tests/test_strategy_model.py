"""The strategy domain's model: StrategyPolicy, goals, maturity assessments, project
`serves` and system `domains` load, and every rule about them fails at file:line:col."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.evaluate.run import validate
from governance.load import WorkspaceErrors
from governance.model import load_workspace
from tests.conftest import EXAMPLE, govern, make_workspace

BUDGET = """\
kind: BudgetPolicy
id: budget-2026
categories: [technology, talent, operations]
phases:
  - {id: pilot,    months: [1, 6]}
  - {id: scale_up, months: [7, 18]}
"""

STRATEGY = """\
kind: StrategyPolicy
id: strategy-2026
maturity:
  dimensions: [process_digital, data_asset, business_online, decision_intelligence]
  assessment_interval_days: 365
goals:
  tiers: [strategic, business, execution]
pilot:
  phase: pilot
  max_projects: 2
architecture:
  max_domains_per_system: 1
"""

GOALS = """\
goals:
  - id: g-data-driven
    tier: strategic
    statement: 构建数据驱动型组织
    owner: p-ceo
    metric: data_driven_decision_share
    baseline: 0.10
    target: 0.40
    due: 2028-12-31
  - id: g-crm-tags
    tier: business
    parent: g-data-driven
    statement: Q3完成CRM系统升级,实现用户标签自动化更新
    owner: p-cto
    status: achieved
maturity_assessments:
  - id: ma-2026
    date: 2026-02-20
    assessor: p-cto
    scores: {process_digital: 3, data_asset: 2, business_online: 3, decision_intelligence: 1}
    indicators: {online_process_rate: 0.62, data_silos: 7, automated_decision_share: 0.05}
"""

PROJECTS = """\
projects:
  - id: prj-crm
    phase: pilot
    start: 2026-01-01
    end: 2026-12-31
    maturity: {dimension: process_digital, from: 3, to: 4}
    serves: [g-crm-tags]
"""

SYSTEMS = """\
systems:
  - {id: sys-crm, deployment: private, domains: [user, order]}
"""

FULL = {"policies/budget.yaml": BUDGET, "policies/strategy.yaml": STRATEGY, "inventory/strategy.yaml": GOALS,
        "inventory/projects.yaml": PROJECTS, "inventory/systems.yaml": SYSTEMS}


def errors(root: Path) -> list[str]:
    """Every error line of loading `root`, which must fail."""
    with pytest.raises(WorkspaceErrors) as caught:
        load_workspace(root)
    return [str(e) for e in caught.value.errors]


def workspace(tmp_path: Path, files: dict[str, str | None]) -> Path:
    """FULL, with `files` replacing or (None) removing some of its files."""
    merged = {**FULL, **files}
    return make_workspace(tmp_path, {k: v for k, v in merged.items() if v is not None})


# ---------------------------------------------------------------- the happy path

def test_the_strategy_domain_loads(tmp_path):
    ws = load_workspace(workspace(tmp_path, {}))
    sp = ws.strategy_policy
    assert sp is not None and sp.id == "strategy-2026"
    assert sp.tiers == ["strategic", "business", "execution"] and sp.pilot and sp.pilot.max_projects == 2
    assert ws.definitions()["strategy_policy"] == {
        "kind": "StrategyPolicy", "id": "strategy-2026",
        "maturity": {"dimensions": ["process_digital", "data_asset", "business_online", "decision_intelligence"],
                     "assessment_interval_days": 365},
        "goals": {"tiers": ["strategic", "business", "execution"], "progress_tolerance": 0.1},
        "pilot": {"phase": "pilot", "max_projects": 2},
        "architecture": {"max_domains_per_system": 1},
    }
    assert set(ws.inventory.goals) == {"g-data-driven", "g-crm-tags"}
    inventory = ws.inventory_input()
    # OPA's input: keyed by id; a goal's status defaults to open, unset SMART elements are absent
    assert inventory["goals"]["g-data-driven"] == {
        "id": "g-data-driven", "tier": "strategic", "statement": "构建数据驱动型组织", "owner": "p-ceo",
        "metric": "data_driven_decision_share", "baseline": 0.1, "target": 0.4, "due": "2028-12-31", "status": "open"}
    assert inventory["goals"]["g-crm-tags"]["status"] == "achieved" and "metric" not in inventory["goals"]["g-crm-tags"]
    assert inventory["maturity_assessments"]["ma-2026"] == {
        "id": "ma-2026", "date": "2026-02-20", "assessor": "p-cto",
        "scores": {"process_digital": 3, "data_asset": 2, "business_online": 3, "decision_intelligence": 1},
        "indicators": {"online_process_rate": 0.62, "data_silos": 7, "automated_decision_share": 0.05}}
    assert inventory["projects"]["prj-crm"]["serves"] == ["g-crm-tags"]
    assert inventory["systems"]["sys-crm"]["domains"] == ["user", "order"]
    # where findings about the strategy land
    assert str(ws.declared_at("goal", "g-crm-tags")) == "inventory/strategy.yaml:10:5"
    assert str(ws.declared_at("maturity_assessment", "ma-2026")) == "inventory/strategy.yaml:17:5"
    assert str(ws.declared_at("strategy_policy", "strategy-2026")) == "policies/strategy.yaml:1:1"


def test_the_maturity_portfolio_is_shown_where_its_check_declares(tmp_path, opa_binary):
    # STR-006's METADATA: custom.portfolio {id: maturity, at: [strategy_policy]}; known once the policy is compiled
    ws, _ = validate(workspace(tmp_path, {}))
    assert str(ws.declared_at("portfolio", "maturity")) == "policies/strategy.yaml:1:1"


def test_without_a_strategy_policy_the_definition_is_null_and_the_defaults_apply(tmp_path):
    # the handbook's three tiers and four dimensions; no pilot phase to check
    ws = load_workspace(workspace(tmp_path, {"policies/strategy.yaml": None, "policies/budget.yaml": None,
                                             "inventory/projects.yaml": PROJECTS.replace("phase: pilot\n    ", "")}))
    assert ws.strategy_policy is None and ws.definitions()["strategy_policy"] is None
    assert len(ws.inventory.goals) == 2 and len(ws.inventory.maturity_assessments) == 1


def test_a_policy_may_name_its_own_tiers_and_dimensions(tmp_path):
    policy = "kind: StrategyPolicy\nid: s\ngoals: {tiers: [vision, initiative]}\nmaturity: {dimensions: [people, tools]}\n"
    inventory = """\
goals:
  - {id: g-a, tier: vision, statement: a}
  - {id: g-b, tier: initiative, parent: g-a, statement: b}
maturity_assessments:
  - {id: ma-1, date: 2026-01-01, scores: {people: 2, tools: 5}}
"""
    ws = load_workspace(workspace(tmp_path, {"policies/strategy.yaml": policy, "inventory/strategy.yaml": inventory,
                                             "inventory/projects.yaml": None}))
    assert ws.strategy_policy and ws.strategy_policy.tiers == ["vision", "initiative"]
    assert ws.strategy_policy.dimensions == ["people", "tools"]


def test_a_policy_without_sections_uses_the_handbook_defaults(tmp_path):
    ws = load_workspace(workspace(tmp_path, {"policies/strategy.yaml": "kind: StrategyPolicy\nid: s\n"}))
    sp = ws.strategy_policy
    assert sp and sp.tiers == ["strategic", "business", "execution"]
    assert sp.dimensions == ["process_digital", "data_asset", "business_online", "decision_intelligence"]
    # OPA gets the effective tiers, dimensions and tolerance: the checks hold no defaults of their own
    assert ws.definitions()["strategy_policy"] == {
        "kind": "StrategyPolicy", "id": "s",
        "goals": {"tiers": ["strategic", "business", "execution"], "progress_tolerance": 0.1},
        "maturity": {"dimensions": ["process_digital", "data_asset", "business_online", "decision_intelligence"]},
    }


def test_the_checks_judge_goals_by_the_default_tiers(tmp_path, opa_binary):
    ws = workspace(tmp_path, {"policies/strategy.yaml": "kind: StrategyPolicy\nid: s\n"})
    proc = govern("check", str(ws), "--as-of", "2026-11-25", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    str_002 = next(c for c in json.loads(proc.stdout)["checks"] if c["id"] == "STR-002")
    # g-crm-tags is below the top of the default tiers, its parent one tier up
    assert (str_002["evaluated"], str_002["failed"]) == (1, 0)


def test_goals_and_assessments_in_a_json_inventory(tmp_path):
    doc = {
        "goals": [{"id": "g-ltv", "tier": "strategic", "statement": "用户生命周期价值(LTV)提升25%", "owner": "p-ceo",
                   "metric": "ltv_growth", "baseline": 0, "target": 0.25, "due": "2027-12-31"}],
        "maturity_assessments": [{"id": "ma-2025", "date": "2025-10-15", "assessor": "p-ceo",
                                  "scores": {"process_digital": 2, "data_asset": 1},
                                  "indicators": {"data_silos": 12}}],
    }
    ws = load_workspace(workspace(tmp_path, {"inventory/strategy.yaml": None, "inventory/projects.yaml": None,
                                             "inventory/strategy.json": json.dumps(doc, ensure_ascii=False, indent=1)}))
    assert ws.inventory_input()["goals"]["g-ltv"]["target"] == 0.25
    assert ws.inventory_input()["maturity_assessments"]["ma-2025"]["scores"] == {"process_digital": 2, "data_asset": 1}
    assert str(ws.declared_at("goal", "g-ltv")) == "inventory/strategy.json:3:3"


def test_a_json_inventory_fails_at_the_field_too(tmp_path):
    doc = {"goals": [{"id": "g-a", "tier": "operational", "statement": "x"}],
           "maturity_assessments": [{"id": "ma-1", "date": "2026-01-01", "scores": {"data_asset": 2.5}}]}
    root = workspace(tmp_path, {"inventory/strategy.yaml": None, "inventory/projects.yaml": None,
                                "inventory/strategy.json": json.dumps(doc, indent=1)})
    # a wrong score is a typo in the file: found before any reference or tier is judged
    assert errors(root) == ["inventory/strategy.json:14:5: scores.data_asset: Value error, "
                            "a maturity level is a whole number from 1 to 5 (got 2.5)"]
    doc["maturity_assessments"][0]["scores"]["data_asset"] = 2
    (root / "inventory" / "strategy.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    assert errors(root) == ["inventory/strategy.json:5:4: unknown goal tier 'operational' "
                            "(expected one of strategic, business, execution, as the StrategyPolicy lists)"]


def test_govern_validate_accepts_acme():
    proc = govern("validate", str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert "10 goals, 2 maturity_assessments" in proc.stdout


def test_acme_has_a_strategy_to_check():
    ws = load_workspace(EXAMPLE)
    assert ws.strategy_policy and ws.strategy_policy.pilot and ws.budget_policy
    assert ws.strategy_policy.pilot.phase in {p.id for p in ws.budget_policy.phases}
    goals = ws.inventory.goals
    assert {g.tier for g in goals.values()} == {"strategic", "business", "execution"}
    # every project serves a goal but the technology bought for its own sake (DIA-008)
    assert [p.id for p in ws.inventory.projects.values() if not p.serves] == ["prj-genai-lab"]
    assert all(s.domains for s in ws.inventory.systems.values())
    dates = sorted(a.date.isoformat() for a in ws.inventory.maturity_assessments.values())
    assert len(dates) == 2 and int(dates[1][:4]) - int(dates[0][:4]) == 1


def test_govern_init_baseline_has_the_handbook_strategy(tmp_path):
    root = tmp_path / "ws"
    assert govern("init", str(root)).returncode == 0
    ws = load_workspace(root)
    sp = ws.strategy_policy
    assert sp is not None and sp.pilot and sp.architecture and sp.maturity and ws.budget_policy
    assert sp.tiers == ["strategic", "business", "execution"]
    assert sp.dimensions == ["process_digital", "data_asset", "business_online", "decision_intelligence"]
    assert sp.maturity.assessment_interval_days == 365
    assert (sp.pilot.phase, sp.pilot.max_projects) == ("pilot", 2)
    assert sp.pilot.phase == ws.budget_policy.phases[0].id
    assert sp.architecture.max_domains_per_system == 1


# ---------------------------------------------------------------- the StrategyPolicy

def test_strategy_policy_is_a_singleton(tmp_path):
    root = workspace(tmp_path, {"policies/x-strategy.yaml": "# another\nkind: StrategyPolicy\nid: strategy-b\n"})
    assert errors(root) == ["policies/x-strategy.yaml:2:1: a second StrategyPolicy ('strategy-b'); the workspace may have one "
                            "(first is 'strategy-2026' at policies/strategy.yaml:1:1)"]


def test_pilot_phase_must_name_a_budget_phase(tmp_path):
    root = workspace(tmp_path, {"policies/strategy.yaml": STRATEGY.replace("phase: pilot", "phase: pilott")})
    assert errors(root) == ["policies/strategy.yaml:9:3: strategy_policy 'strategy-2026' refers to unknown phase 'pilott'"]


def test_pilot_without_a_budget_policy_is_an_error(tmp_path):
    # phases exist only in a BudgetPolicy: a pilot scope without one names nothing
    root = workspace(tmp_path, {"policies/budget.yaml": None, "inventory/projects.yaml": None})
    assert errors(root) == ["policies/strategy.yaml:9:3: strategy_policy 'strategy-2026' refers to unknown phase 'pilot' "
                            "(phases are defined by a BudgetPolicy, and the workspace has none)"]


def test_a_policy_without_a_pilot_needs_no_budget_policy(tmp_path):
    policy = STRATEGY.split("pilot:")[0]
    ws = load_workspace(workspace(tmp_path, {"policies/strategy.yaml": policy, "policies/budget.yaml": None,
                                             "inventory/projects.yaml": None}))
    assert ws.strategy_policy and ws.strategy_policy.pilot is None


@pytest.mark.parametrize(("old", "new", "where", "message"), [
    ("max_projects: 2", "max_projects: -1", "10:3", "pilot.max_projects: Input should be greater than or equal to 0 (got -1)"),
    ("  max_projects: 2\n", "", "8:1", "missing required field 'pilot.max_projects'"),
    ("max_domains_per_system: 1", "max_domains_per_system: 0", "12:3",
     "architecture.max_domains_per_system: Input should be greater than or equal to 1 (got 0)"),
    ("assessment_interval_days: 365", "assessment_interval_days: soon", "5:3",
     "maturity.assessment_interval_days: Input should be a valid integer, unable to parse string as an integer (got 'soon')"),
    ("tiers: [strategic, business, execution]", "tiers: []", "7:3",
     "goals.tiers: List should have at least 1 item after validation, not 0"),
    ("architecture:", "architecure:", "11:1", "unknown field 'architecure'"),
])
def test_policy_fields_are_checked(tmp_path, old, new, where, message):
    root = workspace(tmp_path, {"policies/strategy.yaml": STRATEGY.replace(old, new)})
    assert errors(root) == [f"policies/strategy.yaml:{where}: {message}"]


def test_a_tier_or_dimension_listed_twice_is_an_error(tmp_path):
    policy = STRATEGY.replace("[strategic, business, execution]", "[strategic, business, strategic]").replace(
        "business_online, decision_intelligence]", "business_online, data_asset]")
    root = workspace(tmp_path, {"policies/strategy.yaml": policy, "inventory/strategy.yaml": None,
                                "inventory/projects.yaml": None})
    assert errors(root) == [
        "policies/strategy.yaml:4:62: dimension 'data_asset' is listed twice (first at policies/strategy.yaml:4:33)",
        "policies/strategy.yaml:7:32: tier 'strategic' is listed twice (first at policies/strategy.yaml:7:11)",
    ]


# ---------------------------------------------------------------- goals

def test_goal_tier_must_be_a_policy_tier(tmp_path):
    root = workspace(tmp_path, {"inventory/strategy.yaml": GOALS.replace("tier: business", "tier: operational")})
    assert errors(root) == ["inventory/strategy.yaml:11:5: unknown goal tier 'operational' "
                            "(expected one of strategic, business, execution, as the StrategyPolicy lists)"]


def test_goal_tier_follows_the_policy_not_the_handbook(tmp_path):
    policy = STRATEGY.replace("[strategic, business, execution]", "[vision, initiative]")
    root = workspace(tmp_path, {"policies/strategy.yaml": policy})
    expected = "(expected one of vision, initiative, as the StrategyPolicy lists)"
    assert errors(root) == [
        f"inventory/strategy.yaml:3:5: unknown goal tier 'strategic' {expected}",
        f"inventory/strategy.yaml:11:5: unknown goal tier 'business' {expected}",
    ]


def test_goal_tier_without_a_policy_is_one_of_the_handbook_three(tmp_path):
    root = workspace(tmp_path, {"policies/strategy.yaml": None, "inventory/projects.yaml": None,
                                "inventory/strategy.yaml": GOALS.replace("tier: strategic", "tier: vision")})
    assert errors(root) == ["inventory/strategy.yaml:3:5: unknown goal tier 'vision' (expected one of strategic, business, "
                            "execution, the handbook's; a StrategyPolicy may name others)"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("parent: g-data-driven", "parent: g-nowhere",
     "inventory/strategy.yaml:12:5: goal 'g-crm-tags' refers to unknown goal 'g-nowhere'"),
    ("owner: p-cto\n    status", "owner: p-ghost\n    status",
     "inventory/strategy.yaml:14:5: goal 'g-crm-tags' refers to unknown person 'p-ghost'"),
    ("assessor: p-cto", "assessor: p-ghost",
     "inventory/strategy.yaml:19:5: maturity_assessment 'ma-2026' refers to unknown person 'p-ghost'"),
])
def test_goal_and_assessment_references_must_resolve(tmp_path, old, new, message):
    assert errors(workspace(tmp_path, {"inventory/strategy.yaml": GOALS.replace(old, new)})) == [message]


def test_a_goal_may_not_name_a_project_as_its_parent(tmp_path):
    # parent is a goal id: another kind's id does not resolve
    root = workspace(tmp_path, {"inventory/strategy.yaml": GOALS.replace("parent: g-data-driven", "parent: prj-crm")})
    assert errors(root) == ["inventory/strategy.yaml:12:5: goal 'g-crm-tags' refers to unknown goal 'prj-crm'"]


@pytest.mark.parametrize(("old", "new", "where", "message"), [
    ("    statement: 构建数据驱动型组织\n", "", "2:5", "missing required field 'statement'"),
    ("    tier: strategic\n", "", "2:5", "missing required field 'tier'"),
    ("status: achieved", "status: done", "15:5", "status: Input should be 'open', 'achieved' or 'dropped' (got 'done')"),
    ("due: 2028-12-31", "due: 2028-02-30", "9:10", "'2028-02-30' is not a valid date: day is out of range for month"),
    ("target: 0.40", "target: forty percent", "8:5", "target: Input should be a valid number, unable to parse string as a number "
                                                     "(got 'forty percent')"),
    ("metric: data_driven_decision_share", "metrc: data_driven_decision_share", "6:5", "unknown field 'metrc'"),
    ("statement: 构建数据驱动型组织", "statement: ''", "4:5", "statement: String should have at least 1 character (got '')"),
])
def test_goal_fields_are_checked(tmp_path, old, new, where, message):
    root = workspace(tmp_path, {"inventory/strategy.yaml": GOALS.replace(old, new)})
    assert errors(root) == [f"inventory/strategy.yaml:{where}: {message}"]


def test_smart_elements_may_be_missing(tmp_path):
    # a goal without metric, baseline, target, owner or due is a finding (STR-001), not a typo
    inventory = "goals:\n  - {id: g-vague, tier: strategic, statement: 全面提升数字化水平}\n"
    ws = load_workspace(workspace(tmp_path, {"inventory/strategy.yaml": inventory, "inventory/projects.yaml": None}))
    assert ws.inventory_input()["goals"]["g-vague"] == {"id": "g-vague", "tier": "strategic", "statement": "全面提升数字化水平",
                                                        "status": "open"}


def test_the_same_goal_id_twice_names_both_places(tmp_path):
    again = "goals:\n  - {id: g-data-driven, tier: strategic, statement: again}\n"
    root = workspace(tmp_path, {"inventory/more-goals.yaml": again})
    assert errors(root) == ["inventory/strategy.yaml:2:5: duplicate goal id 'g-data-driven' "
                            "(first declared at inventory/more-goals.yaml:2:5)"]


# ---------------------------------------------------------------- maturity assessments

@pytest.mark.parametrize("value", ["3.5", "0", "6", "'3'", "true", "3.0", "null"])
def test_scores_are_whole_levels_from_1_to_5(tmp_path, value):
    root = workspace(tmp_path, {"inventory/strategy.yaml": GOALS.replace("data_asset: 2,", f"data_asset: {value},")})
    shown = {"'3'": "'3'", "true": "True", "3.0": "3.0", "null": "None"}.get(value, value)
    assert errors(root) == [f"inventory/strategy.yaml:20:34: scores.data_asset: Value error, "
                            f"a maturity level is a whole number from 1 to 5 (got {shown})"]


def test_scores_name_policy_dimensions(tmp_path):
    root = workspace(tmp_path, {"inventory/strategy.yaml": GOALS.replace("data_asset: 2", "data_assets: 2")})
    assert errors(root) == ["inventory/strategy.yaml:20:34: unknown maturity dimension 'data_assets' (expected one of "
                            "process_digital, data_asset, business_online, decision_intelligence, as the StrategyPolicy lists)"]


def test_scores_follow_the_policy_dimensions(tmp_path):
    policy = STRATEGY.replace("[process_digital, data_asset, business_online, decision_intelligence]",
                              "[process_digital, data_asset, business_online]")
    root = workspace(tmp_path, {"policies/strategy.yaml": policy})
    assert errors(root) == ["inventory/strategy.yaml:20:69: unknown maturity dimension 'decision_intelligence' (expected one of "
                            "process_digital, data_asset, business_online, as the StrategyPolicy lists)"]


def test_without_a_policy_the_known_dimensions_are_the_handbook_four(tmp_path):
    root = workspace(tmp_path, {"policies/strategy.yaml": None, "inventory/projects.yaml": None,
                                "inventory/strategy.yaml": GOALS.replace("decision_intelligence: 1", "culture: 1")})
    assert errors(root) == ["inventory/strategy.yaml:20:69: unknown maturity dimension 'culture' (expected one of "
                            "process_digital, data_asset, business_online, decision_intelligence, "
                            "the handbook's; a StrategyPolicy may name others)"]


def test_an_assessment_needs_a_date_and_numeric_indicators(tmp_path):
    root = workspace(tmp_path, {"inventory/strategy.yaml": GOALS.replace("    date: 2026-02-20\n", "").replace(
        "data_silos: 7", "data_silos: many")})
    assert errors(root) == [
        "inventory/strategy.yaml:17:5: missing required field 'date'",
        "inventory/strategy.yaml:20:45: indicators.data_silos: Input should be a valid number, "
        "unable to parse string as a number (got 'many')",
    ]


def test_indicators_may_have_any_name(tmp_path):
    inventory = GOALS.replace("indicators: {online_process_rate: 0.62",
                              "indicators: {业务流程线上化率: 0.62, 数据孤岛数量: 7, online_process_rate: 0.62")
    ws = load_workspace(workspace(tmp_path, {"inventory/strategy.yaml": inventory}))
    assert ws.inventory.maturity_assessments["ma-2026"].indicators["数据孤岛数量"] == 7


# ---------------------------------------------------------------- projects and systems

def test_serves_must_name_goals(tmp_path):
    root = workspace(tmp_path, {"inventory/projects.yaml": PROJECTS.replace("[g-crm-tags]", "[g-crm-tags, g-unknown]")})
    assert errors(root) == ["inventory/projects.yaml:7:26: project 'prj-crm' refers to unknown goal 'g-unknown'"]


def test_serves_and_domains_are_lists(tmp_path):
    root = workspace(tmp_path, {"inventory/projects.yaml": PROJECTS.replace("[g-crm-tags]", "g-crm-tags"),
                                "inventory/systems.yaml": SYSTEMS.replace("[user, order]", "user")})
    assert errors(root) == [
        "inventory/projects.yaml:7:5: serves: Input should be a valid list (got 'g-crm-tags')",
        "inventory/systems.yaml:2:40: domains: Input should be a valid list (got 'user')",
    ]


def test_project_maturity_dimension_follows_the_policy(tmp_path):
    policy = STRATEGY.replace("[process_digital, data_asset, business_online, decision_intelligence]", "[people, tools]")
    goals_only = GOALS.split("maturity_assessments:")[0]
    root = workspace(tmp_path, {"policies/strategy.yaml": policy, "inventory/strategy.yaml": goals_only})
    assert errors(root) == ["inventory/projects.yaml:6:16: unknown maturity dimension 'process_digital' "
                            "(expected one of people, tools, as the StrategyPolicy lists)"]
    (root / "inventory" / "projects.yaml").write_text(PROJECTS.replace("process_digital", "tools"), encoding="utf-8")
    assert load_workspace(root).inventory.projects["prj-crm"].maturity is not None


def test_govern_validate_exits_2_at_the_line_without_a_traceback(tmp_path):
    root = workspace(tmp_path, {"inventory/strategy.yaml": GOALS.replace("data_asset: 2,", "data_asset: 7,")})
    proc = govern("validate", str(root))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("inventory/strategy.yaml:20:34: scores.data_asset:")


def test_a_waiver_may_name_the_maturity_portfolio_and_a_goal(tmp_path):
    waivers = """\
waivers:
  - {id: wv-1, check: STR-006, resource: {kind: portfolio, id: maturity}, justification: x,
     requested_by: p-cto, approved_by: p-ceo, approved_at: 2026-01-01, expires: 2026-02-01}
  - {id: wv-2, check: STR-001, resource: {kind: goal, id: g-crm-tags}, justification: x,
     requested_by: p-cto, approved_by: p-ceo, approved_at: 2026-01-01, expires: 2026-02-01}
"""
    assert set(load_workspace(workspace(tmp_path, {"waivers/w.yaml": waivers})).waivers) == {"wv-1", "wv-2"}


def test_a_waiver_may_name_only_a_portfolio_entry_a_check_declares_for_a_policy_the_workspace_has(tmp_path, opa_binary):
    waivers = """\
waivers:
  - {id: wv-1, check: STR-006, resource: {kind: portfolio, id: maturity}, justification: x,
     requested_by: p-cto, approved_by: p-ceo, approved_at: 2026-01-01, expires: 2026-02-01}
"""
    ws, _ = validate(workspace(tmp_path / "ok", {"waivers/w.yaml": waivers}))
    assert ws.declares("portfolio", "maturity")
    # no StrategyPolicy: STR-006's entry is not there to waive
    root = workspace(tmp_path / "none", {"waivers/w.yaml": waivers, "policies/strategy.yaml": None})
    proc = govern("validate", str(root))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("waivers/w.yaml:2:32: waiver 'wv-1' refers to unknown portfolio 'maturity'"), proc.stderr
    # an entry no check declares
    root = workspace(tmp_path / "unknown", {"waivers/w.yaml": waivers.replace("id: maturity", "id: morale")})
    proc = govern("validate", str(root))
    assert proc.returncode == 2 and "waiver 'wv-1' refers to unknown portfolio 'morale'" in proc.stderr

