# The one query the engine asks: every check's result, and the policy revision,
# definitions and vocabulary OPA held while evaluating them, in a single evaluation.
# (OPA's version is asked separately: opa.runtime is not among the builtins a
# module may call.)
package govern.main

import data.govern.lib

# Each result says which rule produced it, so the engine can hold it to the
# declaration of that rule (a literal object could claim any id).
checks contains object.union(r, {"rule": ["checks", pkg, name]}) if {
	some pkg, name
	r := data.govern.checks[pkg][name]
	lib.is_check(r)
}

checks contains object.union(r, {"rule": ["waiver_checks", name]}) if {
	some name
	r := data.govern.waiver_checks[name]
	lib.is_check(r)
}

checks contains object.union(r, {"rule": ["action_checks", name]}) if {
	some name
	r := data.govern.action_checks[name]
	lib.is_check(r)
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
	not lib.is_check(r)
}

default definitions := null

definitions := data.govern.definitions

default vocabulary := null

vocabulary := data.govern.vocabulary

default revision := null

revision := data.govern.meta.revision

# METADATA
# title: Every check's result, the definitions and the policy revision
# description: The query the engine asks, with the workspace's input sent with it.
# entrypoint: true
report := {
	"revision": revision,
	"definitions": definitions,
	"vocabulary": vocabulary,
	"checks": checks,
	"malformed": malformed,
}

# The same report on the input stored at data.govern_input. govern's managed OPA
# is sent the input once, as data: OPA's authorizer parses the body of every
# query and keeps that copy through the evaluation (at 100k systems, a second
# copy of the whole inventory), but it does not read the body of a data write.
# Outside data.govern, so no workspace check can read it (they read data.govern
# only), and undefined when nothing was stored: no report, never an empty one.
#
# METADATA
# title: The report on the stored input
# description: The query the engine asks once it has stored the input as data.
# entrypoint: true
stored_report := r if {
	r := report with input as data.govern_input
}
