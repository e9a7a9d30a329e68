"""`--format markdown`: the audit report a person reads (zh or en, by --lang).

Sections: the run and its evidence, the changes since the run it is compared
with (`--baseline`, or a history store's previous run, which it names), the
trend from a history store (`--db`), a table of controls, the findings
grouped by control with file:line (advisories, the unwaived info findings
that cannot fail the run, apart), how to fix each check with an unwaived
finding (its METADATA's remediation, once per check), the budget chapter (the plan's shares against their targets, plan against
actual spend per category and phase, the burn of running projects), the
strategy chapter (goal tree, maturity
against the previous assessment, pilot scope), the diagnosis chapter (core value streams step by step, the
chain from pain point to root cause to project with its gaps, the benchmarks), then the waivers in force and
the invalid ones with the reasons the WAV checks gave. Messages are in the
report's language where the check wrote it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from governance.report import _budget as budget
from governance.report import _diagnosis as diagnosis
from governance.report import _strategy as strategy
from governance.report._escape import markdown_cell, markdown_code, markdown_table, markdown_text
from governance.report._people import person
from governance.report._remediation import as_markdown, remedies
from governance.result import (
    ControlRecord,
    Finding,
    RunResult,
    WaiverRecord,
    advisory,
    check_standings,
    control_standing,
    tally,
)
from governance.vocabulary import localized, messages

if TYPE_CHECKING:  # the package imports its formats
    from governance.history import ReportHistory
    from governance.report import RenderOptions

FORMAT = "markdown"
TREND = True  # with a history store (`--db`), the trend section: `check` and `report` read it for this format

ICON = {"pass": "✅", "advisory": "✅", "fail": "❌", "not_applicable": "➖", "skipped": "⏭️"}


_text = markdown_text  # the escaping is shared with every Markdown field of another format (_escape.py)
_code = markdown_code
_cell = markdown_cell


_table = markdown_table


def _progress_cell(row: strategy.GoalRow, t: Callable[..., str]) -> str:
    """A goal's latest reading against its plan, the check's verdict and the reading's date."""
    p = row.goal.progress
    if p is None:
        return row.progress
    mark = "⚠ " if p.behind else ""
    return f"{row.progress} {mark}{row.verdict} ({t('strategy.read_on', date=p.date)})"


class _Report:
    def __init__(self, result: RunResult, lang: str, history: ReportHistory | None = None):
        self.r = result
        self.history = history
        self.m = messages(lang)
        self.lang = self.m.lang
        self.checks = {c.id: c for c in result.checks}
        self.standings = check_standings(result.checks, result.fail_on)
        self.advice = [f for f in result.findings if advisory(f, result.fail_on)]
        self.failing = [f for f in result.findings if not advisory(f, result.fail_on)]

    def status(self, state: str) -> str:
        return f"{ICON.get(state, '')} {self.m.name(state)}".strip()

    def build(self) -> str:
        lines = (self.header() + self.changes() + self.trend() + self.controls() + self.findings() + self.advisories()
                 + self.remediation()
                 + budget.markdown_section(self.r, self.m) + self.strategy()
                 + diagnosis.markdown_section(self.r.diagnosis, self.m, "diagnosis" in self.r.model_fields_set)
                 + self.waivers())
        return "\n".join(lines).rstrip() + "\n"

    def header(self) -> list[str]:
        r, t = self.r, self.m.text
        counts = tally(r)
        c = counts.checks
        run = f"{r.run.started_at} – {r.run.finished_at}" if r.run else "-"
        checks = t("check_counts", passed=c["pass"], failed=c["fail"], na=c["not_applicable"])
        checks += t("check_counts_advisory", n=c["advisory"]) if c["advisory"] else ""
        checks += t("check_counts_skipped", skipped=c["skipped"]) if c["skipped"] else ""
        outcome = t("md.outcome_text", fail=counts.failing, waived=counts.waived, checks=checks)
        if self.advice:
            outcome += t("md.outcome_advisories", n=len(self.advice))
        listed = ", ".join(map(str, r.selection.skipped))
        skipped = [f"- {_text(t('skipped_checks', checks=listed))}"] if listed else []
        return [
            f"# {t('md.title')} — {_text(r.workspace)}", "",
            f"- {t('as_of')}: {_text(r.as_of)}",
            f"- {t('md.run')}: {_text(run)}",
            f"- {t('tool')}: {_text(f'{r.tool.name} {r.tool.version} · OPA {r.engine.opa_version}')}",
            f"- {t('policy_revision')}: {_code(r.engine.policy_revision)}",
            f"- {t('inputs')}: {len(r.inputs)}{t('md.inputs_note')}",
            f"- {t('md.outcome')}: {outcome}", *skipped, "",
        ]

    def changes(self) -> list[str]:
        """Since the last review: new and resolved findings against the run compared with, which it names."""
        if self.r.resolved is None:
            return []
        from governance.report._history_parts import compared_line
        t, name = self.m.text, self.m.name
        new = sum(1 for f in self.r.findings if f.baseline == "new")
        against = compared_line(self.r, self.m)
        counts = t("table.since_baseline", new=new, existing=len(self.r.findings) - new, resolved=len(self.r.resolved))
        gone = [[name(f.severity), f.check, f"{name(f.resource.kind)} {f.resource.id}"] for f in self.r.resolved]
        lines = [f"## {t('html.h_changes')}", "", *([_text(against), ""] if against else []), _text(counts), ""]
        if gone:
            lines += [f"### {name('resolved', capital=True)}", ""] + _table([t("severity"), t("check"), t("resource")], gone)
            lines += [""]
        return lines

    def trend(self) -> list[str]:
        if self.history is None:
            return []
        from governance.report._history_parts import markdown_section
        return markdown_section(self.history, self.m)

    def controls(self) -> list[str]:
        t = self.m.text
        lines = [f"## {t('controls')}", ""]
        if not self.r.controls:
            return lines + [t("md.no_controls"), ""]
        rows = []
        for control in self.r.controls:
            summaries = [self.checks[c] for c in control.checks if c in self.checks]
            rows.append([control.id, localized(control.title, self.lang), ", ".join(control.checks),
                         sum(s.evaluated for s in summaries), sum(s.failed for s in summaries),
                         sum(s.waived for s in summaries), self.status(control_standing(control, self.standings))])
        header = [t("control"), t("control_title"), t("checks"), t("md.evaluated"), t("md.failed"), t("waived"),
                  t("status")]
        return lines + _table(header, rows, "lllrrrl") + [""]

    def findings(self) -> list[str]:
        t = self.m.text
        lines = [f"## {t('md.findings')}", ""]
        if not self.failing:
            return lines + [t("no_findings"), ""]
        known = {c.id for c in self.r.controls}
        for control in self.r.controls:
            group = [f for f in self.failing if control.id in f.controls]
            if group:
                lines += self.finding_group(f"{control.id} {localized(control.title, self.lang)}", group, control)
        unmapped = [f for f in self.failing if not known.intersection(f.controls)]
        if unmapped:
            lines += self.finding_group(t("md.unmapped"), unmapped)
        return lines

    def finding_group(self, heading: str, group: list[Finding], control: ControlRecord | None = None) -> list[str]:
        t, name = self.m.text, self.m.name
        rows = [[name(f.severity), f.check, f"{name(f.resource.kind)} {f.resource.id}", self.m.said(f), self.location(f),
                 t("md.waived_by", waiver=f.waiver) if f.status == "waived" else t("md.open")] for f in group]
        header = [t("severity"), t("check"), t("resource"), t("message"), t("location"), t("md.disposition")]
        suffix = f" ({self.status(control_standing(control, self.standings))})" if control else ""
        return [f"### {_text(heading + suffix)}", ""] + _table(header, rows) + [""]

    def advisories(self) -> list[str]:
        if not self.advice:
            return []
        t, name = self.m.text, self.m.name
        rows = [[f.check, f"{name(f.resource.kind)} {f.resource.id}", self.m.said(f), self.location(f)] for f in self.advice]
        header = [t("check"), t("resource"), t("message"), t("location")]
        return [f"## {t('advisories')}", "", t("advisories_note"), ""] + _table(header, rows) + [""]

    def remediation(self) -> list[str]:
        """How to fix each check with an unwaived finding above, once per check (its METADATA's words)."""
        found = remedies(self.r, self.m)
        if not found:
            return []
        items = [f"- **{_text(r.check)}** {_text(r.title)} — {as_markdown(r)}" for r in found]
        return [f"## {self.m.text('remediation')}", "", *items, ""]

    def strategy(self) -> list[str]:
        t, name = self.m.text, self.m.name
        lines = [f"## {t('strategy.h')}", ""]
        section = strategy.section(self.r.strategy, self.m)
        if section is None:
            return lines + [t("strategy.no_policy"), ""]
        lines += [f"### {t('strategy.goals')}", ""]
        if not section.summary.overdue_assessed:
            lines += [t("strategy.overdue_not_assessed"), ""]
        if section.goals:
            rows = [["↳" * row.goal.depth + (" " if row.goal.depth else "") + row.goal.statement + f" ({row.goal.id})",
                     row.tier, row.owner,
                     (row.goal.due or "-") + (f" ⚠ {t('strategy.overdue')}" if row.goal.overdue else ""),
                     row.status, ", ".join(row.goal.projects) or "-", _progress_cell(row, t)] for row in section.goals]
            header = [t("goal"), t("tier"), t("owner"), t("due"), t("status"), t("strategy.projects"),
                      t("strategy.progress")]
            lines += _table(header, rows) + [""]
            if section.overdue:
                lines += [t("strategy.overdue_count", n=section.overdue), ""]
        else:
            lines += [t("strategy.no_goals"), ""]
        lines += [f"### {t('strategy.maturity')}", ""]
        latest, previous = section.summary.latest, section.summary.previous
        if latest is None:
            lines += [t("strategy.no_assessment"), ""]
        else:
            note = t("strategy.latest", id=latest.id, date=latest.date) + " · " + (
                t("strategy.previous", id=previous.id, date=previous.date) if previous else t("strategy.no_previous"))
            rows = [[d.name, "-" if d.latest is None else str(d.latest), "-" if d.previous is None else str(d.previous),
                     "-" if d.change is None else f"{d.change:+d}"] for d in section.dimensions]
            header = [t("dimension"), t("strategy.latest_level"), t("strategy.previous_level"), t("strategy.change")]
            lines += [_text(note), ""] + _table(header, rows, "lrrr") + [""]
        lines += [f"### {t('pilot_scope')}", ""]
        pilot = section.summary.pilot
        if pilot is None:
            lines += [t("strategy.no_pilot"), ""]
        else:
            text = t("strategy.pilot_text", phase=name(pilot.phase), n=len(pilot.running), max=pilot.max_projects)
            lines += [_text(text + (f": {', '.join(pilot.running)}" if pilot.running else "")), ""]
        return lines

    @staticmethod
    def location(f: Finding) -> str:
        return f"{f.location.file}:{f.location.line}" if f.location else "-"

    def waivers(self) -> list[str]:
        t = self.m.text
        valid = [w for w in self.r.waivers if w.valid]
        invalid = [w for w in self.r.waivers if not w.valid]
        lines = [f"## {t('md.waivers')}", ""]
        if valid:
            header = [t("waiver"), t("check"), t("resource"), t("requester"), t("approver"),
                      t("approved_at"), t("granted_by"), t("md.expires"), t("md.applied"), t("md.justification")]
            rows = [[w.id, w.check, f"{self.m.name(w.resource.kind)} {w.resource.id}",
                     person(w.requested_by, w.requested_by_name, self.lang), person(w.approved_by, w.approved_by_name, self.lang),
                     w.approved_at, w.decision or "-", w.expires, w.applied, w.justification] for w in valid]
            lines += _table(header, rows, "llllllllrl") + [""]
        else:
            lines += [t("md.no_waivers"), ""]
        if invalid:
            header = [t("waiver"), t("check"), t("resource"), t("approver"), t("md.expires"), t("reasons")]
            rows = [[w.id, w.check, f"{self.m.name(w.resource.kind)} {w.resource.id}",
                     person(w.approved_by, w.approved_by_name, self.lang),
                     w.expires,
                     "; ".join(self.reasons(w))] for w in invalid]
            lines += [f"## {t('md.invalid')}", ""] + _table(header, rows) + [""]
        return lines

    def reasons(self, w: WaiverRecord) -> list[str]:
        """Why a waiver is not applied: the messages of the WAV findings on it, else the check ids."""
        messages = [f"{f.check}: {self.m.said(f)}" for f in self.r.findings
                    if f.resource.kind == "waiver" and f.resource.id == w.id]
        return messages or list(w.problems) or ["-"]


def render(result: RunResult, options: RenderOptions) -> str:
    return _Report(result, options.lang, options.history).build()
