# Action items (ACT): the committee's actions, held against this run's
# findings. This package sits outside govern.checks and after the waiver
# checks on purpose: ACT-001 and ACT-003 ask which findings are unwaived this
# run, which depends on every check's violations and on which waivers the
# waiver checks invalidate; reading those from inside govern.checks or
# govern.waiver_checks would be a recursion. ACT findings are never waivable
# (their METADATA), so no ACT finding changes what this package reads.
# The checks it holds actions against are those of this run: a check the run
# skips (input.skipped, which the run fills) has no findings.
# Which checks are ACT checks is decided by package, here: the rules of this
# package. A check of any other package cannot take an ACT- or WAV- id
# (governance/evaluate/policy.py refuses it), so an id's prefix says the same
# (lib.action_check).
# METADATA
# scope: package
# title: Action items
# custom:
#   domain:
#     id: actions
#     order: 9
#     title:
#       zh: 行动项
#       en: Action items
package govern.action_checks

import data.govern.lib

# ---------------------------------------------------------------- this run's findings, waivers applied

# Every check result but ACT's own: the checks under govern.checks (built-in
# and workspace) and the waiver checks.
_checks contains r if {
	some pkg, name
	r := data.govern.checks[pkg][name]
	lib.is_check(r)
}

_waiver_checks contains r if {
	some name
	r := data.govern.waiver_checks[name]
	lib.is_check(r)
}

_results := _checks | _waiver_checks

_skipped := {id | some id in object.get(input, "skipped", [])}

# The results whose findings are this run's: all but the skipped checks'.
_reported := {r | some r in _results; not r.meta.custom.id in _skipped}

# A waiver on which a check marked `invalidates_waiver: true` fired is not
# applied: the marker says which checks those are, as it does for the run.
invalid_waivers contains v.resource.id if {
	some r in _results
	r.meta.custom.invalidates_waiver == true
	some v in r.violations
	v.resource.kind == "waiver"
}

# [check id, resource kind, resource id] that an applicable waiver names.
_waiver_keys contains [w.check, w.resource.kind, w.resource.id] if {
	some id, w in lib.waivers
	not id in invalid_waivers
}

# A finding is waived when its check is waivable and an applicable waiver
# names its check and resource.
_waived(r, key) if {
	r.meta.custom.waivable == true
	key in _waiver_keys
}

# [check id, resource kind, resource id] of every finding this run.
fired contains [r.meta.custom.id, v.resource.kind, v.resource.id] if {
	some r in _reported
	some v in r.violations
}

# [check id, resource kind, resource id] of every finding this run whose
# status is fail: no applicable waiver covers it.
unwaived contains key if {
	some r in _reported
	some v in r.violations
	key := [r.meta.custom.id, v.resource.kind, v.resource.id]
	not _waived(r, key)
}

# ---------------------------------------------------------------- the actions

_status(a) := object.get(a, "status", "open")

# [check id, resource kind, resource id] some open action addresses (an
# overdue one too: ACT-002 reports the delay, not ACT-001).
_addressed_open contains [x.check, x.resource.kind, x.resource.id] if {
	some a in lib.actions
	_status(a) == "open"
	some x in object.get(a, "addresses", [])
}

_keys(a) := {[x.check, x.resource.kind, x.resource.id] | some x in object.get(a, "addresses", [])}

# A resource as the messages name it: its kind's name (`kinds`, lib.names.kinds), then its id.
_resource_zh(kinds, kind, id) := sprintf("%s %s", [lib.zh(kinds, kind), id])

_resource_en(kinds, kind, id) := sprintf("%s %s", [lib.en(kinds, kind), id])

_findings_text(kinds, keys) := concat("; ", sort([sprintf("%s on %s", [k[0], _resource_en(kinds, k[1], k[2])]) | some k in keys]))

_findings_text_zh(kinds, keys) := concat("；", sort([sprintf("%s（%s）", [k[0], _resource_zh(kinds, k[1], k[2])]) | some k in keys]))

# "1 day", "2 days": the English count of whole days.
_days_en(1) := "1 day"

_days_en(n) := sprintf("%d days", [n]) if n != 1

_title_zh(a) := sprintf("「%s」", [a.title])

# ---------------------------------------------------------------- ACT-001

_rank := {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}

# The severity from which findings need an action: the most demanding of the
# committees that set one (undefined when none does).
_required_at := s if {
	ranks := [_rank[c.actions.required_at] | some c in lib.committees; is_string(c.actions.required_at)]
	count(ranks) > 0
	some s, rank in _rank
	rank == max(ranks)
}

# resource [kind, id] -> ids of the checks whose unwaived findings on it, at or
# above the committee's severity, no open action addresses.
_unowned[resource] contains r.meta.custom.id if {
	threshold := _rank[_required_at]
	some r in _checks
	_rank[r.meta.custom.severity] <= threshold
	some v in r.violations
	key := [r.meta.custom.id, v.resource.kind, v.resource.id]
	key in unwaived
	not key in _addressed_open
	resource := [v.resource.kind, v.resource.id]
}

# Every resource with an unwaived finding at or above the committee's severity.
_needing contains [v.resource.kind, v.resource.id] if {
	threshold := _rank[_required_at]
	some r in _checks
	_rank[r.meta.custom.severity] <= threshold
	some v in r.violations
	[r.meta.custom.id, v.resource.kind, v.resource.id] in unwaived
}

# METADATA
# title: An unwaived finding at or above the committee's severity has an open action
# description: >-
#   When a Committee sets `actions.required_at` (a severity; the most demanding
#   where several do), fires once per resource that has an unwaived finding of
#   a check that is neither WAV nor ACT, of that severity or above, which no
#   action with status `open` addresses (an overdue open action still
#   addresses it: ACT-002 reports the delay); the message names every such
#   check. A waived finding needs no action. Evaluates each resource with an
#   unwaived finding at or above the severity; none without `required_at`.
# custom:
#   id: ACT-001
#   title_zh: 达到委员会规定严重程度的未豁免发现均有进行中的行动项
#   description_zh: >-
#     委员会设定 `actions.required_at`（一个严重程度；多个委员会时取最严格者）时，某资源存在该严重程度及以上、且不属于 WAV 或 ACT 检查的未豁免发现，而没有状态为 `open` 的行动项处理它，即对该资源报告一项发现（逾期但仍在进行中的行动项仍算处理：逾期由 ACT-002 报告）；消息列出每个这样的检查。已豁免的发现无需行动项。评估每个有该严重程度及以上未豁免发现的资源；未设定 `required_at` 时不评估任何资源。
#   severity: medium
#   waivable: false
#   agenda: true
ACT_001 := lib.check(rego.metadata.rule(), _needing, _unowned_violations)

_unowned_violations contains v if {
	some resource, ids in _unowned
	checks := sort(ids)
	v := lib.violation(resource[0], resource[1], {
		"en": sprintf(
			"%s has unwaived findings of %s at or above %s that no %s action addresses",
			[_resource_en(lib.names.kinds, resource[0], resource[1]), lib.list_text(checks), _required_at, lib.en(lib.names.action_statuses, "open")],
		),
		"zh": sprintf(
			"%s 有检查 %s 的未豁免发现，严重程度达到或高于“%s”，尚无%s的行动项处理",
			[_resource_zh(lib.names.kinds, resource[0], resource[1]), lib.list_text_zh(checks), lib.zh(lib.names.severities, _required_at), lib.zh(lib.names.action_statuses, "open")],
		),
	})
}

# ---------------------------------------------------------------- ACT-002

_open := {id | some id, a in lib.actions; _status(a) == "open"}

# METADATA
# title: An open action is not overdue
# description: >-
#   Fires for each action whose `status` is `open` and whose `due` is before
#   as_of; due on as_of itself is not overdue. Evaluates every open action.
# custom:
#   id: ACT-002
#   title_zh: 进行中的行动项未逾期
#   description_zh: >-
#     状态为 `open` 且 `due` 早于评估基准日的行动项报告发现；到期日恰为评估基准日不算逾期。评估每个进行中的行动项。
#   severity: medium
#   waivable: false
#   resource: action
#   agenda: true
ACT_002 := lib.check(rego.metadata.rule(), _open, _overdue)

_overdue contains v if {
	some id in _open
	a := lib.actions[id]
	days := lib.days_since(a.due)
	days > 0
	v := lib.violation("action", id, {
		"en": sprintf(
			"action %s (%s), owned by %s, was due on %s, %s before %s, and is still %s",
			[id, a.title, lib.person_en(lib.people, a.owner), a.due, _days_en(days), input.as_of, lib.en(lib.names.action_statuses, "open")],
		),
		"zh": sprintf(
			"行动项 %s%s由 %s 负责，应于 %s 完成，至评估基准日 %s 已逾期 %d 天，状态仍为%s",
			[id, _title_zh(a), lib.person_zh(lib.people, a.owner), a.due, input.as_of, days, lib.zh(lib.names.action_statuses, "open")],
		),
	})
}

# ---------------------------------------------------------------- ACT-003

_done := {id | some id, a in lib.actions; _status(a) == "done"}

# METADATA
# title: A done action's findings no longer fail
# description: >-
#   Fires for each action whose `status` is `done` while some finding it
#   addresses (check and resource) is unwaived this run: closed on paper only.
#   A finding that is waived, or did not fire, does not hold it open.
#   Evaluates every done action.
# custom:
#   id: ACT-003
#   title_zh: 已完成的行动项所处理的发现不再存在
#   description_zh: >-
#     状态为 `done` 的行动项所处理的某项发现（检查与资源）在本次运行中仍未豁免，即报告发现：仅在纸面上完成。已豁免或未触发的发现不使其保持未完成。评估每个已完成的行动项。
#   severity: high
#   waivable: false
#   resource: action
#   agenda: true
ACT_003 := lib.check(rego.metadata.rule(), _done, _done_on_paper)

_done_on_paper contains v if {
	some id in _done
	a := lib.actions[id]
	failing := {k | some k in _keys(a); k in unwaived}
	count(failing) > 0
	v := lib.violation("action", id, {
		"en": sprintf(
			"action %s (%s), owned by %s, is marked %s, but findings it addresses still fail: %s",
			[id, a.title, lib.person_en(lib.people, a.owner), lib.en(lib.names.action_statuses, "done"), _findings_text(lib.names.kinds, failing)],
		),
		"zh": sprintf(
			"行动项 %s%s由 %s 负责，已标记为%s，但其处理的发现本次运行仍未解决且未豁免：%s",
			[id, _title_zh(a), lib.person_zh(lib.people, a.owner), lib.zh(lib.names.action_statuses, "done"), _findings_text_zh(lib.names.kinds, failing)],
		),
	})
}

# ---------------------------------------------------------------- ACT-004

# An action addressing a finding of a skipped check is not judged: that finding
# was not looked at this run, so it is not gone (as a baseline does not list it
# as resolved).
_open_addressing := {id |
	some id in _open
	addresses := object.get(lib.actions[id], "addresses", [])
	count(addresses) > 0
	not _names_skipped(addresses, _skipped)
}

_names_skipped(addresses, skipped) if {
	some x in addresses
	x.check in skipped
}

# METADATA
# title: An open action addresses a finding of this run
# description: >-
#   Fires for each action whose `status` is `open`, which has at least one
#   `addresses` entry, and none of whose addressed findings (check and
#   resource, waived or not) fired this run: it is stale, close it. The
#   addressed resource need not exist (a finding's resource may be gone).
#   An action cannot address an ACT check (exit 2, deliberately): an ACT
#   finding is about an action and goes when that action is fixed, never by
#   another action. Evaluates every open action with an `addresses` entry
#   but one addressing a finding of a check the run skips (not looked at,
#   so not gone).
# custom:
#   id: ACT-004
#   title_zh: 进行中的行动项对应本次运行的发现
#   description_zh: >-
#     状态为 `open`、至少有一项 `addresses`，且其处理的发现（检查与资源，无论是否豁免）在本次运行中均未触发的行动项报告发现：已过时，应予关闭。所处理的资源不必存在（发现的资源可能已被删除）。行动项不能处理 ACT 检查（刻意规定为退出码 2）：ACT 发现关乎行动项本身，随该行动项得到处理而消失，而非由另一行动项处理。评估每个有 `addresses` 的进行中行动项，但处理本次运行跳过的检查之发现者除外（该发现未被查看，并非已消失）。
#   severity: low
#   waivable: false
#   resource: action
ACT_004 := lib.check(rego.metadata.rule(), _open_addressing, _stale)

_stale contains v if {
	some id in _open_addressing
	a := lib.actions[id]
	count({k | some k in _keys(a); k in fired}) == 0
	v := lib.violation("action", id, {
		"en": sprintf(
			"action %s (%s), owned by %s, is %s, but none of the findings it addresses fired this run (%s): close it",
			[id, a.title, lib.person_en(lib.people, a.owner), lib.en(lib.names.action_statuses, "open"), _findings_text(lib.names.kinds, _keys(a))],
		),
		"zh": sprintf(
			"行动项 %s%s由 %s 负责，状态仍为%s，但其处理的发现本次运行均未出现（%s），应予关闭",
			[id, _title_zh(a), lib.person_zh(lib.people, a.owner), lib.zh(lib.names.action_statuses, "open"), _findings_text_zh(lib.names.kinds, _keys(a))],
		),
	})
}
