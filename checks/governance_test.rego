package govern.checks.governance_test

import data.govern.checks.governance
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

_people := {
	"p-ceo": {"id": "p-ceo", "name": "王伟", "roles": ["CEO"]},
	"p-cto": {"id": "p-cto", "name": "李娜", "roles": ["HEAD_TECHNOLOGY"]},
}

_committee(chair, members) := {"c": {
	"id": "c", "chair": chair,
	"required_roles": ["CEO", "HEAD_TECHNOLOGY"],
	"members": members,
}}

_members := [{"person": "p-ceo", "role": "CEO"}, {"person": "p-cto", "role": "HEAD_TECHNOLOGY"}]

test_gov_001_fires_when_chair_is_not_ceo if {
	r := governance.GOV_001 with input as {"as_of": "2026-11-25", "inventory": {"people": _people}}
		with data.govern.definitions as {"committees": _committee("p-cto", _members)}
	_ids(r) == {"c"}
	r.evaluated == 1
	some v in r.violations
	contains(v.message, "p-cto")
	v.message_zh == "委员会 c 的主席为 李娜（p-cto），其角色中没有 CEO（角色：HEAD_TECHNOLOGY）"
}

test_gov_001_passes_when_chair_is_ceo if {
	r := governance.GOV_001 with input as {"as_of": "2026-11-25", "inventory": {"people": _people}}
		with data.govern.definitions as {"committees": _committee("p-ceo", _members)}
	count(r.violations) == 0
	r.evaluated == 1
}

test_gov_001_not_applicable_without_committee if {
	r := governance.GOV_001 with input as {"as_of": "2026-11-25", "inventory": {"people": _people}}
		with data.govern.definitions as {}
	r.evaluated == 0
}

test_gov_002_fires_on_missing_role if {
	r := governance.GOV_002 with input as {"as_of": "2026-11-25", "inventory": {"people": _people}}
		with data.govern.definitions as {"committees": _committee("p-ceo", [{"person": "p-ceo", "role": "CEO"}])}
	_ids(r) == {"c"}
	some v in r.violations
	v.message == "committee c has no member in required role(s) HEAD_TECHNOLOGY"
	v.message_zh == "委员会 c 缺少担任必需角色 HEAD_TECHNOLOGY 的成员"
}

test_gov_002_passes_when_roles_covered if {
	r := governance.GOV_002 with input as {"as_of": "2026-11-25", "inventory": {"people": _people}}
		with data.govern.definitions as {"committees": _committee("p-ceo", _members)}
	count(r.violations) == 0
}

# ---------------------------------------------------------------- GOV-003..009 fixtures

_board := {"board": {
	"id": "board", "chair": "p-ceo",
	"required_roles": ["CEO"],
	"members": [
		{"person": "p-ceo", "role": "CEO", "delegate": "p-dep"},
		{"person": "p-cto", "role": "HEAD_TECHNOLOGY", "delegate": "p-cto2"},
	],
	"quorum": {"min_present": 3, "chair_or_delegate_required": true},
	"max_meeting_gap_days": 90,
}}

_matrix := {
	"id": "doa", "reviewed_at": "2025-11-25",
	"limits": {
		"budget_allocation": {"CEO": null, "HEAD_TECHNOLOGY": 2000000},
		"budget_reallocation": {"CEO": 10000000, "HEAD_TECHNOLOGY": 500000},
	},
	"committee_required_above": 5000000,
}

_defs := {"committees": _board, "authority_matrix": _matrix}

_staff := object.union(_people, {
	"p-dep": {"id": "p-dep", "name": "刘洋", "roles": ["DEPUTY_CEO"]},
	"p-cto2": {"id": "p-cto2", "name": "高峰", "roles": ["DEPUTY_CTO"]},
	"p-cdo": {"id": "p-cdo", "name": "陈静", "roles": ["HEAD_DATA"]},
	"p-both": {"id": "p-both", "name": "何军", "roles": ["HEAD_DATA", "HEAD_TECHNOLOGY"]},
})

_meeting(id, date, present) := {id: {"id": id, "committee": "board", "date": date, "present": present}}

_decision(id, fields) := {id: object.union({"id": id, "type": "budget_allocation", "approved_by": ["p-ceo"]}, fields)}

_input(meetings, decisions) := {"as_of": "2026-11-25", "inventory": {"people": _staff, "meetings": meetings, "decisions": decisions}}

# ---------------------------------------------------------------- GOV-003

test_gov_003_fires_below_quorum if {
	r := governance.GOV_003 with input as _input(_meeting("m1", "2026-10-01", ["p-ceo", "p-cto", "p-cto"]), _decision("d1", {"meeting": "m1"}))
		with data.govern.definitions as _defs
	_ids(r) == {"d1"}
	r.evaluated == 1
	_message(r, "d1") == "decision d1 was taken at meeting m1 (2026-10-01) of board with 2 present, below the quorum of 3"
	_message_zh(r, "d1") == "决策 d1 在委员会 board 的会议 m1（2026-10-01）上作出，但出席人数为 2，低于法定人数 3"
}

test_gov_003_passes_exactly_at_quorum if {
	r := governance.GOV_003 with input as _input(_meeting("m1", "2026-10-01", ["p-ceo", "p-cto", "p-cdo"]), _decision("d1", {"meeting": "m1"}))
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_gov_003_fires_without_chair_or_delegate if {
	# p-cto2 is a delegate, but of another member: it does not stand in for the chair
	r := governance.GOV_003 with input as _input(_meeting("m1", "2026-10-01", ["p-cto", "p-cto2", "p-cdo"]), _decision("d1", {"meeting": "m1"}))
		with data.govern.definitions as _defs
	_ids(r) == {"d1"}
	contains(_message(r, "d1"), "without the chair 王伟 (p-ceo) or the chair's delegate 刘洋 (p-dep) present")
}

test_gov_003_says_when_the_chair_names_no_delegate if {
	defs := {"committees": {"board": object.union(_board.board, {"members": [{"person": "p-ceo", "role": "CEO"}]})}}
	r := governance.GOV_003 with input as _input(_meeting("m1", "2026-10-01", ["p-cto", "p-cdo", "p-dep"]), _decision("d1", {"meeting": "m1"}))
		with data.govern.definitions as defs
	_message(r, "d1") == "decision d1 was taken at meeting m1 (2026-10-01) of board without the chair 王伟 (p-ceo) present (the chair names no delegate)"
	_message_zh(r, "d1") == "决策 d1 在委员会 board 的会议 m1（2026-10-01）上作出，但主席 王伟（p-ceo） 未出席（主席未指定代理人）"
}

test_gov_003_names_both_reasons if {
	r := governance.GOV_003 with input as _input(_meeting("m1", "2026-10-01", ["p-cto"]), _decision("d1", {"meeting": "m1"}))
		with data.govern.definitions as _defs
	_message(r, "d1") == "decision d1 was taken at meeting m1 (2026-10-01) of board with 1 present, below the quorum of 3 and without the chair 王伟 (p-ceo) or the chair's delegate 刘洋 (p-dep) present"
	_message_zh(r, "d1") == "决策 d1 在委员会 board 的会议 m1（2026-10-01）上作出，但出席人数为 1，低于法定人数 3，且主席 王伟（p-ceo） 及主席的代理人 刘洋（p-dep） 均未出席"
}

test_gov_003_passes_with_chair_delegate if {
	r := governance.GOV_003 with input as _input(_meeting("m1", "2026-10-01", ["p-dep", "p-cto", "p-cdo"]), _decision("d1", {"meeting": "m1"}))
		with data.govern.definitions as _defs
	count(r.violations) == 0
}

test_gov_003_chair_optional_when_not_required if {
	defs := {"committees": {"board": object.union(_board.board, {"quorum": {"min_present": 2, "chair_or_delegate_required": false}})}}
	r := governance.GOV_003 with input as _input(_meeting("m1", "2026-10-01", ["p-cto", "p-cdo"]), _decision("d1", {"meeting": "m1"}))
		with data.govern.definitions as defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_gov_003_skips_decisions_without_meeting_or_quorum if {
	r := governance.GOV_003 with input as _input(_meeting("m1", "2026-10-01", []), _decision("d1", {}))
		with data.govern.definitions as _defs
	r.evaluated == 0
	no_quorum := {"committees": {"board": object.remove(_board.board, ["quorum"])}}
	r2 := governance.GOV_003 with input as _input(_meeting("m1", "2026-10-01", []), _decision("d1", {"meeting": "m1"}))
		with data.govern.definitions as no_quorum
	r2.evaluated == 0
}

# ---------------------------------------------------------------- GOV-004

test_gov_004_fires_on_self_approval if {
	r := governance.GOV_004 with input as _input({}, _decision("d1", {"requested_by": "p-cto", "approved_by": ["p-ceo", "p-cto"]}))
		with data.govern.definitions as _defs
	_ids(r) == {"d1"}
	_message(r, "d1") == "decision d1 was requested by 李娜 (p-cto) and approved by the same person (approvers: 王伟 (p-ceo), 李娜 (p-cto))"
	_message_zh(r, "d1") == "决策 d1 由 李娜（p-cto） 提出申请，又由其本人批准（批准人：王伟（p-ceo）、李娜（p-cto））"
}

test_gov_004_passes_and_skips_unrequested if {
	decisions := object.union(
		_decision("d1", {"requested_by": "p-cto", "approved_by": ["p-ceo"]}),
		_decision("d2", {"approved_by": ["p-ceo"]}),
	)
	r := governance.GOV_004 with input as _input({}, decisions)
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

# ---------------------------------------------------------------- GOV-005

test_gov_005_fires_above_every_approver_limit if {
	r := governance.GOV_005 with input as _input({}, _decision("d1", {"amount": 2000001, "approved_by": ["p-cto", "p-cdo"]}))
		with data.govern.definitions as _defs
	_ids(r) == {"d1"}
	_message(r, "d1") == "decision d1 (budget allocation of 2,000,001) was taken outside a meeting and no approver's authority covers it: 李娜 (p-cto) (HEAD_TECHNOLOGY up to 2,000,000); 陈静 (p-cdo) (HEAD_DATA may not approve budget allocation)"
	_message_zh(r, "d1") == "决策 d1（预算分配，金额 2,000,001）在会议之外作出，但没有任何批准人的审批权限覆盖该决策：李娜（p-cto）：HEAD_TECHNOLOGY 审批上限为 2,000,000；陈静（p-cdo）：HEAD_DATA 无权批准预算分配"
}

test_gov_005_passes_exactly_at_limit if {
	r := governance.GOV_005 with input as _input({}, _decision("d1", {"amount": 2000000, "approved_by": ["p-cto"]}))
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_gov_005_any_role_of_any_approver_counts if {
	r := governance.GOV_005 with input as _input({}, _decision("d1", {"amount": 1500000, "approved_by": ["p-cdo", "p-both"]}))
		with data.govern.definitions as _defs
	count(r.violations) == 0
}

test_gov_005_null_limit_covers_any_amount if {
	r := governance.GOV_005 with input as _input({}, _decision("d1", {"amount": 900000000, "approved_by": ["p-ceo"]}))
		with data.govern.definitions as _defs
	count(r.violations) == 0
}

test_gov_005_unlisted_type_always_fires if {
	r := governance.GOV_005 with input as _input({}, _decision("d1", {"type": "other", "approved_by": ["p-ceo"]}))
		with data.govern.definitions as _defs
	_message(r, "d1") == "decision d1 (other without an amount) was taken outside a meeting and type other has no limits in authority matrix doa"
	_message_zh(r, "d1") == "决策 d1（其他，未列明金额）在会议之外作出，但授权矩阵 doa 未对决策类型“其他”设定审批额度"
}

test_gov_005_without_amount_only_unlimited_roles_cover if {
	decisions := object.union(
		_decision("d1", {"type": "budget_reallocation", "approved_by": ["p-ceo"]}),
		_decision("d2", {"approved_by": ["p-ceo"]}),
	)
	r := governance.GOV_005 with input as _input({}, decisions)
		with data.govern.definitions as _defs
	_ids(r) == {"d1"}
	contains(_message(r, "d1"), "王伟 (p-ceo) (CEO up to 10,000,000)")
	_message_zh(r, "d1") == "决策 d1（预算调整，未列明金额）在会议之外作出，但没有任何批准人的审批权限覆盖该决策：王伟（p-ceo）：CEO 审批上限为 10,000,000"
}

test_gov_005_names_approvers_without_roles if {
	people := object.union(_staff, {"p-x": {"id": "p-x", "name": "钱多", "roles": []}})
	r := governance.GOV_005 with input as {"as_of": "2026-11-25", "inventory": {"people": people, "decisions": _decision("d1", {"amount": 1, "approved_by": ["p-x"]})}}
		with data.govern.definitions as _defs
	endswith(_message(r, "d1"), "no approver's authority covers it: 钱多 (p-x) (holds no role)")
	_message_zh(r, "d1") == "决策 d1（预算分配，金额 1）在会议之外作出，但没有任何批准人的审批权限覆盖该决策：钱多（p-x）：未担任任何角色"
}

test_gov_005_fires_without_approvers if {
	r := governance.GOV_005 with input as _input({}, _decision("d1", {"amount": 10, "approved_by": []}))
		with data.govern.definitions as _defs
	_message(r, "d1") == "decision d1 (budget allocation of 10) was taken outside a meeting and it names no approver"
	_message_zh(r, "d1") == "决策 d1（预算分配，金额 10）在会议之外作出，且未列明批准人"
}

test_gov_005_ignores_meeting_decisions_and_needs_matrix if {
	r := governance.GOV_005 with input as _input(_meeting("m1", "2026-10-01", []), _decision("d1", {"amount": 9000000, "approved_by": ["p-cdo"], "meeting": "m1"}))
		with data.govern.definitions as _defs
	r.evaluated == 0
	r2 := governance.GOV_005 with input as _input({}, _decision("d1", {"amount": 9000000, "approved_by": ["p-cdo"]}))
		with data.govern.definitions as {"committees": _board}
	r2.evaluated == 0
}

# ---------------------------------------------------------------- GOV-006

test_gov_006_fires_above_threshold_without_meeting if {
	r := governance.GOV_006 with input as _input({}, _decision("d1", {"amount": 5000001}))
		with data.govern.definitions as _defs
	_ids(r) == {"d1"}
	_message(r, "d1") == "decision d1 (budget allocation of 5,000,001) exceeds the committee threshold 5,000,000 of doa but names no meeting"
	_message_zh(r, "d1") == "决策 d1（预算分配，金额 5,000,001）超过授权矩阵 doa 规定的委员会审议门槛 5,000,000，但未列明会议"
}

test_gov_006_passes_at_threshold_or_in_meeting if {
	decisions := object.union_n([
		_decision("d1", {"amount": 5000000}),
		_decision("d2", {"amount": 8000000, "meeting": "m1"}),
		_decision("d3", {}),
	])
	r := governance.GOV_006 with input as _input(_meeting("m1", "2026-10-01", ["p-ceo"]), decisions)
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 2
}

test_gov_006_not_applicable_without_threshold if {
	defs := {"authority_matrix": object.remove(_matrix, ["committee_required_above"])}
	r := governance.GOV_006 with input as _input({}, _decision("d1", {"amount": 9000000}))
		with data.govern.definitions as defs
	r.evaluated == 0
}

# ---------------------------------------------------------------- GOV-007

test_gov_007_passes_exactly_365_days_old if {
	r := governance.GOV_007 with input as _input({}, {})
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_gov_007_fires_366_days_old if {
	r := governance.GOV_007 with input as _input({}, {})
		with data.govern.definitions as {"authority_matrix": object.union(_matrix, {"reviewed_at": "2025-11-24"})}
	_ids(r) == {"doa"}
	_message(r, "doa") == "authority matrix doa was last reviewed on 2025-11-24, 366 days ago (more than 365)"
	_message_zh(r, "doa") == "授权矩阵 doa 最近一次复核于 2025-11-24，距评估基准日 366 天（超过 365 天）"
}

test_gov_007_fires_never_reviewed if {
	r := governance.GOV_007 with input as _input({}, {})
		with data.govern.definitions as {"authority_matrix": object.remove(_matrix, ["reviewed_at"])}
	_message(r, "doa") == "authority matrix doa has no reviewed_at date"
	_message_zh(r, "doa") == "授权矩阵 doa 未填写复核日期 reviewed_at"
}

test_gov_007_not_applicable_without_matrix if {
	r := governance.GOV_007 with input as _input({}, {})
		with data.govern.definitions as {"authority_matrix": null}
	r.evaluated == 0
}

# ---------------------------------------------------------------- GOV-008

test_gov_008_passes_exactly_at_gap if {
	meetings := object.union(_meeting("m1", "2026-08-27", ["p-ceo"]), _meeting("m0", "2026-01-10", ["p-ceo"]))
	r := governance.GOV_008 with input as _input(meetings, {})
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_gov_008_fires_one_day_past_gap if {
	meetings := object.union(_meeting("m1", "2026-08-26", ["p-ceo"]), _meeting("m0", "2026-01-10", ["p-ceo"]))
	r := governance.GOV_008 with input as _input(meetings, {})
		with data.govern.definitions as _defs
	_message(r, "board") == "committee board last met on 2026-08-26, 91 days ago (allowed gap 90 days)"
	_message_zh(r, "board") == "委员会 board 最近一次会议于 2026-08-26 召开，距评估基准日 91 天（允许间隔 90 天）"
}

test_gov_008_planned_meetings_do_not_count if {
	meetings := object.union(_meeting("m1", "2026-08-01", ["p-ceo"]), _meeting("m2", "2026-12-01", []))
	r := governance.GOV_008 with input as _input(meetings, {})
		with data.govern.definitions as _defs
	contains(_message(r, "board"), "last met on 2026-08-01")
}

test_gov_008_fires_without_meetings if {
	r := governance.GOV_008 with input as _input({}, {})
		with data.govern.definitions as _defs
	_message(r, "board") == "committee board has no meeting recorded on or before 2026-11-25"
	_message_zh(r, "board") == "委员会 board 截至评估基准日 2026-11-25 没有会议记录"
}

test_gov_008_skips_committees_without_gap if {
	r := governance.GOV_008 with input as _input({}, {})
		with data.govern.definitions as {"committees": {"board": object.remove(_board.board, ["max_meeting_gap_days"])}}
	r.evaluated == 0
}

# ---------------------------------------------------------------- GOV-009

test_gov_009_fires_when_approver_absent if {
	r := governance.GOV_009 with input as _input(_meeting("m1", "2026-10-01", ["p-ceo", "p-dep"]), _decision("d1", {"meeting": "m1", "approved_by": ["p-ceo", "p-cto", "p-cdo"]}))
		with data.govern.definitions as _defs
	_ids(r) == {"d1"}
	_message(r, "d1") == "decision d1 names meeting m1 (2026-10-01) but approver(s) 李娜 (p-cto), 陈静 (p-cdo) were not present"
	_message_zh(r, "d1") == "决策 d1 列明的会议为 m1（2026-10-01），但批准人 李娜（p-cto）、陈静（p-cdo） 未出席"
}

test_gov_009_passes_when_approvers_present if {
	decisions := object.union(
		_decision("d1", {"meeting": "m1", "approved_by": ["p-ceo", "p-cto"]}),
		_decision("d2", {"approved_by": ["p-cdo"]}),
	)
	r := governance.GOV_009 with input as _input(_meeting("m1", "2026-10-01", ["p-ceo", "p-cto"]), decisions)
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_gov_001_names_a_chair_without_roles if {
	people := object.union(_people, {"p-x": {"id": "p-x", "name": "钱多", "roles": []}})
	r := governance.GOV_001 with input as {"as_of": "2026-11-25", "inventory": {"people": people}}
		with data.govern.definitions as {"committees": _committee("p-x", _members)}
	_message(r, "c") == "committee c is chaired by 钱多 (p-x), who does not hold the CEO role (roles: none)"
	_message_zh(r, "c") == "委员会 c 的主席为 钱多（p-x），其角色中没有 CEO（角色：无）"
}
