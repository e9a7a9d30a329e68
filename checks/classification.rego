# Classification (CLS): GB/T 43697-2024 grades (核心/重要/一般数据) and the
# organisational levels of ISO/IEC 27001:2022 A.5.12–A.5.13.
# METADATA
# scope: package
# title: Classification
# custom:
#   domain:
#     id: classification
#     order: 3
#     title:
#       zh: 数据分类分级
#       en: Classification
package govern.checks.classification

import data.govern.lib

# Without a ClassificationPolicy every policy-driven subject set is empty, so
# those checks report not_applicable instead of a pass nobody measured.
_policy := lib.object_or_empty(lib.classification)

_min_level := object.get(_policy, "min_level", {})

_review_interval := object.get(_policy, "review_interval_days", {})

_required_encryption := object.get(_policy, "encryption_at_rest", {})

_risk_interval := object.get(_policy, ["important_data", "risk_assessment_interval_days"], null)

# METADATA
# title: Dataset level is at least the minimum for its grade
# description: >-
#   Fires for each dataset whose `level` ranks lower (later in
#   ClassificationPolicy.levels) than `min_level[grade]`. Evaluates the
#   datasets whose grade has a minimum level.
# custom:
#   id: CLS-001
#   title_zh: 数据集级别不低于其分级对应的最低级别
#   description_zh: >-
#     数据集的 `level` 低于 `min_level[grade]`（在 ClassificationPolicy.levels 中排位更靠后）时报告发现。评估其分级设有最低级别的数据集。
#   severity: high
#   waivable: true
#   resource: dataset
#   remediation: {zh: "由数据集负责人将该数据集的 `level` 提高到分类分级政策 `min_level` 对其分级要求的最低级别，并落实该级别的加密与部署要求；分级本身有误的，经复核后更正 `grade`。",
#                 en: "The dataset's owner raises its `level` to at least the `min_level` its grade requires in the ClassificationPolicy and applies that level's encryption and placement; if the grade itself is wrong, re-classify the dataset and correct `grade`."}
CLS_001 := lib.check(rego.metadata.rule(), _graded, {v |
	some id, d in _graded
	required := _min_level[d.grade]
	lib.level_rank(lib.levels, d.level) > lib.level_rank(lib.levels, required)
	v := lib.violation("dataset", id, {
		"en": sprintf(
			"dataset %s (%s) is classified %s, below the minimum level %s",
			[id, lib.en(lib.names.grades, d.grade), lib.en(lib.names.levels, d.level), lib.en(lib.names.levels, required)],
		),
		"zh": sprintf("数据集 %s（分级为%s）的级别为%s，低于最低级别%s", [id, lib.zh(lib.names.grades, d.grade), lib.zh(lib.names.levels, d.level), lib.zh(lib.names.levels, required)]),
	})
})

_graded := {id: d | some id, d in lib.datasets; _min_level[d.grade]}

# ---------------------------------------------------------------- CLS-002

# The grade's own interval in `intervals` (review_interval_days), else
# `default`; no interval means no review duty.
_review_days(intervals, grade) := intervals[grade]

_review_days(intervals, grade) := intervals["default"] if not grade in object.keys(intervals)

# Where the interval came from, as the message says it in each language.
_interval_source(intervals, grade) := {"en": "grade", "zh": "按分级设定"} if grade in object.keys(intervals)

_interval_source(intervals, grade) := {"en": "default", "zh": "默认周期"} if not grade in object.keys(intervals)

_reviewable := {id: d | some id, d in lib.datasets; _ := _review_days(_review_interval, d.grade)}

# METADATA
# title: Dataset classification is reviewed within its grade's interval
# description: >-
#   Fires for each dataset whose `classified_at` is more than
#   `review_interval_days[grade]` days before as_of (the `default` interval
#   when the grade has none; "within N days" means as_of - date <= N, so a
#   classification exactly N days old passes). A dataset without
#   `classified_at` has never been reviewed and fires. Evaluates the datasets
#   whose grade has an interval or for which a `default` exists; a grade with
#   neither has no review duty and is not evaluated.
# custom:
#   id: CLS-002
#   title_zh: 数据集分类分级在其分级规定的周期内复核
#   description_zh: >-
#     数据集的 `classified_at` 早于评估基准日超过 `review_interval_days[grade]` 天时报告发现（该分级未设周期时用 `default`；“N 天内”指 评估基准日 - 日期 <= N，恰好 N 天则通过）。没有 `classified_at` 的数据集从未复核，同样报告发现。评估其分级设有周期或存在 `default` 的数据集；两者皆无的分级没有复核要求，不评估。
#   severity: medium
#   waivable: true
#   resource: dataset
#   remediation: {zh: "由数据集负责人组织对该数据集重新进行分类分级复核，确认 `grade` 与 `level` 后，将复核日期填入 `classified_at`。",
#                 en: "The dataset's owner has its classification reviewed again, confirms `grade` and `level`, and records the review date in `classified_at`."}
CLS_002 := lib.check(rego.metadata.rule(), _reviewable, {v |
	some id, d in _reviewable
	days := _review_days(_review_interval, d.grade)
	reason := _review_overdue(d, days)
	source := _interval_source(_review_interval, d.grade)
	v := lib.violation("dataset", id, {
		"en": sprintf(
			"dataset %s (%s) %s (review interval %d days, %s)",
			[id, lib.en(lib.names.grades, d.grade), reason.en, days, source.en],
		),
		"zh": sprintf(
			"数据集 %s（分级为%s）%s（复核周期 %d 天，%s）",
			[id, lib.zh(lib.names.grades, d.grade), reason.zh, days, source.zh],
		),
	})
})

_review_overdue(d, _) := {"en": "has no classified_at", "zh": "未填写分类分级日期 classified_at"} if not d.classified_at

_review_overdue(d, days) := {
	"en": sprintf("was classified on %s, %d days ago", [d.classified_at, age]),
	"zh": sprintf("于 %s 完成分类分级，距评估基准日 %d 天", [d.classified_at, age]),
} if {
	age := lib.days_since(d.classified_at)
	age > days
}

# ---------------------------------------------------------------- CLS-003
_sensitive := {id: d | some id, d in lib.datasets; d.personal_info.sensitive == true}

# METADATA
# title: Sensitive personal information has an impact assessment (PIPIA)
# description: >-
#   Fires for each dataset with `personal_info.sensitive: true` that names no
#   `pipia_ref` (PIPL art. 55 personal information protection impact
#   assessment). Evaluates the datasets holding sensitive personal
#   information.
# custom:
#   id: CLS-003
#   title_zh: 敏感个人信息已开展个人信息保护影响评估
#   description_zh: >-
#     数据集 `personal_info.sensitive` 为 true 而未指明 `pipia_ref`（《个人信息保护法》第 55 条规定的个人信息保护影响评估）时报告发现。评估存放敏感个人信息的数据集。
#   severity: high
#   waivable: true
#   resource: dataset
#   remediation: {zh: "由数据集负责人会同个人信息保护负责人开展个人信息保护影响评估（《个人信息保护法》第五十五条），并将评估报告编号填入该数据集的 `pipia_ref`；评估完成前不应扩大处理范围。",
#                 en: "The dataset's owner, with the personal information protection officer, carries out a personal information protection impact assessment (PIPL art. 55) and records its reference in the dataset's `pipia_ref`; the processing should not widen before it is done."}
CLS_003 := lib.check(rego.metadata.rule(), _sensitive, {v |
	some id, d in _sensitive
	not d.pipia_ref
	subjects := lib.money(object.get(d.personal_info, "subjects", 0))
	v := lib.violation("dataset", id, {
		"en": sprintf("dataset %s holds sensitive personal information of %s subjects but names no pipia_ref", [id, subjects]),
		"zh": sprintf(
			"数据集 %s 含有 %s 名个人信息主体的敏感个人信息，但未列明个人信息保护影响评估 pipia_ref",
			[id, subjects],
		),
	})
})

# ---------------------------------------------------------------- CLS-004

# Per system, the best (lowest) level rank among the datasets it holds; a
# system holding no dataset has no entry. One pass over each system's list; a
# comprehension, not a partial rule, which OPA builds in quadratic time.
_top_rank := {sys_id: min(ranks) |
	some sys_id, s in lib.systems
	ranks := {lib.level_rank(lib.levels, lib.datasets[lib.ref_id(ref)].level) | some ref in object.get(s, "datasets", [])}
	count(ranks) > 0
}

# METADATA
# title: System data label matches the highest level of the data it holds
# description: >-
#   Fires for each system holding at least one dataset whose
#   `labels.data_level` is missing or is not the highest level among its
#   datasets, "highest" by level rank (first in ClassificationPolicy.levels).
#   A label that is higher than the data is a mismatch too: the label must
#   state the data actually held. The message names the datasets at the
#   highest level. Evaluates systems that hold at least one dataset (needs a
#   ClassificationPolicy to rank levels).
# custom:
#   id: CLS-004
#   title_zh: 系统数据级别标签与其存放数据的最高级别一致
#   description_zh: >-
#     系统存放至少一个数据集，而其 `labels.data_level` 缺失或不是所存数据集中的最高级别（按级别排位，ClassificationPolicy.levels 中靠前者为高）时报告发现。标签高于实际数据同样不一致：标签必须说明实际存放的数据。消息列出处于最高级别的数据集。评估存放至少一个数据集的系统（需要分类分级政策为级别排位）。
#   severity: high
#   waivable: true
#   resource: system
#   remediation: {zh: "由系统负责人将该系统的 `labels.data_level` 改为其所存数据集中的最高级别（消息已列出这些数据集），使标签如实反映所存数据；数据集不应存放于此的，先迁出再更新标签。",
#                 en: "The system's owner sets its `labels.data_level` to the highest level among the datasets it holds (the message names them), so that the label states the data actually held; if a dataset does not belong there, move it out first, then update the label."}
CLS_004 := lib.check(rego.metadata.rule(), _top_rank, {v |
	some id, rank in _top_rank
	s := lib.systems[id]
	highest := lib.levels[rank]
	label := object.get(s, ["labels", "data_level"], null)
	label != highest
	top_ids := sort({ds_id |
		some ref in s.datasets
		ds_id := lib.ref_id(ref)
		lib.datasets[ds_id].level == highest
	})
	at_top := concat(", ", top_ids)
	at_top_zh := concat("、", top_ids)
	label_text := _label_text(label, lib.names.levels)
	v := lib.violation("system", id, {
		"en": sprintf("system %s %s but holds %s data (%s)", [id, label_text.en, lib.en(lib.names.levels, highest), at_top]),
		"zh": sprintf("系统 %s %s，但存放有%s级数据（%s）", [id, label_text.zh, lib.zh(lib.names.levels, highest), at_top_zh]),
	})
})

# `named` is the vocabulary's levels.
_label_text(null, _) := {"en": "has no labels.data_level", "zh": "未设置 labels.data_level"}

_label_text(label, named) := {
	"en": sprintf("is labelled data_level %s", [lib.en(named, label)]),
	"zh": sprintf("的 data_level 标签为%s", [lib.zh(named, label)]),
} if label != null

# ---------------------------------------------------------------- CLS-005/006
_important := {id: d | some id, d in lib.datasets; lib.is_important(lib.important_grades, d)}

# METADATA
# title: Important data has a named security officer
# description: >-
#   Fires for each dataset whose grade is in `important_data.grades` and that
#   names no `security_officer` (DSL art. 27). Evaluates the datasets of an
#   important grade.
# custom:
#   id: CLS-005
#   title_zh: 重要数据已指定数据安全负责人
#   description_zh: >-
#     数据集的分级属于 `important_data.grades` 而未指明 `security_officer`（数据安全负责人，《数据安全法》第 27 条）时报告发现。评估重要分级的数据集。
#   severity: high
#   waivable: true
#   resource: dataset
#   remediation: {zh: "由数据集负责人为该重要数据指定数据安全负责人（《数据安全法》第二十七条），并将其人员 id 填入数据集的 `security_officer`（该人员须登记在清单的 `people` 中）。",
#                 en: "The dataset's owner appoints a data security officer for this important data (DSL art. 27) and records their person id in the dataset's `security_officer` (a person listed under `people`)."}
CLS_005 := lib.check(rego.metadata.rule(), _important, {v |
	some id, d in _important
	not d.security_officer
	v := lib.violation("dataset", id, {
		"en": sprintf("dataset %s (important, graded %s) names no security_officer", [id, lib.en(lib.names.grades, d.grade)]),
		"zh": sprintf("数据集 %s（重要数据，分级为%s）未指定数据安全负责人 security_officer", [id, lib.zh(lib.names.grades, d.grade)]),
	})
})

# METADATA
# title: Important data has a current risk assessment
# description: >-
#   Fires for each dataset whose grade is in `important_data.grades` and whose
#   `last_risk_assessment` is missing or more than
#   `important_data.risk_assessment_interval_days` days before as_of (exactly
#   N days old passes). When the policy sets no interval only a missing
#   assessment fires. Evaluates the datasets of an important grade.
# custom:
#   id: CLS-006
#   title_zh: 重要数据的风险评估在有效期内
#   description_zh: >-
#     数据集的分级属于 `important_data.grades`，而其 `last_risk_assessment` 缺失或早于评估基准日超过 `important_data.risk_assessment_interval_days` 天时报告发现（恰好 N 天则通过）。政策未设周期时只有缺少评估才报告发现。评估重要分级的数据集。
#   severity: high
#   waivable: true
#   resource: dataset
#   remediation: {zh: "由该数据集的数据安全负责人组织开展重要数据风险评估，将完成日期填入 `last_risk_assessment`，此后在 `important_data.risk_assessment_interval_days` 规定的周期内重复评估。",
#                 en: "The dataset's security officer has a risk assessment of this important data carried out and records its date in `last_risk_assessment`, then repeats it within `important_data.risk_assessment_interval_days`."}
CLS_006 := lib.check(rego.metadata.rule(), _important, {v |
	some id, d in _important
	reason := _assessment_overdue(d, _risk_interval)
	v := lib.violation("dataset", id, {
		"en": sprintf("dataset %s (important, graded %s) %s", [id, lib.en(lib.names.grades, d.grade), reason.en]),
		"zh": sprintf("数据集 %s（重要数据，分级为%s）%s", [id, lib.zh(lib.names.grades, d.grade), reason.zh]),
	})
})

# `interval`: the policy's risk_assessment_interval_days, null when unset.
_assessment_overdue(d, _) := {
	"en": "has no last_risk_assessment",
	"zh": "没有风险评估记录 last_risk_assessment",
} if not d.last_risk_assessment

_assessment_overdue(d, interval) := msg if {
	interval != null
	age := lib.days_since(d.last_risk_assessment)
	age > interval
	msg := {
		"en": sprintf(
			"was last risk-assessed on %s, %d days ago, beyond the %d-day interval",
			[d.last_risk_assessment, age, interval],
		),
		"zh": sprintf(
			"最近一次风险评估于 %s，距评估基准日 %d 天，超过 %d 天的评估周期",
			[d.last_risk_assessment, age, interval],
		),
	}
}

# ---------------------------------------------------------------- CLS-007
_strength := {"none": 0, "required": 1, "cmk": 2}

# Each strength in Chinese, with its code so the reader finds it in the YAML.
_strength_zh := {"none": "未加密（none）", "required": "已加密（required）", "cmk": "客户管理密钥加密（cmk）"}

_encryption_bound := {id: d | some id, d in lib.datasets; _required_encryption[d.level]}

# METADATA
# title: Encryption at rest is as strong as the dataset's level requires
# description: >-
#   Fires for each dataset whose `encryption_at_rest` (absent = none) is
#   weaker than `ClassificationPolicy.encryption_at_rest[level]`, in the
#   order none < required < cmk. Evaluates the datasets whose level the
#   policy lists; a level not listed requires nothing.
# custom:
#   id: CLS-007
#   title_zh: 静态加密强度满足数据集级别的要求
#   description_zh: >-
#     数据集的 `encryption_at_rest`（缺省为 none）弱于 `ClassificationPolicy.encryption_at_rest[level]` 时报告发现，强弱顺序为 none < required < cmk。评估其级别列于政策中的数据集；未列出的级别没有要求。
#   severity: high
#   waivable: true
#   resource: dataset
#   remediation: {zh: "由存放该数据集的系统的负责人按分类分级政策 `encryption_at_rest` 对其级别的要求启用静态加密（required：加密存储；cmk：使用客户自管密钥加密），完成后更新数据集的 `encryption_at_rest`。",
#                 en: "The owner of the system holding the dataset enables encryption at rest as strong as the ClassificationPolicy's `encryption_at_rest` requires for its level (`required`: encrypted; `cmk`: with customer-managed keys), then updates the dataset's `encryption_at_rest`."}
CLS_007 := lib.check(rego.metadata.rule(), _encryption_bound, {v |
	some id, d in _encryption_bound
	required := _required_encryption[d.level]
	actual := object.get(d, "encryption_at_rest", "none")
	_strength[actual] < _strength[required]
	v := lib.violation("dataset", id, {
		"en": sprintf(
			"dataset %s of level %s has encryption_at_rest %s, weaker than the required %s",
			[id, lib.en(lib.names.levels, d.level), actual, required],
		),
		"zh": sprintf(
			"数据集 %s（级别为%s）的静态加密为%s，弱于要求的%s",
			[id, lib.zh(lib.names.levels, d.level), _strength_zh[actual], _strength_zh[required]],
		),
	})
})

# ---------------------------------------------------------------- CLS-008

# METADATA
# title: Every dataset is held by some system
# description: >-
#   Fires for each dataset that no system lists under `datasets` (an
#   orphan: its placement and protection cannot be checked). Evaluates every
#   dataset; needs no policy.
# custom:
#   id: CLS-008
#   title_zh: 每个数据集均存放于某一系统
#   description_zh: >-
#     数据集未被任何系统列在 `datasets` 之下时报告发现（孤立数据集：无法检查其部署位置与保护措施）。评估每个数据集；不需要政策。
#   severity: info
#   waivable: true
#   resource: dataset
#   remediation: {zh: "由数据集负责人查明该数据集存放在哪个系统，并将其加入该系统的 `datasets`；数据集已停用的，从清单中删除。",
#                 en: "The dataset's owner finds the system that holds it and adds it to that system's `datasets`; a retired dataset is removed from the inventory."}
CLS_008 := lib.check(rego.metadata.rule(), lib.datasets, {v |
	some id, _ in lib.datasets
	not lib.held_by[id]
	v := lib.violation("dataset", id, {
		"en": sprintf("dataset %s is held by no system", [id]),
		"zh": sprintf("数据集 %s 未存放于任何系统", [id]),
	})
})
