"""`govern agenda`: the committee's meeting pack (docs/agenda.md), run on examples/acme and on small
workspaces against the real OPA. What the pack must list is taken from `govern check`'s JSON at the same
date and the checks' own marks, never a list of check ids typed here."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from governance.evaluate import load
from governance.evaluate.agenda import answerable, dated
from governance.result import Resource
from tests.conftest import AS_OF, EXAMPLE, check, govern, make_workspace, shared_opa


def agenda(workspace: Path | str, *args: str, meeting: str = AS_OF, env: dict[str, str] | None = None):
    return govern("agenda", str(workspace), "--meeting", meeting, "--opa-url", shared_opa(), *args, env=env)


def pack(workspace: Path | str, *args: str, meeting: str = AS_OF) -> dict:
    ran = agenda(workspace, "--format", "json", *args, meeting=meeting)
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


def run_json(workspace: Path | str, as_of: str = AS_OF) -> dict:
    ran = check(workspace, "--format", "json", as_of=as_of)
    assert ran.returncode in (0, 1), ran.stderr
    return json.loads(ran.stdout)


def set_cadence(workspace: Path, days: int) -> None:
    path = workspace / "policies" / "committee.yaml"
    text = re.sub(r"(?m)^cadence_days:.*\n", "", path.read_text(encoding="utf-8"))
    path.write_text(text + f"cadence_days: {days}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def acme() -> tuple[dict, dict]:
    """The pack of examples/acme at AS_OF, and the run it must agree with."""
    return pack(EXAMPLE), run_json(EXAMPLE)


# ---------------------------------------------------------------- what the pack lists

def test_the_pack_names_its_meeting_and_the_window_to_the_next_regular_meeting(acme):
    got, run = acme
    assert got["kind"] == "govern-agenda" and got["meeting"] == AS_OF
    to = dt.date.fromisoformat(AS_OF) + dt.timedelta(days=run["cadence_days"])
    assert got["window"] == {"from": AS_OF, "to": to.isoformat()}


def test_every_unwaived_finding_of_a_marked_check_is_an_item_and_nothing_else_is(acme):
    got, run = acme
    marked = {c["id"] for c in run["checks"] if c["agenda"]}
    expected = {(f["check"], f["resource"]["kind"], f["resource"]["id"]) for f in run["findings"]
                if f["status"] == "fail" and f["check"] in marked}
    listed = {(i["check"], i["resource"]["kind"], i["resource"]["id"]) for i in got["items"] if i["kind"] == "finding"}
    assert expected and listed == expected
    assert all(i["status"] == "fail" for i in got["items"] if i["kind"] == "finding")
    # a finding of an unmarked check is the owner's to fix, not the committee's
    assert not any(i["check"] in {c["id"] for c in run["checks"] if not c["agenda"]}
                   for i in got["items"] if i["kind"] == "finding")


def test_items_are_grouped_by_their_checks_domain(acme):
    got, run = acme
    domain = {c["id"]: c["domain"] for c in run["checks"]}
    for item in got["items"]:
        if item["kind"] == "finding":
            assert item["group"] == domain[item["check"]]
    groups = [g["id"] for g in got["groups"]]
    assert groups == list(dict.fromkeys(i["group"] for i in got["items"]))  # each heading once, in reading order
    committee = next(g for g in got["groups"] if g["id"] == "committee")
    assert committee["title"] == {"zh": "待批准的决策", "en": "Decisions to ratify"}  # the vocabulary's heading


def test_an_applied_waiver_expiring_in_the_window_is_an_item_to_renew_or_let_lapse(acme):
    got, run = acme
    to = got["window"]["to"]
    expiring = {w["id"]: w for w in run["waivers"] if w["valid"] and w["applied"] and w["expires"] <= to}
    items = {i["waiver"]: i for i in got["items"] if i["kind"] == "waiver_expiring"}
    assert expiring and set(items) == set(expiring)
    for wid, item in items.items():
        assert item["expires"] == expiring[wid]["expires"] and item["status"] == "waived"
        assert item["owner"] == expiring[wid]["approved_by"]  # the waiver's approver answers for it
        # beside the expired ones: in the domain of the marked checks on waivers
        assert item["group"] == next(c["domain"] for c in run["checks"] if c["agenda"] and c["resource"] == "waiver")
        assert item["location"]["file"].startswith("waivers/")


def test_each_item_has_its_owner_by_name_its_date_and_its_location(acme):
    got, run = acme
    goals = {g["id"]: g for g in run["strategy"]["goals"]}
    for item in got["items"]:
        assert item["location"] and item["location"]["line"] >= 1, item
        if item["resource"]["kind"] == "goal":
            goal = goals[item["resource"]["id"]]
            assert (item["owner"], item["owner_name"]) == (goal["owner"], goal["owner_name"])
            assert (item["date"], item["date_field"]) == (goal["due"], "due")
    assert all(i["owner"] and i["owner_name"] for i in got["items"]), [i for i in got["items"] if not i["owner"]]


def test_the_verdict_and_counts_are_the_runs(acme):
    got, run = acme
    unwaived = [f for f in run["findings"] if f["status"] == "fail" and f["severity"] != "info"]
    assert got["verdict"] == "fail" and got["fail_on"] == run["fail_on"]
    assert got["counts"]["unwaived"] == len(unwaived)
    assert got["counts"]["waived"] == run["summary"]["waived"]
    assert got["counts"]["items"] == len(got["items"])
    assert got["run_verdict"] == run["verdict"]["digest"]


def test_without_a_previous_run_the_pack_says_so(acme):
    got, _ = acme
    assert got["previous"] is None and got["changes"] is None


def test_the_same_inputs_give_the_same_pack_byte_for_byte():
    first, second = agenda(EXAMPLE, "--format", "json"), agenda(EXAMPLE, "--format", "json")
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout  # a pack carries no clock


# ---------------------------------------------------------------- the window's boundary

@pytest.mark.parametrize("days, listed", [(126, True), (125, False)])
def test_a_waiver_expiring_on_the_windows_last_day_is_listed_and_a_day_later_is_not(example, days, listed):
    set_cadence(example, days)  # AS_OF + 126 days = 2027-03-31, when wv-2026-021 expires
    got = pack(example)
    assert got["window"]["to"] == (dt.date.fromisoformat(AS_OF) + dt.timedelta(days=days)).isoformat()
    assert ("wv-2026-021" in {i["waiver"] for i in got["items"]}) is listed


# ---------------------------------------------------------------- data decides, not a table of ids

HOUSE = """\
# METADATA
# scope: package
# title: House rules
# custom:
#   domain:
#     id: house
#     order: 50
#     title:
#       zh: 内部规则
#       en: House rules
package govern.checks.house

import data.govern.lib

# METADATA
# title: Every system is reviewed by the committee
# custom:
#   id: HOUSE-001
#   severity: medium
#   waivable: true
#   resource: system
#   agenda: {agenda}
HOUSE_001 := lib.check(rego.metadata.rule(), lib.systems, {{v |
	some id, _ in lib.systems
	v := lib.violation("system", id, {{"en": sprintf("system %s needs the committee", [id]), "zh": "x"}})
}})
"""

SYSTEMS = """\
systems:
  - {id: sys-a, name: A, owner: p-cto, deployment: on_prem}
"""


@pytest.mark.parametrize("agenda_mark", ["true", "false"])
def test_a_workspace_check_marked_for_the_agenda_is_listed_under_its_own_domain(tmp_path, agenda_mark):
    ws = make_workspace(tmp_path / "ws", {"governance.yaml": "checks: [checks]\n", "inventory/systems.yaml": SYSTEMS,
                                          "checks/house.rego": HOUSE.format(agenda=agenda_mark)})
    got = pack(ws)
    items = [i for i in got["items"] if i["check"] == "HOUSE-001"]
    if agenda_mark == "false":
        assert items == []
        return
    [item] = items
    assert item["group"] == "house" and item["owner"] == "p-cto" and item["owner_name"] == "李娜"
    assert next(g for g in got["groups"] if g["id"] == "house")["title"] == {"zh": "内部规则", "en": "House rules"}


def test_who_answers_for_a_resource_is_read_off_its_entity():
    """Its owner; without one, its kind's person field (a committee's chair, a decision's approver); a budget
    line without an owner, its project's; a resource that is no entity (a phase), the committee's chair."""
    ws = load(EXAMPLE)
    decision = ws.entity("decision", "dec-2026-088")
    assert decision is not None and getattr(decision, "owner", None) is None
    assert answerable(ws, Resource(kind="decision", id="dec-2026-088")) == "p-ceo"  # approved_by: [p-ceo]
    assert answerable(ws, Resource(kind="committee", id="digital-ops-committee")) == "p-ceo"  # its chair
    assert answerable(ws, Resource(kind="goal", id="g-member-points")) == ws.inventory.goals["g-member-points"].owner
    assert answerable(ws, Resource(kind="phase", id="pilot")) == "p-ceo"  # the committee's
    line = next(lid for lid, line in ws.budget_lines.items() if line.owner is None)
    project = ws.budget_line_project[line]
    assert answerable(ws, Resource(kind="budget_line", id=line)) == ws.inventory.projects[project].owner
    assert dated(ws, Resource(kind="decision", id="dec-2026-088")) == ("2026-08-28", "date")
    assert dated(ws, Resource(kind="phase", id="pilot")) == (None, None)


# ---------------------------------------------------------------- what changed since the last meeting

def test_with_a_baseline_the_pack_compares_counts_and_lists_what_changed(tmp_path, acme_result):
    earlier = "2026-10-15"
    baseline = tmp_path / "last-meeting.json"
    before, now = run_json(EXAMPLE, as_of=earlier), acme_result  # acme at AS_OF: the run the pack makes
    baseline.write_text(json.dumps(before), encoding="utf-8")
    got = pack(EXAMPLE, "--baseline", str(baseline))
    assert got["previous"]["as_of"] == earlier and got["previous"]["source"] == "file"
    was = {f["fingerprint"] for f in before["findings"]}
    is_now = {f["fingerprint"] for f in now["findings"]}
    new = {(c["check"], c["resource"]["id"]) for c in got["changes"] if c["change"] == "new"}
    gone = {(c["check"], c["resource"]["id"]) for c in got["changes"] if c["change"] == "resolved"}
    assert new == {(f["check"], f["resource"]["id"]) for f in now["findings"] if f["fingerprint"] not in was}
    assert gone == {(f["check"], f["resource"]["id"]) for f in before["findings"] if f["fingerprint"] not in is_now}
    assert new or gone
    unwaived_before = [f for f in before["findings"] if f["status"] == "fail" and f["severity"] != "info"]
    assert got["previous"]["counts"]["unwaived"] == len(unwaived_before)


def test_with_a_history_store_the_pack_compares_with_the_run_of_the_last_meeting(tmp_path):
    """Runs recorded nightly: the pack compares with the last one on or before the committee's last meeting
    (acme's is 2026-10-22), and dates each change by the run that first recorded it."""
    db = f"sqlite:///{tmp_path / 'history.db'}"
    runs = ("2026-09-30", "2026-10-20", "2026-10-25", AS_OF)
    for as_of in runs:
        ran = check(EXAMPLE, "--record", "--db", db, "--format", "json", "--output", str(tmp_path / f"{as_of}.json"),
                    as_of=as_of)
        assert ran.returncode == 1, ran.stderr
    got = pack(EXAMPLE, "--db", db)
    assert got["last_meeting"] == "2026-10-22"
    assert got["previous"]["as_of"] == "2026-10-20" and got["previous"]["source"] == "history"
    assert [p["as_of"] for p in got["trend"]] == list(runs)
    before = {f["fingerprint"] for f in json.loads((tmp_path / "2026-10-20.json").read_text())["findings"]}
    then = {f["fingerprint"] for f in json.loads((tmp_path / "2026-10-25.json").read_text())["findings"]}
    gone_by_then = before - then  # e.g. a waiver not yet in force on 10-20 (WAV-007), in force by 10-25
    assert gone_by_then
    resolved = {c["fingerprint"]: c["date"] for c in got["changes"] if c["change"] == "resolved"}
    assert {fp: resolved[fp] for fp in gone_by_then} == {fp: "2026-10-25" for fp in gone_by_then}


def test_without_a_recorded_meeting_the_store_gives_the_last_run_before_the_meeting(tmp_path):
    ws = make_workspace(tmp_path / "ws", {})  # a committee, two people, no meeting
    db = f"sqlite:///{tmp_path / 'history.db'}"
    for as_of in ("2026-10-20", "2026-11-01", AS_OF):  # the meeting's own date is not "before the meeting"
        ran = check(ws, "--record", "--db", db, "--format", "json", "--output", str(tmp_path / f"{as_of}.json"),
                    as_of=as_of)
        assert ran.returncode in (0, 1), ran.stderr
    assert pack(ws, "--db", db, meeting="2026-10-20")["previous"] is None  # nothing recorded before it
    got = pack(ws, "--db", db)
    assert got["last_meeting"] is None and got["previous"]["as_of"] == "2026-11-01"


def test_db_and_baseline_on_one_command_line_are_a_usage_error(tmp_path, acme_result):
    baseline = tmp_path / "b.json"
    baseline.write_text(json.dumps(acme_result), encoding="utf-8")
    ran = agenda(EXAMPLE, "--baseline", str(baseline), "--db", f"sqlite:///{tmp_path / 'h.db'}")
    assert ran.returncode == 2 and "not both" in ran.stderr


# ---------------------------------------------------------------- exit codes: a pack, not a gate

def test_a_written_pack_is_exit_0_even_with_items_to_decide(tmp_path):
    out = tmp_path / "pack.html"
    ran = agenda(EXAMPLE, "--output", str(out))
    assert ran.returncode == 0, ran.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_an_invalid_workspace_is_exit_2_at_its_place_and_nothing_is_written(example, tmp_path):
    (example / "inventory" / "systems.yaml").write_text("systems:\n  - {id: sys-x, owner: p-nobody}\n", encoding="utf-8")
    out = tmp_path / "pack.html"
    ran = agenda(example, "--output", str(out))
    assert ran.returncode == 2
    assert "inventory/systems.yaml:2:" in ran.stderr and not out.exists()


def test_an_invalid_baseline_is_exit_2_and_nothing_is_written(tmp_path):
    baseline = tmp_path / "b.json"
    baseline.write_text('{"as_of": "2026-02-30"}', encoding="utf-8")
    out = tmp_path / "pack.md"
    ran = agenda(EXAMPLE, "--baseline", str(baseline), "--format", "markdown", "--output", str(out))
    assert ran.returncode == 2 and str(baseline) in ran.stderr and not out.exists()


def test_when_opa_cannot_evaluate_it_is_exit_3_and_nothing_is_written(tmp_path):
    out = tmp_path / "pack.json"
    ran = govern("agenda", str(EXAMPLE), "--meeting", AS_OF, "--format", "json", "--output", str(out),
                 env={"PATH": "/nonexistent", "GOVERN_OPA": str(tmp_path / "no-opa"), "HOME": str(tmp_path)})
    assert ran.returncode == 3, ran.stderr
    assert "evaluation could not be completed" in ran.stderr and not out.exists()


def test_a_bad_meeting_date_is_a_usage_error():
    ran = govern("agenda", str(EXAMPLE), "--meeting", "2026-02-30")
    assert ran.returncode == 2 and "not a real date" in ran.stderr


# ---------------------------------------------------------------- in words: zh and en

@pytest.mark.parametrize("lang, words", [
    ("zh", ["委员会会议材料", "待决事项", "待批准的决策", "自上次会议以来的变化", "目标体系", "负责人"]),
    ("en", ["Committee meeting pack", "Items needing a decision", "Decisions to ratify",
            "What changed since the last meeting", "Goal tree", "Owner"]),
])
def test_the_markdown_pack_reads_in_its_language(acme, lang, words):
    got, _ = acme
    ran = agenda(EXAMPLE, "--format", "markdown", "--lang", lang)
    assert ran.returncode == 0, ran.stderr
    for word in words:
        assert word in ran.stdout
    for item in got["items"]:
        assert item["check"] in ran.stdout and item["owner_name"] in ran.stdout
    assert "agenda." not in ran.stdout  # no label key left unsaid


@pytest.mark.parametrize("meeting", [AS_OF, "2026-10-22"])
def test_the_last_meeting_is_the_latest_recorded_before_this_one(meeting):
    held = sorted(m.date.isoformat() for m in load(EXAMPLE).inventory.meetings.values())
    assert meeting in held or meeting == AS_OF
    got = pack(EXAMPLE, meeting=meeting)
    assert got["last_meeting"] == max(d for d in held if d < meeting)  # the meeting's own day is not its past


# ---------------------------------------------------------------- where the pack may go

def test_the_pack_is_never_written_where_the_workspace_reads_or_over_its_baseline(example, tmp_path, acme_result):
    into = agenda(example, "--output", str(example / "inventory" / "pack.html"))
    assert into.returncode == 2 and "which the workspace reads" in into.stderr
    assert not (example / "inventory" / "pack.html").exists()
    baseline = tmp_path / "b.json"
    baseline.write_text(json.dumps(acme_result), encoding="utf-8")
    before = baseline.read_bytes()
    over = agenda(example, "--baseline", str(baseline), "--output", str(baseline))
    assert over.returncode == 2 and "inputs" in over.stderr and baseline.read_bytes() == before


def test_the_pack_is_never_written_through_a_link(tmp_path):
    target = tmp_path / "elsewhere.html"
    link = tmp_path / "pack.html"
    link.symlink_to(target)
    ran = agenda(EXAMPLE, "--output", str(link))
    assert ran.returncode == 2 and "link" in ran.stderr and not target.exists()


# ---------------------------------------------------------------- progress against plan

def test_each_goal_with_a_plan_or_readings_shows_its_progress_as_the_check_measured_it(acme):
    got, run = acme
    goals = {g["id"]: g for g in run["strategy"]["goals"]}
    workspace = load(EXAMPLE)
    planned = {gid for gid, g in workspace.inventory.goals.items()
               if g.readings or None not in (g.start, g.due, g.baseline, g.target)}
    assert planned and [p["goal"] for p in got["progress"]] == [gid for gid in goals if gid in planned]
    marked = {c["id"] for c in run["checks"] if c["agenda"]}
    for p in got["progress"]:
        record = goals[p["goal"]]
        assert p["planned"] == (record["progress"]["plan"] if record.get("progress") else None)
        readings = workspace.inventory.goals[p["goal"]].readings or []
        assert [r["date"] for r in p["readings"]] == sorted(r.date.isoformat() for r in readings if r.date.isoformat() <= AS_OF)
        firing = {f["check"] for f in run["findings"] if f["status"] == "fail" and f["check"] in marked
                  and f["resource"] == {"kind": "goal", "id": p["goal"]}}
        assert p["checks"] == sorted(firing)
    assert any(p["checks"] for p in got["progress"]), "acme has a goal behind its plan"


# ---------------------------------------------------------------- the committee's action items

def test_open_actions_are_listed_by_owner_with_their_due_dates_overdue_marked(acme):
    got, _ = acme
    workspace = load(EXAMPLE)
    people = workspace.inventory.people
    still = sorted((a for a in workspace.inventory.actions.values() if a.status == "open"),
                   key=lambda a: (people[a.owner].name, a.owner, a.due, a.id))
    assert still and [x["id"] for x in got["actions"]] == [a.id for a in still]
    for listed, action in zip(got["actions"], still, strict=True):
        assert listed["owner_name"] == people[action.owner].name and listed["due"] == action.due.isoformat()
        assert listed["overdue"] is (action.due.isoformat() < AS_OF)
        assert listed["location"]["file"] == "inventory/actions.yaml"
    assert any(x["overdue"] for x in got["actions"]), "acme has an overdue action"


@pytest.mark.parametrize("meeting", ["2026-10-22", AS_OF])
def test_actions_closed_since_the_last_meeting_are_listed(meeting):
    workspace = load(EXAMPLE)
    got = pack(EXAMPLE, meeting=meeting)
    last = got["last_meeting"]
    expected = sorted((a.done_at.isoformat(), a.id) for a in workspace.inventory.actions.values()
                      if a.status != "open" and a.done_at and last < a.done_at.isoformat() <= meeting)
    assert [(x["done_at"], x["id"]) for x in got["closed"]] == expected
    if meeting == "2026-10-22":
        assert expected, "acme closed an action between its July and October meetings"



def test_an_action_names_the_findings_it_addresses_in_the_packs_language():
    """The open actions' "addresses" column names each resource's kind in the pack's language, never the raw key."""
    packs = {}
    for lang in ("zh", "en"):
        ran = agenda(EXAMPLE, "--format", "markdown", "--lang", lang)
        assert ran.returncode == 0, ran.stderr
        packs[lang] = ran.stdout
    assert "GOV-006 决策 dec-2026-088" in packs["zh"] and "budget_line/" not in packs["zh"]
    assert "GOV-006 decision dec-2026-088" in packs["en"] and "BUD-003 budget line bl-18" in packs["en"]
