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

_goals := lib.goals if _active

else := {}

_assessments := lib.maturity_assessments if _active

else := {}

# A tier as the Chinese names it: the handbook's three by their Chinese names,
# a tier of the policy's own by its id.
_tier_names_zh := {"strategic": "战略层", "business": "业务层", "execution": "执行层"}

_tier_zh(tier) := object.get(_tier_names_zh, tier, sprintf("%s 层", [tier]))

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
#   severity: medium
#   waivable: true
#   resource: goal
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

_tier_above(g) := _tiers[_rank[g.tier] - 1]

_parent_one_up(g) if lib.goals[g.parent].tier == _tier_above(g)

_parent_text(g) := {"en": "has no parent", "zh": "没有父目标"} if not g.parent

_parent_text(g) := {
	"en": sprintf("names parent %s, which is not a goal", [g.parent]),
	"zh": sprintf("所指父目标 %s 不是已定义的目标", [g.parent]),
} if {
	g.parent
	not lib.goals[g.parent]
}

_parent_text(g) := {
	"en": sprintf("has parent %s of tier %s", [g.parent, tier]),
	"zh": sprintf("的父目标 %s 属于%s", [g.parent, _tier_zh(tier)]),
} if tier := lib.goals[g.parent].tier

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
#   severity: medium
#   waivable: true
#   resource: goal
STR_002 := lib.check(rego.metadata.rule(), _below_top, {v |
	some id, g in _below_top
	not _parent_one_up(g)
	parent := _parent_text(g)
	v := lib.violation("goal", id, {
		"en": sprintf(
			"goal %s of tier %s %s; it should name a parent goal of tier %s, the tier directly above",
			[id, g.tier, parent.en, _tier_above(g)],
		),
		"zh": sprintf(
			"%s目标 %s %s；应指明直接上一层（%s）的父目标",
			[_tier_zh(g.tier), id, parent.zh, _tier_zh(_tier_above(g))],
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
#   severity: low
#   waivable: true
#   resource: goal
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
#   title_zh: 未完成的目标不逾期
#   severity: low
#   waivable: true
#   resource: goal
STR_004 := lib.check(rego.metadata.rule(), _open, {v |
	some id, g in _open
	g.due < input.as_of
	v := lib.violation("goal", id, {
		"en": sprintf("goal %s is still open %d days after its due date %s", [id, lib.days_since(g.due), g.due]),
		"zh": sprintf("目标 %s 已超过截止日期 %s 共 %d 天，仍未完成", [id, g.due, lib.days_since(g.due)]),
	})
})

# ---------------------------------------------------------------- STR-005

_running := {id: p | some id, p in lib.projects; lib.running(p)} if _active

else := {}

_serves_bottom(p) if {
	some goal_id in object.get(p, "serves", [])
	lib.goals[goal_id].tier == _bottom
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
#   title_zh: 进行中的项目服务于最底层（执行层）目标
#   severity: medium
#   waivable: true
#   resource: project
STR_005 := lib.check(rego.metadata.rule(), _running, {v |
	some id, p in _running
	not _serves_bottom(p)
	served := [_served_text(goal_id) | some goal_id in object.get(p, "serves", [])]
	v := lib.violation("project", id, {
		"en": sprintf(
			"project %s is running (%s to %s) but serves no %s goal (serves: %s)",
			[id, p.start, p.end, _bottom, lib.list_text([s.en | some s in served])],
		),
		"zh": sprintf(
			"项目 %s 正在进行（%s 至 %s），但未服务于任何%s目标（服务于：%s）",
			[id, p.start, p.end, _tier_zh(_bottom), lib.list_text_zh([s.zh | some s in served])],
		),
	})
})

# A goal a project serves, with its tier.
_served_text(goal_id) := {
	"en": sprintf("%s (%s)", [goal_id, tier]),
	"zh": sprintf("%s（%s）", [goal_id, _tier_zh(tier)]),
} if tier := lib.goals[goal_id].tier

_served_text(goal_id) := {
	"en": sprintf("%s (not a goal)", [goal_id]),
	"zh": sprintf("%s（未定义的目标）", [goal_id]),
} if not lib.goals[goal_id].tier

# ---------------------------------------------------------------- STR-006

_interval := object.get(_policy, ["maturity", "assessment_interval_days"], null)

default _portfolio := {}

_portfolio := {"maturity": count(lib.maturity_assessments)} if _active

# [date, id] of assessments dated on or before today; the latest is the
# largest pair (the latest date, then the larger id on a tie).
_to_date := {[a.date, id] | some id, a in lib.maturity_assessments; a.date <= input.as_of}

_overdue := {
	"en": sprintf("no maturity assessment is dated on or before %s", [input.as_of]),
	"zh": sprintf("截至评估基准日 %s，尚无成熟度评估", [input.as_of]),
} if count(_to_date) == 0

_overdue := {
	"en": sprintf(
		"the latest maturity assessment, %s of %s, is %d days old, more than assessment_interval_days %d",
		[latest[1], latest[0], lib.days_since(latest[0]), _interval],
	),
	"zh": sprintf(
		"最近一次成熟度评估 %s（%s）距评估基准日已 %d 天，超过 assessment_interval_days 规定的 %d 天",
		[latest[1], latest[0], lib.days_since(latest[0]), _interval],
	),
} if {
	count(_to_date) > 0
	latest := max(_to_date)
	is_number(_interval)
	not lib.within_days(latest[0], _interval)
}

# METADATA
# title: Digital maturity is assessed at the planned interval
# description: >-
#   Fires for the portfolio (kind `portfolio`, id `maturity`) when no
#   maturity assessment is dated on or before today (as_of), or the latest
#   such assessment (latest `date`, the larger id on a tie) is not within
#   `maturity.assessment_interval_days` (as_of - date ≤ N passes, so an
#   assessment exactly N days old passes). Assessments dated after today
#   are ignored. Without an interval in the policy only a missing
#   assessment fires. Evaluates the portfolio whenever there is a
#   StrategyPolicy (without one the check is not_applicable); the finding's
#   location is the StrategyPolicy.
# custom:
#   id: STR-006
#   title_zh: 按计划周期开展数字化成熟度评估
#   severity: high
#   waivable: true
#   resource: portfolio
STR_006 := lib.check(rego.metadata.rule(), _portfolio, {v |
	_portfolio.maturity
	v := lib.violation("portfolio", "maturity", _overdue)
})

# ---------------------------------------------------------------- STR-007

# METADATA
# title: Maturity assessments score every dimension
# description: >-
#   Fires for each maturity assessment whose `scores` lack some dimension of
#   `maturity.dimensions` (the default four when the policy lists none); the
#   message lists the missing ones. Scores of other dimensions are not
#   judged here. Evaluates every maturity assessment (needs a
#   StrategyPolicy: without one the check is not_applicable).
# custom:
#   id: STR-007
#   title_zh: 成熟度评估对每个维度评分
#   severity: medium
#   waivable: true
#   resource: maturity_assessment
STR_007 := lib.check(rego.metadata.rule(), _assessments, {v |
	some id, a in _assessments
	missing := [d | some d in _dimensions; object.get(a, ["scores", d], null) == null]
	count(missing) > 0
	v := lib.violation("maturity_assessment", id, {
		"en": sprintf("maturity assessment %s of %s does not score %s", [id, a.date, concat(", ", missing)]),
		"zh": sprintf("成熟度评估 %s（%s）未对以下维度评分：%s", [id, a.date, concat("、", missing)]),
	})
})

# ---------------------------------------------------------------- STR-008

_matured := {id: p | some id, p in lib.projects; p.maturity} if _active

else := {}

# The latest assessment dated on or before each project's start, without a
# scan of the assessments per project: sort assessments ([date, 0, id]) and
# projects ([start, 1, id]) into one timeline once. An assessment sorts
# before a project starting the same day (0 < 1), so "on or before" holds.
# A project at timeline position k that is the i-th project has k - i
# assessments before it, and the last of them in [date, id] order (the
# larger id on a tie) is the latest.
_assessment_order := sort([[a.date, id] | some id, a in lib.maturity_assessments])

_project_order := {entry[2]: i | some i, entry in sort([[p.start, 1, id] | some id, p in _matured])}

_timeline := sort(array.concat(
	[[a.date, 0, id] | some id, a in lib.maturity_assessments],
	[[p.start, 1, id] | some id, p in _matured],
))

# project id -> how many assessments are dated on or before its start
_assessed_before := {id: n |
	some k, entry in _timeline
	entry[1] == 1
	id := entry[2]
	n := k - _project_order[id]
}

# project id -> id of the latest assessment dated on or before its start
_baseline := {id: aid |
	some id, n in _assessed_before
	n > 0
	aid := _assessment_order[n - 1][1]
}

_baseline_holds(id, m) if lib.maturity_assessments[_baseline[id]].scores[m.dimension] == m.from

_baseline_gap(id, p) := {
	"en": sprintf(
		"starts %s at level %v but no maturity assessment is dated on or before its start %s",
		[p.maturity.dimension, p.maturity.from, p.start],
	),
	"zh": sprintf(
		"以 %s 的 %v 级为起点，但在其开始日期 %s 当日或之前没有任何成熟度评估",
		[p.maturity.dimension, p.maturity.from, p.start],
	),
} if not _baseline[id]

_baseline_gap(id, p) := {
	"en": sprintf(
		"starts %s at level %v but %s (%s), the latest maturity assessment on or before its start %s, %s",
		[p.maturity.dimension, p.maturity.from, aid, a.date, p.start, score.en],
	),
	"zh": sprintf(
		"以 %s 的 %v 级为起点，但在其开始日期 %s 当日或之前的最近一次成熟度评估 %s（%s）%s",
		[p.maturity.dimension, p.maturity.from, p.start, aid, a.date, score.zh],
	),
} if {
	aid := _baseline[id]
	a := lib.maturity_assessments[aid]
	score := _score_text(a, p.maturity.dimension)
}

_score_text(a, dimension) := {"en": sprintf("scores it %v", [a.scores[dimension]]), "zh": sprintf("对该维度的评分为 %v", [a.scores[dimension]])}

_score_text(a, dimension) := {"en": "does not score it", "zh": "未对该维度评分"} if not a.scores[dimension]

# METADATA
# title: Project maturity steps start from the assessed level and go up
# description: >-
#   Fires for each project with `maturity` when `maturity.to` ≤
#   `maturity.from`, or when the latest maturity assessment dated on or
#   before the project's `start` (latest `date`, the larger id on a tie;
#   today does not limit it) does not score `maturity.dimension` at exactly
#   `maturity.from`. When no assessment is dated on or before the start,
#   nothing supports the starting level and the check fires too; an
#   assessment that does not score the dimension fires as well. One finding
#   per project naming each reason. Evaluates projects with `maturity`
#   (needs a StrategyPolicy: without one the check is not_applicable).
# custom:
#   id: STR-008
#   title_zh: 项目成熟度以评估所得级别为起点并有所提升
#   severity: medium
#   waivable: true
#   resource: project
STR_008 := lib.check(rego.metadata.rule(), _matured, {v |
	some id, p in _matured
	m := p.maturity
	reasons := array.concat(
		[{
			"en": sprintf("plans %s from level %v to %v, which is no step up", [m.dimension, m.from, m.to]),
			"zh": sprintf("计划将 %s 从 %v 级变为 %v 级，未能提升", [m.dimension, m.from, m.to]),
		} |
			m.to <= m.from
		],
		[_baseline_gap(id, p) | not _baseline_holds(id, m)],
	)
	count(reasons) > 0
	v := lib.violation("project", id, {
		"en": sprintf("project %s %s", [id, concat("; ", [r.en | some r in reasons])]),
		"zh": sprintf("项目 %s %s", [id, concat("；", [r.zh | some r in reasons])]),
	})
})

# ---------------------------------------------------------------- STR-009

_pilot_phase := object.get(_policy, ["pilot", "phase"], null)

_max_pilots := object.get(_policy, ["pilot", "max_projects"], null)

# The pilot phase, when the policy sets both the phase and its limit.
_pilot := {_pilot_phase: _max_pilots} if {
	is_string(_pilot_phase)
	is_number(_max_pilots)
}

else := {}

# Projects of the pilot phase running today.
_pilots := {id | some id, p in lib.projects; p.phase == _pilot_phase; lib.running(p)}

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
#   severity: medium
#   waivable: true
#   resource: phase
STR_009 := lib.check_observed(
	rego.metadata.rule(), _pilot, {v |
		some phase, limit in _pilot
		count(_pilots) > limit
		v := lib.violation("phase", phase, {
			"en": sprintf(
				"phase %s has %d projects running (%s), more than pilot.max_projects %d",
				[phase, count(_pilots), lib.list_text(_pilots), limit],
			),
			"zh": sprintf(
				"阶段 %s 有 %d 个项目正在进行（%s），超过 pilot.max_projects 规定的 %d 个",
				[phase, count(_pilots), lib.list_text_zh(_pilots), limit],
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

# Systems that list at least one business domain, when the policy sets a limit.
_domained := {id: s | some id, s in lib.systems; count(object.get(s, "domains", [])) > 0} if is_number(_max_domains)

else := {}

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
#   severity: low
#   waivable: true
#   resource: system
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
