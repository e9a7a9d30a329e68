"""The budget's spend, for the HTML and Markdown reports: plan against actual spend per category and
per phase, each phase's actual spend shares, and the burn of running projects.

Every number comes from the result's `BudgetSummary` (evaluate/budget.py says on what basis); nothing
here judges: whether a project's rate or a phase's allocation is a finding is the budget checks' call,
shown beside it from the result's findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from governance.report import _svg as svg
from governance.report._escape import markdown_table, markdown_text
from governance.result import BudgetSummary, Finding, Number, PhaseBudget, ProjectBurn, RunResult
from governance.vocabulary import Messages

BUDGET_DOMAIN = "budget"  # the domain (its package's METADATA) whose findings sit beside the budget's charts

_WIDE = svg.Layout(width=760, label_width=110, note_width=300)


def money(amount: float) -> str:
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"


def pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


@dataclass(frozen=True)
class PlanRow:
    """One category or phase: what the budget lines plan and what was spent on them."""

    key: str
    planned: Number
    spent: Number

    @property
    def rate(self) -> float | None:
        return self.spent / self.planned if self.planned else None


def category_rows(summary: BudgetSummary) -> list[PlanRow]:
    """Every category planned or spent on, in the summary's order (the policy's, then any other)."""
    return [PlanRow(c, summary.planned.get(c, 0), summary.spent.get(c, 0)) for c in summary.categories
            if c in summary.planned or c in summary.spent]


def phase_rows(summary: BudgetSummary) -> list[PlanRow]:
    return [PlanRow(p.id, p.total, p.spent_total) for p in summary.phases]


def findings_on(result: RunResult, kind: str) -> dict[str, list[Finding]]:
    """Resource id -> the budget domain's findings on resources of `kind`, in the result's order."""
    budget = {c.id for c in result.checks if c.domain == BUDGET_DOMAIN}
    out: dict[str, list[Finding]] = {}
    for f in result.findings:
        if f.check in budget and f.resource.kind == kind:
            out.setdefault(f.resource.id, []).append(f)
    return out


def plan_chart(rows: list[PlanRow], name: Callable[[str], str], m: Messages, title: str) -> Markup:
    """Spent against planned, one bar a row on one money scale: the spend within the plan, the spend above
    it, and a tick at the plan."""
    top = max([max(r.planned, r.spent) for r in rows] + [1])
    bars = [svg.Bar(label=name(r.key),
                    segments=((min(r.spent, r.planned), "spent"), (max(0, r.spent - r.planned), "spent-over")),
                    mark=r.planned, note=m.text("budget.spent_of", spent=money(r.spent), planned=money(r.planned),
                                                pct=pct(r.rate)),
                    note_class="off" if r.spent > r.planned else "")
            for r in rows]
    return svg.hbars(bars, top, title=title, layout=_WIDE)


def spent_share_chart(phase: PhaseBudget, categories: list[str], name: Callable[[str], str], title: str) -> Markup | None:
    """A phase's actual spend shares by category, with each target as a tick for comparison (the targets
    are the plan's: the check on allocations reads budget lines, not spend); None when nothing was spent."""
    if not phase.spent_total:
        return None
    cats = [c for c in categories if c in phase.spent or c in phase.targets]
    bars = [svg.Bar(label=name(c), segments=((phase.spent_shares.get(c, 0.0), "spent"),), mark=phase.targets.get(c),
                    note=f"{pct(phase.spent_shares.get(c, 0.0))} · {money(phase.spent.get(c, 0))}")
            for c in cats]
    return svg.hbars(bars, 1.0, title=title, layout=svg.Layout(width=760, label_width=110, note_width=300,
                                                               ticks=(0, 0.25, 0.5, 0.75, 1.0), tick_format="{:.0%}"))


def project_label(p: ProjectBurn) -> str:
    return f"{p.name} ({p.id})" if p.name else p.id  # as the reports show a person: name (id)


def burn_chart(projects: list[ProjectBurn], m: Messages) -> Markup:
    """Each running project's spent share of its budget lines, a tick at its share of time elapsed; spend
    above the lines runs past 100% in its own colour."""
    top = max([1.0] + [p.spent_share or 0.0 for p in projects])
    bars = [svg.Bar(label=p.id, tooltip=project_label(p),
                    segments=((min(p.spent_share or 0.0, 1.0), "spent"), (max(0.0, (p.spent_share or 0.0) - 1.0), "spent-over")),
                    mark=p.time_share,
                    note=m.text("budget.burn_bar", pct=pct(p.spent_share), time=pct(p.time_share)),
                    note_class="off" if (p.spent_share or 0.0) > (p.time_share or 0.0) else "")
            for p in projects]
    ticks = tuple(x / 4 for x in range(int(top * 4) + 1))
    return svg.hbars(bars, top, title=m.text("budget.chart_burn"),
                     layout=svg.Layout(width=760, label_width=150, note_width=260, ticks=ticks, tick_format="{:.0%}"))


def markdown_section(result: RunResult, m: Messages) -> list[str]:
    """The budget chapter of the Markdown report: the plan's shares against targets, plan against spend,
    the burn of running projects."""
    t, name = m.text, m.name
    lines = [f"## {t('html.h_budget')}", ""]
    summary = result.budget
    if summary is None:
        return lines + [t("html.no_budget"), ""]
    lines += [f"### {t('budget.h_plan_shares')}", "", markdown_text(t("budget.plan_shares_note")), ""]
    on_phase = findings_on(result, "phase")
    rows = [[name(p.id), name(c), money(p.amounts.get(c, 0)), pct(p.shares.get(c)) if p.total else "—",
             _target(p, c, summary, m), ", ".join(f.check for f in on_phase.get(p.id, []))]
            for p in summary.phases for c in summary.categories if c in p.amounts or c in p.targets]
    lines += markdown_table([t("phase"), m.name("category", "kinds", capital=True), t("planned"), t("budget.planned_share"),
                             t("html.legend_target"), t("check")], rows, "llrrll")
    lines += ["", f"### {t('budget.h_spend')}", ""]
    if not summary.records_spend:  # saved before spend was recorded: its empty defaults are no facts
        return lines + [markdown_text(t("budget.spend_not_recorded")), ""]
    lines += [markdown_text(t("budget.spend_basis", as_of=result.as_of)), ""]
    lines += _plan_table(category_rows(summary), m.name("category", "kinds", capital=True), name, m) + [""]
    lines += _plan_table(phase_rows(summary), t("phase"), name, m) + [""]
    lines += _overspent_markdown(summary, findings_on(result, "budget_line"), m)
    return lines + _burn_markdown(summary, findings_on(result, "project"), m)


def overspent_rows(summary: BudgetSummary, on_line: dict[str, list[Finding]]) -> list[dict]:
    """The lines spent above their amount, as both reports show them, with the budget domain's findings on each."""
    return [{"line": line, "amount": money(line.amount), "spent": money(line.spent), "over": money(line.spent - line.amount),
             "checks": on_line.get(line.id, [])} for line in summary.overspent]


def _overspent_markdown(summary: BudgetSummary, on_line: dict[str, list[Finding]], m: Messages) -> list[str]:
    t = m.text
    lines = [f"### {t('budget.h_overspent')}", "", markdown_text(t("budget.overspent_note")), ""]
    rows = overspent_rows(summary, on_line)
    if not rows:
        return lines + [t("budget.no_overspent"), ""]
    body = [[r["line"].id, r["line"].project, m.name(r["line"].category), r["amount"], r["spent"], r["over"],
             ", ".join(f.check for f in r["checks"])] for r in rows]
    header = [m.name("budget_line", "kinds", capital=True), m.name("project", "kinds", capital=True),
              m.name("category", "kinds", capital=True), t("budget.line_amount"), t("spent"), t("budget.over_by"), t("check")]
    return lines + markdown_table(header, body, "lllrrrl") + [""]


def _target(p: PhaseBudget, category: str, summary: BudgetSummary, m: Messages) -> str:
    if category not in p.targets:
        return m.text("html.no_target")
    band = p.bands.get(category)
    said = m.text("html.target", t=f"{p.targets[category] * 100:g}%", tol=f"{float(summary.tolerance_pp):g}")
    return said if band is None else f"{said} · {m.text('html.in_band' if band.in_band else 'html.out_of_band')}"


def _plan_table(rows: list[PlanRow], first: str, name: Callable[[str], str], m: Messages) -> list[str]:
    t = m.text
    body = [[name(r.key), money(r.planned), money(r.spent), pct(r.rate)] for r in rows]
    planned, spent = sum(r.planned for r in rows), sum(r.spent for r in rows)
    body.append([t("html.total"), money(planned), money(spent), pct(spent / planned if planned else None)])
    return markdown_table([first, t("planned"), t("spent"), t("budget.spent_rate")], body, "lrrr")


def _burn_markdown(summary: BudgetSummary, on_project: dict[str, list[Finding]], m: Messages) -> list[str]:
    t = m.text
    lines = [f"### {t('budget.h_burn')}", "", markdown_text(t("budget.burn_note")), ""]
    if not summary.projects:
        return lines + [t("budget.no_running"), ""]
    rows = [[project_label(p), m.name(p.phase) if p.phase else "—", money(p.budget),
             "—" if p.approved is None else money(p.approved), money(p.spent), pct(p.spent_share),
             pct(p.spent / p.approved) if p.approved else "—",
             t("budget.days", elapsed=p.elapsed_days, days=p.days, pct=pct(p.time_share)),
             ", ".join(f.check for f in on_project.get(p.id, []))]
            for p in summary.projects]
    header = [m.name("project", "kinds", capital=True), t("phase"), t("budget.budget_lines"), t("approved_amount"),
              t("spent"), t("budget.of_budget"), t("budget.of_approved"), t("budget.elapsed"), t("check")]
    return lines + markdown_table(header, rows, "llrrrrrll") + [""]
