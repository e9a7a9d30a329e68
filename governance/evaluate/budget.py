"""The budget for reports: the plan's category shares against targets, the plan against spend, and burn.

The committee reads the planned shares next to the check that observes the budget's bands
(`custom.observes: budget_bands`); they use the same basis as that check (its
METADATA): every budget line of every project in the phase, shares of the
phase's total amount. Beside the plan, what was spent: spend dated on or before
as_of, per category and phase, and for each running project its spend against
its budget lines, its approval and the time gone by (the basis of the check on
a project's spend rate: running is start < as_of < end). The lines spent above
their amount count all spend on a line, whatever its date, as the check on a
line's overspend does. It is computed in Python at run time and stored
in the `RunResult`, because renderers never read the workspace.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from governance.engine import EngineError
from governance.evaluate.readings import Observed
from governance.model import BudgetPolicy, Decision, Phase, Project, Spend
from governance.result import Band, BudgetSummary, LineSpend, Number, PhaseBudget, ProjectBurn

# Shares are rounded so the JSON stays readable; 1e-6 of a share is far below any tolerance.
_DIGITS = 6


def summarize(policy: BudgetPolicy | None, projects: Mapping[str, Project], spend: Mapping[str, Spend],
              decisions: Mapping[str, Decision], as_of: dt.date, bands: Observed | None = None) -> BudgetSummary | None:
    """Per-phase amounts and shares, spend against them, and the running projects' burn; None when the
    workspace has no budget policy. `bands` is what the check observing them measured (phase -> category ->
    band): whether a share is in its band is the check's call, never recomputed here. The inventory kinds
    it takes are what a run keeps of the inventory once OPA's input is built (evaluate/apart.py)."""
    if policy is None:
        return None
    spent = _spent_by_line(spend.values(), as_of)
    projects_by_phase: dict[str, list] = defaultdict(list)
    for project in projects.values():
        if project.phase is not None:
            projects_by_phase[project.phase].append(project)
    observed = bands or Observed("", {})
    phases = [_phase(phase, projects_by_phase.get(phase.id, []), spent, observed.check,
                     observed.observations.get(phase.id) or {})
              for phase in policy.phases]
    every = list(projects.values())
    planned, actual = _by_category(every, lambda line: line.amount), _by_category(every, lambda line: spent.get(line.id, 0))
    found = {cat for p in phases for cat in p.amounts} | set(planned)
    categories = list(policy.categories) + sorted(found - set(policy.categories))
    return BudgetSummary(policy=policy.id, currency=policy.currency, tolerance_pp=policy.tolerance_pp,
                         categories=categories, phases=phases, planned=planned, spent=actual,
                         projects=_burn(projects, spent, _approved(decisions), as_of),
                         overspent=_overspent(every, _spent_by_line(spend.values(), None)))


def _spent_by_line(spend: Iterable[Spend], as_of: dt.date | None) -> dict[str, Number]:
    """Budget line id -> spend on it dated on or before as_of (spend dated later has not happened yet),
    or all of it whatever its date when as_of is None."""
    out: dict[str, Number] = defaultdict(int)
    for record in spend:
        if as_of is None or record.date <= as_of:
            out[record.budget_line] += record.amount
    return out


def _by_category(projects: list[Project], amount: Any) -> dict[str, Number]:
    """Category -> `amount(line)` summed over the projects' budget lines, keys sorted (a stable JSON)."""
    out: dict[str, Number] = defaultdict(int)
    for project in projects:
        for line in project.budget_lines:
            out[line.category] += amount(line)
    return {cat: out[cat] for cat in sorted(out)}


def _share(part: Number, whole: Number) -> float | None:
    return round(part / whole, _DIGITS) if whole else None


def _phase(phase: Phase, projects: list[Project], spent: Mapping[str, Number], check: str,
           bands: dict[str, Any]) -> PhaseBudget:
    lines = [line for project in projects for line in project.budget_lines]
    amounts = _by_category(projects, lambda line: line.amount)
    actual = _by_category(projects, lambda line: spent.get(line.id, 0))
    total, spent_total = sum(amounts.values()), sum(actual.values())
    # Sorted keys keep the JSON identical between runs whatever the file order.
    shares = {cat: round(amounts[cat] / total, _DIGITS) for cat in amounts} if total else {}
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
        spent=actual,
        spent_total=spent_total,
        spent_shares={cat: round(actual[cat] / spent_total, _DIGITS) for cat in actual} if spent_total else {},
    )


def _overspent(projects: list[Project], spent: Mapping[str, Number]) -> list[LineSpend]:
    """Budget lines spent above their amount, by id: a fact beside the check on a line's overspend, on its
    basis (`spent` is all spend on a line, whatever its date), which allows a tolerance and a reallocation
    decision and so decides on its own whether it is a finding."""
    over = [LineSpend(id=line.id, project=p.id, category=line.category, amount=line.amount, spent=spent[line.id])
            for p in projects for line in p.budget_lines if spent.get(line.id, 0) > line.amount]
    return sorted(over, key=lambda line: line.id)


def _approved(decisions: Mapping[str, Decision]) -> dict[str, Number]:
    """Project id -> its largest budget_allocation decision's amount: one decision approves a project's
    budget, several smaller ones are not added up (as the check on allocations reads them)."""
    out: dict[str, Number] = {}
    for d in decisions.values():
        if d.type == "budget_allocation" and d.subject is not None and d.subject.kind == "project" and d.amount is not None:
            out[d.subject.id] = max(out.get(d.subject.id, d.amount), d.amount)
    return out


def _burn(projects: Mapping[str, Project], spent: Mapping[str, Number], approved: Mapping[str, Number],
          as_of: dt.date) -> list[ProjectBurn]:
    """Each running project (start < as_of < end, as the check on a project's spend rate has it: on its
    first day nothing has elapsed to divide by) with budget lines, by id: spent against its lines and its
    approval, and against the share of its days gone by (as that check measures it)."""
    out = []
    for project in sorted(projects.values(), key=lambda p: p.id):
        if not project.budget_lines or not project.start < as_of < project.end:
            continue
        budget = sum(line.amount for line in project.budget_lines)
        used = sum(spent.get(line.id, 0) for line in project.budget_lines)
        elapsed, days = (as_of - project.start).days, (project.end - project.start).days
        out.append(ProjectBurn(
            id=project.id, name=project.name, phase=project.phase, start=project.start.isoformat(),
            end=project.end.isoformat(), budget=budget, approved=approved.get(project.id), spent=used,
            elapsed_days=elapsed, days=days, spent_share=_share(used, budget), time_share=_share(elapsed, days)))
    return out


def _bands(check: str, phase_id: str, observed: dict[str, Any]) -> dict[str, Band]:
    try:
        return {cat: Band.model_validate(band) for cat, band in sorted(observed.items())}
    except ValidationError as exc:  # only a built-in check observes readings: our fault, not the workspace's
        raise EngineError(f"{check} observed phase {phase_id} in an unexpected shape: {exc.errors()[0]['msg']}") from None
