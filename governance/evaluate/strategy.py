"""The strategy chapter for reports: the goal tree, the latest maturity diagnosis against the one
before, and the pilot's scope (handbook §1.1–§1.3).

Like the budget summary it is computed at run time and stored in the `RunResult`, because
renderers never read the workspace. Judgements stay the checks' own: a goal is marked overdue
because the check observing `overdue_goals` fired on it, and the pilot's running projects are
those the check observing `pilot_scope` counted (readings.py); this module only arranges the
workspace's facts around them.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import ValidationError

from governance.engine import EngineError
from governance.evaluate.readings import Observed
from governance.model import Workspace
from governance.model.definitions import DEFAULT_DIMENSIONS, DEFAULT_TIERS
from governance.model.inventory import Goal, MaturityAssessment
from governance.result import AssessmentRecord, Finding, GoalRecord, PilotScope, StrategySummary


def summarize(ws: Workspace, findings: list[Finding], pilot: Observed, overdue_by: str,
              skipped: frozenset[str] = frozenset()) -> StrategySummary | None:
    """None when the workspace has no strategy: no StrategyPolicy, no goals, no assessments.
    `pilot` is what the check observing the pilot's scope counted (phase -> {max_projects,
    running}); `overdue_by` is the id of the check whose findings on goals mark them overdue:
    with it among the `skipped` checks, no goal is called overdue and the summary says it was not judged."""
    policy = ws.strategy_policy
    goals, assessments = ws.inventory.goals, ws.inventory.maturity_assessments
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
        goals=_tree(ws, list(tiers), overdue),
        latest=_assessment(timeline[-1]) if timeline else None,
        previous=_assessment(timeline[-2]) if len(timeline) > 1 else None,
        pilot=_pilot(pilot),
        overdue_assessed=overdue_by not in skipped,
    )


def _tree(ws: Workspace, tiers: list[str], overdue: set[str]) -> list[GoalRecord]:
    """Depth first from the roots (goals without a known parent), top tier first; children by id.
    A parent cycle has no root, so what the walk misses is appended as roots: nothing is dropped."""
    goals = ws.inventory.goals
    children: dict[str, list[Goal]] = defaultdict(list)
    for goal in goals.values():
        if goal.parent in goals:
            children[goal.parent].append(goal)
    serving: dict[str, list[str]] = defaultdict(list)
    for project in ws.inventory.projects.values():
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
        out.append(_goal(ws, goal, depth, goal.id in overdue, sorted(serving.get(goal.id, []))))
        for child in sorted(children.get(goal.id, []), key=lambda g: g.id):
            walk(child, depth + 1)

    for root in sorted((g for g in goals.values() if g.parent not in goals), key=by_tier):
        walk(root, 0)
    for rest in sorted((g for g in goals.values() if g.id not in seen), key=by_tier):
        walk(rest, 0)
    return out


def _goal(ws: Workspace, goal: Goal, depth: int, overdue: bool, projects: list[str]) -> GoalRecord:
    owner = ws.inventory.people.get(goal.owner) if goal.owner else None
    return GoalRecord(
        id=goal.id, tier=goal.tier, statement=goal.statement, depth=depth, parent=goal.parent,
        owner=goal.owner, owner_name=owner.name if owner else None, metric=goal.metric,
        baseline=goal.baseline, target=goal.target, due=goal.due.isoformat() if goal.due else None,
        status=goal.status, overdue=overdue, projects=projects,
    )


def _assessment(a: MaturityAssessment) -> AssessmentRecord:
    return AssessmentRecord(id=a.id, date=a.date.isoformat(), assessor=a.assessor,
                            scores=dict(sorted(a.scores.items())), indicators=dict(sorted(a.indicators.items())))


def _pilot(observed: Observed) -> PilotScope | None:
    """The check evaluates at most the one phase `pilot.phase` names."""
    try:
        scopes = [PilotScope.model_validate({"phase": phase, **scope}) for phase, scope in sorted(observed.observations.items())]
    except (ValidationError, TypeError) as exc:  # only a built-in check observes readings: our fault
        raise EngineError(f"{observed.check} observed the pilot in an unexpected shape: {exc}") from None
    return scopes[0] if scopes else None
