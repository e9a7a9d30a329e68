package govern.checks.budget_test

import data.govern.checks.budget
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

_policy := {
	"id": "budget", "currency": "CNY",
	"categories": ["technology", "talent", "operations"],
	"tolerance_pp": 10,
	"phases": [
		{"id": "pilot", "months": [1, 6], "target_share": {"technology": 0.60}},
		{"id": "scale_up", "months": [7, 18], "target_share": {"talent": 0.30, "operations": 0.30}},
		{"id": "deepen", "months": [19, 36], "target_share": {}},
	],
	"line_overspend_tolerance": 0.05,
	"required_cost_tags": ["cost_center", "project", "environment"],
	"tag_compliance_min": 0.95,
}

_defs := {"budget_policy": _policy}

_project(id, phase, start, end) := {id: {"id": id, "phase": phase, "start": start, "end": end}}

_line(id, project, category, amount) := {id: {"id": id, "project": project, "category": category, "amount": amount, "owner": "p-cto"}}

_tags := {"cost_center": "CC-1", "project": "prj-a", "environment": "prod"}

_spend(id, line, amount, date) := {id: {"id": id, "budget_line": line, "amount": amount, "date": date, "tags": _tags}}

_allocation(id, project, amount) := {id: {"id": id, "type": "budget_allocation", "subject": {"kind": "project", "id": project}, "amount": amount}}

_input(inventory) := {"as_of": "2026-11-25", "inventory": inventory}

# ---------------------------------------------------------------- BUD-001

test_bud_001_fires_on_unknown_category_and_missing_owner if {
	lines := object.union(
		{"bl-1": {"id": "bl-1", "project": "prj-a", "category": "marketing", "amount": 10}},
		_line("bl-2", "prj-a", "talent", 10),
	)
	r := budget.BUD_001 with input as _input({"budget_lines": lines}) with data.govern.definitions as _defs
	_ids(r) == {"bl-1"}
	r.evaluated == 2
	_message(r, "bl-1") == "budget line bl-1 of project prj-a has category marketing, not one of technology, talent, operations and has no owner"
	_message_zh(r, "bl-1") == "项目 prj-a 的预算行 bl-1 类别为marketing，不属于技术、人才、运营中的任何一个，且没有负责人"
}

test_bud_001_fires_on_missing_owner_alone if {
	lines := {"bl-1": {"id": "bl-1", "project": "prj-a", "category": "talent", "amount": 10}}
	r := budget.BUD_001 with input as _input({"budget_lines": lines}) with data.govern.definitions as _defs
	_message(r, "bl-1") == "budget line bl-1 of project prj-a has no owner"
	_message_zh(r, "bl-1") == "项目 prj-a 的预算行 bl-1 没有负责人"
}

test_bud_001_not_applicable_without_policy if {
	lines := {"bl-1": {"id": "bl-1", "project": "prj-a", "category": "marketing", "amount": 10}}
	r := budget.BUD_001 with input as _input({"budget_lines": lines}) with data.govern.definitions as {"budget_policy": null}
	r.evaluated == 0
	count(r.violations) == 0
}

# ---------------------------------------------------------------- BUD-002

_pilot(tech, talent) := {
	"projects": object.union(_project("prj-a", "pilot", "2026-06-01", "2027-05-31"), _project("prj-b", "pilot", "2026-07-01", "2027-06-30")),
	"budget_lines": object.union(_line("bl-1", "prj-a", "technology", tech), _line("bl-2", "prj-b", "talent", talent)),
}

test_bud_002_passes_exactly_at_tolerance if {
	r := budget.BUD_002 with input as _input(_pilot(70, 30)) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_bud_002_fires_past_tolerance if {
	r := budget.BUD_002 with input as _input(_pilot(710, 290)) with data.govern.definitions as _defs
	_ids(r) == {"pilot"}
	_message(r, "pilot") == "the pilot phase allocates 1,000 over 2 budget lines off target: technology 71.0% (target 60.0% ± 10 pp)"
	_message_zh(r, "pilot") == "试点期在 2 条预算行中分配 1,000，偏离目标占比：技术占 71.0%（目标 60.0% ± 10 个百分点）"
}

test_bud_002_fires_below_target if {
	r := budget.BUD_002 with input as _input(_pilot(49, 51)) with data.govern.definitions as _defs
	contains(_message(r, "pilot"), "technology 49.0% (target 60.0% ± 10 pp)")
}

# 0.2 against a 0.3 target is 10.000000000000000001 pp in binary floating point:
# on the tolerance, so it must pass.
test_bud_002_decimal_targets_do_not_misfire_on_the_bound if {
	inventory := {
		"projects": _project("prj-s", "scale_up", "2025-01-01", "2027-12-31"),
		"budget_lines": object.union_n([
			_line("bl-1", "prj-s", "talent", 20),
			_line("bl-2", "prj-s", "operations", 40),
			_line("bl-3", "prj-s", "technology", 40),
		]),
	}
	r := budget.BUD_002 with input as _input(inventory) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_bud_002_lists_every_category_off_target if {
	inventory := {
		"projects": _project("prj-s", "scale_up", "2025-01-01", "2027-12-31"),
		"budget_lines": object.union(_line("bl-1", "prj-s", "talent", 50), _line("bl-2", "prj-s", "technology", 50)),
	}
	r := budget.BUD_002 with input as _input(inventory) with data.govern.definitions as _defs
	_message(r, "scale_up") == "the scale-up phase allocates 100 over 2 budget lines off target: operations 0.0% (target 30.0% ± 10 pp); talent 50.0% (target 30.0% ± 10 pp)"
	_message_zh(r, "scale_up") == "推广期在 2 条预算行中分配 100，偏离目标占比：运营占 0.0%（目标 30.0% ± 10 个百分点）；人才占 50.0%（目标 30.0% ± 10 个百分点）"
}

test_bud_002_skips_phases_without_targets_lines_or_total if {
	inventory := {
		"projects": object.union(_project("prj-d", "deepen", "2024-01-01", "2027-12-31"), _project("prj-z", "pilot", "2026-06-01", "2027-05-31")),
		"budget_lines": object.union(_line("bl-1", "prj-d", "talent", 100), _line("bl-2", "prj-z", "talent", 0)),
	}
	r := budget.BUD_002 with input as _input(inventory) with data.govern.definitions as _defs
	r.evaluated == 0
}

# BUD-002's observations: its own reading of each targeted category, per
# evaluated phase, in band or not.
_two_phases(tech, talent, ops) := {
	"projects": object.union(_project("prj-a", "pilot", "2026-06-01", "2027-05-31"), _project("prj-s", "scale_up", "2025-01-01", "2027-12-31")),
	"budget_lines": object.union_n([
		_line("bl-1", "prj-a", "technology", 65),
		_line("bl-2", "prj-a", "talent", 35),
		_line("bl-3", "prj-s", "talent", talent),
		_line("bl-4", "prj-s", "operations", ops),
		_line("bl-5", "prj-s", "technology", tech),
	]),
}

test_bud_002_observes_in_band_and_off_band_phases if {
	r := budget.BUD_002 with input as _input(_two_phases(50, 50, 0)) with data.govern.definitions as _defs
	r.observations == {
		"pilot": {"technology": {"share": 0.65, "target": 0.6, "low": 0.5, "high": 0.7, "in_band": true}},
		"scale_up": {
			"talent": {"share": 0.5, "target": 0.3, "low": 0.2, "high": 0.4, "in_band": false},
			"operations": {"share": 0, "target": 0.3, "low": 0.2, "high": 0.4, "in_band": false},
		},
	}
	_ids(r) == {"scale_up"}
	r.evaluated == 2
}

test_bud_002_observes_the_bound_as_in_band if {
	at_high := budget.BUD_002 with input as _input(_pilot(70, 30)) with data.govern.definitions as _defs
	at_high.observations.pilot.technology == {"share": 0.7, "target": 0.6, "low": 0.5, "high": 0.7, "in_band": true}
	at_low := budget.BUD_002 with input as _input(_pilot(50, 50)) with data.govern.definitions as _defs
	at_low.observations.pilot.technology == {"share": 0.5, "target": 0.6, "low": 0.5, "high": 0.7, "in_band": true}
	count(at_low.violations) == 0
	past := budget.BUD_002 with input as _input(_pilot(701, 299)) with data.govern.definitions as _defs
	past.observations.pilot.technology.in_band == false
	_ids(past) == {"pilot"}
}

# 0.2 against 0.3 is on the bound at 1e-9 precision: in band, as the check says.
test_bud_002_observes_decimal_targets_on_the_bound_as_in_band if {
	r := budget.BUD_002 with input as _input(_two_phases(40, 20, 40)) with data.govern.definitions as _defs
	r.observations.scale_up.talent == {"share": 0.2, "target": 0.3, "low": 0.2, "high": 0.4, "in_band": true}
	r.observations.scale_up.operations.in_band == true
	count(r.violations) == 0
}

# Differing from the target by less than 1e-9 of a percentage point past the
# tolerance rounds onto the bound: in band, and the check agrees.
test_bud_002_observes_within_1e_9_of_the_bound_as_in_band if {
	r := budget.BUD_002 with input as _input(_pilot(70000000000001, 29999999999999)) with data.govern.definitions as _defs
	r.observations.pilot.technology.share > 0.7
	r.observations.pilot.technology.in_band == true
	count(r.violations) == 0
}

test_bud_002_clamps_the_band_to_0_and_1 if {
	policy := object.union(_policy, {"phases": [{"id": "pilot", "months": [1, 6], "target_share": {"technology": 0.95, "talent": 0.05}}]})
	r := budget.BUD_002 with input as _input(_pilot(95, 5)) with data.govern.definitions as {"budget_policy": policy}
	r.observations.pilot.technology.high == 1
	r.observations.pilot.talent.low == 0
}

test_bud_002_observes_no_phase_it_does_not_evaluate if {
	inventory := {
		"projects": object.union(_project("prj-d", "deepen", "2024-01-01", "2027-12-31"), _project("prj-z", "pilot", "2026-06-01", "2027-05-31")),
		"budget_lines": object.union(_line("bl-1", "prj-d", "talent", 100), _line("bl-2", "prj-z", "talent", 0)),
	}
	r := budget.BUD_002 with input as _input(inventory) with data.govern.definitions as _defs
	r.observations == {}
	without_policy := budget.BUD_002 with input as _input(_pilot(70, 30)) with data.govern.definitions as {"budget_policy": null}
	without_policy.observations == {}
}

test_only_bud_002_carries_observations if {
	r := budget.BUD_003 with input as _input(_pilot(70, 30)) with data.govern.definitions as _defs
	object.keys(r) == {"meta", "evaluated", "violations"}
}

# ---------------------------------------------------------------- BUD-003

_overspend(spent, decisions) := {
	"budget_lines": _line("bl-18", "prj-a", "technology", 2500000),
	"spend": object.union(_spend("sp-1", "bl-18", 2000000, "2026-03-01"), _spend("sp-2", "bl-18", spent - 2000000, "2026-06-01")),
	"decisions": decisions,
}

test_bud_003_passes_exactly_at_amount_plus_tolerance if {
	r := budget.BUD_003 with input as _input(_overspend(2625000, {})) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_bud_003_fires_above_amount_plus_tolerance if {
	r := budget.BUD_003 with input as _input(_overspend(2625001, {})) with data.govern.definitions as _defs
	_message(r, "bl-18") == "spend 2,625,001 on bl-18 exceeds 2,500,000 × 1.05 (limit 2,625,000) and no budget reallocation decision covers it"
	_message_zh(r, "bl-18") == "预算行 bl-18 的支出 2,625,001 超过 2,500,000 × 1.05（上限 2,625,000），且没有预算调整类型的决策覆盖该预算行"
}

test_bud_003_reallocation_decision_covers_the_line if {
	decisions := {"d1": {"id": "d1", "type": "budget_reallocation", "subject": {"kind": "budget_line", "id": "bl-18"}, "amount": 300000}}
	r := budget.BUD_003 with input as _input(_overspend(2730000, decisions)) with data.govern.definitions as _defs
	count(r.violations) == 0
}

# ---------------------------------------------------------------- BUD-004

# 2026-01-01 .. 2027-01-01 is 365 days; on 2026-11-25 328 have elapsed.
_running(spent, extra) := {
	"projects": _project("prj-a", "pilot", "2026-01-01", "2027-01-01"),
	"budget_lines": object.union(_line("bl-1", "prj-a", "technology", 200000), _line("bl-2", "prj-a", "talent", 165000)),
	"spend": object.union(_spend("sp-1", "bl-1", spent, "2026-11-25"), extra),
}

test_bud_004_passes_when_run_rate_lands_exactly_on_budget if {
	r := budget.BUD_004 with input as _input(_running(328000, {})) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_bud_004_fires_when_run_rate_exceeds_budget if {
	r := budget.BUD_004 with input as _input(_running(328001, {})) with data.govern.definitions as _defs
	_message(r, "prj-a") == "project prj-a spent 328,001 in 328 of its 365 days; at that rate it reaches 365,001 by 2027-01-01, above its budget lines' total 365,000"
	_message_zh(r, "prj-a") == "项目 prj-a 在全部 365 天中的前 328 天支出 328,001；按此速度，至 2027-01-01 将达到 365,001，超过其预算行合计 365,000"
}

test_bud_004_counts_spend_to_date_only if {
	later := _spend("sp-2", "bl-2", 100000, "2026-11-26")
	r := budget.BUD_004 with input as _input(_running(328000, later)) with data.govern.definitions as _defs
	count(r.violations) == 0
}

test_bud_004_counts_every_line_of_the_project if {
	other := _spend("sp-2", "bl-2", 1, "2026-02-01")
	r := budget.BUD_004 with input as _input(_running(328000, other)) with data.govern.definitions as _defs
	_ids(r) == {"prj-a"}
}

test_bud_004_skips_projects_not_under_way if {
	inventory := {
		"projects": object.union_n([
			_project("prj-a", "pilot", "2026-11-25", "2027-11-25"),
			_project("prj-b", "pilot", "2025-11-25", "2026-11-25"),
			_project("prj-c", "pilot", "2026-01-01", "2026-12-31"),
		]),
		"budget_lines": object.union(_line("bl-1", "prj-a", "technology", 1), _line("bl-2", "prj-b", "technology", 1)),
		"spend": object.union(_spend("sp-1", "bl-1", 900, "2026-11-25"), _spend("sp-2", "bl-2", 900, "2026-11-01")),
	}
	r := budget.BUD_004 with input as _input(inventory) with data.govern.definitions as _defs
	r.evaluated == 0
}

# ---------------------------------------------------------------- BUD-005

_tagged_spend(untagged_amount, untagged_tags) := object.union(
	_spend("sp-1", "bl-1", 100 - untagged_amount, "2026-03-01"),
	{"sp-2": {"id": "sp-2", "budget_line": "bl-1", "amount": untagged_amount, "date": "2026-03-02", "tags": untagged_tags}},
)

test_bud_005_passes_exactly_at_minimum if {
	r := budget.BUD_005 with input as _input({"spend": _tagged_spend(5, {"cost_center": "CC-1"})}) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_bud_005_fires_below_minimum if {
	r := budget.BUD_005 with input as _input({"spend": _tagged_spend(6, {"cost_center": "CC-1"})}) with data.govern.definitions as _defs
	_ids(r) == {"spend"}
	_message(r, "spend") == "spend carrying every required cost tag (cost_center, project, environment) is 94 of 100 (94.0%), below the minimum 95.0%; untagged: sp-2 (project, environment)"
	_message_zh(r, "spend") == "带齐全部必需成本标签（cost_center、project、environment）的支出为 94，占总支出 100 的 94.0%，低于最低要求 95.0%；缺少标签的支出：sp-2（缺少 project、environment）"
}

test_bud_005_empty_tag_value_counts_as_missing if {
	tags := {"cost_center": "CC-1", "project": "prj-a", "environment": ""}
	r := budget.BUD_005 with input as _input({"spend": _tagged_spend(50, tags)}) with data.govern.definitions as _defs
	contains(_message(r, "spend"), "untagged: sp-2 (environment)")
}

test_bud_005_lists_at_most_ten_untagged if {
	spend := {sprintf("sp-%02d", [i]): {"id": sprintf("sp-%02d", [i]), "budget_line": "bl-1", "amount": 10, "date": "2026-03-01"} | some i in numbers.range(1, 12)}
	r := budget.BUD_005 with input as _input({"spend": spend}) with data.govern.definitions as _defs
	endswith(_message(r, "spend"), "sp-10 (cost_center, project, environment), and 2 more")
	endswith(_message_zh(r, "spend"), "：sp-01（缺少 cost_center、project、environment），sp-02（缺少 cost_center、project、environment），sp-03（缺少 cost_center、project、environment），sp-04（缺少 cost_center、project、environment），sp-05（缺少 cost_center、project、environment），sp-06（缺少 cost_center、project、environment），sp-07（缺少 cost_center、project、environment），sp-08（缺少 cost_center、project、environment），sp-09（缺少 cost_center、project、environment），sp-10（缺少 cost_center、project、environment），另有 2 笔")
}

test_bud_005_not_applicable_without_spend_or_policy if {
	r := budget.BUD_005 with input as _input({}) with data.govern.definitions as _defs
	r.evaluated == 0
	r2 := budget.BUD_005 with input as _input({"spend": _tagged_spend(50, {})}) with data.govern.definitions as {}
	r2.evaluated == 0
}

# ---------------------------------------------------------------- BUD-006

test_bud_006_passes_in_the_last_month_of_the_phase if {
	# started in June 2026: November 2026 is month 6, the last pilot month
	r := budget.BUD_006 with input as _input({"projects": _project("prj-a", "pilot", "2026-06-30", "2027-05-31")}) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_bud_006_fires_one_month_past_the_phase if {
	r := budget.BUD_006 with input as _input({"projects": _project("prj-a", "pilot", "2026-05-31", "2027-05-31")}) with data.govern.definitions as _defs
	_message(r, "prj-a") == "project prj-a is in month 7 since its start on 2026-05-31, outside the pilot phase (months 1–6)"
	_message_zh(r, "prj-a") == "项目 prj-a 自 2026-05-31 启动，目前处于第 7 个月，不在试点期的月份范围（第 1–6 个月）内"
}

test_bud_006_fires_before_the_phase_across_years if {
	# December 2025 to November 2026 is month 12, inside scale_up (7–18), not deepen (19–36)
	projects := object.union(_project("prj-a", "scale_up", "2025-12-01", "2027-12-31"), _project("prj-b", "deepen", "2025-12-01", "2027-12-31"))
	r := budget.BUD_006 with input as _input({"projects": projects}) with data.govern.definitions as _defs
	_ids(r) == {"prj-b"}
	contains(_message(r, "prj-b"), "month 12")
}

test_bud_006_evaluates_projects_starting_or_ending_today if {
	# started today: month 1, outside scale_up (7–18); ends today after 13 months: month 13, inside it
	projects := object.union(_project("prj-a", "scale_up", "2026-11-25", "2027-12-31"), _project("prj-b", "scale_up", "2025-11-01", "2026-11-25"))
	r := budget.BUD_006 with input as _input({"projects": projects}) with data.govern.definitions as _defs
	r.evaluated == 2
	_ids(r) == {"prj-a"}
	_message(r, "prj-a") == "project prj-a is in month 1 since its start on 2026-11-25, outside the scale-up phase (months 7–18)"
}

test_bud_006_skips_projects_not_running if {
	projects := object.union_n([
		_project("prj-a", "pilot", "2026-12-01", "2027-05-31"),
		_project("prj-b", "pilot", "2024-01-01", "2026-11-24"),
		{"prj-c": {"id": "prj-c", "start": "2026-01-01", "end": "2026-12-31"}},
	])
	r := budget.BUD_006 with input as _input({"projects": projects}) with data.govern.definitions as _defs
	r.evaluated == 0
}

# ---------------------------------------------------------------- BUD-007

_funded(decisions) := {
	"projects": _project("prj-a", "pilot", "2026-01-01", "2026-12-31"),
	"budget_lines": object.union(_line("bl-1", "prj-a", "technology", 600), _line("bl-2", "prj-a", "talent", 400)),
	"decisions": decisions,
}

test_bud_007_passes_when_one_allocation_equals_the_lines if {
	r := budget.BUD_007 with input as _input(_funded(_allocation("d1", "prj-a", 1000))) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_bud_007_does_not_add_up_smaller_allocations if {
	decisions := object.union(_allocation("d1", "prj-a", 600), _allocation("d2", "prj-a", 999))
	r := budget.BUD_007 with input as _input(_funded(decisions)) with data.govern.definitions as _defs
	_message(r, "prj-a") == "project prj-a has budget lines totalling 1,000 but its largest budget allocation decision, d2, is 999"
	_message_zh(r, "prj-a") == "项目 prj-a 的预算行合计 1,000，但其金额最大的预算分配类型决策 d2 仅为 999"
}

test_bud_007_fires_without_allocation if {
	decisions := {
		"d1": {"id": "d1", "type": "budget_reallocation", "subject": {"kind": "project", "id": "prj-a"}, "amount": 5000},
		"d2": {"id": "d2", "type": "budget_allocation", "subject": {"kind": "project", "id": "prj-a"}},
		"d3": {"id": "d3", "type": "budget_allocation", "subject": {"kind": "project", "id": "prj-b"}, "amount": 5000},
	}
	r := budget.BUD_007 with input as _input(_funded(decisions)) with data.govern.definitions as _defs
	_message(r, "prj-a") == "project prj-a has budget lines totalling 1,000 but no budget allocation decision names it"
	_message_zh(r, "prj-a") == "项目 prj-a 的预算行合计 1,000，但没有以其为对象的预算分配类型决策"
}

test_bud_007_skips_projects_without_lines if {
	r := budget.BUD_007 with input as _input({"projects": _project("prj-a", "pilot", "2026-01-01", "2026-12-31")}) with data.govern.definitions as _defs
	r.evaluated == 0
}
