# Budget (BUD): handbook §2.1, allocation across technology, talent and
# operations with target shares per phase, and spend against budget lines.
package govern.checks.budget

import data.govern.lib

_tolerance := object.get(lib.budget_policy, "line_overspend_tolerance", 0)

_reallocated contains d.subject.id if {
	some d in lib.decisions
	d.type == "budget_reallocation"
	d.subject.kind == "budget_line"
}

# METADATA
# title: Spend on a budget line stays within its amount plus tolerance
# description: >-
#   Fires for each budget line whose summed spend exceeds
#   amount × (1 + line_overspend_tolerance) when no decision of type
#   budget_reallocation names the line as its subject. Evaluates every
#   budget line (needs a BudgetPolicy).
# custom:
#   id: BUD-003
#   severity: high
#   waivable: true
#   resource: budget_line
BUD_003 := lib.check(rego.metadata.rule(), _lines, {v |
	some id, line in _lines
	spent := lib.spent_on(id)
	limit := line.amount * (1 + _tolerance)
	spent > limit
	not id in _reallocated
	v := lib.violation("budget_line", id, sprintf(
		"spend %s on %s exceeds %s × %v (limit %s) and no budget_reallocation decision covers it",
		[lib.money(spent), id, lib.money(line.amount), 1 + _tolerance, lib.money(limit)],
	))
})

_lines := lib.budget_lines if lib.budget_policy != null

else := {}
