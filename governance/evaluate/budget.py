"""Budget allocation per phase, for reports: actual category shares against targets.

The committee reads this next to the check that observes the budget's bands
(`custom.observes: budget_bands`); it uses the same basis as that check (its
METADATA): every budget line of every project in the phase, shares of the
phase's total amount. It is computed in Python at run time and stored
in the `RunResult`, because renderers never read the workspace.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import ValidationError

from governance.engine import EngineError
from governance.evaluate.readings import Observed
from governance.model import Workspace
from governance.model.base import Number
from governance.model.definitions import Phase
from governance.model.inventory import Project
from governance.result import Band, BudgetSummary, PhaseBudget

# Shares are rounded so the JSON stays readable; 1e-6 of a share is far below any tolerance.
_DIGITS = 6


def summarize(ws: Workspace, bands: Observed | None = None) -> BudgetSummary | None:
    """Per-phase amounts and shares; None when the workspace has no budget policy.
    `bands` is what the check observing them measured (phase -> category -> band): whether a
    share is in its band is the check's call, never recomputed here."""
    policy = ws.budget_policy
    if policy is None:
        return None
    projects_by_phase: dict[str, list] = defaultdict(list)
    for project in ws.inventory.projects.values():
        if project.phase is not None:
            projects_by_phase[project.phase].append(project)
    observed = bands or Observed("", {})
    phases = [_phase(phase, projects_by_phase.get(phase.id, []), observed.check, observed.observations.get(phase.id) or {})
              for phase in policy.phases]
    found = {cat for p in phases for cat in p.amounts}
    categories = list(policy.categories) + sorted(found - set(policy.categories))
    return BudgetSummary(policy=policy.id, currency=policy.currency, tolerance_pp=policy.tolerance_pp,
                         categories=categories, phases=phases)


def _phase(phase: Phase, projects: list[Project], check: str, bands: dict[str, Any]) -> PhaseBudget:
    lines = [line for project in projects for line in project.budget_lines]
    amounts: dict[str, Number] = defaultdict(int)
    for line in lines:
        amounts[line.category] += line.amount
    total = sum(amounts.values())
    # Sorted keys keep the JSON identical between runs whatever the file order.
    shares = {cat: round(amounts[cat] / total, _DIGITS) for cat in sorted(amounts)} if total else {}
    return PhaseBudget(
        id=phase.id,
        months=phase.months,
        projects=sorted(project.id for project in projects),
        lines=len(lines),
        total=total,
        amounts={cat: amounts[cat] for cat in sorted(amounts)},
        shares=shares,
        targets={cat: float(share) for cat, share in sorted(phase.target_share.items())},
        bands=_bands(check, phase.id, bands),
    )


def _bands(check: str, phase_id: str, observed: dict[str, Any]) -> dict[str, Band]:
    try:
        return {cat: Band.model_validate(band) for cat, band in sorted(observed.items())}
    except ValidationError as exc:  # only a built-in check observes readings: our fault, not the workspace's
        raise EngineError(f"{check} observed phase {phase_id} in an unexpected shape: {exc.errors()[0]['msg']}") from None
