# Diagnosis (DIA), the chain behind the maps: a root cause behind each pain
# point, a live project removing each root cause, benchmark studies of
# leading peers, and technologies with a problem or goal behind them. The
# domain, the policy bindings and the helpers these checks share are in
# diagnosis.rego.
package govern.checks.diagnosis

import data.govern.lib

default _root_causes := {}

_root_causes := lib.root_causes if _active

# ---------------------------------------------------------------- DIA-005

# METADATA
# title: Pain points are traced to a root cause
# description: >-
#   Fires for each pain point with no `root_causes` (absent or an empty
#   list). Evaluates every pain point (needs a StrategyPolicy with a
#   `diagnosis` section: without one the check is not_applicable).
# custom:
#   id: DIA-005
#   title_zh: 痛点已追溯到根因
#   description_zh: >-
#     痛点没有 `root_causes`（缺省或为空列表）时报告发现。评估每个痛点（需要含 `diagnosis` 部分的战略政策：没有时本检查为不适用）。
#   severity: medium
#   waivable: true
#   resource: pain_point
#   observes: unrooted_pain_points
#   remediation:
#     zh: 用鱼骨图或 5 Why 分析找出该痛点的根因，登记到 `root_causes`，并在痛点的 `root_causes` 中引用。
#     en: Find the pain point's root cause by fishbone or 5 Whys, record it in `root_causes`, and name it in the pain point's `root_causes`.
DIA_005 := lib.check(rego.metadata.rule(), _pain_points, {v |
	some id, pp in _pain_points
	count(object.get(pp, "root_causes", [])) == 0
	v := lib.violation("pain_point", id, {
		"en": sprintf("pain point %s on value stream %s names no root cause", [id, _stream_en(lib.value_streams[pp.value_stream], pp.value_stream)]),
		"zh": sprintf("价值流 %s 上的痛点 %s 未追溯到根因", [_stream_zh(lib.value_streams[pp.value_stream], pp.value_stream), id]),
	})
})

# ---------------------------------------------------------------- DIA-006

# [root cause id, project id] for every root cause a project lists
_removals := [[rc, p_id] |
	some p_id, p in lib.projects
	some rc in object.get(p, "root_causes", [])
]

# root cause id -> ids of the projects that list it (grouped as lib.held_by is)
_removed_by := {rc: p_ids |
	some rc in {r[0] | some r in _removals}
	p_ids := {r[1] | some r in _removals; r[0] == rc}
}

# A project is live when it is running or yet to start: its end is today or later.
_live(p, as_of) if p.end >= as_of

# A root cause as the messages name it: its id and its category's name
# ("rc-x (missing data standards)"); `named` is lib.names.root_cause_categories.
_cause_en(rc, id, named) := sprintf("%s (%s)", [id, lib.en(named, rc.category)])

_cause_zh(rc, id, named) := sprintf("%s（%s）", [id, lib.zh(named, rc.category)])

# Why root cause `rc` (of id `id`) fires: `ids` are the projects that list it
# (none live), looked up in `projects` (lib.projects) with their end before
# `as_of`; `named` as for _cause_en.
_no_remover(rc, id, ids, _, _, named) := {
	"en": sprintf("no project lists root cause %s in its root_causes", [_cause_en(rc, id, named)]),
	"zh": sprintf("没有项目在 root_causes 中列出根因 %s", [_cause_zh(rc, id, named)]),
} if count(ids) == 0

_no_remover(rc, id, ids, projects, as_of, named) := {
	"en": sprintf("root cause %s is listed only by projects that ended before %s: %s", [
		_cause_en(rc, id, named), as_of, ended,
	]),
	"zh": sprintf("列出根因 %s 的项目均已在评估基准日 %s 之前结束：%s", [
		_cause_zh(rc, id, named), as_of, ended_zh,
	]),
} if {
	count(ids) > 0
	ended := lib.list_text([sprintf("%s (ended %s)", [p, projects[p].end]) | some p in ids])
	ended_zh := lib.list_text_zh([sprintf("%s（%s 结束）", [p, projects[p].end]) | some p in ids])
}

# root cause id -> the ids of the live projects removing it, sorted: what the check counts, and what the
# diagnosis section of the reports shows beside each removing project (its observations).
_live_removers := {id: sort({p | some p in object.get(_removed_by, id, set()); _live(lib.projects[p], input.as_of)}) |
	some id, _ in _root_causes
}

# METADATA
# title: Every root cause is removed by a live project
# description: >-
#   Fires for each root cause that no project lists in its `root_causes`
#   while running or yet to start (the project's `end` is today or later;
#   a project ending today counts, one that ended yesterday does not). The
#   message names the ended projects that listed it, if any. Evaluates
#   every root cause (needs a StrategyPolicy with a `diagnosis` section:
#   without one the check is not_applicable).
# custom:
#   id: DIA-006
#   title_zh: 每个根因都有在建或待启动的项目消除
#   description_zh: >-
#     没有项目在 `root_causes` 中列出该根因且在建或尚未启动（项目的 `end` 不早于今天；今天结束的项目计入，昨天已结束的不计入）时报告发现。消息列出曾列出它但已结束的项目（如有）。评估每个根因（需要含 `diagnosis` 部分的战略政策：没有时本检查为不适用）。
#   severity: medium
#   waivable: true
#   resource: root_cause
#   observes: root_cause_removal
#   remediation:
#     zh: 立项或调整在建项目以消除该根因，并在项目的 `root_causes` 中列出它；确已消除的根因应从诊断中移除。
#     en: Start a project, or extend a running one, that removes the root cause and list it in the project's `root_causes`; remove a cause that is gone from the diagnosis.
DIA_006 := lib.check_observed(
	rego.metadata.rule(), _root_causes, {v |
		some id, rc in _root_causes
		listed := object.get(_removed_by, id, set())
		count(_live_removers[id]) == 0
		v := lib.violation("root_cause", id, _no_remover(rc, id, listed, lib.projects, input.as_of, lib.names.root_cause_categories))
	},
	_live_removers,
)

# ---------------------------------------------------------------- DIA-007

_benchmark_interval := object.get(_diagnosis, "benchmark_interval_days", null)

default _portfolio := {}

_portfolio := {"benchmark": count(lib.benchmarks)} if _active

# [studied_at, id] of every benchmark; the latest is the largest pair.
_studies := {[b.studied_at, id] | some id, b in lib.benchmarks}

_no_recent_benchmark := {
	"en": "no benchmark study of a leading peer is recorded",
	"zh": "尚无行业领先企业的对标研究",
} if count(_studies) == 0

_no_recent_benchmark := {
	"en": sprintf(
		"the latest benchmark study, %s of %s, is %d days old, more than benchmark_interval_days %d",
		[latest[1], latest[0], lib.days_since(latest[0]), _benchmark_interval],
	),
	"zh": sprintf(
		"最近一次对标研究 %s（%s）距评估基准日已 %d 天，超过 benchmark_interval_days 规定的 %d 天",
		[latest[1], latest[0], lib.days_since(latest[0]), _benchmark_interval],
	),
} if {
	count(_studies) > 0
	latest := max(_studies)
	not lib.within_days(latest[0], _benchmark_interval)
}

# METADATA
# title: Leading peers are benchmarked at the planned interval
# description: >-
#   Fires for the portfolio (kind `portfolio`, id `benchmark`) when no
#   benchmark has `studied_at` within `diagnosis.benchmark_interval_days`
#   (as_of - studied_at ≤ N passes, so a study exactly N days old passes),
#   or there is no benchmark at all. Evaluates the portfolio whenever the
#   StrategyPolicy has a `diagnosis` section (without one the check is
#   not_applicable); the finding's location is the StrategyPolicy.
# custom:
#   id: DIA-007
#   title_zh: 按计划周期开展行业对标
#   description_zh: >-
#     对项目组合（类型 `portfolio`，id `benchmark`）：没有任何对标研究的 `studied_at` 在 `diagnosis.benchmark_interval_days` 之内（评估基准日 - studied_at ≤ N 则通过，恰好 N 天的研究通过），或根本没有对标研究时报告发现。只要战略政策含 `diagnosis` 部分就评估项目组合（没有时本检查为不适用）；发现的位置为战略政策。
#   severity: low
#   waivable: true
#   resource: portfolio
#   portfolio:
#     id: benchmark
#     at: [strategy_policy]
#   remediation:
#     zh: 对行业领先企业开展新的对标研究，记录到 `benchmarks`（对象、实践、研究日期），并注明采纳该实践的项目。
#     en: Study a leading peer again and record it in `benchmarks` (peer, practice, date), with the projects adopting the practice.
DIA_007 := lib.check(rego.metadata.rule(), _portfolio, {v |
	_portfolio.benchmark
	v := lib.violation("portfolio", rego.metadata.rule().custom.portfolio.id, _no_recent_benchmark)
})

# ---------------------------------------------------------------- DIA-008

default _technology_projects := {}

_technology_projects := {id: p |
	some id, p in lib.projects
	lib.running(p, input.as_of)
	count(object.get(p, "technologies", [])) > 0
} if _active

# A project's owner after its id, by name: " (owner 李娜 (p-cto))", or nothing without one.
default _owner_en(_, _) := ""

_owner_en(p, persons) := sprintf(" (owner %s)", [lib.person_en(persons, p.owner)]) if p.owner

default _owner_zh(_, _) := ""

_owner_zh(p, persons) := sprintf("（负责人 %s）", [lib.person_zh(persons, p.owner)]) if p.owner

# METADATA
# title: Technology projects solve a diagnosed problem or serve a goal
# description: >-
#   Fires for each running project (start ≤ today ≤ end) that lists
#   `technologies` and has neither `root_causes` nor `serves` (absent or
#   empty): a technology with no problem or goal behind it (handbook
#   §1.1.2). Evaluates running projects that list technologies (needs a
#   StrategyPolicy with a `diagnosis` section: without one the check is
#   not_applicable).
# custom:
#   id: DIA-008
#   title_zh: 技术项目有待解决的问题或承接的目标
#   description_zh: >-
#     在建项目（start ≤ 今天 ≤ end）列出了 `technologies`，却既没有 `root_causes` 也没有 `serves`（缺省或为空）时报告发现：技术背后没有要解决的问题或要达成的目标（手册 §1.1.2）。评估列出技术的在建项目（需要含 `diagnosis` 部分的战略政策：没有时本检查为不适用）。
#   severity: low
#   waivable: true
#   resource: project
#   remediation:
#     zh: 在 `root_causes` 中写明项目消除的根因，或在 `serves` 中写明它承接的目标；两者皆无的技术应重新评估是否立项。
#     en: Name the root causes the project removes in `root_causes`, or the goals it delivers in `serves`; reconsider a technology that has neither.
DIA_008 := lib.check(rego.metadata.rule(), _technology_projects, {v |
	some id, p in _technology_projects
	count(object.get(p, "root_causes", [])) == 0
	count(object.get(p, "serves", [])) == 0
	v := lib.violation("project", id, {
		"en": sprintf("running project %s%s brings in %s with no root cause to remove and no goal to serve", [
			id, _owner_en(p, lib.people), lib.list_text(p.technologies),
		]),
		"zh": sprintf("在建项目 %s%s 引入 %s，却没有要消除的根因，也没有承接的目标", [
			id, _owner_zh(p, lib.people), lib.list_text_zh(p.technologies),
		]),
	})
})
