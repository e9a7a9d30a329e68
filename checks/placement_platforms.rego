# Placement and residency (PLC): systems against the platforms they run on.
# The domain, the policy bindings and the shared helpers are in placement.rego.
package govern.checks.placement

import data.govern.lib

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
#   description_zh: >-
#     系统的 `mlps_level` 高于其所在平台的 `mlps_level` 时报告发现（GB/T 22239-2019：平台的保护级别至少应与其上运行的系统相同）。未声明级别的平台不能承载定级系统，同样报告发现。评估有 `mlps_level` 且指明平台的系统。
#   severity: high
#   waivable: true
#   resource: system
#   remediation: {zh: "由系统负责人将系统迁至等级保护级别不低于本系统的平台，或由平台运营方按更高级别完成平台的定级与测评后更新其 `mlps_level`；平台未填写 `mlps_level` 的须补填。",
#                 en: "The system's owner moves it to a platform protected at least at its `mlps_level`, or the platform's operator has the platform levelled and assessed higher and updates its `mlps_level` (a platform without one must declare it)."}
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
#   description_zh: >-
#     `mlps_level` ≥ 4 的系统所在平台不是 `dedicated_pool: true` 时报告发现；未指明平台的第四级系统无法表明使用专用资源池，同样报告发现。评估第四级及以上的系统。
#   severity: high
#   waivable: true
#   resource: system
#   remediation: {zh: "由系统负责人将该第四级系统迁至专用资源池的平台（`dedicated_pool: true`），并在系统的 `platform` 中指明该平台。",
#                 en: "The system's owner moves this level 4 system onto a platform with a dedicated resource pool (`dedicated_pool: true`) and names that platform in the system's `platform`."}
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
#   description_zh: >-
#     系统的 `deployment`（部署方式）与其所在平台的 `deployment` 不同时报告发现；混合云平台接受任何部署方式的系统。评估指明平台的系统。
#   severity: medium
#   waivable: true
#   resource: system
#   remediation: {zh: "由系统负责人更正系统的 `deployment`，使之与所在平台一致，或将 `platform` 改为系统实际运行的平台。",
#                 en: "The system's owner corrects its `deployment` to match its platform's, or sets `platform` to the platform it actually runs on."}
PLC_008 := lib.check(rego.metadata.rule(), _on_platform, {v |
	some id, s in _on_platform
	p := lib.platforms[s.platform]
	p.deployment != "hybrid"
	s.deployment != p.deployment
	v := lib.violation("system", id, {
		"en": sprintf(
			"system %s is declared %s but runs on %s platform %s",
			[id, lib.en(lib.names.deployments, s.deployment), lib.en(lib.names.deployments, p.deployment), s.platform],
		),
		"zh": sprintf("系统 %s 的部署方式为%s，但运行在部署方式为%s的平台 %s 上", [id, lib.zh(lib.names.deployments, s.deployment), lib.zh(lib.names.deployments, p.deployment), s.platform]),
	})
})
