# Unit tests of strategy_maturity.rego; the fixtures they share are in strategy_test.rego.
package govern.checks.strategy_test

import data.govern.checks.strategy
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

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
	_message(r, "ma-partial") == "maturity assessment ma-partial of 2025-02-20 does not score data as an asset, decision intelligence"
	_message_zh(r, "ma-partial") == "成熟度评估 ma-partial（2025-02-20）未对以下维度评分：数据资产化、决策智能化"
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
	_message(r, "prj-2025-off") == "project prj-2025-off starts process digitalisation at level 3 but ma-2025 (2025-02-20), the latest maturity assessment on or before its start 2026-02-19, scores it 2"
	_message(r, "prj-unscored") == "project prj-unscored starts decision intelligence at level 1 but ma-2026b (2026-02-20), the latest maturity assessment on or before its start 2026-06-01, does not score it"
	_message(r, "prj-flat") == "project prj-flat plans process digitalisation from level 3 to 3, which is no step up"
	_message(r, "prj-down") == "project prj-down plans business online from level 3 to 2, which is no step up; starts business online at level 3 but ma-2025 (2025-02-20), the latest maturity assessment on or before its start 2025-03-01, scores it 2"
	_message(r, "prj-too-early") == "project prj-too-early starts data as an asset at level 1 but no maturity assessment is dated on or before its start 2025-02-19"
	_message_zh(r, "prj-down") == concat("", [
		"项目 prj-down 计划将业务在线化从 3 级变为 2 级，未能提升；",
		"以业务在线化的 3 级为起点，但在其开始日期 2025-03-01 当日或之前的最近一次成熟度评估 ma-2025（2025-02-20）对该维度的评分为 2",
	])
	_message_zh(r, "prj-unscored") == "项目 prj-unscored 以决策智能化的 1 级为起点，但在其开始日期 2026-06-01 当日或之前的最近一次成熟度评估 ma-2026b（2026-02-20）未对该维度评分"
	_message_zh(r, "prj-too-early") == "项目 prj-too-early 以数据资产化的 1 级为起点，但在其开始日期 2025-02-19 当日或之前没有任何成熟度评估"
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
