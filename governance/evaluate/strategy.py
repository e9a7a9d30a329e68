"""The strategy chapter for reports: the goal tree with each goal's progress against its plan, the
latest maturity diagnosis against the one before, and the pilot's scope (handbook §1.1–§1.3).

Like the budget summary it is computed at run time and stored in the `RunResult`, because
renderers never read the workspace. Judgements stay the checks' own: a goal is marked overdue
because the check observing `overdue_goals` fired on it, the pilot's running projects are
those the check observing `pilot_scope` counted, and a goal's progress is what the check observing
`goal_progress` measured (readings.py); this module only arranges the workspace's facts around them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from pydantic import ValidationError

from governance.engine import EngineError
from governance.evaluate.readings import Observed
from governance.model import DEFAULT_DIMENSIONS, DEFAULT_TIERS, Goal, MaturityAssessment, Person, Project, StrategyPolicy
from governance.result import AssessmentRecord, Finding, GoalProgress, GoalRecord, PilotScope, StrategySummary


def summarize(policy: StrategyPolicy | None, goals: Mapping[str, Goal], assessments: Mapping[str, MaturityAssessment],
              projects: Mapping[str, Project], people: Mapping[str, Person],
              findings: list[Finding], pilot: Observed, overdue_by: str,
              skipped: frozenset[str] = frozenset(), progress: Observed | None = None) -> StrategySummary | None:
    """None when the workspace has no strategy: no StrategyPolicy, no goals, no assessments.
    `pilot` is what the check observing the pilot's scope counted (phase -> {max_projects,
    running}); `overdue_by` is the id of the check whose findings on goals mark them overdue:
    with it among the `skipped` checks, no goal is called overdue and the summary says it was not judged.
    `progress` is what the check observing goal progress measured (goal -> its latest reading and plan).
    The inventory kinds it takes are what a run keeps of the inventory once OPA's input is built."""
    if policy is None and not goals and not assessments:
        return None
    tiers = policy.tiers if policy else list(DEFAULT_TIERS)
    dimensions = policy.dimensions if policy else list(DEFAULT_DIMENSIONS)
    overdue = {f.resource.id for f in findings if f.check == overdue_by and f.resource.kind == "goal"}
    timeline = sorted(assessments.values(), key=lambda a: (a.date, a.id))
    return StrategySummary(
        policy=policy.id if policy else None,
        tiers=list(tiers),
        dimensions=list(dimensions),
        goals=_tree(goals, projects, people, list(tiers), overdue, _progress(progress)),
        latest=_assessment(timeline[-1]) if timeline else None,
        previous=_assessment(timeline[-2]) if len(timeline) > 1 else None,
        pilot=_pilot(pilot),
        overdue_assessed=overdue_by not in skipped,
    )


def _tree(goals: Mapping[str, Goal], projects: Mapping[str, Project], people: Mapping[str, Person],
          tiers: list[str], overdue: set[str], progress: dict[str, GoalProgress]) -> list[GoalRecord]:
    """Depth first from the roots (goals without a known parent), top tier first; children by id.
    A parent cycle has no root, so what the walk misses is appended as roots: nothing is dropped."""
    children: dict[str, list[Goal]] = defaultdict(list)
    for goal in goals.values():
        if goal.parent is not None and goal.parent in goals:
            children[goal.parent].append(goal)
    serving: dict[str, list[str]] = defaultdict(list)
    for project in projects.values():
        for goal_id in project.serves or []:
            serving[goal_id].append(project.id)
    rank = {tier: i for i, tier in enumerate(tiers)}

    def by_tier(g: Goal) -> tuple[int, str]:
        return (rank.get(g.tier, len(tiers)), g.id)

    out: list[GoalRecord] = []
    seen: set[str] = set()

    def walk(goal: Goal, depth: int) -> None:
        if goal.id in seen:
            return
        seen.add(goal.id)
        out.append(_goal(people, goal, depth, goal.id in overdue, sorted(serving.get(goal.id, [])), progress.get(goal.id)))
        for child in sorted(children.get(goal.id, []), key=lambda g: g.id):
            walk(child, depth + 1)

    for root in sorted((g for g in goals.values() if g.parent not in goals), key=by_tier):
        walk(root, 0)
    for rest in sorted((g for g in goals.values() if g.id not in seen), key=by_tier):
        walk(rest, 0)
    return out


def _goal(people: Mapping[str, Person], goal: Goal, depth: int, overdue: bool, projects: list[str],
          progress: GoalProgress | None) -> GoalRecord:
    owner = people.get(goal.owner) if goal.owner else None
    return GoalRecord(
        id=goal.id, tier=goal.tier, statement=goal.statement, depth=depth, parent=goal.parent,
        owner=goal.owner, owner_name=owner.name if owner else None, metric=goal.metric,
        baseline=goal.baseline, target=goal.target, due=goal.due.isoformat() if goal.due else None,
        status=goal.status, overdue=overdue, projects=projects, progress=progress,
    )


def _assessment(a: MaturityAssessment) -> AssessmentRecord:
    return AssessmentRecord(id=a.id, date=a.date.isoformat(), assessor=a.assessor,
                            scores=dict(sorted(a.scores.items())), indicators=dict(sorted(a.indicators.items())))


def _progress(observed: Observed | None) -> dict[str, GoalProgress]:
    """goal id -> its latest reading against the plan, as the check measured it (the bound stays with the check)."""
    if observed is None:
        return {}
    try:
        return {goal: GoalProgress.model_validate({k: seen[k] for k in ("date", "value", "plan", "behind")})
                for goal, seen in sorted(observed.observations.items())}
    except (ValidationError, TypeError, KeyError) as exc:  # only a built-in check observes readings: our fault
        raise EngineError(f"{observed.check} observed goal progress in an unexpected shape: {exc}") from None


def _pilot(observed: Observed) -> PilotScope | None:
    """The check evaluates at most the one phase `pilot.phase` names."""
    try:
        scopes = [PilotScope.model_validate({"phase": phase, **scope}) for phase, scope in sorted(observed.observations.items())]
    except (ValidationError, TypeError) as exc:  # only a built-in check observes readings: our fault
        raise EngineError(f"{observed.check} observed the pilot in an unexpected shape: {exc}") from None
    return scopes[0] if scopes else None
