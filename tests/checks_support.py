"""Workspace checks that tests in several modules run: EXT-001 with a test that sees it fire (`govern
test`), and a check slow enough for a test to interfere while OPA evaluates it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_workspace

CHECK = """\
package govern.checks.ext

import data.govern.lib

# METADATA
# title: Public systems are listed
# custom:
#   id: EXT-001
#   severity: low
#   waivable: true
#   resource: system
EXT_001 := lib.check(rego.metadata.rule(), lib.systems, {v |
	some id, s in lib.systems
	s.deployment == "public"
	v := lib.violation("system", id, sprintf("system %s is public", [id]))
})

label(s) := "public" if s.deployment == "public"

label(s) := "other" if s.deployment != "public"
"""

FIRES = """\
package govern.checks.ext_test

import data.govern.checks.ext

test_fires_on_a_public_system if {
	r := ext.EXT_001 with input as {"as_of": "2026-11-25", "inventory": {"systems": {"a": {"id": "a", "deployment": "public"}}}}
	{v.resource.id | some v in r.violations} == {"a"}
}
"""


# A workspace check that keeps OPA busy for seconds, so a test can interfere mid-evaluation.
SLOW_CHECK = """\
package govern.checks.slow

import data.govern.lib

# METADATA
# title: Deliberately slow
# custom:
#   id: SLOW-001
#   severity: info
#   waivable: true
SLOW_001 := lib.check(rego.metadata.rule(), {1}, {v |
	some i in numbers.range(1, 3000)
	some j in numbers.range(1, 3000)
	i * j == -1
	v := lib.violation("system", "none", "never")
})
"""


def slow_workspace(root: Path) -> Path:
    return make_workspace(root, {"governance.yaml": "checks: [checks]\n", "checks/slow.rego": SLOW_CHECK})
