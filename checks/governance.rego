# Committee and authority (GOV): handbook §1.3, the CEO-led digital
# operations committee and the delegation of authority.
package govern.checks.governance

import data.govern.lib

# METADATA
# title: Committee is chaired by the CEO
# description: >-
#   Fires for each committee whose `chair` is not a person whose `roles`
#   include CEO. Evaluates every committee.
# custom:
#   id: GOV-001
#   severity: high
#   waivable: true
#   resource: committee
GOV_001 := lib.check(rego.metadata.rule(), lib.committees, {v |
	some id, c in lib.committees
	not lib.has_role(c.chair, "CEO")
	roles := object.get(lib.people, [c.chair, "roles"], [])
	v := lib.violation("committee", id, sprintf(
		"committee %s is chaired by %s (%s), who does not hold the CEO role (roles: %s)",
		[id, c.chair, object.get(lib.people, [c.chair, "name"], "?"), _list(roles)],
	))
})

# METADATA
# title: Committee members cover every required role
# description: >-
#   Fires for each committee where some role in `required_roles` is held by
#   no member (`members[].role`); the message lists every missing role.
# custom:
#   id: GOV-002
#   severity: high
#   waivable: true
#   resource: committee
GOV_002 := lib.check(rego.metadata.rule(), lib.committees, {v |
	some id, c in lib.committees
	held := {m.role | some m in object.get(c, "members", [])}
	missing := [r | some r in object.get(c, "required_roles", []); not r in held]
	count(missing) > 0
	v := lib.violation("committee", id, sprintf(
		"committee %s has no member in required role(s) %s",
		[id, _list(missing)],
	))
})

_list(xs) := "none" if count(xs) == 0

_list(xs) := concat(", ", [sprintf("%v", [x]) | some x in xs]) if count(xs) > 0
