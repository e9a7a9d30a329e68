"""The strategy findings, checked independently.

Hypothesis generates random but valid workspaces that carry the strategy domain
— a StrategyPolicy (sometimes none; sometimes its own tiers and dimensions, a
pilot, a domain limit, an assessment interval), a BudgetPolicy's phases, goals
in tiers with right and wrong parents, missing SMART elements and due dates
around today, maturity assessments around the interval's edge, projects around
today with `serves` and `maturity`, systems with `domains`, goals with a start and
readings at their plan's bound, a tolerance and a reading interval — and runs
`govern check --format json` on each against the test worker's OPA server. Its STR findings
(check, resource kind, resource id), each STR check's `evaluated` count and
status must be what tests/strategy_oracle.py, a plain-Python reading of the
catalogue's STR rows, computes from the same generated data.

Dates are drawn at the edges the rows name (due = today ± 1, an assessment
exactly `assessment_interval_days` old ± 1, a project starting or ending today,
an assessment dated on a project's start, two assessments on one day), and
levels and numbers so that target = baseline (1 against 1.0) and exactly
`max_projects` pilots happen; readings land on the bound to the sixth place and a millionth
either side, on the due date, today, the day after today and exactly the reading interval ago.
`test_the_generator_reaches_the_edges` holds the generator to that without OPA, so the differential cannot pass by never
reaching them.

The EXAMPLES (GOVERN_STRATEGY_EXAMPLES; 150 in CI, 25 in a developer's run:
conftest.depth) are split into CHUNKS runs of their own Hypothesis seed, which
pytest-xdist spreads over its workers, as tests/test_fuzz.py does.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from tests.conftest import AS_OF, MINIMAL_POLICIES, check, chunk_share, depth, make_workspace
from tests.draws_support import ABSENT
from tests.draws_support import often as _often
from tests.draws_support import put as _put
from tests.draws_support import rarely as _rarely
from tests.draws_support import text as _text
from tests.strategy_oracle import (
    ACT_CHECKS,
    DEFAULT_DIMENSIONS,
    SEVERITY_ORDER,
    STR_CHECKS,
    Actions,
    Doc,
    Strategy,
    day,
    dimensions,
    exact,
    expected,
    expected_actions,
    latest,
    latest_reading,
    plan_bound,
    plannable,
    round6,
    running,
    tiers,
    tolerance,
)

EXAMPLES = depth("GOVERN_STRATEGY_EXAMPLES", ci=150, local=50)
CHUNKS = max(1, min(EXAMPLES, int(os.environ.get("GOVERN_STRATEGY_CHUNKS", "5"))))

# Today: the suite's, the day after a leap day (2028-02-29), and a new year's day.
TODAYS = (AS_OF, "2028-03-01", "2027-01-01")
TIER_NAMES = ("vision", "strategic", "business", "team", "execution", "task")
DIMENSION_NAMES = (*DEFAULT_DIMENSIONS, "talent", "security")
# Assessment ids whose text order is not their numeric order ("ma-9" > "ma-10"): the latest on a tied date
# is the larger id as text.
ASSESSMENT_IDS = ("ma-9", "ma-10", "ma-a", "ma-B", "ma-2026")
# Ids are unique within a kind only: a project may share its id with an assessment or a goal.
PROJECT_IDS = ("prj-0", "prj-1", "prj-2", "prj-3", "prj-4", "ma-9", "ma-10", "g-0")
PHASES = ("pilot", "scale_up", "deepen")
DOMAINS = ("user", "order", "payment", "stock")
PEOPLE = ("p-ceo", "p-cto")  # tests/conftest.py MINIMAL_POLICIES
SMART = ("metric", "baseline", "target", "owner", "due")


def _near(draw: st.DrawFn, base: dt.date, low: int = -400, high: int = 400) -> dt.date:
    """A day at `base` ± 1 half of the time, else anywhere in [base + low, base + high]."""
    offset = draw(st.one_of(st.sampled_from([-1, 0, 1]), st.integers(low, high)))
    return base + dt.timedelta(days=offset)


# ---------------------------------------------------------------- the generator


def _policy(draw: st.DrawFn, phases: tuple[str, ...]) -> Doc | None:
    if _rarely(draw, 7):
        return None
    doc: Doc = {"kind": "StrategyPolicy", "id": "strategy-2026"}
    maturity: Doc = {}
    if draw(st.booleans()):
        maturity["dimensions"] = draw(st.lists(st.sampled_from(DIMENSION_NAMES), min_size=1, max_size=5, unique=True))
    if _often(draw):
        maturity["assessment_interval_days"] = draw(st.one_of(st.sampled_from([0, 1, 90, 365]), st.integers(0, 800)))
    if draw(st.booleans()) or maturity:  # sometimes an empty `maturity: {}`
        doc["maturity"] = maturity
    if draw(st.booleans()):
        doc["goals"] = {"tiers": draw(st.lists(st.sampled_from(TIER_NAMES), min_size=1, max_size=4, unique=True))}
    if phases and _often(draw):
        doc["pilot"] = {"phase": draw(st.sampled_from(phases)), "max_projects": draw(st.integers(0, 3))}
    if _often(draw):
        doc["architecture"] = {"max_domains_per_system": draw(st.integers(1, 3))}
    _progress_settings(draw, doc)
    return doc


def _parent(draw: st.DrawFn, tier: str, order: list[str], goal_tiers: list[str]) -> object:
    """No parent, one of the tier directly above, or any goal (itself included: a wrong tier)."""
    how = draw(st.sampled_from(["none", "one_up", "one_up", "any"]))
    rank = order.index(tier)
    above = [i for i, t in enumerate(goal_tiers) if rank > 0 and t == order[rank - 1]]
    if how == "one_up" and above:
        return f"g-{draw(st.sampled_from(above))}"
    if how == "any":
        return f"g-{draw(st.integers(0, len(goal_tiers) - 1))}"
    return ABSENT


def _smart(draw: st.DrawFn, today: dt.date) -> Doc:
    """A goal's SMART elements: all of them, all but one, or each left out at random. A missing one is
    absent, null or (for the metric, the only text) empty; target = baseline comes up, 1.0 against 1 too."""
    numbers = st.sampled_from([0, 0.5, 1, 2])
    if _rarely(draw, 5):  # target = baseline: 1.0 against 1 first (Hypothesis favours it), so that edge comes up
        baseline = draw(st.sampled_from([1, 0, 0.5, 2]))
        target = 1.0 if baseline == 1 else baseline
    else:
        baseline, target = draw(numbers), draw(numbers)
    doc: Doc = {"metric": "m", "baseline": baseline, "target": target, "owner": draw(st.sampled_from(PEOPLE)),
                "due": _text(_near(draw, today))}
    mode = draw(st.sampled_from(["all", "all", "one", "one", "any"]))
    gone = [] if mode == "all" else [draw(st.sampled_from(SMART))] if mode == "one" else \
        [f for f in SMART if _rarely(draw, 4)]
    for field in gone:
        missing = draw(st.sampled_from(["", None, ABSENT] if field == "metric" else [None, ABSENT]))
        del doc[field]
        _put(doc, field, missing)
    return doc


def _goals(draw: st.DrawFn, order: list[str], today: dt.date) -> list[Doc]:
    goal_tiers = [] if _rarely(draw, 6) else draw(st.lists(st.sampled_from(order), min_size=1, max_size=7))
    goals: list[Doc] = []
    for i, tier in enumerate(goal_tiers):
        g: Doc = {"id": f"g-{i}", "tier": tier, "statement": "s"}
        _put(g, "parent", _parent(draw, tier, order, goal_tiers))
        g.update(_smart(draw, today))
        _put(g, "status", draw(st.sampled_from([ABSENT, ABSENT, "open", "achieved", "dropped"])))
        goals.append(g)
    for g in goals:  # some goals due the day before, of or after their parent's due
        parent = next((p for p in goals if p["id"] == g.get("parent")), None)
        if parent and parent.get("due") and g.get("due") and draw(st.booleans()):
            g["due"] = _text(day(parent["due"]) + dt.timedelta(days=draw(st.sampled_from([-1, 0, 1]))))
    return goals


def _assessments(draw: st.DrawFn, dims: list[str], interval: int, today: dt.date) -> list[Doc]:
    count = 0 if _rarely(draw, 6) else 1 if _rarely(draw, 4) else draw(st.integers(2, 4))
    ids = draw(st.permutations(ASSESSMENT_IDS))[:count]
    edge = today - dt.timedelta(days=interval)
    same_day = _near(draw, edge)  # two assessments on one day: the larger id is the latest
    out: list[Doc] = []
    for aid in ids:
        where = "same_day" if _rarely(draw, 3) else draw(st.sampled_from(["edge", "older", "anywhere"]))
        date = {"same_day": lambda: same_day, "edge": lambda: _near(draw, edge, -3, 3),
                "older": lambda: _near(draw, edge, -400, 0), "anywhere": lambda: _near(draw, today)}[where]()
        scored = dims if _often(draw) else draw(st.lists(st.sampled_from(dims), max_size=len(dims), unique=True))
        scores = {d: draw(st.integers(1, 5)) for d in scored}
        out.append({"id": aid, "date": _text(date), "assessor": draw(st.sampled_from(PEOPLE)), "scores": scores})
    return out


def _maturity(draw: st.DrawFn, dims: list[str], assessments: list[Doc], start: dt.date) -> Doc:
    """Usually from a level an assessment on or before `start` gives (often the latest one), so that
    the step is often supported."""
    before = [a for a in assessments if day(a["date"]) <= start]
    baseline = latest(before)
    if baseline and draw(st.booleans()):
        before = [baseline]
    scored = [(d, level) for a in before for d, level in a["scores"].items()]
    if scored and _often(draw):
        dimension, level = draw(st.sampled_from(scored))
    else:
        dimension, level = draw(st.sampled_from(dims)), draw(st.integers(1, 5))
    to = min(5, max(1, level + draw(st.sampled_from([-1, 0, 1, 1, 2]))))
    return {"dimension": dimension, "from": level, "to": to}


def _projects(draw: st.DrawFn, phases: tuple[str, ...], pilot: str | None, goals: list[Doc], dims: list[str],
              assessments: list[Doc], today: dt.date) -> list[Doc]:
    pilot_heavy = pilot is not None and _often(draw)
    projects: list[Doc] = []
    ids = [] if _rarely(draw, 6) else draw(st.lists(st.sampled_from(PROJECT_IDS), min_size=1, max_size=5, unique=True))
    shared = sorted(d for d, n in Counter(a["date"] for a in assessments).items() if n > 1)
    for pid in ids:
        start = _near(draw, today, -400, 30)
        tie = bool(shared) and _rarely(draw, 3)
        if tie:  # starts the day two assessments share, measured from one of them: the larger id decides which
            start = day(draw(st.sampled_from(shared)))
        elif draw(st.booleans()) and assessments:  # starts the day before, of or after an assessment
            start = _near(draw, day(draw(st.sampled_from(assessments))["date"]), 0, 0)
        p: Doc = {"id": pid, "start": _text(start), "end": _text(_near(draw, today, -30, 400))}
        if phases:
            _put(p, "phase", pilot if pilot_heavy and _often(draw) else draw(st.sampled_from([*phases, ABSENT])))
        if goals and _often(draw):
            p["serves"] = draw(st.lists(st.sampled_from([g["id"] for g in goals]), max_size=3))
        if tie or draw(st.booleans()):
            p["maturity"] = _maturity(draw, dims, assessments, start)
        projects.append(p)
    return projects


def _systems(draw: st.DrawFn) -> list[Doc]:
    systems: list[Doc] = []
    for i in range(0 if _rarely(draw, 5) else draw(st.integers(1, 4))):
        s: Doc = {"id": f"sys-{i}", "deployment": "private"}
        if _often(draw):
            s["domains"] = draw(st.lists(st.sampled_from(DOMAINS), max_size=4))
        systems.append(s)
    return systems


@st.composite
def strategies(draw: st.DrawFn) -> tuple[Strategy, tuple[str, ...]]:
    """A valid workspace's strategy data, and the BudgetPolicy phases it has (none: no BudgetPolicy)."""
    today = draw(st.sampled_from(TODAYS))
    phases = () if _rarely(draw, 5) else PHASES
    policy = _policy(draw, phases)
    dims = dimensions(policy)
    interval = ((policy or {}).get("maturity") or {}).get("assessment_interval_days", 365)
    goals = _goals(draw, tiers(policy), day(today))
    assessments = _assessments(draw, dims, interval, day(today))
    pilot = (policy or {}).get("pilot", {}).get("phase")
    _progress(draw, goals, policy, day(today))
    projects = _projects(draw, phases, pilot, goals, dims, assessments, day(today))
    if policy and "pilot" in policy and _often(draw):  # the limit at the running pilots' count, or one off
        pilots = sum(p.get("phase") == policy["pilot"]["phase"] and running(p, day(today)) for p in projects)
        policy["pilot"]["max_projects"] = max(0, pilots + draw(st.sampled_from([-1, 0, 0, 1])))
    return Strategy(today, policy, goals, assessments, projects, _systems(draw)), phases


# ---------------------------------------------------------------- goal progress (STR-011, STR-012)

# Tolerances whose margin lands on a half of the sixth place (0.1234565 × 1) and that OPA's
# arithmetic cannot hold exactly (0.3999995), besides round ones; spans of a plan in days.
TOLERANCES = (0.3999995, 0.1234565, 0, 0.05, 0.1, 0.25, 1)  # Hypothesis favours the first
SPANS = (1, 2, 7, 100, 365, 729, 1999)
MICRO = Fraction(1, 1_000_000)
HAIR = Fraction(4, 10**13)  # 0.9 - 0.0000005 - HAIR is 0.8999994999996: 0.899999 rounded once, 0.9 rounded twice


def _progress_settings(draw: st.DrawFn, doc: Doc) -> None:
    """The policy's goals.progress_tolerance (often unset: the default) and reading_interval_days."""
    goals: Doc = dict(doc.get("goals", {}))
    if draw(st.booleans()):
        goals["progress_tolerance"] = draw(st.sampled_from(TOLERANCES))
    if _often(draw):
        goals["reading_interval_days"] = draw(st.one_of(st.sampled_from([1, 30, 92]), st.integers(1, 400)))
    if goals:
        doc["goals"] = goals


def _progress(draw: st.DrawFn, goals: list[Doc], policy: Doc | None, today: dt.date) -> None:
    """Each goal's `start` and `readings`, at the edges STR-011 and STR-012 name."""
    interval = ((policy or {}).get("goals") or {}).get("reading_interval_days", 30)
    for g in goals:
        if _rarely(draw, 5):  # no start, no readings
            continue
        due = day(g["due"]) if g.get("due") else _near(draw, today)
        planned = due - dt.timedelta(days=draw(st.sampled_from(SPANS)))  # mostly a plan line to judge by
        start = planned if _often(draw) else draw(st.sampled_from([
            due, due + dt.timedelta(days=1), today - dt.timedelta(days=interval),
            today - dt.timedelta(days=interval + 1), _near(draw, today)]))
        g["start"] = _text(start)
        if isinstance(g.get("baseline"), int | float) and g.get("target") == g["baseline"] \
                and type(g["target"]) is type(g["baseline"]) and _often(draw):  # 1.0 against 1 stays an edge
            g["target"] = g["baseline"] + 1  # a plan line with a direction, |target - baseline| = 1
        dates = [] if _rarely(draw, 6) else draw(st.lists(st.sampled_from([
            _near(draw, today, -400, 0), today, today + dt.timedelta(days=1), due, start,
            today - dt.timedelta(days=interval), today - dt.timedelta(days=interval + 1)]),
            min_size=1, max_size=4, unique=True))
        if start < due and _rarely(draw, 4):
            # from 0 to 0.000005 and read on its due date: the plan is the target, and the default tolerance's
            # margin (0.0000005) puts the bound on a half of the sixth place, whatever else Hypothesis favours
            g["baseline"], g["target"] = 0, 0.000005
            dates = [d for d in dates if d != due] + [due]
        g["readings"] = [{"date": _text(d), "value": _value(draw, g, policy, d)} for d in dates]
        if _rarely(draw, 4) and plannable(g, today) and all(isinstance(g[k], int | float) for k in ("baseline", "target")):
            # the reading STR-011 judges a hair short of the half beyond its bound, whatever else Hypothesis favours
            judged = latest_reading(g, today)
            assert judged is not None
            away = -1 if g["target"] > g["baseline"] else 1
            bound = plan_bound(g, day(judged["date"]), tolerance(policy))
            judged["value"] = float(round6(bound) + away * (MICRO / 2 + HAIR))


def _value(draw: st.DrawFn, goal: Doc, policy: Doc | None, date: dt.date) -> object:
    """A reading: often at the plan's bound to the sixth place, one millionth either side of it, or
    the bound unrounded; else the baseline, the target or anything near them."""
    numbers = isinstance(goal.get("baseline"), int | float) and isinstance(goal.get("target"), int | float)
    if numbers and goal.get("start") and goal.get("due") and day(goal["start"]) < day(goal["due"]) and _often(draw):
        bound = plan_bound(goal, date, tolerance(policy))
        how = draw(st.sampled_from(["at", "at", "below", "above", "unrounded", "short of a half"]))
        if how == "short of a half":  # a hair short of the half beyond the bound: rounded once, it is behind
            away = -1 if goal["target"] > goal["baseline"] else 1
            return float(round6(bound) + away * (MICRO / 2 + HAIR))
        value = bound if how == "unrounded" else round6(bound) + {"at": 0, "below": -MICRO, "above": MICRO}[how]
        return float(value)
    return draw(st.one_of(st.sampled_from([goal.get("baseline") or 0, goal.get("target") or 1]),
                          st.floats(-1, 3, allow_nan=False).map(lambda x: round(x, 3))))


def progress_edges(s: Strategy) -> set[str]:
    """The boundaries of STR-011 and STR-012 this workspace sits on."""
    today = day(s.as_of)
    interval = ((s.policy or {}).get("goals") or {}).get("reading_interval_days")
    hit: set[str] = set()
    for g in s.goals:
        dates = {r["date"] for r in g.get("readings") or []}
        if s.as_of in dates:
            hit.add("a reading dated today")
        if _text(today + dt.timedelta(days=1)) in dates:
            hit.add("a reading after today")
        if interval is not None and _text(today - dt.timedelta(days=interval)) in dates:
            hit.add("a reading exactly N days old")
        if interval is not None and g.get("start") == _text(today - dt.timedelta(days=interval)):
            hit.add("a start exactly N days before today")
        if not plannable(g, today):
            continue
        reading = latest_reading(g, today)
        assert reading is not None
        bound = plan_bound(g, day(reading["date"]), tolerance(s.policy))
        gap = round6(exact(reading["value"])) - round6(bound)
        hit.add({0: "a reading exactly at the tolerance", MICRO: "a reading a millionth above the bound",
                 -MICRO: "a reading a millionth below the bound"}.get(gap, "a reading elsewhere"))
        if abs(exact(reading["value"]) - round6(bound)) == MICRO / 2 + HAIR:
            hit.add("a reading a hair short of a half beyond the bound")
        if (bound * 1_000_000).denominator == 2:
            hit.add("a bound on a half of the sixth place")
        if reading["date"] == g["due"]:
            hit.add("a reading on the due date")
        if g["due"] == s.as_of:
            hit.add("a goal due today judged")
        if g["target"] < g["baseline"]:
            hit.add("a falling goal judged")
    return hit


PROGRESS_EDGES = {"a reading dated today", "a reading after today", "a reading exactly N days old",
                  "a start exactly N days before today", "a reading exactly at the tolerance",
                  "a reading a millionth above the bound", "a reading a millionth below the bound",
                  "a reading elsewhere", "a bound on a half of the sixth place", "a reading on the due date",
                  "a goal due today judged", "a falling goal judged",
                  "a reading a hair short of a half beyond the bound"}


# ---------------------------------------------------------------- the workspace and govern's answer


def write_workspace(root: Path, s: Strategy, phases: tuple[str, ...]) -> Path:
    files = {"inventory/strategy.json": json.dumps({
        "goals": s.goals, "maturity_assessments": s.assessments, "projects": s.projects, "systems": s.systems})}
    if s.policy is not None:
        files["policies/strategy.json"] = json.dumps(s.policy)
    if phases:
        files["policies/budget.json"] = json.dumps({
            "kind": "BudgetPolicy", "id": "budget-2026", "categories": ["technology", "talent", "operations"],
            "phases": [{"id": p, "months": [6 * i + 1, 6 * i + 6]} for i, p in enumerate(phases)]})
    if root.exists():
        shutil.rmtree(root)
    return make_workspace(root, files)


def govern_strategy(root: Path, as_of: str) -> tuple[set[tuple[str, str, str]], dict[str, int], dict[str, str]]:
    """govern's STR findings, and each STR check's evaluated count and status."""
    ran = check(root, "--format", "json", as_of=as_of)
    assert ran.returncode in (0, 1), f"exit {ran.returncode}: the generator made an invalid workspace\n{ran.stderr}"
    result: dict[str, Any] = json.loads(ran.stdout)
    findings = {(f["check"], f["resource"]["kind"], f["resource"]["id"])
                for f in result["findings"] if f["check"].startswith("STR-")}
    checks = [c for c in result["checks"] if c["id"].startswith("STR-")]
    return findings, {c["id"]: c["evaluated"] for c in checks}, {c["id"]: c["status"] for c in checks}


def expected_status(check_id: str, evaluated: dict[str, int], findings: set[tuple[str, str, str]]) -> str:
    if any(f[0] == check_id for f in findings):
        return "fail"
    return "pass" if evaluated[check_id] else "not_applicable"


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_strategy_findings_agree_with_the_oracle(opa_binary: str, tmp_path: Path, chunk: int) -> None:
    root = tmp_path / "ws"

    @seed(chunk)  # each chunk its own examples, the same ones on every run
    @settings(max_examples=chunk_share(EXAMPLES, CHUNKS, chunk))
    @given(drawn=strategies())
    def one(drawn: tuple[Strategy, tuple[str, ...]]) -> None:
        s, phases = drawn
        findings, evaluated, status = govern_strategy(write_workspace(root, s, phases), s.as_of)
        want_findings, want_evaluated = expected(s)
        assert set(evaluated) == set(STR_CHECKS), sorted(evaluated)
        assert findings == want_findings, (
            f"govern only: {sorted(findings - want_findings)}; oracle only: {sorted(want_findings - findings)}")
        assert evaluated == want_evaluated, {c: f"govern {evaluated[c]}, oracle {want_evaluated[c]}"
                                             for c in STR_CHECKS if evaluated[c] != want_evaluated[c]}
        assert status == {c: expected_status(c, want_evaluated, want_findings) for c in STR_CHECKS}

    one()


# ---------------------------------------------------------------- the generator reaches the edges


def edges(s: Strategy) -> set[str]:
    """The boundaries of the STR rows this workspace sits on (for the generator's own test)."""
    today = day(s.as_of)
    policy = s.policy or {}
    hit: set[str] = set()
    if any(g.get("due") == s.as_of and g.get("status", "open") == "open" for g in s.goals):
        hit.add("open goal due today")
    by_id = {g["id"]: g for g in s.goals}
    if any(g.get("due") and by_id.get(g.get("parent"), {}).get("due") == g["due"] for g in s.goals):
        hit.add("goal due the day its parent is")
    if any(isinstance(g.get("baseline"), int) and isinstance(g.get("target"), float) and g["target"] == g["baseline"]
           for g in s.goals):
        hit.add("target 1.0 = baseline 1")
    interval = (policy.get("maturity") or {}).get("assessment_interval_days")
    past = [a for a in s.assessments if day(a["date"]) <= today]
    last = max(past, key=lambda a: (a["date"], a["id"]), default=None)
    if interval is not None and last and (today - day(last["date"])).days == interval:
        hit.add("latest assessment exactly the interval old")
    if len({a["date"] for a in past}) < len(past):
        hit.add("two assessments on one day")
    if any(p.get("maturity") and p["start"] in {a["date"] for a in s.assessments} for p in s.projects):
        hit.add("project starts the day of an assessment")
    if any(_tie_decides(p, s.assessments) for p in s.projects):
        hit.add("the larger id decides a project's baseline")
    pilot = policy.get("pilot")
    live = [p for p in s.projects if running(p, today)]
    if pilot and pilot["max_projects"] > 0 and sum(p.get("phase") == pilot["phase"] for p in live) == pilot["max_projects"]:
        hit.add("exactly max_projects pilots running")
    if any(p["start"] == s.as_of or p["end"] == s.as_of for p in s.projects):
        hit.add("project starts or ends today")
    limit = (policy.get("architecture") or {}).get("max_domains_per_system")
    if limit and any(len(set(sy.get("domains", []))) == limit for sy in s.systems):
        hit.add("system with exactly max_domains_per_system")
    return hit | progress_edges(s)


def _tie_decides(project: Doc, assessments: list[Doc]) -> bool:
    """The latest assessments on or before the project's start share a date and score its dimension apart."""
    if not project.get("maturity"):
        return False
    before = [a for a in assessments if a["date"] <= project["start"]]
    last = max((a["date"] for a in before), default=None)
    levels = {a["scores"].get(project["maturity"]["dimension"]) for a in before if a["date"] == last}
    return len(levels) > 1


EDGES = {"open goal due today", "goal due the day its parent is", "target 1.0 = baseline 1",
         "the larger id decides a project's baseline",
         "latest assessment exactly the interval old", "two assessments on one day",
         "project starts the day of an assessment", "exactly max_projects pilots running",
         "project starts or ends today", "system with exactly max_domains_per_system", *PROGRESS_EDGES}


def test_the_generator_reaches_the_edges() -> None:
    """Over the differential's own seeds and counts, without OPA: every STR check both fires and passes
    for some resource, and every boundary above comes up. Cheap: only the oracle runs."""
    fired: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    reached: Counter[str] = Counter()
    for chunk in range(CHUNKS):

        @seed(chunk)
        @settings(max_examples=chunk_share(EXAMPLES, CHUNKS, chunk))
        @given(drawn=strategies())
        def one(drawn: tuple[Strategy, tuple[str, ...]]) -> None:
            s, _ = drawn
            findings, evaluated = expected(s)
            fired.update({f[0] for f in findings})
            passed.update({c for c in STR_CHECKS if evaluated[c] > sum(f[0] == c for f in findings)})
            reached.update(edges(s))

        one()
    assert set(fired) == set(STR_CHECKS), f"never fires: {sorted(set(STR_CHECKS) - set(fired))}"
    assert set(passed) == set(STR_CHECKS), f"never passes: {sorted(set(STR_CHECKS) - set(passed))}"
    assert set(reached) == EDGES, f"never reached: {sorted(EDGES - set(reached))}"


# ---------------------------------------------------------------- the committee's actions: ACT-001..ACT-004
#
# The same random strategy workspaces, with a Committee that sometimes sets `actions.required_at` (each
# severity), an AuthorityMatrix, waivers on findings the workspace has (applied, expired the day before,
# expiring today, or approved by their own requester, which is not applied) and actions around today
# (open, done, dropped, no status) addressing those findings and findings that do not fire. The ACT
# findings and counts govern gives must be what the oracle computes from the run's own non-ACT findings
# and their statuses: the ACT checks (Rego) and the run (Python) must agree on what is unwaived.

ACT_EXAMPLES = depth("GOVERN_ACT_EXAMPLES", ci=100, local=15)
ACT_CHUNKS = max(1, min(ACT_EXAMPLES, int(os.environ.get("GOVERN_ACT_CHUNKS", "3"))))
AUTHORITY = {"kind": "AuthorityMatrix", "id": "doa", "limits": {"waiver": {"CEO": None}}, "max_waiver_days": 180}


def _resources(s: Strategy) -> list[tuple[str, str]]:
    """The resources an action or a waiver may name here: every one must exist (exit 2 otherwise)."""
    return ([("goal", g["id"]) for g in s.goals] + [("project", p["id"]) for p in s.projects]
            + [("system", sy["id"]) for sy in s.systems] + [("maturity_assessment", a["id"]) for a in s.assessments])


def _act_keys(draw: st.DrawFn, s: Strategy) -> list[tuple[str, str, str]]:
    """Findings the workspace has (the oracle's STR findings on those resources) and a few that do not fire."""
    resources = _resources(s)
    fired = sorted(f for f in expected(s)[0] if (f[1], f[2]) in set(resources))
    quiet = [(draw(st.sampled_from(STR_CHECKS)), *draw(st.sampled_from(resources))) for _ in range(draw(st.integers(0, 2)))] \
        if resources else []
    return fired + quiet


def _act_waivers(draw: st.DrawFn, keys: list[tuple[str, str, str]], today: dt.date) -> list[Doc]:
    waivers: list[Doc] = []
    # mostly at least one, and the first draws favour a granted one on a finding that fires: every chunk,
    # however few its examples, applies a waiver
    for i in range(0 if not keys or _rarely(draw, 4) else draw(st.integers(1, min(3, len(keys))))):
        check_id, kind, rid = draw(st.sampled_from(keys))
        waivers.append({
            "id": f"wv-{i}", "check": check_id, "resource": {"kind": kind, "id": rid}, "justification": "j",
            "requested_by": "p-cto", "approved_by": draw(st.sampled_from(["p-ceo", "p-ceo", "p-cto"])),
            "approved_at": _text(today - dt.timedelta(days=10)),
            "expires": _text(today + dt.timedelta(days=draw(st.sampled_from([30, 30, 0, -1])))),
        })
    return waivers


def _act_items(draw: st.DrawFn, keys: list[tuple[str, str, str]], today: dt.date) -> list[Doc]:
    actions: list[Doc] = []
    for i in range(draw(st.integers(0, 5))):
        a: Doc = {"id": f"act-{i}", "title": "t", "owner": draw(st.sampled_from(PEOPLE)),
                  "due": _text(_near(draw, today, -60, 60))}
        _put(a, "status", draw(st.sampled_from([ABSENT, "open", "open", "done", "done", "dropped"])))
        if keys and _often(draw):
            chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3))
            a["addresses"] = [{"check": c, "resource": {"kind": k, "id": r}} for c, k, r in chosen]
        actions.append(a)
    return actions


@st.composite
def acted(draw: st.DrawFn) -> tuple[Strategy, tuple[str, ...], Actions, list[Doc]]:
    """A strategy workspace, its committee's actions, and its waivers."""
    s, phases = draw(strategies())
    today = day(s.as_of)
    keys = _act_keys(draw, s)
    required_at = draw(st.sampled_from([None, *SEVERITY_ORDER]))
    return s, phases, Actions(s.as_of, required_at, _act_items(draw, keys, today)), _act_waivers(draw, keys, today)


def write_actions(root: Path, a: Actions, waivers: list[Doc]) -> None:
    """The committee's actions, its required_at and the waivers, over a workspace write_workspace wrote."""
    committee = MINIMAL_POLICIES["policies/committee.yaml"]
    if a.required_at is not None:
        committee += f"actions: {{required_at: {a.required_at}}}\n"
    make_workspace(root, {
        "policies/committee.yaml": committee,
        "policies/authority.json": json.dumps(AUTHORITY),
        "inventory/actions.json": json.dumps({"actions": a.actions}),
        "waivers/waivers.json": json.dumps({"waivers": waivers}),
    }, base=None)


def govern_actions(root: Path, as_of: str) -> tuple[list[Doc], set[tuple[str, str, str]], dict[str, int]]:
    """The run's findings, its ACT findings and each ACT check's evaluated count."""
    ran = check(root, "--format", "json", as_of=as_of)
    assert ran.returncode in (0, 1), f"exit {ran.returncode}: the generator made an invalid workspace\n{ran.stderr}"
    result: dict[str, Any] = json.loads(ran.stdout)
    acts = {(f["check"], f["resource"]["kind"], f["resource"]["id"])
            for f in result["findings"] if f["check"].startswith("ACT-")}
    return result["findings"], acts, {c["id"]: c["evaluated"] for c in result["checks"] if c["id"].startswith("ACT-")}


@pytest.mark.parametrize("chunk", range(ACT_CHUNKS))
def test_act_findings_agree_with_the_oracle(opa_binary: str, tmp_path: Path, chunk: int) -> None:
    root = tmp_path / "ws"
    statuses: Counter[str] = Counter()

    @seed(chunk)
    @settings(max_examples=chunk_share(ACT_EXAMPLES, ACT_CHUNKS, chunk))
    @given(drawn=acted())
    def one(drawn: tuple[Strategy, tuple[str, ...], Actions, list[Doc]]) -> None:
        s, phases, a, waivers = drawn
        write_actions(write_workspace(root, s, phases), a, waivers)
        findings, acts, evaluated = govern_actions(root, s.as_of)
        want, want_evaluated = expected_actions(a, findings)
        assert set(evaluated) == set(ACT_CHECKS), sorted(evaluated)
        assert acts == want, f"govern only: {sorted(acts - want)}; oracle only: {sorted(want - acts)}"
        assert evaluated == want_evaluated
        statuses.update(f["status"] for f in findings if not f["check"].startswith(("WAV-", "ACT-")))

    one()
    assert statuses["waived"] and statuses["fail"], statuses  # waivers were applied, and not all findings waived
