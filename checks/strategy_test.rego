package govern.checks.strategy_test

import data.govern.checks.strategy
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

# as_of 2026-11-25: 2025-11-25 is exactly 365 days before it.
_as_of := "2026-11-25"

_policy := {
	"id": "strategy-2026",
	"maturity": {
		"dimensions": ["process_digital", "data_asset", "business_online", "decision_intelligence"],
		"assessment_interval_days": 365,
	},
	"goals": {"tiers": ["strategic", "business", "execution"]},
	"pilot": {"phase": "pilot", "max_projects": 2},
	"architecture": {"max_domains_per_system": 1},
}

_defs := {"strategy_policy": _policy}

_no_policy := {"strategy_policy": null}

_input(inventory) := {"as_of": _as_of, "inventory": inventory}

# A SMART goal; tests override what they exercise.
_goal(id, tier, parent, extra) := {id: object.union(
	object.union(
		{
			"id": id, "tier": tier, "statement": id, "owner": "p-ceo",
			"metric": "share", "baseline": 0.1, "target": 0.4, "due": "2027-12-31",
		},
		{"parent": parent | parent != null},
	),
	extra,
)}

_goals(gs) := {"goals": object.union_n(gs)}

# A goal without some of its fields.
_strip(goal, fields) := {id: object.remove(g, fields) | some id, g in goal}

_project(id, phase, start, end, extra) := {id: object.union({"id": id, "phase": phase, "start": start, "end": end}, extra)}

_scores := {"process_digital": 3, "data_asset": 2, "business_online": 3, "decision_intelligence": 1}

_assessment(id, date, scores) := {id: {"id": id, "date": date, "assessor": "p-cdo", "scores": scores}}

# ---------------------------------------------------------------- STR-001

test_str_001_names_every_missing_smart_element if {
	goals := _goals([
		_goal("g-ok", "strategic", null, {}),
		{"g-bare": {"id": "g-bare", "tier": "strategic", "statement": "数据驱动"}},
		_goal("g-flat", "strategic", null, {"baseline": 1, "target": 1.0}),
		_goal("g-zero", "strategic", null, {"baseline": 0, "target": 0}),
		_goal("g-blank", "strategic", null, {"metric": ""}),
	])
	r := strategy.STR_001 with input as _input(goals) with data.govern.definitions as _defs
	_ids(r) == {"g-bare", "g-flat", "g-zero", "g-blank"}
	r.evaluated == 5
	_message(r, "g-bare") == "goal g-bare is not SMART: no metric (specific); no baseline (measurable); no target (measurable); no owner (accountable); no due date (time-bound)"
	_message(r, "g-flat") == "goal g-flat is not SMART: target equals baseline 1 (measurable)"
	_message(r, "g-blank") == "goal g-blank is not SMART: no metric (specific)"
	_message_zh(r, "g-bare") == "目标 g-bare 要素不全：缺少指标（具体）；缺少基线（可衡量）；缺少目标值（可衡量）；缺少负责人（可问责）；缺少截止日期（有时限）"
	_message_zh(r, "g-flat") == "目标 g-flat 要素不全：目标值等于基线 1（可衡量）"
}

test_str_001_missing_target_is_not_also_equal_to_baseline if {
	g := _strip(_goal("g-half", "business", "g-s", {}), ["target", "due"])
	r := strategy.STR_001 with input as _input({"goals": g}) with data.govern.definitions as _defs
	_message(r, "g-half") == "goal g-half is not SMART: no target (measurable); no due date (time-bound)"
}

test_str_001_not_applicable_without_policy if {
	goals := _goals([{"g-bare": {"id": "g-bare", "tier": "strategic", "statement": "x"}}])
	r := strategy.STR_001 with input as _input(goals) with data.govern.definitions as _no_policy
	r.evaluated == 0
	count(r.violations) == 0
	r2 := strategy.STR_001 with input as _input(goals) with data.govern.definitions as {}
	r2.evaluated == 0
}

test_str_001_empty_inventory if {
	r := strategy.STR_001 with input as _input({}) with data.govern.definitions as _defs
	r.evaluated == 0
	count(r.violations) == 0
}

# ---------------------------------------------------------------- STR-002

_tree := _goals([
	_goal("g-s", "strategic", null, {}),
	_goal("g-s-child", "strategic", "g-s", {}),
	_goal("g-b", "business", "g-s", {}),
	_goal("g-e", "execution", "g-b", {}),
	_goal("g-skip", "execution", "g-s", {}),
	_goal("g-orphan", "business", null, {}),
	_goal("g-sibling", "business", "g-b", {}),
	_goal("g-upside", "business", "g-e", {}),
	_goal("g-dangling", "execution", "g-none", {}),
])

test_str_002_parent_must_be_one_tier_up if {
	r := strategy.STR_002 with input as _input(_tree) with data.govern.definitions as _defs
	_ids(r) == {"g-skip", "g-orphan", "g-sibling", "g-upside", "g-dangling"}
	r.evaluated == 7 # every goal below the top tier
	_message(r, "g-skip") == "goal g-skip of the execution tier has parent g-s of the strategic tier; it should name a parent goal of the business tier, the tier directly above"
	_message(r, "g-orphan") == "goal g-orphan of the business tier has no parent; it should name a parent goal of the strategic tier, the tier directly above"
	_message(r, "g-dangling") == "goal g-dangling of the execution tier names parent g-none, which is not a goal; it should name a parent goal of the business tier, the tier directly above"
	_message_zh(r, "g-skip") == "执行层目标 g-skip 的父目标 g-s 属于战略层；应指明直接上一层（业务层）的父目标"
	_message_zh(r, "g-orphan") == "业务层目标 g-orphan 没有父目标；应指明直接上一层（战略层）的父目标"
	_message_zh(r, "g-dangling") == "执行层目标 g-dangling 所指父目标 g-none 不是已定义的目标；应指明直接上一层（业务层）的父目标"
}

test_str_002_follows_the_policy_tiers if {
	defs := {"strategy_policy": object.union(_policy, {"goals": {"tiers": ["vision", "objective"]}})}
	goals := _goals([
		_goal("g-v", "vision", null, {}),
		_goal("g-o", "objective", "g-v", {}),
		_goal("g-loose", "objective", null, {}),
	])
	r := strategy.STR_002 with input as _input(goals) with data.govern.definitions as defs
	_ids(r) == {"g-loose"}
	r.evaluated == 2

	# a tier the handbook does not name reads as its id in Chinese
	_message_zh(r, "g-loose") == "objective 层目标 g-loose 没有父目标；应指明直接上一层（vision 层）的父目标"
}

test_str_002_not_applicable_without_policy if {
	r := strategy.STR_002 with input as _input(_tree) with data.govern.definitions as _no_policy
	r.evaluated == 0
	r2 := strategy.STR_002 with input as _input({}) with data.govern.definitions as _defs
	r2.evaluated == 0
}

# ---------------------------------------------------------------- STR-003

test_str_003_goal_due_after_its_parent if {
	goals := _goals([
		_goal("g-s", "strategic", null, {"due": "2027-12-31"}),
		_goal("g-late", "business", "g-s", {"due": "2028-01-01"}),
		_goal("g-same", "business", "g-s", {"due": "2027-12-31"}),
		_goal("g-early", "business", "g-s", {"due": "2026-06-30"}),
		_strip(_goal("g-undated", "business", "g-s", {}), ["due"]),
		_strip(_goal("g-s2", "strategic", null, {}), ["due"]),
		_goal("g-under-undated", "business", "g-s2", {"due": "2030-01-01"}),
	])
	r := strategy.STR_003 with input as _input(goals) with data.govern.definitions as _defs
	_ids(r) == {"g-late"}
	r.evaluated == 3
	_message(r, "g-late") == "goal g-late is due 2028-01-01, after its parent goal g-s (due 2027-12-31)"
	_message_zh(r, "g-late") == "目标 g-late 的截止日期为 2028-01-01，晚于其父目标 g-s（截止日期 2027-12-31）"
}

test_str_003_not_applicable_without_policy if {
	goals := _goals([_goal("g-s", "strategic", null, {"due": "2027-12-31"}), _goal("g-late", "business", "g-s", {"due": "2028-01-01"})])
	r := strategy.STR_003 with input as _input(goals) with data.govern.definitions as _no_policy
	r.evaluated == 0
}

# ---------------------------------------------------------------- STR-004

test_str_004_open_goals_past_due if {
	goals := _goals([
		_goal("g-yesterday", "execution", null, {"due": "2026-11-24"}),
		_goal("g-today", "execution", null, {"due": _as_of}),
		_goal("g-explicit-open", "execution", null, {"due": "2026-09-30", "status": "open"}),
		_goal("g-achieved", "execution", null, {"due": "2026-09-30", "status": "achieved"}),
		_goal("g-dropped", "execution", null, {"due": "2026-01-01", "status": "dropped"}),
		_strip(_goal("g-undated", "execution", null, {}), ["due"]),
	])
	r := strategy.STR_004 with input as _input(goals) with data.govern.definitions as _defs
	_ids(r) == {"g-yesterday", "g-explicit-open"}
	r.evaluated == 3
	_message(r, "g-yesterday") == "goal g-yesterday is still open 1 days after its due date 2026-11-24"
	_message(r, "g-explicit-open") == "goal g-explicit-open is still open 56 days after its due date 2026-09-30"
	_message_zh(r, "g-yesterday") == "目标 g-yesterday 已超过截止日期 2026-11-24 共 1 天，仍未完成"
}

test_str_004_not_applicable_without_policy if {
	goals := _goals([_goal("g-yesterday", "execution", null, {"due": "2026-11-24"})])
	r := strategy.STR_004 with input as _input(goals) with data.govern.definitions as _no_policy
	r.evaluated == 0
}

# ---------------------------------------------------------------- STR-005

_served := object.union(_tree, {"projects": object.union_n([
	_project("prj-exec", "pilot", "2026-01-01", "2026-12-31", {"serves": ["g-b", "g-e"]}),
	_project("prj-biz", "pilot", "2026-01-01", "2026-12-31", {"serves": ["g-b", "g-s"]}),
	_project("prj-none", "pilot", "2026-01-01", "2026-12-31", {}),
	_project("prj-empty", "pilot", "2026-01-01", "2026-12-31", {"serves": []}),
	_project("prj-starts-today", "pilot", _as_of, "2027-12-31", {}),
	_project("prj-ends-today", "pilot", "2026-01-01", _as_of, {"serves": ["g-skip"]}),
	_project("prj-future", "pilot", "2026-11-26", "2027-12-31", {}),
	_project("prj-ended", "pilot", "2025-01-01", "2026-11-24", {}),
])})

test_str_005_running_projects_serve_an_execution_goal if {
	r := strategy.STR_005 with input as _input(_served) with data.govern.definitions as _defs
	_ids(r) == {"prj-biz", "prj-none", "prj-empty", "prj-starts-today"}
	r.evaluated == 6
	_message(r, "prj-biz") == "project prj-biz is running (2026-01-01 to 2026-12-31) but serves no goal of the execution tier (serves: g-b (business tier), g-s (strategic tier))"
	_message(r, "prj-none") == "project prj-none is running (2026-01-01 to 2026-12-31) but serves no goal of the execution tier (serves: none)"
	_message_zh(r, "prj-biz") == "项目 prj-biz 正在进行（2026-01-01 至 2026-12-31），但未服务于任何执行层目标（服务于：g-b（业务层）、g-s（战略层））"
	_message_zh(r, "prj-none") == "项目 prj-none 正在进行（2026-01-01 至 2026-12-31），但未服务于任何执行层目标（服务于：无）"
}

test_str_005_names_a_served_id_that_is_not_a_goal if {
	inv := object.union(_tree, {"projects": _project("prj-lost", "pilot", "2026-01-01", "2026-12-31", {"serves": ["g-missing", "g-e"]})})
	r := strategy.STR_005 with input as _input(inv) with data.govern.definitions as {"strategy_policy": object.union(_policy, {"goals": {"tiers": ["strategic", "business"]}})}
	_message(r, "prj-lost") == "project prj-lost is running (2026-01-01 to 2026-12-31) but serves no goal of the business tier (serves: g-missing (not a goal), g-e (execution tier))"
	_message_zh(r, "prj-lost") == "项目 prj-lost 正在进行（2026-01-01 至 2026-12-31），但未服务于任何业务层目标（服务于：g-missing（未定义的目标）、g-e（执行层））"
}

test_str_005_bottom_tier_follows_the_policy if {
	defs := {"strategy_policy": object.union(_policy, {"goals": {"tiers": ["strategic", "business"]}})}
	r := strategy.STR_005 with input as _input(_served) with data.govern.definitions as defs
	_ids(r) == {"prj-none", "prj-empty", "prj-starts-today", "prj-ends-today"}
	contains(_message(r, "prj-ends-today"), "serves no goal of the business tier (serves: g-skip (execution tier))")
}

test_str_005_not_applicable_without_policy if {
	r := strategy.STR_005 with input as _input(_served) with data.govern.definitions as _no_policy
	r.evaluated == 0
	r2 := strategy.STR_005 with input as _input({}) with data.govern.definitions as _defs
	r2.evaluated == 0
}
