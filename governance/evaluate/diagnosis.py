"""The diagnosis chapter for reports: each value stream with its steps, the chain from pain point to root
cause to the projects removing it, and the benchmarks (handbook §1.1).

Like the strategy summary it is computed at run time and stored in the `RunResult`, because renderers never
read the workspace. Judgements stay the checks' own: a step is a hand-off because the check observing
`hand_offs` counted it one; a pain point lacks a root cause, and a root cause a live project, because the
checks observing `unrooted_pain_points` and `root_cause_removal` fired on them; a project removing a cause
is live because that check counted it live. This module only arranges the workspace's facts around them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from governance.engine import EngineError
from governance.evaluate.readings import Observed
from governance.model import Benchmark, PainPoint, Person, Project, RootCause, StrategyPolicy, ValueStream
from governance.result import (
    BenchmarkRecord,
    DiagnosisSummary,
    Finding,
    PainPointRecord,
    ProjectLink,
    RootCauseRecord,
    StepRecord,
    ValueStreamRecord,
)


def summarize(policy: StrategyPolicy | None, streams: Mapping[str, ValueStream], pain_points: Mapping[str, PainPoint],
              root_causes: Mapping[str, RootCause], benchmarks: Mapping[str, Benchmark],
              projects: Mapping[str, Project], people: Mapping[str, Person], findings: list[Finding], *,
              hand_offs: Observed, unrooted_by: str, removal: Observed,
              skipped: frozenset[str] = frozenset()) -> DiagnosisSummary | None:
    """None when the workspace maps no value stream. `hand_offs` is what the check observing hand-offs
    counted (stream -> its hand-off step ids); `unrooted_by` is the id of the check whose findings on pain
    points mark them without a root cause; `removal` is what the check observing root causes' removal
    counted (root cause -> the live projects removing it), and its findings mark the causes no live project
    removes. Without a `diagnosis` section those checks judge nothing, nor with one of them among the
    `skipped`: the summary then says so (`judged`) and calls nothing a hand-off or a gap."""
    if not streams:
        return None
    judged = policy is not None and policy.diagnosis is not None \
        and not {hand_offs.check, unrooted_by, removal.check} & skipped
    steps_of = _lists(hand_offs) if judged else {}
    live_of = _lists(removal) if judged else {}
    fired = {(f.check, f.resource.id) for f in findings} if judged else set()
    ordered = sorted(streams.values(), key=lambda v: (not v.core, v.id))
    rank = {v.id: i for i, v in enumerate(ordered)}
    return DiagnosisSummary(
        streams=[_stream(v, people, set(steps_of.get(v.id, []))) for v in ordered],
        pain_points=[_pain_point(p, (unrooted_by, p.id) in fired)
                     for p in sorted(pain_points.values(), key=lambda p: (rank.get(p.value_stream, len(rank)), p.id))],
        root_causes=[_root_cause(r, projects, set(live_of.get(r.id, [])) if judged else None, (removal.check, r.id) in fired)
                     for r in sorted(root_causes.values(), key=lambda r: r.id)],
        benchmarks=[_benchmark(b, projects)
                    for b in sorted(benchmarks.values(), key=lambda b: (-b.studied_at.toordinal(), b.id))],
        judged=judged,
    )


def _stream(v: ValueStream, people: Mapping[str, Person], hand_offs: set[str]) -> ValueStreamRecord:
    timed = [s.minutes for s in v.steps if s.minutes is not None]
    return ValueStreamRecord(
        id=v.id, name=v.name, core=v.core, owner=v.owner, owner_name=_name(people, v.owner),
        mapped_at=v.mapped_at.isoformat() if v.mapped_at else None,
        steps=[StepRecord(id=s.id, name=s.name, owner=s.owner, owner_name=_name(people, s.owner), minutes=s.minutes,
                          error_rate=s.error_rate, manual=s.manual, systems=list(s.systems), hand_off=s.id in hand_offs)
               for s in v.steps],
        minutes=sum(timed), timed=len(timed),
    )


def _pain_point(p: PainPoint, unrooted: bool) -> PainPointRecord:
    return PainPointRecord(id=p.id, value_stream=p.value_stream, steps=list(p.steps), statement=p.statement,
                           root_causes=list(p.root_causes), unrooted=unrooted)


def _root_cause(r: RootCause, projects: Mapping[str, Project], live: set[str] | None, unremoved: bool) -> RootCauseRecord:
    """`live`: the projects removing it that the check counted live; None when it judged nothing."""
    removing = sorted(p.id for p in projects.values() if r.id in p.root_causes)
    return RootCauseRecord(
        id=r.id, category=r.category, method=r.method, statement=r.statement, unremoved=unremoved,
        projects=[ProjectLink(id=pid, name=projects[pid].name, live=None if live is None else pid in live) for pid in removing])


def _benchmark(b: Benchmark, projects: Mapping[str, Project]) -> BenchmarkRecord:
    return BenchmarkRecord(id=b.id, peer=b.peer, practice=b.practice, studied_at=b.studied_at.isoformat(),
                           adopted_by=[ProjectLink(id=pid, name=projects[pid].name if pid in projects else None)
                                       for pid in b.adopted_by])


def _name(people: Mapping[str, Person], person: str | None) -> str | None:
    found = people.get(person) if person else None
    return found.name if found else None


def _lists(observed: Observed) -> dict[str, list[str]]:
    """An observation of the shape id -> [ids]; anything else is the library's fault, not the workspace's."""
    shaped: dict[str, Any] = observed.observations
    if not all(isinstance(v, list) and all(isinstance(i, str) for i in v) for v in shaped.values()):
        raise EngineError(f"{observed.check} observed the diagnosis in an unexpected shape: {shaped!r:.200}")
    return {k: list(v) for k, v in shaped.items()}
