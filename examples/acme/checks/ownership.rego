# Acme's own rule, added to the built-in library by `checks: [checks]` in
# governance.yaml. Acme's operating model: every production system is owned
# by a named manager who answers to the digital-operations committee. The
# committee approves budgets, decisions and waivers; its members do not also
# own production systems, so the people who review a system are not the
# people accountable for it (segregation of duties, ISO/IEC 27001 A.5.3).
# METADATA
# scope: package
# title: Acme system ownership
# custom:
#   domain:
#     id: acme
#     order: 100
#     title:
#       zh: Acme 系统归属
#       en: Acme system ownership
package govern.checks.acme

import data.govern.lib

# Everyone who sits on a committee, as chair or member (policy-sized).
committee_people := {p | some c in lib.committees; p := c.chair} | {p |
	some c in lib.committees
	some m in object.get(c, "members", [])
	p := m.person
}

# Systems tagged environment=prod.
production := {id | some id, s in lib.systems; object.get(s, ["tags", "environment"], "") == "prod"}

# METADATA
# title: Production systems have an owner below the committee
# description: >-
#   Fires for each system tagged `environment: prod` that has no `owner`,
#   or whose owner chairs or sits on a committee. Evaluates every
#   production system.
# custom:
#   id: ACME-001
#   title_zh: 生产系统有委员会成员以外的负责人
#   severity: medium
#   waivable: true
#   resource: system
ACME_001 := lib.check(rego.metadata.rule(), production, {v |
	some id in production
	reason := _ownership_problem(lib.systems[id], committee_people, lib.people)
	v := lib.violation("system", id, {
		"en": sprintf("production system %s %s", [id, reason.en]),
		"zh": sprintf("生产系统 %s %s", [id, reason.zh]),
	})
})

# `members`: everyone on a committee; `persons`: lib.people, to name the owner.
_ownership_problem(s, _, _) := {"en": "has no owner", "zh": "没有负责人"} if not s.owner

_ownership_problem(s, members, persons) := {
	"en": sprintf("is owned by %s, who sits on the committee that reviews it", [lib.person_en(persons, s.owner)]),
	"zh": sprintf("的负责人 %s 是审查该系统的委员会成员", [lib.person_zh(persons, s.owner)]),
} if s.owner in members
