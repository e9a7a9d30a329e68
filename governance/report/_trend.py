"""A trend as people read it: the series behind the charts, and the charts themselves (inline SVG).

Shared by `govern history trend` (html, markdown) and the trend section that `check` and `report` add
with a history store. Everything comes from the store's precomputed counts (`TrendPoint`): nothing here
reads a finding.

Over several entities a day's total carries each entity's latest run on or before that day forward: an
entity not checked that day still counts with what its last run found, so a group chart does not dip
because one subsidiary ran its check a day later (docs/history.md).

Charts are drawn as those of `_svg.py`: plain markup, colours from the page's CSS classes (`sev-*`),
coordinates with fixed decimals so two renders of one trend are byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from governance.history import TrendPoint
from governance.result import SEVERITIES
from governance.vocabulary import Messages


@dataclass(frozen=True)
class Day:
    """The whole of a trend on one as_of day: unwaived findings by severity (every severity), controls
    satisfied and in all, and how many entities it counts."""

    as_of: str
    by_severity: dict[str, int]
    controls_satisfied: int
    controls_total: int
    entities: int

    @property
    def unwaived(self) -> int:
        """Unwaived findings above info, as `TrendPoint.unwaived` counts them."""
        return sum(n for s, n in self.by_severity.items() if s != "info")


def days(points: list[TrendPoint]) -> list[Day]:
    """One `Day` per as_of that has a run, each entity counted by its latest run on or before it
    (points ordered as the store orders them: by entity, then as_of, then start time)."""
    latest: dict[str, TrendPoint] = {}
    out: list[Day] = []
    for as_of in sorted({p.as_of for p in points}):
        for p in points:
            if p.as_of == as_of:
                latest[p.entity] = p  # the store's order puts the day's last run last
        now = list(latest.values())
        out.append(Day(as_of=as_of,
                       by_severity={s: sum(p.by_severity.get(s, 0) for p in now) for s in SEVERITIES},
                       controls_satisfied=sum(p.controls_satisfied for p in now),
                       controls_total=sum(p.controls_total for p in now), entities=len(now)))
    return out


@dataclass(frozen=True)
class ChartLayout:
    width: int = 720
    height: int = 220
    left: int = 44  # room for the value axis
    right: int = 110  # room for the legend
    top: int = 12
    bottom: int = 34  # room for the dates


def _n(x: float) -> str:
    return f"{x:.1f}"


def _ticks(top: int) -> list[int]:
    """Round values from 0 to at least `top`, at most five of them: steps of 1, 2, 5, 10, 20, 50, ..."""
    step, scale = 1, 1
    while top > 4 * step:
        scale, step = (scale * 10, scale * 10) if step == 5 * scale else (scale, step * 5 // 2 if step == 2 * scale else step * 2)
    return list(range(0, top + step, step)) if top else [0, 1]


def line_chart(dates: list[str], series: list[tuple[str, str, list[int]]], *, title: str,
               layout: ChartLayout = ChartLayout()) -> Markup:
    """Lines over time: one per (label, css class, values), values one per date, dates evenly apart.
    A single date is a dot per series."""
    lay = layout
    ticks = _ticks(max([v for _, _, values in series for v in values] + [0]))
    top = ticks[-1] or 1
    plot_w = lay.width - lay.left - lay.right
    plot_h = lay.height - lay.top - lay.bottom

    def x(i: int) -> float:
        return lay.left + (plot_w * i / (len(dates) - 1) if len(dates) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return lay.top + plot_h * (1 - v / top)

    out = [f'<svg class="chart trend" viewBox="0 0 {lay.width} {lay.height}" width="{lay.width}" height="{lay.height}" '
           f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for tick in ticks:
        ty = _n(y(tick))
        out.append(f'<line class="grid" x1="{lay.left}" y1="{ty}" x2="{lay.left + plot_w}" y2="{ty}"/>'
                   f'<text class="tick" x="{lay.left - 6}" y="{ty}" text-anchor="end" dominant-baseline="middle">{tick}</text>')
    for i in _date_labels(len(dates)):
        out.append(f'<text class="tick" x="{_n(x(i))}" y="{lay.height - lay.bottom + 16}" text-anchor="middle">'
                   f'{escape(dates[i])}</text>')
    for row, (label, css, values) in enumerate(series):
        coords = " ".join(f"{_n(x(i))},{_n(y(v))}" for i, v in enumerate(values))
        out.append(f'<g class="series {escape(css)}"><title>{escape(label)}</title>')
        if len(values) > 1:
            out.append(f'<polyline class="line" fill="none" points="{coords}"/>')
        out.extend(f'<circle class="dot" cx="{_n(x(i))}" cy="{_n(y(v))}" r="2.5"><title>{escape(dates[i])} · '
                   f'{escape(label)}: {v}</title></circle>' for i, v in enumerate(values))
        ly = lay.top + 14 * row + 6
        out.append(f'<line class="line" x1="{lay.width - lay.right + 10}" y1="{ly}" x2="{lay.width - lay.right + 26}" '
                   f'y2="{ly}"/><text class="label" x="{lay.width - lay.right + 30}" y="{ly}" '
                   f'dominant-baseline="middle">{escape(label)}</text></g>')
    out.append("</svg>")
    return Markup("".join(out))


def _date_labels(n: int) -> list[int]:
    """Which dates get a label: the first, the last, and up to three evenly between."""
    if n <= 5:
        return list(range(n))
    return sorted({round(i * (n - 1) / 4) for i in range(5)})


def severity_chart(series: list[Day], title: str, name: Callable[[str], str]) -> Markup:
    """Unwaived findings per severity over time (info: advisories)."""
    dates = [d.as_of for d in series]
    lines = [(name(s), f"sev-{s}", [d.by_severity[s] for d in series]) for s in SEVERITIES]
    return line_chart(dates, lines, title=title)


def controls_chart(series: list[Day], title: str, satisfied: str, total: str) -> Markup:
    """Controls satisfied over time, under the number the runs report."""
    dates = [d.as_of for d in series]
    return line_chart(dates, [(satisfied, "controls-satisfied", [d.controls_satisfied for d in series]),
                              (total, "controls-total", [d.controls_total for d in series])], title=title)


def charts(series: list[Day], m: Messages) -> list[Markup]:
    """The two charts of a trend: unwaived findings by severity, and controls satisfied (none without a run)."""
    if not series:
        return []
    return [severity_chart(series, m.text("history.chart_severity"), lambda s: m.name(s, capital=True)),
            controls_chart(series, m.text("history.chart_controls"), m.name("satisfied", "requirement_statuses"),
                           m.text("history.controls_total"))]
