"""`govern agenda --format markdown`: the meeting pack as text (zh or en, by --lang).

Page one first (the verdict, the counts against the previous run with their arrows, how many items
need a decision), then the items by group, what changed since the last meeting, and the goal tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.report import _agenda as pack
from governance.report._escape import markdown_code, markdown_table, markdown_text
from governance.report._remediation import as_markdown
from governance.result import Agenda
from governance.vocabulary import Messages, messages

if TYPE_CHECKING:  # the package imports this module
    from governance.report import RenderOptions


def render(agenda: Agenda, options: RenderOptions) -> str:
    m = messages(options.lang)
    lines = _page_one(agenda, m) + _items(agenda, m) + _changes(agenda, m) + _actions(agenda, m) + _progress(agenda, m)
    lines += _goals(agenda, m)
    lines += ["", "---", "", m.text("agenda.footer", as_of=agenda.meeting)]
    return "\n".join(lines) + "\n"


def _page_one(agenda: Agenda, m: Messages) -> list[str]:
    t = m.text
    window = t("agenda.window_text", start=agenda.window.start, end=agenda.window.to, days=agenda.cadence_days)
    verdict = t("agenda.verdict_text", verdict=m.name(agenda.verdict, capital=True), fail_on=m.name(agenda.fail_on))
    lines = [f"# {t('agenda.title')} · {markdown_text(agenda.workspace)}", "",
             f"- {t('agenda.meeting')}: {agenda.meeting}",
             f"- {t('agenda.window')}: {window}",
             f"- {t('agenda.verdict')}: **{verdict}**",
             f"- **{t('agenda.items_count', n=agenda.counts.items)}**", "",
             f"## {t('agenda.glance')}", ""]
    before = t("agenda.before", as_of=agenda.previous.as_of) if agenda.previous else None
    header = [t("agenda.measure"), t("agenda.now"), *([before, t("strategy.change")] if before else [])]
    rows = [[c.label, c.now, *([c.before, f"{c.arrow} {c.delta}"] if before else [])] for c in pack.counts(agenda, m)]
    lines += markdown_table(header, rows, "lr" + ("rl" if before else ""))
    if agenda.previous is None:
        lines += ["", t("agenda.no_previous")]
    return lines


def _items(agenda: Agenda, m: Messages) -> list[str]:
    t = m.text
    lines = ["", f"## {t('agenda.items')}"]
    if not agenda.items:
        return [*lines, "", t("agenda.no_items")]
    header = [t("severity"), t("check"), t("resource"), t("message"), t("owner"), t("agenda.date"), t("location")]
    for group, items in pack.grouped(agenda):
        rows = [[m.name(i.severity, capital=True), i.check, f"{m.name(i.resource.kind)} {i.resource.id}"
                 + (f" ({m.name('new', 'baseline_marks')})" if i.change == "new" else ""),
                 pack.what(m, i), pack.owner(m, i), pack.date(m, i), pack.location(i)] for i in items]
        lines += ["", f"### {markdown_text(pack.heading(agenda, group, m.lang))} ({len(items)})", ""]
        lines += markdown_table(header, rows)
        fixes = pack.remedies(agenda, items, m)
        if fixes:
            lines += ["", f"**{t('remediation')}**", ""]
            lines += [f"- **{markdown_text(r.check)}** — {as_markdown(r)}" for r in fixes]
    return lines


def _changes(agenda: Agenda, m: Messages) -> list[str]:
    t = m.text
    lines = ["", f"## {t('agenda.changes')}", ""]
    previous = agenda.previous
    if previous is None or agenda.changes is None:
        return [*lines, t("agenda.no_previous")]
    compared = "history.compared_store" if previous.source == "history" else "history.compared_file"
    lines += [t("agenda.changes_between", start=previous.as_of, end=agenda.meeting) + " · "
              + t(compared, as_of=previous.as_of, digest=markdown_code(previous.digest[:12])), ""]
    if agenda.trend:
        first, last = agenda.trend[0], agenda.trend[-1]
        lines += [t("agenda.runs_text", n=len(agenda.trend), first=first.as_of, last=last.as_of, was=first.unwaived,
                    now=last.unwaived), ""]
    if not agenda.changes:
        return [*lines, t("agenda.no_changes")]
    header = [t("strategy.change"), t("agenda.date"), t("severity"), t("check"), t("resource"), t("message"), t("location")]
    rows = [[m.name(c.change, "baseline_marks"), c.date or "—", m.name(c.severity, capital=True), c.check,
             f"{m.name(c.resource.kind)} {c.resource.id}", pack.said(m, c), pack.location(c)] for c in agenda.changes]
    return lines + markdown_table(header, rows)


def _actions(agenda: Agenda, m: Messages) -> list[str]:
    t = m.text
    lines = ["", f"## {t('agenda.actions')}", ""]
    if agenda.actions:
        header = [t("owner"), m.name("action", "kinds", capital=True), t("due"), t("agenda.addresses"),
                  t("agenda.assigned_at"), t("location")]
        rows = [[owner, f"{x.title} ({x.id})",
                 x.due + (f" ⚠ {t('strategy.overdue')}" if x.overdue else ""), ", ".join(pack.addressed(m, x)) or "—",
                 x.meeting or "—", pack.location(x)]
                for owner, actions in pack.by_owner(agenda, m) for x in actions]
        lines += markdown_table(header, rows)
    else:
        lines.append(t("agenda.no_actions"))
    if agenda.last_meeting is None:
        return [*lines, "", t("agenda.no_last_meeting")]
    lines += ["", f"### {t('agenda.closed', date=agenda.last_meeting)}", ""]
    if not agenda.closed:
        return [*lines, t("agenda.no_closed")]
    header = [t("owner"), m.name("action", "kinds", capital=True), t("status"), t("agenda.done_at"), t("due")]
    rows = [[pack.person(m, x.owner, x.owner_name), f"{x.title} ({x.id})", m.name(x.status, "action_statuses", capital=True),
             x.done_at or "—", x.due] for x in agenda.closed]
    return lines + markdown_table(header, rows)


def _progress(agenda: Agenda, m: Messages) -> list[str]:
    t = m.text
    lines = ["", f"## {t('agenda.progress')}", ""]
    if not agenda.progress:
        return [*lines, t("agenda.no_progress")]
    header = [t("goal"), t("owner"), t("agenda.plan"), t("agenda.latest"), t("agenda.planned"), t("agenda.flagged")]
    rows = [[f"{p.statement} ({p.goal})", pack.person(m, p.owner, p.owner_name), pack.plan(m, p), pack.latest(p),
             pack.planned(p), ", ".join(p.checks) or "—"] for p in agenda.progress]
    return lines + markdown_table(header, rows)


def _goals(agenda: Agenda, m: Messages) -> list[str]:
    t = m.text
    lines = ["", f"### {t('strategy.goals')}", ""]
    if not agenda.goals:
        return [*lines, t("strategy.no_goals")]
    for g in agenda.goals:
        status = m.name(g.status, "goal_statuses") + (f" · ⚠ {t('strategy.overdue')}" if g.overdue else "")
        due = f" · {t('due')} {g.due}" if g.due else ""
        lines.append(f"{'  ' * g.depth}- **{markdown_text(m.name(g.tier, capital=True))}** "
                     f"{markdown_text(g.statement)} ({markdown_code(g.id)}) · {t('owner')} "
                     f"{markdown_text(pack.goal_owner(m, g))}{due} · {markdown_text(status)}")
    return lines
