# Placement and residency (PLC): handbook §1.3/§2.1 public, private and
# hybrid cloud; PIPL/DSL localisation and the 2024 CAC cross-border rules.
package govern.checks.placement

import data.govern.lib

_rules := object.get(lib.placement, "rules", [])

# A rule matches a dataset if ANY of its matchers matches (model.md).
matches(rule, d) if rule.match.all == true

matches(rule, d) if d.grade in object.get(rule.match, "grades", [])

matches(rule, d) if d.level in object.get(rule.match, "levels", [])

matches(rule, d) if {
	is_boolean(rule.match.personal_info)
	object.get(d, ["personal_info", "contains"], false) == rule.match.personal_info
}

_holding := {id: s | some id, s in lib.systems; count(object.get(s, "datasets", [])) > 0}

# METADATA
# title: Datasets sit only on deployments their placement rules allow
# description: >-
#   Fires once per system when, for some dataset it holds and some placement
#   rule matching that dataset that sets `allowed_deployments`, the dataset's
#   effective deployment (the system's, or its side on a hybrid system) is
#   not allowed. The message lists each offending dataset and rule.
#   Evaluates systems that hold at least one dataset.
# custom:
#   id: PLC-001
#   severity: critical
#   waivable: false
#   resource: system
PLC_001 := lib.check(rego.metadata.rule(), _holding, {v |
	some id, s in _holding
	offences := sort({sprintf("%s on %s side violates rule %s (allowed: %s)", [ds_id, dep, rule.id, concat(", ", rule.allowed_deployments)]) |
		some ref in s.datasets
		ds_id := lib.ref_id(ref)
		d := lib.datasets[ds_id]
		dep := lib.effective_deployment(s, ref)
		some rule in _rules
		rule.allowed_deployments
		matches(rule, d)
		not dep in rule.allowed_deployments
	})
	count(offences) > 0
	v := lib.violation("system", id, sprintf("system %s stores datasets where placement forbids: %s", [id, concat("; ", offences)]))
})
