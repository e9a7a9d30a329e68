package govern.checks.acme_test

import data.govern.checks.acme

_people := {
	"p-ceo": {"id": "p-ceo", "name": "王伟", "roles": ["CEO"]},
	"p-cdo": {"id": "p-cdo", "name": "陈静", "roles": ["HEAD_DATA"]},
	"p-ops": {"id": "p-ops", "name": "孙杰", "roles": ["SRE_LEAD"]},
}

_defs := {"committees": {"doc": {
	"id": "doc", "chair": "p-ceo",
	"members": [{"person": "p-ceo", "role": "CEO"}, {"person": "p-cdo", "role": "HEAD_DATA"}],
}}}

_system(fields) := object.union({"id": "sys-a", "deployment": "private", "tags": {"environment": "prod"}}, fields)

_run(systems) := r if {
	r := acme.ACME_001 with input as {"as_of": "2026-11-25", "inventory": {"people": _people, "systems": systems}}
		with data.govern.definitions as _defs
}

test_fires_for_a_production_system_without_owner if {
	r := _run({"sys-a": _system({})})
	{v.resource.id | some v in r.violations} == {"sys-a"}
	some v in r.violations
	v.message == "production system sys-a has no owner"
	v.message_zh == "生产系统 sys-a 没有负责人"
}

test_fires_when_a_committee_member_owns_it if {
	r := _run({"sys-a": _system({"owner": "p-cdo"})})
	some v in r.violations
	contains(v.message, "owned by 陈静 (p-cdo)")
	v.message == "production system sys-a is owned by 陈静 (p-cdo), who sits on the committee that reviews it"
	v.message_zh == "生产系统 sys-a 的负责人 陈静（p-cdo） 是审查该系统的委员会成员"
}

test_fires_when_the_chair_owns_it if {
	r := _run({"sys-a": _system({"owner": "p-ceo"})})
	count(r.violations) == 1
}

test_passes_for_an_owner_below_the_committee if {
	r := _run({"sys-a": _system({"owner": "p-ops"})})
	count(r.violations) == 0
	r.evaluated == 1
}

test_evaluates_production_systems_only if {
	r := _run({
		"sys-a": _system({"owner": "p-ops"}),
		"sys-b": _system({"id": "sys-b", "tags": {"environment": "staging"}}),
		"sys-c": {"id": "sys-c", "deployment": "private"},
	})
	r.evaluated == 1
	count(r.violations) == 0
}
