"""An independent oracle for the strategy checks STR-001..STR-012.

Written from the check catalogue's STR rows and each check's METADATA reading in
checks/strategy*.rego — not from the Rego rules — over the plain dicts a test
generated (never govern's models), so that a bug in the Rego, the engine or the
model shows up as a disagreement. The rows it follows, as the product contract
states them (copied here so the tests need nothing outside the repository):

- Every STR check evaluates nothing (not_applicable) without a StrategyPolicy.
  "Tier above" follows StrategyPolicy.goals.tiers (top first). "The latest
  assessment" is the one with the latest `date`; on a tie, the larger `id`.
  "Within N days" means as_of - date <= N. "Today" is as_of.
- STR-001 goal: misses a SMART element: no `metric`, no `baseline` or no
  `target`, `target` = `baseline`, no `owner`, or no `due`.
- STR-002 goal: its tier is not the top tier, and it has no `parent` or its
  parent's tier is not the tier directly above its own.
- STR-003 goal: the goal and its parent both have `due`, and the goal's is after.
- STR-004 goal: `status` is `open` (the default) and `due` < today.
- STR-005 project: running (start <= today <= end) and none of its `serves` is
  of the bottom tier (also when `serves` is absent or empty).
- STR-006 portfolio `maturity`: no assessment dated on or before today, or the
  latest such one is not within `maturity.assessment_interval_days`.
- STR-007 maturity_assessment: does not score every `maturity.dimensions` entry.
- STR-008 project: has `maturity`, and `to` <= `from`, or the latest assessment
  dated on or before its `start` does not score `dimension` at `from`.
- STR-009 phase `pilot.phase`: more than `pilot.max_projects` projects of that
  phase are running today.
- STR-010 system: lists more `domains` than `architecture.max_domains_per_system`.
- STR-011 goal: open, with `start`, `baseline`, `target` and `due` (`start` < `due`), a
  reading dated on or before today, and the latest such reading behind plan by more
  than `goals.progress_tolerance` × |target − baseline|. Plan at t: baseline +
  (target − baseline) × f, f = (t − start) / (due − start) in days, clipped to [0, 1],
  t = the reading's date. Behind: value < plan − margin when target > baseline; value >
  plan + margin when target < baseline; value and bound each rounded to 6 decimal
  places, half away from zero, before comparing; target = baseline never fires.
- STR-012 goal: the policy sets `goals.reading_interval_days` (N), the goal is open, its
  `start` (if any) is more than N days before today, and it has no reading dated within
  N days before today (as_of − date ≤ N, date ≤ today).
  "The latest reading" is the one with the latest date on or before today; readings
  dated after today are ignored. The tolerance is 0.1 when the policy sets none.

The model's defaults when the policy lists no tiers or dimensions (the contract's
"Strategy policy" section, as copied into docs/strategy.md): tiers strategic, business, execution; dimensions
process_digital, data_asset, business_online, decision_intelligence.

Readings the METADATA states and this oracle follows: a SMART field is missing
when absent, null or empty text, and target = baseline is judged only when both
are given, as numbers; a goal without `due` is not evaluated by STR-004, nor by
STR-003 unless both have one; STR-006 without an interval fires only when no
assessment is dated on or before today, and ignores assessments after today;
STR-008's "on or before its start" is not limited by today; STR-009 evaluates the
pilot phase only when the policy sets a pilot; STR-010 counts a domain listed
twice once and evaluates only systems that list at least one domain. STR-011
evaluates only the goals the plan line can judge (open, all four fields, start before
due, target apart from baseline, a reading on or before today); STR-012 evaluates the
open goals it judges (a start N days before today or later is not judged yet).

STR-011 is computed here exactly: dates as whole days, the plan as a fraction, the
values as the decimals written, and the 6-place rounding done by hand on the exact
number, so OPA's float arithmetic cannot agree with itself by accident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from governance.vocabulary import default_dimensions, default_tiers

# the handbook's defaults are data (the product's vocabulary), read as the product reads them; the rules are the oracle's
DEFAULT_TIERS = default_tiers()
DEFAULT_DIMENSIONS = default_dimensions()

STR_CHECKS = tuple(f"STR-{n:03d}" for n in range(1, 13))
DEFAULT_PROGRESS_TOLERANCE = "0.1"  # the contract's default for goals.progress_tolerance

Doc = dict[str, Any]
Finding = tuple[str, str, str]  # (check id, resource kind, resource id)


@dataclass(frozen=True)
class Strategy:
    """What a generated workspace holds of the strategy domain, as plain data."""

    as_of: str
    policy: Doc | None  # the StrategyPolicy document, or None when the workspace has none
    goals: list[Doc]
    assessments: list[Doc]
    projects: list[Doc]
    systems: list[Doc]


@dataclass(frozen=True)
class Verdict:
    """One check's expected outcome: the resources it evaluates and those it fires for."""

    kind: str
    evaluated: int
    failing: frozenset[str]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def tiers(policy: Doc | None) -> list[str]:
    listed = (policy or {}).get("goals", {}).get("tiers")
    return list(listed) if listed else list(DEFAULT_TIERS)


def dimensions(policy: Doc | None) -> list[str]:
    listed = ((policy or {}).get("maturity") or {}).get("dimensions")
    return list(listed) if listed else list(DEFAULT_DIMENSIONS)


def running(project: Doc, today: dt.date) -> bool:
    return day(project["start"]) <= today <= day(project["end"])


def latest(assessments: list[Doc]) -> Doc | None:
    """The latest by date; on a tie, the larger id."""
    return max(assessments, key=lambda a: (day(a["date"]), a["id"]), default=None)


# ---------------------------------------------------------------- one function per row


def smart(s: Strategy) -> Verdict:
    def missing(goal: Doc, field: str) -> bool:
        return goal.get(field) is None or goal.get(field) == ""

    def not_smart(goal: Doc) -> bool:
        same = not missing(goal, "baseline") and not missing(goal, "target") and goal["target"] == goal["baseline"]
        return same or any(missing(goal, f) for f in ("metric", "baseline", "target", "owner", "due"))

    return Verdict("goal", len(s.goals), frozenset(g["id"] for g in s.goals if not_smart(g)))


def parent_one_tier_up(s: Strategy) -> Verdict:
    order = tiers(s.policy)
    by_id = {g["id"]: g for g in s.goals}
    below_top = [g for g in s.goals if g["tier"] != order[0]]

    def wrong(goal: Doc) -> bool:
        above = order[order.index(goal["tier"]) - 1]
        parent = by_id.get(goal.get("parent") or "")
        return parent is None or parent["tier"] != above

    return Verdict("goal", len(below_top), frozenset(g["id"] for g in below_top if wrong(g)))


def due_by_parent(s: Strategy) -> Verdict:
    by_id = {g["id"]: g for g in s.goals}
    pairs = [(g, by_id[g["parent"]]) for g in s.goals
             if g.get("due") and g.get("parent") in by_id and by_id[g["parent"]].get("due")]
    return Verdict("goal", len(pairs), frozenset(g["id"] for g, p in pairs if day(g["due"]) > day(p["due"])))


def not_overdue(s: Strategy) -> Verdict:
    today = day(s.as_of)
    judged = [g for g in s.goals if g.get("status", "open") == "open" and g.get("due")]
    return Verdict("goal", len(judged), frozenset(g["id"] for g in judged if day(g["due"]) < today))


def serves_bottom_tier(s: Strategy) -> Verdict:
    bottom = tiers(s.policy)[-1]
    tier_of = {g["id"]: g["tier"] for g in s.goals}
    today = day(s.as_of)
    live = [p for p in s.projects if running(p, today)]
    return Verdict("project", len(live), frozenset(
        p["id"] for p in live if not any(tier_of.get(goal) == bottom for goal in p.get("serves", []))))


def assessed_in_interval(s: Strategy) -> Verdict:
    today = day(s.as_of)
    interval = ((s.policy or {}).get("maturity") or {}).get("assessment_interval_days")
    last = latest([a for a in s.assessments if day(a["date"]) <= today])
    stale = last is None or (interval is not None and (today - day(last["date"])).days > interval)
    return Verdict("portfolio", 1, frozenset({"maturity"} if stale else set()))


def scores_every_dimension(s: Strategy) -> Verdict:
    wanted = set(dimensions(s.policy))
    return Verdict("maturity_assessment", len(s.assessments),
                   frozenset(a["id"] for a in s.assessments if not wanted <= set(a.get("scores", {}))))


def maturity_step(s: Strategy) -> Verdict:
    stepping = [p for p in s.projects if p.get("maturity")]

    def wrong(project: Doc) -> bool:
        m = project["maturity"]
        base = latest([a for a in s.assessments if day(a["date"]) <= day(project["start"])])
        return m["to"] <= m["from"] or base is None or base.get("scores", {}).get(m["dimension"]) != m["from"]

    return Verdict("project", len(stepping), frozenset(p["id"] for p in stepping if wrong(p)))


def pilot_size(s: Strategy) -> Verdict:
    pilot = (s.policy or {}).get("pilot")
    if not pilot:
        return Verdict("phase", 0, frozenset())
    today = day(s.as_of)
    pilots = [p for p in s.projects if p.get("phase") == pilot["phase"] and running(p, today)]
    return Verdict("phase", 1, frozenset({pilot["phase"]} if len(pilots) > pilot["max_projects"] else set()))


def domains_per_system(s: Strategy) -> Verdict:
    limit = ((s.policy or {}).get("architecture") or {}).get("max_domains_per_system")
    if limit is None:
        return Verdict("system", 0, frozenset())
    listing = [sy for sy in s.systems if sy.get("domains")]
    return Verdict("system", len(listing), frozenset(sy["id"] for sy in listing if len(set(sy["domains"])) > limit))


# ---------------------------------------------------------------- goal progress (STR-011, STR-012)


def exact(number: object) -> Fraction:
    """A number as written in the generated file (its shortest decimal text), exactly."""
    return Fraction(repr(number))


def round6(x: Fraction) -> Fraction:
    """`x` to 6 decimal places, half away from zero, on the exact number."""
    scaled = abs(x) * 1_000_000
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole if x >= 0 else -whole, 1_000_000)


def latest_reading(goal: Doc, today: dt.date) -> Doc | None:
    past = [r for r in goal.get("readings") or [] if day(r["date"]) <= today]
    return max(past, key=lambda r: day(r["date"]), default=None)


def tolerance(policy: Doc | None) -> Fraction:
    written = ((policy or {}).get("goals") or {}).get("progress_tolerance")
    return Fraction(DEFAULT_PROGRESS_TOLERANCE) if written is None else exact(written)


def plan_bound(goal: Doc, date: dt.date, share: Fraction) -> Fraction:
    """The plan at `date`, less (rising) or plus (falling) the margin, exactly."""
    baseline, target = exact(goal["baseline"]), exact(goal["target"])
    start, due = day(goal["start"]), day(goal["due"])
    elapsed = min(Fraction(1), max(Fraction(0), Fraction((date - start).days, (due - start).days)))
    plan = baseline + (target - baseline) * elapsed
    margin = share * abs(target - baseline)
    return plan - margin if target > baseline else plan + margin


def plannable(goal: Doc, today: dt.date) -> bool:
    """The goals STR-011 evaluates."""
    if goal.get("status", "open") != "open" or any(goal.get(f) is None for f in ("start", "baseline", "target", "due")):
        return False
    return day(goal["start"]) < day(goal["due"]) and goal["target"] != goal["baseline"] \
        and latest_reading(goal, today) is not None


def behind_plan(s: Strategy) -> Verdict:
    today = day(s.as_of)
    share = tolerance(s.policy)
    judged = [g for g in s.goals if plannable(g, today)]

    def behind(goal: Doc) -> bool:
        reading = latest_reading(goal, today)
        assert reading is not None
        value, bound = round6(exact(reading["value"])), round6(plan_bound(goal, day(reading["date"]), share))
        return value < bound if goal["target"] > goal["baseline"] else value > bound

    return Verdict("goal", len(judged), frozenset(g["id"] for g in judged if behind(g)))


def read_recently(s: Strategy) -> Verdict:
    interval = ((s.policy or {}).get("goals") or {}).get("reading_interval_days")
    if interval is None:
        return Verdict("goal", 0, frozenset())
    today = day(s.as_of)
    judged = [g for g in s.goals if g.get("status", "open") == "open"
              and not (g.get("start") and (today - day(g["start"])).days <= interval)]

    def recent(goal: Doc) -> bool:
        return any(day(r["date"]) <= today and (today - day(r["date"])).days <= interval for r in goal.get("readings") or [])

    return Verdict("goal", len(judged), frozenset(g["id"] for g in judged if not recent(g)))


ROWS: dict[str, Callable[[Strategy], Verdict]] = {
    "STR-001": smart,
    "STR-002": parent_one_tier_up,
    "STR-003": due_by_parent,
    "STR-004": not_overdue,
    "STR-005": serves_bottom_tier,
    "STR-006": assessed_in_interval,
    "STR-007": scores_every_dimension,
    "STR-008": maturity_step,
    "STR-009": pilot_size,
    "STR-010": domains_per_system,
    "STR-011": behind_plan,
    "STR-012": read_recently,
}


def expected(s: Strategy) -> tuple[set[Finding], dict[str, int]]:
    """The STR findings and each STR check's evaluated count the catalogue calls for."""
    if s.policy is None:  # every STR check evaluates nothing without a StrategyPolicy
        return set(), dict.fromkeys(STR_CHECKS, 0)
    verdicts = {check: row(s) for check, row in ROWS.items()}
    findings = {(check, v.kind, rid) for check, v in verdicts.items() for rid in v.failing}
    return findings, {check: v.evaluated for check, v in verdicts.items()}


# ---------------------------------------------------------------- the committee's actions: ACT-001..ACT-004
#
# The ACT rows, as the contract states them (copied here, as the STR rows above):
#
# - An action *addresses* a finding when one of its `addresses` entries names the finding's check and
#   resource (kind and id). "Unwaived this run" means a finding of this run whose status is `fail`.
#   An action's `status` is `open` by default.
# - ACT-001 (the finding's resource): the Committee sets `actions.required_at` (a severity), and some
#   unwaived finding of a check that is neither WAV nor ACT, of severity at or above it, is addressed by no
#   action whose `status` is `open` (an overdue open action still addresses it); one finding per resource.
# - ACT-002 action: `status` is `open` and `due` < today.
# - ACT-003 action: `status` is `done` and some finding it addresses is unwaived this run.
# - ACT-004 action: `status` is `open`, it has at least one `addresses` entry, and none of the findings it
#   addresses fired this run.
#
# The oracle takes the run's other findings and their statuses (waived or fail) as the result gives them:
# whether the ACT checks read the run's waivers as the run applies them is what it tests.
# Readings the METADATA states and this oracle follows: ACT-001 evaluates each resource with an unwaived
# finding at or above the severity (none without `required_at`); ACT-002 every open action; ACT-003 every
# done action; ACT-004 every open action with an `addresses` entry.

ACT_CHECKS = tuple(f"ACT-{n:03d}" for n in range(1, 5))
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")  # most severe first


@dataclass(frozen=True)
class Actions:
    """What a generated workspace holds of the committee's actions, as plain data."""

    as_of: str
    required_at: str | None  # the Committee's actions.required_at, or None when it sets none
    actions: list[Doc]


def _key(finding: Doc) -> Finding:
    return finding["check"], finding["resource"]["kind"], finding["resource"]["id"]


def _addressed(action: Doc) -> set[Finding]:
    return {(x["check"], x["resource"]["kind"], x["resource"]["id"]) for x in action.get("addresses", [])}


def _status(action: Doc) -> str:
    return str(action.get("status", "open"))


def act_001(a: Actions, findings: list[Doc]) -> tuple[int, set[Finding]]:
    if a.required_at is None:
        return 0, set()
    at = SEVERITY_ORDER.index(a.required_at)
    needing = [f for f in findings if f["status"] == "fail" and not f["check"].startswith(("WAV-", "ACT-"))
               and SEVERITY_ORDER.index(f["severity"]) <= at]
    covered = set().union(*(_addressed(x) for x in a.actions if _status(x) == "open"))
    resources = {(f["resource"]["kind"], f["resource"]["id"]) for f in needing}
    unowned = {(f["resource"]["kind"], f["resource"]["id"]) for f in needing if _key(f) not in covered}
    return len(resources), {("ACT-001", kind, rid) for kind, rid in unowned}


def act_002(a: Actions, findings: list[Doc]) -> tuple[int, set[Finding]]:
    open_ = [x for x in a.actions if _status(x) == "open"]
    return len(open_), {("ACT-002", "action", x["id"]) for x in open_ if day(x["due"]) < day(a.as_of)}


def act_003(a: Actions, findings: list[Doc]) -> tuple[int, set[Finding]]:
    failing = {_key(f) for f in findings if f["status"] == "fail"}
    done = [x for x in a.actions if _status(x) == "done"]
    return len(done), {("ACT-003", "action", x["id"]) for x in done if _addressed(x) & failing}


def act_004(a: Actions, findings: list[Doc]) -> tuple[int, set[Finding]]:
    fired = {_key(f) for f in findings}
    listing = [x for x in a.actions if _status(x) == "open" and x.get("addresses")]
    return len(listing), {("ACT-004", "action", x["id"]) for x in listing if not _addressed(x) & fired}


ACT_ROWS: dict[str, Callable[[Actions, list[Doc]], tuple[int, set[Finding]]]] = {
    "ACT-001": act_001, "ACT-002": act_002, "ACT-003": act_003, "ACT-004": act_004,
}


def expected_actions(a: Actions, findings: list[Doc]) -> tuple[set[Finding], dict[str, int]]:
    """The ACT findings and each ACT check's evaluated count, given the run's other `findings` (result JSON)."""
    others = [f for f in findings if not f["check"].startswith("ACT-")]
    verdicts = {check: row(a, others) for check, row in ACT_ROWS.items()}
    return ({f for _, fired in verdicts.values() for f in fired},
            {check: evaluated for check, (evaluated, _) in verdicts.items()})
