"""What a run draws from checks besides their findings, and which check each is drawn from.

A chart or a section of a report shows a check's own reading (its observations, or the
resources it fires on), never a re-derivation of it. Which check that is, the check's METADATA
says (`custom.observes`, the guide to writing checks in docs/); Python names the reading, never the check. So
renaming or splitting a check cannot silently empty a chart: the library declares every reading
exactly once, or no run starts, and a workspace check cannot claim one.

A check whose findings name an entry of the portfolio (an aggregate resource, not an entity)
declares that entry and where a finding on it is shown: `custom.portfolio: {id: spend, at:
[budget_policy, required_cost_tags]}` (the policy kind, then the path of a field in it). Waivers
and decisions may name the entries whose policy the workspace has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from governance.engine import Annotation, EngineError, RegoError
from governance.load import WorkspaceError, WorkspaceErrors
from governance.model import DEFINITIONS, Workspace, check_pending_references

BUDGET_BANDS = "budget_bands"  # its observations: phase -> targeted category -> band (the budget chart)
PILOT_SCOPE = "pilot_scope"  # its observations: pilot phase -> {max_projects, running} (the pilot's scope)
OVERDUE_GOALS = "overdue_goals"  # the goals it fires on are the goal tree's overdue ones
# its observations: goal -> {date, value, plan, bound, behind} (each goal's latest reading against its plan line)
GOAL_PROGRESS = "goal_progress"
HAND_OFFS = "hand_offs"  # its observations: value stream -> the ids of its hand-off steps (the stream's flow)
UNROOTED_PAIN_POINTS = "unrooted_pain_points"  # the pain points it fires on are the chain's without a root cause
# its observations: root cause -> the live projects removing it; the root causes it fires on are the chain's gaps
ROOT_CAUSE_REMOVAL = "root_cause_removal"
READINGS = (BUDGET_BANDS, PILOT_SCOPE, OVERDUE_GOALS, GOAL_PROGRESS, HAND_OFFS, UNROOTED_PAIN_POINTS, ROOT_CAUSE_REMOVAL)

POLICY_KINDS = tuple(sorted(d.resource for d in DEFINITIONS.values() if d.singleton))  # where a portfolio entry may be shown


@dataclass(frozen=True)
class Observed:
    """What a check measured for a report (its `observations`), and which check it is."""

    check: str
    observations: dict[str, Any]


@dataclass(frozen=True)
class Portfolio:
    """An entry of the portfolio a check reports on, and where a finding on it is shown."""

    id: str
    policy: str  # a policy's resource kind (budget_policy, ...)
    field: tuple[str | int, ...]  # a field of that policy; () for the policy itself


def observes(a: Annotation) -> tuple[str | None, str]:
    """The reading a check's METADATA declares it observes (None: none), or what is wrong with it."""
    value = a.custom.get("observes")
    if value is None:
        return None, ""
    if value not in READINGS:
        return None, f"custom.observes must be one of {', '.join(READINGS)} (got {value!r})"
    return value, ""


def portfolio(a: Annotation) -> tuple[Portfolio | None, str]:
    """The portfolio entry a check's METADATA declares it reports on (None: none), or what is wrong with it."""
    value = a.custom.get("portfolio")
    if value is None:
        return None, ""
    at = value.get("at") if isinstance(value, dict) else None
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not value["id"] \
            or not isinstance(at, list) or not at or at[0] not in POLICY_KINDS \
            or not all(isinstance(step, str | int) and not isinstance(step, bool) for step in at[1:]):
        return None, ("custom.portfolio must be {id: <entry>, at: [<policy kind>, <field>...]} with a policy kind among "
                      f"{', '.join(POLICY_KINDS)}")
    return Portfolio(id=value["id"], policy=at[0], field=tuple(at[1:])), ""


def duplicates(declared: list[tuple[Annotation, str | None, Portfolio | None]]) -> list[RegoError]:
    """A reading is drawn from one check; a portfolio entry is shown at one place. A second
    declaration is refused where it is written (blame puts it on the workspace if it is there)."""
    problems: list[RegoError] = []
    reading_at: dict[str, Annotation] = {}
    entries: dict[str, tuple[Annotation, Portfolio]] = {}
    for a, reading, entry in declared:
        if reading is not None:
            first = reading_at.setdefault(reading, a)
            if first is not a:
                problems.append(RegoError(a.module, a.row, a.col, f"custom.observes: {reading} is observed by "
                                          f"{first.custom.get('id')} already; a reading is drawn from one check"))
        if entry is not None:
            first_entry = entries.setdefault(entry.id, (a, entry))
            if first_entry[1] != entry:
                problems.append(RegoError(a.module, a.row, a.col, f"custom.portfolio: entry {entry.id} is declared by "
                                          f"{first_entry[0].custom.get('id')} already, shown elsewhere"))
    return problems


def require_every_reading(observers: dict[str, str]) -> None:
    """Fail closed: a reading no check declares would leave its chart empty without a word."""
    missing = [r for r in READINGS if r not in observers]
    if missing:
        raise EngineError(f"no check of the library declares custom.observes: {', '.join(missing)}")


def place_portfolios(ws: Workspace, entries: dict[str, Portfolio]) -> None:
    """Where each portfolio entry whose policy the workspace has is shown; then every waiver
    and decision naming an entry must name one of those (`WorkspaceErrors` otherwise)."""
    for entry in entries.values():
        policy = getattr(ws, entry.policy)
        if policy is not None:
            ws.locations[("portfolio", entry.id)] = ws.locate(entry.policy, policy.id, *entry.field)
    errors: list[WorkspaceError] = check_pending_references(ws)
    if errors:
        raise WorkspaceErrors(errors)
