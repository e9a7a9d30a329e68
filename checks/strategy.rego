# Strategy and planning (STR): handbook §1.1 maturity diagnosis, §1.2 SMART
# goals in three tiers, §1.3.1 a pilot of one or two scenarios and §2.1.2
# services split by business domain.
# METADATA
# scope: package
# title: Strategy & planning
# custom:
#   domain:
#     id: strategy
#     order: 7
#     title:
#       zh: 战略与规划
#       en: Strategy & planning
package govern.checks.strategy

import data.govern.lib

# Every STR check evaluates nothing without a StrategyPolicy: the
# subject sets below are empty then, so each check reports not_applicable
# instead of a pass nobody measured. Every rule here is evaluated when the
# engine collects the package, so fields are read through the object binding
# (object.get on the null of an absent policy is an error).
_policy := lib.object_or_empty(lib.strategy)

_active if is_object(lib.strategy)

# Tiers top first. The engine gives the effective list: the policy's, or the
# default three when it lists none (governance/model/definitions.py holds the defaults).
_tiers := object.get(_policy, ["goals", "tiers"], [])

_top := _tiers[0]

_bottom := _tiers[count(_tiers) - 1]

# tier -> position in _tiers (0 = top)
_rank := {tier: i | some i, tier in _tiers}

# The maturity dimensions, effective as for the tiers (the policy's, else the default four).
_dimensions := object.get(_policy, ["maturity", "dimensions"], [])

default _goals := {}

_goals := lib.goals if _active

default _assessments := {}

_assessments := lib.maturity_assessments if _active

# A tier as the Chinese names it: the handbook's three by their names in the
# vocabulary `named` (lib.names.tiers: 战略层 …), a tier of the policy's own by
# its id ("team 层"); the English likewise ("the business tier", "tier team").
_tier_zh(named, tier) := object.get(named, [tier, "zh"], sprintf("%s 层", [tier]))

_tier_en(named, tier) := lib.en_called(named, tier, "tier")

# ---------------------------------------------------------------- STR-001

# A SMART element is missing when its field is absent, null or empty text.
_absent(g, field) if object.get(g, field, null) in {null, ""}

_gaps(g, elements) := [gap | some [field, gap] in elements; _absent(g, field)]

# Every missing element in the row's order. target = baseline compares numbers
# (1 equals 1.0) and applies only when both are given.
_smart_gaps(g) := array.concat(
	_gaps(g, [
		["metric", {"en": "no metric (specific)", "zh": "缺少指标（具体）"}],
		["baseline", {"en": "no baseline (measurable)", "zh": "缺少基线（可衡量）"}],
		["target", {"en": "no target (measurable)", "zh": "缺少目标值（可衡量）"}],
	]),
	array.concat(
		[{
			"en": sprintf("target equals baseline %v (measurable)", [g.baseline]),
			"zh": sprintf("目标值等于基线 %v（可衡量）", [g.baseline]),
		} |
			g.target == g.baseline
		],
		_gaps(g, [
			["owner", {"en": "no owner (accountable)", "zh": "缺少负责人（可问责）"}],
			["due", {"en": "no due date (time-bound)", "zh": "缺少截止日期（有时限）"}],
		]),
	),
)

# METADATA
# title: Goals are SMART
# description: >-
#   Fires for each goal that misses a SMART element: no `metric`
#   (specific), no `baseline` or no `target` (measurable), `target` equal to
#   `baseline` (compared as numbers, so 1 equals 1.0; only when both are
#   given), no `owner` (accountable) or no `due` (time-bound). A field is
#   missing when it is absent, null or empty text. One finding per goal; the
#   message names every missing element in that order. Evaluates every goal
#   (needs a StrategyPolicy: without one the check is not_applicable).
# custom:
#   id: STR-001
#   title_zh: 目标要素齐全（指标、基线、目标值、负责人、截止日期）
#   description_zh: >-
#     目标缺少 SMART 要素时报告发现：没有 `metric`（具体），没有 `baseline` 或 `target`（可衡量），`target` 等于 `baseline`（按数值比较，1 等于 1.0；两者都给出时才比较），没有 `owner`（负责人，可问责）或没有 `due`（截止日期，有时限）。字段缺省、为 null 或为空文本均视为缺少。每个目标一项发现，消息按上述顺序列出全部缺少的要素。评估每个目标（需要战略政策：没有时本检查为不适用）。
#   severity: medium
#   waivable: true
#   resource: goal
#   remediation: {zh: "由目标负责人（目标尚无负责人时由其父目标的负责人）补齐消息所列的要素：`metric`、`baseline`、不同于基线的 `target`、`owner` 和 `due`，使目标符合 SMART 原则（手册 §1.2.1）。",
#                 en: "The goal's owner (or, where it has none, the parent goal's owner) fills in the elements the message lists, `metric`, `baseline`, a `target` other than the baseline, `owner` and `due`, so that the goal is SMART (handbook §1.2.1)."}
STR_001 := lib.check(rego.metadata.rule(), _goals, {v |
	some id, g in _goals
	gaps := _smart_gaps(g)
	count(gaps) > 0
	v := lib.violation("goal", id, {
		"en": sprintf("goal %s is not SMART: %s", [id, concat("; ", [gap.en | some gap in gaps])]),
		"zh": sprintf("目标 %s 要素不全：%s", [id, concat("；", [gap.zh | some gap in gaps])]),
	})
})

# ---------------------------------------------------------------- STR-002

# Goals of a known tier below the top one.
_below_top := {id: g | some id, g in _goals; _rank[g.tier] > 0}

# The tier directly above `tier` in `tiers` (top first), whose positions `rank` gives.
_tier_above(tier, tiers, rank) := tiers[rank[tier] - 1]

# `goals`: the goals by id, where the parent is looked up; `tiers` and `rank` as for _tier_above.
_parent_one_up(g, goals, tiers, rank) if goals[g.parent].tier == _tier_above(g.tier, tiers, rank)

# `goals`: the goals by id; `named`: the vocabulary's tiers.
_parent_text(g, _, _) := {"en": "has no parent", "zh": "没有父目标"} if not g.parent

_parent_text(g, goals, _) := {
	"en": sprintf("names parent %s, which is not a goal", [g.parent]),
	"zh": sprintf("所指父目标 %s 不是已定义的目标", [g.parent]),
} if {
	g.parent
	not goals[g.parent]
}

_parent_text(g, goals, named) := {
	"en": sprintf("has parent %s of %s", [g.parent, _tier_en(named, tier)]),
	"zh": sprintf("的父目标 %s 属于%s", [g.parent, _tier_zh(named, tier)]),
} if tier := goals[g.parent].tier

# METADATA
# title: Goals below the top tier name a parent one tier up
# description: >-
#   Fires for each goal whose tier is not the top one of
#   `StrategyPolicy.goals.tiers` (top first; strategic, business, execution
#   when the policy lists none) when it has no `parent`, its parent is not a
#   goal, or its parent's tier is not the tier directly above its own (a
#   parent two tiers up, on the same tier or below fires). A top-tier goal
#   may have a parent or not: the row does not judge it. Evaluates goals
#   whose tier is a policy tier other than the top (needs a StrategyPolicy:
#   without one the check is not_applicable).
# custom:
#   id: STR-002
#   title_zh: 非最高层目标指明直接上一层的父目标
#   description_zh: >-
#     目标的层级不是 `StrategyPolicy.goals.tiers` 的最高层（最高层在前；政策未列出时为战略层、业务层、执行层）时，若没有 `parent`、其父目标不是目标，或父目标的层级不是其直接上一层（父目标高两层、同层或更低均报告发现），则报告发现。最高层目标有无父目标均可，本检查不作判断。评估层级为最高层以外的政策层级的目标（需要战略政策：没有时本检查为不适用）。
#   severity: medium
#   waivable: true
#   resource: goal
#   remediation: {zh: "由目标负责人在 `parent` 中指明直接上一层的父目标（如执行层目标指向业务层目标），使目标体系逐层分解（手册 §1.2.2）。",
#                 en: "The goal's owner sets `parent` to a goal exactly one tier up (an execution goal to a business goal, say), so that the goals break down tier by tier (handbook §1.2.2)."}
STR_002 := lib.check(rego.metadata.rule(), _below_top, {v |
	some id, g in _below_top
	not _parent_one_up(g, lib.goals, _tiers, _rank)
	parent := _parent_text(g, lib.goals, lib.names.tiers)
	above := _tier_above(g.tier, _tiers, _rank)
	v := lib.violation("goal", id, {
		"en": sprintf(
			"goal %s of %s %s; it should name a parent goal of %s, the tier directly above",
			[id, _tier_en(lib.names.tiers, g.tier), parent.en, _tier_en(lib.names.tiers, above)],
		),
		"zh": sprintf(
			"%s目标 %s %s；应指明直接上一层（%s）的父目标",
			[_tier_zh(lib.names.tiers, g.tier), id, parent.zh, _tier_zh(lib.names.tiers, above)],
		),
	})
})

# ---------------------------------------------------------------- STR-003

# Goals with a due date whose parent goal has one too.
_dated_under_parent := {id: g | some id, g in _goals; g.due; lib.goals[g.parent].due}

# METADATA
# title: A goal is due no later than its parent
# description: >-
#   Fires for each goal that has a `due` and a `parent` with a `due` when
#   the goal's due date is after its parent's (the same day passes).
#   Evaluates goals with a due date whose parent goal has one too (needs a
#   StrategyPolicy: without one the check is not_applicable).
# custom:
#   id: STR-003
#   title_zh: 目标的截止日期不晚于其父目标
#   description_zh: >-
#     目标有 `due`，其 `parent` 也有 `due`，而目标的截止日期晚于父目标时报告发现（同一天则通过）。评估有截止日期且父目标也有截止日期的目标（需要战略政策：没有时本检查为不适用）。
#   severity: low
#   waivable: true
#   resource: goal
#   remediation: {zh: "由目标负责人将目标的 `due` 提前到不晚于父目标的截止日期，或与父目标负责人商定后推迟父目标的 `due`。",
#                 en: "The goal's owner brings its `due` forward to no later than its parent's, or agrees with the parent goal's owner to move the parent's `due`."}
STR_003 := lib.check(rego.metadata.rule(), _dated_under_parent, {v |
	some id, g in _dated_under_parent
	parent_due := lib.goals[g.parent].due
	g.due > parent_due
	v := lib.violation("goal", id, {
		"en": sprintf("goal %s is due %s, after its parent goal %s (due %s)", [id, g.due, g.parent, parent_due]),
		"zh": sprintf("目标 %s 的截止日期为 %s，晚于其父目标 %s（截止日期 %s）", [id, g.due, g.parent, parent_due]),
	})
})

# ---------------------------------------------------------------- STR-004

# Open goals (a goal without `status` is open) that have a due date.
_open := {id: g | some id, g in _goals; object.get(g, "status", "open") == "open"; g.due}

# METADATA
# title: Open goals are not past their due date
# description: >-
#   Fires for each goal whose `status` is `open` (the default when absent)
#   and whose `due` is before today (as_of); a goal due today passes, and
#   achieved or dropped goals are not judged. Evaluates open goals with a
#   due date (needs a StrategyPolicy: without one the check is
#   not_applicable).
# custom:
#   id: STR-004
#   title_zh: 进行中的目标不逾期
#   description_zh: >-
#     目标的 `status` 为 `open`（缺省即为 open）且 `due` 早于今天（评估基准日）时报告发现；今天到期的目标通过，已达成或已放弃的目标不作判断。评估有截止日期的进行中的目标（需要战略政策：没有时本检查为不适用）。
#   severity: low
#   waivable: true
#   resource: goal
#   agenda: true
#   observes: overdue_goals
#   remediation: {zh: "由目标负责人更新目标状态：已达成的改为 `achieved`，已放弃的改为 `dropped`；仍在推进的，由委员会审议后设定新的 `due`。",
#                 en: "The goal's owner updates it: `status: achieved` if it was met, `dropped` if it was abandoned; if the work goes on, the committee agrees a new `due`."}
STR_004 := lib.check(rego.metadata.rule(), _open, {v |
	some id, g in _open
	g.due < input.as_of
	v := lib.violation("goal", id, {
		"en": sprintf("goal %s is still open %d days after its due date %s", [id, lib.days_since(g.due), g.due]),
		"zh": sprintf("目标 %s 已超过截止日期 %s 共 %d 天，仍未完成", [id, g.due, lib.days_since(g.due)]),
	})
})

# ---------------------------------------------------------------- STR-005

default _running := {}

_running := {id: p | some id, p in lib.projects; lib.running(p, input.as_of)} if _active

# `goals`: the goals by id, where each goal the project serves is looked up;
# `bottom` the bottom tier.
_serves_bottom(p, goals, bottom) if {
	some goal_id in object.get(p, "serves", [])
	goals[goal_id].tier == bottom
}

# METADATA
# title: Running projects serve a goal of the bottom (execution) tier
# description: >-
#   Fires for each running project (start ≤ as_of ≤ end) when none of the
#   goals in its `serves` is of the bottom tier of
#   `StrategyPolicy.goals.tiers` (execution by default), including when
#   `serves` is absent or empty. The message lists what it serves, with
#   each goal's tier. Evaluates running projects (needs a StrategyPolicy:
#   without one the check is not_applicable).
# custom:
#   id: STR-005
#   title_zh: 在建项目服务于最底层（执行层）目标
#   description_zh: >-
#     在建项目（start ≤ 评估基准日 ≤ end）`serves` 中的目标没有一个属于 `StrategyPolicy.goals.tiers` 的最底层（缺省为执行层）时报告发现，包括 `serves` 缺省或为空的情况。消息列出其服务的目标及各目标的层级。评估在建项目（需要战略政策：没有时本检查为不适用）。
#   severity: medium
#   waivable: true
#   resource: project
#   remediation: {zh: "由项目负责人在项目的 `serves` 中列出它交付的执行层目标；尚无对应目标的，先在其业务层父目标下建立执行层目标。",
#                 en: "The project's owner lists in `serves` the execution-tier goal it delivers; where there is none yet, create one under its business-tier parent first."}
STR_005 := lib.check(rego.metadata.rule(), _running, {v |
	some id, p in _running
	not _serves_bottom(p, lib.goals, _bottom)
	served := [_served_text(goal_id, lib.goals, lib.names.tiers) | some goal_id in object.get(p, "serves", [])]
	v := lib.violation("project", id, {
		"en": sprintf(
			"project %s is running (%s to %s) but serves no goal of %s (serves: %s)",
			[id, p.start, p.end, _tier_en(lib.names.tiers, _bottom), lib.list_text([s.en | some s in served])],
		),
		"zh": sprintf(
			"项目 %s 正在进行（%s 至 %s），但未服务于任何%s目标（服务于：%s）",
			[id, p.start, p.end, _tier_zh(lib.names.tiers, _bottom), lib.list_text_zh([s.zh | some s in served])],
		),
	})
})

# A goal a project serves, with its tier; `goals` the goals by id, `named`
# the vocabulary's tiers.
_served_text(goal_id, goals, named) := {
	"en": sprintf("%s (%s tier)", [goal_id, lib.en(named, tier)]),
	"zh": sprintf("%s（%s）", [goal_id, _tier_zh(named, tier)]),
} if tier := goals[goal_id].tier

_served_text(goal_id, goals, _) := {
	"en": sprintf("%s (not a goal)", [goal_id]),
	"zh": sprintf("%s（未定义的目标）", [goal_id]),
} if not goals[goal_id].tier
