"""The meeting pack's progress chart: one goal's readings against its plan line (inline SVG).

Drawn as the report's charts are (`_svg.py`, `_trend.py`): plain markup, colours from the page's CSS
classes, coordinates with fixed decimals so two renders of one pack are byte-identical. Time runs
left to right by calendar day (readings are not evenly spaced); the plan line goes from the baseline
on the goal's start to the target on its due date, and a rule marks the meeting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup, escape

from governance.result import AgendaGoal


@dataclass(frozen=True)
class Words:
    """The chart's words in the pack's language."""

    title: str
    plan: str
    readings: str
    meeting: str


@dataclass(frozen=True)
class Layout:
    width: int = 520
    height: int = 170
    left: int = 52
    right: int = 96  # room for the legend
    top: int = 12
    bottom: int = 30


def _n(x: float) -> str:
    return f"{x:.1f}"


def _day(value: str) -> int:
    return dt.date.fromisoformat(value).toordinal()


def _value(v: float) -> str:
    return f"{v:.4g}"


def chartable(p: AgendaGoal) -> bool:
    """A chart needs a plan line (baseline, target, start and due) or at least one reading."""
    return bool(p.readings) or None not in (p.baseline, p.target, p.start, p.due)


def progress_chart(p: AgendaGoal, meeting: str, words: Words, layout: Layout = Layout()) -> Markup:
    lay = layout
    plan = ([(p.start, p.baseline), (p.due, p.target)]
            if p.start and p.due and p.baseline is not None and p.target is not None else [])
    points = [(r.date, r.value) for r in p.readings]
    days = [_day(d) for d, _ in plan + points] + [_day(meeting)]
    values = [float(v) for _, v in plan + points]
    first, last = min(days), max(days)
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    plot_w, plot_h = lay.width - lay.left - lay.right, lay.height - lay.top - lay.bottom

    def x(day: str) -> float:
        return lay.left + (plot_w * (_day(day) - first) / (last - first) if last > first else plot_w / 2)

    def y(v: float) -> float:
        return lay.top + plot_h * (1 - (float(v) - low) / (high - low))

    out = [f'<svg class="chart progress" viewBox="0 0 {lay.width} {lay.height}" width="{lay.width}" '
           f'height="{lay.height}" role="img" aria-label="{escape(words.title)}"><title>{escape(words.title)}</title>']
    for v in (low + pad, (low + high) / 2, high - pad):
        out.append(f'<line class="grid" x1="{lay.left}" y1="{_n(y(v))}" x2="{lay.left + plot_w}" y2="{_n(y(v))}"/>'
                   f'<text class="tick" x="{lay.left - 6}" y="{_n(y(v))}" text-anchor="end" '
                   f'dominant-baseline="middle">{escape(_value(v))}</text>')
    labelled = sorted({d for d in (p.start, p.due) if d} | ({points[-1][0]} if points else set()))
    for d in labelled:
        out.append(f'<text class="tick" x="{_n(x(d))}" y="{lay.height - lay.bottom + 16}" text-anchor="middle">'
                   f'{escape(d)}</text>')
    mx = _n(x(meeting))
    out.append(f'<g class="meeting"><title>{escape(words.meeting)} {escape(meeting)}</title><line class="today" x1="{mx}" '
               f'y1="{lay.top}" x2="{mx}" y2="{lay.top + plot_h}"/></g>')
    if plan:
        (d0, v0), (d1, v1) = plan
        out.append(f'<g class="plan"><title>{escape(words.plan)}</title><line class="plan" x1="{_n(x(d0))}" '
                   f'y1="{_n(y(v0))}" x2="{_n(x(d1))}" y2="{_n(y(v1))}"/></g>')
    if points:
        css = "reading behind" if p.checks else "reading"
        coords = " ".join(f"{_n(x(d))},{_n(y(v))}" for d, v in points)
        out.append(f'<g class="{css}"><title>{escape(words.readings)}</title>')
        if len(points) > 1:
            out.append(f'<polyline class="line" fill="none" points="{coords}"/>')
        out.extend(f'<circle class="dot" cx="{_n(x(d))}" cy="{_n(y(v))}" r="3"><title>{escape(d)}: '
                   f'{escape(_value(float(v)))}</title></circle>' for d, v in points)
        out.append("</g>")
    legend = [("plan", words.plan), ("reading" + (" behind" if p.checks else ""), words.readings),
              ("today", words.meeting)]
    for row, (css, label) in enumerate(legend):
        ly = lay.top + 16 * row + 6
        out.append(f'<g class="legend {css}"><line class="{css.split()[0] if css != "today" else "today"}" '
                   f'x1="{lay.width - lay.right + 8}" y1="{ly}" x2="{lay.width - lay.right + 24}" y2="{ly}"/>'
                   f'<text class="label" x="{lay.width - lay.right + 28}" y="{ly}" dominant-baseline="middle">'
                   f'{escape(label)}</text></g>')
    out.append("</svg>")
    return Markup("".join(out))
