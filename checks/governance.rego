# Committee and authority (GOV): handbook §1.3.2, the CEO-led digital
# operations committee and the delegation of authority.
# METADATA
# scope: package
# title: Committee & authority
# custom:
#   domain:
#     id: committee
#     order: 1
#     title:
#       zh: 委员会与授权
#       en: Committee & authority
package govern.checks.governance

import data.govern.lib

# METADATA
# title: Committee is chaired by the CEO
# description: >-
#   Fires for each committee whose `chair` is not a person whose `roles`
#   include CEO. Evaluates every committee.
# custom:
#   id: GOV-001
#   title_zh: 委员会由首席执行官担任主席
#   description_zh: >-
#     委员会的 `chair`（主席）不是角色（`roles`）含 CEO 的人员时，对该委员会报告发现。评估每个委员会。
#   severity: high
#   waivable: true
#   resource: committee
#   remediation: {zh: "按手册 §1.3.2 由首席执行官担任委员会主席：将委员会的 `chair` 改为 `roles` 含 CEO 的人员；CEO 已任主席而人员记录有误的，在 `people` 中为其补上 CEO 角色。",
#                 en: "Make the chief executive the committee's chair (handbook §1.3.2): set `chair` to a person whose `roles` include CEO, or, if the CEO already chairs it, add CEO to that person's `roles` under `people`."}
GOV_001 := lib.check(rego.metadata.rule(), lib.committees, {v |
	some id, c in lib.committees
	not lib.has_role(lib.people, c.chair, "CEO")
	roles := object.get(lib.people, [c.chair, "roles"], [])
	v := lib.violation("committee", id, {
		"en": sprintf(
			"committee %s is chaired by %s, who does not hold the CEO role (roles: %s)",
			[id, lib.person_en(lib.people, c.chair), lib.list_text(roles)],
		),
		"zh": sprintf(
			"委员会 %s 的主席为 %s，其角色中没有 CEO（角色：%s）",
			[id, lib.person_zh(lib.people, c.chair), lib.list_text_zh(roles)],
		),
	})
})

# METADATA
# title: Committee members cover every required role
# description: >-
#   Fires for each committee where some role in `required_roles` is held by
#   no member (`members[].role`); the message lists every missing role.
# custom:
#   id: GOV-002
#   title_zh: 委员会成员涵盖全部必需角色
#   description_zh: >-
#     `required_roles` 中有任一角色没有成员（`members[].role`）担任时，对该委员会报告发现；消息列出全部缺少的角色。
#   severity: high
#   waivable: true
#   resource: committee
#   remediation: {zh: "由委员会主席为消息所列的每个缺失角色任命成员，并在委员会的 `members` 中登记其 `person` 与 `role`；不再需要的角色，经委员会决策后从 `required_roles` 中删除。",
#                 en: "The committee's chair appoints a member for each missing role the message lists and records them under the committee's `members` (`person` and `role`); a role no longer needed is removed from `required_roles` by a committee decision."}
GOV_002 := lib.check(rego.metadata.rule(), lib.committees, {v |
	some id, c in lib.committees
	held := {m.role | some m in object.get(c, "members", [])}
	missing := [r | some r in object.get(c, "required_roles", []); not r in held]
	count(missing) > 0
	v := lib.violation("committee", id, {
		"en": sprintf("committee %s has no member in required role(s) %s", [id, lib.list_text(missing)]),
		"zh": sprintf("委员会 %s 缺少担任必需角色 %s 的成员", [id, lib.list_text_zh(missing)]),
	})
})

# ---------------------------------------------------------------- shared

# Without an AuthorityMatrix the authority-driven subject sets are empty, so
# those checks report not_applicable instead of a pass nobody measured.
_matrix := lib.object_or_empty(lib.authority)

_limits := object.get(_matrix, "limits", {})

_present(m) := {p | some p in object.get(m, "present", [])}

_approvers(d) := object.get(d, "approved_by", [])

# Subject sets and indexes below are complete rules (`x := {...}`): OPA
# evaluates those once per query, whereas a partial rule looked up by key
# re-runs its body, a full scan per lookup.

# Decisions that name a meeting (references are validated, so it exists).
_in_meeting := {id: lib.meetings[d.meeting] | some id, d in lib.decisions}

# ---------------------------------------------------------------- GOV-003

# Decisions taken in a meeting of a committee that sets a quorum.
_quorum_bound := {id: m |
	some id, m in _in_meeting
	is_object(lib.committees[m.committee].quorum)
}

# METADATA
# title: Decisions taken in a meeting had a quorum and the chair
# description: >-
#   Fires for each decision that names a `meeting` where the number of
#   distinct people in `present` is below the meeting's committee
#   `quorum.min_present`, or where `chair_or_delegate_required` is true and
#   neither the committee chair nor the delegate of the chair's own member
#   entry is present (another member's delegate does not stand in for the
#   chair). Evaluates decisions that name a meeting of a committee with a
#   `quorum`.
# custom:
#   id: GOV-003
#   title_zh: 会议决策满足法定人数且主席出席
#   description_zh: >-
#     决策指明了 `meeting`，而该会议 `present` 中的不同出席人数低于其委员会的 `quorum.min_present`，或 `chair_or_delegate_required` 为 true 而委员会主席及主席本人成员条目中的代理人均未出席时（其他成员的代理人不能代替主席），对该决策报告发现。评估指明了设有 `quorum` 的委员会会议的决策。
#   severity: high
#   waivable: true
#   resource: decision
#   agenda: true
#   remediation: {zh: "该决策作出时不足法定人数或主席（或其代理人）未出席：由委员会在满足 `quorum` 的会议上重新审议并作出决策，并在会议的 `present` 中如实记录出席人员；只是出席记录遗漏的，补全 `present`。",
#                 en: "The decision was taken without a quorum or without the chair (or the chair's delegate): the committee takes it again at a meeting that meets its `quorum` and records who attended in the meeting's `present`; if attendance was only mis-recorded, complete `present`."}
GOV_003 := lib.check(rego.metadata.rule(), _quorum_bound, {v |
	some id, m in _quorum_bound
	c := lib.committees[m.committee]
	reasons := array.concat(_short_of_quorum(m, c.quorum), _chair_missing(m, c, lib.people))
	count(reasons) > 0
	v := lib.violation("decision", id, {
		"en": sprintf(
			"decision %s was taken at meeting %s (%s) of %s %s",
			[id, m.id, m.date, m.committee, concat(" and ", [r.en | some r in reasons])],
		),
		"zh": sprintf(
			"决策 %s 在委员会 %s 的会议 %s（%s）上作出，但%s",
			[id, m.committee, m.id, m.date, concat("，且", [r.zh | some r in reasons])],
		),
	})
})

# Each reason is a pair {en, zh} written from the same values.
_short_of_quorum(m, quorum) := [{
	"en": sprintf("with %d present, below the quorum of %d", [n, quorum.min_present]),
	"zh": sprintf("出席人数为 %d，低于法定人数 %d", [n, quorum.min_present]),
} |
	n := count(_present(m))
	n < quorum.min_present
]

# `persons` is lib.people, for naming the chair and the delegates.
_chair_missing(m, c, persons) := [_chair_absent(c.chair, delegates, persons) |
	object.get(c.quorum, "chair_or_delegate_required", false) == true
	delegates := _chair_delegates(c)
	count((delegates | {c.chair}) & _present(m)) == 0
]

_chair_absent(chair, delegates, persons) := {
	"en": sprintf("without the chair %s present (the chair names no delegate)", [lib.person_en(persons, chair)]),
	"zh": sprintf("主席 %s 未出席（主席未指定代理人）", [lib.person_zh(persons, chair)]),
} if count(delegates) == 0

_chair_absent(chair, delegates, persons) := {
	"en": sprintf("without the chair %s or the chair's delegate %s present", [lib.person_en(persons, chair), lib.people_en(persons, delegates)]),
	"zh": sprintf("主席 %s 及主席的代理人 %s 均未出席", [lib.person_zh(persons, chair), lib.people_zh(persons, delegates)]),
} if count(delegates) > 0

_chair_delegates(c) := {mb.delegate | some mb in object.get(c, "members", []); mb.person == c.chair; mb.delegate}

# ---------------------------------------------------------------- GOV-004

_requested := {id: d |
	some id, d in lib.decisions
	d.requested_by
}

# METADATA
# title: Nobody approves their own request
# description: >-
#   Fires for each decision whose `requested_by` is among `approved_by`.
#   Evaluates decisions that name a requester.
# custom:
#   id: GOV-004
#   title_zh: 任何人不得批准本人提出的申请
#   description_zh: >-
#     决策的 `requested_by`（申请人）出现在 `approved_by`（批准人）之中时，对该决策报告发现。评估指明了申请人的决策。
#   severity: critical
#   waivable: false
#   resource: decision
#   remediation: {zh: "申请人不得批准本人的申请：由授权矩阵中另一位有审批权限的人员重新审批该决策，并将申请人从 `approved_by` 中移除。",
#                 en: "A requester may not approve their own request: another person with authority under the authority matrix approves the decision again, and the requester is taken off `approved_by`."}
GOV_004 := lib.check(rego.metadata.rule(), _requested, {v |
	some id, d in _requested
	d.requested_by in _approvers(d)
	v := lib.violation("decision", id, {
		"en": sprintf(
			"decision %s was requested by %s and approved by the same person (approvers: %s)",
			[id, lib.person_en(lib.people, d.requested_by), lib.people_en(lib.people, _approvers(d))],
		),
		"zh": sprintf(
			"决策 %s 由 %s 提出申请，又由其本人批准（批准人：%s）",
			[id, lib.person_zh(lib.people, d.requested_by), lib.people_zh(lib.people, _approvers(d))],
		),
	})
})

# ---------------------------------------------------------------- GOV-005

# Decisions taken outside any meeting, judged against the authority matrix.
_outside_meeting := {id: d |
	_matrix.id
	some id, d in lib.decisions
	not d.meeting
}

# METADATA
# title: Decisions outside a meeting stay within the approvers' authority
# description: >-
#   Fires for each decision without a `meeting` when no approver holds a role
#   whose limit in `limits[type]` is null (no limit) or ≥ `amount`. A role
#   absent from the type's map may not approve it, and a type absent from
#   `limits` always fires. A decision without an `amount` cannot be shown to
#   be within a finite limit, so only a role with no limit covers it.
#   Evaluates decisions without a meeting (needs an AuthorityMatrix).
# custom:
#   id: GOV-005
#   title_zh: 会外决策不超出批准人的审批权限
#   description_zh: >-
#     未在会议上作出的决策，若没有任何批准人担任在 `limits[type]` 中额度为 null（不设上限）或不低于 `amount` 的角色，则报告发现。未列入该决策类型额度表的角色无权批准该类型；`limits` 中没有的决策类型一律报告发现。没有 `amount` 的决策无法证明在有限额度之内，只有不设上限的角色才能覆盖。评估未在会议上作出的决策（需要授权矩阵）。
#   severity: high
#   waivable: true
#   resource: decision
#   agenda: true
#   remediation: {zh: "该会外决策超出了批准人的审批权限：由授权矩阵 `limits` 中对该决策类型与金额有权限的人员重新批准（更新 `approved_by`），或提交委员会会议决策并填写 `meeting`。",
#                 en: "The decision exceeds its approvers' authority: have it approved by someone whose role's `limits` for its type cover the amount (update `approved_by`), or take it to a committee meeting and record that `meeting`."}
GOV_005 := lib.check(rego.metadata.rule(), _outside_meeting, {v |
	some id, d in _outside_meeting
	not _within_authority(d, _limits, lib.people)
	what := _what(d, lib.names.decision_types)
	gap := _authority_gap(d, _matrix.id, _limits, lib.people, lib.names.decision_types)
	v := lib.violation("decision", id, {
		"en": sprintf("decision %s (%s) was taken outside a meeting and %s", [id, what.en, gap.en]),
		"zh": sprintf("决策 %s（%s）在会议之外作出，%s", [id, what.zh, gap.zh]),
	})
})

# `limits`: the authority matrix's limits, by decision type; `persons` is
# lib.people, whose roles the approvers hold.
_within_authority(d, limits, persons) if {
	some p in _approvers(d)
	some role in object.get(persons, [p, "roles"], [])
	_role_covers(limits[d.type], role, d)
}

_role_covers(limits, role, _) if limits[role] == null

_role_covers(limits, role, d) if {
	is_number(limits[role])
	d.amount <= limits[role]
}

# (`not f(x.field)` would fail outright when the field is absent, hence the helpers)
_has_amount(d) if is_number(d.amount)

# `limits`: the authority matrix's limits, by decision type.
_has_limits(d, limits) if is_object(limits[d.type])

# The phrases below are pairs {en, zh}, so both sentences read the same values;
# `types` is the vocabulary's decision types, `persons` lib.people.
_what(d, types) := {
	"en": sprintf("%s of %s", [lib.en(types, d.type), lib.money(d.amount)]),
	"zh": sprintf("%s，金额 %s", [lib.zh(types, d.type), lib.money(d.amount)]),
} if _has_amount(d)

_what(d, types) := {
	"en": sprintf("%s without an amount", [lib.en(types, d.type)]),
	"zh": sprintf("%s，未列明金额", [lib.zh(types, d.type)]),
} if not _has_amount(d)

_authority_gap(d, matrix_id, limits, _, types) := {
	"en": sprintf("type %s has no limits in authority matrix %s", [lib.en(types, d.type), matrix_id]),
	"zh": sprintf("但授权矩阵 %s 未对决策类型“%s”设定审批额度", [matrix_id, lib.zh(types, d.type)]),
} if {
	not _has_limits(d, limits)
}

_authority_gap(d, _, limits, _, _) := {"en": "it names no approver", "zh": "且未列明批准人"} if {
	_has_limits(d, limits)
	count(_approvers(d)) == 0
}

_authority_gap(d, _, limits, persons, types) := {
	"en": sprintf("no approver's authority covers it: %s", [concat("; ", [n.en | some n in notes])]),
	"zh": sprintf("但没有任何批准人的审批权限覆盖该决策：%s", [concat("；", [n.zh | some n in notes])]),
} if {
	_has_limits(d, limits)
	notes := [_approver_note(limits[d.type], d.type, p, persons, types) | some p in _approvers(d)]
	count(notes) > 0
}

_approver_note(limits, type, p, persons, types) := {
	"en": sprintf("%s (%s)", [lib.person_en(persons, p), concat(", ", [n.en | some n in notes])]),
	"zh": sprintf("%s：%s", [lib.person_zh(persons, p), concat("，", [n.zh | some n in notes])]),
} if {
	notes := [_role_limit(limits, type, r, types) | some r in object.get(persons, [p, "roles"], [])]
	count(notes) > 0
}

_approver_note(_, _, p, persons, _) := {
	"en": sprintf("%s (holds no role)", [lib.person_en(persons, p)]),
	"zh": sprintf("%s：未担任任何角色", [lib.person_zh(persons, p)]),
} if count(object.get(persons, [p, "roles"], [])) == 0

_role_limit(limits, _, role, _) := {
	"en": sprintf("%s up to %s", [role, lib.money(limits[role])]),
	"zh": sprintf("%s 审批上限为 %s", [role, lib.money(limits[role])]),
} if is_number(limits[role])

_role_limit(limits, type, role, types) := {
	"en": sprintf("%s may not approve %s", [role, lib.en(types, type)]),
	"zh": sprintf("%s 无权批准%s", [role, lib.zh(types, type)]),
} if not role in object.keys(limits)

# ---------------------------------------------------------------- GOV-006

_sized := {id: d |
	is_number(_matrix.committee_required_above)
	some id, d in lib.decisions
	is_number(d.amount)
}

# METADATA
# title: Large decisions are taken in a committee meeting
# description: >-
#   Fires for each decision whose `amount` is strictly greater than
#   `committee_required_above` and that names no `meeting` (an amount equal
#   to the threshold passes). Evaluates decisions with an amount, when the
#   AuthorityMatrix sets `committee_required_above`.
# custom:
#   id: GOV-006
#   title_zh: 大额决策须在委员会会议上作出
#   description_zh: >-
#     决策的 `amount` 严格大于 `committee_required_above` 且未指明 `meeting` 时报告发现（金额恰好等于阈值则通过）。授权矩阵设定了 `committee_required_above` 时，评估有金额的决策。
#   severity: high
#   waivable: true
#   resource: decision
#   agenda: true
#   remediation: {zh: "金额超过 `committee_required_above` 的决策须由委员会在会议上作出：将其提交下一次委员会会议审议，并在决策中填写该会议的 `meeting`。",
#                 en: "A decision above `committee_required_above` belongs to the committee: put it to the next committee meeting and record that `meeting` on the decision."}
GOV_006 := lib.check(rego.metadata.rule(), _sized, {v |
	some id, d in _sized
	d.amount > _matrix.committee_required_above
	not d.meeting
	what := _what(d, lib.names.decision_types)
	threshold := lib.money(_matrix.committee_required_above)
	v := lib.violation("decision", id, {
		"en": sprintf(
			"decision %s (%s) exceeds the committee threshold %s of %s but names no meeting",
			[id, what.en, threshold, _matrix.id],
		),
		"zh": sprintf(
			"决策 %s（%s）超过授权矩阵 %s 规定的委员会审议门槛 %s，但未列明会议",
			[id, what.zh, _matrix.id, threshold],
		),
	})
})

# ---------------------------------------------------------------- GOV-007

_matrices := {id: _matrix | id := _matrix.id}

# METADATA
# title: The authority matrix is reviewed every year
# description: >-
#   Fires for the authority matrix when `reviewed_at` is missing or more than
#   365 days before as_of (exactly 365 days passes). Evaluates the
#   AuthorityMatrix, if there is one.
# custom:
#   id: GOV-007
#   title_zh: 授权矩阵每年复核
#   description_zh: >-
#     授权矩阵缺少 `reviewed_at`，或其早于评估基准日超过 365 天时报告发现（恰好 365 天则通过）。评估授权矩阵（如有）。
#   severity: medium
#   waivable: true
#   resource: authority_matrix
#   remediation: {zh: "由委员会复核授权矩阵（决策类型、角色与限额），复核后将日期填入授权矩阵的 `reviewed_at`，此后每年至少复核一次。",
#                 en: "The committee reviews the authority matrix (decision types, roles and limits) and records the date in its `reviewed_at`, then reviews it at least once a year."}
GOV_007 := lib.check(rego.metadata.rule(), _matrices, {v |
	some id, am in _matrices
	reason := _review_overdue(am)
	v := lib.violation("authority_matrix", id, {
		"en": sprintf("authority matrix %s %s", [id, reason.en]),
		"zh": sprintf("授权矩阵 %s %s", [id, reason.zh]),
	})
})

_review_overdue(am) := {"en": "has no reviewed_at date", "zh": "未填写复核日期 reviewed_at"} if not am.reviewed_at

_review_overdue(am) := {
	"en": sprintf("was last reviewed on %s, %d days ago (more than 365)", [am.reviewed_at, n]),
	"zh": sprintf("最近一次复核于 %s，距评估基准日 %d 天（超过 365 天）", [am.reviewed_at, n]),
} if {
	n := lib.days_since(am.reviewed_at)
	n > 365
}

# ---------------------------------------------------------------- GOV-008

# Meeting dates per committee, counting only meetings held on or before as_of
# (a meeting dated later is planned, not held). Grouped as in lib: distinct
# keys, then a comparison OPA indexes once.
_held := {c: dates |
	some c in {m.committee | some m in lib.meetings; m.date <= input.as_of}
	dates := {m.date | some m in lib.meetings; m.committee == c; m.date <= input.as_of}
}

_gap_bound := {id: c |
	some id, c in lib.committees
	is_number(c.max_meeting_gap_days)
}

# METADATA
# title: The committee meets regularly
# description: >-
#   Fires for each committee whose latest meeting held on or before as_of is
#   more than `max_meeting_gap_days` days old, or that has no such meeting
#   (meetings dated after as_of are planned, not held, and do not count).
#   Evaluates committees that set `max_meeting_gap_days`.
# custom:
#   id: GOV-008
#   title_zh: 委员会定期召开会议
#   description_zh: >-
#     委员会在评估基准日及之前召开的最近一次会议距今超过 `max_meeting_gap_days` 天，或没有这样的会议时，对该委员会报告发现（日期晚于评估基准日的会议只是计划，尚未召开，不计入）。评估设定了 `max_meeting_gap_days` 的委员会。
#   severity: low
#   waivable: true
#   resource: committee
#   agenda: true
#   remediation: {zh: "由委员会主席召集会议，并在清单的 `meetings` 中登记会议日期与出席人员；此后按 `max_meeting_gap_days` 规定的间隔定期召开。",
#                 en: "The committee's chair convenes a meeting and records its date and attendance in the inventory's `meetings`, then keeps meetings no more than `max_meeting_gap_days` apart."}
GOV_008 := lib.check(rego.metadata.rule(), _gap_bound, {v |
	some id, c in _gap_bound
	reason := _meeting_overdue(_held, id, c.max_meeting_gap_days, input.as_of)
	v := lib.violation("committee", id, {
		"en": sprintf("committee %s %s", [id, reason.en]),
		"zh": sprintf("委员会 %s %s", [id, reason.zh]),
	})
})

# `held`: the dates of meetings held, per committee (_held).
_meeting_overdue(held, id, _, as_of) := {
	"en": sprintf("has no meeting recorded on or before %s", [as_of]),
	"zh": sprintf("截至评估基准日 %s 没有会议记录", [as_of]),
} if not held[id]

_meeting_overdue(held, id, gap, _) := {
	"en": sprintf("last met on %s, %d days ago (allowed gap %d days)", [latest, n, gap]),
	"zh": sprintf("最近一次会议于 %s 召开，距评估基准日 %d 天（允许间隔 %d 天）", [latest, n, gap]),
} if {
	latest := max(held[id])
	n := lib.days_since(latest)
	n > gap
}

# ---------------------------------------------------------------- GOV-009

# METADATA
# title: Approvers of a meeting decision attended the meeting
# description: >-
#   Fires for each decision that names a `meeting` when some person in
#   `approved_by` is not in that meeting's `present` (a delegate attending
#   does not make the absent approver present). Evaluates decisions that name
#   a meeting.
# custom:
#   id: GOV-009
#   title_zh: 会议决策的批准人均出席该会议
#   description_zh: >-
#     决策指明了 `meeting`，而 `approved_by` 中有人不在该会议的 `present` 之中时，对该决策报告发现（代理人出席不等于缺席的批准人出席）。评估指明了会议的决策。
#   severity: medium
#   waivable: true
#   resource: decision
#   agenda: true
#   remediation: {zh: "会议决策的批准人须出席该会议：由未出席的批准人在其出席的会议上重新确认该决策，或将其从 `approved_by` 中移除；只是出席记录遗漏的，补全会议的 `present`。",
#                 en: "An approver who was not at the meeting cannot approve in it: have them confirm the decision at a meeting they attend, or take them off `approved_by`; if attendance was only mis-recorded, complete the meeting's `present`."}
GOV_009 := lib.check(rego.metadata.rule(), _in_meeting, {v |
	some id, m in _in_meeting
	absent := [p | some p in _approvers(lib.decisions[id]); not p in _present(m)]
	count(absent) > 0
	v := lib.violation("decision", id, {
		"en": sprintf(
			"decision %s names meeting %s (%s) but approver(s) %s were not present",
			[id, m.id, m.date, lib.people_en(lib.people, absent)],
		),
		"zh": sprintf("决策 %s 列明的会议为 %s（%s），但批准人 %s 未出席", [id, m.id, m.date, lib.people_zh(lib.people, absent)]),
	})
})
