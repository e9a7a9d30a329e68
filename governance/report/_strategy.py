"""The strategy section, as the HTML and Markdown reports both show it: the goal tree with each
goal's latest reading against its plan, the maturity diagnosis against the previous one, the
pilot's scope (handbook §1.1–§1.3).

Everything comes from `RunResult.strategy`; overdue marks, progress against plan and the running
pilots are the checks' own readings (those declaring `custom.observes: overdue_goals`,
`goal_progress` and `pilot_scope`), carried in the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from governance.report import _svg as svg
from governance.report._people import person
from governance.result import GoalRecord, StrategySummary
from governance.vocabulary import Messages

MAX_LEVEL = 5  # maturity levels run 1 (manual) to 5 (intelligent)


@dataclass(frozen=True)
class GoalRow:
    goal: GoalRecord
    tier: str  # the tier's name in the report's language
    status: str
    owner: str  # name (id), or "—"
    progress: str  # "reading / plan", or "—" when the goal was not judged against a plan line
    verdict: str  # on track or behind plan, in the report's language ("" when not judged)


@dataclass(frozen=True)
class Dimension:
    name: str
    latest: int | None
    previous: int | None

    @property
    def change(self) -> int | None:
        return None if self.latest is None or self.previous is None else self.latest - self.previous


@dataclass(frozen=True)
class Section:
    summary: StrategySummary
    goals: list[GoalRow]
    overdue: int
    dimensions: list[Dimension]
    chart: svg.Markup | None
    pilot_over: bool  # more pilot projects running than the policy allows


def section(summary: StrategySummary | None, m: Messages) -> Section | None:
    if summary is None:
        return None
    dims = [Dimension(m.name(d, capital=True), _score(summary.latest, d), _score(summary.previous, d))
            for d in _dimensions(summary)]
    pilot = summary.pilot
    return Section(
        summary=summary,
        goals=[GoalRow(g, m.name(g.tier, capital=True), m.name(g.status, capital=True), _owner(g, m.lang), *_progress(g, m))
               for g in summary.goals],
        overdue=sum(1 for g in summary.goals if g.overdue),
        dimensions=dims,
        chart=_chart(dims, m) if summary.latest else None,
        pilot_over=bool(pilot and len(pilot.running) > pilot.max_projects),
    )


def _dimensions(summary: StrategySummary) -> list[str]:
    """The policy's dimensions in its order, then any other dimension an assessment scored."""
    scored = {d for a in (summary.latest, summary.previous) if a for d in a.scores}
    return list(summary.dimensions) + sorted(scored - set(summary.dimensions))


def _score(assessment: object, dimension: str) -> int | None:
    scores = getattr(assessment, "scores", None) or {}
    return scores.get(dimension)


def _progress(g: GoalRecord, m: Messages) -> tuple[str, str]:
    p = g.progress
    if p is None:
        return "—", ""
    verdict = m.text("strategy.behind") if p.behind else m.text("strategy.on_track")
    return f"{_decimal(p.value)} / {_decimal(p.plan)}", verdict


def _decimal(x: float) -> str:
    """At most the 6 places the check compares (0.443278, 6, 0.95), never an exponent."""
    return f"{x:.6f}".rstrip("0").rstrip(".") if isinstance(x, float) else str(x)


def _owner(g: GoalRecord, lang: str) -> str:
    if g.owner is None:
        return "—"
    return person(g.owner, g.owner_name, lang)


def _chart(dims: list[Dimension], m: Messages) -> svg.Markup:
    """One bar per dimension: the latest level, with a tick at the previous one."""
    bars = []
    for d in dims:
        latest = "—" if d.latest is None else str(d.latest)
        note = m.text("strategy.level", level=latest)
        if d.previous is not None:
            note += " · " + m.text("strategy.was", level=d.previous, change=f"{d.change:+d}" if d.change is not None else "—")
        bars.append(svg.Bar(label=d.name, segments=((float(d.latest or 0), "maturity"),), mark=d.previous, note=note,
                            note_class="up" if (d.change or 0) > 0 else ("down" if (d.change or 0) < 0 else "")))
    return svg.hbars(bars, float(MAX_LEVEL), title=m.text("strategy.chart"),
                     layout=svg.Layout(width=760, label_width=130, note_width=230, ticks=(0, 1, 2, 3, 4, 5)))
