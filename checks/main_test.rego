package govern.main_test

import data.govern.main

_meta(id) := {"title": "t", "custom": {"id": id, "severity": "low", "waivable": true}}

_check(id) := {"meta": _meta(id), "evaluated": 1, "violations": set()}

_packages := {
	"a": {
		"A_1": _check("A-001"),
		"helper": {"x", "y"},
		"no_id": {"meta": {"title": "t", "custom": {}}, "evaluated": 1, "violations": set()},
		"no_meta": {"evaluated": 2, "violations": set()},
		"just_violations": {"violations": {"v"}},
		"plain_object": {"name": "not a check"},
	},
	"b": {"B_1": _check("B-001")},
}

test_each_check_names_the_rule_that_produced_it if {
	rules := {c.meta.custom.id: c.rule | some c in main.checks} with data.govern.checks as {"b": {"B_1": _check("B-001")}}
		with data.govern.waiver_checks as {"W_1": _check("WAV-001")}
		with data.govern.action_checks as {"A_1": _check("ACT-001")}
	rules == {"B-001": ["checks", "b", "B_1"], "WAV-001": ["waiver_checks", "W_1"], "ACT-001": ["action_checks", "A_1"]}
}

test_checks_are_every_rule_with_a_metadata_id if {
	ids := {c.meta.custom.id | some c in main.checks} with data.govern.checks as _packages
		with data.govern.waiver_checks as {"W_1": _check("WAV-001")}
		with data.govern.action_checks as {"A_1": _check("ACT-001")}
	ids == {"A-001", "B-001", "WAV-001", "ACT-001"}
}

test_check_shaped_values_without_an_id_are_named if {
	found := main.malformed with data.govern.checks as _packages
	found == {
		{"package": "a", "rule": "no_id"},
		{"package": "a", "rule": "no_meta"},
		{"package": "a", "rule": "just_violations"},
	}
}

test_nothing_is_malformed_when_every_check_has_an_id if {
	count(main.malformed) == 0 with data.govern.checks as {"b": {"B_1": _check("B-001"), "ids": {"x"}}}
}

test_the_report_carries_the_revision_and_names_malformed_values if {
	r := main.report with data.govern.checks as _packages
		with data.govern.waiver_checks as {} with data.govern.action_checks as {}
		with data.govern.meta as {"revision": "sha256:r"}
		with data.govern.definitions as {"budget_policy": {"id": "b"}}
	r.revision == "sha256:r"
	r.definitions == {"budget_policy": {"id": "b"}}
	count(r.checks) == 2
	count(r.malformed) == 3
}

test_the_revision_is_null_when_none_was_loaded if {
	r := main.report with data.govern.checks as {} with data.govern.waiver_checks as {} with data.govern.action_checks as {}
	r.revision == null
	r.definitions == null
}

# lib.violation: English text alone, or {en, zh} split into message and message_zh.
test_violation_in_english_only if {
	data.govern.lib.violation("system", "s1", "no owner") == {"resource": {"kind": "system", "id": "s1"}, "message": "no owner"}
}

test_violation_in_both_languages if {
	v := data.govern.lib.violation("system", "s1", {"en": "no owner", "zh": "没有负责人"})
	v == {"resource": {"kind": "system", "id": "s1"}, "message": "no owner", "message_zh": "没有负责人"}
}

# An input on which a check fires: a core dataset that names no owner (CLS-008).
_stored_input := {
	"as_of": "2026-11-25",
	"inventory": {"datasets": {"d-1": {"id": "d-1", "grade": "core"}}},
	"waivers": {},
}

_fired(report) := {[c.meta.custom.id, v.resource.id] | some c in report.checks; some v in c.violations}

# Only the classification checks run (the others are replaced by nothing), to keep the tests quick.
test_the_stored_report_is_the_report_on_the_stored_input if {
	stored := main.stored_report with data.govern_input as _stored_input
		with data.govern.checks.budget as {} with data.govern.checks.governance as {}
		with data.govern.checks.mlps as {} with data.govern.checks.placement as {}
		with data.govern.checks.strategy as {} with data.govern.waiver_checks as {}
		with data.govern.action_checks as {}
	direct := main.report with input as _stored_input
		with data.govern.checks.budget as {} with data.govern.checks.governance as {}
		with data.govern.checks.mlps as {} with data.govern.checks.placement as {}
		with data.govern.checks.strategy as {} with data.govern.waiver_checks as {}
		with data.govern.action_checks as {}
	stored == direct
	_fired(stored) == {["CLS-008", "d-1"]}
}

test_the_stored_report_reads_the_stored_input_not_the_query_input if {
	stored := main.stored_report with data.govern_input as _stored_input with input as {"as_of": "2026-11-25"}
		with data.govern.checks.budget as {} with data.govern.checks.governance as {}
		with data.govern.checks.mlps as {} with data.govern.checks.placement as {}
		with data.govern.checks.strategy as {} with data.govern.waiver_checks as {}
		with data.govern.action_checks as {}
	_fired(stored) == {["CLS-008", "d-1"]}
}

test_the_stored_report_is_undefined_without_a_stored_input if {
	not main.stored_report
}
