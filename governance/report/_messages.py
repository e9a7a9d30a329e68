"""Every word the human-readable reports write themselves, in Chinese and English, defined once.

The table, the Markdown report and the HTML page take their labels from
here through one API:

    m = messages(options.lang)          # unknown or missing language: zh, the default
    m.text("check")                     # a label: 检查 / Check
    m.text("check_counts", passed=3, failed=1, na=2)   # a phrase with {fields}
    m.name("high"), m.name("not_applicable"), m.name("technology")
    m.name("pass", capital=True)        # Pass: a status standing alone (HTML badges)

`text` is for labels and phrases; an unknown key is a bug and raises
KeyError. `name` is for the vocabulary a result carries (severities,
statuses, baseline marks, budget categories); a value with no name here (a
workspace's own budget category, `fail_on: never`) is shown as written.

Each entry holds both languages, Chinese above English, so a key cannot
exist in one language only. Keys used by one format only carry its prefix (`html.`,
`md.`, `table.`; `checks.` for the `govern checks` catalogue; `aggregate.` for the group
report of `govern aggregate`); keys without a prefix are shared by several formats. Where
two formats word one idea differently (HTML's 严重程度, Markdown's 严重度)
they are two entries, each used where it was.

Domain titles are not here: each check package declares its domain's titles
in its METADATA and the result carries them (`RunResult.domains`).
Findings' messages and check titles are the checks' own: a check writes
both languages (`message`/`message_zh`, METADATA `title`/`custom.title_zh`)
and `said()`/`title()` pick one, falling back to English where a workspace
check wrote no Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from governance.result import CheckSummary, Finding

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

# key: (zh, en)
_TEXT: dict[str, tuple[str, str]] = {
    # -------------------------------------------------- shared by several formats
    "check": ("检查",
              "Check"),
    "control": ("控制项",
                "Control"),
    "controls": ("控制项",
                 "Controls"),
    "severity": ("严重度",
                 "Severity"),
    "resource": ("资源",
                 "Resource"),
    "message": ("说明",
                "Message"),
    "location": ("位置",
                 "Location"),
    "status": ("状态",
               "Status"),
    "waived": ("已豁免",
               "Waived"),
    "waiver": ("豁免",
               "Waiver"),
    "tool": ("工具",
             "Tool"),
    "policy_revision": ("策略版本",
                        "Policy revision"),
    "inputs": ("输入文件",
               "Input files"),
    "check_counts": ("检查 {passed} 通过、{failed} 未通过、{na} 不适用",
                     "checks: {passed} pass, {failed} fail, {na} not applicable"),
    "check_counts_skipped": ("、{skipped} 已跳过",
                             ", {skipped} skipped"),
    "check_counts_advisory": ("、{n} 通过（有提示）",
                              ", {n} pass with advisories"),
    "skipped_checks": ("已跳过的检查（照常评估，但不报告发现，也不影响结果）：{checks}",
                       "Skipped checks (evaluated, but their findings are not reported and never fail the run): {checks}"),

    "advisories": ("提示",
                   "Advisories"),
    "advisory": ("提示",
                 "Advisory"),
    "advisories_note": ("提示类发现（严重度为“提示”）不会使本次运行失败，不计入未豁免问题。",
                        "Advisories (severity info) never fail this run and are not counted among the failing findings."),

    # -------------------------------------------------- the strategy section (HTML and Markdown)
    "strategy.h": ("战略与规划",
                   "Strategy and planning"),
    "strategy.goals": ("目标体系",
                       "Goal tree"),
    "strategy.goal": ("目标",
                      "Goal"),
    "strategy.tier": ("层级",
                      "Tier"),
    "strategy.owner": ("负责人",
                       "Owner"),
    "strategy.due": ("截止日期",
                     "Due"),
    "strategy.projects": ("支撑项目",
                          "Serving projects"),
    "strategy.overdue": ("已逾期",
                         "overdue"),
    "strategy.overdue_count": ("{n} 个目标已逾期",
                               "{n} goal(s) overdue"),
    "strategy.overdue_not_assessed": ("本次未评估目标是否逾期（STR-004 已跳过）。",
                                      "Whether goals are overdue was not judged this run (STR-004 skipped)."),
    "strategy.no_goals": ("尚未设定目标。",
                          "No goals are set."),
    "strategy.maturity": ("数字化成熟度",
                          "Digital maturity"),
    "strategy.latest": ("本次评估 {id}（{date}）",
                        "Latest assessment {id} ({date})"),
    "strategy.previous": ("上次评估 {id}（{date}）",
                          "Previous assessment {id} ({date})"),
    "strategy.no_previous": ("尚无上次评估可供比较。",
                             "There is no earlier assessment to compare with."),
    "strategy.no_assessment": ("尚未进行成熟度评估。",
                               "No maturity assessment yet."),
    "strategy.dimension": ("维度",
                           "Dimension"),
    "strategy.latest_level": ("本次等级",
                              "Latest level"),
    "strategy.previous_level": ("上次等级",
                                "Previous level"),
    "strategy.change": ("变化",
                        "Change"),
    "strategy.level": ("等级 {level}",
                       "level {level}"),
    "strategy.was": ("上次 {level}（{change}）",
                     "was {level} ({change})"),
    "strategy.chart": ("各维度成熟度：本次等级与上次等级",
                       "Maturity by dimension: latest level against the previous one"),
    "strategy.indicator": ("指标",
                           "Indicator"),
    "strategy.pilot": ("试点范围",
                       "Pilot scope"),
    "strategy.pilot_text": ("{phase}正在进行 {n} 个项目，上限为 {max} 个",
                            "{phase}: {n} project(s) running, at most {max}"),
    "strategy.no_pilot": ("战略政策未设定试点范围。",
                          "The strategy policy sets no pilot scope."),
    "strategy.no_policy": ("工作区没有战略政策。",
                           "The workspace has no strategy policy."),

    # -------------------------------------------------- table (the terminal)
    "table.title": ("govern · {workspace} · 基准日期 {as_of}",
                    "govern · {workspace} · as of {as_of}"),
    "table.baseline": ("基线",
                       "Baseline"),
    "table.severity_waived": ("{severity}（已豁免 {waiver}）",
                              "{severity} (waived {waiver})"),
    "table.summary": ("{fail} 项未豁免，{waived} 项已豁免，{advisories} 项提示 · {checks} · OPA {opa} · 策略 {revision}…",
                      "{fail} failing, {waived} waived, {advisories} advisories · {checks} · OPA {opa} · policy {revision}…"),
    "table.since_baseline": ("相对基线：新增 {new}，既有 {existing} · 自基线以来已解决 {resolved}",
                             "since baseline: {new} new, {existing} existing · {resolved} resolved since baseline"),
    "table.resolved_which": ("：{which}",
                             ": {which}"),
    "table.cut": ("…（另有 {n} 个字符未显示，完整内容见 JSON 报告）",
                  "… ({n} more characters not shown; the JSON report has the whole text)"),

    # -------------------------------------------------- Markdown (the audit report)
    "md.title": ("治理检查审计报告",
                 "Governance check audit report"),
    "md.as_of": ("基准日期",
                 "As of"),
    "md.run": ("运行时间（UTC）",
               "Run (UTC)"),
    "md.inputs_note": ("个，逐个 sha256 见 JSON 结果或 evidence.json",
                       "; each sha256 is in the JSON result and evidence.json"),
    "md.outcome": ("结论",
                   "Outcome"),
    "md.outcome_text": ("{fail} 项未豁免发现，{waived} 项已豁免；{checks}",
                        "{fail} unwaived and {waived} waived finding(s); {checks}"),
    "md.outcome_advisories": ("；另有 {n} 项提示",
                              "; and {n} advisory finding(s)"),
    "md.control_title": ("标题",
                         "Title"),
    "md.checks": ("检查",
                  "Checks"),
    "md.evaluated": ("评估数",
                     "Evaluated"),
    "md.failed": ("未通过",
                  "Failed"),
    "md.no_controls": ("工作区未定义控制项。",
                       "The workspace defines no controls."),
    "md.findings": ("发现（按控制项）",
                    "Findings by control"),
    "md.no_findings": ("无发现。",
                       "No findings."),
    "md.unmapped": ("未映射到控制项的检查",
                    "Checks not mapped to a control"),
    "md.disposition": ("处理",
                       "Disposition"),
    "md.waivers": ("生效的豁免",
                   "Waivers in force"),
    "md.no_waivers": ("无生效的豁免。",
                      "No waiver is in force."),
    "md.invalid": ("无效的豁免",
                   "Invalid waivers"),
    "md.requested_by": ("申请人",
                        "Requested by"),
    "md.approved_by": ("批准人",
                       "Approved by"),
    "md.approved_at": ("批准日期",
                       "Approved on"),
    "granted_by": ("授予决策",
                   "Granted by decision"),
    "md.expires": ("到期（含当日）",
                   "Expires (inclusive)"),
    "md.applied": ("本次豁免发现数",
                   "Findings waived"),
    "md.reasons": ("原因",
                   "Reasons"),
    "md.justification": ("理由",
                         "Justification"),
    "md.waived_by": ("已豁免（{waiver}）",
                     "waived ({waiver})"),
    "md.open": ("未豁免",
                "open"),

    # -------------------------------------------------- `govern checks` (the check catalogue: table and Markdown)
    "checks.heading": ("govern · 检查目录 · {scope}",
                       "govern · check catalogue · {scope}"),
    "checks.library": ("内置检查库",
                       "the built-in library"),
    "checks.library_and": ("内置检查库与工作区 {workspace}",
                           "the built-in library and workspace {workspace}"),
    "checks.title": ("检查名称",
                     "Check title"),
    "checks.waivable": ("可豁免",
                        "Waivable"),
    "checks.yes": ("是",
                   "yes"),
    "checks.no": ("否",
                  "no"),
    "checks.resource_kind": ("资源类型",
                             "Resource kind"),
    "checks.domain": ("领域",
                      "Domain"),
    "checks.description": ("描述",
                           "Description"),
    "checks.count_library": ("共 {total} 项内置检查，{domains} 个领域",
                             "{total} built-in checks in {domains} domains"),
    "checks.count": ("共 {total} 项检查（内置 {builtin} 项，工作区 {own} 项），{domains} 个领域",
                     "{total} checks ({builtin} built-in, {own} from the workspace) in {domains} domains"),
    "checks.md_title": ("检查参考",
                        "Checks reference"),
    "checks.md_generated": ("本页由 {command} 根据各检查的 METADATA 与控制项目录生成，"
                            "请勿手工修改：修改 Rego 或控制项后重新运行该命令。",
                            "Generated by {command} from each check's METADATA and the control catalogues. "
                            "Do not edit it by hand: change the Rego or the controls, then run the command again."),

    # -------------------------------------------------- HTML (the committee's page)
    "html.title": ("数字化运营治理报告",
                   "Digital operations governance report"),
    "html.as_of": ("评估基准日",
                   "As of"),
    "html.workspace": ("工作区",
                       "Workspace"),
    "html.fail_on": ("失败阈值",
                     "Fail-on threshold"),
    "html.failing": ("未豁免问题",
                     "Unwaived findings"),
    "html.checks": ("检查项",
                    "Checks"),
    "html.severity": ("严重程度",
                      "Severity"),
    "html.resource": ("对象",
                      "Resource"),
    "html.h_domains": ("按领域通过情况",
                       "Pass/fail by domain"),
    "html.h_changes": ("自上次评审以来的变化",
                       "Changes since the last review"),
    "html.h_findings": ("按严重程度的问题",
                        "Findings by severity"),
    "html.h_budget": ("预算结构：实际占比与目标区间",
                      "Budget allocation: actual shares against target bands"),
    "html.h_waivers": ("豁免",
                       "Waivers"),
    "html.h_expiring": ("下次例会前到期的豁免（{days} 天内，至 {until}）",
                        "Waivers expiring before the next regular meeting (within {days} days, by {until})"),
    "html.h_expired": ("已过期的豁免",
                       "Expired waivers"),
    "html.h_evidence": ("评估证据",
                        "Evidence"),
    "html.no_changes": ("与基线相比无变化。",
                        "No change against the baseline."),
    "html.control_title": ("名称",
                           "Title"),
    "html.no_findings": ("没有发现问题。",
                         "No findings."),
    "html.waived_by": ("已豁免：{id}",
                       "Waived: {id}"),
    "html.phase": ("阶段",
                   "Phase"),
    "html.months": ("第 {a}–{b} 月",
                    "months {a}–{b}"),
    "html.total": ("合计",
                   "Total"),
    "html.projects": ("{n} 个项目",
                      "{n} project(s)"),
    "html.lines": ("{n} 条预算行",
                   "{n} budget line(s)"),
    "html.target": ("目标 {t} ± {tol} 个百分点",
                    "target {t} ± {tol} pp"),
    "html.in_band": ("在区间内",
                     "in band"),
    "html.out_of_band": ("超出区间",
                         "out of band"),
    "html.no_target": ("无目标",
                       "no target"),
    "html.no_lines": ("该阶段没有预算行。",
                      "No budget lines in this phase."),
    "html.legend_band": ("目标区间",
                         "Target band"),
    "html.legend_in": ("实际占比（在区间内）",
                       "Actual share (in band)"),
    "html.legend_out": ("实际占比（超出区间）",
                        "Actual share (out of band)"),
    "html.legend_none": ("实际占比（无目标）",
                         "Actual share (no target)"),
    "html.legend_target": ("目标值",
                           "Target"),
    "html.no_budget": ("工作区没有预算政策。",
                       "The workspace has no budget policy."),
    "html.approver": ("批准人",
                      "Approver"),
    "html.requester": ("申请人",
                       "Requester"),
    "html.expires": ("到期日",
                     "Expires"),
    "html.valid": ("有效",
                   "Valid"),
    "html.invalid": ("无效",
                     "Invalid"),
    "html.days_left": ("剩余 {n} 天",
                       "{n} day(s) left"),
    "html.expires_today": ("今日到期",
                           "expires today"),
    "html.expired_ago": ("已过期 {n} 天",
                         "expired {n} day(s) ago"),
    "html.no_expiring": ("下次例会（{until}）前没有到期的豁免。",
                         "No waiver expires before the next regular meeting ({until})."),
    "html.no_waivers": ("没有豁免。",
                        "No waivers."),
    "html.problems": ("问题",
                      "Problems"),
    "html.applied": ("已应用于 {n} 项问题",
                     "applied to {n} finding(s)"),
    "html.opa": ("OPA 版本",
                 "OPA version"),
    "html.run_started": ("开始时间",
                         "Run started"),
    "html.run_finished": ("结束时间",
                          "Run finished"),
    "html.library": ("内置检查模块",
                     "Built-in check modules"),
    "html.input_hashes": ("输入文件及 SHA-256",
                          "Input files and SHA-256"),
    "html.chart_severity": ("按严重程度的问题数量",
                            "Findings by severity"),
    "html.chart_budget": ("{phase} 阶段各类别预算占比",
                          "Budget shares by category, phase {phase}"),
    "html.footer": ("由 govern 根据运行结果生成；页面不加载任何外部资源。",
                    "Generated by govern from the run result; the page loads no external resources."),

    # -------------------------------------------------- the group report (govern aggregate: HTML, Markdown)
    "aggregate.title": ("集团治理汇总报告",
                        "Group governance report"),
    "aggregate.summary": ("{n} 个主体：{passed} 个通过，{failed} 个未通过",
                          "{n} entities: {passed} pass, {failed} fail"),
    "aggregate.library": ("内置检查库",
                          "Built-in check library"),
    "aggregate.mixed": ("各结果来自不同的内置检查库或 OPA 版本（--allow-mixed-revisions），主体之间的发现不完全可比。",
                        "The results come from different built-in check libraries or OPA versions "
                        "(--allow-mixed-revisions): their findings do not fully compare."),
    "aggregate.entities": ("各主体概况",
                           "Entities"),
    "aggregate.entity": ("主体",
                         "Entity"),
    "aggregate.verdict": ("结论",
                          "Verdict"),
    "aggregate.fail_on": ("集团失败阈值",
                          "Group fail-on threshold"),
    "aggregate.laxer": ("自身阈值为 {own}，宽于集团阈值",
                        "own fail_on {own} is laxer than the group's"),
    "aggregate.laxer_note": ("⚠ 标记的主体自身的 fail_on 宽于集团阈值 {group}：其自身的 govern check 可能通过，"
                             "但在集团阈值下未必通过。结论一栏按集团阈值判定。",
                             "⚠ marks an entity whose own fail_on is laxer than the group's threshold ({group}): "
                             "its own govern check may pass where the group's threshold fails it. "
                             "The verdict is at the group's threshold."),
    "aggregate.unwaived": ("未豁免问题（按严重度）",
                           "Unwaived findings by severity"),
    "aggregate.checks": ("检查（通过 / 未通过 / 不适用 / 已跳过）",
                         "Checks (pass / fail / n/a / skipped)"),
    "aggregate.worst": ("最严重的问题",
                        "Worst findings"),
    "aggregate.worst_note": ("先按严重度、再按主体排序：共 {total} 项未豁免问题，列出 {shown} 项。",
                             "By severity, then entity: {shown} of {total} unwaived findings."),
    "aggregate.no_findings": ("各主体均无未豁免问题。",
                              "No entity has an unwaived finding."),
    "aggregate.footer": ("由 govern 根据 {n} 份运行结果汇总生成；页面不加载任何外部资源。",
                         "Generated by govern from {n} run results; the page loads no external resources."),
}

# The vocabulary of a result, as it reads inside a sentence; `name(key, capital=True)`
# gives the form that stands alone (English capitalises it, Chinese is unchanged).
_NAMES: dict[str, tuple[str, str]] = {
    # severities (governance.result.SEVERITIES)
    "critical": ("严重", "critical"),
    "high": ("高", "high"),
    "medium": ("中", "medium"),
    "low": ("低", "low"),
    "info": ("提示", "info"),
    # statuses of a check, control or domain (governance.result.STATUSES)
    "pass": ("通过", "pass"),
    "fail": ("未通过", "fail"),
    "not_applicable": ("不适用", "not applicable"),
    "skipped": ("已跳过", "skipped"),
    # a check, control or domain whose only unwaived findings are advisories (governance.result.STANDINGS)
    "advisory": ("通过（有提示）", "pass with advisories"),
    # a finding against --baseline
    "new": ("新增", "new"),
    "existing": ("既有", "existing"),
    "resolved": ("已解决", "resolved"),
    # the budget policy's categories
    "technology": ("技术", "technology"),
    "talent": ("人才", "talent"),
    "operations": ("运营", "operations"),
    # the handbook's phases (§1.3.1: 试点期、推广期、深化期), as the baseline policy names them
    "pilot": ("试点期", "pilot"),
    "scale_up": ("推广期", "scale-up"),
    "deepen": ("深化期", "deepen"),
    # the handbook's goal tiers (§1.2) and maturity dimensions (§1.1)
    "strategic": ("战略目标", "strategic"),
    "business": ("业务目标", "business"),
    "execution": ("执行目标", "execution"),
    "process_digital": ("流程数字化", "process digitalisation"),
    "data_asset": ("数据资产化", "data as an asset"),
    "business_online": ("业务线上化", "business online"),
    "decision_intelligence": ("决策智能化", "decision intelligence"),
    # a goal's status
    "open": ("进行中", "open"),
    "achieved": ("已达成", "achieved"),
    "dropped": ("已放弃", "dropped"),
    # indicators of a maturity assessment, as the handbook names them (§1.1)
    "online_process_rate": ("业务流程线上化率", "online process rate"),
    "data_silos": ("数据孤岛数量", "data silos"),
    "automated_decision_share": ("自动化决策占比", "automated decision share"),
    # resource kinds a finding names
    "committee": ("委员会", "committee"),
    "authority_matrix": ("授权矩阵", "authority matrix"),
    "budget_policy": ("预算政策", "budget policy"),
    "classification_policy": ("分类分级政策", "classification policy"),
    "placement_policy": ("部署政策", "placement policy"),
    "strategy_policy": ("战略政策", "strategy policy"),
    "person": ("人员", "person"),
    "system": ("系统", "system"),
    "platform": ("平台", "platform"),
    "dataset": ("数据集", "dataset"),
    "project": ("项目", "project"),
    "budget_line": ("预算行", "budget line"),
    "spend": ("支出", "spend"),
    "portfolio": ("项目组合", "portfolio"),
    "meeting": ("会议", "meeting"),
    "decision": ("决策", "decision"),
    "goal": ("目标", "goal"),
    "waiver": ("豁免", "waiver"),
    "maturity_assessment": ("成熟度评估", "maturity assessment"),
    "phase": ("阶段", "phase"),
}


def _language(table: dict[str, tuple[str, str]], lang: str) -> Mapping[str, str]:
    i = LANGS.index(lang)
    return MappingProxyType({key: pair[i] for key, pair in table.items()})


@dataclass(frozen=True)
class Messages:
    """The labels of one language."""

    lang: str
    texts: Mapping[str, str]
    names: Mapping[str, str]

    def text(self, key: str, **fields: object) -> str:
        """The label `key`; with fields, its {placeholders} filled in (values are inserted as given)."""
        template = self.texts[key]
        return template.format(**fields) if fields else template

    def name(self, key: str, *, capital: bool = False) -> str:
        """The name of a severity, status, baseline mark, budget category, handbook phase, goal tier,
        maturity dimension or resource kind; anything else (a workspace's own id) as written."""
        name = self.names.get(key)
        if name is None:
            return key
        return name[:1].upper() + name[1:] if capital else name


    def said(self, finding: Finding) -> str:
        """A finding's message in this language: the check's Chinese where it wrote one, else its English."""
        return (finding.message_zh or finding.message) if self.lang == "zh" else finding.message

    def title(self, check: CheckSummary) -> str:
        """A check's title in this language: METADATA custom.title_zh for zh where present, else `title`."""
        return (check.title_zh or check.title) if self.lang == "zh" else check.title


_CATALOGUE = {lang: Messages(lang, _language(_TEXT, lang), _language(_NAMES, lang)) for lang in LANGS}


def messages(lang: str | None = None) -> Messages:
    """The labels in `lang`; zh (the default of every report) when it is missing or not one of LANGS."""
    return _CATALOGUE.get(lang or DEFAULT_LANG, _CATALOGUE[DEFAULT_LANG])


def localized(titles: Mapping[str, str], lang: str, default: str = "") -> str:
    """A title the workspace or a check package gives per language: the one in `lang`, else the first
    non-empty one it has, else `default`."""
    return titles.get(lang) or next((t for t in titles.values() if t), default)
