# Security protection level (MLPS, 等保): GB/T 22239-2019 filing and periodic
# assessment of levelled systems, and the level important data requires.
# METADATA
# scope: package
# title: Classified protection (MLPS)
# custom:
#   domain:
#     id: mlps
#     order: 5
#     title:
#       zh: 等级保护
#       en: Classified protection (MLPS)
package govern.checks.mlps

import data.govern.lib

_level(s) := object.get(s, "mlps_level", 0)

_filed := {id: s | some id, s in lib.systems; _level(s) >= 2}

# METADATA
# title: Systems at MLPS level 2 or above are filed with the public security bureau
# description: >-
#   Fires for each system with `mlps_level` ≥ 2 that has no
#   `mlps_filing_id`. Evaluates systems at level 2 or above; systems
#   without an `mlps_level` are not evaluated.
# custom:
#   id: MLP-001
#   title_zh: 等级保护第二级及以上系统已向公安机关备案
#   description_zh: >-
#     `mlps_level` ≥ 2 的系统没有 `mlps_filing_id`（备案编号）时报告发现。评估第二级及以上的系统；没有 `mlps_level` 的系统不评估。
#   severity: high
#   waivable: true
#   resource: system
#   remediation:
#     zh: 由系统负责人向所在地公安机关办理等级保护备案，取得备案证明后，将备案编号填入该系统在清单中的 `mlps_filing_id`。
#     en: >-
#       The system's owner files the system with the local public security
#       bureau and, once the filing certificate is issued, records its number
#       as the system's `mlps_filing_id` in the inventory.
MLP_001 := lib.check(rego.metadata.rule(), _filed, {v |
	some id, s in _filed
	not s.mlps_filing_id
	v := lib.violation("system", id, {
		"en": sprintf("system %s at MLPS level %d has no mlps_filing_id", [id, s.mlps_level]),
		"zh": sprintf("系统 %s 的等级保护级别为第 %d 级，但缺少备案编号（mlps_filing_id）", [id, s.mlps_level]),
	})
})

# Days allowed since the last assessment: level 3 yearly, level 4 and above
# every six months.
_assessment_days(level) := 365 if level == 3

_assessment_days(level) := 183 if level >= 4

_assessed := {id: s | some id, s in lib.systems; _level(s) >= 3}

# METADATA
# title: Systems at MLPS level 3 or above have a current level assessment
# description: >-
#   Fires for each system with `mlps_level` = 3 whose `mlps_last_assessment`
#   is missing or more than 365 days before as_of, and for each system at
#   level 4 or above when it is missing or more than 183 days before as_of
#   ("within N days" is as_of - date <= N, so exactly 365 or 183 days passes).
#   Evaluates systems at level 3 or above; systems without an `mlps_level`
#   are not evaluated.
# custom:
#   id: MLP-002
#   title_zh: 等级保护第三级及以上系统的等级测评在有效期内
#   description_zh: >-
#     `mlps_level` = 3 的系统，其 `mlps_last_assessment` 缺失或早于评估基准日超过 365 天时报告发现；第四级及以上的系统缺失或超过 183 天时报告发现（“N 天内”指 评估基准日 - 日期 <= N，恰好 365 或 183 天则通过）。评估第三级及以上的系统；没有 `mlps_level` 的系统不评估。
#   severity: high
#   waivable: true
#   resource: system
MLP_002 := lib.check(rego.metadata.rule(), _assessed, {v |
	some id, s in _assessed
	days := _assessment_days(s.mlps_level)
	reason := _assessment_overdue(s, days)
	v := lib.violation("system", id, {
		"en": sprintf("system %s at MLPS level %d %s (required every %d days)", [id, s.mlps_level, reason.en, days]),
		"zh": sprintf("系统 %s 的等级保护级别为第 %d 级，%s（要求每 %d 天测评一次）", [id, s.mlps_level, reason.zh, days]),
	})
})

_assessment_overdue(s, _) := {
	"en": "has no mlps_last_assessment",
	"zh": "但未记录最近一次测评日期 mlps_last_assessment",
} if not s.mlps_last_assessment

_assessment_overdue(s, days) := {
	"en": sprintf("was last assessed on %s, %d days ago", [s.mlps_last_assessment, age]),
	"zh": sprintf("最近一次测评于 %s，截至评估基准日已过 %d 天", [s.mlps_last_assessment, age]),
} if {
	age := lib.days_since(s.mlps_last_assessment)
	age > days
}

# Systems holding important data, with the important datasets they hold.
_important_holders := {id: ids |
	some id, s in lib.systems
	ids := {ds_id |
		some ref in object.get(s, "datasets", [])
		ds_id := lib.ref_id(ref)
		lib.is_important(lib.important_grades, lib.datasets[ds_id])
	}
	count(ids) > 0
}

# METADATA
# title: Systems holding important data are protected at MLPS level 3 or above
# description: >-
#   Fires for each system that holds a dataset whose grade is in
#   `important_data.grades` and whose `mlps_level` is below 3; a system with
#   no `mlps_level` has not been levelled at all and fires too. Evaluates
#   systems holding important data.
# custom:
#   id: MLP-003
#   title_zh: 存放重要数据的系统的等级保护级别不低于第三级
#   description_zh: >-
#     系统存放的数据集分级属于 `important_data.grades`，而其 `mlps_level` 低于 3 时报告发现；没有 `mlps_level` 的系统根本未定级，同样报告发现。评估存放重要数据的系统。
#   severity: medium
#   waivable: true
#   resource: system
MLP_003 := lib.check(rego.metadata.rule(), _important_holders, {v |
	some id, ids in _important_holders
	s := lib.systems[id]
	_level(s) < 3
	level := _level_text(s)
	v := lib.violation("system", id, {
		"en": sprintf("system %s holds important data (%s) %s, below the required level 3", [id, concat(", ", ids), level.en]),
		"zh": sprintf("系统 %s 存放重要数据（%s），%s，低于要求的第 3 级", [id, concat("、", ids), level.zh]),
	})
})

_level_text(s) := {"en": sprintf("at MLPS level %d", [s.mlps_level]), "zh": sprintf("但等级保护级别仅为第 %d 级", [s.mlps_level])} if s.mlps_level

_level_text(s) := {"en": "with no mlps_level", "zh": "但未声明等级保护级别（mlps_level）"} if not s.mlps_level
