# The one query the engine asks: every check's result and the policy revision
# OPA holds, in a single evaluation. (OPA's version is asked separately:
# opa.runtime is not among the builtins a module may call.)
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

# A value under a check package that looks like a check result but has no
# custom id in its METADATA would vanish from `checks`: name it, so the run
# can refuse it.
looks_like_check(r) if {
	is_object(r)
	some key in ["meta", "evaluated", "violations"]
	object.get(r, key, null) != null
}

malformed contains {"package": pkg, "rule": name} if {
	some pkg, name
	r := data.govern.checks[pkg][name]
	looks_like_check(r)
	not is_check(r)
}

default revision := null

revision := data.govern.meta.revision

report := {
	"revision": revision,
	"checks": checks,
	"malformed": malformed,
}
