# Placement and residency (PLC): data kept in CN and sent abroad. The domain,
# the policy bindings and the helpers these checks share are in placement.rego.
package govern.checks.placement

import data.govern.lib

# ---------------------------------------------------------------- PLC-004
# `grades`: the grades of important data (lib.important_grades).
_localised(d, _) if d.personal_info.contains == true

_localised(d, grades) if lib.is_important(grades, d)

# CIIO systems holding personal information or important data, with those datasets.
_ciio_localised := {id: ids |
	some id, s in lib.systems
	s.ciio == true
	ids := {h.id | some h in _holdings(s, lib.datasets, _rules_of); _localised(h.dataset, lib.important_grades)}
	count(ids) > 0
}

# METADATA
# title: Critical information infrastructure keeps personal and important data in CN
# description: >-
#   Fires for each system with `ciio: true` that holds a dataset with
#   `personal_info.contains: true` or a grade in `important_data.grades`,
#   when the system or any replica has a `jurisdiction` other than CN (CII
#   regulation art. 37 / PIPL art. 40). An undeclared jurisdiction is not
#   CN and fires. Evaluates CIIO systems holding such data.
# custom:
#   id: PLC-004
#   title_zh: 关键信息基础设施在境内（CN）存储个人信息和重要数据
#   description_zh: >-
#     `ciio` 为 true 的系统存放了 `personal_info.contains` 为 true 或分级属于 `important_data.grades` 的数据集，而系统或其任一副本的 `jurisdiction` 不是 CN 时报告发现（《关键信息基础设施安全保护条例》第 37 条 /《个人信息保护法》第 40 条）。未声明的司法辖区不算 CN，同样报告发现。评估存放此类数据的关键信息基础设施系统。
#   severity: critical
#   waivable: false
#   resource: system
#   remediation: {zh: "由系统负责人将该关键信息基础设施系统及其全部副本置于境内（`jurisdiction: CN`）；个人信息和重要数据确需出境的，须先通过国家网信部门的数据出境安全评估。系统或副本未填写 `jurisdiction` 的，按实际位置补填。",
#                 en: "The system's owner keeps this critical information infrastructure system and every replica in China (`jurisdiction: CN`); personal information or important data that must leave needs a CAC security assessment first. A system or replica without a `jurisdiction` gets it filled in as deployed."}
PLC_004 := lib.check(rego.metadata.rule(), _ciio_localised, {v |
	some id, ids in _ciio_localised
	s := lib.systems[id]
	abroad := array.concat(
		[{
			"en": sprintf("system jurisdiction %s", [_shown(s, "jurisdiction")]),
			"zh": sprintf("系统%s", [_jurisdiction_zh(s)]),
		} |
			object.get(s, "jurisdiction", null) != "CN"
		],
		[{
			"en": sprintf("replica %d jurisdiction %s", [i + 1, _shown(r, "jurisdiction")]),
			"zh": sprintf("第 %d 个副本%s", [i + 1, _jurisdiction_zh(r)]),
		} |
			some i, r in object.get(s, "replicas", [])
			object.get(r, "jurisdiction", null) != "CN"
		],
	)
	count(abroad) > 0
	v := lib.violation("system", id, {
		"en": sprintf(
			"CIIO system %s holds personal information or important data (%s) outside CN: %s",
			[id, concat(", ", ids), _joined(abroad, "en", "; ")],
		),
		"zh": sprintf(
			"关键信息基础设施系统 %s 在 CN 以外存储个人信息或重要数据（%s）：%s",
			[id, concat("、", ids), _joined(abroad, "zh", "；")],
		),
	})
})

_jurisdiction_zh(place) := sprintf("所在司法辖区为 %s", [place.jurisdiction]) if place.jurisdiction

_jurisdiction_zh(place) := "未声明司法辖区" if not place.jurisdiction

# ---------------------------------------------------------------- PLC-007
_abroad(d) := [f | some f in object.get(d, "flows", []); f.jurisdiction != "CN"]

default _exporting := {}

# Datasets sending data out of CN; only measured when the policy sets thresholds.
_exporting := {id: d | some id, d in lib.datasets; count(_abroad(d)) > 0} if count(_cross_border) > 0

_subjects(d) := object.get(d, ["personal_info", "subjects"], 0)

_sensitive(d) if object.get(d, ["personal_info", "sensitive"], false) == true

# CIIO systems holding a dataset: a lookup in `held_by` (lib.held_by), then one
# per holder in `systems` (lib.systems).
_ciio_holders(id, held_by, systems) := sort([s | some s in object.get(held_by, id, set()); systems[s].ciio == true])

# Why a dataset's outbound flows need a CAC security assessment (empty: they
# don't). Arts. 7–8: an important grade, the subject thresholds, and any
# personal information a CIIO holds. `assessment` is the policy's
# cross_border.security_assessment, `grades` the vocabulary's grades,
# `holders` the CIIO systems holding the dataset (_ciio_holders).
_assessment_reasons(d, assessment, grades, holders) := array.concat(
	array.concat(
		[{"en": sprintf("graded %s", [lib.en(grades, d.grade)]), "zh": sprintf("分级为%s", [lib.zh(grades, d.grade)])} |
			d.grade in object.get(assessment, "grades", [])
		],
		[_subjects_reason(d, n) |
			n := assessment.subjects_at_least
			_subjects(d) >= n
		],
	),
	array.concat(
		[_sensitive_reason(d, n) |
			_sensitive(d)
			n := assessment.sensitive_subjects_at_least
			_subjects(d) >= n
		],
		[{
			"en": sprintf("personal information held by CIIO system %s", [concat(", ", holders)]),
			"zh": sprintf("个人信息由关键信息基础设施系统 %s 持有", [concat("、", holders)]),
		} |
			d.personal_info.contains == true
			count(holders) > 0
		],
	),
)

# Why they need at least a standard contract or a certification (art. 8):
# the subject threshold, or any sensitive personal information (≥ 1 subject).
# `cross_border` is the policy's cross_border.
_contract_reasons(d, cross_border) := array.concat(
	[_subjects_reason(d, n) |
		n := cross_border.contract_or_certification.subjects_at_least
		_subjects(d) >= n
	],
	[_sensitive_reason(d, 1) |
		_sensitive(d)
		_subjects(d) >= 1
	],
)

_subjects_reason(d, n) := {
	"en": sprintf("%s subjects ≥ %s", [lib.money(_subjects(d)), lib.money(n)]),
	"zh": sprintf("个人信息主体 %s 人 ≥ %s 人", [lib.money(_subjects(d)), lib.money(n)]),
}

_sensitive_reason(d, n) := {
	"en": sprintf("sensitive, %s subjects ≥ %s", [lib.money(_subjects(d)), lib.money(n)]),
	"zh": sprintf("敏感个人信息主体 %s 人 ≥ %s 人", [lib.money(_subjects(d)), lib.money(n)]),
}

# What a dataset's outbound flows need, the mechanisms that satisfy it, and
# why; `cross_border` is the policy's, `grades` the vocabulary's grades,
# `holders` the CIIO systems holding the dataset.
_requirement(d, cross_border, grades, holders) := {
	"needs": {"en": "security_assessment", "zh": "安全评估"},
	"accepts": {"security_assessment"},
	"why": {"en": concat(", ", [r.en | some r in reasons]), "zh": concat("，", [r.zh | some r in reasons])},
} if {
	reasons := _assessment_reasons(d, object.get(cross_border, "security_assessment", {}), grades, holders)
	count(reasons) > 0
}

_requirement(d, cross_border, grades, holders) := {
	"needs": {"en": "contract, certification or security_assessment", "zh": "标准合同、认证或安全评估"},
	"accepts": {"contract", "certification", "security_assessment"},
	"why": {"en": concat(", ", [r.en | some r in reasons]), "zh": concat("，", [r.zh | some r in reasons])},
} if {
	count(_assessment_reasons(d, object.get(cross_border, "security_assessment", {}), grades, holders)) == 0
	reasons := _contract_reasons(d, cross_border)
	count(reasons) > 0
}

# A flow's mechanism in Chinese, by the CAC provisions' names (the workspace model
# allows only these four; any other would show as its id rather than drop the finding).
_by_zh := {
	"none": "未采用任何出境机制",
	"contract": "采用标准合同",
	"certification": "采用认证",
	"security_assessment": "采用安全评估",
}

# METADATA
# title: Cross-border flows use the mechanism the CAC provisions require
# description: >-
#   For each flow of a dataset with a `jurisdiction` other than CN (CAC 2024
#   provisions, arts. 7–8): the flow needs `security_assessment` if the
#   dataset's grade is in `cross_border.security_assessment.grades`, or its
#   subjects ≥ `subjects_at_least`, or it is sensitive and its subjects ≥
#   `sensitive_subjects_at_least`, or it has `personal_info.contains: true`
#   and a system with `ciio: true` holds it (whatever the number of
#   subjects); otherwise it needs contract, certification or
#   security_assessment if subjects ≥
#   `contract_or_certification.subjects_at_least`, or if it is sensitive
#   with at least one subject (so sensitive data below
#   `sensitive_subjects_at_least` still needs one); otherwise nothing.
#   Subjects default to 0 and sensitive to false; "at least" thresholds
#   pass at equality; a flow without a mechanism counts as none. A
#   threshold the policy omits does not apply, the CIIO and sensitive rules
#   always do. Fires once per dataset, listing every flow whose mechanism
#   is not enough. Evaluates datasets with at least one flow out of CN
#   (needs `cross_border` in the PlacementPolicy).
# custom:
#   id: PLC-007
#   title_zh: 跨境数据流动采用网信办规定所要求的机制
#   description_zh: >-
#     对 `jurisdiction` 不是 CN 的每条数据流（网信办 2024 年规定第 7–8 条）：若数据集的分级属于 `cross_border.security_assessment.grades`，或其主体数 ≥ `subjects_at_least`，或为敏感数据且主体数 ≥ `sensitive_subjects_at_least`，或 `personal_info.contains` 为 true 且由 `ciio` 为 true 的系统存放（无论主体数多少），该数据流须采用 security_assessment；否则，若主体数 ≥ `contract_or_certification.subjects_at_least`，或为敏感数据且至少有一个主体（因此低于 `sensitive_subjects_at_least` 的敏感数据仍需机制），须采用 contract、certification 或 security_assessment 之一；否则无要求。主体数缺省为 0，敏感缺省为 false；“至少”类阈值相等即满足；未写机制的数据流按 none 计。政策省略的阈值不适用，关键信息基础设施与敏感数据的规则始终适用。每个数据集一项发现，列出机制不足的全部数据流。评估至少有一条出境（CN 以外）数据流的数据集（需要部署位置政策中的 `cross_border`）。
#   severity: critical
#   waivable: false
#   resource: dataset
#   remediation: {zh: "由数据集负责人为消息所列的每条出境数据流落实所需机制（通过数据出境安全评估，或在允许时订立个人信息出境标准合同、取得个人信息保护认证），并在数据流中填写 `mechanism` 与 `approval_ref`；机制落实前暂停该数据流。",
#                 en: "The dataset's owner puts the required mechanism in place for each flow the message lists (a CAC security assessment, or where that suffices the standard contract or a certification) and records `mechanism` and `approval_ref` on the flow; the flow stops until it is in place."}
PLC_007 := lib.check(rego.metadata.rule(), _exporting, {v |
	some id, d in _exporting
	req := _requirement(d, _cross_border, lib.names.grades, _ciio_holders(id, lib.held_by, lib.systems))
	short := {{
		"en": sprintf("to %s (%s) by %s", [f.to, f.jurisdiction, mechanism]),
		"zh": sprintf("流向 %s（%s），%s", [f.to, f.jurisdiction, object.get(_by_zh, mechanism, sprintf("采用 %s", [mechanism]))]),
	} |
		some f in _abroad(d)
		mechanism := object.get(f, "mechanism", "none")
		not mechanism in req.accepts
	}
	count(short) > 0
	v := lib.violation("dataset", id, {
		"en": sprintf(
			"dataset %s flows abroad without the required %s (%s): %s",
			[id, req.needs.en, req.why.en, _joined(short, "en", "; ")],
		),
		"zh": sprintf(
			"数据集 %s 出境未采用所需的%s（%s）：%s",
			[id, req.needs.zh, req.why.zh, _joined(short, "zh", "；")],
		),
	})
})
