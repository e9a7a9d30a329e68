package govern.checks.strategy_test

import data.govern.checks.strategy

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

_ids(r) := {v.resource.id | some v in r.violations}

_message(r, id) := m if {
	some v in r.violations
	v.resource.id == id
	m := v.message
}

_message_zh(r, id) := m if {
	some v in r.violations
	v.resource.id == id
	m := v.message_zh
}

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
	_message(r, "g-skip") == "goal g-skip of tier execution has parent g-s of tier strategic; it should name a parent goal of tier business, the tier directly above"
	_message(r, "g-orphan") == "goal g-orphan of tier business has no parent; it should name a parent goal of tier strategic, the tier directly above"
	_message(r, "g-dangling") == "goal g-dangling of tier execution names parent g-none, which is not a goal; it should name a parent goal of tier business, the tier directly above"
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
	_message(r, "prj-biz") == "project prj-biz is running (2026-01-01 to 2026-12-31) but serves no execution goal (serves: g-b (business), g-s (strategic))"
	_message(r, "prj-none") == "project prj-none is running (2026-01-01 to 2026-12-31) but serves no execution goal (serves: none)"
	_message_zh(r, "prj-biz") == "项目 prj-biz 正在进行（2026-01-01 至 2026-12-31），但未服务于任何执行层目标（服务于：g-b（业务层）、g-s（战略层））"
	_message_zh(r, "prj-none") == "项目 prj-none 正在进行（2026-01-01 至 2026-12-31），但未服务于任何执行层目标（服务于：无）"
}

test_str_005_names_a_served_id_that_is_not_a_goal if {
	inv := object.union(_tree, {"projects": _project("prj-lost", "pilot", "2026-01-01", "2026-12-31", {"serves": ["g-missing", "g-e"]})})
	r := strategy.STR_005 with input as _input(inv) with data.govern.definitions as {"strategy_policy": object.union(_policy, {"goals": {"tiers": ["strategic", "business"]}})}
	_message(r, "prj-lost") == "project prj-lost is running (2026-01-01 to 2026-12-31) but serves no business goal (serves: g-missing (not a goal), g-e (execution))"
	_message_zh(r, "prj-lost") == "项目 prj-lost 正在进行（2026-01-01 至 2026-12-31），但未服务于任何业务层目标（服务于：g-missing（未定义的目标）、g-e（执行层））"
}

test_str_005_bottom_tier_follows_the_policy if {
	defs := {"strategy_policy": object.union(_policy, {"goals": {"tiers": ["strategic", "business"]}})}
	r := strategy.STR_005 with input as _input(_served) with data.govern.definitions as defs
	_ids(r) == {"prj-none", "prj-empty", "prj-starts-today", "prj-ends-today"}
	contains(_message(r, "prj-ends-today"), "serves no business goal (serves: g-skip (execution))")
}

test_str_005_not_applicable_without_policy if {
	r := strategy.STR_005 with input as _input(_served) with data.govern.definitions as _no_policy
	r.evaluated == 0
	r2 := strategy.STR_005 with input as _input({}) with data.govern.definitions as _defs
	r2.evaluated == 0
}

# ---------------------------------------------------------------- STR-006

test_str_006_passes_an_assessment_exactly_the_interval_old if {
	inv := {"maturity_assessments": object.union(
		_assessment("ma-2025", "2025-11-25", _scores),
		_assessment("ma-2024", "2024-11-01", _scores),
	)}
	r := strategy.STR_006 with input as _input(inv) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_str_006_fires_one_day_past_the_interval if {
	inv := {"maturity_assessments": object.union_n([
		_assessment("ma-a", "2025-11-24", _scores),
		_assessment("ma-b", "2025-11-24", _scores),
		_assessment("ma-future", "2026-12-01", _scores),
	])}
	r := strategy.STR_006 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"maturity"}
	_message(r, "maturity") == "the latest maturity assessment, ma-b of 2025-11-24, is 366 days old, more than assessment_interval_days 365"
	_message_zh(r, "maturity") == "最近一次成熟度评估 ma-b（2025-11-24）距评估基准日已 366 天，超过 assessment_interval_days 规定的 365 天"
}

test_str_006_fires_without_an_assessment_to_date if {
	r := strategy.STR_006 with input as _input({}) with data.govern.definitions as _defs
	r.evaluated == 1
	_message(r, "maturity") == "no maturity assessment is dated on or before 2026-11-25"
	_message_zh(r, "maturity") == "截至评估基准日 2026-11-25，尚无成熟度评估"
	future := {"maturity_assessments": _assessment("ma-future", "2026-11-26", _scores)}
	r2 := strategy.STR_006 with input as _input(future) with data.govern.definitions as _defs
	_message(r2, "maturity") == "no maturity assessment is dated on or before 2026-11-25"
}

test_str_006_without_an_interval_only_absence_fires if {
	defs := {"strategy_policy": json.remove(_policy, ["maturity/assessment_interval_days"])}
	old := {"maturity_assessments": _assessment("ma-2020", "2020-01-01", _scores)}
	r := strategy.STR_006 with input as _input(old) with data.govern.definitions as defs
	count(r.violations) == 0
	r2 := strategy.STR_006 with input as _input({}) with data.govern.definitions as defs
	_ids(r2) == {"maturity"}
}

test_str_006_not_applicable_without_policy if {
	r := strategy.STR_006 with input as _input({}) with data.govern.definitions as _no_policy
	r.evaluated == 0
	count(r.violations) == 0
}

# ---------------------------------------------------------------- STR-007

test_str_007_every_dimension_is_scored if {
	inv := {"maturity_assessments": object.union_n([
		_assessment("ma-full", "2026-02-20", _scores),
		_assessment("ma-partial", "2025-02-20", {"process_digital": 2, "business_online": 2}),
		_assessment("ma-empty", "2024-02-20", {}),
	])}
	r := strategy.STR_007 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"ma-partial", "ma-empty"}
	r.evaluated == 3
	_message(r, "ma-partial") == "maturity assessment ma-partial of 2025-02-20 does not score data_asset, decision_intelligence"
	_message_zh(r, "ma-partial") == "成熟度评估 ma-partial（2025-02-20）未对以下维度评分：data_asset、decision_intelligence"
}

test_str_007_follows_the_policy_dimensions if {
	defs := {"strategy_policy": object.union(_policy, {"maturity": {"dimensions": ["process_digital"], "assessment_interval_days": 365}})}
	inv := {"maturity_assessments": _assessment("ma-partial", "2025-02-20", {"process_digital": 2})}
	r := strategy.STR_007 with input as _input(inv) with data.govern.definitions as defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_str_007_not_applicable_without_policy if {
	inv := {"maturity_assessments": _assessment("ma-empty", "2024-02-20", {})}
	r := strategy.STR_007 with input as _input(inv) with data.govern.definitions as _no_policy
	r.evaluated == 0
}

# ---------------------------------------------------------------- STR-008

_step(dimension, from, to) := {"maturity": {"dimension": dimension, "from": from, "to": to}}

# Assessments interleaved with project starts: 2025-02-20 (ma-2025),
# 2026-02-20 (ma-2026a and ma-2026b the same day), 2027-03-01 (ma-2027).
_assessed := {
	"maturity_assessments": object.union_n([
		_assessment("ma-2025", "2025-02-20", {"process_digital": 2, "data_asset": 1, "business_online": 2, "decision_intelligence": 1}),
		_assessment("ma-2026a", "2026-02-20", {"process_digital": 9, "data_asset": 9, "business_online": 9}),
		_assessment("ma-2026b", "2026-02-20", {"process_digital": 3, "data_asset": 2, "business_online": 3}),
		_assessment("ma-2027", "2027-03-01", {"process_digital": 4, "data_asset": 4, "business_online": 4, "decision_intelligence": 4}),
	]),
	"projects": object.union_n([
		# before 2026-02-20: ma-2025 is the baseline
		_project("prj-2025-ok", "deepen", "2025-06-01", "2027-12-31", _step("process_digital", 2, 3)),
		_project("prj-2025-off", "deepen", "2026-02-19", "2027-12-31", _step("process_digital", 3, 4)),
		# on 2026-02-20: both same-day assessments count, ma-2026b (the larger id) is the latest
		_project("prj-same-day", "scale_up", "2026-02-20", "2027-12-31", _step("business_online", 3, 4)),
		_project("prj-same-day-off", "scale_up", "2026-02-20", "2027-12-31", _step("data_asset", 9, 10)),
		# after: ma-2026b still, since ma-2027 is after the start
		_project("prj-2026", "pilot", "2027-02-28", "2027-12-31", _step("data_asset", 2, 3)),
		_project("prj-unscored", "pilot", "2026-06-01", "2027-12-31", _step("decision_intelligence", 1, 2)),
		_project("prj-flat", "pilot", "2026-06-01", "2027-12-31", _step("process_digital", 3, 3)),
		_project("prj-down", "pilot", "2025-03-01", "2027-12-31", _step("business_online", 3, 2)),
		_project("prj-too-early", "pilot", "2025-02-19", "2027-12-31", _step("data_asset", 1, 2)),
		_project("prj-2027", "deepen", "2027-03-01", "2028-12-31", _step("decision_intelligence", 4, 5)),
		_project("prj-no-maturity", "pilot", "2026-01-01", "2026-12-31", {}),
	]),
}

test_str_008_starts_from_the_latest_assessment_before_the_start if {
	r := strategy.STR_008 with input as _input(_assessed) with data.govern.definitions as _defs
	_ids(r) == {"prj-2025-off", "prj-same-day-off", "prj-unscored", "prj-flat", "prj-down", "prj-too-early"}
	r.evaluated == 10
	_message(r, "prj-2025-off") == "project prj-2025-off starts process_digital at level 3 but ma-2025 (2025-02-20), the latest maturity assessment on or before its start 2026-02-19, scores it 2"
	_message(r, "prj-unscored") == "project prj-unscored starts decision_intelligence at level 1 but ma-2026b (2026-02-20), the latest maturity assessment on or before its start 2026-06-01, does not score it"
	_message(r, "prj-flat") == "project prj-flat plans process_digital from level 3 to 3, which is no step up"
	_message(r, "prj-down") == "project prj-down plans business_online from level 3 to 2, which is no step up; starts business_online at level 3 but ma-2025 (2025-02-20), the latest maturity assessment on or before its start 2025-03-01, scores it 2"
	_message(r, "prj-too-early") == "project prj-too-early starts data_asset at level 1 but no maturity assessment is dated on or before its start 2025-02-19"
	_message_zh(r, "prj-down") == concat("", [
		"项目 prj-down 计划将 business_online 从 3 级变为 2 级，未能提升；",
		"以 business_online 的 3 级为起点，但在其开始日期 2025-03-01 当日或之前的最近一次成熟度评估 ma-2025（2025-02-20）对该维度的评分为 2",
	])
	_message_zh(r, "prj-unscored") == "项目 prj-unscored 以 decision_intelligence 的 1 级为起点，但在其开始日期 2026-06-01 当日或之前的最近一次成熟度评估 ma-2026b（2026-02-20）未对该维度评分"
	_message_zh(r, "prj-too-early") == "项目 prj-too-early 以 data_asset 的 1 级为起点，但在其开始日期 2025-02-19 当日或之前没有任何成熟度评估"
}

test_str_008_fires_without_any_assessment if {
	inv := {"projects": _project("prj-a", "pilot", "2026-01-01", "2026-12-31", _step("data_asset", 2, 3))}
	r := strategy.STR_008 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"prj-a"}
}

test_str_008_not_applicable_without_policy if {
	r := strategy.STR_008 with input as _input(_assessed) with data.govern.definitions as _no_policy
	r.evaluated == 0
	count(r.violations) == 0
}

# ---------------------------------------------------------------- STR-009

_pilots(n) := {"projects": object.union_n([_project(sprintf("prj-%d", [i]), "pilot", "2026-01-01", "2026-12-31", {}) | some i in numbers.range(1, n)])}

_not_counted := object.union_n([
	_project("prj-later", "pilot", "2026-11-26", "2027-06-30", {}),
	_project("prj-done", "pilot", "2025-01-01", "2026-11-24", {}),
	_project("prj-scale", "scale_up", "2026-01-01", "2026-12-31", {}),
])

test_str_009_exactly_max_projects_passes if {
	inv := {"projects": object.union(_pilots(2).projects, _not_counted)}
	r := strategy.STR_009 with input as _input(inv) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1

	# the report's pilot scope is what the check counted: running pilots only
	r.observations == {"pilot": {"max_projects": 2, "running": ["prj-1", "prj-2"]}}
}

test_str_009_one_more_fires if {
	inv := {"projects": object.union(_pilots(3).projects, _not_counted)}
	r := strategy.STR_009 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"pilot"}
	_message(r, "pilot") == "phase pilot has 3 projects running (prj-1, prj-2, prj-3), more than pilot.max_projects 2"
	_message_zh(r, "pilot") == "阶段 pilot 有 3 个项目正在进行（prj-1、prj-2、prj-3），超过 pilot.max_projects 规定的 2 个"
}

test_str_009_running_includes_start_and_end_today if {
	inv := {"projects": object.union_n([
		_pilots(1).projects,
		_project("prj-starts", "pilot", _as_of, "2027-06-30", {}),
		_project("prj-ends", "pilot", "2026-01-01", _as_of, {}),
	])}
	r := strategy.STR_009 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"pilot"}
}

test_str_009_not_applicable_without_pilot_or_policy if {
	r := strategy.STR_009 with input as _input(_pilots(3)) with data.govern.definitions as {"strategy_policy": object.remove(_policy, ["pilot"])}
	r.evaluated == 0
	r2 := strategy.STR_009 with input as _input(_pilots(3)) with data.govern.definitions as _no_policy
	r2.evaluated == 0
	count(r2.violations) == 0
	r2.observations == {}
}

# ---------------------------------------------------------------- STR-010

_domained := {"systems": {
	"sys-one": {"id": "sys-one", "deployment": "private", "domains": ["payment"]},
	"sys-two": {"id": "sys-two", "deployment": "private", "domains": ["user", "order"]},
	"sys-twice": {"id": "sys-twice", "deployment": "private", "domains": ["order", "order"]},
	"sys-empty": {"id": "sys-empty", "deployment": "private", "domains": []},
	"sys-none": {"id": "sys-none", "deployment": "private"},
}}

test_str_010_one_domain_per_system if {
	r := strategy.STR_010 with input as _input(_domained) with data.govern.definitions as _defs
	_ids(r) == {"sys-two"}
	r.evaluated == 3
	_message(r, "sys-two") == "system sys-two serves 2 business domains (order, user), more than max_domains_per_system 1"
	_message_zh(r, "sys-two") == "系统 sys-two 服务于 2 个业务域（order、user），超过 max_domains_per_system 规定的 1 个"
}

test_str_010_exactly_the_maximum_passes if {
	defs := {"strategy_policy": object.union(_policy, {"architecture": {"max_domains_per_system": 2}})}
	r := strategy.STR_010 with input as _input(_domained) with data.govern.definitions as defs
	count(r.violations) == 0
	r.evaluated == 3
}

test_str_010_not_applicable_without_a_limit_or_policy if {
	r := strategy.STR_010 with input as _input(_domained) with data.govern.definitions as {"strategy_policy": object.remove(_policy, ["architecture"])}
	r.evaluated == 0
	r2 := strategy.STR_010 with input as _input(_domained) with data.govern.definitions as _no_policy
	r2.evaluated == 0
}
