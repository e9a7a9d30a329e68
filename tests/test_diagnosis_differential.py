"""The diagnosis findings, checked independently.

Hypothesis generates random but valid workspaces that carry the diagnosis domain
— a StrategyPolicy (sometimes none, sometimes without a `diagnosis` section), value
streams whose steps give or lack an owner, inputs, outputs and minutes, are manual
or not and list 0 to 3 systems, mapped around the map interval's edge by a team
that sometimes lacks a function; pain points on their steps, with and without root
causes; root causes; benchmarks studied around the benchmark interval's edge; and
projects around today that remove root causes, name technologies and serve goals —
and runs `govern check --format json` on each against the test worker's OPA server.
Its DIA findings (check, resource kind, resource id), each DIA check's `evaluated`
count and status must be what tests/diagnosis_oracle.py, a plain-Python reading of
the catalogue's DIA rows, computes from the same generated data. So must the result's diagnosis
section (each step a hand-off or not, the chain's gaps, each removing project live or ended: the
readings the reports draw from DIA-004..006), and DIA-002's message must name each step that lacks
something and what it lacks.

The edges are built on purpose, not left to Hypothesis's favour: a stream with
exactly `max_manual_steps` hand-offs and one with one more, whose pain points name
every hand-off but one or all of them; a pain point of another stream naming the
same step id; a step with two systems and one not manual; a map and a study exactly
the interval old, a day older and dated after today; a team lacking exactly one
function; a project removing a cause that ends today or the day before;
`minutes: 0`. `test_the_generator_reaches_the_edges` holds the generator to that
without OPA, so the differential cannot pass by never reaching them.

The EXAMPLES (GOVERN_DIAGNOSIS_EXAMPLES; 120 in CI, 40 in a developer's run:
conftest.depth) are split into CHUNKS runs of their own Hypothesis seed, which
pytest-xdist spreads over its workers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from tests.conftest import AS_OF, check, chunk_share, depth, make_workspace
from tests.diagnosis_oracle import (
    DIA_CHECKS,
    FUNCTIONS,
    STEP_FIELDS,
    Diagnosis,
    Doc,
    day,
    expected,
    gaps,
    hand_offs,
    live,
    removed,
    rooted,
    running,
)
from tests.draws_support import ABSENT
from tests.draws_support import often as _often
from tests.draws_support import put as _put
from tests.draws_support import rarely as _rarely
from tests.draws_support import text as _text

EXAMPLES = depth("GOVERN_DIAGNOSIS_EXAMPLES", ci=120, local=40)
CHUNKS = max(1, min(EXAMPLES, int(os.environ.get("GOVERN_DIAGNOSIS_CHUNKS", "4"))))

# Today: the suite's, the day after a leap day (2028-02-29), and a new year's day.
TODAYS = (AS_OF, "2028-03-01", "2027-01-01")
PEOPLE = ("p-ceo", "p-cto")  # tests/conftest.py MINIMAL_POLICIES
SYSTEMS = ("sys-0", "sys-1", "sys-2", "sys-3")
GOALS = ("g-0", "g-1")
STEP_IDS = ("s-0", "s-1", "s-2", "s-3")  # the same ids in every stream: step ids are unique within a stream only


def _ago(today: dt.date, days: int) -> str:
    return _text(today - dt.timedelta(days=days))


def _edge_dates(draw: st.DrawFn, today: dt.date, interval: int, count: int) -> list[str]:
    """`count` dates, each at a different one of: exactly `interval` days old, a day older, dated after
    today, and anywhere near the edge — in an order Hypothesis draws, so each edge comes up often."""
    anywhere = draw(st.integers(-30, interval + 60))
    offsets = draw(st.permutations([interval, interval + 1, -1, anywhere]))
    return [_ago(today, offsets[i % len(offsets)]) for i in range(count)]


# ---------------------------------------------------------------- the generator


def _policy(draw: st.DrawFn) -> Doc | None:
    if _rarely(draw, 8):
        return None
    doc: Doc = {"kind": "StrategyPolicy", "id": "strategy-2026"}
    if not _rarely(draw, 7):
        doc["diagnosis"] = {
            "map_interval_days": draw(st.one_of(st.sampled_from([365, 30, 1]), st.integers(1, 400))),
            "max_manual_steps": draw(st.sampled_from([1, 0, 2, 3])),
            "benchmark_interval_days": draw(st.one_of(st.sampled_from([365, 90, 1]), st.integers(1, 400))),
        }
    return doc


def _list(draw: st.DrawFn, values: tuple[str, ...]) -> object:
    """A list field: given (one or two values), empty, or absent."""
    how = draw(st.sampled_from(["given", "given", "given", "empty", "absent"]))
    if how == "given":
        return draw(st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True))
    return [] if how == "empty" else ABSENT


def _step(draw: st.DrawFn, sid: str) -> Doc:
    """A step fully mapped (most often), lacking exactly one of owner, inputs, outputs and minutes (absent,
    or an empty list), or lacking what the draws leave out."""
    step: Doc = {"id": sid, "name": f"步骤 {sid}", "owner": draw(st.sampled_from(PEOPLE)), "inputs": ["订单"],
                 "outputs": ["可用库存"], "minutes": draw(st.sampled_from([40, 0, 120]))}  # 0 minutes is given
    how = draw(st.sampled_from(["complete", "complete", "one short", "any"]))
    short = [draw(st.sampled_from(STEP_FIELDS))] if how == "one short" else \
        [f for f in STEP_FIELDS if how == "any" and draw(st.booleans())]
    for field in short:
        del step[field]
        if field in ("inputs", "outputs") and draw(st.booleans()):
            step[field] = []
    if draw(st.booleans()):
        step["error_rate"] = draw(st.sampled_from([0.15, 0, 1]))
    _put(step, "manual", draw(st.sampled_from([ABSENT, True, False])))
    count = draw(st.sampled_from([2, 0, 1, 3]))
    if count:
        step["systems"] = list(draw(st.permutations(SYSTEMS))[:count])
    return step


def _set_hand_offs(draw: st.DrawFn, stream: Doc, wanted: int) -> None:
    """Make exactly `wanted` of the stream's steps hand-offs (as far as it has steps); the others are
    manual with one system or not manual with two, so that neither half alone makes a hand-off."""
    for i, step in enumerate(stream["steps"]):
        if i < wanted:
            step["manual"], step["systems"] = True, list(draw(st.permutations(SYSTEMS))[:draw(st.sampled_from([2, 3]))])
        elif draw(st.booleans()):
            step["manual"], step["systems"] = True, [draw(st.sampled_from(SYSTEMS))]
        else:
            step["manual"], step["systems"] = False, list(SYSTEMS[:2])


def _team(draw: st.DrawFn) -> object:
    """Who drew the map: all three functions, all but one, any of them, or no team."""
    how = draw(st.sampled_from(["all", "all", "one short", "any", "none"]))
    if how == "none":
        return ABSENT
    short = draw(st.sampled_from(FUNCTIONS)) if how == "one short" else None
    return {f: draw(st.sampled_from(PEOPLE)) for f in FUNCTIONS
            if f != short and (how != "any" or draw(st.booleans()))}


def _streams(draw: st.DrawFn, settings_: Doc | None, today: dt.date) -> list[Doc]:
    interval = (settings_ or {}).get("map_interval_days", 365)
    limit = (settings_ or {}).get("max_manual_steps", 1)
    streams: list[Doc] = []
    count = 0 if _rarely(draw, 8) else draw(st.integers(1, 3))
    for i, mapped_at in enumerate(_edge_dates(draw, today, interval, count)):
        v: Doc = {"id": f"vs-{i}", "name": f"价值流 {i}", "owner": draw(st.sampled_from(PEOPLE))}
        _put(v, "core", draw(st.sampled_from([True, True, False, ABSENT])))
        _put(v, "mapped_at", ABSENT if _rarely(draw, 5) else mapped_at)
        _put(v, "team", _team(draw))
        v["steps"] = [_step(draw, sid) for sid in STEP_IDS[:draw(st.integers(1, len(STEP_IDS)))]]
        if _often(draw):  # at the limit of hand-offs, or one over it
            _set_hand_offs(draw, v, limit + draw(st.sampled_from([1, 0])))
        streams.append(v)
    return streams


def _pain_points(draw: st.DrawFn, streams: list[Doc], causes: list[str]) -> list[Doc]:
    """For each stream, often pain points naming all its hand-offs or all but one; sometimes a pain point
    of another stream naming a hand-off's step id; and a few at random."""
    points: list[Doc] = []

    def add(stream: Doc, steps: object) -> None:
        p: Doc = {"id": f"pp-{len(points)}", "value_stream": stream["id"], "statement": "人工对接多个系统"}
        _put(p, "steps", steps)
        _put(p, "root_causes", _list(draw, tuple(causes)) if causes else draw(st.sampled_from([ABSENT, []])))
        points.append(p)

    for v in streams:
        found = hand_offs(v)
        if found and _often(draw):
            named = found if draw(st.booleans()) else found[1:]
            if named:
                add(v, named)
        others = [o for o in streams if o is not v]
        if found and others and _rarely(draw, 3):
            add(draw(st.sampled_from(others)), [found[0]] if found[0] in _step_ids(others) else ABSENT)
    for _ in range(draw(st.integers(0, 2)) if streams else 0):
        v = draw(st.sampled_from(streams))
        add(v, draw(st.sampled_from([ABSENT, [s["id"] for s in v["steps"][:1]]])))
    return points


def _step_ids(streams: list[Doc]) -> set[str]:
    return {s["id"] for v in streams for s in v["steps"]}


def _fix_foreign_steps(points: list[Doc], streams: list[Doc]) -> None:
    """A pain point names steps of its own stream only (else exit 2): keep those."""
    steps = {v["id"]: {s["id"] for s in v["steps"]} for v in streams}
    for p in points:
        if "steps" in p:
            p["steps"] = [s for s in p["steps"] if s in steps[p["value_stream"]]]


def _root_causes(draw: st.DrawFn) -> list[Doc]:
    return [{"id": f"rc-{i}", "category": draw(st.sampled_from(["architecture", "data_standards", "coordination", "other"])),
             "method": draw(st.sampled_from(["five_whys", "fishbone"])), "statement": "系统之间没有接口"}
            for i in range(0 if _rarely(draw, 6) else draw(st.integers(1, 3)))]


def _projects(draw: st.DrawFn, causes: list[str], today: dt.date) -> list[Doc]:
    projects: list[Doc] = []
    ends = draw(st.permutations([0, -1, 1, draw(st.integers(-200, 400))]))  # ending today, yesterday, tomorrow
    for i in range(0 if _rarely(draw, 6) else draw(st.integers(1, 4))):
        end = ends[i]
        start = draw(st.one_of(st.sampled_from([0, 1]), st.integers(-400, 60)))
        start = min(start, end) if _often(draw) else start  # now and then a project yet to start
        p: Doc = {"id": f"prj-{i}", "start": _text(today + dt.timedelta(days=start)),
                  "end": _text(today + dt.timedelta(days=max(start, end)))}
        if causes:
            _put(p, "root_causes", _list(draw, tuple(causes)))
        _put(p, "technologies", _list(draw, ("iot", "ml")))
        _put(p, "serves", _list(draw, GOALS))
        projects.append(p)
    return projects


def _benchmarks(draw: st.DrawFn, settings_: Doc | None, projects: list[Doc], today: dt.date) -> list[Doc]:
    interval = (settings_ or {}).get("benchmark_interval_days", 365)
    marks: list[Doc] = []
    count = 0 if _rarely(draw, 6) else draw(st.integers(1, 2))
    for i, studied_at in enumerate(_edge_dates(draw, today, interval, count)):
        b: Doc = {"id": f"bm-{i}", "peer": "盒马鲜生", "practice": "线上线下一体化供应链", "studied_at": studied_at}
        if projects and _often(draw):
            b["adopted_by"] = draw(st.lists(st.sampled_from([p["id"] for p in projects]), min_size=1, max_size=2,
                                            unique=True))
        marks.append(b)
    return marks


@st.composite
def diagnoses(draw: st.DrawFn) -> Diagnosis:
    today_text = draw(st.sampled_from(TODAYS))
    today = day(today_text)
    policy = _policy(draw)
    settings_ = (policy or {}).get("diagnosis")
    causes = _root_causes(draw)
    streams = _streams(draw, settings_, today)
    points = _pain_points(draw, streams, [c["id"] for c in causes])
    _fix_foreign_steps(points, streams)
    projects = _projects(draw, [c["id"] for c in causes], today)
    return Diagnosis(today_text, policy, streams, points, causes, _benchmarks(draw, settings_, projects, today),
                     projects)


# ---------------------------------------------------------------- the workspace and govern's answer


def write_workspace(root: Path, d: Diagnosis) -> Path:
    inventory = {
        "systems": [{"id": s, "deployment": "private"} for s in SYSTEMS],
        "goals": [{"id": g, "tier": "strategic", "statement": "s"} for g in GOALS],
        "value_streams": d.streams, "pain_points": d.pain_points, "root_causes": d.root_causes,
        "benchmarks": d.benchmarks, "projects": d.projects,
    }
    files = {"inventory/diagnosis.json": json.dumps({k: v for k, v in inventory.items() if v}, ensure_ascii=False)}
    if d.policy is not None:
        files["policies/strategy.json"] = json.dumps(d.policy)
    if root.exists():
        shutil.rmtree(root)
    return make_workspace(root, files)


def govern_run(root: Path, as_of: str) -> dict[str, Any]:
    """govern's result of the workspace."""
    ran = check(root, "--format", "json", as_of=as_of)
    assert ran.returncode in (0, 1), f"exit {ran.returncode}: the generator made an invalid workspace\n{ran.stderr}"
    result: dict[str, Any] = json.loads(ran.stdout)
    return result


def dia_rows(result: dict[str, Any]) -> tuple[set[tuple[str, str, str]], dict[str, int], dict[str, str]]:
    """The result's DIA findings, and each DIA check's evaluated count and status."""
    findings = {(f["check"], f["resource"]["kind"], f["resource"]["id"])
                for f in result["findings"] if f["check"].startswith("DIA-")}
    checks = [c for c in result["checks"] if c["id"].startswith("DIA-")]
    return findings, {c["id"]: c["evaluated"] for c in checks}, {c["id"]: c["status"] for c in checks}


def assert_section_agrees(d: Diagnosis, section: dict[str, Any] | None) -> None:
    """The diagnosis section marks what the oracle computes: each step a hand-off or not, each pain point
    without a root cause, each root cause no live project removes, each removing project live or ended;
    nothing of it when the checks judge nothing."""
    if not d.streams:
        assert section is None
        return
    assert section is not None
    judged = d.settings is not None
    assert section["judged"] is judged
    for stream in section["streams"]:
        written = next(v for v in d.streams if v["id"] == stream["id"])
        marked = [s["id"] for s in stream["steps"] if s["hand_off"]]
        assert marked == (hand_offs(written) if judged else []), stream["id"]
    unrooted = {p["id"] for p in section["pain_points"] if p["unrooted"]}
    unremoved = {r["id"] for r in section["root_causes"] if r["unremoved"]}
    assert unrooted == (set(rooted(d).failing) if judged else set())
    assert unremoved == (set(removed(d).failing) if judged else set())
    today = day(d.as_of)
    projects = {p["id"]: p for p in d.projects}
    assert all(link["live"] == (live(projects[link["id"]], today) if judged else None)
               for r in section["root_causes"] for link in r["projects"])


def assert_gaps_named(d: Diagnosis, result: dict[str, Any]) -> None:
    """DIA-002's message names each step that lacks something, and what it lacks."""
    for f in result["findings"]:
        if f["check"] != "DIA-002":
            continue
        stream = next(v for v in d.streams if v["id"] == f["resource"]["id"])
        for step in stream["steps"]:
            if gaps(step):
                assert f"step {step['id']} lacks {', '.join(gaps(step))}" in f["message"], (step, f["message"])
            else:
                assert f"step {step['id']} " not in f["message"], (step, f["message"])


def expected_status(check_id: str, evaluated: dict[str, int], findings: set[tuple[str, str, str]]) -> str:
    if any(f[0] == check_id for f in findings):
        return "fail"
    return "pass" if evaluated[check_id] else "not_applicable"


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_diagnosis_findings_agree_with_the_oracle(opa_binary: str, tmp_path: Path, chunk: int) -> None:
    root = tmp_path / "ws"

    @seed(chunk)  # each chunk its own examples, the same ones on every run
    @settings(max_examples=chunk_share(EXAMPLES, CHUNKS, chunk))
    @given(d=diagnoses())
    def one(d: Diagnosis) -> None:
        result = govern_run(write_workspace(root, d), d.as_of)
        findings, evaluated, status = dia_rows(result)
        want_findings, want_evaluated = expected(d)
        assert set(evaluated) == set(DIA_CHECKS), sorted(evaluated)
        assert findings == want_findings, (
            f"govern only: {sorted(findings - want_findings)}; oracle only: {sorted(want_findings - findings)}")
        assert evaluated == want_evaluated, {c: f"govern {evaluated[c]}, oracle {want_evaluated[c]}"
                                             for c in DIA_CHECKS if evaluated[c] != want_evaluated[c]}
        assert status == {c: expected_status(c, want_evaluated, want_findings) for c in DIA_CHECKS}
        assert_section_agrees(d, result["diagnosis"])
        assert_gaps_named(d, result)

    one()


# ---------------------------------------------------------------- the generator reaches the edges


def _stream_edges(d: Diagnosis, settings_: Doc, today: dt.date) -> set[str]:
    hit: set[str] = set()
    limit = settings_["max_manual_steps"]
    for v in d.streams:
        found = hand_offs(v)
        named = {s for p in d.pain_points if p["value_stream"] == v["id"] for s in p.get("steps") or []}
        if found and len(found) == limit:
            hit.add("hand-offs exactly at the limit")
        if len(found) == limit + 1:
            hit.add("one hand-off over the limit, " + ("all named" if set(found) <= named else "one unnamed"
                                                       if len(set(found) - named) == 1 else "several unnamed"))
        if any(set(found) & {s for p in d.pain_points if p["value_stream"] != v["id"] for s in p.get("steps") or []}):
            hit.add("a hand-off's step id named by another stream's pain point")
        if any(s.get("manual") and len(s.get("systems") or []) == 1 for s in v["steps"]):
            hit.add("a manual step with one system")
        if any(not s.get("manual") and len(s.get("systems") or []) >= 2 for s in v["steps"]):
            hit.add("a step with two systems, not manual")
        if v.get("mapped_at"):
            age = (today - day(v["mapped_at"])).days
            hit.add({settings_["map_interval_days"]: "a map exactly the interval old",
                     settings_["map_interval_days"] + 1: "a map a day older than the interval",
                     -1: "a map dated after today"}.get(age, "a map elsewhere"))
            missing = [f for f in FUNCTIONS if not (v.get("team") or {}).get(f)]
            if len(missing) == 1:
                hit.add("a team lacking exactly one function")
        for s in v["steps"]:
            lacking = [f for f in STEP_FIELDS if s.get(f) in (None, [])]
            if len(lacking) == 1:
                hit.add(f"a step lacking only {lacking[0]}")
            if any(s.get(f) == [] for f in ("inputs", "outputs")):
                hit.add("a step with an empty list")
            if s.get("minutes") == 0:
                hit.add("a step of 0 minutes")
    return hit


def edges(d: Diagnosis) -> set[str]:
    """The boundaries of the DIA rows this workspace sits on (for the generator's own test)."""
    settings_ = d.settings
    if settings_ is None:
        return {"no diagnosis section"}
    today = day(d.as_of)
    hit = _stream_edges(d, settings_, today)
    for b in d.benchmarks:
        age = (today - day(b["studied_at"])).days
        hit.add({settings_["benchmark_interval_days"]: "a study exactly the interval old",
                 settings_["benchmark_interval_days"] + 1: "a study a day older than the interval",
                 -1: "a study dated after today"}.get(age, "a study elsewhere"))
    for p in d.projects:
        if p.get("root_causes") and p["end"] == d.as_of:
            hit.add("a project removing a cause ends today")
        if p.get("root_causes") and day(p["end"]) == today - dt.timedelta(days=1):
            hit.add("a project removing a cause ended yesterday")
        if p.get("root_causes") and day(p["start"]) > today:
            hit.add("a project removing a cause is yet to start")
        if p.get("technologies") and running(p, today) and not p.get("root_causes") and p.get("serves"):
            hit.add("a running technology project serving a goal only")
        if p.get("technologies") and (p["start"] == d.as_of or p["end"] == d.as_of):
            hit.add("a technology project starting or ending today")
    return hit


EDGES = {"no diagnosis section", "hand-offs exactly at the limit", "one hand-off over the limit, all named",
         "one hand-off over the limit, one unnamed", "a hand-off's step id named by another stream's pain point",
         "a manual step with one system", "a step with two systems, not manual", "a map exactly the interval old",
         "a map a day older than the interval", "a map dated after today", "a map elsewhere",
         "a team lacking exactly one function", *(f"a step lacking only {f}" for f in STEP_FIELDS),
         "a step with an empty list", "a step of 0 minutes", "a study exactly the interval old",
         "a study a day older than the interval", "a study dated after today", "a study elsewhere",
         "a project removing a cause ends today", "a project removing a cause ended yesterday",
         "a project removing a cause is yet to start", "a running technology project serving a goal only",
         "a technology project starting or ending today"}


def test_the_generator_reaches_the_edges() -> None:
    """Over the differential's own seeds and counts, without OPA: every DIA check both fires and passes
    for some resource, and every boundary above comes up. Cheap: only the oracle runs."""
    fired: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    reached: Counter[str] = Counter()
    for chunk in range(CHUNKS):

        @seed(chunk)
        @settings(max_examples=chunk_share(EXAMPLES, CHUNKS, chunk))
        @given(d=diagnoses())
        def one(d: Diagnosis) -> None:
            findings, evaluated = expected(d)
            fired.update({f[0] for f in findings})
            passed.update({c for c in DIA_CHECKS if evaluated[c] > sum(f[0] == c for f in findings)})
            reached.update(edges(d))

        one()
    assert set(fired) == set(DIA_CHECKS), f"never fires: {sorted(set(DIA_CHECKS) - set(fired))}"
    assert set(passed) == set(DIA_CHECKS), f"never passes: {sorted(set(DIA_CHECKS) - set(passed))}"
    assert set(reached) >= EDGES, f"never reached: {sorted(EDGES - set(reached))}"
