"""The diagnosis section, as the HTML and Markdown reports both show it: each core value stream as a
flow of its steps, the chain from pain point to root cause to the projects removing it with its gaps
marked, and the benchmarks with what was adopted (handbook §1.1).

Everything comes from `RunResult.diagnosis`; hand-offs, gaps and whether a project is live are the
checks' own readings (those declaring `custom.observes: hand_offs`, `unrooted_pain_points` and
`root_cause_removal`), carried in the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from governance.report import _svg as svg
from governance.report._escape import markdown_code, markdown_table, markdown_text
from governance.report._people import person
from governance.result import (
    BenchmarkRecord,
    DiagnosisSummary,
    PainPointRecord,
    ProjectLink,
    RootCauseRecord,
    StepRecord,
    ValueStreamRecord,
)
from governance.vocabulary import Messages


@dataclass(frozen=True)
class Stream:
    record: ValueStreamRecord
    name: str  # its name, or its id where it has none
    meta: str  # owner, when mapped, steps and time, in the report's language
    hand_offs: int
    chart: svg.Markup | None  # core streams only


@dataclass(frozen=True)
class Cause:
    record: RootCauseRecord
    kind: str  # category · method, in the report's language


@dataclass(frozen=True)
class Chain:
    """One pain point and its root causes, each with the projects removing it."""

    point: PainPointRecord
    stream: str  # the stream's name
    causes: list[Cause]


@dataclass(frozen=True)
class Section:
    summary: DiagnosisSummary
    core: list[Stream]
    others: list[Stream]
    chain: list[Chain]
    unnamed: list[Cause]  # root causes no pain point names: their gaps show too
    gaps: int  # pain points without a root cause and root causes no live project removes
    benchmarks: list[BenchmarkRecord]


def section(summary: DiagnosisSummary | None, m: Messages) -> Section | None:
    if summary is None:
        return None
    streams = [_stream(v, m) for v in summary.streams]
    names = {s.record.id: s.name for s in streams}
    causes = {r.id: Cause(r, f"{m.name(r.category, 'root_cause_categories')} · {m.name(r.method, 'root_cause_methods')}")
              for r in summary.root_causes}
    named = {c for p in summary.pain_points for c in p.root_causes}
    return Section(
        summary=summary,
        core=[s for s in streams if s.record.core],
        others=[s for s in streams if not s.record.core],
        chain=[Chain(p, names.get(p.value_stream, p.value_stream), [causes[c] for c in p.root_causes if c in causes])
               for p in summary.pain_points],
        unnamed=[c for rid, c in causes.items() if rid not in named],
        gaps=sum(p.unrooted for p in summary.pain_points) + sum(r.unremoved for r in summary.root_causes),
        benchmarks=list(summary.benchmarks),
    )


def number(x: float) -> str:
    """Minutes as written (40, 7.5), never an exponent."""
    return f"{x:.2f}".rstrip("0").rstrip(".") if isinstance(x, float) else str(x)


def percent(rate: float) -> str:
    return f"{number(round(float(rate) * 100, 2))}%"


def step_lines(step: StepRecord, m: Messages) -> tuple[str, str]:
    """A step's time and error rate, in the report's language ("" for an error rate not given)."""
    time = m.text("diagnosis.minutes", n=number(step.minutes)) if step.minutes is not None else m.text("diagnosis.no_time")
    errors = m.text("diagnosis.error_rate", rate=percent(step.error_rate)) if step.error_rate is not None else ""
    return time, errors


def _stream(v: ValueStreamRecord, m: Messages) -> Stream:
    mapped = m.text("diagnosis.mapped_at", date=v.mapped_at) if v.mapped_at else m.text("diagnosis.never_mapped")
    meta = m.text("diagnosis.stream_meta", owner=person(v.owner, v.owner_name, m.lang), mapped=mapped,
                  n=len(v.steps), minutes=number(v.minutes))
    if v.timed < len(v.steps):  # the total is partial: say so beside it
        meta += " · " + m.text("diagnosis.untimed", n=len(v.steps) - v.timed)
    name = v.name or v.id
    return Stream(record=v, name=name, meta=meta, hand_offs=sum(s.hand_off for s in v.steps),
                  chart=_flow(v, name, m) if v.core else None)


def _flow(v: ValueStreamRecord, name: str, m: Messages) -> svg.Markup:
    nodes = []
    for step in v.steps:
        time, errors = step_lines(step, m)
        owner = person(step.owner, step.owner_name, m.lang) if step.owner else "—"
        tip = " · ".join(x for x in (step.name or step.id, time, errors, owner, ", ".join(step.systems)) if x)
        nodes.append(svg.Node(name=step.name or step.id, lines=(time, errors) if errors else (time,),
                              css="hand-off" if step.hand_off else "", badge=m.text("hand_off") if step.hand_off else "",
                              tooltip=tip))
    return svg.flow(nodes, title=m.text("diagnosis.chart", name=name))


# ---------------------------------------------------------------- the Markdown report's chapter


def live_word(link: ProjectLink, m: Messages) -> str:
    """running or upcoming / ended, as the check counted it; "" where it judged nothing."""
    if link.live is None:
        return ""
    return m.text("diagnosis.live") if link.live else m.text("diagnosis.ended")


def cause_text(c: Cause, m: Messages) -> str:
    """A root cause, the projects removing it and its gap, on one line (the Markdown table's cell)."""
    r = c.record
    projects = ", ".join(_noted(p.id, live_word(p, m), m.lang) for p in r.projects)
    text = f"{r.statement} [{r.id} · {c.kind}] → {projects or m.text('diagnosis.no_project')}"
    return text + (f" ⚠ {m.text('diagnosis.no_live_project')}" if r.unremoved else "")


def _noted(text: str, note: str, lang: str) -> str:
    """prj-a (ended); in Chinese in full-width brackets, as the reports name a person."""
    if not note:
        return text
    return f"{text}（{note}）" if lang == "zh" else f"{text} ({note})"


def markdown_section(summary: DiagnosisSummary | None, m: Messages, recorded: bool = True) -> list[str]:
    """`recorded`: whether the result records the diagnosis at all (one saved before it did has no key, and
    its absence is not "no value stream")."""
    t = m.text
    lines = [f"## {t('diagnosis.h')}", ""]
    found = section(summary, m)
    if found is None:
        return lines + [t("diagnosis.no_streams" if recorded else "diagnosis.not_recorded"), ""]
    if not found.summary.judged:
        lines += [markdown_text(t("diagnosis.not_judged")), ""]
    lines += [f"### {t('diagnosis.streams')}", ""]
    for s in found.core:
        lines += [f"**{markdown_text(s.name)}** {markdown_code(s.record.id)} · {markdown_text(s.meta)}", ""]
        rows = [[i + 1, step.name or step.id, person(step.owner, step.owner_name, m.lang) if step.owner else "-",
                 step_lines(step, m)[0], percent(step.error_rate) if step.error_rate is not None else "",
                 ", ".join(step.systems), f"⚠ {t('hand_off')}" if step.hand_off else ""]
                for i, step in enumerate(s.record.steps)]
        lines += markdown_table(["#", t("diagnosis.step"), t("owner"), t("diagnosis.time"), t("diagnosis.errors"),
                                 m.name("system", capital=True), t("hand_off")], rows, "rllrrll") + [""]
    if not found.core:
        lines += [t("diagnosis.no_core"), ""]
    if found.others:
        rows = [[_noted(s.name, s.record.id, m.lang), s.meta, s.hand_offs] for s in found.others]
        lines += [f"### {t('diagnosis.other_streams')}", ""]
        lines += markdown_table([m.name("value_stream", capital=True), t("diagnosis.stream_details"), t("hand_off")],
                                rows, "llr") + [""]
    return lines + _chain_markdown(found, m) + _benchmarks_markdown(found, m)


def _chain_markdown(found: Section, m: Messages) -> list[str]:
    t = m.text
    lines = [f"### {t('diagnosis.chain')}", ""]
    if found.gaps:
        lines += [f"⚠ {t('diagnosis.gaps', n=found.gaps)}", ""]
    if not found.chain:
        lines += [t("diagnosis.no_pain_points"), ""]
    else:
        gap = f" ⚠ {t('diagnosis.no_root_cause')}"
        rows = [[_noted(c.point.statement, c.point.id, m.lang) + (gap if c.point.unrooted else ""),
                 f"{c.stream}: {', '.join(c.point.steps)}" if c.point.steps else c.stream,
                 "; ".join(cause_text(cause, m) for cause in c.causes)] for c in found.chain]
        lines += markdown_table([m.name("pain_point", capital=True), m.name("value_stream", capital=True),
                                 t("diagnosis.removing")], rows) + [""]
    if found.unnamed:
        lines += [f"#### {t('diagnosis.unnamed_causes')}", ""]
        lines += [f"- {markdown_text(cause_text(c, m))}" for c in found.unnamed] + [""]
    return lines


def _benchmarks_markdown(found: Section, m: Messages) -> list[str]:
    t = m.text
    lines = [f"### {t('diagnosis.benchmarks')}", ""]
    if not found.benchmarks:
        return lines + [t("diagnosis.no_benchmarks"), ""]
    rows = [[b.peer, b.practice, b.studied_at, ", ".join(p.id for p in b.adopted_by) or t("diagnosis.not_adopted")]
            for b in found.benchmarks]
    return lines + markdown_table([t("diagnosis.peer"), t("diagnosis.practice"), t("diagnosis.studied_at"),
                                   t("diagnosis.adopted_by")], rows) + [""]
