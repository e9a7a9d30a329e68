package govern.checks.governance_test

import data.govern.checks.governance

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

_ids(result) := {v.resource.id | some v in result.violations}

test_gov_001_fires_when_chair_is_not_ceo if {
	r := governance.GOV_001 with input as {"as_of": "2026-11-25", "inventory": {"people": _people}}
		with data.govern.definitions as {"committees": _committee("p-cto", _members)}
	_ids(r) == {"c"}
	r.evaluated == 1
	some v in r.violations
	contains(v.message, "p-cto")
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
	contains(v.message, "HEAD_TECHNOLOGY")
}

test_gov_002_passes_when_roles_covered if {
	r := governance.GOV_002 with input as {"as_of": "2026-11-25", "inventory": {"people": _people}}
		with data.govern.definitions as {"committees": _committee("p-ceo", _members)}
	count(r.violations) == 0
}
