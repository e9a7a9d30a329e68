# Budget (BUD): handbook §1.3.2, allocation across technology, talent and
# operations with target shares per phase, and spend against budget lines.
# METADATA
# scope: package
# title: Budget
# custom:
#   domain:
#     id: budget
#     order: 2
#     title:
#       zh: 预算
#       en: Budget
package govern.checks.budget

import data.govern.lib

# Every rule here is evaluated when the engine collects the package, so none
# may call a builtin on the null of an absent policy (strict builtin errors).
_tolerance := object.get(_policy, "line_overspend_tolerance", 0)

# Subject sets and indexes here are complete rules (`x := {...}`): OPA
# evaluates those once per query, whereas a partial rule looked up by key (or
# tested with `in`) re-runs its body, a full scan per lookup.
_reallocated := {d.subject.id |
	some d in lib.decisions
	d.type == "budget_reallocation"
	d.subject.kind == "budget_line"
}

# METADATA
# title: Spend on a budget line stays within its amount plus tolerance
# description: >-
#   Fires for each budget line whose summed spend exceeds
#   amount × (1 + line_overspend_tolerance) when no decision of type
#   budget_reallocation names the line as its subject. Evaluates every
#   budget line (needs a BudgetPolicy).
# custom:
#   id: BUD-003
#   title_zh: 预算行支出不超过其金额与容差之和
#   description_zh: >-
#     预算行上的支出合计超过 金额 ×（1 + line_overspend_tolerance），且没有以该预算行为对象的预算调整（budget_reallocation）决策时报告发现。评估每个预算行（需要预算政策）。
#   severity: high
#   waivable: true
#   resource: budget_line
#   agenda: true
#   remediation: {zh: "由预算行负责人核对超支原因：更正误计入该预算行的支出，或暂停后续支出；确需追加的，提交以该预算行为 `subject` 的预算调整决策（`type: budget_reallocation`），按授权矩阵批准后登记到清单的 `decisions` 中。",
#                 en: "The budget line's owner reviews the overspend: correct spend booked to the wrong line or stop further spend; where more money is needed, obtain a budget reallocation decision (`type: budget_reallocation`) with this line as its `subject`, approved within the authority matrix and recorded in the inventory's `decisions`."}
BUD_003 := lib.check(rego.metadata.rule(), _lines, {v |
	some id, line in _lines
	spent := lib.spent_on(id)
	limit := line.amount * (1 + _tolerance)
	spent > limit
	not id in _reallocated
	v := lib.violation("budget_line", id, {
		"en": sprintf(
			"spend %s on %s exceeds %s × %v (limit %s) and no %s decision covers it",
			[lib.money(spent), id, lib.money(line.amount), 1 + _tolerance, lib.money(limit), lib.en(lib.names.decision_types, "budget_reallocation")],
		),
		"zh": sprintf(
			"预算行 %s 的支出 %s 超过 %s × %v（上限 %s），且没有%s类型的决策覆盖该预算行",
			[id, lib.money(spent), lib.money(line.amount), 1 + _tolerance, lib.money(limit), lib.zh(lib.names.decision_types, "budget_reallocation")],
		),
	})
})

default _lines := {}

_lines := lib.budget_lines if lib.budget_policy != null

# ---------------------------------------------------------------- shared

# Without a BudgetPolicy the policy-driven subject sets are empty, so those
# checks report not_applicable instead of a pass nobody measured.
_policy := lib.object_or_empty(lib.budget_policy)

# Shares are compared after rounding to 1e-9 so that decimal targets such as
# 0.3 (inexact in binary) do not fire a share sitting exactly on the bound.
_exact(x) := round(x * 1000000000) / 1000000000

# The sum of the budget lines `line_ids` among `lines` (lib.budget_lines).
_line_total(lines, line_ids) := sum([lines[l].amount | some l in line_ids])

# ---------------------------------------------------------------- BUD-001

_categories := {c | some c in object.get(_policy, "categories", [])}

# METADATA
# title: Budget lines use a known category and have an owner
# description: >-
#   Fires for each budget line whose `category` is not in
#   BudgetPolicy.categories, or that has no `owner`; one finding per line
#   naming every reason. Evaluates every budget line (needs a BudgetPolicy,
#   which defines the categories).
# custom:
#   id: BUD-001
#   title_zh: 预算行使用已定义的类别并有负责人
#   description_zh: >-
#     预算行的 `category` 不在 BudgetPolicy.categories 之中，或没有 `owner`（负责人）时报告发现；每个预算行一项发现，列出全部原因。评估每个预算行（需要定义类别的预算政策）。
#   severity: medium
#   waivable: true
#   resource: budget_line
#   remediation: {zh: "由项目负责人在清单中修正该预算行：将 `category` 改为预算政策 `categories` 中的类别，并在 `owner` 中填写对该预算行负责的人员 id。",
#                 en: "The project's owner corrects the budget line in the inventory: set `category` to one of the BudgetPolicy's `categories` and `owner` to the id of the person accountable for the line."}
BUD_001 := lib.check(rego.metadata.rule(), _lines, {v |
	some id, line in _lines
	reasons := array.concat(
		[_unknown_category(line.category, _policy.categories, lib.names.budget_categories) | not line.category in _categories],
		[{"en": "has no owner", "zh": "没有负责人"} | not line.owner],
	)
	count(reasons) > 0
	v := lib.violation("budget_line", id, {
		"en": sprintf(
			"budget line %s of project %s %s",
			[id, line.project, concat(" and ", [r.en | some r in reasons])],
		),
		"zh": sprintf(
			"项目 %s 的预算行 %s %s",
			[line.project, id, concat("，且", [r.zh | some r in reasons])],
		),
	})
})

# A reason is a pair {en, zh} written from the same values; `named` is the
# vocabulary's budget categories.
_unknown_category(category, categories, named) := {
	"en": sprintf("has category %s, not one of %s", [lib.en(named, category), lib.en_list(named, categories)]),
	"zh": sprintf("类别为%s，不属于%s中的任何一个", [lib.zh(named, category), lib.zh_list(named, categories)]),
}

# ---------------------------------------------------------------- BUD-002

# Phases that set at least one target share, by id.
_targeted := {ph.id: ph |
	some ph in object.get(_policy, "phases", [])
	count(object.get(ph, "target_share", {})) > 0
}

# Budget line ids per targeted phase. Grouped as in lib: distinct keys, then
# a comparison OPA indexes once.
_line_phase := {line_id: ph |
	some line_id, line in lib.budget_lines
	ph := lib.projects[line.project].phase
	_targeted[ph]
}

_phase_lines := {ph: line_ids |
	some ph in {ph | some ph in _line_phase}
	line_ids := {line_id | _line_phase[line_id] == ph}
}

# Targeted phases with at least one line and a positive total (shares of a
# zero total are undefined), mapped to that total.
_phase_totals := {ph: total |
	some ph, lines in _phase_lines
	total := sum([lib.budget_lines[l].amount | some l in lines])
	total > 0
}

# The amount of the budget lines `line_ids` among `lines` in `category`.
_category_amount(lines, line_ids, category) := sum([line.amount |
	some l in line_ids
	line := lines[l]
	line.category == category
])

_tolerance_pp := object.get(_policy, "tolerance_pp", 0)

# The one band test: a share is in band when it differs from its target by
# at most tolerance_pp percentage points, compared at 1e-9 precision.
_in_band(share, target, tolerance_pp) := _exact(abs(share - target) * 100) <= tolerance_pp

# BUD-002's reading of every targeted category of every phase it evaluates,
# in band or not: the result carries it, so the committee's chart draws what
# the check decided instead of deciding again. Built once per query; the
# violation below reads it too, so the two cannot disagree.
_observations := {ph: _observed(_targeted[ph].target_share, lib.budget_lines, _phase_lines[ph], total, _tolerance_pp) |
	some ph, total in _phase_totals
}

# Each targeted category's band over the phase's lines `line_ids` (of `lines`), whose amounts sum to `total`.
_observed(targets, lines, line_ids, total, tolerance_pp) := {category: _band(share, target, tolerance_pp) |
	some category, target in targets
	share := _category_amount(lines, line_ids, category) / total
}

# The band's edges are rounded like the test (0.6 + 0.1 is not exactly 0.7),
# so a chart draws them where the check puts them.
_band(share, target, tolerance_pp) := {
	"share": share,
	"target": target,
	"low": max([0, _exact(target - (tolerance_pp / 100))]),
	"high": min([1, _exact(target + (tolerance_pp / 100))]),
	"in_band": _in_band(share, target, tolerance_pp),
}

# METADATA
# title: Each phase allocates its budget close to the target shares
# description: >-
#   Fires for each BudgetPolicy phase with a `target_share` when, over all
#   budget lines of projects in that phase, some targeted category's share
#   of the total amount differs from its target by more than `tolerance_pp`
#   percentage points (exactly at the tolerance passes; compared at 1e-9
#   precision so decimal targets do not misfire). The resource is the phase
#   (kind `phase`, id = phase id); the message lists every category off
#   target. Evaluates targeted phases with at least one budget line and a
#   positive total.
# custom:
#   id: BUD-002
#   title_zh: 各阶段预算分配接近目标占比
#   description_zh: >-
#     对设有 `target_share` 的预算政策阶段，按该阶段各项目的全部预算行计算，任一设定目标的类别在总金额中的占比与其目标相差超过 `tolerance_pp` 个百分点时报告发现（恰好等于容差则通过；按 1e-9 精度比较，以免小数目标误报）。资源为该阶段（类型 `phase`，id 为阶段 id）；消息列出全部偏离目标的类别。评估至少有一个预算行且合计为正的设定目标的阶段。
#   severity: medium
#   waivable: true
#   resource: phase
#   observes: budget_bands
#   remediation: {zh: "由委员会审视该阶段各项目的预算行，在下一次预算分配时调整各类别的金额，使其占比回到 `target_share` 上下 `tolerance_pp` 个百分点以内；目标占比已不适用的，经委员会决策后修改预算政策中的 `target_share`。",
#                 en: "The committee reviews the budget lines of the phase's projects and rebalances the categories at the next allocation, so that each share is within `tolerance_pp` points of its `target_share`; if the targets no longer fit, it changes `target_share` in the BudgetPolicy by a decision."}
BUD_002 := lib.check_observed(rego.metadata.rule(), _phase_totals, _off_target, _observations)

# One violation per phase with a category out of band, read from the
# observations (so the finding and the chart agree).
_off_target := {v |
	some ph, total in _phase_totals
	off := [_off_band(category, o, _tolerance_pp, lib.names.budget_categories) |
		some category, o in _observations[ph]
		o.in_band == false
	]
	count(off) > 0
	v := lib.violation("phase", ph, {
		"en": sprintf(
			"%s allocates %s over %d budget lines off target: %s",
			[lib.en_called(lib.names.phases, ph, "phase"), lib.money(total), count(_phase_lines[ph]), concat("; ", [o.en | some o in off])],
		),
		"zh": sprintf(
			"%s在 %d 条预算行中分配 %s，偏离目标占比：%s",
			[lib.zh_called(lib.names.phases, ph, "阶段"), count(_phase_lines[ph]), lib.money(total), concat("；", [o.zh | some o in off])],
		),
	})
}

# `named` is the vocabulary's budget categories.
_off_band(category, o, tolerance_pp, named) := {
	"en": sprintf("%s %s (target %s ± %v pp)", [lib.en(named, category), lib.pct(o.share), lib.pct(o.target), tolerance_pp]),
	"zh": sprintf("%s占 %s（目标 %s ± %v 个百分点）", [lib.zh(named, category), lib.pct(o.share), lib.pct(o.target), tolerance_pp]),
}

# ---------------------------------------------------------------- BUD-004

# Projects under way (start < today < end) that have budget lines.
_under_way := {id: p |
	some id, p in lib.projects
	p.start < input.as_of
	input.as_of < p.end
	lib.lines_of[id]
}

# Spend dated on or before `as_of` on the budget lines `line_ids`, from
# `spend` grouped by line in `by_line` (lib.spend, lib.spend_by_line).
_spent_to_date(spend, by_line, line_ids, as_of) := sum([sp.amount |
	some l in line_ids
	some s in by_line[l]
	sp := spend[s]
	sp.date <= as_of
])

# METADATA
# title: Project spend rate stays within its budget
# description: >-
#   Fires for each project with start < as_of < end when spend to date (spend
#   on its lines dated on or before as_of) divided by the whole days elapsed
#   since `start`, times the project's whole days (`end - start`), exceeds the
#   sum of its budget lines (a projection exactly equal to the budget passes;
#   compared as spend × total days > budget × elapsed days, so no rounding is
#   involved). Evaluates projects under way that have budget lines.
# custom:
#   id: BUD-004
#   title_zh: 项目支出进度不超出预算
#   description_zh: >-
#     对 start < 评估基准日 < end 的项目，将截至评估基准日的支出（其预算行上日期不晚于评估基准日的支出）除以自 `start` 起已过的整天数，再乘以项目的总天数（`end - start`），结果超过其预算行合计时报告发现（推算值恰好等于预算则通过；按 支出 × 总天数 > 预算 × 已过天数 比较，不涉及舍入）。评估有预算行的在建项目。
#   severity: low
#   waivable: true
#   resource: project
#   remediation: {zh: "由项目负责人分析支出进度快于工期进度的原因，放缓或推迟后续支出；确需更多资金的，申请预算分配或预算调整决策，经批准后再增加该项目的预算行金额。",
#                 en: "The project's owner explains why spend runs ahead of the schedule and slows or defers further spend; where the project needs more money, they seek a budget allocation or reallocation decision and raise its budget lines once it is approved."}
BUD_004 := lib.check(rego.metadata.rule(), _under_way, {v |
	some id, p in _under_way
	spent := _spent_to_date(lib.spend, lib.spend_by_line, lib.lines_of[id], input.as_of)
	budget := _line_total(lib.budget_lines, lib.lines_of[id])
	elapsed := lib.days_since(p.start)
	days := lib.days_between(p.start, p.end)
	spent * days > budget * elapsed
	projected := lib.money(round((spent * days) / elapsed))
	v := lib.violation("project", id, {
		"en": sprintf(
			"project %s spent %s in %d of its %d days; at that rate it reaches %s by %s, above its budget lines' total %s",
			[id, lib.money(spent), elapsed, days, projected, p.end, lib.money(budget)],
		),
		"zh": sprintf(
			"项目 %s 在全部 %d 天中的前 %d 天支出 %s；按此速度，至 %s 将达到 %s，超过其预算行合计 %s",
			[id, days, elapsed, lib.money(spent), p.end, projected, lib.money(budget)],
		),
	})
})

# ---------------------------------------------------------------- BUD-005

default _portfolio := {}

_portfolio := {"spend": count(lib.spend)} if {
	_policy.id
	count(lib.spend) > 0
}

_required_tags := object.get(_policy, "required_cost_tags", [])

# A tag counts only with a non-empty value (an empty CSV cell is absent too).
_missing_tags(sp, required) := [k | some k in required; object.get(sp, ["tags", k], "") == ""]

# METADATA
# title: Spend carries the required cost tags
# description: >-
#   Fires for the portfolio (kind `portfolio`, id `spend`) when the amount of
#   spend whose `tags` hold a non-empty value for every `required_cost_tags`
#   key, divided by the total spend amount, is below `tag_compliance_min`
#   (exactly at the minimum passes; a zero total cannot be attributed and
#   does not fire). The message lists up to 10 untagged spend ids. Evaluates
#   the portfolio when there is spend (needs a BudgetPolicy).
# custom:
#   id: BUD-005
#   title_zh: 支出带有必需的成本标签
#   description_zh: >-
#     对项目组合（类型 `portfolio`，id `spend`）：`tags` 中每个 `required_cost_tags` 键都有非空值的支出金额占总支出金额的比例低于 `tag_compliance_min` 时报告发现（恰好等于下限则通过；总额为零时无从归属，不报告）。消息最多列出 10 个缺少标签的支出 id。有支出时评估项目组合（需要预算政策）。
#   severity: medium
#   waivable: true
#   resource: portfolio
#   portfolio:
#     id: spend
#     at: [budget_policy, required_cost_tags]
#   remediation: {zh: "由财务部门会同各预算行负责人为消息所列的支出补齐 `required_cost_tags` 规定的每个成本标签（支出记录的 `tags`），并在记账流程中将这些标签设为必填。",
#                 en: "Finance, with each budget line's owner, adds every tag of `required_cost_tags` to the spend the message lists (the spend record's `tags`) and makes those tags mandatory where spend is booked."}
BUD_005 := lib.check(rego.metadata.rule(), _portfolio, {v |
	_portfolio.spend
	total := sum([sp.amount | some sp in lib.spend])
	total != 0
	untagged := {id: missing | some id, sp in lib.spend; missing := _missing_tags(sp, _required_tags); count(missing) > 0}
	tagged := total - sum([lib.spend[id].amount | some id, _ in untagged])
	minimum := object.get(_policy, "tag_compliance_min", 0)
	_exact(tagged / total) < minimum
	note := _untagged_note(untagged)
	v := lib.violation("portfolio", rego.metadata.rule().custom.portfolio.id, {
		"en": sprintf(
			"spend carrying every required cost tag (%s) is %s of %s (%s), below the minimum %s; untagged: %s",
			[concat(", ", _required_tags), lib.money(tagged), lib.money(total), lib.pct(tagged / total), lib.pct(minimum), note.en],
		),
		"zh": sprintf(
			"带齐全部必需成本标签（%s）的支出为 %s，占总支出 %s 的 %s，低于最低要求 %s；缺少标签的支出：%s",
			[concat("、", _required_tags), lib.money(tagged), lib.money(total), lib.pct(tagged / total), lib.pct(minimum), note.zh],
		),
	})
})

# The first ten untagged spend ids with the tags each lacks, in both languages.
_untagged_note(untagged) := {
	"en": concat(", ", array.concat(shown_en, more_en)),
	"zh": concat("，", array.concat(shown_zh, more_zh)),
} if {
	ids := sort(object.keys(untagged))
	shown := array.slice(ids, 0, 10)
	shown_en := [sprintf("%s (%s)", [id, concat(", ", untagged[id])]) | some id in shown]
	shown_zh := [sprintf("%s（缺少 %s）", [id, concat("、", untagged[id])]) | some id in shown]
	more_en := [sprintf("and %d more", [count(ids) - 10]) | count(ids) > 10]
	more_zh := [sprintf("另有 %d 笔", [count(ids) - 10]) | count(ids) > 10]
}

# ---------------------------------------------------------------- BUD-006

_phases := {ph.id: ph | some ph in object.get(_policy, "phases", [])}

# Projects running today (start <= as_of <= end) whose phase the policy defines.
_phased := {id: p |
	some id, p in lib.projects
	_phases[p.phase]
	lib.running(p, input.as_of)
}

# Month 1 is the month of `start`; whole calendar months (the METADATA below).
_month_number(start, as_of_ns) := month if {
	[year, month_of_year, _] := time.date(as_of_ns)
	[start_year, start_month, _] := time.date(lib.date_ns(start))
	month := ((((year - start_year) * 12) + month_of_year) - start_month) + 1
}

# METADATA
# title: Projects are in the phase their age implies
# description: >-
#   Fires for each running project (start ≤ as_of ≤ end, both days
#   included) whose `phase` months range [from, to] (inclusive) does not
#   contain its month number today, where month 1 is the month of `start`
#   and month = (today.year - start.year) × 12 + today.month -
#   start.month + 1 (whole calendar months). Evaluates only running projects whose
#   `phase` is a BudgetPolicy phase: a project not yet started or already
#   ended has no current month and is not evaluated, nor is a project
#   without a phase (needs a BudgetPolicy).
# custom:
#   id: BUD-006
#   title_zh: 项目所处阶段与其启动以来的月数相符
#   description_zh: >-
#     对在建项目（start ≤ 评估基准日 ≤ end，两端均含），其 `phase` 的月份范围 [from, to]（含两端）不包含其当前月序号时报告发现；`start` 所在月为第 1 个月，月序号 =（今年 - 启动年）× 12 + 本月 - 启动月 + 1（按整自然月计）。只评估 `phase` 为预算政策阶段的在建项目：尚未启动或已结束的项目没有当前月序号，不评估，没有阶段的项目也不评估（需要预算政策）。
#   severity: low
#   waivable: true
#   resource: project
#   remediation: {zh: "由项目负责人将项目的 `phase` 改为其当前月份所在的阶段（见预算政策 `phases` 的 `months`）；项目确应停留在原阶段的，由委员会决策调整项目的起止日期或阶段划分。",
#                 en: "The project's owner sets its `phase` to the phase whose `months` contain the project's current month (BudgetPolicy `phases`); if it should stay where it is, the committee decides on its dates or on the phase plan instead."}
BUD_006 := lib.check(rego.metadata.rule(), _phased, {v |
	some id, p in _phased
	month := _month_number(p.start, lib.as_of_ns)
	range := _phases[p.phase].months
	not _between(month, range)
	v := lib.violation("project", id, {
		"en": sprintf(
			"project %s is in month %d since its start on %s, outside %s (months %d–%d)",
			[id, month, p.start, lib.en_called(lib.names.phases, p.phase, "phase"), range[0], range[1]],
		),
		"zh": sprintf(
			"项目 %s 自 %s 启动，目前处于第 %d 个月，不在%s的月份范围（第 %d–%d 个月）内",
			[id, p.start, month, lib.zh_called(lib.names.phases, p.phase, "阶段"), range[0], range[1]],
		),
	})
})

_between(n, range) if {
	range[0] <= n
	n <= range[1]
}

# ---------------------------------------------------------------- BUD-007

# budget_allocation decisions with an amount, per project they allocate to.
_allocated_project := {id: d.subject.id |
	some id, d in lib.decisions
	d.type == "budget_allocation"
	d.subject.kind == "project"
	is_number(d.amount)
}

_allocations := {project_id: ids |
	some project_id in {p | some p in _allocated_project}
	ids := {id | _allocated_project[id] == project_id}
}

# METADATA
# title: Each project's budget lines are covered by an allocation decision
# description: >-
#   Fires for each project with budget lines when no single decision of type
#   `budget_allocation` whose `subject` is the project has `amount` ≥ the sum
#   of its lines (several smaller decisions are not added up; a decision
#   without an amount covers nothing). Evaluates projects with budget lines.
# custom:
#   id: BUD-007
#   title_zh: 各项目预算行均有预算分配决策覆盖
#   description_zh: >-
#     项目有预算行，但没有任何一项以该项目为 `subject`、`amount` 不低于其预算行合计的预算分配（budget_allocation）决策时报告发现（多项较小的决策不累加；没有金额的决策不覆盖任何预算）。评估有预算行的项目。
#   severity: high
#   waivable: true
#   resource: project
#   agenda: true
#   remediation: {zh: "由项目负责人申请一项以该项目为 `subject`、`amount` 不低于其全部预算行之和的预算分配决策（`type: budget_allocation`），经授权矩阵规定的批准人或委员会批准后登记到清单的 `decisions` 中；或将预算行削减到已批准的金额以内。",
#                 en: "The project's owner obtains one budget allocation decision (`type: budget_allocation`) with the project as its `subject` and an `amount` at least the sum of its budget lines, approved within the authority matrix or by the committee and recorded in the inventory's `decisions`; or cuts the lines to what was approved."}
BUD_007 := lib.check(rego.metadata.rule(), lib.lines_of, {v |
	some id, _ in lib.lines_of
	total := _line_total(lib.budget_lines, lib.lines_of[id])
	not _allocated(lib.decisions, object.get(_allocations, id, set()), total)
	note := _allocation_note(lib.decisions, object.get(_allocations, id, set()), lib.names.decision_types)
	v := lib.violation("project", id, {
		"en": sprintf("project %s has budget lines totalling %s but %s", [id, lib.money(total), note.en]),
		"zh": sprintf("项目 %s 的预算行合计 %s，但%s", [id, lib.money(total), note.zh]),
	})
})

# `allocations`: the ids of the project's budget_allocation decisions with an
# amount (_allocations), among `decisions` (lib.decisions).
_allocated(decisions, allocations, total) if {
	some d in allocations
	decisions[d].amount >= total
}

# `named` is the vocabulary's decision types.
_allocation_note(_, allocations, named) := {
	"en": sprintf("no %s decision names it", [lib.en(named, "budget_allocation")]),
	"zh": sprintf("没有以其为对象的%s类型决策", [lib.zh(named, "budget_allocation")]),
} if count(allocations) == 0

_allocation_note(decisions, allocations, named) := {
	"en": sprintf("its largest %s decision, %s, is %s", [lib.en(named, "budget_allocation"), best, lib.money(amount)]),
	"zh": sprintf("其金额最大的%s类型决策 %s 仅为 %s", [lib.zh(named, "budget_allocation"), best, lib.money(amount)]),
} if {
	count(allocations) > 0
	amount := max({decisions[d].amount | some d in allocations})
	best := min({d | some d in allocations; decisions[d].amount == amount})
}
