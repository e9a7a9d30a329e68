"""Goal progress against plan: a goal's `start` and `readings`, the StrategyPolicy's
`goals.progress_tolerance` and `goals.reading_interval_days`, and the checks that read them
(STR-011 behind plan, STR-012 no recent reading) on a real run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.load import WorkspaceErrors
from governance.model import load_workspace
from tests.conftest import check, govern, make_workspace

POLICY = """\
kind: StrategyPolicy
id: strategy-2026
goals:
  progress_tolerance: 0.1
  reading_interval_days: 92
"""

# planned from 0.35 on 2026-01-01 to 0.60 on 2027-12-31 (729 days); as_of 2026-11-25
GOALS = """\
goals:
  - id: g-online-sales
    tier: strategic
    statement: 线上渠道销售占比由35%提升至60%
    owner: p-ceo
    metric: online_sales_share
    baseline: 0.35
    target: 0.60
    start: 2026-01-01
    due: 2027-12-31
    readings:
      - {date: 2026-06-30, value: 0.38}
      - {date: 2026-09-30, value: 0.39}
"""


def _workspace(tmp_path: Path, policy: str = POLICY, goals: str = GOALS) -> Path:
    return make_workspace(tmp_path / "ws", {"policies/strategy.yaml": policy, "inventory/strategy.yaml": goals})


def _errors(root: Path) -> list[str]:
    with pytest.raises(WorkspaceErrors) as caught:
        load_workspace(root)
    return [str(e) for e in caught.value.errors]


def _run(root: Path, as_of: str = "2026-11-25") -> dict:
    ran = check(root, "--format", "json", as_of=as_of)
    assert ran.returncode in (0, 1), ran.stderr
    return json.loads(ran.stdout)


def _str(result: dict, check_id: str) -> tuple[dict, list[dict]]:
    declared = next(c for c in result["checks"] if c["id"] == check_id)
    return declared, [f for f in result["findings"] if f["check"] == check_id]


# ---------------------------------------------------------------- the model

def test_a_goal_loads_its_start_and_readings(tmp_path):
    ws = load_workspace(_workspace(tmp_path))
    goal = ws.inventory.goals["g-online-sales"]
    assert goal.start and goal.start.isoformat() == "2026-01-01"
    assert [(r.date.isoformat(), r.value) for r in goal.readings] == [("2026-06-30", 0.38), ("2026-09-30", 0.39)]
    assert ws.inventory_input()["goals"]["g-online-sales"]["readings"] == [
        {"date": "2026-06-30", "value": 0.38}, {"date": "2026-09-30", "value": 0.39}]
    goals = ws.definitions()["strategy_policy"]["goals"]
    assert (goals["progress_tolerance"], goals["reading_interval_days"]) == (0.1, 92)


def test_two_readings_of_one_goal_on_one_date_fail_at_the_second(tmp_path):
    root = _workspace(tmp_path, goals=GOALS + "      - {date: 2026-06-30, value: 0.4}\n")
    assert _errors(root) == ["inventory/strategy.yaml:14:10: goal 'g-online-sales' has two readings dated 2026-06-30 "
                             "(first at inventory/strategy.yaml:12:10)"]


def test_two_goals_may_be_read_on_the_same_date(tmp_path):
    other = GOALS.replace("g-online-sales", "g-other").replace("goals:\n", "")
    ws = load_workspace(_workspace(tmp_path, goals=GOALS + other))
    assert len(ws.inventory.goals) == 2


@pytest.mark.parametrize(("field", "why"), [
    ("{date: 2026-06-30}", "missing required field 'readings.0.value'"),
    ("{date: 2026-06-31, value: 0.4}", "is not a valid date"),
    ("{date: 2026-06-30, value: high}", "readings.0.value"),
    ("{date: 2026-06-30, value: true}", "readings.0.value"),  # a number, strictly: true is not 1
    ("{date: 2026-06-30, value: '0.4'}", "readings.0.value"),
])
def test_a_reading_needs_a_date_and_a_number(tmp_path, field, why):
    goals = GOALS.split("    readings:\n")[0] + f"    readings:\n      - {field}\n"
    (error,) = _errors(_workspace(tmp_path, goals=goals))
    assert error.startswith("inventory/strategy.yaml:12:") and why in error, error


def test_a_start_on_or_after_the_due_date_is_no_error(tmp_path):
    # STR-011 needs start < due: a goal otherwise is simply not judged against a plan line
    root = _workspace(tmp_path, goals=GOALS.replace("start: 2026-01-01", "start: 2028-01-01"))
    declared, findings = _str(_run(root), "STR-011")
    assert (declared["evaluated"], findings) == (0, [])


AT = "policies/strategy.yaml:4:3: goals."


@pytest.mark.parametrize(("setting", "where"), [
    ("progress_tolerance: 1.5", AT + "progress_tolerance: Input should be less than or equal to 1"),
    ("progress_tolerance: -0.1", AT + "progress_tolerance: Input should be greater than or equal to 0"),
    ("reading_interval_days: 0", AT + "reading_interval_days: Input should be greater than or equal to 1"),
])
def test_progress_settings_out_of_range_exit_2_at_the_setting(tmp_path, setting, where):
    policy = "kind: StrategyPolicy\nid: strategy-2026\ngoals:\n  " + setting + "\n"
    root = _workspace(tmp_path, policy=policy)
    ran = check(root)
    assert ran.returncode == 2
    assert where in ran.stderr, ran.stderr


def test_a_policy_without_tiers_may_set_the_progress_settings(tmp_path):
    ws = load_workspace(_workspace(tmp_path))
    assert ws.strategy_policy and ws.strategy_policy.tiers == ["strategic", "business", "execution"]


# ---------------------------------------------------------------- the checks on a real run

def test_a_goal_behind_plan_fires_str_011_with_its_plan_and_reading(tmp_path):
    # on 2026-09-30 (272 of 729 days) the plan is 0.35 + 0.25 × 272/729 = 0.443278; the bound 0.418278
    declared, findings = _str(_run(_workspace(tmp_path)), "STR-011")
    assert declared["evaluated"] == 1
    (finding,) = findings
    assert finding["resource"] == {"kind": "goal", "id": "g-online-sales"}
    assert (finding["location"]["file"], finding["location"]["line"]) == ("inventory/strategy.yaml", 2)
    assert "read 0.39 on 2026-09-30, behind its plan of 0.443278" in finding["message"]
    assert "（g-online-sales）于 2026-09-30 的读数为 0.39，计划值为 0.443278" in finding["message_zh"]


def test_the_default_tolerance_applies_when_the_policy_sets_none(tmp_path):
    # 0.42 is within 0.1 × 0.25 of the plan 0.443278; within 0.05 × 0.25 it is not
    on_track = GOALS.replace("value: 0.39", "value: 0.42")
    default = _workspace(tmp_path, policy="kind: StrategyPolicy\nid: strategy-2026\n", goals=on_track)
    assert _str(_run(default), "STR-011")[1] == []
    tight = _workspace(tmp_path, policy="kind: StrategyPolicy\nid: strategy-2026\ngoals: {progress_tolerance: 0.05}\n",
                       goals=on_track)
    assert len(_str(_run(tight), "STR-011")[1]) == 1


def test_a_goal_without_a_recent_reading_fires_str_012(tmp_path):
    # the latest reading, 2026-09-30, is 56 days old on 2026-11-25 and 93 days old on 2027-01-01
    root = _workspace(tmp_path)
    assert _str(_run(root), "STR-012")[1] == []
    declared, findings = _str(_run(root, as_of="2027-01-01"), "STR-012")
    assert declared["evaluated"] == 1 and len(findings) == 1
    assert "its latest is of 2026-09-30, 93 days before" in findings[0]["message"]


def test_without_a_reading_interval_str_012_is_not_applicable(tmp_path):
    declared, _ = _str(_run(_workspace(tmp_path, policy="kind: StrategyPolicy\nid: strategy-2026\n")), "STR-012")
    assert (declared["evaluated"], declared["status"]) == (0, "not_applicable")


# ---------------------------------------------------------------- the goal tree in the reports

def _saved(root: Path, *args: str) -> Path:
    out = root.parent / "result.json"
    ran = check(root, "--format", f"json={out}", *args)
    assert ran.returncode in (0, 1), ran.stderr
    return out


def test_the_goal_tree_carries_str_011s_own_reading_of_each_goal(tmp_path):
    result = _run(_workspace(tmp_path))
    (goal,) = result["strategy"]["goals"]
    observed = {"date": "2026-09-30", "value": 0.39, "plan": 0.443278, "behind": True}
    assert goal["progress"] == observed


def test_with_str_011_skipped_no_goal_shows_progress(tmp_path):
    saved = _saved(_workspace(tmp_path), "--skip", "STR-011")
    (goal,) = json.loads(saved.read_text(encoding="utf-8"))["strategy"]["goals"]
    assert goal.get("progress") is None


@pytest.mark.parametrize(("lang", "cell"), [
    ("en", "| 0.39 / 0.443278 ⚠ behind plan (read 2026-09-30) |"),
    ("zh", "| 0.39 / 0.443278 ⚠ 落后于计划 (2026-09-30 读数) |"),
])
def test_the_markdown_goal_tree_shows_the_latest_reading_against_the_plan(tmp_path, lang, cell):
    saved = _saved(_workspace(tmp_path))
    md = govern("report", str(saved), "--format", "markdown", "--lang", lang)
    assert md.returncode == 0, md.stderr
    row = next(line for line in md.stdout.splitlines() if "(g-online-sales)" in line)
    assert cell in row, row


@pytest.mark.parametrize(("lang", "verdict", "read"), [("en", "on track", "read 2026-09-30"),
                                                       ("zh", "符合计划", "2026-09-30 读数")])
def test_the_html_goal_tree_shows_a_goal_on_track(tmp_path, lang, verdict, read):
    saved = _saved(_workspace(tmp_path, goals=GOALS.replace("value: 0.39", "value: 0.42")))
    page = govern("report", str(saved), "--format", "html", "--lang", lang)
    assert page.returncode == 0, page.stderr
    cell = page.stdout[page.stdout.index('<td class="progress" data-behind="false">'):]
    cell = cell[:cell.index("</td>")]
    assert "0.42 / 0.443278" in cell and f'<span class="badge badge-pass">{verdict}</span>' in cell and read in cell
