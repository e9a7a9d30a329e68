"""The committee's view of the diagnosis chapter (handbook §1.1).

- `RunResult.diagnosis`: each value stream, core first, with its steps in order and its total time;
  hand-offs as the check observing `hand_offs` counted them; the chain pain point -> root causes ->
  projects with its gaps as the checks observing `unrooted_pain_points` and `root_cause_removal` fired;
  the benchmarks. Absent without value streams; not judged without a `diagnosis` section.
- The HTML report draws each core stream as a flow of its steps (opened in a real headless Chromium,
  in zh and en, every label inside its box), marks the hand-offs and the gaps; the Markdown report too.
- A saved result whose chain names what it does not list is exit 2, never a renderer's crash.

What acme must show is read from its workspace files here (independently of the product's models),
and what the checks said from the same run's findings.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from selenium.webdriver.common.by import By

from governance.engine import EngineError
from governance.evaluate import diagnosis
from governance.evaluate.readings import Observed
from governance.model import StrategyPolicy, ValueStream
from governance.report import _svg as svg
from governance.result import RunResult, verdict_digest
from tests.conftest import AS_OF, EXAMPLE, check, govern, make_workspace


def _inventory(name: str) -> dict:
    return YAML(typ="safe").load((EXAMPLE / "inventory" / name).read_text(encoding="utf-8"))


ACME = _inventory("diagnosis.yaml")
PROJECTS = {p["id"]: p for p in _inventory("projects.yaml")["projects"]}
HAND_OFF = {"zh": "人工交接", "en": "Hand-off"}
GAPS = {"zh": ("缺口：未找到根因", "缺口：没有进行中或待启动的项目消除它"),
        "en": ("Gap: no root cause found", "Gap: no running or upcoming project removes it")}


def hand_offs(stream: dict) -> list[str]:
    """The catalogue's definition: manual, and 2 or more systems."""
    return [s["id"] for s in stream["steps"] if s.get("manual") and len(s.get("systems", [])) >= 2]


def run(workspace: Path, *args: str) -> tuple[dict, Path]:
    out = workspace.parent / "result.json"
    proc = check(workspace, "--format", f"json={out}", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(out.read_text(encoding="utf-8")), out


@pytest.fixture(scope="module")
def acme(tmp_path_factory) -> tuple[dict, Path]:
    return run(shutil.copytree(EXAMPLE, tmp_path_factory.mktemp("diagnosis") / "acme"))


def fired(result: dict, check_id: str) -> set[str]:
    return {f["resource"]["id"] for f in result["findings"] if f["check"] == check_id}


# ---------------------------------------------------------------- the result


def test_the_streams_are_listed_core_first_with_their_steps_in_order_and_total_time(acme):
    result, _ = acme
    section = result["diagnosis"]
    written = sorted(ACME["value_streams"], key=lambda v: (not v.get("core", False), v["id"]))
    assert [v["id"] for v in section["streams"]] == [v["id"] for v in written]
    for got, want in zip(section["streams"], written, strict=True):
        assert [s["id"] for s in got["steps"]] == [s["id"] for s in want["steps"]]
        assert [s["minutes"] for s in got["steps"]] == [s.get("minutes") for s in want["steps"]]
        assert [s["error_rate"] for s in got["steps"]] == [s.get("error_rate") for s in want["steps"]]
        assert [s["systems"] for s in got["steps"]] == [s.get("systems", []) for s in want["steps"]]
        assert got["minutes"] == sum(s.get("minutes", 0) for s in want["steps"])
        assert got["timed"] == sum("minutes" in s for s in want["steps"])
        assert [s["id"] for s in got["steps"] if s["hand_off"]] == hand_offs(want)
    order = next(v for v in section["streams"] if v["id"] == "vs-order-fulfilment")
    assert order["minutes"] == 170 and [s["id"] for s in order["steps"] if s["hand_off"]] == ["inventory-check", "dispatch"]
    assert order["owner_name"] and all(s["owner_name"] for s in order["steps"])


def test_the_chains_gaps_are_the_checks_findings(acme):
    result, _ = acme
    section = result["diagnosis"]
    assert section["judged"] is True
    unrooted = {p["id"] for p in section["pain_points"] if p["unrooted"]}
    unremoved = {r["id"] for r in section["root_causes"] if r["unremoved"]}
    assert unrooted == {p["id"] for p in ACME["pain_points"] if not p.get("root_causes")} == {"pp-slow-hiring"}
    assert unrooted == fired(result, "DIA-005")
    assert unremoved == fired(result, "DIA-006") == {"rc-item-codes"}
    as_of = dt.date.fromisoformat(AS_OF)
    for cause in section["root_causes"]:
        removing = sorted(pid for pid, p in PROJECTS.items() if cause["id"] in p.get("root_causes", []))
        assert [p["id"] for p in cause["projects"]] == removing
        assert all(p["live"] == (PROJECTS[p["id"]]["end"] >= as_of) for p in cause["projects"])
    points = [p["id"] for p in section["pain_points"]]
    assert sorted(points) == sorted(p["id"] for p in ACME["pain_points"])


def test_the_benchmarks_latest_first_with_the_projects_adopting_them(acme):
    result, _ = acme
    got = result["diagnosis"]["benchmarks"]
    want = sorted(ACME["benchmarks"], key=lambda b: b["studied_at"], reverse=True)
    assert [b["id"] for b in got] == [b["id"] for b in want]
    assert [[p["id"] for p in b["adopted_by"]] for b in got] == [b.get("adopted_by", []) for b in want]
    assert all(p["name"] == PROJECTS[p["id"]]["name"] for b in got for p in b["adopted_by"])


STREAM = """\
value_streams:
  - id: vs-a
    name: 甲流程
    core: true
    owner: p-ceo
    steps:
      - {id: s1, name: 一, manual: true, systems: [sys-1, sys-2], minutes: 10}
      - {id: s2, name: 二}
pain_points:
  - {id: pp-a, value_stream: vs-a, steps: [s1], statement: 慢}
systems:
  - {id: sys-1, deployment: private}
  - {id: sys-2, deployment: private}
"""
DIAGNOSIS = """\
kind: StrategyPolicy
id: strategy-test
diagnosis: {map_interval_days: 365, max_manual_steps: 0, benchmark_interval_days: 365}
"""


def test_without_a_diagnosis_section_nothing_is_called_a_hand_off_or_a_gap_and_the_report_says_so(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"inventory/diagnosis.yaml": STREAM,
                                          "policies/strategy.yaml": "kind: StrategyPolicy\nid: s\n"})
    result, path = run(ws)
    section = result["diagnosis"]
    assert section["judged"] is False
    assert [s["hand_off"] for s in section["streams"][0]["steps"]] == [False, False]
    assert section["pain_points"][0]["unrooted"] is False
    md = govern("report", str(path), "--format", "markdown", "--lang", "en")
    assert "Hand-offs and gaps were not judged this run" in md.stdout


def test_with_a_diagnosis_section_the_same_stream_is_judged(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"inventory/diagnosis.yaml": STREAM, "policies/strategy.yaml": DIAGNOSIS})
    section = run(ws)[0]["diagnosis"]
    assert section["judged"] is True
    assert [s["hand_off"] for s in section["streams"][0]["steps"]] == [True, False]
    assert section["pain_points"][0]["unrooted"] is True
    assert section["streams"][0]["minutes"] == 10 and section["streams"][0]["timed"] == 1


@pytest.mark.parametrize("skipped", ["DIA-004", "DIA-005", "DIA-006"])
def test_with_a_check_behind_the_chain_skipped_nothing_is_judged(tmp_path, skipped):
    ws = make_workspace(tmp_path / "ws", {"inventory/diagnosis.yaml": STREAM, "policies/strategy.yaml": DIAGNOSIS})
    section = run(ws, "--skip", skipped)[0]["diagnosis"]
    assert section["judged"] is False and not any(s["hand_off"] for s in section["streams"][0]["steps"])


def test_a_workspace_without_value_streams_has_no_diagnosis_section(tmp_path):
    result, path = run(make_workspace(tmp_path / "ws", {}))
    assert result["diagnosis"] is None
    md = govern("report", str(path), "--format", "markdown", "--lang", "en")
    assert "The workspace maps no value stream." in md.stdout


def test_a_saved_result_whose_chain_names_an_unlisted_stream_is_exit_2(acme, tmp_path):
    result, _ = acme
    edited = json.loads(json.dumps(result))
    edited["diagnosis"]["pain_points"][0]["value_stream"] = "vs-nowhere"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(edited, ensure_ascii=False, indent=2), encoding="utf-8")
    proc = govern("report", str(path), "--format", "markdown")
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "vs-nowhere" in proc.stderr and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- the reports


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_shows_acmes_streams_hand_offs_and_gaps(acme, lang):
    _, path = acme
    md = govern("report", str(path), "--format", "markdown", "--lang", lang).stdout
    chapter = md[md.index("## 现状诊断" if lang == "zh" else "## Diagnosis of the current state"):]
    for v in ACME["value_streams"]:
        assert v["name"] in chapter and v["id"] in chapter
    assert chapter.count(f"⚠ {HAND_OFF[lang]}") == sum(len(hand_offs(v)) for v in ACME["value_streams"] if v.get("core"))
    assert all(gap in chapter for gap in GAPS[lang])
    assert all(b["peer"] in chapter for b in ACME["benchmarks"])


def show(browser, page: Path) -> None:
    browser.get(page.resolve().as_uri())
    assert browser.execute_script("return document.readyState") == "complete"


OUTSIDE = """
const outside = [];
for (const step of arguments[0].querySelectorAll('g.step')) {
  const box = step.querySelector('rect.box').getBBox();
  for (const t of step.querySelectorAll('text.name, text.line')) {
    const b = t.getBBox();
    if (b.x < box.x || b.x + b.width > box.x + box.width || b.y < box.y || b.y + b.height > box.y + box.height)
      outside.push(t.textContent);
  }
  const badge = step.querySelector('text.badge-word');
  if (badge && badge.getBBox().x + badge.getBBox().width > box.x + box.width) outside.push(badge.textContent);
}
const svg = arguments[0].getBBox();
return [outside, svg.width <= arguments[0].viewBox.baseVal.width + 0.5];
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_html_report_draws_each_core_stream_as_a_flow_with_its_hand_offs_and_gaps(acme, browser, tmp_path, lang):
    result, path = acme
    page = tmp_path / "report.html"
    assert govern("report", str(path), "--lang", lang, "--format", f"html={page}").returncode == 0
    show(browser, page)
    core = [v for v in result["diagnosis"]["streams"] if v["core"]]
    figures = browser.find_elements(By.CSS_SELECTOR, "#diagnosis figure[data-chart=value-stream]")
    assert [f.get_attribute("data-stream") for f in figures] == [v["id"] for v in core]
    for figure, stream in zip(figures, core, strict=True):
        chart = figure.find_element(By.CSS_SELECTOR, "svg.flow")
        names = [e.get_attribute("textContent") for e in chart.find_elements(By.CSS_SELECTOR, "g.step text.name")]
        assert names == [s["name"] for s in stream["steps"]]  # acme's names fit their boxes whole
        marked = chart.find_elements(By.CSS_SELECTOR, "g.step.hand-off text.name")
        assert [e.get_attribute("textContent") for e in marked] == [s["name"] for s in stream["steps"] if s["hand_off"]]
        assert all(e.get_attribute("textContent") == HAND_OFF[lang]
                   for e in chart.find_elements(By.CSS_SELECTOR, "g.step.hand-off text.badge-word"))
        assert len(chart.find_elements(By.CSS_SELECTOR, "g.arrow")) == len(stream["steps"]) - 1
        outside, within = browser.execute_script(OUTSIDE, chart)
        assert outside == [] and within, outside
    gaps = {e.get_attribute("data-pain-point") for e in browser.find_elements(By.CSS_SELECTOR, "tr[data-gap=no-root-cause]")}
    assert gaps == fired(result, "DIA-005")
    causes = {e.get_attribute("data-root-cause") for e in browser.find_elements(By.CSS_SELECTOR, "[data-gap=no-live-project]")}
    assert causes == fired(result, "DIA-006")
    rows = [e.get_attribute("data-benchmark") for e in browser.find_elements(By.CSS_SELECTOR, "tr[data-benchmark]")]
    assert rows == [b["id"] for b in result["diagnosis"]["benchmarks"]]
    shot = tmp_path / f"diagnosis-{lang}.png"
    assert browser.find_element(By.ID, "diagnosis").screenshot(str(shot)), "Chromium did not write the screenshot"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


LONG = {"zh": "跨部门订单人工核对、库存调拨与财务对账的全流程协同审批环节",
        "en": "Cross-team manual reconciliation of orders, stock transfers and invoices awaiting approval by finance"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_step_name_is_cut_inside_its_box_and_whole_in_its_tooltip(browser, tmp_path, lang):
    """Chinese is twice as wide as Latin text: whatever the language, a label stays inside its box."""
    stream = STREAM.replace("name: 一,", f"name: '{LONG[lang]}',").replace("minutes: 10", "minutes: 123456.75, error_rate: 0.123")
    ws = make_workspace(tmp_path / "ws", {"inventory/diagnosis.yaml": stream, "policies/strategy.yaml": DIAGNOSIS})
    _, path = run(ws)
    page = tmp_path / "report.html"
    assert govern("report", str(path), "--lang", lang, "--format", f"html={page}").returncode == 0
    show(browser, page)
    chart = browser.find_element(By.CSS_SELECTOR, "#diagnosis svg.flow")
    outside, within = browser.execute_script(OUTSIDE, chart)
    assert outside == [] and within, outside
    first = chart.find_element(By.CSS_SELECTOR, "g.step")
    assert first.find_element(By.CSS_SELECTOR, "text.name").get_attribute("textContent").endswith("…")
    assert LONG[lang] in first.find_element(By.CSS_SELECTOR, "title").get_attribute("textContent")


def test_fit_cuts_by_width_counting_a_chinese_character_as_a_full_em():
    assert svg.text_width("订单", 12) == 24 and svg.text_width("ab", 10) == pytest.approx(12.4)
    assert svg.fit("订单履约", 48, 12) == "订单履约"
    cut = svg.fit("订单履约流程", 48, 12)
    assert cut == "订单履…" and svg.text_width(cut, 12) <= 48



def test_an_observation_of_an_unexpected_shape_is_the_librarys_fault_not_a_quiet_gap():
    """Only a built-in check observes hand-offs: a reading of another shape fails the run closed (exit 3)."""
    stream = ValueStream.model_validate({"id": "vs", "owner": "p", "steps": [{"id": "s"}]})
    policy = StrategyPolicy.model_validate({"kind": "StrategyPolicy", "id": "sp", "diagnosis": {
        "map_interval_days": 1, "max_manual_steps": 0, "benchmark_interval_days": 1}})
    with pytest.raises(EngineError, match="DIA-004 observed the diagnosis in an unexpected shape"):
        diagnosis.summarize(policy, {"vs": stream}, {}, {}, {}, {}, {}, [], hand_offs=Observed("DIA-004", {"vs": "s"}),
                            unrooted_by="DIA-005", removal=Observed("DIA-006", {}))


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_result_saved_before_the_diagnosis_was_recorded_says_so_not_that_no_stream_exists(acme, tmp_path, fmt):
    result, _ = acme
    # as a result saved then was: no action items, no diagnosis, its digest made with the coverage it had (2)
    older = {k: v for k, v in result.items() if k not in ("diagnosis", "actions")}
    older["verdict"] = {"digest": verdict_digest(RunResult.model_validate(older), 2), "covers": 2}
    path = tmp_path / "older.json"
    path.write_text(json.dumps(older, ensure_ascii=False, indent=2), encoding="utf-8")
    out = tmp_path / "report.out"
    proc = govern("report", str(path), "--lang", "en", "--format", f"{fmt}={out}")
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    assert "This result was saved before results recorded the diagnosis" in page
    assert "The workspace maps no value stream." not in page
