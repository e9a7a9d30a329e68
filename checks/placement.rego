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
# reference carries the side on a hybrid system) and its rules: looked up in
# `datasets` (by id) and `rules_of` (each dataset's rules). Lookups only.
_holdings(s, datasets, rules_of) := [{"ref": ref, "id": ds_id, "dataset": datasets[ds_id], "rules": rules_of[ds_id]} |
	some ref in object.get(s, "datasets", [])
	ds_id := lib.ref_id(ref)
]

# Datasets matched by some rule that sets one of `fields` (`rules_of`: each
# dataset's rules), and the systems holding one: those are the systems a rule
# on that dimension applies to.
_bound(rules_of, fields) := {ds_id |
	some ds_id, rules in rules_of
	some rule in rules
	some field in fields
	rule[field]
}

_governed(systems, bound) := {id |
	some id, s in systems
	some ref in object.get(s, "datasets", [])
	lib.ref_id(ref) in bound
}

_deployment_governed := _governed(lib.systems, _bound(_rules_of, {"allowed_deployments"}))

_residency_governed := _governed(lib.systems, _bound(_rules_of, {"allowed_jurisdictions", "allowed_regions"}))

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
#   description_zh: >-
#     系统存放的某个数据集匹配某条设有 `allowed_deployments` 的部署位置规则，而该数据集的实际部署方式（系统的部署方式；混合云系统取其所在一侧；仅写 id 的按私有云计）不在允许之列时，对该系统报告一项发现。消息列出每个不合规的数据集及规则。评估存放了被设有 `allowed_deployments` 的规则匹配的数据集的系统。
#   severity: critical
#   waivable: false
#   resource: system
#   remediation: {zh: "由系统负责人将消息所列的数据集迁至部署位置规则 `allowed_deployments` 允许的部署方式（另一系统、混合云系统允许的一侧即 `datasets` 中的 `side`，或允许部署方式的平台），迁移完成后更新清单。",
#                 en: "The system's owner moves each dataset the message lists onto a deployment its placement rules allow (`allowed_deployments`): another system, the allowed side of a hybrid system (`side` under `datasets`), or a platform of an allowed deployment; then updates the inventory."}
PLC_001 := lib.check(rego.metadata.rule(), _deployment_governed, {v |
	some id in _deployment_governed
	s := lib.systems[id]
	offences := {{
		"en": sprintf("%s dataset %s %s (rule %s allows %s)", [lib.en(lib.names.levels, h.dataset.level), h.id, where.en, rule.id, lib.en_list(lib.names.deployments, rule.allowed_deployments)]),
		"zh": sprintf("%s存放%s级数据集 %s（规则 %s 仅允许%s）", [where.zh, lib.zh(lib.names.levels, h.dataset.level), h.id, rule.id, lib.zh_list(lib.names.deployments, rule.allowed_deployments)]),
	} |
		some h in _holdings(s, lib.datasets, _rules_of)
		dep := lib.effective_deployment(s, h.ref)
		some rule in h.rules
		rule.allowed_deployments
		not dep in rule.allowed_deployments
		where := _where(s, dep, lib.names.deployments)
	}
	count(offences) > 0
	v := lib.violation("system", id, {
		"en": sprintf("system %s stores %s", [id, _joined(offences, "en", "; ")]),
		"zh": sprintf("系统 %s %s", [id, _joined(offences, "zh", "；")]),
	})
})

# `named` is the vocabulary's deployments.
_where(s, dep, named) := {"en": sprintf("on the %s side", [lib.en(named, dep)]), "zh": sprintf("在%s侧", [lib.zh(named, dep)])} if s.deployment == "hybrid"

_where(s, dep, named) := {"en": sprintf("on its %s deployment", [lib.en(named, dep)]), "zh": sprintf("在其%s部署上", [lib.zh(named, dep)])} if s.deployment != "hybrid"

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

# Every (dataset, rule, dimension) offence of one place for a system's data,
# its holdings looked up as _holdings looks them up.
_residency_offences(place, s, datasets, rules_of) := {{
	"en": sprintf("%s under rule %s: %s", [h.id, rule.id, o.en]),
	"zh": sprintf("数据集 %s 按规则 %s：%s", [h.id, rule.id, o.zh]),
} |
	some h in _holdings(s, datasets, rules_of)
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
#   description_zh: >-
#     系统存放的某个数据集匹配某条规则，而系统的 `jurisdiction`（司法辖区）不在该规则的 `allowed_jurisdictions` 之中，或其 `region`（区域）不在 `allowed_regions` 之中时（规则设定了相应字段才检查），对该系统报告一项发现。未声明受限字段的系统视为不合规。消息列出每个不合规的数据集、规则与维度。评估存放了被设有 allowed_jurisdictions 或 allowed_regions 的规则匹配的数据集的系统。
#   severity: high
#   waivable: true
#   resource: system
#   remediation: {zh: "由系统负责人将系统迁至规则允许的司法辖区和区域（`allowed_jurisdictions`、`allowed_regions`），或将受限的数据集迁出该系统；系统未填写 `jurisdiction` 或 `region` 的，按实际部署补填。",
#                 en: "The system's owner moves the system into a jurisdiction and region the rules allow (`allowed_jurisdictions`, `allowed_regions`) or moves the restricted datasets off it; a system that does not declare its `jurisdiction` or `region` gets them filled in as deployed."}
PLC_002 := lib.check(rego.metadata.rule(), _residency_governed, {v |
	some id in _residency_governed
	s := lib.systems[id]
	_place(s) in _suspect_places
	offences := _residency_offences(s, s, lib.datasets, _rules_of)
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
#   description_zh: >-
#     与 PLC-002 相同，但针对系统 `replicas` 中的每个副本：某个副本的 `jurisdiction` 或 `region` 超出匹配其数据集的规则所允许的范围时，对该系统报告一项发现。副本缺少规则所限制的字段时无法证明合规，视为不合规（不继承系统的值）。消息列出每个不合规的副本（从 1 起的序号）及其数据集、规则与维度。评估有副本且存放了此类规则所匹配数据集的系统。
#   severity: high
#   waivable: true
#   resource: system
#   remediation: {zh: "由系统负责人将消息所列的副本迁至规则允许的司法辖区和区域，或停用该副本并从 `replicas` 中删除；副本未填写 `jurisdiction` 或 `region` 的，按实际位置补填（副本不继承系统的取值）。",
#                 en: "The system's owner moves each replica the message lists into an allowed jurisdiction and region, or retires it and removes it from `replicas`; a replica that omits its `jurisdiction` or `region` gets them filled in as deployed (it does not inherit the system's)."}
PLC_003 := lib.check(rego.metadata.rule(), _replicated, {v |
	some id in _replicated
	s := lib.systems[id]
	offences := [{
		"en": sprintf("replica %d (%s, %s): %s", [i + 1, _shown(r, "jurisdiction"), _shown(r, "region"), _joined(found, "en", "; ")]),
		"zh": sprintf("第 %d 个副本（%s）：%s", [i + 1, _place_zh(r), _joined(found, "zh", "；")]),
	} |
		some i, r in s.replicas
		_place(r) in _suspect_places
		found := _residency_offences(r, s, lib.datasets, _rules_of)
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

# ---------------------------------------------------------------- PLC-009
_elastic_private := {id: s | some id, s in lib.systems; s.elastic == true; s.deployment in {"private", "on_prem"}}

_cloud_levels := {"internal", "public"}

# METADATA
# title: Elastic workloads without sensitive data are candidates for public cloud
# description: >-
#   Fires (info) for each system with `elastic: true` on a `private` or
#   `on_prem` deployment when every dataset it holds has level internal or
#   public; a system holding no dataset satisfies "every" and fires too
#   (nothing keeps it off public cloud capacity, handbook §2.1.1). Evaluates
#   elastic systems on private or on_prem deployments.
# custom:
#   id: PLC-009
#   title_zh: 不含敏感数据的弹性负载可考虑迁移至公有云
#   description_zh: >-
#     `elastic` 为 true、部署方式为 `private` 或 `on_prem` 的系统，所存每个数据集的级别均为 internal 或 public 时报告发现（提示）；不存放数据集的系统同样满足“每个”并报告发现（没有理由使其不能使用公有云资源，手册 §2.1.1）。评估部署在私有云或本地的弹性系统。
#   severity: info
#   waivable: true
#   resource: system
#   remediation: {zh: "这是提示而非违规：由系统负责人与技术负责人评估将该弹性负载迁至公有云（手册 §2.1.1）；系统实际并无弹性需求的，将 `elastic` 改为 false。",
#                 en: "Advice, not a breach: the system's owner and the head of technology weigh moving this elastic workload to public cloud (handbook §2.1.1); if it is not elastic after all, set `elastic: false`."}
PLC_009 := lib.check(rego.metadata.rule(), _elastic_private, {v |
	some id, s in _elastic_private
	held := _holdings(s, lib.datasets, _rules_of)
	every h in held {
		h.dataset.level in _cloud_levels
	}
	holding := _data_text(held, lib.names.levels)
	v := lib.violation("system", id, {
		"en": sprintf(
			"system %s is elastic on its %s deployment and %s: a candidate for %s",
			[id, lib.en(lib.names.deployments, s.deployment), holding.en, lib.en(lib.names.deployments, "public")],
		),
		"zh": sprintf("系统 %s 为弹性负载，部署方式为%s，且%s：可考虑迁移至%s", [id, lib.zh(lib.names.deployments, s.deployment), holding.zh, lib.zh(lib.names.deployments, "public")]),
	})
})

# `levels` is the vocabulary's levels.
_data_text(held, _) := {"en": "holds no dataset", "zh": "未存放任何数据集"} if count(held) == 0

_data_text(held, levels) := {
	"en": sprintf("holds only %s or %s data (%s)", [lib.en(levels, "internal"), lib.en(levels, "public"), _joined(listed, "en", ", ")]),
	"zh": sprintf("仅存放%s或%s级数据（%s）", [lib.zh(levels, "internal"), lib.zh(levels, "public"), _joined(listed, "zh", "、")]),
} if {
	count(held) > 0
	listed := {{"en": sprintf("%s %s", [h.id, lib.en(levels, h.dataset.level)]), "zh": sprintf("%s 为%s级", [h.id, lib.zh(levels, h.dataset.level)])} | some h in held}
}
