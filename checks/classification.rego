# Classification (CLS): GB/T 43697-2024 grades (核心/重要/一般数据) and the
# organisational levels of ISO/IEC 27001:2022 A.5.12–A.5.13.
package govern.checks.classification

import data.govern.lib

_min_level := object.get(lib.classification, "min_level", {})

# METADATA
# title: Dataset level is at least the minimum for its grade
# description: >-
#   Fires for each dataset whose `level` ranks lower (later in
#   ClassificationPolicy.levels) than `min_level[grade]`. Evaluates the
#   datasets whose grade has a minimum level.
# custom:
#   id: CLS-001
#   severity: high
#   waivable: true
#   resource: dataset
CLS_001 := lib.check(rego.metadata.rule(), _graded, {v |
	some id, d in _graded
	required := _min_level[d.grade]
	lib.level_rank(d.level) > lib.level_rank(required)
	v := lib.violation("dataset", id, sprintf(
		"dataset %s of grade %s is classified %s, below the minimum level %s",
		[id, d.grade, d.level, required],
	))
})

_graded := {id: d | some id, d in lib.datasets; _min_level[d.grade]}
