# Unit tests of diagnosis.rego (DIA-001..004), and the fixtures the tests of
# diagnosis_causes.rego share.
package govern.checks.diagnosis_test

import data.govern.checks.diagnosis
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

# as_of 2026-11-25: 2025-11-25 is exactly 365 days before it.
_as_of := "2026-11-25"

_policy := {
	"id": "strategy-2026",
	"diagnosis": {"map_interval_days": 365, "max_manual_steps": 1, "benchmark_interval_days": 365},
}

_defs := {"strategy_policy": _policy}

# A StrategyPolicy without a diagnosis section, and no StrategyPolicy at all.
_no_section := {"strategy_policy": {"id": "strategy-2026"}}

_no_policy := {"strategy_policy": null}

_people := {
	"p-biz": {"id": "p-biz", "name": "张敏"},
	"p-cto": {"id": "p-cto", "name": "李娜"},
	"p-ops": {"id": "p-ops", "name": "孙杰"},
}

_input(inventory) := {"as_of": _as_of, "inventory": object.union({"people": _people}, inventory)}

# A complete step; tests override what they exercise.
_step(id, extra) := object.union(
	{"id": id, "owner": "p-ops", "inputs": ["订单"], "outputs": ["库存"], "minutes": 10, "manual": false, "systems": []},
	extra,
)

# A hand-off: manual, between two systems.
_hand_off(id) := _step(id, {"manual": true, "systems": ["sys-a", "sys-b"]})

# A core value stream mapped in time by the whole team; tests override what they exercise.
_stream(id, steps, extra) := {id: object.union(
	{
		"id": id, "core": true, "owner": "p-biz", "mapped_at": "2026-03-10",
		"team": {"business": "p-biz", "technology": "p-cto", "operations": "p-ops"},
		"steps": steps,
	},
	extra,
)}

_streams(vs) := {"value_streams": object.union_n(vs)}

# A stream with one field replaced whole (object.union would merge a `team`),
# or (value null) removed.
_with(stream, key, value) := {id: object.union(object.remove(vs, [key]), {key: value | value != null}) | some id, vs in stream}

_pain_point(id, stream, steps, extra) := {id: object.union(
	{"id": id, "value_stream": stream, "steps": steps, "statement": id, "root_causes": ["rc-a"]},
	extra,
)}

# ---------------------------------------------------------------- DIA-001

test_dia_001_a_map_exactly_n_days_old_passes_and_one_day_more_fires if {
	inv := _streams([
		_stream("vs-edge", [_step("s", {})], {"mapped_at": "2025-11-25"}),
		_stream("vs-stale", [_step("s", {})], {"name": "门店补货", "mapped_at": "2025-11-24"}),
		_stream("vs-fresh", [_step("s", {})], {}),
	])
	r := diagnosis.DIA_001 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"vs-stale"}
	r.evaluated == 3
	_message(r, "vs-stale") == "core value stream 门店补货 (vs-stale), owned by 张敏 (p-biz), was last mapped on 2025-11-24, 366 days ago, more than map_interval_days 365"
	_message_zh(r, "vs-stale") == "核心价值流 门店补货（vs-stale） 最近一次于 2025-11-24 绘制价值流图，距评估基准日已 366 天，超过 map_interval_days 规定的 365 天；负责人 张敏（p-biz）"
}

test_dia_001_a_core_stream_never_mapped_fires if {
	inv := _streams([_with(_stream("vs-new", [_step("s", {})], {}), "mapped_at", null)])
	r := diagnosis.DIA_001 with input as _input(inv) with data.govern.definitions as _defs
	_message(r, "vs-new") == "core value stream vs-new, owned by 张敏 (p-biz), has never been mapped: it has no mapped_at"
	_message_zh(r, "vs-new") == "核心价值流 vs-new 从未绘制价值流图（没有 mapped_at）；负责人 张敏（p-biz）"
}

test_dia_001_a_stream_that_is_not_core_is_not_evaluated if {
	inv := _streams([_stream("vs-side", [_step("s", {})], {"core": false, "mapped_at": "2020-01-01"})])
	r := diagnosis.DIA_001 with input as _input(inv) with data.govern.definitions as _defs
	r.evaluated == 0
	count(r.violations) == 0
}

test_dia_checks_are_not_applicable_without_a_diagnosis_section if {
	inv := object.union_n([
		_streams([_with(_stream("vs-stale", [_hand_off("a"), _hand_off("b")], {"mapped_at": "2020-01-01"}), "team", null)]),
		{"pain_points": _pain_point("pp", "vs-stale", [], {"root_causes": []})},
		{"root_causes": {"rc-a": {"id": "rc-a", "category": "other", "method": "fishbone", "statement": "x"}}},
		{"projects": {"prj": {"id": "prj", "start": "2026-01-01", "end": "2026-12-31", "technologies": ["ml"]}}},
	])
	every defs in [_no_section, _no_policy] {
		results := [
			diagnosis.DIA_001, diagnosis.DIA_002, diagnosis.DIA_003, diagnosis.DIA_004,
			diagnosis.DIA_005, diagnosis.DIA_006, diagnosis.DIA_007, diagnosis.DIA_008,
		] with input as _input(inv)
			with data.govern.definitions as defs
		every r in results {
			r.evaluated == 0
			count(r.violations) == 0
		}
	}

	# the same inventory under the section: every check fires but DIA-002 (its steps are complete)
	fired := [r |
		some r in [
			diagnosis.DIA_001, diagnosis.DIA_002, diagnosis.DIA_003, diagnosis.DIA_004,
			diagnosis.DIA_005, diagnosis.DIA_006, diagnosis.DIA_007, diagnosis.DIA_008,
		]
		count(r.violations) == 1
	] with input as _input(inv)
		with data.govern.definitions as _defs
	count(fired) == 7
}

# ---------------------------------------------------------------- DIA-002

test_dia_002_names_each_incomplete_step_and_what_it_lacks if {
	inv := _streams([
		_stream(
			"vs-gaps", [
				_step("ok", {}),
				object.remove(_step("no-owner-no-minutes", {}), ["owner", "minutes"]),
				_step("empty-inputs", {"inputs": []}),
				_step("null-outputs", {"outputs": null}),
			],
			{"name": "门店补货"},
		),
		_stream("vs-whole", [_step("a", {}), _step("zero", {"minutes": 0})], {}),
	])
	r := diagnosis.DIA_002 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"vs-gaps"}
	r.evaluated == 2
	_message(r, "vs-gaps") == "value stream 门店补货 (vs-gaps) has incomplete steps: step no-owner-no-minutes lacks owner, minutes; step empty-inputs lacks inputs; step null-outputs lacks outputs"
	_message_zh(r, "vs-gaps") == "价值流 门店补货（vs-gaps） 的步骤信息不全：步骤 no-owner-no-minutes 缺少负责人、耗时；步骤 empty-inputs 缺少输入；步骤 null-outputs 缺少输出"
}

test_dia_002_names_steps_by_the_vocabulary_without_it_by_key if {
	inv := _streams([_stream("vs-gaps", [_step("s", {"inputs": []})], {})])
	r := diagnosis.DIA_002 with input as _input(inv) with data.govern.definitions as _defs with data.govern.vocabulary as {}
	_message_zh(r, "vs-gaps") == "价值流 vs-gaps 的步骤信息不全：步骤 s 缺少step_inputs"
}

# ---------------------------------------------------------------- DIA-003

test_dia_003_a_team_missing_one_function_fires if {
	inv := _streams([
		_with(_stream("vs-two", [_step("s", {})], {"name": "门店招聘"}), "team", {"business": "p-biz", "technology": "p-cto"}),
		_with(_stream("vs-none", [_step("s", {})], {}), "team", null),
		_stream("vs-all", [_step("s", {})], {}),
	])
	r := diagnosis.DIA_003 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"vs-two", "vs-none"}
	r.evaluated == 3
	_message(r, "vs-two") == "value stream 门店招聘 (vs-two) was mapped on 2026-03-10 by a team without operations"
	_message_zh(r, "vs-two") == "价值流 门店招聘（vs-two） 于 2026-03-10 绘制，绘制团队缺少运营职能"
	_message(r, "vs-none") == "value stream vs-none was mapped on 2026-03-10 by a team without business, technology, operations"
	_message_zh(r, "vs-none") == "价值流 vs-none 于 2026-03-10 绘制，绘制团队缺少业务职能、技术职能、运营职能"
}

test_dia_003_a_stream_never_mapped_is_not_evaluated if {
	inv := _streams([_with(_with(_stream("vs-unmapped", [_step("s", {})], {}), "team", null), "mapped_at", null)])
	r := diagnosis.DIA_003 with input as _input(inv) with data.govern.definitions as _defs
	r.evaluated == 0
}

# ---------------------------------------------------------------- DIA-004

test_dia_004_exactly_max_manual_steps_hand_offs_pass_and_one_more_fires if {
	inv := _streams([
		_stream("vs-at", [_hand_off("a"), _step("b", {})], {}),
		_stream("vs-over", [_hand_off("a"), _step("b", {}), _hand_off("c")], {"name": "线上订单履约"}),
	])
	r := diagnosis.DIA_004 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"vs-over"}
	r.evaluated == 2
	_message(r, "vs-over") == "value stream 线上订单履约 (vs-over) has 2 hand-offs, more than max_manual_steps 1, and no pain point names a, c"
	_message_zh(r, "vs-over") == "价值流 线上订单履约（vs-over） 有 2 个人工交接步骤，超过 max_manual_steps 规定的 1 个，其中 a、c 没有对应的痛点"
}

test_dia_004_a_manual_step_in_one_system_is_no_hand_off if {
	one := _step("one", {"manual": true, "systems": ["sys-a"]})
	automated := _step("auto", {"systems": ["sys-a", "sys-b"]})
	inv := _streams([_stream("vs", [_hand_off("a"), one, automated], {})])
	r := diagnosis.DIA_004 with input as _input(inv) with data.govern.definitions as _defs
	count(r.violations) == 0
}

test_dia_004_passes_when_a_pain_point_of_this_stream_names_every_hand_off if {
	inv := object.union_n([
		_streams([_stream("vs", [_hand_off("a"), _hand_off("b")], {}), _stream("vs-other", [_hand_off("b")], {})]),
		{"pain_points": object.union(_pain_point("pp-1", "vs", ["a"], {}), _pain_point("pp-2", "vs", ["b"], {}))},
	])
	r := diagnosis.DIA_004 with input as _input(inv) with data.govern.definitions as _defs
	count(r.violations) == 0
}

test_dia_004_a_pain_point_of_another_stream_does_not_count if {
	inv := object.union_n([
		_streams([_stream("vs", [_hand_off("a"), _hand_off("b")], {}), _stream("vs-other", [_hand_off("b")], {})]),
		{"pain_points": object.union(_pain_point("pp-1", "vs", ["a"], {}), _pain_point("pp-2", "vs-other", ["b"], {}))},
	])
	r := diagnosis.DIA_004 with input as _input(inv) with data.govern.definitions as _defs
	_ids(r) == {"vs"}
	_message(r, "vs") == "value stream vs has 2 hand-offs, more than max_manual_steps 1, and no pain point names b"
}

test_dia_004_max_manual_steps_zero_needs_a_pain_point_on_every_hand_off if {
	defs := {"strategy_policy": object.union(_policy, {"diagnosis": {"max_manual_steps": 0}})}
	inv := _streams([_stream("vs", [_hand_off("a")], {})])
	r := diagnosis.DIA_004 with input as _input(inv) with data.govern.definitions as defs
	_ids(r) == {"vs"}
}
