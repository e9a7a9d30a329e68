# The one query the engine asks: every check's result, the policy revision
# OPA holds, and OPA's own version, in a single evaluation.
package govern.main

# A check is any rule under data.govern.checks.<package> (or the waiver
# checks) whose value carries METADATA with a custom id.
is_check(r) if {
	is_object(r)
	is_string(r.meta.custom.id)
}

checks contains r if {
	some pkg, name
	r := data.govern.checks[pkg][name]
	is_check(r)
}

checks contains r if {
	some name
	r := data.govern.waiver_checks[name]
	is_check(r)
}

default revision := null

revision := data.govern.meta.revision

report := {
	"revision": revision,
	"opa_version": opa.runtime().version,
	"checks": checks,
}
