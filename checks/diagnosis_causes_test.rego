# Unit tests of diagnosis_causes.rego (DIA-005..008); the fixtures they share are in diagnosis_test.rego.
package govern.checks.diagnosis_test

import data.govern.checks.diagnosis
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

_root_cause(id, category) := {id: {"id": id, "category": category, "method": "five_whys", "statement": id}}

_project(id, start, end, extra) := {id: object.union({"id": id, "owner": "p-cto", "start": start, "end": end}, extra)}

_benchmark(id, studied_at) := {id: {"id": id, "peer": "盒马鲜生", "practice": "门店即仓", "studied_at": studied_at}}

# ---------------------------------------------------------------- DIA-005

test_dia_005_a_pain_point_without_root_causes_fires_an_empty_list_too if {
	inv := object.union_n([
		_streams([_stream("vs", [_step("s", {})], {"name": "门店招聘"})]),
		{"pain_points": object.union_n([
			_pain_point("pp-traced", "vs", ["s"], {}),
			_pain_point("pp-empty", "vs", ["s"], {"root_causes": []}),
			{"pp-absent": object.remove(_pain_point("pp-absent", "vs", [], {})["pp-absent"], ["root_causes"])},
		])},
	])
	r := diagnosis.DIA_005 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"pp-empty", "pp-absent"}
	r.evaluated == 3
	_message(r, "pp-empty") == "pain point pp-empty on value stream 门店招聘 (vs) names no root cause"
	_message_zh(r, "pp-empty") == "价值流 门店招聘（vs） 上的痛点 pp-empty 未追溯到根因"
}

# ---------------------------------------------------------------- DIA-006

test_dia_006_a_project_ending_today_removes_a_cause_one_ending_yesterday_does_not if {
	inv := {
		"root_causes": object.union_n([
			_root_cause("rc-today", "architecture"),
			_root_cause("rc-ended", "data_standards"),
			_root_cause("rc-future", "coordination"),
			_root_cause("rc-none", "other"),
		]),
		"projects": object.union_n([
			_project("prj-today", "2026-01-01", "2026-11-25", {"root_causes": ["rc-today"]}),
			_project("prj-yesterday", "2026-01-01", "2026-11-24", {"root_causes": ["rc-ended", "rc-today"]}),
			_project("prj-next-year", "2027-01-01", "2027-12-31", {"root_causes": ["rc-future"]}),
		]),
	}
	r := diagnosis.DIA_006 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"rc-ended", "rc-none"}
	r.evaluated == 4
	_message(r, "rc-ended") == "root cause rc-ended (missing data standards) is listed only by projects that ended before 2026-11-25: prj-yesterday (ended 2026-11-24)"
	_message_zh(r, "rc-ended") == "列出根因 rc-ended（数据标准缺失） 的项目均已在评估基准日 2026-11-25 之前结束：prj-yesterday（2026-11-24 结束）"
	_message(r, "rc-none") == "no project lists root cause rc-none (other) in its root_causes"
	_message_zh(r, "rc-none") == "没有项目在 root_causes 中列出根因 rc-none（其他）"
}

# ---------------------------------------------------------------- DIA-007

test_dia_007_a_study_exactly_n_days_old_passes if {
	inv := {"benchmarks": object.union(_benchmark("bm-old", "2024-01-01"), _benchmark("bm-edge", "2025-11-25"))}
	r := diagnosis.DIA_007 with input as _input(inv) with data.govern.definitions as _defs
	r.evaluated == 1
	count(r.violations) == 0
}

test_dia_007_the_latest_study_one_day_older_fires_on_the_portfolio if {
	inv := {"benchmarks": object.union(_benchmark("bm-old", "2024-01-01"), _benchmark("bm-late", "2025-11-24"))}
	r := diagnosis.DIA_007 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"benchmark"}
	[v.resource.kind | some v in r.violations] == ["portfolio"]
	_message(r, "benchmark") == "the latest benchmark study, bm-late of 2025-11-24, is 366 days old, more than benchmark_interval_days 365"
	_message_zh(r, "benchmark") == "最近一次对标研究 bm-late（2025-11-24）距评估基准日已 366 天，超过 benchmark_interval_days 规定的 365 天"
}

test_dia_007_no_study_at_all_fires if {
	r := diagnosis.DIA_007 with input as _input({}) with data.govern.definitions as _defs
	r.evaluated == 1
	_message(r, "benchmark") == "no benchmark study of a leading peer is recorded"
	_message_zh(r, "benchmark") == "尚无行业领先企业的对标研究"
}

# ---------------------------------------------------------------- DIA-008

test_dia_008_a_running_technology_project_with_no_problem_or_goal_fires if {
	inv := {"projects": object.union_n([
		_project("prj-lab", "2026-07-01", "2027-06-30", {"technologies": ["llm", "aigc"]}),
		_project("prj-empty", "2026-07-01", "2027-06-30", {"technologies": ["ml"], "root_causes": [], "serves": []}),
		_project("prj-cause", "2026-07-01", "2027-06-30", {"technologies": ["iot"], "root_causes": ["rc-a"]}),
		_project("prj-goal", "2026-07-01", "2027-06-30", {"technologies": ["iot"], "serves": ["g-a"]}),
	])}
	r := diagnosis.DIA_008 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"prj-lab", "prj-empty"}
	r.evaluated == 4
	_message(r, "prj-lab") == "running project prj-lab (owner 李娜 (p-cto)) brings in llm, aigc with no root cause to remove and no goal to serve"
	_message_zh(r, "prj-lab") == "在建项目 prj-lab（负责人 李娜（p-cto）） 引入 llm、aigc，却没有要消除的根因，也没有承接的目标"
}

test_dia_008_evaluates_running_projects_that_list_technologies if {
	inv := {"projects": object.union_n([
		_project("prj-ends-today", "2026-01-01", "2026-11-25", {"technologies": ["ml"]}),
		_project("prj-starts-today", "2026-11-25", "2027-11-25", {"technologies": ["ml"]}),
		_project("prj-ended", "2026-01-01", "2026-11-24", {"technologies": ["ml"]}),
		_project("prj-later", "2026-11-26", "2027-11-25", {"technologies": ["ml"]}),
		_project("prj-plain", "2026-01-01", "2026-12-31", {"technologies": []}),
		{"prj-nobody": object.remove(_project("prj-nobody", "2026-01-01", "2026-12-31", {"technologies": ["ml"]})["prj-nobody"], ["owner"])},
	])}
	r := diagnosis.DIA_008 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"prj-ends-today", "prj-starts-today", "prj-nobody"}
	r.evaluated == 3
	_message(r, "prj-nobody") == "running project prj-nobody brings in ml with no root cause to remove and no goal to serve"
	_message_zh(r, "prj-nobody") == "在建项目 prj-nobody 引入 ml，却没有要消除的根因，也没有承接的目标"
}
