# Unit tests of what the diagnosis section of the reports draws from the DIA
# checks (custom.observes): DIA-004's hand-offs per stream, DIA-006's live
# projects per root cause. The fixtures are in diagnosis_test.rego and
# diagnosis_causes_test.rego.
package govern.checks.diagnosis_test

import data.govern.checks.diagnosis
import data.govern.testing.ids as _ids

test_dia_004_observes_every_streams_hand_offs_in_order_firing_or_not if {
	one := _step("one", {"manual": true, "systems": ["sys-a"]})
	automated := _step("auto", {"systems": ["sys-a", "sys-b"]})
	inv := _streams([
		_stream("vs-over", [_hand_off("c"), one, _hand_off("a"), automated], {}),
		_stream("vs-at", [_hand_off("a"), _step("b", {})], {}),
		_stream("vs-none", [_step("a", {})], {}),
	])
	r := diagnosis.DIA_004 with input as _input(inv) with data.govern.definitions as _defs
	r.observations == {"vs-over": ["c", "a"], "vs-at": ["a"], "vs-none": []}
}

test_dia_004_observes_nothing_without_a_diagnosis_section if {
	inv := _streams([_stream("vs", [_hand_off("a"), _hand_off("b")], {})])
	r := diagnosis.DIA_004 with input as _input(inv) with data.govern.definitions as _no_section
	r.observations == {}
}

test_dia_006_observes_the_live_projects_removing_each_root_cause if {
	inv := {
		"root_causes": object.union_n([
			_root_cause("rc-a", "architecture"),
			_root_cause("rc-ended", "data_standards"),
			_root_cause("rc-none", "other"),
		]),
		"projects": object.union_n([
			_project("prj-today", "2026-01-01", "2026-11-25", {"root_causes": ["rc-a"]}),
			_project("prj-later", "2027-01-01", "2027-12-31", {"root_causes": ["rc-a"]}),
			_project("prj-yesterday", "2026-01-01", "2026-11-24", {"root_causes": ["rc-ended", "rc-a"]}),
		]),
	}
	r := diagnosis.DIA_006 with input as _input(inv) with data.govern.definitions as _defs
	r.observations == {"rc-a": ["prj-later", "prj-today"], "rc-ended": [], "rc-none": []}
	_ids(r) == {"rc-ended", "rc-none"}
}

test_dia_006_observes_nothing_without_a_diagnosis_section if {
	inv := {"root_causes": _root_cause("rc-a", "architecture"), "projects": _project("p", "2026-01-01", "2027-01-01", {"root_causes": ["rc-a"]})}
	r := diagnosis.DIA_006 with input as _input(inv) with data.govern.definitions as _no_section
	r.observations == {}
}
