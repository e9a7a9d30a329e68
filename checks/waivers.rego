# Waivers (WAV): each check is about a waiver itself. This package sits
# outside govern.checks on purpose: WAV-004 and WAV-006 read every other
# check's METADATA and violations, which would be a recursion from inside.
# WAV findings are never waivable (their METADATA). A waiver on which a check
# marked `invalidates_waiver: true` in its METADATA fires is not applied; the
# marker is the one place that says which checks those are.
# METADATA
# scope: package
# title: Waivers
# custom:
#   domain:
#     id: waivers
#     order: 6
#     title:
#       zh: 豁免
#       en: Waivers
package govern.waiver_checks

import data.govern.lib

# ---------------------------------------------------------------- the library, read once

# Every check result under data.govern.checks (built-in and workspace).
_results contains r if {
	some pkg, name
	r := data.govern.checks[pkg][name]
	lib.is_check(r)
}

# The waiver checks of this package; their ids are known without reading
# their results (WAV-006 cannot read its own), and none is waivable.
_own_ids := {"WAV-001", "WAV-002", "WAV-003", "WAV-004", "WAV-005", "WAV-006", "WAV-007", "WAV-008", "WAV-009"}

# The action checks (package govern.action_checks) read this package's
# results, so this one cannot read theirs: the ACT checks a waiver names are
# known by their id's prefix, which only that package may use, and none is
# waivable.
_action_ids := {w.check | some w in lib.waivers; startswith(w.check, lib.action_check_prefix)}

known_ids := ({r.meta.custom.id | some r in _results} | _own_ids) | _action_ids

not_waivable := ({r.meta.custom.id | some r in _results; r.meta.custom.waivable == false} | _own_ids) | _action_ids

# [check id, resource kind, resource id] of every raw violation this run,
# built once so WAV-006 looks each waiver up instead of scanning.
violation_keys contains [r.meta.custom.id, v.resource.kind, v.resource.id] if {
	some r in _results
	some v in r.violations
}

violation_keys contains ["WAV-001", v.resource.kind, v.resource.id] if some v in _self_approved

violation_keys contains ["WAV-002", v.resource.kind, v.resource.id] if some v in _unauthorised

violation_keys contains ["WAV-003", v.resource.kind, v.resource.id] if some v in _too_long

violation_keys contains ["WAV-004", v.resource.kind, v.resource.id] if some v in _not_waivable

violation_keys contains ["WAV-005", v.resource.kind, v.resource.id] if some v in _expired

violation_keys contains ["WAV-007", v.resource.kind, v.resource.id] if some v in _not_yet_in_force

violation_keys contains ["WAV-008", v.resource.kind, v.resource.id] if some v in _expires_before_approval

violation_keys contains ["WAV-009", v.resource.kind, v.resource.id] if some v in _ungranted

# ---------------------------------------------------------------- names

# A waived resource as a message names it: its kind's name in the vocabulary
# (`kinds`, lib.names.kinds), then its id ("budget line bl-18", "预算行 bl-18");
# a kind without a name shows as written.
_resource_en(r, kinds) := sprintf("%s %s", [lib.en(kinds, r.kind), r.id])

_resource_zh(r, kinds) := sprintf("%s %s", [lib.zh(kinds, r.kind), r.id])

# ---------------------------------------------------------------- WAV-001

# METADATA
# title: A waiver is not approved by its requester
# description: >-
#   Fires for each waiver whose `approved_by` is its `requested_by`.
#   Evaluates every waiver. A waiver that fires this is not applied.
# custom:
#   id: WAV-001
#   title_zh: 豁免不由其申请人本人批准
#   description_zh: >-
#     豁免的 `approved_by`（批准人）即其 `requested_by`（申请人）时报告发现。评估每个豁免。触发本检查的豁免不予应用。
#   severity: critical
#   waivable: false
#   resource: waiver
#   invalidates_waiver: true
#   remediation: {zh: "该豁免无效：由授权矩阵 `limits.waiver` 所列角色中的另一人重新审批，并将 `approved_by` 改为此人；申请人不得批准本人的豁免。",
#                 en: "The waiver does not apply: another person holding a role under the authority matrix's `limits.waiver` approves it again and becomes its `approved_by`; a requester never approves their own waiver."}
WAV_001 := lib.check(rego.metadata.rule(), lib.waivers, _self_approved)

_self_approved contains v if {
	some id, w in lib.waivers
	w.approved_by == w.requested_by
	v := lib.violation("waiver", id, {
		"en": sprintf(
			"waiver %s for %s on %s is approved by its own requester %s",
			[id, w.check, _resource_en(w.resource, lib.names.kinds), lib.person_en(lib.people, w.requested_by)],
		),
		"zh": sprintf(
			"豁免 %s（检查 %s，%s）由其申请人 %s 本人批准",
			[id, w.check, _resource_zh(w.resource, lib.names.kinds), lib.person_zh(lib.people, w.requested_by)],
		),
	})
}

# ---------------------------------------------------------------- WAV-002

# METADATA
# title: A waiver's approver holds a role allowed to approve waivers
# description: >-
#   Fires for each waiver whose approver holds no role listed under the
#   authority matrix's `limits.waiver` (waivers carry no amount, so any
#   listed role suffices, whatever its limit). Without an authority matrix
#   or without `limits.waiver` no role is listed, so every waiver fires.
#   Evaluates every waiver. A waiver that fires this is not applied.
# custom:
#   id: WAV-002
#   title_zh: 豁免的批准人担任有权批准豁免的角色
#   description_zh: >-
#     豁免的批准人未担任授权矩阵 `limits.waiver` 中列出的任何角色时报告发现（豁免没有金额，列出的角色不论额度均可批准）。没有授权矩阵或没有 `limits.waiver` 时没有角色被列出，每个豁免都报告发现。评估每个豁免。触发本检查的豁免不予应用。
#   severity: high
#   waivable: false
#   resource: waiver
#   invalidates_waiver: true
#   remediation: {zh: "由担任授权矩阵 `limits.waiver` 所列角色的人员重新审批该豁免并更新 `approved_by`；授权矩阵尚未规定谁可批准豁免的，由委员会在 `limits.waiver` 中补充相应角色。",
#                 en: "Have the waiver approved again by someone holding a role listed under the authority matrix's `limits.waiver`, and update `approved_by`; if the matrix lists no such role yet, the committee adds one under `limits.waiver`."}
WAV_002 := lib.check(rego.metadata.rule(), lib.waivers, _unauthorised)

# lib.authority is null when the workspace has no authority matrix.
_authority := lib.object_or_empty(lib.authority)

# Roles listed under limits.waiver, whatever their (null or numeric) limit.
_waiver_roles := {r | some r, _ in object.get(_authority, ["limits", "waiver"], {})}

_unauthorised contains v if {
	some id, w in lib.waivers
	roles := object.get(lib.people, [w.approved_by, "roles"], [])
	count({r | some r in roles; r in _waiver_roles}) == 0
	v := lib.violation("waiver", id, {
		"en": sprintf(
			"waiver %s is approved by %s (roles: %s), who holds no role allowed to approve waivers (limits.waiver: %s)",
			[id, lib.person_en(lib.people, w.approved_by), lib.list_text(roles), lib.list_text(sort(_waiver_roles))],
		),
		"zh": sprintf(
			"豁免 %s 的批准人 %s，角色为 %s，未担任任何有权批准豁免的角色（limits.waiver：%s）",
			[id, lib.person_zh(lib.people, w.approved_by), lib.list_text_zh(roles), lib.list_text_zh(sort(_waiver_roles))],
		),
	})
}

# ---------------------------------------------------------------- WAV-003

# METADATA
# title: A waiver's lifetime is within max_waiver_days
# description: >-
#   Fires for each waiver whose `expires - approved_at`, in whole days, is
#   greater than the authority matrix's `max_waiver_days` (exactly the
#   maximum is allowed). Evaluates every waiver when `max_waiver_days` is
#   set, none otherwise (no limit to break). A waiver that fires this is
#   not applied.
# custom:
#   id: WAV-003
#   title_zh: 豁免有效期不超过 max_waiver_days
#   description_zh: >-
#     豁免的 `expires - approved_at`（整天数）大于授权矩阵的 `max_waiver_days` 时报告发现（恰好等于上限允许）。设定了 `max_waiver_days` 时评估每个豁免，否则不评估（没有可违反的上限）。触发本检查的豁免不予应用。
#   severity: high
#   waivable: false
#   resource: waiver
#   invalidates_waiver: true
#   remediation: {zh: "由申请人将豁免的 `expires` 缩短到 `approved_at` 之后 `max_waiver_days` 天以内；届时仍需豁免的，在到期前重新申请并审批。",
#                 en: "The requester brings `expires` within `max_waiver_days` of `approved_at`; if the exception is still needed then, a new waiver is requested and approved before this one expires."}
WAV_003 := lib.check(rego.metadata.rule(), _lifetime_subjects, _too_long)

_max_days := object.get(_authority, "max_waiver_days", null)

default _lifetime_subjects := {}

_lifetime_subjects := lib.waivers if is_number(_max_days)

_too_long contains v if {
	is_number(_max_days)
	some id, w in lib.waivers
	days := lib.days_between(w.approved_at, w.expires)
	days > _max_days
	v := lib.violation("waiver", id, {
		"en": sprintf(
			"waiver %s runs %d days (approved %s, expires %s), longer than max_waiver_days %d",
			[id, days, w.approved_at, w.expires, _max_days],
		),
		"zh": sprintf(
			"豁免 %s 有效期为 %d 天（%s 批准，%s 到期），超过 max_waiver_days 规定的 %d 天",
			[id, days, w.approved_at, w.expires, _max_days],
		),
	})
}

# ---------------------------------------------------------------- WAV-004

# METADATA
# title: A waiver names a waivable check
# description: >-
#   Fires for each waiver naming a check whose METADATA says
#   `waivable: false` (WAV checks are never waivable). A waiver naming a
#   check that does not exist is reported by WAV-006 instead. Evaluates
#   every waiver. A waiver that fires this is not applied.
# custom:
#   id: WAV-004
#   title_zh: 豁免针对的检查可以豁免
#   description_zh: >-
#     豁免针对的检查在其 METADATA 中声明 `waivable: false` 时报告发现（WAV 检查一律不可豁免）。针对不存在的检查的豁免由 WAV-006 报告。评估每个豁免。触发本检查的豁免不予应用。
#   severity: high
#   waivable: false
#   resource: waiver
#   invalidates_waiver: true
#   remediation: {zh: "该检查不可豁免，只能整改：删除该豁免，由资源负责人修复发现本身；豁免写错了检查 id 的，更正 `check`。",
#                 en: "The check cannot be waived, only fixed: remove the waiver and have the resource's owner fix the finding; if the waiver names the wrong check, correct `check`."}
WAV_004 := lib.check(rego.metadata.rule(), lib.waivers, _not_waivable)

_not_waivable contains v if {
	some id, w in lib.waivers
	w.check in not_waivable
	v := lib.violation("waiver", id, {
		"en": sprintf("waiver %s names %s, which is not waivable", [id, w.check]),
		"zh": sprintf("豁免 %s 针对的检查 %s 不可豁免", [id, w.check]),
	})
}

# ---------------------------------------------------------------- WAV-005

# METADATA
# title: A waiver has not expired
# description: >-
#   Fires for each waiver whose `expires` is before as_of; a waiver is valid
#   through its `expires` day. Evaluates every waiver. A waiver that fires
#   this is not applied.
# custom:
#   id: WAV-005
#   title_zh: 豁免未过期
#   description_zh: >-
#     豁免的 `expires`（到期日）早于评估基准日时报告发现；豁免在到期日当天仍然有效。评估每个豁免。触发本检查的豁免不予应用。
#   severity: medium
#   waivable: false
#   resource: waiver
#   agenda: true
#   invalidates_waiver: true
#   remediation: {zh: "豁免已过期：由资源负责人修复对应的发现并删除该豁免，或由申请人重新申请，批准后更新 `approved_at` 与 `expires`。",
#                 en: "The waiver has expired: the resource's owner fixes the finding and removes the waiver, or the requester asks again and, once it is approved, records the new `approved_at` and `expires`."}
WAV_005 := lib.check(rego.metadata.rule(), lib.waivers, _expired)

_expired contains v if {
	some id, w in lib.waivers
	days := lib.days_since(w.expires)
	days > 0
	v := lib.violation("waiver", id, {
		"en": sprintf(
			"waiver %s for %s on %s expired on %s (%d days before %s)",
			[id, w.check, _resource_en(w.resource, lib.names.kinds), w.expires, days, input.as_of],
		),
		"zh": sprintf(
			"豁免 %s（检查 %s，%s）已于 %s 到期（早于评估基准日 %s 共 %d 天）",
			[id, w.check, _resource_zh(w.resource, lib.names.kinds), w.expires, input.as_of, days],
		),
	})
}

# ---------------------------------------------------------------- WAV-006

# METADATA
# title: A waiver matches a finding
# description: >-
#   Fires for each waiver that matches no raw violation this run (same check
#   id, resource kind and id), valid or not, and for each waiver naming a
#   check id that is not in the library loaded this run. Evaluates every
#   waiver except those naming WAV-006 itself (which WAV-004 reports).
# custom:
#   id: WAV-006
#   title_zh: 豁免对应本次运行的一项发现
#   description_zh: >-
#     豁免（无论有效与否）与本次运行的任何原始违规都不对应（检查 id、资源类型与 id 均相同）时报告发现；豁免针对的检查 id 不在本次运行加载的检查库中时也报告发现。评估除针对 WAV-006 本身的豁免（由 WAV-004 报告）以外的每个豁免。
#   severity: low
#   waivable: false
#   resource: waiver
#   remediation: {zh: "该豁免已不对应任何发现：发现已修复的，删除该豁免；`check` 或 `resource` 写错的，予以更正。",
#                 en: "No finding matches this waiver: remove it if the finding has been fixed, or correct its `check` or `resource` if they are wrong."}
WAV_006 := lib.check(rego.metadata.rule(), _stale_subjects, _stale)

_stale_subjects := {id | some id, w in lib.waivers; w.check != "WAV-006"}

_stale contains v if {
	some id in _stale_subjects
	w := lib.waivers[id]
	w.check in known_ids
	not [w.check, w.resource.kind, w.resource.id] in violation_keys
	v := lib.violation("waiver", id, {
		"en": sprintf(
			"waiver %s is stale: %s reports nothing on %s this run",
			[id, w.check, _resource_en(w.resource, lib.names.kinds)],
		),
		"zh": sprintf(
			"豁免 %s 已无对应发现：本次运行中检查 %s 未对%s 报告任何发现",
			[id, w.check, _resource_zh(w.resource, lib.names.kinds)],
		),
	})
}

_stale contains v if {
	some id in _stale_subjects
	w := lib.waivers[id]
	not w.check in known_ids
	v := lib.violation("waiver", id, {
		"en": sprintf(
			"waiver %s is stale: it names check %s, which does not exist in the check library",
			[id, w.check],
		),
		"zh": sprintf(
			"豁免 %s 已无对应发现：其针对的检查 %s 不在检查库中",
			[id, w.check],
		),
	})
}

# ---------------------------------------------------------------- WAV-007

# METADATA
# title: A waiver is in force (approved on or before as_of)
# description: >-
#   Fires for each waiver whose `approved_at` is after as_of: it is not yet in
#   force, and applying it would also let a far-future approval escape
#   `max_waiver_days` and expiry today. Approved on as_of itself is in force.
#   Evaluates every waiver. A waiver that fires this is not applied.
# custom:
#   id: WAV-007
#   title_zh: 豁免已生效（批准日期不晚于评估基准日）
#   description_zh: >-
#     豁免的 `approved_at`（批准日期）晚于评估基准日时报告发现：豁免尚未生效，若予应用，还会让远期批准的豁免逃过 `max_waiver_days` 与今日的到期检查。评估基准日当天批准的豁免已生效。评估每个豁免。触发本检查的豁免不予应用。
#   severity: high
#   waivable: false
#   resource: waiver
#   invalidates_waiver: true
#   remediation: {zh: "豁免的 `approved_at` 晚于评估基准日，尚未生效：将其更正为实际批准日期；尚未批准的豁免，待批准后再登记。",
#                 en: "The waiver's `approved_at` is after the as-of date, so it is not in force: correct it to the day it was really approved, and record a waiver only once it has been approved."}
WAV_007 := lib.check(rego.metadata.rule(), lib.waivers, _not_yet_in_force)

_not_yet_in_force contains v if {
	some id, w in lib.waivers
	days := 0 - lib.days_since(w.approved_at)
	days > 0
	v := lib.violation("waiver", id, {
		"en": sprintf(
			"waiver %s for %s on %s is approved on %s, %d days after %s: it is not yet in force",
			[id, w.check, _resource_en(w.resource, lib.names.kinds), w.approved_at, days, input.as_of],
		),
		"zh": sprintf(
			"豁免 %s（检查 %s，%s）的批准日期 %s 晚于评估基准日 %s 共 %d 天，尚未生效",
			[id, w.check, _resource_zh(w.resource, lib.names.kinds), w.approved_at, input.as_of, days],
		),
	})
}

# ---------------------------------------------------------------- WAV-008

# METADATA
# title: A waiver expires on or after its approval
# description: >-
#   Fires for each waiver whose `expires` is before its `approved_at`: a
#   negative lifetime, which no waiver can have. Expiring on the day it was
#   approved is allowed (a one-day waiver). Evaluates every waiver. A waiver
#   that fires this is not applied.
# custom:
#   id: WAV-008
#   title_zh: 豁免的到期日不早于其批准日期
#   description_zh: >-
#     豁免的 `expires` 早于其 `approved_at` 时报告发现：有效期为负，任何豁免都不可能如此。批准当天到期是允许的（一天的豁免）。评估每个豁免。触发本检查的豁免不予应用。
#   severity: high
#   waivable: false
#   resource: waiver
#   invalidates_waiver: true
#   remediation: {zh: "豁免的到期日早于其批准日期：由申请人更正 `approved_at` 或 `expires`，使到期日不早于批准日期。",
#                 en: "The waiver expires before it was approved: the requester corrects `approved_at` or `expires` so that it expires on or after the day of approval."}
WAV_008 := lib.check(rego.metadata.rule(), lib.waivers, _expires_before_approval)

_expires_before_approval contains v if {
	some id, w in lib.waivers
	days := 0 - lib.days_between(w.approved_at, w.expires)
	days > 0
	v := lib.violation("waiver", id, {
		"en": sprintf(
			"waiver %s expires on %s, %d days before it was approved on %s",
			[id, w.expires, days, w.approved_at],
		),
		"zh": sprintf(
			"豁免 %s 的到期日 %s 早于其批准日期 %s 共 %d 天",
			[id, w.expires, w.approved_at, days],
		),
	})
}

# ---------------------------------------------------------------- WAV-009

# METADATA
# title: A waiver is granted by a waiver decision where the authority matrix requires one
# description: >-
#   When the authority matrix sets `waiver_requires_decision: true`, fires for
#   each waiver that names no `decision`, or whose decision is not of type
#   `waiver`, was not approved by the waiver's `approved_by`, carries no
#   `date`, or is dated after the waiver's `approved_at` (a decision of the
#   same day grants it). One finding per waiver lists every reason.
#   Evaluates every waiver when the matrix requires decisions, none
#   otherwise. A waiver that fires this is not applied.
# custom:
#   id: WAV-009
#   title_zh: 授权矩阵要求时，豁免由豁免决策授予
#   description_zh: >-
#     授权矩阵设定 `waiver_requires_decision: true` 时，豁免未指明 `decision`，或其决策类型不是 `waiver`、不是由豁免的 `approved_by` 批准、没有 `date`，或日期晚于豁免的 `approved_at`（同一天的决策可以授予）时报告发现。每个豁免一项发现，列出全部原因。授权矩阵要求决策时评估每个豁免，否则不评估。触发本检查的豁免不予应用。
#   severity: high
#   waivable: false
#   resource: waiver
#   invalidates_waiver: true
#   remediation: {zh: "由委员会作出一项豁免决策（`type: waiver`）授予该豁免，由豁免的批准人批准、日期不晚于其 `approved_at`，并在豁免的 `decision` 中填写该决策 id。",
#                 en: "Have the committee grant the waiver by a waiver decision (`type: waiver`), approved by the waiver's approver and dated on or before its `approved_at`, and name that decision in the waiver's `decision`."}
WAV_009 := lib.check(rego.metadata.rule(), _grant_subjects, _ungranted)

_requires_decision if object.get(_authority, "waiver_requires_decision", false) == true

default _grant_subjects := {}

_grant_subjects := lib.waivers if _requires_decision

_ungranted contains v if {
	_requires_decision
	some id, w in lib.waivers
	reasons := _grant_problems(w, lib.decisions, lib.people, lib.names.decision_types)
	count(reasons) > 0
	v := lib.violation("waiver", id, {
		"en": sprintf(
			"waiver %s is not granted by a waiver decision, as the authority matrix requires: %s",
			[id, concat("; ", [r.en | some r in reasons])],
		),
		"zh": sprintf(
			"授权矩阵要求豁免由豁免决策授予，豁免 %s 不符合：%s",
			[id, concat("；", [r.zh | some r in reasons])],
		),
	})
}

# Why the waiver's decision does not grant it, in order; [] when it does.
# A decision the inventory does not hold cannot grant anything (the loader
# rejects such a reference; this keeps the check closed on its own).
# `decisions` and `persons` are lib.decisions and lib.people, `types` the
# vocabulary's decision types.
_grant_problems(w, decisions, persons, types) := [{"en": "it names no decision", "zh": "未注明授予它的决策"}] if {
	object.get(w, "decision", null) == null
} else := [{
	"en": sprintf("its decision %s does not exist", [w.decision]),
	"zh": sprintf("其决策 %s 不存在", [w.decision]),
}] if {
	not decisions[w.decision]
} else := array.concat(
	array.concat(_type_problem(decisions[w.decision], types), _approver_problem(w, decisions[w.decision], persons)),
	_date_problem(w, decisions[w.decision]),
)

_type_problem(d, types) := [] if {
	d.type == "waiver"
} else := [{
	"en": sprintf("decision %s is of type %s, not %s", [d.id, lib.en(types, d.type), lib.en(types, "waiver")]),
	"zh": sprintf("决策 %s 的类型为%s，而非%s", [d.id, lib.zh(types, d.type), lib.zh(types, "waiver")]),
}]

_approver_problem(w, d, persons) := [] if {
	w.approved_by in object.get(d, "approved_by", [])
} else := [{
	"en": sprintf(
		"decision %s was approved by %s, not by the waiver's approver %s",
		[d.id, lib.people_en(persons, object.get(d, "approved_by", [])), lib.person_en(persons, w.approved_by)],
	),
	"zh": sprintf(
		"决策 %s 的批准人为 %s，不含豁免的批准人 %s",
		[d.id, lib.people_zh(persons, object.get(d, "approved_by", [])), lib.person_zh(persons, w.approved_by)],
	),
}]

_date_problem(w, d) := [{
	"en": sprintf("decision %s has no date, so it cannot be shown to precede the waiver", [d.id]),
	"zh": sprintf("决策 %s 未注明日期，无法证明其早于豁免", [d.id]),
}] if {
	object.get(d, "date", null) == null
} else := [{
	"en": sprintf("decision %s is dated %s, after the waiver's approval on %s", [d.id, d.date, w.approved_at]),
	"zh": sprintf("决策 %s 的日期 %s 晚于豁免的批准日期 %s", [d.id, d.date, w.approved_at]),
}] if {
	lib.days_between(w.approved_at, d.date) > 0
} else := []
