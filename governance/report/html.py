"""`--format html`: the committee's report, one self-contained page.

Everything is inline (CSS, SVG charts) and the page carries a content
security policy that forbids loading anything, so it opens offline and
cannot leak a request when forwarded. No script. Labels come in Chinese
(default) and English from the vocabulary (`governance.vocabulary`); domain titles from
the checks' METADATA (`RunResult.domains`); findings' messages and check
titles in the language the checks wrote (Chinese where they wrote it).
Unwaived info findings are advisories, listed apart and never counted as
failing; a check or domain whose only findings are advisories passes with advisories
(`governance.result.standing`). Below the findings, each check with an unwaived one
says how to fix it (its METADATA's remediation), once, in the report's language.
The page depends only on the `RunResult`, so `govern report` reproduces it
byte for byte from saved JSON.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from governance.report import _budget as spend
from governance.report import _diagnosis as diagnosis
from governance.report import _strategy as strategy
from governance.report import _svg as svg
from governance.report import _trend
from governance.report._escape import visible
from governance.report._history_parts import (
    compared_line,
    not_compared_line,
    oldest_header,
    oldest_rows,
    resolve_header,
    resolve_rows,
)
from governance.report._people import person
from governance.report._remediation import remedies
from governance.result import (
    SEVERITIES,
    Band,
    Finding,
    RunResult,
    WaiverRecord,
    advisory,
    check_standings,
    gate,
    group_standing,
    tally,
)
from governance.vocabulary import Messages, localized, messages

if TYPE_CHECKING:  # the package imports its formats
    from governance.history import ReportHistory
    from governance.report import RenderOptions

FORMAT = "html"
TREND = True  # with a history store (`--db`), the trend section: `check` and `report` read it for this format



def _shown(value: object) -> object:
    """Every value a template prints, before autoescaping: control, bidi and invisible characters written
    out (`visible`); an entity would not do, as the browser turns `&#x202e;` back into the character. The
    charts' markup keeps its tags: an escape is plain ASCII text, no `<` or `&`."""
    if isinstance(value, Markup):
        return Markup(visible(str(value)))
    return visible(value) if isinstance(value, str) else value


_env = Environment(loader=PackageLoader("governance.report", "templates"), autoescape=True, finalize=_shown,
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(result: RunResult, options: RenderOptions) -> str:
    m = messages(options.lang)
    lang = m.lang

    def name(key: str) -> str:
        return m.name(key, capital=True)  # on the page a name stands alone: Critical, Pass, Technology

    advice = [f for f in result.findings if advisory(f, result.fail_on)]
    return _env.get_template("report.html.j2").render(
        lang=lang, t=m.text, name=name, kind_name=m.name, said=m.said, person=person, r=result,
        verdict="fail" if gate(result, result.fail_on) else "pass",
        domains=_domains(result, lang),
        severity_chart=_severity_chart(result, m.text, name),
        severity_counts=_severity_counts(result),
        findings=[f for f in result.findings if not advisory(f, result.fail_on)],  # a test, not a search of `advice`
        advisories=advice,
        remedies=remedies(result, m),
        tally=tally(result),
        titles={c.id: m.title(c) for c in result.checks},
        controls=[(c, localized(c.title, lang)) for c in result.controls],
        control_titles={c.id: localized(c.title, lang) for c in result.controls},
        budget=_budget(result, m, name),
        strategy=strategy.section(result.strategy, m),
        diagnosis=diagnosis.section(result.diagnosis, m),
        diagnosis_recorded="diagnosis" in result.model_fields_set,  # a result saved before has no key
        waivers=[_waiver(w, result.as_of, result.cadence_days) for w in result.waivers],
        next_meeting=_next_meeting(result),
        changes=_changes(result),
        compared=compared_line(result, m),
        trend=_trend_section(options.history, m),
        library_count=len(getattr(result, "library", None) or []),
    )


def _domains(result: RunResult, lang: str) -> list[dict]:
    """One card per domain: those the result lists, in its (the committee's) reading order, titled
    from METADATA; then any domain a check names that the list lacks, sorted and titled by its id.
    Advisories are not counted as failing."""
    by_check = Counter((f.check, "advisory" if advisory(f, result.fail_on) else f.status) for f in result.findings)
    standings = check_standings(result.checks, result.fail_on)
    titles = {d.id: localized(d.title, lang, d.id) for d in result.domains}
    found = {c.domain for c in result.checks}
    rows = []
    for domain in list(titles) + sorted(found - set(titles)):
        mine = [c for c in result.checks if c.domain == domain]
        states = Counter(standings[c.id] for c in mine)
        rows.append({
            "key": domain, "title": titles.get(domain, domain), "status": group_standing(states),
            "checks": len(mine), "pass": states["pass"], "fail": states["fail"], "not_applicable": states["not_applicable"],
            "skipped": states["skipped"], "advisory": states["advisory"],
            "failing": sum(by_check[(c.id, "fail")] for c in mine),
            "waived": sum(by_check[(c.id, "waived")] for c in mine),
            "advisories": sum(by_check[(c.id, "advisory")] for c in mine),
        })
    return rows


def _severity_counts(result: RunResult) -> list[dict]:
    """Per severity: failing, waived and advisory (unwaived info that cannot fail the run) findings."""
    counts = Counter((f.severity, "advisory" if advisory(f, result.fail_on) else f.status) for f in result.findings)
    return [{"severity": s, "fail": counts[(s, "fail")], "waived": counts[(s, "waived")],
             "advisory": counts[(s, "advisory")]} for s in SEVERITIES]


def _severity_chart(result: RunResult, t: Callable[..., str], name: Callable[[str], str]) -> svg.Markup:
    rows = _severity_counts(result)
    top = max([r["fail"] + r["waived"] + r["advisory"] for r in rows] + [1])
    bars = [svg.Bar(label=name(r["severity"]),
                    segments=((r["fail"], f"sev-{r['severity']}"), (r["advisory"], "advisory"), (r["waived"], "waived")),
                    note=f"{r['fail']} {name('fail')} · {r['waived']} {t('waived')}"
                    + (f" · {r['advisory']} {t('advisories')}" if r["advisory"] else ""))
            for r in rows]
    return svg.hbars(bars, top, title=t("html.chart_severity"), layout=svg.Layout(label_width=90, note_width=190))


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _budget(result: RunResult, m: Messages, name: Callable[[str], str]) -> dict | None:
    """The plan's shares per phase against their bands, then plan against actual spend (_budget.py)."""
    summary = result.budget
    if summary is None:
        return None
    t = m.text
    tol = f"{float(summary.tolerance_pp):g}"
    findings = _phase_findings(result)
    phases = []
    for phase in summary.phases:
        cats = [c for c in summary.categories if c in phase.amounts or c in phase.targets]
        bars = [_share_bar(name(c), phase.shares.get(c, 0.0), phase.targets.get(c), phase.bands.get(c), tol, t)
                for c in cats]
        phases.append({
            "phase": phase,
            "total": spend.money(phase.total),
            "chart": svg.hbars(bars, 1.0, title=t("html.chart_budget", phase=name(phase.id)),
                               layout=svg.Layout(width=760, label_width=110, note_width=300,
                                                 ticks=(0, 0.25, 0.5, 0.75, 1.0), tick_format="{:.0%}"))
            if phase.total else None,
            "off": sum(1 for b in bars if b.note_class == "off"),
            "finding": findings.get(phase.id),
            "spent": spend.money(phase.spent_total),
            "spent_chart": spend.spent_share_chart(phase, summary.categories, name,
                                                   t("budget.chart_spent_shares", phase=name(phase.id))),
        })
    on_project = spend.findings_on(result, "project")
    return {"summary": summary, "phases": phases, "tolerance": tol, "records_spend": summary.records_spend,
            "by_category": spend.plan_chart(spend.category_rows(summary), name, m, t("budget.chart_categories")),
            "by_phase": spend.plan_chart(spend.phase_rows(summary), name, m, t("budget.chart_phases")),
            "burn": spend.burn_chart(summary.projects, m) if summary.projects else None,
            "overspent": spend.overspent_rows(summary, spend.findings_on(result, "budget_line")),
            "projects": [{"p": p, "label": spend.project_label(p), "findings": on_project.get(p.id, []),
                          "budget": spend.money(p.budget), "approved": None if p.approved is None else spend.money(p.approved),
                          "spent": spend.money(p.spent), "of_budget": spend.pct(p.spent_share),
                          "of_approved": spend.pct(p.spent / p.approved) if p.approved else None,
                          "elapsed": t("budget.days", elapsed=p.elapsed_days, days=p.days, pct=spend.pct(p.time_share))}
                         for p in summary.projects]}


def _phase_findings(result: RunResult) -> dict[str, Finding]:
    """Phase id -> the finding of the budget domain on that phase, shown beside its chart: the finding
    of the check observing the bands (the result names domains, not readings; the domain is its METADATA's)."""
    budget = {c.id for c in result.checks if c.domain == spend.BUDGET_DOMAIN}
    shown: dict[str, Finding] = {}
    for f in result.findings:
        if f.check in budget and f.resource.kind == "phase":
            shown.setdefault(f.resource.id, f)
    return shown


def _share_bar(label: str, share: float, target: float | None, band: Band | None, tol: str,
               t: Callable[..., str]) -> svg.Bar:
    """One category of a phase. In or out of its band is the check's own reading (`band`, emitted by the
    check observing the bands), never decided here; a result saved before bands were recorded shows
    share and target only."""
    if target is None:
        return svg.Bar(label=label, segments=((share, "share-none"),), note=f"{_pct(share)} · {t('html.no_target')}",
                       note_class="none")
    if band is None:
        return svg.Bar(label=label, segments=((share, "share-none"),), mark=target,
                       note=f"{_pct(share)} · {t('html.target', t=f'{target * 100:g}%', tol=tol)}", note_class="none")
    verdict = t("html.in_band") if band.in_band else t("html.out_of_band")
    return svg.Bar(
        label=label, segments=((band.share, "share-in" if band.in_band else "share-off"),),
        band=(band.low, band.high), mark=band.target,
        note=f"{_pct(band.share)} · {t('html.target', t=f'{band.target * 100:g}%', tol=tol)} · {verdict}",
        note_class="in" if band.in_band else "off",
    )


def _waiver(w: WaiverRecord, as_of: str, cadence_days: int) -> dict:
    """A waiver as the committee reads it: expired, or expiring before its next regular meeting
    (`cadence_days` after `as_of`, that day included), so that it is renewed or let lapse now."""
    left = (dt.date.fromisoformat(w.expires) - dt.date.fromisoformat(as_of)).days
    return {"w": w, "left": left, "expired": left < 0, "expiring": 0 <= left <= cadence_days}


def _next_meeting(result: RunResult) -> dict:
    """The window up to the committee's next regular meeting, as the waivers section names it."""
    until = dt.date.fromisoformat(result.as_of) + dt.timedelta(days=result.cadence_days)
    return {"days": result.cadence_days, "until": until.isoformat()}


def _changes(result: RunResult) -> dict | None:
    """New and resolved findings against `--baseline`; None when the run had no baseline."""
    if result.resolved is None and not any(f.baseline for f in result.findings):
        return None
    return {
        "new": [f for f in result.findings if f.baseline == "new"],
        "existing": sum(1 for f in result.findings if f.baseline == "existing"),
        "resolved": result.resolved or [],
    }


def _trend_section(history: ReportHistory | None, m: Messages) -> dict | None:
    """The trend from a history store (`--db`): its charts, the oldest open findings, time to resolve."""
    if history is None:
        return None
    return {"charts": _trend.charts(_trend.days(history.points), m), "not_compared": not_compared_line(history, m),
            "oldest_header": oldest_header(m), "oldest": oldest_rows(history, m),
            "resolve_header": resolve_header(m), "resolve": resolve_rows(history.resolve_times, m)}
