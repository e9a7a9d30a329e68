package govern.waiver_checks_test

import data.govern.testing.ids as _ids
import data.govern.waiver_checks as wav

_people := {
	"p-ceo": {"id": "p-ceo", "name": "王伟", "roles": ["CEO"]},
	"p-cto": {"id": "p-cto", "name": "李娜", "roles": ["HEAD_TECHNOLOGY"]},
	"p-cdo": {"id": "p-cdo", "name": "陈静", "roles": ["HEAD_DATA", "CISO"]},
	"p-ops": {"id": "p-ops", "name": "孙杰", "roles": ["SRE_LEAD"]},
}

_authority := {
	"id": "doa",
	"limits": {"waiver": {"CEO": null, "HEAD_DATA": 0}},
	"max_waiver_days": 180,
}

_defs := {"authority_matrix": _authority}

# A valid waiver of BUD-003 on bl-18, as of 2026-06-01; tests override one field.
_waiver(overrides) := object.union(
	{
		"id": "wv-1", "check": "BUD-003",
		"resource": {"kind": "budget_line", "id": "bl-18"},
		"justification": "GPU pre-purchase",
		"requested_by": "p-cto", "approved_by": "p-ceo",
		"approved_at": "2026-05-02", "expires": "2026-10-29",
	},
	overrides,
)

_input(w) := {"as_of": "2026-06-01", "inventory": {"people": _people}, "waivers": {"wv-1": w}}

# Stand-in check results for the rules that read the rest of the library.
_checks := {
	"budget": {"BUD_003": {
		"meta": {"title": "t", "custom": {"id": "BUD-003", "severity": "high", "waivable": true}},
		"evaluated": 2,
		"violations": {{"resource": {"kind": "budget_line", "id": "bl-18"}, "message": "over"}},
	}},
	"placement": {"PLC_001": {
		"meta": {"title": "t", "custom": {"id": "PLC-001", "severity": "critical", "waivable": false}},
		"evaluated": 1,
		"violations": {{"resource": {"kind": "system", "id": "sys-a"}, "message": "public"}},
	}},
}

# ---------------------------------------------------------------- WAV-001

test_wav_001_fires_when_requester_approves if {
	r := wav.WAV_001 with input as _input(_waiver({"approved_by": "p-cto"})) with data.govern.definitions as _defs
	_ids(r) == {"wv-1"}
	r.evaluated == 1
	some v in r.violations
	contains(v.message, "own requester 李娜 (p-cto)")
	v.message_zh == "豁免 wv-1（检查 BUD-003，预算行 bl-18）由其申请人 李娜（p-cto） 本人批准"
}

test_wav_001_passes_with_a_second_person if {
	r := wav.WAV_001 with input as _input(_waiver({})) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_wav_001_not_applicable_without_waivers if {
	r := wav.WAV_001 with input as {"as_of": "2026-06-01", "inventory": {"people": _people}}
		with data.govern.definitions as _defs
	r.evaluated == 0
}

# ---------------------------------------------------------------- WAV-002

test_wav_002_fires_when_approver_has_no_waiver_role if {
	r := wav.WAV_002 with input as _input(_waiver({"approved_by": "p-ops"})) with data.govern.definitions as _defs
	_ids(r) == {"wv-1"}
	some v in r.violations
	contains(v.message, "SRE_LEAD")
	contains(v.message, "CEO, HEAD_DATA")
	v.message_zh == "豁免 wv-1 的批准人 孙杰（p-ops），角色为 SRE_LEAD，未担任任何有权批准豁免的角色（limits.waiver：CEO、HEAD_DATA）"
}

test_wav_002_passes_for_a_role_with_no_limit if {
	r := wav.WAV_002 with input as _input(_waiver({})) with data.govern.definitions as _defs
	count(r.violations) == 0
}

test_wav_002_passes_for_any_listed_role_among_several if {
	# p-cdo holds CISO (not listed) and HEAD_DATA (listed with a numeric limit)
	r := wav.WAV_002 with input as _input(_waiver({"approved_by": "p-cdo"})) with data.govern.definitions as _defs
	count(r.violations) == 0
}

test_wav_002_fires_without_an_authority_matrix if {
	r := wav.WAV_002 with input as _input(_waiver({})) with data.govern.definitions as {"authority_matrix": null}
	_ids(r) == {"wv-1"}
	some v in r.violations
	contains(v.message, "limits.waiver: none")
	v.message_zh == "豁免 wv-1 的批准人 王伟（p-ceo），角色为 CEO，未担任任何有权批准豁免的角色（limits.waiver：无）"
}

test_wav_002_fires_when_matrix_has_no_waiver_limits if {
	r := wav.WAV_002 with input as _input(_waiver({}))
		with data.govern.definitions as {"authority_matrix": {"id": "doa", "limits": {"budget_allocation": {"CEO": null}}}}
	_ids(r) == {"wv-1"}
}

# ---------------------------------------------------------------- WAV-003

test_wav_003_fires_one_day_over_the_maximum if {
	# 2026-05-02 + 181 days = 2026-10-30
	r := wav.WAV_003 with input as _input(_waiver({"expires": "2026-10-30"})) with data.govern.definitions as _defs
	_ids(r) == {"wv-1"}
	some v in r.violations
	contains(v.message, "runs 181 days")
	contains(v.message, "max_waiver_days 180")
	v.message_zh == "豁免 wv-1 有效期为 181 天（2026-05-02 批准，2026-10-30 到期），超过 max_waiver_days 规定的 180 天"
}

test_wav_003_passes_at_exactly_the_maximum if {
	r := wav.WAV_003 with input as _input(_waiver({"expires": "2026-10-29"})) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_wav_003_not_applicable_without_a_maximum if {
	r := wav.WAV_003 with input as _input(_waiver({"expires": "2030-01-01"}))
		with data.govern.definitions as {"authority_matrix": {"id": "doa", "limits": {}}}
	count(r.violations) == 0
	r.evaluated == 0
}

test_wav_003_not_applicable_without_an_authority_matrix if {
	r := wav.WAV_003 with input as _input(_waiver({"expires": "2030-01-01"}))
		with data.govern.definitions as {"authority_matrix": null}
	r.evaluated == 0
}

# ---------------------------------------------------------------- WAV-004

test_wav_004_fires_for_a_non_waivable_check if {
	w := _waiver({"check": "PLC-001", "resource": {"kind": "system", "id": "sys-a"}})
	r := wav.WAV_004 with input as _input(w) with data.govern.definitions as _defs
		with data.govern.checks as _checks
	_ids(r) == {"wv-1"}
	some v in r.violations
	contains(v.message, "PLC-001, which is not waivable")
	v.message_zh == "豁免 wv-1 针对的检查 PLC-001 不可豁免"
}

test_wav_004_fires_for_a_waiver_check if {
	w := _waiver({"check": "WAV-005", "resource": {"kind": "waiver", "id": "wv-2"}})
	r := wav.WAV_004 with input as _input(w) with data.govern.definitions as _defs
		with data.govern.checks as _checks
	_ids(r) == {"wv-1"}
}

test_wav_004_fires_for_an_action_check_known_by_its_prefix if {
	w := _waiver({"check": "ACT-003", "resource": {"kind": "action", "id": "act-1"}})
	r := wav.WAV_004 with input as _input(w) with data.govern.definitions as _defs
		with data.govern.checks as _checks
	_ids(r) == {"wv-1"}
}

test_wav_004_an_id_that_only_resembles_the_prefix_is_not_an_action_check if {
	r := wav.WAV_004 with input as _input(_waiver({"check": "ACTX-003"})) with data.govern.definitions as _defs
		with data.govern.checks as _checks
	count(r.violations) == 0
}

test_wav_004_passes_for_a_waivable_check if {
	r := wav.WAV_004 with input as _input(_waiver({})) with data.govern.definitions as _defs
		with data.govern.checks as _checks
	count(r.violations) == 0
}

test_wav_004_leaves_unknown_checks_to_wav_006 if {
	r := wav.WAV_004 with input as _input(_waiver({"check": "XYZ-999"})) with data.govern.definitions as _defs
		with data.govern.checks as _checks
	count(r.violations) == 0
}

test_wav_004_reads_the_real_library_metadata if {
	# PLC-001 is declared `waivable: false` in checks/placement.rego
	w := _waiver({"check": "PLC-001", "resource": {"kind": "system", "id": "sys-a"}})
	r := wav.WAV_004 with input as _input(w) with data.govern.definitions as _defs
	_ids(r) == {"wv-1"}
}

# ---------------------------------------------------------------- WAV-005

test_wav_005_fires_the_day_after_expiry if {
	r := wav.WAV_005 with input as _input(_waiver({"expires": "2026-05-31"})) with data.govern.definitions as _defs
	_ids(r) == {"wv-1"}
	some v in r.violations
	contains(v.message, "expired on 2026-05-31 (1 days before 2026-06-01)")
	v.message_zh == "豁免 wv-1（检查 BUD-003，预算行 bl-18）已于 2026-05-31 到期（早于评估基准日 2026-06-01 共 1 天）"
}

test_wav_005_passes_on_the_expiry_day if {
	r := wav.WAV_005 with input as _input(_waiver({"expires": "2026-06-01"})) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

# ---------------------------------------------------------------- WAV-006

test_wav_006_passes_when_the_waiver_matches_a_violation if {
	r := wav.WAV_006 with input as _input(_waiver({})) with data.govern.definitions as _defs
		with data.govern.checks as _checks
	count(r.violations) == 0
	r.evaluated == 1
}

test_wav_006_fires_when_the_resource_has_no_violation if {
	w := _waiver({"resource": {"kind": "budget_line", "id": "bl-99"}})
	r := wav.WAV_006 with input as _input(w) with data.govern.definitions as _defs
		with data.govern.checks as _checks
	_ids(r) == {"wv-1"}
	some v in r.violations
	contains(v.message, "BUD-003 reports nothing on budget line bl-99")
	v.message_zh == "豁免 wv-1 已无对应发现：本次运行中检查 BUD-003 未对预算行 bl-99 报告任何发现"
}

test_wav_006_matches_the_resource_kind_too if {
	w := _waiver({"resource": {"kind": "project", "id": "bl-18"}})
	r := wav.WAV_006 with input as _input(w) with data.govern.definitions as _defs
		with data.govern.checks as _checks
	_ids(r) == {"wv-1"}
}

test_wav_006_fires_for_an_unknown_check if {
	r := wav.WAV_006 with input as _input(_waiver({"check": "XYZ-999"})) with data.govern.definitions as _defs
		with data.govern.checks as _checks
	_ids(r) == {"wv-1"}
	some v in r.violations
	contains(v.message, "XYZ-999, which does not exist")
	v.message_zh == "豁免 wv-1 已无对应发现：其针对的检查 XYZ-999 不在检查库中"
}

test_wav_006_still_reports_an_invalid_stale_waiver if {
	w := _waiver({"approved_by": "p-cto", "resource": {"kind": "budget_line", "id": "bl-99"}})
	r := wav.WAV_006 with input as _input(w) with data.govern.definitions as _defs
		with data.govern.checks as _checks
	_ids(r) == {"wv-1"}
}

test_wav_006_sees_other_waiver_checks_violations if {
	# wv-2 waives WAV-005 on wv-1, which has expired: it matches a finding
	expired := _waiver({"expires": "2026-05-01"})
	meta := _waiver({"id": "wv-2", "check": "WAV-005", "resource": {"kind": "waiver", "id": "wv-1"}})
	inp := {"as_of": "2026-06-01", "inventory": {"people": _people}, "waivers": {"wv-1": expired, "wv-2": meta}}
	r := wav.WAV_006 with input as inp with data.govern.definitions as _defs
		with data.govern.checks as _checks
	not "wv-2" in _ids(r)
}

test_wav_006_skips_a_waiver_of_itself if {
	w := _waiver({"check": "WAV-006", "resource": {"kind": "waiver", "id": "wv-1"}})
	r := wav.WAV_006 with input as _input(w) with data.govern.definitions as _defs
		with data.govern.checks as _checks
	r.evaluated == 0
	count(r.violations) == 0
}

# ---------------------------------------------------------------- WAV-007

test_wav_007_fires_the_day_after_as_of if {
	r := wav.WAV_007 with input as _input(_waiver({"approved_at": "2026-06-02"})) with data.govern.definitions as _defs
	_ids(r) == {"wv-1"}
	r.evaluated == 1
	some v in r.violations
	contains(v.message, "approved on 2026-06-02, 1 days after 2026-06-01: it is not yet in force")
	v.message_zh == "豁免 wv-1（检查 BUD-003，预算行 bl-18）的批准日期 2026-06-02 晚于评估基准日 2026-06-01 共 1 天，尚未生效"
}

test_wav_007_fires_for_an_approval_far_in_the_future if {
	w := _waiver({"approved_at": "2199-01-01", "expires": "2199-06-30"})
	r := wav.WAV_007 with input as _input(w) with data.govern.definitions as _defs
	_ids(r) == {"wv-1"}
}

test_wav_007_passes_when_approved_on_as_of if {
	r := wav.WAV_007 with input as _input(_waiver({"approved_at": "2026-06-01"})) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

# ---------------------------------------------------------------- WAV-008

test_wav_008_fires_when_expiring_the_day_before_approval if {
	r := wav.WAV_008 with input as _input(_waiver({"expires": "2026-05-01"})) with data.govern.definitions as _defs
	_ids(r) == {"wv-1"}
	r.evaluated == 1
	some v in r.violations
	contains(v.message, "expires on 2026-05-01, 1 days before it was approved on 2026-05-02")
	v.message_zh == "豁免 wv-1 的到期日 2026-05-01 早于其批准日期 2026-05-02 共 1 天"
}

test_wav_008_passes_when_expiring_the_day_of_approval if {
	r := wav.WAV_008 with input as _input(_waiver({"expires": "2026-05-02"})) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

# ---------------------------------------------------------------- WAV-009

_requiring := {"authority_matrix": object.union(_authority, {"waiver_requires_decision": true})}

# The committee decision that grants wv-1, approved by its approver the day it was approved.
_grant(overrides) := object.union(
	{
		"id": "dec-1", "type": "waiver",
		"subject": {"kind": "waiver", "id": "wv-1"}, "amount": 0,
		"requested_by": "p-cto", "approved_by": ["p-ceo", "p-cdo"],
		"date": "2026-05-02",
	},
	overrides,
)

_granted(w, d) := {
	"as_of": "2026-06-01",
	"inventory": {"people": _people, "decisions": {"dec-1": d}},
	"waivers": {"wv-1": w},
}

_cited := _waiver({"decision": "dec-1"})

test_wav_009_passes_for_a_decision_of_the_same_day if {
	r := wav.WAV_009 with input as _granted(_cited, _grant({})) with data.govern.definitions as _requiring
	count(r.violations) == 0
	r.evaluated == 1
}

test_wav_009_passes_for_an_earlier_decision if {
	r := wav.WAV_009 with input as _granted(_cited, _grant({"date": "2026-04-20"}))
		with data.govern.definitions as _requiring
	count(r.violations) == 0
}

test_wav_009_fires_without_a_decision if {
	r := wav.WAV_009 with input as _granted(_waiver({}), _grant({})) with data.govern.definitions as _requiring
	_ids(r) == {"wv-1"}
	some v in r.violations
	v.message == "waiver wv-1 is not granted by a waiver decision, as the authority matrix requires: it names no decision"
	v.message_zh == "授权矩阵要求豁免由豁免决策授予，豁免 wv-1 不符合：未注明授予它的决策"
}

test_wav_009_fires_for_a_decision_of_another_type if {
	d := _grant({"type": "budget_allocation", "subject": {"kind": "budget_line", "id": "bl-18"}})
	r := wav.WAV_009 with input as _granted(_cited, d) with data.govern.definitions as _requiring
	_ids(r) == {"wv-1"}
	some v in r.violations
	endswith(v.message, ": decision dec-1 is of type budget allocation, not waiver")
	endswith(v.message_zh, "：决策 dec-1 的类型为预算分配，而非豁免")
}

test_wav_009_fires_when_the_approver_did_not_approve_the_decision if {
	r := wav.WAV_009 with input as _granted(_cited, _grant({"approved_by": ["p-cdo"]}))
		with data.govern.definitions as _requiring
	_ids(r) == {"wv-1"}
	some v in r.violations
	endswith(v.message, ": decision dec-1 was approved by 陈静 (p-cdo), not by the waiver's approver 王伟 (p-ceo)")
	endswith(v.message_zh, "：决策 dec-1 的批准人为 陈静（p-cdo），不含豁免的批准人 王伟（p-ceo）")
}

test_wav_009_fires_for_a_decision_dated_the_day_after_approval if {
	r := wav.WAV_009 with input as _granted(_cited, _grant({"date": "2026-05-03"}))
		with data.govern.definitions as _requiring
	_ids(r) == {"wv-1"}
	some v in r.violations
	endswith(v.message, ": decision dec-1 is dated 2026-05-03, after the waiver's approval on 2026-05-02")
	endswith(v.message_zh, "：决策 dec-1 的日期 2026-05-03 晚于豁免的批准日期 2026-05-02")
}

test_wav_009_fires_for_a_decision_without_a_date if {
	d := object.remove(_grant({}), {"date"})
	r := wav.WAV_009 with input as _granted(_cited, d) with data.govern.definitions as _requiring
	_ids(r) == {"wv-1"}
	some v in r.violations
	contains(v.message, "decision dec-1 has no date")
}

test_wav_009_fires_for_a_decision_the_inventory_lacks if {
	r := wav.WAV_009 with input as _granted(_waiver({"decision": "dec-9"}), _grant({}))
		with data.govern.definitions as _requiring
	_ids(r) == {"wv-1"}
	some v in r.violations
	endswith(v.message, ": its decision dec-9 does not exist")
}

test_wav_009_lists_every_reason_in_one_finding if {
	d := _grant({"type": "other", "approved_by": ["p-cdo"], "date": "2026-05-03"})
	r := wav.WAV_009 with input as _granted(_cited, d) with data.govern.definitions as _requiring
	count(r.violations) == 1
	some v in r.violations
	endswith(v.message, concat("; ", [
		": decision dec-1 is of type other, not waiver",
		"decision dec-1 was approved by 陈静 (p-cdo), not by the waiver's approver 王伟 (p-ceo)",
		"decision dec-1 is dated 2026-05-03, after the waiver's approval on 2026-05-02",
	]))
}

test_wav_009_not_applicable_unless_the_matrix_requires_decisions if {
	r := wav.WAV_009 with input as _granted(_waiver({}), _grant({})) with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 0
}

test_wav_009_not_applicable_when_the_matrix_says_false if {
	defs := {"authority_matrix": object.union(_authority, {"waiver_requires_decision": false})}
	r := wav.WAV_009 with input as _granted(_waiver({}), _grant({})) with data.govern.definitions as defs
	count(r.violations) == 0
	r.evaluated == 0
}

test_wav_009_not_applicable_without_an_authority_matrix if {
	r := wav.WAV_009 with input as _granted(_waiver({}), _grant({}))
		with data.govern.definitions as {"authority_matrix": null}
	r.evaluated == 0
}

# ---------------------------------------------------------------- the collected report

test_main_report_collects_every_waiver_check if {
	rep := data.govern.main.report with input as _input(_waiver({})) with data.govern.definitions as _defs
	ids := {c.meta.custom.id | some c in rep.checks}
	every id in {"WAV-001", "WAV-002", "WAV-003", "WAV-004", "WAV-005", "WAV-006", "WAV-007", "WAV-008", "WAV-009"} {
		id in ids
	}
	every c in rep.checks {
		_waivable_unless_wav(c)
	}
}

# The checks whose firing invalidates a waiver say so in their METADATA.
test_invalidates_waiver_marks_every_waiver_check_but_wav_006 if {
	rep := data.govern.main.report with input as _input(_waiver({})) with data.govern.definitions as _defs
	marked := {c.meta.custom.id | some c in rep.checks; c.meta.custom.invalidates_waiver == true}
	marked == {"WAV-001", "WAV-002", "WAV-003", "WAV-004", "WAV-005", "WAV-007", "WAV-008", "WAV-009"}
	every c in rep.checks {
		is_boolean(object.get(c.meta.custom, "invalidates_waiver", false))
	}
}

_waivable_unless_wav(c) if not startswith(c.meta.custom.id, "WAV-")

_waivable_unless_wav(c) if c.meta.custom.waivable == false
