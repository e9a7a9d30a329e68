"""The meeting pack's formats (`govern agenda --format F`), and what they share: how an item's owner,
date and trend read in the pack's language.

A pack format module defines `render(agenda: Agenda, options: RenderOptions) -> str` and reads nothing
but the `Agenda`; like the group report's formats, they are helpers of this package, never offered by
`govern check --format`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from governance.report import _agenda_svg as svg
from governance.report._escape import json_document
from governance.report._remediation import Remedy
from governance.report._trend import line_chart
from governance.result import ActionRecord, Agenda, AgendaChange, AgendaCounts, AgendaGoal, AgendaItem, GoalRecord
from governance.vocabulary import Messages, localized

if TYPE_CHECKING:  # the package imports this module
    from governance.report import RenderOptions

AgendaRenderer = Callable[[Agenda, "RenderOptions"], str]


def _json(agenda: Agenda, options: RenderOptions) -> str:
    return json_document(agenda.to_json())


class _AgendaFormats(Mapping[str, AgendaRenderer]):
    """Format name -> renderer, each module imported the first time its format is asked for."""

    _MODULES = {"markdown": "_agenda_markdown", "html": "_agenda_html"}

    def __getitem__(self, name: str) -> AgendaRenderer:
        if name == "json":
            return _json
        renderer: AgendaRenderer = importlib.import_module(f"governance.report.{self._MODULES[name]}").render
        return renderer

    def __contains__(self, name: object) -> bool:
        return name == "json" or name in self._MODULES

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(["json", *self._MODULES]))

    def __len__(self) -> int:
        return 1 + len(self._MODULES)


AGENDA_FORMATS: Mapping[str, AgendaRenderer] = _AgendaFormats()


def render_agenda(fmt: str, agenda: Agenda, options: RenderOptions) -> str:
    if fmt not in AGENDA_FORMATS:
        raise ValueError(f"unknown agenda format {fmt!r} (known: {', '.join(sorted(AGENDA_FORMATS))})")
    return AGENDA_FORMATS[fmt](agenda, options)


# ---------------------------------------------------------------- what the formats share

@dataclass(frozen=True)
class Count:
    """One row of page one's counts: now, at the previous run, and the arrow between them."""

    label: str
    now: int
    before: int | None

    @property
    def arrow(self) -> str:
        if self.before is None:
            return ""
        return "↑" if self.now > self.before else "↓" if self.now < self.before else "→"

    @property
    def delta(self) -> str:
        return "" if self.before is None else f"{self.now - self.before:+d}"


def counts(agenda: Agenda, m: Messages) -> list[Count]:
    before: AgendaCounts | None = agenda.previous.counts if agenda.previous else None
    rows = [("agenda.items", "items"), ("html.failing", "unwaived"), ("advisories", "advisories"), ("waived", "waived")]
    return [Count(m.text(label), getattr(agenda.counts, key), getattr(before, key) if before else None)
            for label, key in rows]


def said(m: Messages, item: AgendaItem | AgendaChange) -> str:
    """An item's message in the pack's language: the check's Chinese where it wrote one."""
    return (item.message_zh or item.message) if m.lang == "zh" else item.message


def person(m: Messages, person_id: str | None, name: str | None) -> str:
    """名字（id） / Name (id), as the checks' messages name a person; `none named` without one."""
    if person_id is None:
        return m.text("agenda.no_owner")
    if not name:
        return person_id
    return f"{name}（{person_id}）" if m.lang == "zh" else f"{name} ({person_id})"


def owner(m: Messages, item: AgendaItem) -> str:
    return person(m, item.owner, item.owner_name)


def date(m: Messages, item: AgendaItem) -> str:
    """The date an item turns on, with which date it is (due, expires …); `—` without one."""
    if item.date is None:
        return "—"
    field = item.date_field or "date"
    word = m.text(field) if field in ("due", "expires") else m.text(f"agenda.field.{field}")
    return f"{word} {item.date}"


def location(item: AgendaItem | AgendaChange | ActionRecord) -> str:
    return f"{item.location.file}:{item.location.line}" if item.location else "—"


def heading(agenda: Agenda, group_id: str, lang: str) -> str:
    group = next(g for g in agenda.groups if g.id == group_id)
    return localized(group.title, lang, group.id)


def grouped(agenda: Agenda) -> list[tuple[str, list[AgendaItem]]]:
    """(group id, its items) in the pack's order."""
    return [(g.id, [i for i in agenda.items if i.group == g.id]) for g in agenda.groups]


def remedies(agenda: Agenda, items: list[AgendaItem], m: Messages) -> list[Remedy]:
    """How to fix what each check of `items` finds, in their order and the pack's language (the pack holds no
    check titles: a remedy's title is empty)."""
    return [Remedy(cid, "", localized(agenda.remediation[cid], m.lang)) for cid in dict.fromkeys(i.check for i in items)
            if localized(agenda.remediation.get(cid, {}), m.lang)]


def what(m: Messages, item: AgendaItem) -> str:
    """The item's message; an expiring waiver says what to decide."""
    if item.kind == "waiver_expiring":
        return f"{m.text('waiver')} {item.waiver}: {m.text('agenda.renew', expires=item.expires)} — {said(m, item)}"
    return said(m, item)


def addressed(m: Messages, action: ActionRecord) -> list[str]:
    """The findings an action addresses, each as its check and its resource named in the pack's language."""
    return [f"{a.check} {m.name(a.resource.kind, 'kinds')} {a.resource.id}" for a in action.addresses]


def goal_owner(m: Messages, goal: GoalRecord) -> str:
    return person(m, goal.owner, goal.owner_name)


def by_owner(agenda: Agenda, m: Messages) -> list[tuple[str, list[ActionRecord]]]:
    """The open actions under each owner (名字（id）), in the pack's order (by owner, then due date)."""
    owners: dict[str, list[ActionRecord]] = {}
    for action in agenda.actions:
        owners.setdefault(person(m, action.owner, action.owner_name), []).append(action)
    return list(owners.items())


def latest(p: AgendaGoal) -> str:
    return f"{p.readings[-1].value:g} ({p.readings[-1].date})" if p.readings else "—"


def planned(p: AgendaGoal) -> str:
    return "—" if p.planned is None else f"{p.planned:.4g}"


def plan(m: Messages, p: AgendaGoal) -> str:
    if None in (p.baseline, p.target, p.start, p.due):
        return "—"
    return m.text("agenda.plan_text", start=p.start, baseline=f"{p.baseline:g}", due=p.due, target=f"{p.target:g}")


def chart(m: Messages, p: AgendaGoal, meeting: str) -> svg.Markup | None:
    if not svg.chartable(p):
        return None
    words = svg.Words(title=m.text("agenda.chart", goal=p.goal), plan=m.text("agenda.plan"),
                      readings=m.text("agenda.readings"), meeting=m.text("agenda.meeting"))
    return svg.progress_chart(p, meeting, words)


def trend_chart(agenda: Agenda, m: Messages) -> svg.Markup | None:
    """The entity's recorded runs up to the meeting (history store): unwaived and waived findings."""
    if len(agenda.trend) < 2:
        return None
    dates = [p.as_of for p in agenda.trend]
    return line_chart(dates, [(m.text("html.failing"), "sev-high", [p.unwaived for p in agenda.trend]),
                              (m.text("waived"), "waived", [p.waived for p in agenda.trend])],
                      title=m.text("agenda.runs"))
