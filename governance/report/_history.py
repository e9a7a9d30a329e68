"""What `govern history trend` and `govern history finding` print, in each of their formats.

They read only what the history store answered (`governance.history.types`): a `Trend` with the time to
resolve at its last day, or one `FindingHistory`. The JSON carries the contract's keys (the store's
models, as they are) and may add more: `time_to_resolve` beside `points`. Labels come from the one
catalogue (`_messages.py`) in zh or en; ids, names and digests are shown escaped, as in every report.
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

from governance.history.types import FindingHistory, ResolveTimes, Trend, TrendPoint
from governance.report import _trend
from governance.report._escape import json_document, markdown_text, visible
from governance.report._history_formats import FINDING_FORMATS, TREND_FORMATS
from governance.report._messages import Messages, messages
from governance.report.csv import BOM
from governance.report.csv import _cell as csv_cell
from governance.report.markdown import _table
from governance.result import SEVERITIES, RunResult

if TYPE_CHECKING:
    from governance.history.views import ReportHistory
    from governance.report import RenderOptions
__all__ = ["FINDING_FORMATS", "TREND_FORMATS", "render_finding", "render_trend"]

SHORT_DIGEST = 12  # hex digits of a digest shown to people (the JSON and CSV keep all 64)
TREND_COLUMNS = ("entity", "as_of", "started", "digest", "unwaived", "advisories", "waived", *SEVERITIES,
                 "new", "resolved", "regressed", "controls_satisfied", "controls_total")
SPARK = "▁▂▃▄▅▆▇█"


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
    return [t("aggregate.entity"), t("history.as_of"), t("history.run"), t("history.unwaived"),
            *[m.name(s, capital=True) for s in SEVERITIES], t("waived"), m.name("new", capital=True),
            m.name("resolved", capital=True), m.name("regressed", capital=True), t("history.controls")]


def resolve_rows(times: ResolveTimes, m: Messages) -> list[list]:
    """Per severity: resolved count, median days, the finding open longest (check, resource, age)."""
    rows = []
    for s in SEVERITIES:
        row = times.by_severity.get(s)
        if row is None:
            continue
        longest = row.longest_open
        open_text = (f"{longest.check} {m.name(longest.resource.kind)} {longest.resource.id} · "
                     f"{m.text('history.open_for', days=longest.age_days)}" if longest else "-")
        rows.append([m.name(s, capital=True), row.resolved, "-" if row.median_days is None else f"{row.median_days:g}",
                     open_text])
    return rows


def resolve_header(m: Messages) -> list[str]:
    return [m.text("severity"), m.text("history.resolved_count"), m.text("history.median"), m.text("history.longest_open")]


def sparkline(values: list[int]) -> str:
    """The values as a row of block characters, for Markdown, where no chart can be drawn."""
    top = max(values + [0])
    return "".join(SPARK[round(v * (len(SPARK) - 1) / top)] if top else SPARK[0] for v in values)


def markdown_charts(days: list[_trend.Day], m: Messages) -> list[str]:
    """The charts' data in Markdown: one sparkline per severity and for the controls, first and last value."""
    if not days:
        return []
    rows = [[m.name(s, capital=True), sparkline([d.by_severity[s] for d in days]), days[0].by_severity[s],
             days[-1].by_severity[s]] for s in SEVERITIES]
    rows.append([m.text("history.controls"), sparkline([d.controls_satisfied for d in days]),
                 f"{days[0].controls_satisfied}/{days[0].controls_total}",
                 f"{days[-1].controls_satisfied}/{days[-1].controls_total}"])
    header = ["", f"{days[0].as_of} → {days[-1].as_of}", days[0].as_of, days[-1].as_of]
    return _table(header, rows, "llrr") + [""]


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
    console.print(Text(visible(f"{t('history.finding_title')}: {h.check} {h.resource.kind}/{h.resource.id} · "
                               f"{t('aggregate.entity')} {h.entity} · {m.name(h.severity)} · {state}")))
    console.print(Text(visible(f"{t('history.first_seen')} {h.first_seen} · {t('history.last_seen')} {h.last_seen} · "
                               f"{h.fingerprint}")))
    events = Table(show_header=True)
    for header in (t("history.as_of"), t("history.event"), t("history.run")):
        events.add_column(header)
    for e in h.events:
        events.add_row(e.as_of, m.name(e.kind), e.digest[:SHORT_DIGEST])
    console.print(events)
    return buf.getvalue()


# ---------------------------------------------------------------- the sections of a run's report

def compared_line(result: RunResult, m: Messages) -> str | None:
    """Which run the "since the last review" comparison is against, as its summary names it (None: a
    comparison made before runs were named, or none at all)."""
    counts = (result.summary.model_extra or {}).get("baseline")
    if not isinstance(counts, dict) or not isinstance(counts.get("as_of"), str) or not isinstance(counts.get("digest"), str):
        return None
    as_of, digest = counts["as_of"], counts["digest"][:SHORT_DIGEST]
    if counts.get("source") == "history":
        return m.text("history.compared_store", as_of=as_of, digest=digest)
    return m.text("history.compared_file", as_of=as_of, digest=digest)


def oldest_header(m: Messages) -> list[str]:
    return [m.text("severity"), m.text("check"), m.text("resource"), m.text("history.first_seen"), m.text("history.age_days")]


def oldest_rows(history: ReportHistory, m: Messages) -> list[list]:
    return [[m.name(f.severity, capital=True), f.check, f"{m.name(f.resource.kind)} {f.resource.id}", f.first_seen,
             f.age_days] for f in history.oldest_open]


def markdown_section(history: ReportHistory, m: Messages) -> list[str]:
    """The trend section of the Markdown report: the charts' data, the oldest open findings, time to resolve."""
    t = m.text
    lines = [f"## {t('history.section')}", "", f"### {t('history.chart_severity')}", ""]
    lines += markdown_charts(_trend.days(history.points), m)
    lines += [f"### {t('history.oldest_h')}", ""]
    rows = oldest_rows(history, m)
    lines += (_table(oldest_header(m), rows, "lllrr") if rows else [t("history.none_open")]) + [""]
    lines += [f"### {t('history.resolve_h')}", ""]
    return lines + _table(resolve_header(m), resolve_rows(history.resolve_times, m), "lrrl") + [""]
