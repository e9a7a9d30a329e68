# Strategy and planning (STR): how far things reach, the pilot's projects and a
# system's business domains. The domain and the policy bindings are in strategy.rego.
package govern.checks.strategy

import data.govern.lib

# ---------------------------------------------------------------- STR-009

_pilot_phase := object.get(_policy, ["pilot", "phase"], null)

_max_pilots := object.get(_policy, ["pilot", "max_projects"], null)

default _pilot := {}

# The pilot phase, when the policy sets both the phase and its limit.
_pilot := {_pilot_phase: _max_pilots} if {
	is_string(_pilot_phase)
	is_number(_max_pilots)
}

# Projects of the pilot phase running today.
_pilots := {id | some id, p in lib.projects; p.phase == _pilot_phase; lib.running(p, input.as_of)}

# METADATA
# title: The pilot is kept to a few projects
# description: >-
#   Fires for the phase named by `pilot.phase` (kind `phase`, id = that
#   phase id) when more than `pilot.max_projects` projects with that
#   `phase` are running today (start ≤ as_of ≤ end); exactly
#   `max_projects` passes. Projects of the phase that have not started or
#   have ended do not count. The message lists the running pilot projects.
#   Evaluates that one phase when the policy sets `pilot.phase` and
#   `pilot.max_projects` (needs a StrategyPolicy: without one the check is
#   not_applicable). Observes the running pilot projects and the limit for
#   the report's pilot scope.
# custom:
#   id: STR-009
#   title_zh: 试点阶段限于少数项目
#   description_zh: >-
#     对 `pilot.phase` 指定的阶段（类型 `phase`，id 为该阶段 id）：今天（start ≤ 评估基准日 ≤ end）处于进行中、`phase` 为该阶段的项目多于 `pilot.max_projects` 个时报告发现；恰好 `max_projects` 个则通过。该阶段尚未启动或已结束的项目不计入。消息列出进行中的试点项目。政策设定 `pilot.phase` 与 `pilot.max_projects` 时评估该阶段（需要战略政策：没有时本检查为不适用）。本检查为报告的试点范围记录进行中的试点项目与上限。
#   severity: medium
#   waivable: true
#   resource: phase
#   agenda: true
#   observes: pilot_scope
#   remediation: {zh: "由委员会将试点阶段同时在建的项目压缩到 `pilot.max_projects` 个以内（手册 §1.3.1：试点期只选一两个高价值、易实施的场景），其余项目推迟启动或转入后续阶段。",
#                 en: "The committee cuts the pilot's running projects to `pilot.max_projects` (handbook §1.3.1: one or two high-value, easy scenarios), deferring the others or moving them to a later phase."}
STR_009 := lib.check_observed(
	rego.metadata.rule(), _pilot, {v |
		some phase, limit in _pilot
		count(_pilots) > limit
		v := lib.violation("phase", phase, {
			"en": sprintf(
				"%s has %d projects running (%s), more than pilot.max_projects %d",
				[lib.en_called(lib.names.phases, phase, "phase"), count(_pilots), lib.list_text(_pilots), limit],
			),
			"zh": sprintf(
				"%s有 %d 个项目正在进行（%s），超过 pilot.max_projects 规定的 %d 个",
				[lib.zh_called(lib.names.phases, phase, "阶段"), count(_pilots), lib.list_text_zh(_pilots), limit],
			),
		})
	},
	_pilot_observed,
)

# What STR-009 counted, for the report's pilot scope: the running pilot
# projects and the limit, so the page shows the check's own count.
_pilot_observed := {phase: {"max_projects": limit, "running": sort(_pilots)} | some phase, limit in _pilot}

# ---------------------------------------------------------------- STR-010

_max_domains := object.get(_policy, ["architecture", "max_domains_per_system"], null)

default _domained := {}

# Systems that list at least one business domain, when the policy sets a limit.
_domained := {id: s | some id, s in lib.systems; count(object.get(s, "domains", [])) > 0} if is_number(_max_domains)

# METADATA
# title: Each system serves no more business domains than allowed
# description: >-
#   Fires for each system that lists more `domains` than
#   `architecture.max_domains_per_system` (exactly the maximum passes); a
#   name listed twice counts once. Evaluates systems that list at least one
#   domain when the policy sets `architecture.max_domains_per_system` (needs
#   a StrategyPolicy: without one the check is not_applicable).
# custom:
#   id: STR-010
#   title_zh: 每个系统服务的业务域不超过上限
#   description_zh: >-
#     系统列出的 `domains`（业务域）多于 `architecture.max_domains_per_system` 时报告发现（恰好等于上限则通过）；重复列出的名称只计一次。政策设定 `architecture.max_domains_per_system` 时评估至少列出一个业务域的系统（需要战略政策：没有时本检查为不适用）。
#   severity: low
#   waivable: true
#   resource: system
#   remediation: {zh: "由系统负责人会同架构师按业务域拆分该系统（手册 §2.1.2），使每个系统的 `domains` 不超过 `architecture.max_domains_per_system` 个。",
#                 en: "The system's owner, with the architects, splits the system by business domain (handbook §2.1.2) so that no system lists more `domains` than `architecture.max_domains_per_system`."}
STR_010 := lib.check(rego.metadata.rule(), _domained, {v |
	some id, s in _domained
	domains := {d | some d in s.domains}
	count(domains) > _max_domains
	v := lib.violation("system", id, {
		"en": sprintf(
			"system %s serves %d business domains (%s), more than max_domains_per_system %d",
			[id, count(domains), lib.list_text(domains), _max_domains],
		),
		"zh": sprintf(
			"系统 %s 服务于 %d 个业务域（%s），超过 max_domains_per_system 规定的 %d 个",
			[id, count(domains), lib.list_text_zh(domains), _max_domains],
		),
	})
})
