"""Inline SVG charts for the HTML report: horizontal bars, optionally over a shaded band.

Charts are plain markup generated here, so the page needs no script and no
network. Colours come from CSS classes the page defines, which keeps one
palette for screen and print. Coordinates are formatted with fixed
decimals so two renders of the same result are byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Bar:
    """One row: a label, stacked segments (value, css class), and what to draw around them."""

    label: str
    segments: tuple[tuple[float, str], ...]
    note: str = ""  # text right of the bar (value, target, verdict)
    note_class: str = ""
    band: tuple[float, float] | None = None  # shaded range, in value units (e.g. a target ± tolerance)
    mark: float | None = None  # a tick, e.g. the target itself
    tooltip: str = ""


@dataclass(frozen=True)
class Layout:
    width: int = 720
    label_width: int = 150
    note_width: int = 230
    row_height: int = 26
    bar_height: int = 14
    ticks: tuple[float, ...] = field(default_factory=tuple)  # axis ticks, in value units
    tick_format: str = "{:g}"


def _n(x: float) -> str:
    return f"{x:.1f}"


def hbars(bars: list[Bar], scale_max: float, *, title: str, layout: Layout = Layout()) -> Markup:
    """A horizontal bar chart; values run from 0 to `scale_max` across the plot area."""
    lay = layout
    plot = lay.width - lay.label_width - lay.note_width
    axis = 18 if lay.ticks else 0
    height = axis + lay.row_height * len(bars) + 4
    scale = plot / scale_max if scale_max > 0 else 0.0

    def x(value: float) -> float:
        return lay.label_width + max(0.0, min(value, scale_max)) * scale

    out = [f'<svg class="chart" viewBox="0 0 {lay.width} {height}" '
           f'width="{lay.width}" height="{height}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for tick in lay.ticks:
        tx = _n(x(tick))
        label = escape(lay.tick_format.format(tick))
        out.append(f'<line class="grid" x1="{tx}" y1="{axis - 4}" x2="{tx}" y2="{height - 2}"/>'
                   f'<text class="tick" x="{tx}" y="{axis - 7}" text-anchor="middle">{label}</text>')
    for i, bar in enumerate(bars):
        out.append(_row(bar, axis + i * lay.row_height, lay, x))
    out.append("</svg>")
    return Markup("".join(out))


def _row(bar: Bar, top: float, lay: Layout, x: Callable[[float], float]) -> str:
    mid = top + lay.row_height / 2
    y = mid - lay.bar_height / 2
    parts = [f'<g class="row"><title>{escape(bar.tooltip or bar.label)}</title>',
             f'<text class="label" x="{lay.label_width - 8}" y="{_n(mid)}" text-anchor="end" '
             f'dominant-baseline="middle">{escape(bar.label)}</text>',
             f'<rect class="track" x="{lay.label_width}" y="{_n(y)}" width="{_n(x(float("inf")) - lay.label_width)}" '
             f'height="{lay.bar_height}"/>']
    if bar.band is not None:
        low, high = bar.band
        parts.append(f'<rect class="band" x="{_n(x(low))}" y="{_n(top + 2)}" width="{_n(x(high) - x(low))}" '
                     f'height="{lay.row_height - 4}"/>')
    start = 0.0
    for value, css in bar.segments:
        if value > 0:
            parts.append(f'<rect class="{escape(css)}" x="{_n(x(start))}" y="{_n(y)}" '
                         f'width="{_n(x(start + value) - x(start))}" height="{lay.bar_height}"/>')
        start += value
    if bar.mark is not None:
        mx = _n(x(bar.mark))
        parts.append(f'<line class="mark" x1="{mx}" y1="{_n(top + 2)}" x2="{mx}" y2="{_n(top + lay.row_height - 2)}"/>')
    if bar.note:
        parts.append(f'<text class="note {escape(bar.note_class)}" x="{lay.width - lay.note_width + 10}" y="{_n(mid)}" '
                     f'dominant-baseline="middle">{escape(bar.note)}</text>')
    parts.append("</g>")
    return "".join(parts)
