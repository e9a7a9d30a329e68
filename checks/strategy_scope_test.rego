# Unit tests of strategy_scope.rego; the fixtures they share are in strategy_test.rego.
package govern.checks.strategy_test

import data.govern.checks.strategy
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

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
	_message(r, "pilot") == "the pilot phase has 3 projects running (prj-1, prj-2, prj-3), more than pilot.max_projects 2"
	_message_zh(r, "pilot") == "试点期有 3 个项目正在进行（prj-1、prj-2、prj-3），超过 pilot.max_projects 规定的 2 个"
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
