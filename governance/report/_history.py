"""What `govern history trend` and `govern history finding` print, in each of their formats.

They read only what the history store answered (`governance.history.types`): a `Trend` with the time to
resolve at its last day, or one `FindingHistory`. The JSON carries the contract's keys (the store's
models, as they are) and may add more: `time_to_resolve` beside `points`. Labels come from the one
vocabulary (`checks/vocabulary.json`) in zh or en; ids, names and digests are shown escaped, as in every report.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from governance.history import FindingHistory, ResolveTimes, Trend, TrendPoint
from governance.report import _trend
from governance.report._escape import json_document, markdown_text, visible
from governance.report._escape import markdown_table as _table
from governance.report._history_parts import SHORT_DIGEST, markdown_charts, resolve_header, resolve_rows
from governance.report.csv import BOM
from governance.report.csv import _cell as csv_cell
from governance.result import SEVERITIES
from governance.vocabulary import Messages, messages

if TYPE_CHECKING:
    from governance.report import RenderOptions
__all__ = ["render_finding", "render_trend"]

TREND_COLUMNS = ("entity", "as_of", "started", "digest", "unwaived", "advisories", "waived", *SEVERITIES,
                 "new", "resolved", "regressed", "controls_satisfied", "controls_total")


def render_trend(fmt: str, trend: Trend, times: ResolveTimes, options: RenderOptions) -> str | bytes:
    renderers: dict[str, Callable[[Trend, ResolveTimes, Messages], str | bytes]] = {
        "table": _trend_table, "json": _trend_json, "csv": _trend_csv, "markdown": _trend_markdown, "html": _trend_html}
    return renderers[fmt](trend, times, messages(options.lang))


def render_finding(fmt: str, history: FindingHistory, options: RenderOptions) -> str:
    if fmt == "json":
        return json_document(history.model_dump_json(indent=2) + "\n")
    return _finding_table(history, messages(options.lang))


# ---------------------------------------------------------------- trend

def _trend_json(trend: Trend, times: ResolveTimes, m: Messages) -> str:
    doc = {**trend.model_dump(mode="json"), "time_to_resolve": times.model_dump(mode="json")}
    return json_document(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def _trend_csv(trend: Trend, times: ResolveTimes, m: Messages) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(TREND_COLUMNS)
    for p in trend.points:
        writer.writerow([csv_cell(p.entity), p.as_of, p.started or "", p.digest, p.unwaived, p.advisories, p.waived,
                         *[p.by_severity.get(s, 0) for s in SEVERITIES], p.new, p.resolved, p.regressed,
                         p.controls_satisfied, p.controls_total])
    return (BOM + buf.getvalue()).encode("utf-8")


def _scope(trend: Trend, m: Messages) -> str:
    entities = sorted({p.entity for p in trend.points})
    dates = sorted(p.as_of for p in trend.points)
    return m.text("history.scope", entities=", ".join(entities), n=len(trend.points), first=dates[0], last=dates[-1])


def _point_row(p: TrendPoint) -> list:
    return [p.entity, p.as_of, p.digest[:SHORT_DIGEST], p.unwaived, *[p.by_severity.get(s, 0) for s in SEVERITIES],
            p.waived, p.new, p.resolved, p.regressed, f"{p.controls_satisfied}/{p.controls_total}"]


def _point_header(m: Messages) -> list[str]:
    t = m.text
    return [t("entity"), t("as_of"), t("history.run"), t("history.unwaived"),
            *[m.name(s, capital=True) for s in SEVERITIES], t("waived"), m.name("new", capital=True),
            m.name("resolved", capital=True), m.name("regressed", capital=True), t("history.controls")]


def _trend_markdown(trend: Trend, times: ResolveTimes, m: Messages) -> str:
    t = m.text
    lines = [f"# {t('history.title')}", ""]
    if not trend.points:
        return "\n".join(lines + [t("history.no_runs")]) + "\n"
    days = _trend.days(trend.points)
    lines += [markdown_text(_scope(trend, m)), "", f"## {t('history.chart_severity')}", ""]
    lines += markdown_charts(days, m)
    if len({p.entity for p in trend.points}) > 1:
        lines += [t("history.carried"), ""]
    lines += [f"## {t('history.resolve_h')} ({markdown_text(times.as_of)})", ""]
    lines += _table(resolve_header(m), resolve_rows(times, m), "lrrl") + [""]
    lines += [f"## {t('history.run')}", ""]
    lines += _table(_point_header(m), [_point_row(p) for p in trend.points],
                    "lll" + "r" * (len(SEVERITIES) + 6)) + [""]
    return "\n".join(lines).rstrip() + "\n"


def _trend_table(trend: Trend, times: ResolveTimes, m: Messages) -> str:
    t = m.text
    buf = io.StringIO()
    console = Console(file=buf, width=160, force_terminal=False, color_system=None)
    if not trend.points:
        console.print(Text(t("history.no_runs")))
        return buf.getvalue()
    runs = Table(title=Text(visible(f"{t('history.title')} · {_scope(trend, m)}")), title_justify="left")
    for header in _point_header(m):
        runs.add_column(header, overflow="fold")
    for p in trend.points:
        runs.add_row(*[Text(visible(str(c))) for c in _point_row(p)])
    console.print(runs)
    resolve = Table(title=Text(f"{t('history.resolve_h')} ({times.as_of})"), title_justify="left")
    for header in resolve_header(m):
        resolve.add_column(header, overflow="fold")
    for row in resolve_rows(times, m):
        resolve.add_row(*[Text(visible(str(c))) for c in row])
    console.print(resolve)
    return buf.getvalue()


def _trend_html(trend: Trend, times: ResolveTimes, m: Messages) -> str:
    from governance.report import _history_html  # jinja2 only for the page
    return _history_html.render(trend, times, m)


# ---------------------------------------------------------------- one finding

def _finding_table(h: FindingHistory, m: Messages) -> str:
    t = m.text
    buf = io.StringIO()
    console = Console(file=buf, width=160, force_terminal=False, color_system=None)
    state = t("history.state_open") if h.state == "open" else m.name("resolved")
    console.print(Text(visible(f"{t('history.finding_title')}: {h.check} {m.name(h.resource.kind, 'kinds')} {h.resource.id} · "
                               f"{t('entity')} {h.entity} · {m.name(h.severity)} · {state}")))
    console.print(Text(visible(f"{t('history.first_seen')} {h.first_seen} · {t('history.last_seen')} {h.last_seen} · "
                               f"{h.fingerprint}")))
    events = Table(show_header=True)
    for header in (t("as_of"), t("history.event"), t("history.run")):
        events.add_column(header)
    for e in h.events:
        events.add_row(e.as_of, m.name(e.kind, "finding_events"), e.digest[:SHORT_DIGEST])
    console.print(events)
    return buf.getvalue()
