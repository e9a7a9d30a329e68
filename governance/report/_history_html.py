"""`govern history trend --format html`: the trend as one self-contained page, drawn as the committee's
report is (its stylesheet, inline SVG charts, a policy that loads nothing, no script)."""

from __future__ import annotations

from governance.history import ResolveTimes, Trend
from governance.report import _trend
from governance.report._history_parts import SHORT_DIGEST, resolve_header, resolve_rows
from governance.report.html import _env
from governance.result import SEVERITIES
from governance.vocabulary import Messages


def render(trend: Trend, times: ResolveTimes, m: Messages) -> str:
    days = _trend.days(trend.points)
    return _env.get_template("history.html.j2").render(
        lang=m.lang, t=m.text, name=lambda key: m.name(key, capital=True), trend=trend, days=days,
        severities=SEVERITIES, short=SHORT_DIGEST, entities=sorted({p.entity for p in trend.points}),
        charts=_trend.charts(days, m), resolve_header=resolve_header(m), resolve_rows=resolve_rows(times, m), times=times)

