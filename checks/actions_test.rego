package govern.action_checks_test

import data.govern.action_checks as act
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

_people := {
	"p-ceo": {"id": "p-ceo", "name": "王伟", "roles": ["CEO"]},
	"p-cto": {"id": "p-cto", "name": "李娜", "roles": ["HEAD_TECHNOLOGY"]},
}

_committee(required_at) := {"board": {"id": "board", "chair": "p-ceo", "actions": {"required_at": required_at}}}

_defs := {"committees": _committee("high")}

# A stand-in check result: `keys` are the [kind, id] it fires on.
_result(id, severity, waivable, keys) := {
	"meta": {"title": "t", "custom": {"id": id, "severity": severity, "waivable": waivable}},
	"evaluated": count(keys),
	"violations": {{"resource": {"kind": k[0], "id": k[1]}, "message": "m"} | some k in keys},
}

# PLC-001 (high) fires on sys-1 and sys-2, DIA-002 (medium) on sys-1, CLS-001 (critical, not waivable) on ds-1.
_checks := {
	"placement": {"PLC_001": _result("PLC-001", "high", true, {["system", "sys-1"], ["system", "sys-2"]})},
	"diagnosis": {"DIA_002": _result("DIA-002", "medium", true, {["system", "sys-1"]})},
	"classification": {"CLS_001": _result("CLS-001", "critical", false, {["dataset", "ds-1"]})},
}

# WAV-005 (which invalidates the waivers it fires on) fires on wv-expired; WAV-006 (which does not) on wv-stale.
_waiver_checks := {
	"WAV_005": object.union(
		_result("WAV-005", "medium", false, {["waiver", "wv-expired"]}),
		{"meta": {"custom": {"invalidates_waiver": true}}},
	),
	"WAV_006": _result("WAV-006", "low", false, {["waiver", "wv-stale"]}),
}

_waiver(id, check, kind, rid) := {id: {
	"id": id, "check": check, "resource": {"kind": kind, "id": rid},
	"requested_by": "p-cto", "approved_by": "p-ceo", "approved_at": "2026-10-01", "expires": "2026-12-31",
}}

_addresses(check, kind, id) := {"check": check, "resource": {"kind": kind, "id": id}}

_action(id, overrides) := {id: object.union(
	{
		"id": id, "title": "迁移支付中心", "owner": "p-cto", "due": "2026-12-31", "status": "open",
		"addresses": [_addresses("PLC-001", "system", "sys-1")],
	},
	overrides,
)}

_input(actions, waivers) := {
	"as_of": "2026-11-25",
	"inventory": {"people": _people, "actions": actions},
	"waivers": waivers,
}

# ---------------------------------------------------------------- unwaived, as the run decides

test_a_finding_under_an_applicable_waiver_is_not_unwaived if {
	u := act.unwaived with input as _input({}, _waiver("wv-1", "PLC-001", "system", "sys-1"))
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	not ["PLC-001", "system", "sys-1"] in u
	["PLC-001", "system", "sys-2"] in u
	["WAV-005", "waiver", "wv-expired"] in u
}

test_a_waiver_an_invalidating_check_fires_on_waives_nothing if {
	u := act.unwaived with input as _input({}, _waiver("wv-expired", "PLC-001", "system", "sys-1"))
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	["PLC-001", "system", "sys-1"] in u
}

test_a_waiver_only_a_non_invalidating_check_fires_on_still_waives if {
	u := act.unwaived with input as _input({}, _waiver("wv-stale", "PLC-001", "system", "sys-1"))
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	not ["PLC-001", "system", "sys-1"] in u
}

test_a_waiver_of_a_check_that_is_not_waivable_waives_nothing if {
	u := act.unwaived with input as _input({}, _waiver("wv-1", "CLS-001", "dataset", "ds-1"))
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	["CLS-001", "dataset", "ds-1"] in u
}

# ---------------------------------------------------------------- ACT-001

test_act_001_fires_per_resource_with_an_unowned_finding_at_or_above_the_severity if {
	r := act.ACT_001 with input as _input({}, {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_ids(r) == {"sys-1", "sys-2", "ds-1"} # PLC-001 exactly at high, CLS-001 above it
	r.evaluated == 3
	_message(r, "sys-1") == "system sys-1 has unwaived findings of PLC-001 at or above high that no open action addresses"
	_message_zh(r, "sys-1") == "系统 sys-1 有检查 PLC-001 的未豁免发现，严重程度达到或高于“高”，尚无进行中的行动项处理"
}

test_act_001_names_a_kind_by_its_name_in_each_language if {
	checks := {"budget": {"BUD_003": _result("BUD-003", "high", true, {["budget_line", "bl-52"]})}}
	r := act.ACT_001 with input as _input({}, {})
		with data.govern.definitions as _defs
		with data.govern.checks as checks with data.govern.waiver_checks as {}
	_message(r, "bl-52") == "budget line bl-52 has unwaived findings of BUD-003 at or above high that no open action addresses"
	_message_zh(r, "bl-52") == "预算行 bl-52 有检查 BUD-003 的未豁免发现，严重程度达到或高于“高”，尚无进行中的行动项处理"
}

test_act_003_names_a_kind_by_its_name_in_each_language if {
	checks := {"budget": {"BUD_003": _result("BUD-003", "high", true, {["budget_line", "bl-52"]})}}
	r := act.ACT_003 with input as _input(_action("act-1", {"status": "done", "addresses": [_addresses("BUD-003", "budget_line", "bl-52")]}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as checks with data.govern.waiver_checks as {}
	endswith(_message(r, "act-1"), "still fail: BUD-003 on budget line bl-52")
	endswith(_message_zh(r, "act-1"), "：BUD-003（预算行 bl-52）")
}

# ---------------------------------------------------------------- a skipped check has no findings this run

_skipping(actions, skipped) := object.union(_input(actions, {}), {"skipped": skipped})

test_a_skipped_check_has_no_finding_this_run if {
	u := act.unwaived with input as _skipping({}, ["PLC-001"])
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	f := act.fired with input as _skipping({}, ["PLC-001"])
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	not ["PLC-001", "system", "sys-1"] in u
	not ["PLC-001", "system", "sys-1"] in f
	["DIA-002", "system", "sys-1"] in u
}

test_act_001_needs_no_action_for_a_skipped_check if {
	r := act.ACT_001 with input as _skipping({}, ["PLC-001", "CLS-001"])
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	count(r.violations) == 0
	r.evaluated == 0
}

test_act_003_a_skipped_check_does_not_hold_a_done_action_open if {
	r := act.ACT_003 with input as _skipping(_action("act-1", {"status": "done"}), ["PLC-001"])
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	count(r.violations) == 0
}

test_act_004_does_not_judge_an_action_on_a_skipped_check if {
	actions := object.union(_action("act-1", {}), _action("act-2", {"addresses": [_addresses("DIA-002", "system", "sys-9")]}))
	r := act.ACT_004 with input as _skipping(actions, ["PLC-001"])
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_ids(r) == {"act-2"}
	r.evaluated == 1
}

test_act_001_ignores_findings_below_the_severity if {
	r := act.ACT_001 with input as _input({}, {})
		with data.govern.definitions as {"committees": _committee("critical")}
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_ids(r) == {"ds-1"}
}

test_act_001_names_every_unowned_check_on_the_resource if {
	r := act.ACT_001 with input as _input({}, {})
		with data.govern.definitions as {"committees": _committee("medium")}
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_message(r, "sys-1") == "system sys-1 has unwaived findings of DIA-002, PLC-001 at or above medium that no open action addresses"
	count(r.violations) == 3
}

test_act_001_takes_the_most_demanding_committee if {
	committees := object.union(_committee("critical"), {"other": {"id": "other", "actions": {"required_at": "medium"}}})
	r := act.ACT_001 with input as _input({}, {})
		with data.govern.definitions as {"committees": committees}
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_message(r, "sys-1") == "system sys-1 has unwaived findings of DIA-002, PLC-001 at or above medium that no open action addresses"
}

test_act_001_an_open_action_addresses_a_finding if {
	r := act.ACT_001 with input as _input(_action("act-1", {}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_ids(r) == {"sys-2", "ds-1"}
}

test_act_001_an_overdue_open_action_still_addresses_a_finding if {
	r := act.ACT_001 with input as _input(_action("act-1", {"due": "2026-01-01"}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_ids(r) == {"sys-2", "ds-1"}
}

test_act_001_a_done_or_dropped_action_does_not_address_a_finding if {
	actions := object.union(_action("act-1", {"status": "done"}), _action("act-2", {"status": "dropped"}))
	r := act.ACT_001 with input as _input(actions, {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_ids(r) == {"sys-1", "sys-2", "ds-1"}
}

test_act_001_an_action_on_another_check_of_the_resource_does_not_address_it if {
	r := act.ACT_001 with input as _input(_action("act-1", {"addresses": [_addresses("DIA-002", "system", "sys-1")]}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	"sys-1" in _ids(r)
}

test_act_001_a_waived_finding_needs_no_action if {
	r := act.ACT_001 with input as _input({}, _waiver("wv-1", "PLC-001", "system", "sys-1"))
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_ids(r) == {"sys-2", "ds-1"}
	r.evaluated == 2
}

test_act_001_a_finding_under_an_invalid_waiver_needs_an_action if {
	r := act.ACT_001 with input as _input({}, _waiver("wv-expired", "PLC-001", "system", "sys-1"))
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_ids(r) == {"sys-1", "sys-2", "ds-1"}
}

test_act_001_holds_no_waiver_finding_to_the_committee if {
	r := act.ACT_001 with input as _input({}, {})
		with data.govern.definitions as {"committees": _committee("info")}
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	not "wv-expired" in _ids(r)
	not "wv-stale" in _ids(r)
}

test_act_001_evaluates_nothing_without_required_at if {
	r := act.ACT_001 with input as _input({}, {})
		with data.govern.definitions as {"committees": {"board": {"id": "board"}}}
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	r.evaluated == 0
	count(r.violations) == 0
}

# ---------------------------------------------------------------- ACT-002

test_act_002_fires_on_an_open_action_due_before_today if {
	r := act.ACT_002 with input as _input(_action("act-1", {"due": "2026-11-24"}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_ids(r) == {"act-1"}
	_message(r, "act-1") == "action act-1 (迁移支付中心), owned by 李娜 (p-cto), was due on 2026-11-24, 1 day before 2026-11-25, and is still open"
	_message_zh(r, "act-1") == "行动项 act-1「迁移支付中心」由 李娜（p-cto） 负责，应于 2026-11-24 完成，至评估基准日 2026-11-25 已逾期 1 天，状态仍为进行中"
}

test_act_002_counts_days_in_the_plural_from_two if {
	r := act.ACT_002 with input as _input(_action("act-1", {"due": "2026-11-23"}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_message(r, "act-1") == "action act-1 (迁移支付中心), owned by 李娜 (p-cto), was due on 2026-11-23, 2 days before 2026-11-25, and is still open"
}

test_act_002_an_action_due_today_is_not_overdue if {
	r := act.ACT_002 with input as _input(_action("act-1", {"due": "2026-11-25"}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	count(r.violations) == 0
	r.evaluated == 1
}

test_act_002_an_action_without_a_status_is_open if {
	r := act.ACT_002 with input as _input({"act-1": {"id": "act-1", "title": "t", "owner": "p-cto", "due": "2026-11-24"}}, {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_ids(r) == {"act-1"}
}

test_act_002_evaluates_open_actions_only if {
	actions := object.union(_action("act-1", {"due": "2026-01-01", "status": "done"}), _action("act-2", {"due": "2026-01-01", "status": "dropped"}))
	r := act.ACT_002 with input as _input(actions, {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	r.evaluated == 0
	count(r.violations) == 0
}

# ---------------------------------------------------------------- ACT-003

test_act_003_fires_on_a_done_action_whose_finding_is_unwaived if {
	r := act.ACT_003 with input as _input(_action("act-1", {"status": "done"}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_ids(r) == {"act-1"}
	_message(r, "act-1") == "action act-1 (迁移支付中心), owned by 李娜 (p-cto), is marked done, but findings it addresses still fail: PLC-001 on system sys-1"
	_message_zh(r, "act-1") == "行动项 act-1「迁移支付中心」由 李娜（p-cto） 负责，已标记为已完成，但其处理的发现本次运行仍未解决且未豁免：PLC-001（系统 sys-1）"
}

test_act_003_a_waived_finding_does_not_hold_a_done_action_open if {
	r := act.ACT_003 with input as _input(_action("act-1", {"status": "done"}), _waiver("wv-1", "PLC-001", "system", "sys-1"))
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	count(r.violations) == 0
	r.evaluated == 1
}

test_act_003_a_finding_that_did_not_fire_does_not_hold_it_open if {
	r := act.ACT_003 with input as _input(_action("act-1", {"status": "done", "addresses": [_addresses("PLC-001", "system", "sys-9")]}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	count(r.violations) == 0
}

test_act_003_one_failing_finding_of_several_is_enough if {
	addresses := [_addresses("PLC-001", "system", "sys-9"), _addresses("PLC-001", "system", "sys-2")]
	r := act.ACT_003 with input as _input(_action("act-1", {"status": "done", "addresses": addresses}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_message(r, "act-1") == "action act-1 (迁移支付中心), owned by 李娜 (p-cto), is marked done, but findings it addresses still fail: PLC-001 on system sys-2"
}

test_act_003_evaluates_done_actions_only if {
	r := act.ACT_003 with input as _input(_action("act-1", {}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	r.evaluated == 0
	count(r.violations) == 0
}

# ---------------------------------------------------------------- ACT-004

test_act_004_fires_on_an_open_action_none_of_whose_findings_fired if {
	r := act.ACT_004 with input as _input(_action("act-1", {"addresses": [_addresses("PLC-001", "system", "sys-9")]}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	_ids(r) == {"act-1"}
	_message(r, "act-1") == "action act-1 (迁移支付中心), owned by 李娜 (p-cto), is open, but none of the findings it addresses fired this run (PLC-001 on system sys-9): close it"
	_message_zh(r, "act-1") == "行动项 act-1「迁移支付中心」由 李娜（p-cto） 负责，状态仍为进行中，但其处理的发现本次运行均未出现（PLC-001（系统 sys-9）），应予关闭"
}

test_act_004_a_waived_finding_still_fired if {
	r := act.ACT_004 with input as _input(_action("act-1", {}), _waiver("wv-1", "PLC-001", "system", "sys-1"))
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	count(r.violations) == 0
	r.evaluated == 1
}

test_act_004_one_finding_that_fired_is_enough if {
	addresses := [_addresses("PLC-001", "system", "sys-9"), _addresses("DIA-002", "system", "sys-1")]
	r := act.ACT_004 with input as _input(_action("act-1", {"addresses": addresses}), {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	count(r.violations) == 0
}

test_act_004_evaluates_open_actions_that_address_something if {
	actions := object.union(
		_action("act-1", {"addresses": []}),
		_action("act-2", {"status": "done", "addresses": [_addresses("PLC-001", "system", "sys-9")]}),
	)
	r := act.ACT_004 with input as _input(actions, {})
		with data.govern.definitions as _defs
		with data.govern.checks as _checks with data.govern.waiver_checks as _waiver_checks
	r.evaluated == 0
	count(r.violations) == 0
}
