# Strategy and planning (STR): goals measured against their plan, the
# committee's progress monitoring (handbook §1.3.2). The domain, the policy
# bindings and _open (open goals with a due date) are in strategy.rego.
package govern.checks.strategy

import data.govern.lib

# ---------------------------------------------------------------- readings

# goal id -> its latest reading dated on or before today. A reading dated
# after today is not measured yet at as_of, so it is ignored. The model
# refuses two readings of one goal on one date, so the latest is one reading.
_latest_reading := {id: reading |
	some id, g in _goals
	dates := [r.date | some r in object.get(g, "readings", []); r.date <= input.as_of]
	count(dates) > 0
	last := max(dates)
	some reading in g.readings
	reading.date == last
}

# A goal as the Chinese messages name it: its statement, then its id.
_goal_zh(id, g) := sprintf("「%s」（%s）", [g.statement, id])

# ---------------------------------------------------------------- STR-011

# The engine fills in the effective tolerance (the policy's, else the default).
_tolerance := _policy.goals.progress_tolerance

# Open goals the plan line can judge: a start before the due date, a
# baseline apart from the target (else the line has no direction), and a
# reading dated on or before today.
_planned := {id: g |
	some id, g in _open
	g.start < g.due
	is_number(g.baseline)
	is_number(g.target)
	g.target != g.baseline
	_latest_reading[id]
}

# The share of the plan's time elapsed at `t`, in days, clipped to [0, 1]:
# a reading before the start is held to the baseline, one after the due
# date to the target.
_elapsed(start, due, t) := min([1, max([0, lib.days_between(start, t) / lib.days_between(start, due)])])

# The plan line at date `t`.
_plan(g, t) := g.baseline + ((g.target - g.baseline) * _elapsed(g.start, g.due, t))

_rising(g) if g.target > g.baseline

# The furthest a reading may lag the plan: the plan less the margin on a
# rising goal, plus the margin on a falling one.
_bound(g, plan, tolerance) := plan - (tolerance * (g.target - g.baseline)) if _rising(g)

_bound(g, plan, tolerance) := plan + (tolerance * (g.baseline - g.target)) if not _rising(g)

# A reading's value rounded once to 6 decimal places, half away from zero
# (round is Go's math.Round), as a whole number of millionths. OPA multiplies
# the value as written exactly, so rounding it once is the rounding of the
# decimal written: 0.8999994999996 is 0.899999.
_value_micro(x) := round(x * 1000000)

# The bound, computed, carries OPA's arithmetic noise far below 1e-12 (0.3 -
# 0.0999995 is not exactly 0.2000005), which at an exact half would tip the
# rounding: the computed bound alone is taken to 1e-12 first.
_micro(x) := round(round(x * 1000000000000) / 1000000)

# `x` as the check compares it: 6 decimal places.
_six(x) := _micro(x) / 1000000

# Behind plan: the value and the bound each rounded to 6 places, so a
# reading exactly at the tolerance is on track.
default _behind(_, _, _) := false

_behind(g, value, bound) if {
	_rising(g)
	_value_micro(value) < _micro(bound)
}

_behind(g, value, bound) if {
	not _rising(g)
	_value_micro(value) > _micro(bound)
}

# What STR-011 measured on each goal it evaluates: the latest reading, the
# plan at its date, the bound and its verdict. The violations are read from
# it too, so a chart of it and the findings cannot disagree.
_progress := {id: {
	"date": r.date,
	"value": r.value,
	"plan": _six(plan),
	"bound": _six(bound),
	"behind": _behind(g, r.value, bound),
} |
	some id, g in _planned
	r := _latest_reading[id]
	plan := _plan(g, r.date)
	bound := _bound(g, plan, _tolerance)
}

# METADATA
# title: Open goals keep to their plan line
# description: >-
#   Fires for each open goal whose latest reading dated on or before today
#   (as_of) is behind its plan by more than `goals.progress_tolerance` ×
#   |`target` − `baseline`|. The plan at the reading's date t is `baseline`
#   + (`target` − `baseline`) × f, f = (t − `start`) / (`due` − `start`) in
#   days, clipped to [0, 1]. Behind: the value is below plan − margin when
#   the target is above the baseline, above plan + margin when it is below;
#   the value and the bound are each rounded to 6 decimal places, half away
#   from zero, before they are compared, so a reading exactly at the
#   tolerance passes. Readings dated after today are ignored. Evaluates open
#   goals with `start`, `baseline`, `target` and `due`, `start` before
#   `due`, `target` apart from `baseline`, and a reading dated on or before
#   today (needs a StrategyPolicy: without one the check is not_applicable).
#   Observes each such goal's latest reading, plan and bound for the
#   committee's progress chart.
# custom:
#   id: STR-011
#   title_zh: 进行中的目标按计划线推进
#   description_zh: >-
#     进行中的目标在今天（评估基准日）或之前的最近一次读数落后于计划超过 `goals.progress_tolerance` × |`target` − `baseline`| 时报告发现。读数日期 t 的计划值为 `baseline` + (`target` − `baseline`) × f，f = (t − `start`) / (`due` − `start`)，按天计并限定在 [0, 1]。目标值高于基线时，读数低于计划值减容差即为落后；目标值低于基线时，读数高于计划值加容差即为落后；读数与界限各自四舍五入（远离零）保留 6 位小数后再比较，恰在容差上的读数通过。晚于今天的读数不计。评估有 `start`、`baseline`、`target` 与 `due`、`start` 早于 `due`、目标值不等于基线且今天或之前有读数的进行中的目标（需要战略政策：没有时本检查为不适用）。记录每个目标的最近读数、计划值与界限，供委员会的进度图使用。
#   severity: medium
#   waivable: true
#   resource: goal
#   agenda: true
#   observes: goal_progress
#   remediation: {zh: "由目标负责人分析进度落后的原因，提出追赶措施提交委员会审议；计划线本身不合理的，经委员会决策后调整目标的 `start`、`due` 或 `target`。",
#                 en: "The goal's owner explains the lag and brings a recovery plan to the committee; if the plan line itself is wrong, the committee decides to change the goal's `start`, `due` or `target`."}
STR_011 := lib.check_observed(
	rego.metadata.rule(), _planned, {v |
		some id, p in _progress
		p.behind
		v := lib.violation("goal", id, _behind_text(id, _planned[id], p, _tolerance))
	},
	_progress,
)

_behind_text(id, g, p, tolerance) := {
	"en": sprintf(
		"goal %s (%s) read %v on %s, behind its plan of %v by more than progress_tolerance %v × |target − baseline| (the bound is %v; the plan runs from baseline %v on %s to target %v on %s)",
		[id, g.statement, p.value, p.date, p.plan, tolerance, p.bound, g.baseline, g.start, g.target, g.due],
	),
	"zh": sprintf(
		"目标%s于 %s 的读数为 %v，计划值为 %v，落后超过容差 %v × |目标值 − 基线|（界限 %v；计划自 %s 的基线 %v 至 %s 的目标值 %v）",
		[_goal_zh(id, g), p.date, p.value, p.plan, tolerance, p.bound, g.start, g.baseline, g.due, g.target],
	),
}

# ---------------------------------------------------------------- STR-012

_reading_interval := object.get(_policy, ["goals", "reading_interval_days"], null)

# Whether the goal's plan started within the last `n` days (or starts later).
_started_within(g, n) if lib.days_since(g.start) <= n

# Open goals due a reading, when the policy sets the interval: every open
# goal but one whose `start` is N days before today or later.
_to_read := {id: g |
	is_number(_reading_interval)
	some id, g in _goals
	object.get(g, "status", "open") == "open"
	not _started_within(g, _reading_interval)
}

_read_within(g, n, as_of) if {
	some r in object.get(g, "readings", [])
	r.date <= as_of
	lib.within_days(r.date, n)
}

_unread_text(id, g, n, as_of) := {
	"en": sprintf(
		"goal %s (%s) has no reading within reading_interval_days %d of %s; its latest is of %s, %d days before",
		[id, g.statement, n, as_of, r.date, lib.days_since(r.date)],
	),
	"zh": sprintf(
		"目标%s在评估基准日 %s 前 %d 天（reading_interval_days）内没有读数；最近一次读数为 %s，已过 %d 天",
		[_goal_zh(id, g), as_of, n, r.date, lib.days_since(r.date)],
	),
} if r := _latest_reading[id]

_unread_text(id, g, _, as_of) := {
	"en": sprintf("goal %s (%s) has no reading dated on or before %s", [id, g.statement, as_of]),
	"zh": sprintf("目标%s截至评估基准日 %s 尚无读数", [_goal_zh(id, g), as_of]),
} if not _latest_reading[id]

# METADATA
# title: Open goals are measured at the reading interval
# description: >-
#   Fires for each open goal with no reading dated within
#   `goals.reading_interval_days` (N) before today (as_of − date ≤ N, date ≤
#   today, so a reading exactly N days old passes; readings dated after
#   today are ignored). A goal whose `start` is N days before today or later
#   is not judged yet. Evaluates open goals, but those, when the
#   StrategyPolicy sets `goals.reading_interval_days` (without it, or
#   without a StrategyPolicy, the check is not_applicable).
# custom:
#   id: STR-012
#   title_zh: 进行中的目标按读数周期计量
#   description_zh: >-
#     战略政策设定 `goals.reading_interval_days`（N）时，进行中的目标在今天（评估基准日）之前 N 天内没有读数即报告发现（评估基准日 − 读数日期 ≤ N 且读数日期不晚于今天，恰好 N 天前的读数通过；晚于今天的读数不计）。`start` 在今天之前 N 天以内或尚未到来的目标暂不判断。评估其余进行中的目标（没有该设定或没有战略政策时本检查为不适用）。
#   severity: low
#   waivable: true
#   resource: goal
#   remediation: {zh: "由目标负责人测量目标指标，在目标的 `readings` 中登记日期与数值，此后至少每 `goals.reading_interval_days` 天登记一次。",
#                 en: "The goal's owner measures its metric and records the date and value under `readings`, then does so at least every `goals.reading_interval_days` days."}
STR_012 := lib.check(rego.metadata.rule(), _to_read, {v |
	some id, g in _to_read
	not _read_within(g, _reading_interval, input.as_of)
	v := lib.violation("goal", id, _unread_text(id, g, _reading_interval, input.as_of))
})
