"""`--format markdown`: the audit report, checked against the JSON result it renders (a golden result: no OPA)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from governance.report import RenderOptions, render
from governance.result import RunResult, verdict_digest
from tests import golden
from tests.conftest import check, govern
from tests.reports_support import acme_budget, saved

_TOKEN = re.compile(r"\\.|\||[^\\|]+")  # a backslash escape, a cell border, or plain text


def text(markdown: str) -> str:
    """Inline Markdown as a reader sees it: backslash escapes and entities resolved."""
    return re.sub(r"\\(.)", r"\1", html.unescape(markdown))


def cells(line: str) -> list[str]:
    """A table row's cells, split only on pipes no backslash escapes."""
    out, current = [], ""
    for token in _TOKEN.findall(line.strip()[1:-1]):
        if token == "|":
            out.append(current)
            current = ""
        else:
            current += token
    return [text(c.strip()) for c in out + [current]]


def tables(markdown: str) -> dict[str, list[list[str]]]:
    """Each section heading (## or ###) → the rows of the table under it (header and rule dropped)."""
    out: dict[str, list[list[str]]] = {}
    heading = ""
    for line in markdown.splitlines():
        if line.startswith("#"):
            heading = text(line.lstrip("#").strip())
            out.setdefault(heading, [])
        elif line.startswith("| "):
            out[heading].append(cells(line))
    return {h: rows[2:] for h, rows in out.items()}  # header row and the --- rule


def section(tabs: dict, prefix: str) -> list[list[str]]:
    (key,) = [h for h in tabs if h.startswith(prefix)]
    return tabs[key]


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[dict, str, Path]:
    """The golden example with a valid and a self-approved waiver of its own (tests/golden, acme-waivers),
    rendered by `govern report` in Chinese: (result, zh markdown, result path)."""
    folder = tmp_path_factory.mktemp("md")
    path = saved("acme-waivers", folder)
    proc = govern("report", str(path), "--format", f"markdown={folder / 'r.md'}")
    assert proc.returncode == 0, proc.stderr
    return golden.data("acme-waivers"), (folder / "r.md").read_text(encoding="utf-8"), path


def rerender(path: Path, lang: str) -> str:
    return render("markdown", RunResult.model_validate_json(path.read_text(encoding="utf-8")), RenderOptions(lang=lang))


def test_renders_from_the_result_alone(tmp_path, opa_binary):
    """What `check` writes is what `report` gives again from its JSON result: nothing else of the run goes in."""
    ws, extra = golden.workspace("acme-waivers", tmp_path)
    out = tmp_path / "out"
    proc = check(ws, *extra, "--format", f"json={out / 'r.json'}", "--format", f"markdown={out / 'r.md'}")
    assert proc.returncode in (0, 1), proc.stderr
    assert rerender(out / "r.json", "zh") == (out / "r.md").read_text(encoding="utf-8")


def test_control_table_sums_its_checks(run):
    result, zh, _ = run
    checks = {c["id"]: c for c in result["checks"]}
    rows = {r[0]: r for r in section(tables(zh), "控制项")}
    assert set(rows) == {c["id"] for c in result["controls"]} and rows
    for control in result["controls"]:
        row = rows[control["id"]]
        mine = [checks[c] for c in control["checks"] if c in checks]
        assert row[1] == control["title"]["zh"]
        assert row[2] == ", ".join(control["checks"])
        assert [int(x) for x in row[3:6]] == [sum(c[k] for c in mine) for k in ("evaluated", "failed", "waived")]
        names = {"pass": "通过", "fail": "未通过", "not_applicable": "不适用", "advisory": "通过但有提示"}
        assert row[6].endswith(names[shown(control, checks)])


def shown(control: dict, checks: dict[str, dict]) -> str:
    """A control's status as the reports show it: failing on advisories (info) alone, it passes with advisories."""
    failing = [checks[c] for c in control["checks"] if c in checks and checks[c]["status"] == "fail"]
    return "advisory" if failing and all(c["severity"] == "info" for c in failing) else control["status"]


def test_english_labels_and_titles(run):
    result, _, path = run
    en = rerender(path, "en")
    rows = {r[0]: r for r in section(tables(en), "Controls")}
    checks = {c["id"]: c for c in result["checks"]}
    for control in result["controls"]:
        assert rows[control["id"]][1] == control["title"]["en"]
        status = {"pass": "pass", "fail": "fail", "not_applicable": "not applicable",
                  "advisory": "pass with advisories"}[shown(control, checks)]
        assert rows[control["id"]][6].endswith(status)
    assert "## Findings by control" in en and "## Waivers in force" in en
    assert "控制项" not in en


KINDS_ZH = {"system": "系统", "dataset": "数据集", "project": "项目", "budget_line": "预算行", "phase": "阶段",
            "decision": "决策", "meeting": "会议", "committee": "委员会", "waiver": "豁免", "goal": "目标",
            "authority_matrix": "授权矩阵", "portfolio": "项目组合", "maturity_assessment": "成熟度评估", "action": "行动项",
            "value_stream": "价值流", "pain_point": "痛点", "root_cause": "根因"}


def test_findings_grouped_by_control_with_file_and_line(run):
    result, zh, _ = run
    tabs = tables(zh)
    assert result["findings"]
    for finding in result["findings"]:
        where = f"{finding['location']['file']}:{finding['location']['line']}"
        resource = f"{KINDS_ZH[finding['resource']['kind']]} {finding['resource']['id']}"
        if finding["status"] == "fail" and finding["severity"] == "info":  # an advisory: listed apart, not failing
            rows = [r for r in section(tabs, "提示") if r[0] == finding["check"] and r[1] == resource]
            assert len(rows) == 1 and rows[0][3] == where, finding["check"]
            continue
        groups = finding["controls"] or [None]
        for control in groups:
            rows = section(tabs, control + " ") if control else section(tabs, "未映射到控制项的检查")
            matching = [r for r in rows if r[1] == finding["check"] and r[2] == resource]
            assert len(matching) == 1, (control, finding["check"])
            assert matching[0][3] == (finding["message_zh"] or finding["message"])
            assert matching[0][4] == where
            assert ("wv-" in matching[0][5]) == (finding["status"] == "waived")


def test_waivers_in_force_and_invalid_waivers_with_reasons(run):
    result, zh, path = run
    tabs = tables(rerender(path, "en"))
    in_force = {r[0]: r for r in section(tabs, "Waivers in force")}
    invalid = {r[0]: r for r in section(tabs, "Invalid waivers")}
    waivers = {w["id"]: w for w in result["waivers"]}
    assert waivers[golden.WAIVER_ID]["valid"] and not waivers[golden.SELF_APPROVED_ID]["valid"]
    assert set(in_force) == {w for w, v in waivers.items() if v["valid"]}
    assert set(invalid) == {w for w, v in waivers.items() if not v["valid"]}
    for wid, row in in_force.items():
        w = waivers[wid]
        approver = f"{w['approved_by_name']} ({w['approved_by']})" if w.get("approved_by_name") else w["approved_by"]
        requester = f"{w['requested_by_name']} ({w['requested_by']})" if w.get("requested_by_name") else w["requested_by"]
        assert (row[3], row[4], row[6], row[7], int(row[8])) == (requester, approver, w.get("decision") or "-",
                                                                 w["expires"], w["applied"])
    assert in_force[golden.WAIVER_ID][9] == golden.WAIVER_JUSTIFICATION  # its pipe escaped, not a cell border
    assert any("王伟 (p-ceo)" == row[4] for row in in_force.values())  # by name: acme's CEO approves
    # in Chinese a person is 名字（id）, in the tables as in the checks' messages
    rows = [cells(line) for line in zh.splitlines() if line.startswith(f"| {golden.WAIVER_ID} |")]
    assert rows and all("（p-" in row[4] and " (p-" not in row[4] for row in rows), rows
    for wid, row in invalid.items():
        reasons = [f"{f['check']}: {' '.join(f['message'].split())}" for f in result["findings"]
                   if f["resource"] == {"kind": "waiver", "id": wid}]
        assert reasons, wid
        for reason in reasons:
            assert reason in row[5]


def _budget_tables(markdown: str) -> list[list[list[str]]]:
    """The tables of the budget chapter, in order, each as its rows (header and rule dropped)."""
    chapter = markdown.split("\n## Budget: plan and actual spend\n", 1)[1].split("\n## ", 1)[0]
    found: list[list[list[str]]] = []
    previous = ""
    for line in chapter.splitlines():
        if line.startswith("| ") and not previous.startswith("| "):
            found.append([])
        if line.startswith("| "):
            found[-1].append(cells(line))
        previous = line
    return [rows[2:] for rows in found]


def test_budget_chapter_sets_the_plan_against_spend_and_burn(tmp_path):
    """Plan against spend per category and phase and the running projects' burn, against acme's own files
    counted without govern (reports_support.acme_budget)."""
    expected = acme_budget()
    shares, by_category, by_phase, overspent, burn = _budget_tables(rerender(saved("acme", tmp_path), "en"))
    assert [(r[0], r[3], r[4]) for r in overspent] == [(line, f"{amount:,.0f}", f"{spent:,.0f}")
                                                        for line, amount, spent in expected.overspent]
    assert {(r[0], r[1]) for r in shares} >= {("pilot", "technology"), ("scale-up", "talent")}
    money = {r[0]: (r[1], r[2]) for r in by_category}
    for cat, planned in expected.planned.items():
        assert money[cat] == (f"{planned:,.0f}", f"{expected.spent[cat]:,.0f}")
    assert money["Total"] == (f"{sum(expected.planned.values()):,.0f}", f"{sum(expected.spent.values()):,.0f}")
    phases = {r[0]: (r[1], r[2]) for r in by_phase}
    assert phases["pilot"] == (f"{expected.phase_planned['pilot']:,.0f}", f"{expected.phase_spent['pilot']:,.0f}")
    rows = {r[0].rsplit(" (", 1)[1].rstrip(")"): r for r in burn}
    assert set(rows) == set(expected.running)
    for project, (lines, spent, elapsed, days) in expected.running.items():
        row = rows[project]
        assert (row[2], row[4], row[5]) == (f"{lines:,.0f}", f"{spent:,.0f}", f"{spent / lines * 100:.1f}%")
        assert row[7] == f"{elapsed} of {days} days ({elapsed / days * 100:.1f}%)"


def _without_spend(path: Path) -> Path:
    """The result at `path` as a result saved before the budget recorded spend: no spend fields at all."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    for key in ("planned", "spent", "projects", "overspent"):
        del doc["budget"][key]
    for phase in doc["budget"]["phases"]:
        for key in ("spent", "spent_total", "spent_shares"):
            del phase[key]
    # such a result's digest covers the verdict alone (coverage 1): its budget section was not bound
    doc["verdict"] = {"digest": verdict_digest(RunResult.model_validate(doc), 1)}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_result_saved_before_spend_was_recorded_says_so(tmp_path):
    """Its empty defaults are not facts: no zero spend, no "no overspent lines", no "no running projects"."""
    path = _without_spend(saved("acme", tmp_path))
    proc = govern("report", str(path), "--format", f"markdown={tmp_path / 'r.md'}")
    assert proc.returncode == 0, proc.stderr
    zh = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "本结果未记录支出" in zh
    for claim in ("没有支出超出其金额的预算行", "没有在建且有预算行的项目", "实际支出为评估基准日"):
        assert claim not in zh
    assert "BUD-003" in zh  # the findings still report what the check saw
    en = rerender(path, "en")
    assert "does not record spend" in en and "No budget line is spent above" not in en
    page = render("html", RunResult.model_validate_json(path.read_text(encoding="utf-8")), RenderOptions(lang="zh"))
    assert 'data-spend="not-recorded"' in page
    assert "没有支出超出其金额的预算行" not in page and "没有在建且有预算行的项目" not in page
