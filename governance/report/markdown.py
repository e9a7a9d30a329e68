"""`--format markdown`: the audit report a person reads (zh or en, by --lang).

Sections: the run and its evidence, a table of controls, the findings
grouped by control with file:line, then the waivers in force and the
invalid ones with the reasons the WAV checks gave.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from governance.report._escape import markdown_cell, markdown_code, markdown_text
from governance.report._messages import localized, messages
from governance.result import ControlRecord, Finding, RunResult, WaiverRecord

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "markdown"

ICON = {"pass": "✅", "fail": "❌", "not_applicable": "➖", "skipped": "⏭️"}


_text = markdown_text  # the escaping is shared with every Markdown field of another format (_escape.py)
_code = markdown_code
_cell = markdown_cell


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(header: list[str], rows: list[list], align: str = "") -> list[str]:
    marks = [("---:" if a == "r" else "---") for a in (align or "l" * len(header))]
    return [_row(header), "| " + " | ".join(marks) + " |"] + [_row(r) for r in rows]


class _Report:
    def __init__(self, result: RunResult, lang: str):
        self.r = result
        self.m = messages(lang)
        self.lang = self.m.lang
        self.checks = {c.id: c for c in result.checks}

    def status(self, state: str) -> str:
        return f"{ICON.get(state, '')} {self.m.name(state)}".strip()

    def build(self) -> str:
        lines = self.header() + self.controls() + self.findings() + self.waivers()
        return "\n".join(lines).rstrip() + "\n"

    def header(self) -> list[str]:
        r, t = self.r, self.m.text
        s, c = r.summary, r.summary.checks
        run = f"{r.run.started_at} – {r.run.finished_at}" if r.run else "-"
        checks = t("check_counts", passed=c.get("pass", 0), failed=c.get("fail", 0), na=c.get("not_applicable", 0))
        checks += t("check_counts_skipped", skipped=c["skipped"]) if c.get("skipped") else ""
        outcome = t("md.outcome_text", fail=s.fail, waived=s.waived, checks=checks)
        listed = ", ".join(map(str, r.selection.skipped))
        skipped = [f"- {_text(t('skipped_checks', checks=listed))}"] if listed else []
        return [
            f"# {t('md.title')} — {_text(r.workspace)}", "",
            f"- {t('md.as_of')}: {_text(r.as_of)}",
            f"- {t('md.run')}: {_text(run)}",
            f"- {t('tool')}: {_text(f'{r.tool.name} {r.tool.version} · OPA {r.engine.opa_version}')}",
            f"- {t('policy_revision')}: {_code(r.engine.policy_revision)}",
            f"- {t('inputs')}: {len(r.inputs)}{t('md.inputs_note')}",
            f"- {t('md.outcome')}: {outcome}", *skipped, "",
        ]

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
                         sum(s.waived for s in summaries), self.status(control.status)])
        header = [t("control"), t("md.control_title"), t("md.checks"), t("md.evaluated"), t("md.failed"), t("waived"),
                  t("status")]
        return lines + _table(header, rows, "lllrrrl") + [""]

    def findings(self) -> list[str]:
        t = self.m.text
        lines = [f"## {t('md.findings')}", ""]
        if not self.r.findings:
            return lines + [t("md.no_findings"), ""]
        known = {c.id for c in self.r.controls}
        for control in self.r.controls:
            group = [f for f in self.r.findings if control.id in f.controls]
            if group:
                lines += self.finding_group(f"{control.id} {localized(control.title, self.lang)}", group, control)
        unmapped = [f for f in self.r.findings if not known.intersection(f.controls)]
        if unmapped:
            lines += self.finding_group(t("md.unmapped"), unmapped)
        return lines

    def finding_group(self, heading: str, group: list[Finding], control: ControlRecord | None = None) -> list[str]:
        t, name = self.m.text, self.m.name
        rows = [[name(f.severity), f.check, f"{f.resource.kind}/{f.resource.id}", f.message, self.location(f),
                 t("md.waived_by", waiver=f.waiver) if f.status == "waived" else t("md.open")] for f in group]
        header = [t("severity"), t("check"), t("resource"), t("message"), t("location"), t("md.disposition")]
        suffix = f" ({self.status(control.status)})" if control else ""
        return [f"### {_text(heading + suffix)}", ""] + _table(header, rows) + [""]

    @staticmethod
    def location(f: Finding) -> str:
        return f"{f.location.file}:{f.location.line}" if f.location else "-"

    def waivers(self) -> list[str]:
        t = self.m.text
        valid = [w for w in self.r.waivers if w.valid]
        invalid = [w for w in self.r.waivers if not w.valid]
        lines = [f"## {t('md.waivers')}", ""]
        if valid:
            header = [t("waiver"), t("check"), t("resource"), t("md.requested_by"), t("md.approved_by"),
                      t("md.approved_at"), t("md.expires"), t("md.applied"), t("md.justification")]
            rows = [[w.id, w.check, f"{w.resource.kind}/{w.resource.id}", w.requested_by, w.approved_by,
                     w.approved_at, w.expires, w.applied, w.justification] for w in valid]
            lines += _table(header, rows, "lllllllrl") + [""]
        else:
            lines += [t("md.no_waivers"), ""]
        if invalid:
            header = [t("waiver"), t("check"), t("resource"), t("md.approved_by"), t("md.expires"), t("md.reasons")]
            rows = [[w.id, w.check, f"{w.resource.kind}/{w.resource.id}", w.approved_by, w.expires,
                     "; ".join(self.reasons(w))] for w in invalid]
            lines += [f"## {t('md.invalid')}", ""] + _table(header, rows) + [""]
        return lines

    def reasons(self, w: WaiverRecord) -> list[str]:
        """Why a waiver is not applied: the messages of the WAV findings on it, else the check ids."""
        messages = [f"{f.check}: {f.message}" for f in self.r.findings
                    if f.resource.kind == "waiver" and f.resource.id == w.id]
        return messages or list(w.problems) or ["-"]


def render(result: RunResult, options: RenderOptions) -> str:
    return _Report(result, options.lang).build()
