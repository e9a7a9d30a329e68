# Diagnosis (DIA): handbook §1.1. The core processes mapped as value streams
# by a cross-functional team (§1.1.1 step 1), a pain point on each manual
# hand-off, a root cause behind each pain point (step 3) and a live project
# removing each root cause, benchmark studies of leading peers, and
# technologies fitted to a problem or a goal rather than bought for their
# own sake (§1.1.2). The maps' checks are here (DIA-001..004), with the
# domain and the policy bindings; the chain behind them (DIA-005..008) is in
# diagnosis_causes.rego.
# METADATA
# scope: package
# title: Diagnosis
# custom:
#   domain:
#     id: diagnosis
#     order: 8
#     title:
#       zh: 现状诊断
#       en: Diagnosis
package govern.checks.diagnosis

import data.govern.lib

# Every DIA check evaluates nothing without a StrategyPolicy that has a
# `diagnosis` section: the subject sets below are empty then, so each check
# reports not_applicable. Fields are read through the object binding
# (object.get on the null of an absent policy is an error).
_policy := lib.object_or_empty(lib.strategy)

_settings := object.get(_policy, "diagnosis", null)

_active if is_object(_settings)

_diagnosis := lib.object_or_empty(_settings)

default _streams := {}

_streams := lib.value_streams if _active

default _pain_points := {}

_pain_points := lib.pain_points if _active

# A value stream as the messages name it: its name with its id where it has a
# name ("线上订单履约（vs-order）", "Online orders (vs-order)"), else its id.
_stream_zh(vs, id) := sprintf("%s（%s）", [vs.name, id]) if is_string(vs.name)

_stream_zh(vs, id) := id if not is_string(object.get(vs, "name", null))

_stream_en(vs, id) := sprintf("%s (%s)", [vs.name, id]) if is_string(vs.name)

_stream_en(vs, id) := id if not is_string(object.get(vs, "name", null))

# A term's Chinese word (lib.terms, the vocabulary's terms), or its key.
_term_zh(terms, key) := object.get(terms, [key, "zh"], key)

# ---------------------------------------------------------------- DIA-001

_core := {id: vs | some id, vs in _streams; vs.core == true}

_map_interval := object.get(_diagnosis, "map_interval_days", null)

_unmapped(vs, _, persons) := {
	"en": sprintf("core value stream %s, owned by %s, has never been mapped: it has no mapped_at", [
		_stream_en(vs, vs.id),
		lib.person_en(persons, vs.owner),
	]),
	"zh": sprintf("核心价值流 %s 从未绘制价值流图（没有 mapped_at）；负责人 %s", [
		_stream_zh(vs, vs.id),
		lib.person_zh(persons, vs.owner),
	]),
} if not vs.mapped_at

_unmapped(vs, interval, persons) := {
	"en": sprintf("core value stream %s, owned by %s, was last mapped on %s, %d days ago, more than map_interval_days %d", [
		_stream_en(vs, vs.id),
		lib.person_en(persons, vs.owner),
		vs.mapped_at,
		lib.days_since(vs.mapped_at),
		interval,
	]),
	"zh": sprintf("核心价值流 %s 最近一次于 %s 绘制价值流图，距评估基准日已 %d 天，超过 map_interval_days 规定的 %d 天；负责人 %s", [
		_stream_zh(vs, vs.id),
		vs.mapped_at,
		lib.days_since(vs.mapped_at),
		interval,
		lib.person_zh(persons, vs.owner),
	]),
} if {
	vs.mapped_at
	not lib.within_days(vs.mapped_at, interval)
}

# METADATA
# title: Core value streams are mapped at the planned interval
# description: >-
#   Fires for each value stream with `core: true` that has no `mapped_at`,
#   or whose `mapped_at` is not within `diagnosis.map_interval_days`
#   (as_of - mapped_at ≤ N passes, so a map exactly N days old passes).
#   Evaluates every core value stream (needs a StrategyPolicy with a
#   `diagnosis` section: without one the check is not_applicable).
# custom:
#   id: DIA-001
#   title_zh: 核心业务流程按计划周期绘制价值流图
#   description_zh: >-
#     `core: true` 的价值流没有 `mapped_at`，或其 `mapped_at` 不在 `diagnosis.map_interval_days` 之内时报告发现（评估基准日 - mapped_at ≤ N 则通过，恰好 N 天的价值流图通过）。评估每个核心价值流（需要含 `diagnosis` 部分的战略政策：没有时本检查为不适用）。
#   severity: medium
#   waivable: true
#   resource: value_stream
#   remediation:
#     zh: 由业务、技术、运营组成的跨部门团队重新绘制该价值流图（每个节点的输入、输出、负责人和耗时），并更新 `mapped_at`。
#     en: Have a cross-functional team (business, technology, operations) map the stream again, with each step's inputs, outputs, owner and time, and update `mapped_at`.
DIA_001 := lib.check(rego.metadata.rule(), _core, {v |
	some id, vs in _core
	message := _unmapped(vs, _map_interval, lib.people)
	v := lib.violation("value_stream", id, message)
})

# ---------------------------------------------------------------- DIA-002

# What a step must say, in the order messages name them: the field, and the
# vocabulary's term for it.
_step_fields := [["owner", "owner"], ["inputs", "step_inputs"], ["outputs", "step_outputs"], ["minutes", "step_minutes"]]

# A field is lacking when it is absent, null or an empty list.
_lacking(step, field) if object.get(step, field, null) in {null, []}

# [field, term] of each field `step` lacks.
_step_gaps(step, fields) := [f | some f in fields; _lacking(step, f[0])]

# Each step that lacks something, in the stream's order: {id, gaps}.
_incomplete_steps(vs, fields) := [{"id": step.id, "gaps": gaps} |
	some step in vs.steps
	gaps := _step_gaps(step, fields)
	count(gaps) > 0
]

_step_gaps_en(s) := sprintf("step %s lacks %s", [s.id, concat(", ", [g[0] | some g in s.gaps])])

_step_gaps_zh(s, terms) := sprintf("步骤 %s 缺少%s", [s.id, concat("、", [_term_zh(terms, g[1]) | some g in s.gaps])])

# METADATA
# title: Value stream maps are complete
# description: >-
#   Fires for each value stream some step of which lacks `owner`, `inputs`,
#   `outputs` or `minutes` (absent, null, or an empty list counts as
#   lacking; `minutes: 0` is given). One finding per stream; the message
#   names each such step, in the stream's order, and what it lacks.
#   Evaluates every value stream (needs a StrategyPolicy with a `diagnosis`
#   section: without one the check is not_applicable).
# custom:
#   id: DIA-002
#   title_zh: 价值流图完整（每个步骤有负责人、输入、输出和耗时）
#   description_zh: >-
#     价值流的某个步骤缺少 `owner`、`inputs`、`outputs` 或 `minutes`（缺省、为 null 或为空列表均视为缺少；`minutes: 0` 视为已给出）时报告发现。每个价值流一项发现，消息按价值流中的顺序列出每个这样的步骤及其缺少的内容。评估每个价值流（需要含 `diagnosis` 部分的战略政策：没有时本检查为不适用）。
#   severity: low
#   waivable: true
#   resource: value_stream
#   remediation:
#     zh: 为所列步骤补充负责人、输入、输出和平均耗时（分钟），使价值流图能度量每个节点。
#     en: Give each step named its owner, inputs, outputs and average minutes, so the map measures every node.
DIA_002 := lib.check(rego.metadata.rule(), _streams, {v |
	some id, vs in _streams
	steps := _incomplete_steps(vs, _step_fields)
	count(steps) > 0
	v := lib.violation("value_stream", id, {
		"en": sprintf("value stream %s has incomplete steps: %s", [_stream_en(vs, id), concat("; ", [_step_gaps_en(s) | some s in steps])]),
		"zh": sprintf("价值流 %s 的步骤信息不全：%s", [_stream_zh(vs, id), concat("；", [_step_gaps_zh(s, lib.terms) | some s in steps])]),
	})
})

# ---------------------------------------------------------------- DIA-003

_mapped := {id: vs | some id, vs in _streams; vs.mapped_at}

# The team's functions, in the order messages name them: the field, and the
# vocabulary's term for it.
_functions := [["business", "business_function"], ["technology", "technology_function"], ["operations", "operations_function"]]

_missing_functions(vs, functions) := [f | some f in functions; not vs.team[f[0]]]

# METADATA
# title: Value streams are mapped by a cross-functional team
# description: >-
#   Fires for each value stream that has `mapped_at` when its `team` lacks
#   one of `business`, `technology`, `operations` (a stream with no `team`
#   lacks all three); the message names each missing function. Evaluates
#   value streams that have `mapped_at` (needs a StrategyPolicy with a
#   `diagnosis` section: without one the check is not_applicable).
# custom:
#   id: DIA-003
#   title_zh: 价值流图由业务、技术、运营跨部门团队绘制
#   description_zh: >-
#     有 `mapped_at` 的价值流，其 `team` 缺少 `business`、`technology`、`operations` 之一时报告发现（没有 `team` 的价值流三者皆缺）；消息列出缺少的每个职能。评估有 `mapped_at` 的价值流（需要含 `diagnosis` 部分的战略政策：没有时本检查为不适用）。
#   severity: low
#   waivable: true
#   resource: value_stream
#   remediation:
#     zh: 请缺少的职能派人参与评审或重新绘制该价值流图，并在 `team` 中记录其人员 id。
#     en: Have the missing function review or redraw the map, and record its person id in `team`.
DIA_003 := lib.check(rego.metadata.rule(), _mapped, {v |
	some id, vs in _mapped
	missing := _missing_functions(vs, _functions)
	count(missing) > 0
	v := lib.violation("value_stream", id, {
		"en": sprintf("value stream %s was mapped on %s by a team without %s", [
			_stream_en(vs, id), vs.mapped_at,
			concat(", ", [f[0] | some f in missing]),
		]),
		"zh": sprintf("价值流 %s 于 %s 绘制，绘制团队缺少%s", [
			_stream_zh(vs, id), vs.mapped_at,
			concat("、", [_term_zh(lib.terms, f[1]) | some f in missing]),
		]),
	})
})

# ---------------------------------------------------------------- DIA-004

_max_manual := object.get(_diagnosis, "max_manual_steps", null)

# A step is a hand-off when it is manual and lists 2 or more systems.
_hand_off(step) if {
	step.manual == true
	count(object.get(step, "systems", [])) >= 2
}

# value stream id -> ids of the pain points on it (built once: a stream's
# pain points are then looked up, never found by a scan per stream).
_pain_points_of := {vs_id: pp_ids |
	some vs_id in {pp.value_stream | some pp in lib.pain_points}
	pp_ids := {pp_id | lib.pain_points[pp_id].value_stream == vs_id}
}

# The step ids a stream's pain points name; `of` is _pain_points_of, `points` lib.pain_points.
_named_steps(vs_id, of, points) := {s | some pp_id in object.get(of, vs_id, set()); some s in points[pp_id].steps}

# value stream id -> the ids of its hand-off steps, in order: what the check counts, and what the
# diagnosis section of the reports marks (its observations).
_hand_offs := {id: [step.id | some step in vs.steps; _hand_off(step)] | some id, vs in _streams}

# METADATA
# title: Manual hand-offs beyond the tolerance each have a pain point
# description: >-
#   A step is a hand-off when it is `manual` and lists 2 or more `systems`
#   (people carry the work between systems). Fires for each value stream
#   with more hand-offs than `diagnosis.max_manual_steps` when some
#   hand-off step is in no `steps` of a pain point of this stream; the
#   message names those steps. Exactly `max_manual_steps` hand-offs pass
#   whatever their pain points. Evaluates every value stream (needs a
#   StrategyPolicy with a `diagnosis` section: without one the check is
#   not_applicable).
# custom:
#   id: DIA-004
#   title_zh: 超出容忍数量的人工交接均已识别为痛点
#   description_zh: >-
#     步骤为 `manual` 且列出 2 个或更多 `systems` 时即为人工交接（由人在系统之间传递工作）。价值流的人工交接多于 `diagnosis.max_manual_steps`，且某个人工交接步骤不在该价值流任何痛点的 `steps` 中时报告发现；消息列出这些步骤。人工交接恰好为 `max_manual_steps` 个时通过，不论有无痛点。评估每个价值流（需要含 `diagnosis` 部分的战略政策：没有时本检查为不适用）。
#   severity: medium
#   waivable: true
#   resource: value_stream
#   observes: hand_offs
#   remediation:
#     zh: 为所列人工交接步骤登记痛点（`pain_points`，在 `steps` 中指明这些步骤），写明耗时与差错，再追查根因。
#     en: Record a pain point naming each hand-off step listed (in its `steps`), with its time and errors, then find its root cause.
DIA_004 := lib.check_observed(
	rego.metadata.rule(), _streams, {v |
		some id, vs in _streams
		hand_offs := _hand_offs[id]
		count(hand_offs) > _max_manual
		named := _named_steps(id, _pain_points_of, lib.pain_points)
		unnamed := [s | some s in hand_offs; not s in named]
		count(unnamed) > 0
		v := lib.violation("value_stream", id, {
			"en": sprintf("value stream %s has %d hand-offs, more than max_manual_steps %d, and no pain point names %s", [
				_stream_en(vs, id), count(hand_offs), _max_manual, lib.list_text(unnamed),
			]),
			"zh": sprintf("价值流 %s 有 %d 个%s步骤，超过 max_manual_steps 规定的 %d 个，其中 %s 没有对应的痛点", [
				_stream_zh(vs, id), count(hand_offs), _term_zh(lib.terms, "hand_off"), _max_manual, lib.list_text_zh(unnamed),
			]),
		})
	},
	_hand_offs,
)
