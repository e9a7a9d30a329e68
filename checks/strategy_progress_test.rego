package govern.checks.strategy_progress_test

import data.govern.checks.strategy
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

# as_of 2026-11-25: 2026-10-26 is exactly 30 days before it.
_as_of := "2026-11-25"

_policy(goals) := {
	"id": "strategy-2026",
	"goals": object.union({"tiers": ["strategic", "business", "execution"], "progress_tolerance": 0.1}, goals),
}

_defs := {"strategy_policy": _policy({})}

_input(goals) := {"as_of": _as_of, "inventory": {"goals": object.union_n(goals)}}

# An open goal planned over 100 days from 0 to 1: on 2026-02-20, 50 days
# in, the plan is 0.5 and, at tolerance 0.1, the bound 0.4.
_goal(id, extra) := {id: object.union(
	{
		"id": id, "tier": "strategic", "statement": "线上销售占比提升", "owner": "p-ceo", "metric": "share",
		"baseline": 0, "target": 1, "start": "2026-01-01", "due": "2026-04-11",
	},
	extra,
)}

_read(date, value) := {"date": date, "value": value}

_str_011(goals, defs) := r if {
	r := strategy.STR_011 with input as _input(goals) with data.govern.definitions as defs
}

_str_012(goals, interval) := r if {
	defs := {"strategy_policy": _policy({"reading_interval_days": interval})}
	r := strategy.STR_012 with input as _input(goals) with data.govern.definitions as defs
}

# ---------------------------------------------------------------- STR-011

test_str_011_exactly_at_the_tolerance_is_on_track_and_just_beyond_is_behind if {
	r := _str_011(
		[
			_goal("g-at", {"readings": [_read("2026-02-20", 0.4)]}),
			_goal("g-beyond", {"readings": [_read("2026-02-20", 0.399999)]}),
			_goal("g-half-up", {"readings": [_read("2026-02-20", 0.3999995)]}), # 0.4 at 6 places
			_goal("g-half-below", {"readings": [_read("2026-02-20", 0.3999994)]}), # 0.399999
		],
		_defs,
	)
	_ids(r) == {"g-beyond", "g-half-below"}
	r.evaluated == 4
}

test_str_011_a_falling_goal_is_behind_above_its_plan if {
	# from 12 data silos to 3: at 50 days the plan is 7.5, the margin 0.9, the bound 8.4
	falling := {"baseline": 12, "target": 3}
	r := _str_011(
		[
			_goal("g-at", object.union(falling, {"readings": [_read("2026-02-20", 8.4)]})),
			_goal("g-beyond", object.union(falling, {"readings": [_read("2026-02-20", 8.400001)]})),
			_goal("g-ahead", object.union(falling, {"readings": [_read("2026-02-20", 5)]})),
		],
		_defs,
	)
	_ids(r) == {"g-beyond"}
}

test_str_011_an_exact_half_rounds_away_from_zero_despite_float_error if {
	# plan 0.3 at the start, bound 0.3 - 0.3999995 = -0.0999995, which OPA computes as
	# -0.0999994999…: rounded half away from zero it is -0.1, so -0.1 is on track
	defs := {"strategy_policy": _policy({"progress_tolerance": 0.3999995})}
	noisy := {"baseline": 0.3, "target": 1.3}
	r := _str_011(
		[
			_goal("g-at", object.union(noisy, {"readings": [_read("2026-01-01", -0.1)]})),
			_goal("g-beyond", object.union(noisy, {"readings": [_read("2026-01-01", -0.100001)]})),
		],
		defs,
	)
	_ids(r) == {"g-beyond"}
	r.observations["g-at"].bound == -0.1
}

test_str_011_rounds_a_reading_once_as_written if {
	# bound 0.9 on the due date: 0.8999994999996 is 0.899999 at 6 places, behind;
	# taking it to 1e-12 first would make it 0.8999995 and then 0.9, on track
	r := _str_011(
		[
			_goal("g-dbl", {"readings": [_read("2026-04-11", 0.8999994999996)]}),
			_goal("g-half", {"readings": [_read("2026-04-11", 0.8999995)]}), # 0.9 at 6 places
		],
		_defs,
	)
	_ids(r) == {"g-dbl"}
}

test_str_011_a_reading_on_the_due_date_is_held_to_the_target if {
	# f = 1: plan 1, bound 0.9
	r := _str_011(
		[
			_goal("g-at", {"readings": [_read("2026-04-11", 0.9)]}),
			_goal("g-beyond", {"readings": [_read("2026-04-11", 0.899999)]}),
			_goal("g-late", {"due": "2026-03-01", "readings": [_read("2026-04-11", 0.9)]}), # past due: f clipped to 1
		],
		_defs,
	)
	_ids(r) == {"g-beyond"}
	r.observations["g-late"].plan == 1
}

test_str_011_a_reading_before_the_start_is_held_to_the_baseline if {
	r := _str_011(
		[
			_goal("g-early", {"start": "2026-03-01", "due": "2026-12-31", "readings": [_read("2026-02-01", 0)]}),
			_goal("g-below", {"start": "2026-03-01", "due": "2026-12-31", "readings": [_read("2026-02-01", -0.100001)]}),
		],
		_defs,
	)
	_ids(r) == {"g-below"}
	r.observations["g-early"].plan == 0
}

test_str_011_a_goal_due_today_is_judged_against_its_target if {
	r := _str_011(
		[_goal("g-today", {"start": "2026-10-26", "due": _as_of, "readings": [_read(_as_of, 0.85)]})],
		_defs,
	)
	_ids(r) == {"g-today"}
	r.observations["g-today"] == {"date": _as_of, "value": 0.85, "plan": 1, "bound": 0.9, "behind": true}
}

test_str_011_reads_the_latest_reading_dated_today_or_before if {
	r := _str_011(
		[
			# the reading dated today is the latest: behind
			_goal("g-today", {"due": "2026-12-31", "readings": [_read("2026-02-20", 0.9), _read(_as_of, 0.1)]}),
			# the reading after today is ignored: the earlier one, on track, counts
			_goal("g-future", {"readings": [_read("2026-11-26", 0), _read("2026-04-11", 1)]}),
			# only a reading after today: not evaluated
			_goal("g-unread", {"readings": [_read("2026-11-26", 0)]}),
		],
		_defs,
	)
	_ids(r) == {"g-today"}
	r.evaluated == 2
	r.observations["g-future"].date == "2026-04-11"
}

test_str_011_evaluates_only_goals_the_plan_line_can_judge if {
	behind := {"readings": [_read("2026-02-20", 0)]}
	r := _str_011(
		[
			_goal("g-judged", behind),
			_goal("g-flat", object.union(behind, {"baseline": 1, "target": 1.0})),
			_goal("g-same-day", object.union(behind, {"start": "2026-04-11"})),
			_goal("g-reversed", object.union(behind, {"start": "2026-05-01"})),
			_goal("g-achieved", object.union(behind, {"status": "achieved"})),
			_goal("g-open", object.union(behind, {"status": "open"})),
			{"g-no-start": object.remove(_goal("g-no-start", behind)["g-no-start"], ["start"])},
			{"g-no-baseline": object.remove(_goal("g-no-baseline", behind)["g-no-baseline"], ["baseline"])},
			{"g-no-due": object.remove(_goal("g-no-due", behind)["g-no-due"], ["due"])},
			_goal("g-no-readings", {}),
		],
		_defs,
	)
	_ids(r) == {"g-judged", "g-open"}
	r.evaluated == 2
}

test_str_011_names_the_goal_the_reading_the_plan_and_the_date if {
	r := _str_011([_goal("g-sales", {"readings": [_read("2026-02-20", 0.3)]})], _defs)
	_message(r, "g-sales") == "goal g-sales (线上销售占比提升) read 0.3 on 2026-02-20, behind its plan of 0.5 by more than progress_tolerance 0.1 × |target − baseline| (the bound is 0.4; the plan runs from baseline 0 on 2026-01-01 to target 1 on 2026-04-11)"
	_message_zh(r, "g-sales") == "目标「线上销售占比提升」（g-sales）于 2026-02-20 的读数为 0.3，计划值为 0.5，落后超过容差 0.1 × |目标值 − 基线|（界限 0.4；计划自 2026-01-01 的基线 0 至 2026-04-11 的目标值 1）"
	r.observations == {"g-sales": {"date": "2026-02-20", "value": 0.3, "plan": 0.5, "bound": 0.4, "behind": true}}
}

test_str_011_not_applicable_without_policy if {
	r := _str_011([_goal("g-behind", {"readings": [_read("2026-02-20", 0)]})], {"strategy_policy": null})
	r.evaluated == 0
	count(r.violations) == 0
}

# ---------------------------------------------------------------- STR-012

test_str_012_a_reading_exactly_n_days_old_is_recent if {
	r := _str_012(
		[
			_goal("g-n", {"readings": [_read("2026-10-26", 0.5)]}),
			_goal("g-n-plus-1", {"readings": [_read("2026-10-25", 0.5)]}),
			_goal("g-today", {"readings": [_read(_as_of, 0.5)]}),
		],
		30,
	)
	_ids(r) == {"g-n-plus-1"}
	r.evaluated == 3
}

test_str_012_ignores_readings_after_today if {
	r := _str_012([_goal("g-future", {"readings": [_read("2026-11-26", 0.5), _read("2026-01-31", 0.2)]})], 30)
	_ids(r) == {"g-future"}
	_message(r, "g-future") == "goal g-future (线上销售占比提升) has no reading within reading_interval_days 30 of 2026-11-25; its latest is of 2026-01-31, 298 days before"
	_message_zh(r, "g-future") == "目标「线上销售占比提升」（g-future）在评估基准日 2026-11-25 前 30 天（reading_interval_days）内没有读数；最近一次读数为 2026-01-31，已过 298 天"
}

test_str_012_a_goal_never_read_fires if {
	r := _str_012([_goal("g-never", {})], 30)
	_message(r, "g-never") == "goal g-never (线上销售占比提升) has no reading dated on or before 2026-11-25"
	_message_zh(r, "g-never") == "目标「线上销售占比提升」（g-never）截至评估基准日 2026-11-25 尚无读数"
}

test_str_012_a_goal_started_within_n_days_is_not_judged_yet if {
	r := _str_012(
		[
			_goal("g-started-n-ago", {"start": "2026-10-26"}),
			_goal("g-started-n-plus-1-ago", {"start": "2026-10-25"}),
			_goal("g-starts-later", {"start": "2027-01-01"}),
			{"g-no-start": object.remove(_goal("g-no-start", {})["g-no-start"], ["start"])},
		],
		30,
	)
	_ids(r) == {"g-started-n-plus-1-ago", "g-no-start"}
	r.evaluated == 2
}

test_str_012_judges_open_goals_only if {
	r := _str_012([_goal("g-achieved", {"status": "achieved"}), _goal("g-dropped", {"status": "dropped"})], 30)
	r.evaluated == 0
}

test_str_012_not_applicable_without_an_interval if {
	r := strategy.STR_012 with input as _input([_goal("g-never", {})]) with data.govern.definitions as _defs
	r.evaluated == 0
	r2 := strategy.STR_012 with input as _input([_goal("g-never", {})])
		with data.govern.definitions as {"strategy_policy": null}
	r2.evaluated == 0
}
