"""`--format markdown`: the audit report a person reads (zh or en, by --lang).

Sections: the run and its evidence, a table of controls, the findings
grouped by control with file:line, then the waivers in force and the
invalid ones with the reasons the WAV checks gave.
"""

from __future__ import annotations

from governance.result import ControlRecord, Finding, RunResult, WaiverRecord
from governance.report._escape import markdown_cell, markdown_code, markdown_text

FORMAT = "markdown"

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "治理检查审计报告", "as_of": "基准日期", "run": "运行时间（UTC）", "tool": "工具",
        "revision": "策略版本", "inputs": "输入文件", "inputs_note": "个，逐个 sha256 见 JSON 结果或 evidence.json",
        "outcome": "结论", "outcome_text": "{fail} 项未豁免发现，{waived} 项已豁免；检查 {passed} 通过、{failed} 未通过、{na} 不适用",
        "controls": "控制项", "control": "控制项", "name": "标题", "checks": "检查", "evaluated": "评估数",
        "failed": "未通过", "waived": "已豁免", "status": "状态", "no_controls": "工作区未定义控制项。",
        "findings": "发现（按控制项）", "no_findings": "无发现。", "unmapped": "未映射到控制项的检查",
        "severity": "严重度", "check": "检查", "resource": "资源", "message": "说明", "location": "位置",
        "finding_status": "处理", "waivers": "生效的豁免", "no_waivers": "无生效的豁免。",
        "invalid": "无效的豁免", "waiver": "豁免", "requested_by": "申请人", "approved_by": "批准人",
        "approved_at": "批准日期", "expires": "到期（含当日）", "applied": "本次豁免发现数", "reasons": "原因",
        "justification": "理由", "pass": "通过", "fail": "未通过", "not_applicable": "不适用",
        "waived_by": "已豁免（{waiver}）", "open": "未豁免",
        "critical": "严重", "high": "高", "medium": "中", "low": "低", "info": "提示",
    },
    "en": {
        "title": "Governance check audit report", "as_of": "As of", "run": "Run (UTC)", "tool": "Tool",
        "revision": "Policy revision", "inputs": "Input files", "inputs_note": "; each sha256 is in the JSON result and evidence.json",
        "outcome": "Outcome", "outcome_text": "{fail} unwaived and {waived} waived finding(s); checks: {passed} pass, {failed} fail, {na} not applicable",
        "controls": "Controls", "control": "Control", "name": "Title", "checks": "Checks", "evaluated": "Evaluated",
        "failed": "Failed", "waived": "Waived", "status": "Status", "no_controls": "The workspace defines no controls.",
        "findings": "Findings by control", "no_findings": "No findings.", "unmapped": "Checks not mapped to a control",
        "severity": "Severity", "check": "Check", "resource": "Resource", "message": "Message", "location": "Location",
        "finding_status": "Disposition", "waivers": "Waivers in force", "no_waivers": "No waiver is in force.",
        "invalid": "Invalid waivers", "waiver": "Waiver", "requested_by": "Requested by", "approved_by": "Approved by",
        "approved_at": "Approved on", "expires": "Expires (inclusive)", "applied": "Findings waived", "reasons": "Reasons",
        "justification": "Justification", "pass": "pass", "fail": "fail", "not_applicable": "not applicable",
        "waived_by": "waived ({waiver})", "open": "open",
        "critical": "critical", "high": "high", "medium": "medium", "low": "low", "info": "info",
    },
}
ICON = {"pass": "✅", "fail": "❌", "not_applicable": "➖"}


_text = markdown_text  # the escaping is shared with every Markdown field of another format (_escape.py)
_code = markdown_code
_cell = markdown_cell


def _row(cells) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(header: list[str], rows: list[list], align: str = "") -> list[str]:
    marks = [("---:" if a == "r" else "---") for a in (align or "l" * len(header))]
    return [_row(header), "| " + " | ".join(marks) + " |"] + [_row(r) for r in rows]


def _title(titles: dict[str, str], lang: str) -> str:
    return titles.get(lang) or next((t for t in titles.values() if t), "")


class _Report:
    def __init__(self, result: RunResult, lang: str):
        self.r = result
        self.lang = lang if lang in LABELS else "zh"
        self.t = LABELS[self.lang]
        self.checks = {c.id: c for c in result.checks}

    def status(self, state: str) -> str:
        return f"{ICON.get(state, '')} {self.t.get(state, state)}".strip()

    def build(self) -> str:
        lines = self.header() + self.controls() + self.findings() + self.waivers()
        return "\n".join(lines).rstrip() + "\n"

    def header(self) -> list[str]:
        r, t = self.r, self.t
        s, c = r.summary, r.summary.checks
        run = f"{r.run.started_at} – {r.run.finished_at}" if r.run else "-"
        outcome = t["outcome_text"].format(fail=s.fail, waived=s.waived, passed=c.get("pass", 0),
                                           failed=c.get("fail", 0), na=c.get("not_applicable", 0))
        return [
            f"# {t['title']} — {_text(r.workspace)}", "",
            f"- {t['as_of']}: {_text(r.as_of)}",
            f"- {t['run']}: {_text(run)}",
            f"- {t['tool']}: {_text(f'{r.tool.name} {r.tool.version} · OPA {r.engine.opa_version}')}",
            f"- {t['revision']}: {_code(r.engine.policy_revision)}",
            f"- {t['inputs']}: {len(r.inputs)}{t['inputs_note']}",
            f"- {t['outcome']}: {outcome}", "",
        ]

    def controls(self) -> list[str]:
        t = self.t
        lines = [f"## {t['controls']}", ""]
        if not self.r.controls:
            return lines + [t["no_controls"], ""]
        rows = []
        for control in self.r.controls:
            summaries = [self.checks[c] for c in control.checks if c in self.checks]
            rows.append([control.id, _title(control.title, self.lang), ", ".join(control.checks),
                         sum(s.evaluated for s in summaries), sum(s.failed for s in summaries),
                         sum(s.waived for s in summaries), self.status(control.status)])
        header = [t["control"], t["name"], t["checks"], t["evaluated"], t["failed"], t["waived"], t["status"]]
        return lines + _table(header, rows, "lllrrrl") + [""]

    def findings(self) -> list[str]:
        t = self.t
        lines = [f"## {t['findings']}", ""]
        if not self.r.findings:
            return lines + [t["no_findings"], ""]
        known = {c.id for c in self.r.controls}
        for control in self.r.controls:
            group = [f for f in self.r.findings if control.id in f.controls]
            if group:
                lines += self.finding_group(f"{control.id} {_title(control.title, self.lang)}", group, control)
        unmapped = [f for f in self.r.findings if not known.intersection(f.controls)]
        if unmapped:
            lines += self.finding_group(t["unmapped"], unmapped)
        return lines

    def finding_group(self, heading: str, group: list[Finding], control: ControlRecord | None = None) -> list[str]:
        t = self.t
        rows = [[t[f.severity], f.check, f"{f.resource.kind}/{f.resource.id}", f.message, self.location(f),
                 t["waived_by"].format(waiver=f.waiver) if f.status == "waived" else t["open"]] for f in group]
        header = [t["severity"], t["check"], t["resource"], t["message"], t["location"], t["finding_status"]]
        suffix = f" ({self.status(control.status)})" if control else ""
        return [f"### {_text(heading + suffix)}", ""] + _table(header, rows) + [""]

    @staticmethod
    def location(f: Finding) -> str:
        return f"{f.location.file}:{f.location.line}" if f.location else "-"

    def waivers(self) -> list[str]:
        t = self.t
        valid = [w for w in self.r.waivers if w.valid]
        invalid = [w for w in self.r.waivers if not w.valid]
        lines = [f"## {t['waivers']}", ""]
        if valid:
            header = [t["waiver"], t["check"], t["resource"], t["requested_by"], t["approved_by"], t["approved_at"],
                      t["expires"], t["applied"], t["justification"]]
            rows = [[w.id, w.check, f"{w.resource.kind}/{w.resource.id}", w.requested_by, w.approved_by,
                     w.approved_at, w.expires, w.applied, w.justification] for w in valid]
            lines += _table(header, rows, "lllllllrl") + [""]
        else:
            lines += [t["no_waivers"], ""]
        if invalid:
            header = [t["waiver"], t["check"], t["resource"], t["approved_by"], t["expires"], t["reasons"]]
            rows = [[w.id, w.check, f"{w.resource.kind}/{w.resource.id}", w.approved_by, w.expires,
                     "; ".join(self.reasons(w))] for w in invalid]
            lines += [f"## {t['invalid']}", ""] + _table(header, rows) + [""]
        return lines

    def reasons(self, w: WaiverRecord) -> list[str]:
        """Why a waiver is not applied: the messages of the WAV findings on it, else the check ids."""
        messages = [f"{f.check}: {f.message}" for f in self.r.findings
                    if f.resource.kind == "waiver" and f.resource.id == w.id]
        return messages or list(w.problems) or ["-"]


def render(result: RunResult, options) -> str:
    return _Report(result, options.lang).build()
