# What the unit tests of every check read from a check's result, shared by the
# `_test.rego` files (each imports what it uses: `import
# data.govern.testing.ids as _ids`). A `_test.rego` file is never part of the
# policy, so neither is this package.
package govern.testing

# The ids of the resources a result names.
ids(result) := {v.resource.id | some v in result.violations}

# The English message on one resource (undefined if there is none).
message(result, id) := m if {
	some v in result.violations
	v.resource.id == id
	m := v.message
}

# The Chinese message on one resource (undefined if there is none).
message_zh(result, id) := m if {
	some v in result.violations
	v.resource.id == id
	m := v.message_zh
}
