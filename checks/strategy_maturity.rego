# Strategy and planning (STR): digital maturity, assessed and stepped up. The
# domain, the policy bindings and the helpers these checks share are in strategy.rego.
package govern.checks.strategy

import data.govern.lib

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
#   description_zh: >-
#     对项目组合（类型 `portfolio`，id `maturity`）：没有日期不晚于今天（评估基准日）的成熟度评估，或最近一次此类评估（`date` 最晚者，同日取 id 较大者）不在 `maturity.assessment_interval_days` 之内时报告发现（评估基准日 - 日期 ≤ N 则通过，恰好 N 天的评估通过）。日期晚于今天的评估不计入。政策未设周期时只有缺少评估才报告发现。只要有战略政策就评估项目组合（没有时本检查为不适用）；发现的位置为战略政策。
#   severity: high
#   waivable: true
#   resource: portfolio
#   portfolio:
#     id: maturity
#     at: [strategy_policy]
#   remediation: {zh: "由委员会指定评估人开展数字化成熟度评估（手册 §1.1.1：四个维度，1–5 级），在清单的 `maturity_assessments` 中登记日期、评估人与各维度得分，此后按 `maturity.assessment_interval_days` 定期评估。",
#                 en: "The committee has an assessor diagnose digital maturity (handbook §1.1.1: four dimensions, levels 1–5) and record it in the inventory's `maturity_assessments` with its date, assessor and scores, then repeat it within `maturity.assessment_interval_days`."}
STR_006 := lib.check(rego.metadata.rule(), _portfolio, {v |
	_portfolio.maturity
	v := lib.violation("portfolio", rego.metadata.rule().custom.portfolio.id, _overdue)
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
#   description_zh: >-
#     成熟度评估的 `scores` 缺少 `maturity.dimensions`（政策未列出时为默认的四个维度）中的某个维度时报告发现；消息列出缺少的维度。其他维度的评分本检查不作判断。评估每次成熟度评估（需要战略政策：没有时本检查为不适用）。
#   severity: medium
#   waivable: true
#   resource: maturity_assessment
#   remediation: {zh: "由评估人为该成熟度评估补齐消息所列维度的得分（`scores` 中 1–5 的整数级别）。",
#                 en: "The assessor adds a score for each dimension the message lists (a whole level 1–5 under `scores`)."}
STR_007 := lib.check(rego.metadata.rule(), _assessments, {v |
	some id, a in _assessments
	missing := [d | some d in _dimensions; object.get(a, ["scores", d], null) == null]
	count(missing) > 0
	v := lib.violation("maturity_assessment", id, {
		"en": sprintf("maturity assessment %s of %s does not score %s", [id, a.date, lib.en_list(lib.names.dimensions, missing)]),
		"zh": sprintf("成熟度评估 %s（%s）未对以下维度评分：%s", [id, a.date, lib.zh_list(lib.names.dimensions, missing)]),
	})
})

# ---------------------------------------------------------------- STR-008

default _matured := {}

_matured := {id: p | some id, p in lib.projects; p.maturity} if _active

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

# `baseline`: each project's baseline assessment id (_baseline); `assessments`
# the maturity assessments by id.
_baseline_holds(baseline, assessments, id, m) if assessments[baseline[id]].scores[m.dimension] == m.from

# `named` is the vocabulary's dimensions.
_baseline_gap(baseline, _, id, p, named) := {
	"en": sprintf(
		"starts %s at level %v but no maturity assessment is dated on or before its start %s",
		[lib.en(named, p.maturity.dimension), p.maturity.from, p.start],
	),
	"zh": sprintf(
		"以%s的 %v 级为起点，但在其开始日期 %s 当日或之前没有任何成熟度评估",
		[lib.zh(named, p.maturity.dimension), p.maturity.from, p.start],
	),
} if not baseline[id]

_baseline_gap(baseline, assessments, id, p, named) := {
	"en": sprintf(
		"starts %s at level %v but %s (%s), the latest maturity assessment on or before its start %s, %s",
		[lib.en(named, p.maturity.dimension), p.maturity.from, aid, a.date, p.start, score.en],
	),
	"zh": sprintf(
		"以%s的 %v 级为起点，但在其开始日期 %s 当日或之前的最近一次成熟度评估 %s（%s）%s",
		[lib.zh(named, p.maturity.dimension), p.maturity.from, p.start, aid, a.date, score.zh],
	),
} if {
	aid := baseline[id]
	a := assessments[aid]
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
#   description_zh: >-
#     项目有 `maturity`，而 `maturity.to` ≤ `maturity.from`，或日期不晚于项目 `start` 的最近一次成熟度评估（`date` 最晚者，同日取 id 较大者；不受评估基准日限制）对 `maturity.dimension` 的评分不恰好等于 `maturity.from` 时报告发现。项目启动前没有任何评估时，起点级别无据可依，同样报告发现；评估未对该维度评分时也报告发现。每个项目一项发现，列出各项原因。评估有 `maturity` 的项目（需要战略政策：没有时本检查为不适用）。
#   severity: medium
#   waivable: true
#   resource: project
#   remediation: {zh: "由项目负责人将 `maturity.from` 改为项目启动前最近一次成熟度评估对该维度的得分，并使 `maturity.to` 高于它；启动前没有评估或评估未对该维度评分的，先补做评估。",
#                 en: "The project's owner sets `maturity.from` to the score its dimension got in the latest assessment before the project's start, and `maturity.to` above it; where no assessment before the start scores that dimension, one is needed first."}
STR_008 := lib.check(rego.metadata.rule(), _matured, {v |
	some id, p in _matured
	m := p.maturity
	reasons := array.concat(
		[{
			"en": sprintf("plans %s from level %v to %v, which is no step up", [lib.en(lib.names.dimensions, m.dimension), m.from, m.to]),
			"zh": sprintf("计划将%s从 %v 级变为 %v 级，未能提升", [lib.zh(lib.names.dimensions, m.dimension), m.from, m.to]),
		} |
			m.to <= m.from
		],
		[_baseline_gap(_baseline, lib.maturity_assessments, id, p, lib.names.dimensions) |
			not _baseline_holds(_baseline, lib.maturity_assessments, id, m)
		],
	)
	count(reasons) > 0
	v := lib.violation("project", id, {
		"en": sprintf("project %s %s", [id, concat("; ", [r.en | some r in reasons])]),
		"zh": sprintf("项目 %s %s", [id, concat("；", [r.zh | some r in reasons])]),
	})
})
