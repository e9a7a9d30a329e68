"""`--format html`: the committee's report, one self-contained page.

Everything is inline (CSS, SVG charts) and the page carries a content
security policy that forbids loading anything, so it opens offline and
cannot leak a request when forwarded. No script. Labels come in Chinese
(default) and English; findings' messages stay as the checks wrote them.
The page depends only on the `RunResult`, so `govern report` reproduces it
byte for byte from saved JSON.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from jinja2 import Environment, PackageLoader, StrictUndefined

from governance.result import SEVERITIES, CheckSummary, Finding, RunResult, WaiverRecord, gate, rollup
from governance.report import _svg as svg

FORMAT = "html"
EXPIRY_WINDOW_DAYS = 30  # waivers lapsing this soon need the committee's attention now
DOMAINS = ("committee", "budget", "classification", "placement", "mlps", "waivers")

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "数字化运营治理报告", "as_of": "评估基准日", "workspace": "工作区",
        "verdict_fail": "未通过", "verdict_pass": "通过", "fail_on": "失败阈值",
        "failing": "未豁免问题", "waived": "已豁免", "checks": "检查项", "findings": "问题",
        "pass": "通过", "fail": "未通过", "not_applicable": "不适用",
        "h_domains": "按领域通过情况", "h_changes": "自上次评审以来的变化", "h_findings": "按严重程度的问题",
        "h_controls": "控制项", "h_budget": "预算结构：实际占比与目标区间", "h_waivers": "豁免",
        "h_expiring": "30 天内到期的豁免", "h_evidence": "评估证据",
        "new": "新增", "existing": "既有", "resolved": "已解决", "no_changes": "与基线相比无变化。",
        "severity": "严重程度", "check": "检查", "resource": "对象", "message": "说明", "location": "位置",
        "status": "状态", "controls": "控制项", "control": "控制项", "control_title": "名称",
        "no_findings": "没有发现问题。", "waived_by": "已豁免：{id}",
        "phase": "阶段", "months": "第 {a}–{b} 月", "total": "合计", "projects": "{n} 个项目", "lines": "{n} 条预算行",
        "target": "目标 {t} ± {tol} 个百分点", "in_band": "在区间内", "out_of_band": "超出区间", "no_target": "无目标",
        "no_lines": "该阶段没有预算行。", "legend_band": "目标区间", "legend_in": "实际占比（在区间内）",
        "legend_out": "实际占比（超出区间）", "legend_none": "实际占比（无目标）", "legend_target": "目标值",
        "no_budget": "工作区没有预算政策。",
        "waiver": "豁免", "approver": "批准人", "requester": "申请人", "expires": "到期日", "valid": "有效",
        "invalid": "无效", "days_left": "剩余 {n} 天", "expires_today": "今日到期", "expired_ago": "已过期 {n} 天",
        "no_expiring": "30 天内没有到期的豁免。", "no_waivers": "没有豁免。", "problems": "问题",
        "applied": "已应用于 {n} 项问题",
        "tool": "工具", "opa": "OPA 版本", "policy_revision": "策略版本", "run_started": "开始时间",
        "run_finished": "结束时间", "inputs": "输入文件", "library": "内置检查模块", "input_hashes": "输入文件及 SHA-256",
        "chart_severity": "按严重程度的问题数量", "chart_budget": "{phase} 阶段各类别预算占比",
        "footer": "由 govern 根据运行结果生成；页面不加载任何外部资源。",
    },
    "en": {
        "title": "Digital operations governance report", "as_of": "As of", "workspace": "Workspace",
        "verdict_fail": "Fail", "verdict_pass": "Pass", "fail_on": "Fail-on threshold",
        "failing": "Unwaived findings", "waived": "Waived", "checks": "Checks", "findings": "Findings",
        "pass": "Pass", "fail": "Fail", "not_applicable": "Not applicable",
        "h_domains": "Pass/fail by domain", "h_changes": "Changes since the last review", "h_findings": "Findings by severity",
        "h_controls": "Controls", "h_budget": "Budget allocation: actual shares against target bands", "h_waivers": "Waivers",
        "h_expiring": "Waivers expiring within 30 days", "h_evidence": "Evidence",
        "new": "New", "existing": "Existing", "resolved": "Resolved", "no_changes": "No change against the baseline.",
        "severity": "Severity", "check": "Check", "resource": "Resource", "message": "Message", "location": "Location",
        "status": "Status", "controls": "Controls", "control": "Control", "control_title": "Title",
        "no_findings": "No findings.", "waived_by": "Waived: {id}",
        "phase": "Phase", "months": "months {a}–{b}", "total": "Total", "projects": "{n} project(s)", "lines": "{n} budget line(s)",
        "target": "target {t} ± {tol} pp", "in_band": "in band", "out_of_band": "out of band", "no_target": "no target",
        "no_lines": "No budget lines in this phase.", "legend_band": "Target band", "legend_in": "Actual share (in band)",
        "legend_out": "Actual share (out of band)", "legend_none": "Actual share (no target)", "legend_target": "Target",
        "no_budget": "The workspace has no budget policy.",
        "waiver": "Waiver", "approver": "Approver", "requester": "Requester", "expires": "Expires", "valid": "Valid",
        "invalid": "Invalid", "days_left": "{n} day(s) left", "expires_today": "expires today", "expired_ago": "expired {n} day(s) ago",
        "no_expiring": "No waiver expires within 30 days.", "no_waivers": "No waivers.", "problems": "Problems",
        "applied": "applied to {n} finding(s)",
        "tool": "Tool", "opa": "OPA version", "policy_revision": "Policy revision", "run_started": "Run started",
        "run_finished": "Run finished", "inputs": "Input files", "library": "Built-in check modules", "input_hashes": "Input files and SHA-256",
        "chart_severity": "Findings by severity", "chart_budget": "Budget shares by category, phase {phase}",
        "footer": "Generated by govern from the run result; the page loads no external resources.",
    },
}

NAMES: dict[str, dict[str, str]] = {
    "zh": {
        "committee": "委员会与授权", "budget": "预算", "classification": "数据分类分级", "placement": "部署与数据驻留",
        "mlps": "等级保护", "waivers": "豁免",
        "critical": "严重", "high": "高", "medium": "中", "low": "低", "info": "提示",
        "technology": "技术", "talent": "人才", "operations": "运营",
    },
    "en": {
        "committee": "Committee & authority", "budget": "Budget", "classification": "Classification",
        "placement": "Placement & residency", "mlps": "Classified protection (MLPS)", "waivers": "Waivers",
        "critical": "Critical", "high": "High", "medium": "Medium", "low": "Low", "info": "Info",
        "technology": "Technology", "talent": "Talent", "operations": "Operations",
    },
}

_env = Environment(loader=PackageLoader("governance.report", "templates"), autoescape=True,
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(result: RunResult, options) -> str:
    lang = options.lang if options.lang in LABELS else "zh"
    text, names = LABELS[lang], NAMES[lang]

    def name(key: str) -> str:
        return names.get(key, key)

    return _env.get_template("report.html.j2").render(
        lang=lang, t=text, name=name, r=result,
        verdict="fail" if gate(result, result.fail_on) else "pass",
        domains=_domains(result.checks, result.findings),
        severity_chart=_severity_chart(result.findings, text, name),
        severity_counts=_severity_counts(result.findings),
        findings=result.findings,
        titles={c.id: c.title for c in result.checks},
        controls=[(c, _title(c.title, lang)) for c in result.controls],
        control_titles={c.id: _title(c.title, lang) for c in result.controls},
        budget=_budget(result, text, name),
        waivers=[_waiver(w, result.as_of) for w in result.waivers],
        changes=_changes(result),
        library_count=len(getattr(result, "library", None) or []),
    )


def _title(titles: dict[str, str], lang: str) -> str:
    """The control's title in the page's language, else whichever it has."""
    return titles.get(lang) or next(iter(titles.values()), "")


def _domains(checks: list[CheckSummary], findings: list[Finding]) -> list[dict]:
    """One row per domain: the built-in six in the committee's order, then any custom ones."""
    by_check = Counter((f.check, f.status) for f in findings)
    found = {c.domain for c in checks}
    rows = []
    for domain in list(DOMAINS) + sorted(found - set(DOMAINS)):
        mine = [c for c in checks if c.domain == domain]
        states = Counter(c.status for c in mine)
        status = rollup(states)
        rows.append({
            "key": domain, "status": status, "checks": len(mine),
            "pass": states["pass"], "fail": states["fail"], "not_applicable": states["not_applicable"],
            "failing": sum(by_check[(c.id, "fail")] for c in mine),
            "waived": sum(by_check[(c.id, "waived")] for c in mine),
        })
    return rows


def _severity_counts(findings: list[Finding]) -> list[dict]:
    counts = Counter((f.severity, f.status) for f in findings)
    return [{"severity": s, "fail": counts[(s, "fail")], "waived": counts[(s, "waived")]} for s in SEVERITIES]


def _severity_chart(findings: list[Finding], t: dict, name) -> svg.Markup:
    rows = _severity_counts(findings)
    top = max([r["fail"] + r["waived"] for r in rows] + [1])
    bars = [svg.Bar(label=name(r["severity"]),
                    segments=((r["fail"], f"sev-{r['severity']}"), (r["waived"], "waived")),
                    note=f"{r['fail']} {t['fail']} · {r['waived']} {t['waived']}")
            for r in rows]
    return svg.hbars(bars, top, title=t["chart_severity"], layout=svg.Layout(label_width=90, note_width=190))


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def money(amount: float) -> str:
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"


def _budget(result: RunResult, t: dict, name) -> dict | None:
    summary = result.budget
    if summary is None:
        return None
    tol = float(summary.tolerance_pp)
    findings = {f.resource.id: f for f in result.findings if f.check == "BUD-002" and f.resource.kind == "phase"}
    phases = []
    for phase in summary.phases:
        cats = [c for c in summary.categories if c in phase.amounts or c in phase.targets]
        bars = [_share_bar(name(c), phase.shares.get(c, 0.0), phase.targets.get(c), tol, t) for c in cats]
        phases.append({
            "phase": phase,
            "total": money(phase.total),
            "chart": svg.hbars(bars, 1.0, title=t["chart_budget"].format(phase=phase.id),
                               layout=svg.Layout(width=760, label_width=110, note_width=300,
                                                 ticks=(0, 0.25, 0.5, 0.75, 1.0), tick_format="{:.0%}"))
            if phase.total else None,
            "off": sum(1 for b in bars if b.note_class == "off"),
            "finding": findings.get(phase.id),
        })
    return {"summary": summary, "phases": phases, "tolerance": f"{tol:g}"}


def _share_bar(label: str, share: float, target: float | None, tol: float, t: dict) -> svg.Bar:
    if target is None:
        return svg.Bar(label=label, segments=((share, "share-none"),), note=f"{_pct(share)} · {t['no_target']}",
                       note_class="none")
    # the same test as BUD-002: off when the share differs from its target by more than tolerance_pp
    off = abs(share - target) * 100 > tol
    verdict = t["out_of_band"] if off else t["in_band"]
    return svg.Bar(
        label=label, segments=((share, "share-off" if off else "share-in"),),
        band=(max(0.0, target - tol / 100), min(1.0, target + tol / 100)), mark=target,
        note=f"{_pct(share)} · {t['target'].format(t=f'{target * 100:g}%', tol=f'{tol:g}')} · {verdict}",
        note_class="off" if off else "in",
    )


def _waiver(w: WaiverRecord, as_of: str) -> dict:
    left = (dt.date.fromisoformat(w.expires) - dt.date.fromisoformat(as_of)).days
    return {"w": w, "left": left, "expiring": 0 <= left <= EXPIRY_WINDOW_DAYS}


def _changes(result: RunResult) -> dict | None:
    """New and resolved findings against `--baseline`; None when the run had no baseline."""
    if result.resolved is None and not any(f.baseline for f in result.findings):
        return None
    return {
        "new": [f for f in result.findings if f.baseline == "new"],
        "existing": sum(1 for f in result.findings if f.baseline == "existing"),
        "resolved": result.resolved or [],
    }
