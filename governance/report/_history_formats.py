"""The formats of `govern history trend` and `govern history finding` (_history.py renders them), apart so
the command line lists them, and reaches their renderers, without importing the terminal and HTML libraries."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.history import FindingHistory, ResolveTimes, Trend
    from governance.report._render import RenderOptions

TREND_FORMATS = ("table", "json", "csv", "markdown", "html")
FINDING_FORMATS = ("table", "json")


def render_trend(fmt: str, trend: Trend, times: ResolveTimes, options: RenderOptions) -> str | bytes:
    from governance.report import _history  # rich and jinja2, only for this command

    return _history.render_trend(fmt, trend, times, options)


def render_finding(fmt: str, history: FindingHistory, options: RenderOptions) -> str:
    from governance.report import _history  # rich, only for this command

    return _history.render_finding(fmt, history, options)
