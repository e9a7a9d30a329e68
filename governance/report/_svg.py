"""Inline SVG charts for the HTML report: horizontal bars, optionally over a shaded band.

Charts are plain markup generated here, so the page needs no script and no
network. Colours come from CSS classes the page defines, which keeps one
palette for screen and print. Coordinates are formatted with fixed
decimals so two renders of the same result are byte-identical.
"""

from __future__ import annotations

import unicodedata
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


# ---------------------------------------------------------------- a flow of steps (the diagnosis' value streams)


def text_width(text: str, size: float) -> float:
    """How wide `text` is drawn at font `size`, estimated: a Chinese (wide) character is a full em, anything
    else about 0.62 em (the page's sans-serif, bold included, stays within it). SVG text does not wrap, so a
    label is fitted to its box by this, never left to overflow."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.62 * size for c in text)


def fit(text: str, width: float, size: float) -> str:
    """`text`, cut with an ellipsis where it would be wider than `width` (the whole of it stays in the tooltip)."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class Node:
    """One box of a flow: a name, a few short lines under it, and a badge above it when it is marked."""

    name: str
    lines: tuple[str, ...] = ()
    css: str = ""  # e.g. "hand-off": the box is drawn marked
    badge: str = ""  # a word over the box, e.g. 人工交接
    tooltip: str = ""


@dataclass(frozen=True)
class FlowLayout:
    width: int = 760
    box_width: int = 164
    box_height: int = 64
    gap: int = 28  # between boxes: room for the arrow
    badge_height: int = 18
    row_gap: int = 26  # between rows: room for the arrow that wraps
    name_size: int = 13
    line_size: int = 12


def flow(nodes: list[Node], *, title: str, layout: FlowLayout = FlowLayout()) -> Markup:
    """Boxes left to right in order, joined by arrows, wrapping onto further rows when the width is used."""
    lay = layout
    per_row = max(1, (lay.width + lay.gap) // (lay.box_width + lay.gap))
    rows = (len(nodes) + per_row - 1) // per_row
    row_height = lay.badge_height + lay.box_height + lay.row_gap
    height = rows * row_height - lay.row_gap + 4
    out = [f'<svg class="chart flow" viewBox="0 0 {lay.width} {height}" width="{lay.width}" height="{height}" '
           f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, node in enumerate(nodes):
        left = (i % per_row) * (lay.box_width + lay.gap)
        top = (i // per_row) * row_height + lay.badge_height
        out.append(_node(node, left, top, lay))
        if i + 1 < len(nodes):
            out.append(_arrow(i, per_row, left, top, lay))
    out.append("</svg>")
    return Markup("".join(out))


def _node(node: Node, left: float, top: float, lay: FlowLayout) -> str:
    inner = lay.box_width - 16
    css = f"step {node.css}".strip()
    parts = [f'<g class="{escape(css)}"><title>{escape(node.tooltip or node.name)}</title>']
    if node.badge:
        parts.append(f'<text class="badge-word" x="{_n(left + 8)}" y="{_n(top - 5)}">'
                     f'{escape(fit(node.badge, inner, lay.line_size))}</text>')
    parts.append(f'<rect class="box" x="{_n(left)}" y="{_n(top)}" width="{lay.box_width}" height="{lay.box_height}" '
                 f'rx="6"/>')
    parts.append(f'<text class="name" x="{_n(left + 8)}" y="{_n(top + 20)}">{escape(fit(node.name, inner, lay.name_size))}'
                 '</text>')
    for j, line in enumerate(node.lines[:2]):
        parts.append(f'<text class="line" x="{_n(left + 8)}" y="{_n(top + 38 + 16 * j)}">'
                     f'{escape(fit(line, inner, lay.line_size))}</text>')
    parts.append("</g>")
    return "".join(parts)


def _arrow(i: int, per_row: int, left: float, top: float, lay: FlowLayout) -> str:
    """From box i to box i+1: straight on within a row; at a row's end, down and back to the next row's start."""
    mid = top + lay.box_height / 2
    if (i + 1) % per_row:
        x1, x2 = left + lay.box_width + 3, left + lay.box_width + lay.gap - 3
        return (f'<g class="arrow"><line x1="{_n(x1)}" y1="{_n(mid)}" x2="{_n(x2 - 6)}" y2="{_n(mid)}"/>'
                f'<polygon points="{_n(x2)},{_n(mid)} {_n(x2 - 7)},{_n(mid - 4)} {_n(x2 - 7)},{_n(mid + 4)}"/></g>')
    x_from, y_from = left + lay.box_width / 2, top + lay.box_height + 2
    y_turn = top + lay.box_height + lay.row_gap / 2 + 2
    x_to, y_to = lay.box_width / 2, top + lay.box_height + lay.row_gap + lay.badge_height - 3
    return (f'<g class="arrow"><polyline fill="none" points="{_n(x_from)},{_n(y_from)} {_n(x_from)},{_n(y_turn)} '
            f'{_n(x_to)},{_n(y_turn)} {_n(x_to)},{_n(y_to - 6)}"/>'
            f'<polygon points="{_n(x_to)},{_n(y_to)} {_n(x_to - 4)},{_n(y_to - 7)} {_n(x_to + 4)},{_n(y_to - 7)}"/></g>')
