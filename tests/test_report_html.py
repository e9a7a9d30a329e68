"""The committee's HTML report, opened in a real headless Chromium.

Each page is `govern report --format html=…` of a golden result of
examples/acme (tests/golden: real `govern check` runs, kept fresh by
tests/test_golden.py), so no OPA runs here but for one test that `check`
writes the very page `report` gives again. What the page must show is taken
from the JSON result it renders, never hard-coded, because the example's
findings evolve. Only the translated headings and status words are fixed here:
they are the page's own contract. Chromium missing is a failure, not a skip
(`make test` installs it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from tests import golden
from tests.conftest import AS_OF, check, govern
from tests.reports_support import saved

HEADINGS = {
    "zh": {"domains": "按领域通过情况", "changes": "自上次评审以来的变化", "findings": "按严重程度的发现",
           "budget": "预算结构：实际占比与目标区间", "strategy": "战略与规划", "waivers": "豁免", "controls": "控制项",
           "evidence": "评估证据"},
    "en": {"domains": "Pass/fail by domain", "changes": "Changes since the last review", "findings": "Findings by severity",
           "budget": "Budget allocation: actual shares against target bands", "strategy": "Strategy and planning",
           "waivers": "Waivers",
           "controls": "Controls", "evidence": "Evidence"},
}
STATUS = {"zh": {"pass": "通过", "fail": "未通过", "not_applicable": "不适用", "advisory": "通过（有提示）"},
          "en": {"pass": "Pass", "fail": "Fail", "not_applicable": "Not applicable", "advisory": "Pass with advisories"}}
VERDICT = {"zh": {"pass": "通过", "fail": "未通过"}, "en": {"pass": "Pass", "fail": "Fail"}}
ADVISORIES = {"zh": "提示", "en": "Advisories"}


def is_advisory(f: dict, r: dict) -> bool:
    """An unwaived info finding cannot fail the run (unless --fail-on info): the page lists it apart."""
    return f["status"] == "fail" and f["severity"] == "info" and r["fail_on"] != "info"


def standing(c: dict, r: dict) -> str:
    """A check as the page reads it: failing on advisories alone, it passes with advisories."""
    return "advisory" if c["status"] == "fail" and c["severity"] == "info" and r["fail_on"] != "info" else c["status"]


def said(f: dict, lang: str) -> str:
    return (f.get("message_zh") or f["message"]) if lang == "zh" else f["message"]


# ---------------------------------------------------------------- browser (the `browser` fixture: conftest.py)

def show(driver, page: Path, screenshot: Path | None = None):
    """Load a report from disk; with `screenshot`, save the whole page as a PNG."""
    driver.get(page.resolve().as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    if screenshot:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, height)
        assert driver.save_screenshot(str(screenshot)), "Chromium did not write the screenshot"
        driver.set_window_size(1280, 900)
        assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
    return driver


def text(driver, css: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, css).text.strip()


def texts(driver, css: str) -> list[str]:
    return [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, css)]


def attrs(driver, css: str, name: str) -> list[str]:
    return [e.get_attribute(name) for e in driver.find_elements(By.CSS_SELECTOR, css)]


# ---------------------------------------------------------------- the example's page, in both languages

class Page:
    def __init__(self, lang: str, html: Path, result: dict, returncode: int, screenshot: Path):
        self.lang, self.html, self.result, self.returncode, self.screenshot = lang, html, result, returncode, screenshot


def report_page(name: str, folder: Path, lang: str) -> tuple[dict, Path]:
    """The golden result `name` and its HTML page in `lang`, written by `govern report`."""
    html = folder / "out" / "report.html"
    proc = govern("report", str(saved(name, folder)), "--lang", lang, "--format", f"html={html}")
    assert proc.returncode == 0, proc.stderr
    return golden.data(name), html


@pytest.fixture(scope="module", params=["zh", "en"])
def page(request, tmp_path_factory, browser) -> Page:
    lang = request.param
    root = tmp_path_factory.mktemp(f"html-{lang}")
    result, html = report_page("acme", root, lang)
    shot = root / f"report-{lang}.png"
    show(browser, html, shot)
    return Page(lang, html, result, golden.exit_code("acme"), shot)


def test_headline_shows_the_runs_verdict_and_counts(page, browser):
    show(browser, page.html)
    r = page.result
    verdict = "fail" if page.returncode == 1 else "pass"
    assert browser.find_element(By.ID, "verdict").get_attribute("data-verdict") == verdict
    assert text(browser, ".verdict-word") == VERDICT[page.lang][verdict]
    advisories = [f for f in r["findings"] if is_advisory(f, r)]
    assert advisories, "examples/acme has info findings, shown as advisories"
    assert int(text(browser, "[data-stat=failing]")) == r["summary"]["fail"] - len(advisories) \
        == sum(f["status"] == "fail" and not is_advisory(f, r) for f in r["findings"])
    assert int(text(browser, "[data-stat=advisories]")) == len(advisories) == r["summary"]["advisories"]
    assert int(text(browser, "[data-stat=waived]")) == r["summary"]["waived"]
    assert int(text(browser, "[data-stat=checks-pass]")) == sum(c["status"] == "pass" for c in r["checks"])
    assert int(text(browser, "[data-stat=checks-fail]")) == sum(standing(c, r) == "fail" for c in r["checks"]) \
        == sum(c["status"] == "fail" for c in r["checks"]) - 2  # acme's two info checks have advisories only
    assert int(text(browser, "[data-stat=checks-advisory]")) == 2
    pills = {e.get_attribute("data-severity"): int(e.find_element(By.TAG_NAME, "b").text)
             for e in browser.find_elements(By.CSS_SELECTOR, "#verdict .pill")}
    failing = {s: n - sum(f["severity"] == s for f in advisories) for s, n in r["summary"]["by_severity"].items()}
    assert pills == {s: n for s, n in failing.items() if n}


@pytest.mark.parametrize("width", [1280, 760])
def test_the_location_column_never_breaks_a_file_name(page, browser, width):
    """A path may wrap between its folders, never inside a name (not at a hyphen either)."""
    browser.set_window_size(width, 900)
    try:
        show(browser, page.html)
        cells = browser.find_elements(By.CSS_SELECTOR, "[data-table=findings] td.location")
        located = [f for f in page.result["findings"] if f["location"] and not is_advisory(f, page.result)]
        assert [c.text for c in cells if c.text != "—"] == [f"{f['location']['file']}:{f['location']['line']}"
                                                           for f in located]
        assert any("-" in f["location"]["file"] for f in located)  # acme's inventory/governance-records.yaml
        lines = browser.execute_script(
            "return [...document.querySelectorAll('td.location .seg')].map(e => e.getClientRects().length)")
        assert lines and set(lines) == {1}
    finally:
        browser.set_window_size(1280, 900)


def test_every_domain_card_shows_pass_or_fail_with_its_counts(page, browser):
    show(browser, page.html)
    r = page.result
    domains = sorted({c["domain"] for c in r["checks"]})
    assert {"committee", "budget", "classification", "placement", "mlps", "waivers"} <= set(domains)
    cards = attrs(browser, "[data-domain]", "data-domain")
    assert cards[:6] == ["committee", "budget", "classification", "placement", "mlps", "waivers"]
    assert sorted(cards) == domains
    for domain in domains:
        checks = [c for c in r["checks"] if c["domain"] == domain]
        ids = {c["id"] for c in checks}
        states = [standing(c, r) for c in checks]
        status = next((s for s in ("fail", "advisory", "pass") if s in states), "not_applicable")
        card = f"[data-domain='{domain}']"
        assert browser.find_element(By.CSS_SELECTOR, card).get_attribute("data-status") == status
        assert text(browser, f"{card} [data-field=status]") == STATUS[page.lang][status]
        assert int(text(browser, f"{card} [data-field=failing]")) == sum(
            f["status"] == "fail" and f["check"] in ids and not is_advisory(f, r) for f in r["findings"])
        assert int(text(browser, f"{card} [data-field=waived]")) == sum(
            f["status"] == "waived" and f["check"] in ids for f in r["findings"])
        for field, state in (("checks-pass", "pass"), ("checks-fail", "fail"), ("checks-na", "not_applicable")):
            assert int(text(browser, f"{card} [data-field={field}]")) == states.count(state), (domain, field)
        shown = browser.find_elements(By.CSS_SELECTOR, f"{card} [data-field=checks-advisory]")
        assert [int(e.text) for e in shown] == ([states.count("advisory")] if "advisory" in states else [])
    assert any(c["status"] == "fail" for c in r["checks"]), "examples/acme is meant to show failing domains"


def test_findings_table_and_severity_chart_list_every_finding(page, browser):
    show(browser, page.html)
    r = page.result
    for table, group in (("findings", [f for f in r["findings"] if not is_advisory(f, r)]),
                         ("advisories", [f for f in r["findings"] if is_advisory(f, r)])):
        rows = browser.find_elements(By.CSS_SELECTOR, f"[data-table={table}] tbody tr")
        assert [(e.get_attribute("data-check"), e.get_attribute("data-status")) for e in rows] == \
            [(f["check"], f["status"]) for f in group]
        for row, f in zip(rows, group, strict=True):
            cells = row.find_elements(By.TAG_NAME, "td")
            assert f["resource"]["id"] in cells[2].text and said(f, page.lang) in cells[3].text
            if f["location"]:
                assert cells[4].text == f"{f['location']['file']}:{f['location']['line']}"
    assert text(browser, "#advisories") == ADVISORIES[page.lang]
    chart = browser.find_element(By.CSS_SELECTOR, "#findings svg.chart")
    notes = [e.text for e in chart.find_elements(By.CSS_SELECTOR, "text.note")]
    fail_word, waived_word = STATUS[page.lang]["fail"], {"zh": "已豁免", "en": "Waived"}[page.lang]

    def count(s: str, status: str) -> int:
        return sum(f["severity"] == s and f["status"] == status and not is_advisory(f, r) for f in r["findings"])

    expected = []
    for s in ("critical", "high", "medium", "low", "info"):
        advice = sum(f["severity"] == s and is_advisory(f, r) for f in r["findings"])
        expected.append(f"{count(s, 'fail')} {fail_word} · {count(s, 'waived')} {waived_word}"
                        + (f" · {advice} {ADVISORIES[page.lang]}" if advice else ""))
    assert notes == expected


def test_headings_and_control_titles_are_in_the_page_language(page, browser):
    show(browser, page.html)
    r = page.result
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == {"zh": "zh-CN", "en": "en"}[page.lang]
    labels = HEADINGS[page.lang]
    expected = [labels[k] for k in ("domains", "findings", "budget", "strategy", "waivers")]
    expected += [labels["controls"]] if r["controls"] else []
    assert texts(browser, "h2") == expected + [labels["evidence"]]
    assert r["controls"], "examples/acme declares controls"
    shown = {e.get_attribute("data-control"): e.find_element(By.CSS_SELECTOR, ".control-title").text
             for e in browser.find_elements(By.CSS_SELECTOR, "[data-control]")}
    assert shown == {c["id"]: c["title"][page.lang] for c in r["controls"]}
    # every label the page writes itself (not the data it quotes) is in the page's language
    cjk = re.compile(r"[\u4e00-\u9fff]")
    builtin = {"committee", "budget", "classification", "placement", "mlps", "waivers"}
    custom_domains = {c["domain"] for c in r["checks"]} - builtin
    labels_shown = [t for t in texts(browser, "h2, h3, th, dt, figcaption > span:first-child, .legend li, .card dd")
                    if t not in custom_domains]  # a workspace's own domain is shown by its name
    assert labels_shown
    for label in labels_shown:
        if page.lang == "zh" and not re.search(r"\d", label):
            assert cjk.search(label), label
        if page.lang == "en":
            assert not cjk.search(label), label


def test_budget_chart_shows_each_phases_shares_and_agrees_with_bud_002(page, browser):
    show(browser, page.html)
    budget = page.result["budget"]
    assert [p["id"] for p in budget["phases"]] == attrs(browser, "#budget figure.phase", "data-phase")
    flagged = {f["resource"]["id"] for f in page.result["findings"] if f["check"] == "BUD-002"}
    for phase in budget["phases"]:
        figure = browser.find_element(By.CSS_SELECTOR, f"#budget figure[data-phase='{phase['id']}']")
        notes = [e.text for e in figure.find_elements(By.CSS_SELECTOR, "svg text.note")]
        assert len(notes) == (len(set(phase["shares"]) | set(phase["targets"])) if phase["total"] else 0)
        for share in phase["shares"].values():
            assert any(n.startswith(f"{share * 100:.1f}%") for n in notes)
        assert f"{phase['total']:,.0f}" in figure.find_element(By.TAG_NAME, "figcaption").text
        assert len(figure.find_elements(By.CSS_SELECTOR, "rect.band")) == len(phase["targets"])
        if phase["targets"] and phase["lines"]:
            # the page's in/out-of-band verdict uses BUD-002's rule; the real check must agree
            assert (int(figure.get_attribute("data-off")) > 0) == (phase["id"] in flagged), phase["id"]


TIERS = {"zh": {"strategic": "战略层", "business": "业务层", "execution": "执行层"},
         "en": {"strategic": "Strategic", "business": "Business", "execution": "Execution"}}


def test_strategy_section_shows_the_goal_tree_with_overdue_goals_marked(page, browser):
    show(browser, page.html)
    r = page.result
    goals = r["strategy"]["goals"]
    rows = browser.find_elements(By.CSS_SELECTOR, "table.goals tbody tr")
    assert [(e.get_attribute("data-goal"), int(e.get_attribute("data-depth"))) for e in rows] == \
        [(g["id"], g["depth"]) for g in goals]
    # a tree: each goal sits under the nearest row above it one level up, which is its parent
    for i, g in enumerate(goals):
        if g["depth"]:
            above = next(p for p in reversed(goals[:i]) if p["depth"] == g["depth"] - 1)
            assert above["id"] == g["parent"], g["id"]
    overdue = {f["resource"]["id"] for f in r["findings"] if f["check"] == "STR-004"}
    assert overdue, "examples/acme has an overdue goal (STR-004)"
    assert set(attrs(browser, "table.goals tr[data-overdue=true]", "data-goal")) == overdue
    for row, g in zip(rows, goals, strict=True):
        cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
        assert g["statement"] in cells[0] and cells[1] == TIERS[page.lang][g["tier"]]
        assert (g["owner_name"] or "—") in cells[2] and (g["due"] or "—") in cells[3]
        assert all(p in cells[5] for p in g["projects"])


def test_maturity_chart_draws_the_latest_level_against_the_previous(page, browser):
    show(browser, page.html)
    st = page.result["strategy"]
    latest, previous = st["latest"], st["previous"]
    assert latest and previous, "examples/acme has two assessments a year apart"
    chart = browser.find_element(By.CSS_SELECTOR, "[data-chart=maturity] svg.chart")
    bars = chart.find_elements(By.CSS_SELECTOR, "rect.maturity")
    widths = [float(b.get_attribute("width")) for b in bars]
    scores = [latest["scores"][d] for d in st["dimensions"]]
    assert len(widths) == len(scores) == 4
    unit = widths[0] / scores[0]
    assert widths == pytest.approx([s * unit for s in scores])
    marks = [float(m.get_attribute("x1")) for m in chart.find_elements(By.CSS_SELECTOR, "line.mark")]
    left = float(bars[0].get_attribute("x"))
    assert marks == pytest.approx([left + previous["scores"][d] * unit for d in st["dimensions"]])
    notes = [e.text for e in chart.find_elements(By.CSS_SELECTOR, "text.note")]
    for note, d in zip(notes, st["dimensions"], strict=True):
        change = latest["scores"][d] - previous["scores"][d]
        assert f"{change:+d}" in note


def test_pilot_scope_is_shown_against_max_projects(page, browser):
    show(browser, page.html)
    pilot = page.result["strategy"]["pilot"]
    assert pilot, "examples/acme's strategy policy sets a pilot"
    p = browser.find_element(By.CSS_SELECTOR, "#strategy p.pilot")
    assert int(p.get_attribute("data-running")) == len(pilot["running"])
    assert int(p.get_attribute("data-max")) == pilot["max_projects"]
    assert ("bad" in p.get_attribute("class")) == (len(pilot["running"]) > pilot["max_projects"])
    assert attrs(browser, "#strategy p.pilot code", "textContent") == pilot["running"]


def test_waivers_section_lists_expired_and_those_expiring_before_the_next_meeting(page, browser):
    show(browser, page.html)
    as_of = dt.date.fromisoformat(page.result["as_of"])
    cadence = page.result["cadence_days"]  # acme's committee sets none: its max_meeting_gap_days
    left = {w["id"]: (dt.date.fromisoformat(w["expires"]) - as_of).days for w in page.result["waivers"]}
    assert attrs(browser, "ul.expiring li", "data-waiver") == [w for w, n in left.items() if 0 <= n <= cadence]
    assert attrs(browser, "ul.expired li", "data-waiver") == [w for w, n in left.items() if n < 0] != []
    assert attrs(browser, "table.waivers tbody tr", "data-waiver") == [w["id"] for w in page.result["waivers"]]
    assert attrs(browser, "table.waivers tbody tr", "data-valid") == [str(w["valid"]).lower() for w in page.result["waivers"]]


def test_footer_carries_the_evidence(page, browser):
    show(browser, page.html)
    r = page.result
    assert text(browser, "[data-evidence=tool]") == f"{r['tool']['name']} {r['tool']['version']}"
    assert text(browser, "[data-evidence=opa]") == r["engine"]["opa_version"]
    assert text(browser, "[data-evidence=policy-revision]") == r["engine"]["policy_revision"]
    assert text(browser, "[data-evidence=as-of]") == r["as_of"] == AS_OF
    assert text(browser, "[data-evidence=started]") == r["run"]["started_at"]
    assert text(browser, "[data-evidence=finished]") == r["run"]["finished_at"]
    assert int(text(browser, "[data-evidence=inputs]")) == len(r["inputs"])
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.hashes tr")) == len(r["inputs"])


def test_page_is_self_contained_and_loads_nothing(page, browser):
    source = page.html.read_text(encoding="utf-8")
    refs = _References()
    refs.feed(source)
    assert refs.tags.isdisjoint({"script", "link", "iframe", "img", "object", "embed"}), refs.tags
    assert not [v for v in refs.urls if re.match(r"\s*(https?:)?//", v, re.I)], refs.urls
    assert not re.search(r"url\(|@import|https?://", source, re.I)
    assert screenshot_ok(page.screenshot)
    browser.get_log("performance")  # drop what earlier pages logged
    browser.get_log("browser")
    show(browser, page.html)
    requested = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested.append(message["params"]["request"]["url"])
    # chrome:// is the browser's own UI (new-tab page), not something the report asked for
    assert [u for u in requested if not u.startswith("chrome://")] == [page.html.resolve().as_uri()]
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_no_changes_section_without_a_baseline(page, browser):
    show(browser, page.html)
    assert page.result["resolved"] is None
    assert browser.find_elements(By.ID, "changes") == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rendering_the_saved_json_again_gives_the_same_bytes(example, opa_binary, tmp_path, lang):
    """The page `check` writes is the page `report` gives again from the run's JSON, byte for byte."""
    html, result = tmp_path / "out" / "report.html", tmp_path / "out" / "result.json"
    proc = check(example, "--lang", lang, "--format", f"json={result}", "--format", f"html={html}")
    assert proc.returncode in (0, 1), proc.stderr
    again = []
    for name in ("a.html", "b.html"):
        proc = govern("report", str(result), "--lang", lang, "--format", f"html={tmp_path / name}")
        assert proc.returncode == 0, proc.stderr
        again.append((tmp_path / name).read_bytes())
    assert again[0] == again[1] == html.read_bytes()


def screenshot_ok(png: Path) -> bool:
    return png.is_file() and png.read_bytes()[:4] == b"\x89PNG"


class _References(HTMLParser):
    """Every tag name and every src/href/xlink:href/action value in a page."""

    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attributes):
        self.tags.add(tag)
        self.urls += [v or "" for k, v in attributes if k in ("src", "href", "xlink:href", "action", "srcset")]


# ---------------------------------------------------------------- changed workspaces

def test_expiring_waiver_and_a_phase_out_of_its_band(browser, tmp_path):
    # the example plus a pilot project far over its technology band, waived until 2026-12-10
    result, html = report_page("acme-expiring", tmp_path, "en")
    waiver = next(w for w in result["waivers"] if w["id"] == "wv-test-soon")
    assert waiver["valid"] and waiver["applied"] == 1, waiver
    pilot = next(p for p in result["budget"]["phases"] if p["id"] == "pilot")
    assert pilot["shares"]["technology"] > pilot["targets"]["technology"] + result["budget"]["tolerance_pp"] / 100

    show(browser, html, tmp_path / "report-changed.png")
    assert attrs(browser, "ul.expiring li", "data-waiver") == ["wv-2026-023", "wv-test-soon"]  # within acme's 90 days
    assert "15 day(s) left" in text(browser, "ul.expiring li[data-waiver='wv-test-soon']")
    row = browser.find_element(By.CSS_SELECTOR, "[data-table=findings] tr[data-check='BUD-007'][data-status=waived]")
    assert "wv-test-soon" in row.text
    assert int(text(browser, "[data-domain=budget] [data-field=waived]")) == sum(
        f["status"] == "waived" and f["check"].startswith("BUD-") for f in result["findings"])
    figure = browser.find_element(By.CSS_SELECTOR, "#budget figure[data-phase='pilot']")
    assert int(figure.get_attribute("data-off")) == 1
    assert any(n.endswith("out of band") and n.startswith(f"{pilot['shares']['technology'] * 100:.1f}%")
               for n in texts(figure, "svg text.note"))
    assert figure.find_elements(By.CSS_SELECTOR, "rect.share-off")
    bud002 = [f for f in result["findings"] if f["check"] == "BUD-002" and f["resource"]["id"] == "pilot"]
    assert bud002, "BUD-002 must flag the phase the chart shows out of band"
    assert "BUD-002" in figure.find_element(By.TAG_NAME, "figcaption").text


def test_changes_since_the_baseline_show_new_and_resolved(browser, tmp_path):
    # the example without its waivers (their WAV findings go) and with a dataset no system holds (a new
    # finding), checked against a baseline of the example as it is
    result, html = report_page("acme-changes", tmp_path, "zh")
    new = [f for f in result["findings"] if f["baseline"] == "new"]
    assert new and result["resolved"], "the edit must both add and resolve findings"

    show(browser, html, tmp_path / "report-baseline.png")
    assert text(browser, "#changes h2") == HEADINGS["zh"]["changes"]
    assert int(text(browser, "[data-stat=new]")) == len(new)
    assert int(text(browser, "[data-stat=existing]")) == sum(f["baseline"] == "existing" for f in result["findings"])
    assert int(text(browser, "[data-stat=resolved]")) == len(result["resolved"])
    assert attrs(browser, "[data-table=new] tbody tr", "data-check") == [f["check"] for f in new]
    assert attrs(browser, "[data-table=resolved] tbody tr", "data-check") == [f["check"] for f in result["resolved"]]
    assert any(f["resource"]["id"] == "ds-test-orphan" for f in new)
    assert {f["check"] for f in result["resolved"]} >= {"WAV-005"}
