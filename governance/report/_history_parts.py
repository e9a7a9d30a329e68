"""The parts of the history's reports that a run's HTML and Markdown reports show too: time to resolve,
the oldest open findings, the charts' data in Markdown, and which run a comparison is against."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.report import _trend
from governance.report._escape import markdown_table as _table
from governance.report._escape import markdown_text
from governance.result import SEVERITIES, RunResult
from governance.vocabulary import Messages

if TYPE_CHECKING:
    from governance.history import ReportHistory, ResolveTimes

SHORT_DIGEST = 12  # hex digits of a digest shown to people (the JSON and CSV keep all 64)
SPARK = "▁▂▃▄▅▆▇█"


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


def not_compared_line(history: ReportHistory, m: Messages) -> str | None:
    """Why the report compares with no earlier run though the store records some: all archived (None: not so)."""
    run = history.archived_previous
    if run is None:
        return None
    return m.text("history.not_compared", as_of=run.as_of, digest=run.digest[:SHORT_DIGEST])


def oldest_header(m: Messages) -> list[str]:
    return [m.text("severity"), m.text("check"), m.text("resource"), m.text("history.first_seen"), m.text("history.age_days")]


def oldest_rows(history: ReportHistory, m: Messages) -> list[list]:
    return [[m.name(f.severity, capital=True), f.check, f"{m.name(f.resource.kind)} {f.resource.id}", f.first_seen,
             f.age_days] for f in history.oldest_open]


def markdown_section(history: ReportHistory, m: Messages) -> list[str]:
    """The trend section of the Markdown report: the charts' data, the oldest open findings, time to resolve."""
    t = m.text
    lines = [f"## {t('history.section')}", ""]
    unmatched = not_compared_line(history, m)
    lines += [markdown_text(unmatched), ""] if unmatched else []
    lines += [f"### {t('history.chart_severity')}", ""]
    lines += markdown_charts(_trend.days(history.points), m)
    lines += [f"### {t('history.oldest_h')}", ""]
    rows = oldest_rows(history, m)
    lines += (_table(oldest_header(m), rows, "lllrr") if rows else [t("history.none_open")]) + [""]
    lines += [f"### {t('history.resolve_h')}", ""]
    return lines + _table(resolve_header(m), resolve_rows(history.resolve_times, m), "lrrl") + [""]
