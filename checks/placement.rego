# Placement and residency (PLC): handbook §2.1.1 public, private and
# hybrid cloud; PIPL/DSL localisation, the CII regulation and the 2024 CAC
# cross-border rules; GB/T 22239-2019 platform levels.
# METADATA
# scope: package
# title: Placement & residency
# custom:
#   domain:
#     id: placement
#     order: 4
#     title:
#       zh: 部署与数据驻留
#       en: Placement & residency
package govern.checks.placement

import data.govern.lib

# Without a PlacementPolicy the rule-driven subject sets are empty, so those
# checks report not_applicable instead of an unmeasured pass.
_policy := lib.object_or_empty(lib.placement)

_rules := object.get(_policy, "rules", [])

_cross_border := object.get(_policy, "cross_border", {})

# A rule matches a dataset if ANY of its matchers matches (docs/reference/workspace.md).
matches(rule, _) if rule.match.all == true

matches(rule, d) if d.grade in object.get(rule.match, "grades", [])

matches(rule, d) if d.level in object.get(rule.match, "levels", [])

matches(rule, d) if {
	is_boolean(rule.match.personal_info)
	object.get(d, ["personal_info", "contains"], false) == rule.match.personal_info
}

# The placement rules matching each dataset, matched once per dataset rather
# than once per system holding it.
_rules_of := {ds_id: rules |
	some ds_id, d in lib.datasets
	rules := [rule | some rule in _rules; matches(rule, d)]
}

# The datasets a system holds, each with the reference that listed it (the
# reference carries the side on a hybrid system) and its rules. Lookups only.
_holdings(s) := [{"ref": ref, "id": ds_id, "dataset": lib.datasets[ds_id], "rules": _rules_of[ds_id]} |
	some ref in object.get(s, "datasets", [])
	ds_id := lib.ref_id(ref)
]

# Datasets matched by some rule that sets one of `fields`, and the systems
# holding one: those are the systems a rule on that dimension applies to.
_bound(fields) := {ds_id |
	some ds_id, rules in _rules_of
	some rule in rules
	some field in fields
	rule[field]
}

_governed(bound) := {id |
	some id, s in lib.systems
	some ref in object.get(s, "datasets", [])
	lib.ref_id(ref) in bound
}

_deployment_governed := _governed(_bound({"allowed_deployments"}))

_residency_governed := _governed(_bound({"allowed_jurisdictions", "allowed_regions"}))

# ---------------------------------------------------------------- PLC-001

# METADATA
# title: Datasets sit only on deployments their placement rules allow
# description: >-
#   Fires once per system when, for some dataset it holds and some placement
#   rule matching that dataset that sets `allowed_deployments`, the dataset's
#   effective deployment (the system's, or its side on a hybrid system, a
#   plain id counting as private) is not allowed. The message lists each
#   offending dataset and rule. Evaluates systems holding a dataset that a
#   rule with `allowed_deployments` matches.
# custom:
#   id: PLC-001
#   title_zh: 数据集仅以部署位置规则允许的部署方式存放
#   severity: critical
#   waivable: false
#   resource: system
PLC_001 := lib.check(rego.metadata.rule(), _deployment_governed, {v |
	some id in _deployment_governed
	s := lib.systems[id]
	offences := {{
		"en": sprintf("%s dataset %s %s (rule %s allows %s)", [h.dataset.level, h.id, where.en, rule.id, concat(", ", rule.allowed_deployments)]),
		"zh": sprintf("%s存放 %s 级数据集 %s（规则 %s 仅允许 %s）", [where.zh, h.dataset.level, h.id, rule.id, concat("、", rule.allowed_deployments)]),
	} |
		some h in _holdings(s)
		dep := lib.effective_deployment(s, h.ref)
		some rule in h.rules
		rule.allowed_deployments
		not dep in rule.allowed_deployments
		where := _where(s, dep)
	}
	count(offences) > 0
	v := lib.violation("system", id, {
		"en": sprintf("system %s stores %s", [id, _joined(offences, "en", "; ")]),
		"zh": sprintf("系统 %s %s", [id, _joined(offences, "zh", "；")]),
	})
})

_where(s, dep) := {"en": sprintf("on the %s side", [dep]), "zh": sprintf("在 %s 侧", [dep])} if s.deployment == "hybrid"

_where(s, dep) := {"en": sprintf("on its %s deployment", [dep]), "zh": sprintf("在其 %s 部署上", [dep])} if s.deployment != "hybrid"

# The fragments of a finding in one language, joined in the English order: a
# set of {en, zh} objects sorts by `en` first, so both languages list the
# same items in the same order.
_joined(fragments, lang, sep) := concat(sep, [f[lang] | some f in fragments])

# ---------------------------------------------------------------- PLC-002/003

# Where a system or replica is, against one rule: one entry per dimension the
# rule restricts and the place violates. An undeclared jurisdiction or region
# cannot be shown to be allowed, so it violates.
_dimensions := [["jurisdiction", "allowed_jurisdictions"], ["region", "allowed_regions"]]

_misplaced(place, rule) := [{
	"en": sprintf("%s %s not in [%s]", [field, _shown(place, field), concat(", ", allowed)]),
	"zh": _outside_zh(place, field, allowed),
} |
	some [field, key] in _dimensions
	allowed := rule[key]
	not object.get(place, field, null) in allowed
]

_shown(place, field) := place[field]

_shown(place, field) := "undeclared" if not place[field]

_dimension_zh := {"jurisdiction": "司法辖区", "region": "区域"}

# "司法辖区 SG" or "司法辖区未声明": the Chinese names the field beside its value.
_shown_zh(place, field) := sprintf("%s %s", [_dimension_zh[field], place[field]]) if place[field]

_shown_zh(place, field) := sprintf("%s未声明", [_dimension_zh[field]]) if not place[field]

_place_zh(place) := sprintf("%s，%s", [_shown_zh(place, "jurisdiction"), _shown_zh(place, "region")])

_outside_zh(place, field, allowed) := sprintf("%s 不在允许范围（%s）内", [_shown_zh(place, field), concat("、", allowed)]) if place[field]

_outside_zh(place, field, allowed) := sprintf("%s，无法证明在允许范围（%s）内", [_shown_zh(place, field), concat("、", allowed)]) if not place[field]

# Where a system or replica is. Distinct places are few: each is tested
# against the rules once, and only holdings at a suspect place are examined.
_place(p) := object.filter(p, ["jurisdiction", "region"])

_places := {_place(s) | some s in lib.systems} | {_place(r) | some s in lib.systems; some r in object.get(s, "replicas", [])}

_suspect_places := {place |
	some place in _places
	some rule in _rules
	count(_misplaced(place, rule)) > 0
}

# Every (dataset, rule, dimension) offence of one place for a system's data.
_residency_offences(place, s) := {{
	"en": sprintf("%s under rule %s: %s", [h.id, rule.id, o.en]),
	"zh": sprintf("数据集 %s 按规则 %s：%s", [h.id, rule.id, o.zh]),
} |
	some h in _holdings(s)
	some rule in h.rules
	some o in _misplaced(place, rule)
}

# METADATA
# title: Systems sit in the jurisdictions and regions their data allows
# description: >-
#   Fires once per system when, for some dataset it holds and some rule
#   matching that dataset, the system's `jurisdiction` is not in the rule's
#   `allowed_jurisdictions` or its `region` is not in `allowed_regions` (each
#   only when the rule sets it). A system that does not declare the
#   restricted field fails. The message lists every offending dataset, rule
#   and dimension. Evaluates systems holding a dataset that a rule setting
#   allowed_jurisdictions or allowed_regions matches.
# custom:
#   id: PLC-002
#   title_zh: 系统位于其数据允许的司法辖区和区域
#   severity: high
#   waivable: true
#   resource: system
PLC_002 := lib.check(rego.metadata.rule(), _residency_governed, {v |
	some id in _residency_governed
	s := lib.systems[id]
	_place(s) in _suspect_places
	offences := _residency_offences(s, s)
	count(offences) > 0
	v := lib.violation("system", id, {
		"en": sprintf(
			"system %s (%s, %s) holds data its placement rules keep elsewhere: %s",
			[id, _shown(s, "jurisdiction"), _shown(s, "region"), _joined(offences, "en", "; ")],
		),
		"zh": sprintf(
			"系统 %s（%s）存放的数据按其部署位置规则应置于别处：%s",
			[id, _place_zh(s), _joined(offences, "zh", "；")],
		),
	})
})

_replicated := {id | some id in _residency_governed; count(object.get(lib.systems[id], "replicas", [])) > 0}

# METADATA
# title: Replicas sit in the jurisdictions and regions their data allows
# description: >-
#   Like PLC-002 for every entry of the system's `replicas`: fires once per
#   system when some replica's `jurisdiction` or `region` is outside what a
#   rule matching one of its datasets allows. A replica that omits a field
#   the rule restricts cannot be shown compliant and fails (it does not
#   inherit the system's). The message names each offending replica
#   (1-based position) with its datasets, rules and dimensions. Evaluates
#   systems with replicas that hold a dataset such a rule matches.
# custom:
#   id: PLC-003
#   title_zh: 副本位于其数据允许的司法辖区和区域
#   severity: high
#   waivable: true
#   resource: system
PLC_003 := lib.check(rego.metadata.rule(), _replicated, {v |
	some id in _replicated
	s := lib.systems[id]
	offences := [{
		"en": sprintf("replica %d (%s, %s): %s", [i + 1, _shown(r, "jurisdiction"), _shown(r, "region"), _joined(found, "en", "; ")]),
		"zh": sprintf("第 %d 个副本（%s）：%s", [i + 1, _place_zh(r), _joined(found, "zh", "；")]),
	} |
		some i, r in s.replicas
		_place(r) in _suspect_places
		found := _residency_offences(r, s)
		count(found) > 0
	]
	count(offences) > 0
	v := lib.violation("system", id, {
		"en": sprintf(
			"system %s replicates data outside what its placement rules allow: %s",
			[id, _joined(offences, "en", "; ")],
		),
		"zh": sprintf(
			"系统 %s 的副本位于其部署位置规则允许的范围之外：%s",
			[id, _joined(offences, "zh", "；")],
		),
	})
})

# ---------------------------------------------------------------- PLC-004
_localised(d) if d.personal_info.contains == true

_localised(d) if lib.is_important(d)

# CIIO systems holding personal information or important data, with those datasets.
_ciio_localised := {id: ids |
	some id, s in lib.systems
	s.ciio == true
	ids := {h.id | some h in _holdings(s); _localised(h.dataset)}
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
#   severity: critical
#   waivable: false
#   resource: system
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

# ---------------------------------------------------------------- PLC-005/006/008
_on_platform := {id: s | some id, s in lib.systems; lib.platforms[s.platform]}

_leveled_on_platform := {id: s | some id, s in _on_platform; s.mlps_level}

# METADATA
# title: A system's protection level does not exceed its platform's
# description: >-
#   Fires for each system whose `mlps_level` is greater than its platform's
#   `mlps_level` (GB/T 22239-2019: the platform must be protected at least
#   at the level of what runs on it). A platform that declares no level
#   cannot carry a levelled system and fires. Evaluates systems with an
#   `mlps_level` that name a platform.
# custom:
#   id: PLC-005
#   title_zh: 系统的等级保护级别不高于其所在平台
#   severity: high
#   waivable: true
#   resource: system
PLC_005 := lib.check(rego.metadata.rule(), _leveled_on_platform, {v |
	some id, s in _leveled_on_platform
	p := lib.platforms[s.platform]
	s.mlps_level > object.get(p, "mlps_level", 0)
	level := _platform_level(p)
	v := lib.violation("system", id, {
		"en": sprintf("system %s at MLPS level %d runs on platform %s %s", [id, s.mlps_level, s.platform, level.en]),
		"zh": sprintf("系统 %s 的等级保护级别为第 %d 级，但其运行的平台 %s %s", [id, s.mlps_level, s.platform, level.zh]),
	})
})

_platform_level(p) := {"en": sprintf("at level %d", [p.mlps_level]), "zh": sprintf("仅为第 %d 级", [p.mlps_level])} if p.mlps_level

_platform_level(p) := {"en": "that declares no mlps_level", "zh": "未声明 mlps_level"} if not p.mlps_level

_level_four := {id: s | some id, s in lib.systems; object.get(s, "mlps_level", 0) >= 4}

# METADATA
# title: Level 4 systems run on a dedicated resource pool
# description: >-
#   Fires for each system with `mlps_level` ≥ 4 whose platform is not
#   `dedicated_pool: true`; a level 4 system that names no platform shows
#   no dedicated pool and fires too. Evaluates systems at level 4 or above.
# custom:
#   id: PLC-006
#   title_zh: 等级保护第四级及以上系统运行于专用资源池
#   severity: high
#   waivable: true
#   resource: system
PLC_006 := lib.check(rego.metadata.rule(), _level_four, {v |
	some id, s in _level_four
	not lib.platforms[object.get(s, "platform", "")].dedicated_pool == true
	pool := _pool_text(s)
	v := lib.violation("system", id, {
		"en": sprintf("system %s at MLPS level %d %s", [id, s.mlps_level, pool.en]),
		"zh": sprintf("系统 %s 的等级保护级别为第 %d 级，%s", [id, s.mlps_level, pool.zh]),
	})
})

_pool_text(s) := {
	"en": sprintf("runs on platform %s, which is not a dedicated pool", [s.platform]),
	"zh": sprintf("但运行在平台 %s 上，该平台不是专用资源池", [s.platform]),
} if s.platform

_pool_text(s) := {"en": "names no platform, so no dedicated pool", "zh": "但未指定平台，因而没有专用资源池"} if not s.platform

# METADATA
# title: A system's deployment matches its platform's
# description: >-
#   Fires for each system whose `deployment` differs from its platform's
#   `deployment`; a hybrid platform accepts any system deployment. Evaluates
#   systems that name a platform.
# custom:
#   id: PLC-008
#   title_zh: 系统的部署方式与其所在平台一致
#   severity: medium
#   waivable: true
#   resource: system
PLC_008 := lib.check(rego.metadata.rule(), _on_platform, {v |
	some id, s in _on_platform
	p := lib.platforms[s.platform]
	p.deployment != "hybrid"
	s.deployment != p.deployment
	v := lib.violation("system", id, {
		"en": sprintf("system %s is declared %s but runs on %s platform %s", [id, s.deployment, p.deployment, s.platform]),
		"zh": sprintf("系统 %s 声明为 %s 部署，但运行在 %s 部署的平台 %s 上", [id, s.deployment, p.deployment, s.platform]),
	})
})

# ---------------------------------------------------------------- PLC-007
_abroad(d) := [f | some f in object.get(d, "flows", []); f.jurisdiction != "CN"]

# Datasets sending data out of CN; only measured when the policy sets thresholds.
_exporting := {id: d | some id, d in lib.datasets; count(_abroad(d)) > 0} if count(_cross_border) > 0

else := {}

_assessment := object.get(_cross_border, "security_assessment", {})

_subjects(d) := object.get(d, ["personal_info", "subjects"], 0)

_sensitive(d) if object.get(d, ["personal_info", "sensitive"], false) == true

# CIIO systems holding a dataset: a lookup in lib.held_by, then one per holder.
_ciio_holders(id) := sort([s | some s in object.get(lib.held_by, id, set()); lib.systems[s].ciio == true])

# Why a dataset's outbound flows need a CAC security assessment (empty: they
# don't). Arts. 7–8: an important grade, the subject thresholds, and any
# personal information a CIIO holds.
_assessment_reasons(id, d) := array.concat(
	array.concat(
		[{"en": sprintf("grade %s", [d.grade]), "zh": sprintf("分级为 %s", [d.grade])} |
			d.grade in object.get(_assessment, "grades", [])
		],
		[_subjects_reason(d, n) |
			n := _assessment.subjects_at_least
			_subjects(d) >= n
		],
	),
	array.concat(
		[_sensitive_reason(d, n) |
			_sensitive(d)
			n := _assessment.sensitive_subjects_at_least
			_subjects(d) >= n
		],
		[{
			"en": sprintf("personal information held by CIIO system %s", [concat(", ", holders)]),
			"zh": sprintf("个人信息由关键信息基础设施系统 %s 持有", [concat("、", holders)]),
		} |
			d.personal_info.contains == true
			holders := _ciio_holders(id)
			count(holders) > 0
		],
	),
)

# Why they need at least a standard contract or a certification (art. 8):
# the subject threshold, or any sensitive personal information (≥ 1 subject).
_contract_reasons(d) := array.concat(
	[_subjects_reason(d, n) |
		n := _cross_border.contract_or_certification.subjects_at_least
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

# What a dataset's outbound flows need, the mechanisms that satisfy it, and why.
_requirement(id, d) := {
	"needs": {"en": "security_assessment", "zh": "安全评估"},
	"accepts": {"security_assessment"},
	"why": {"en": concat(", ", [r.en | some r in reasons]), "zh": concat("，", [r.zh | some r in reasons])},
} if {
	reasons := _assessment_reasons(id, d)
	count(reasons) > 0
}

_requirement(id, d) := {
	"needs": {"en": "contract, certification or security_assessment", "zh": "标准合同、认证或安全评估"},
	"accepts": {"contract", "certification", "security_assessment"},
	"why": {"en": concat(", ", [r.en | some r in reasons]), "zh": concat("，", [r.zh | some r in reasons])},
} if {
	count(_assessment_reasons(id, d)) == 0
	reasons := _contract_reasons(d)
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
#   severity: critical
#   waivable: false
#   resource: dataset
PLC_007 := lib.check(rego.metadata.rule(), _exporting, {v |
	some id, d in _exporting
	req := _requirement(id, d)
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

# ---------------------------------------------------------------- PLC-009
_elastic_private := {id: s | some id, s in lib.systems; s.elastic == true; s.deployment in {"private", "on_prem"}}

_cloud_levels := {"internal", "public"}

# METADATA
# title: Elastic workloads without sensitive data are candidates for public cloud
# description: >-
#   Fires (info) for each system with `elastic: true` on a `private` or
#   `on_prem` deployment when every dataset it holds has level internal or
#   public; a system holding no dataset satisfies "every" and fires too
#   (nothing keeps it off public cloud capacity, handbook §2.1). Evaluates
#   elastic systems on private or on_prem deployments.
# custom:
#   id: PLC-009
#   title_zh: 不含敏感数据的弹性负载可考虑迁移至公有云
#   severity: info
#   waivable: true
#   resource: system
PLC_009 := lib.check(rego.metadata.rule(), _elastic_private, {v |
	some id, s in _elastic_private
	held := _holdings(s)
	every h in held {
		h.dataset.level in _cloud_levels
	}
	holding := _data_text(held)
	v := lib.violation("system", id, {
		"en": sprintf("system %s is elastic on its %s deployment and %s: a candidate for public cloud", [id, s.deployment, holding.en]),
		"zh": sprintf("系统 %s 为弹性负载，当前为 %s 部署，且%s：可考虑迁移至公有云", [id, s.deployment, holding.zh]),
	})
})

_data_text(held) := {"en": "holds no dataset", "zh": "未存放任何数据集"} if count(held) == 0

_data_text(held) := {
	"en": sprintf("holds only internal or public data (%s)", [_joined(listed, "en", ", ")]),
	"zh": sprintf("仅存放 internal 或 public 级数据（%s）", [_joined(listed, "zh", "、")]),
} if {
	count(held) > 0
	listed := {{"en": sprintf("%s %s", [h.id, h.dataset.level]), "zh": sprintf("%s 为 %s 级", [h.id, h.dataset.level])} | some h in held}
}
