"""The committee's view of the strategy chapter, and its language.

- `RunResult.strategy`: the goal tree (every goal once, parents above children, overdue as
  STR-004 says), the latest assessment against the previous one, the pilot as STR-009 counts it.
- The Markdown report's strategy section and advisories.
- `--lang zh` reports have no English sentence in them (ids, paths and numbers allowed), and
  every built-in check speaks Chinese: a `title_zh` and a `message_zh` on its findings.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from tests import golden
from tests.conftest import check, govern, make_workspace
from tests.reports_support import saved

CJK = re.compile(r"[\u4e00-\u9fff]")

STRATEGY = """\
kind: StrategyPolicy
id: strategy-test
maturity: {assessment_interval_days: 365}
pilot: {phase: pilot, max_projects: 1}
"""
BUDGET = """\
kind: BudgetPolicy
id: budget-test
currency: CNY
categories: [technology, talent, operations]
tolerance_pp: 10
phases:
  - {id: pilot, months: [1, 6], target_share: {}}
"""
GOALS = """\
goals:
  - {id: g-top, tier: strategic, statement: 数据驱动, owner: p-ceo, metric: m, baseline: 1, target: 2, due: 2027-12-31}
  - {id: g-b2, tier: business, statement: 业务二, parent: g-top, owner: p-cto, metric: m, baseline: 1, target: 2, due: 2027-06-30}
  - {id: g-b1, tier: business, statement: 业务一, parent: g-top, owner: p-cto, metric: m, baseline: 1, target: 2, due: 2027-06-30}
  - {id: g-e1, tier: execution, statement: 执行一, parent: g-b1, owner: p-cto, metric: m, baseline: 1, target: 2, due: 2026-11-24}
  - {id: g-e2, tier: execution, statement: 执行二, parent: g-b1, owner: p-cto, metric: m, baseline: 1, target: 2, due: 2026-11-25}
  - {id: g-loop-a, tier: execution, statement: 环甲, parent: g-loop-b}
  - {id: g-loop-b, tier: execution, statement: 环乙, parent: g-loop-a}
maturity_assessments:
  - id: ma-new
    date: 2026-06-01
    assessor: p-cto
    scores: {process_digital: 3, data_asset: 2, business_online: 2, decision_intelligence: 1}
  - id: ma-old
    date: 2025-06-01
    assessor: p-cto
    scores: {process_digital: 2, data_asset: 2, business_online: 3, decision_intelligence: 1}
  - id: ma-oldest
    date: 2024-06-01
    assessor: p-cto
    scores: {process_digital: 1, data_asset: 1, business_online: 1, decision_intelligence: 1}
projects:
  - {id: prj-a, name: 甲, owner: p-cto, phase: pilot, start: 2026-01-01, end: 2027-01-01, serves: [g-e1],
     maturity: {dimension: process_digital, from: 2, to: 3}}
  - {id: prj-b, name: 乙, owner: p-cto, phase: pilot, start: 2026-02-01, end: 2027-01-01, serves: [g-e1, g-e2]}
  - {id: prj-later, name: 丙, owner: p-cto, phase: pilot, start: 2027-02-01, end: 2027-06-01, serves: [g-e2]}
"""


def run(workspace: Path, *args: str) -> dict:
    out = workspace.parent / "result.json"
    proc = check(workspace, "--format", f"json={out}", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def strategic(tmp_path: Path) -> dict:
    ws = make_workspace(tmp_path / "ws", {"policies/strategy.yaml": STRATEGY, "policies/budget.yaml": BUDGET,
                                          "inventory/strategy.yaml": GOALS})
    return run(ws)


def test_goal_tree_lists_every_goal_once_parents_first_children_by_id(strategic):
    goals = strategic["strategy"]["goals"]
    assert [(g["id"], g["depth"]) for g in goals] == [
        ("g-top", 0), ("g-b1", 1), ("g-e1", 2), ("g-e2", 2), ("g-b2", 1),
        # a parent cycle has no root: its goals are still shown, as roots
        ("g-loop-a", 0), ("g-loop-b", 1),
    ]
    by_id = {g["id"]: g for g in goals}
    assert by_id["g-e1"]["projects"] == ["prj-a", "prj-b"] and by_id["g-e2"]["projects"] == ["prj-b", "prj-later"]
    assert by_id["g-top"]["owner_name"] == "王伟" and by_id["g-loop-a"]["owner"] is None


def test_overdue_is_str_004s_call_due_today_is_not_overdue(strategic):
    fired = {f["resource"]["id"] for f in strategic["findings"] if f["check"] == "STR-004"}
    assert fired == {"g-e1"}  # due the day before as_of; g-e2 is due on as_of
    assert {g["id"] for g in strategic["strategy"]["goals"] if g["overdue"]} == fired


def test_latest_assessment_is_compared_with_the_one_before_it_by_date(strategic):
    st = strategic["strategy"]
    assert st["latest"]["id"] == "ma-new" and st["previous"]["id"] == "ma-old"  # file order is not date order
    assert st["dimensions"] == ["process_digital", "data_asset", "business_online", "decision_intelligence"]


def test_pilot_scope_lists_the_running_pilot_projects_str_009_counted(strategic):
    pilot = strategic["strategy"]["pilot"]
    assert pilot == {"phase": "pilot", "max_projects": 1, "running": ["prj-a", "prj-b"]}  # prj-later has not started
    assert [f["resource"] for f in strategic["findings"] if f["check"] == "STR-009"] == [{"kind": "phase", "id": "pilot"}]


def test_a_workspace_without_strategy_has_no_strategy_section(tmp_path):
    result = run(make_workspace(tmp_path / "ws", {}))
    assert result["strategy"] is None
    md = govern("report", str(tmp_path / "result.json"), "--format", "markdown", "--lang", "en")
    assert md.returncode == 0 and "The workspace has no strategy policy." in md.stdout


def test_markdown_shows_the_strategy_section_and_advisories_apart(tmp_path):
    r = golden.data("acme")
    proc = govern("report", str(saved("acme", tmp_path)), "--format", "markdown", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    strategy = text[text.index("## Strategy and planning"):text.index("## Waivers in force")]
    for g in r["strategy"]["goals"]:
        row = next(line for line in strategy.splitlines() if f"({g['id']})" in line)
        assert row.startswith("| " + "↳" * g["depth"]) and ("⚠ overdue" in row) == g["overdue"]
    for d in ("Process digitalisation", "Data as an asset", "Business online", "Decision intelligence"):
        assert f"| {d} |" in strategy
    advice = [f for f in r["findings"] if f["status"] == "fail" and f["severity"] == "info"]
    assert advice
    advisories = text[text.index("## Advisories"):text.index("## Strategy and planning")]
    findings = text[text.index("## Findings by control"):text.index("## Advisories")]
    for f in advice:
        assert f"| {f['check']} |" in advisories and f"| {f['check']} |" not in findings
    failing = r["summary"]["fail"] - len(advice)
    assert f"{failing} unwaived and {r['summary']['waived']} waived finding(s)" in text
    assert f"and {len(advice)} advisory finding(s)" in text


# ---------------------------------------------------------------- Chinese end to end

def english_sentences(text: str, allow: tuple[str, ...] = ()) -> list[str]:
    """Runs of two or more English words. Ids, paths, numbers, hashes and field names (any token
    holding a digit or one of - _ . / : @ =) are allowed, as are the names in `allow`."""
    for name in allow:
        text = text.replace(name, " ")
    text = re.sub(r"\S*[0-9_\-./:@=]\S*", " ", text)
    return [m.group(0) for m in re.finditer(r"\b[A-Za-z]{2,}(?:[ \t]+[A-Za-z]{2,})+\b", text)]


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<head.*?</head>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_detector_finds_english_and_spares_ids():
    assert english_sentences("系统 sys-pay 的负责人 p-ceo 位于 inventory/systems.yaml:4") == []
    assert english_sentences("预算 no owner 负责人") == ["no owner"]
    assert english_sentences("OPA 1.20.2 · CNY 2,000,000") == []


@pytest.mark.parametrize("fmt", ["html", "markdown", "table"])
def test_a_zh_report_of_acme_has_no_english_sentence(fmt, tmp_path):
    r = golden.data("acme")
    proc = govern("report", str(saved("acme", tmp_path)), "--format", fmt, "--lang", "zh")
    assert proc.returncode == 0, proc.stderr
    text = visible_text(proc.stdout) if fmt == "html" else proc.stdout
    # the workspace's own name is its name, as it wrote it
    assert english_sentences(text, allow=(r["workspace"],)) == []
    assert CJK.search(text)


def test_every_builtin_check_has_a_chinese_title_and_writes_its_findings_in_chinese():
    r = golden.data("acme")
    custom = {c["id"] for c in r["checks"] if c["domain"] == "acme"}
    for c in r["checks"]:
        if c["id"] not in custom:
            assert c["title_zh"] and CJK.search(c["title_zh"]), c["id"]
    fired = {f["check"] for f in r["findings"]}
    assert len(fired) > 15
    for f in r["findings"]:
        assert f["message_zh"] and CJK.search(f["message_zh"]), (f["check"], f["message"])
        assert english_sentences(f["message_zh"]) == [], f["message_zh"]


def test_with_str_004_skipped_no_goal_is_called_overdue_and_the_report_says_so(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"policies/strategy.yaml": STRATEGY, "policies/budget.yaml": BUDGET,
                                          "inventory/strategy.yaml": GOALS})
    result = run(ws, "--skip", "STR-004")
    st = result["strategy"]
    assert st["overdue_assessed"] is False and not any(g["overdue"] for g in st["goals"])
    md = govern("report", str(tmp_path / "result.json"), "--format", "markdown", "--lang", "en")
    assert "Whether goals are overdue was not judged this run (STR-004 skipped)." in md.stdout
