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
from tests.reports_support import acme_budget, saved

HEADINGS = {
    "zh": {"domains": "按领域通过情况", "changes": "自上次评审以来的变化", "findings": "按严重程度的发现",
           "budget": "预算：计划与实际支出", "strategy": "战略与规划", "diagnosis": "现状诊断",
           "waivers": "豁免", "controls": "控制项",
           "evidence": "评估证据"},
    "en": {"domains": "Pass/fail by domain", "changes": "Changes since the last review", "findings": "Findings by severity",
           "budget": "Budget: plan and actual spend", "strategy": "Strategy and planning",
           "diagnosis": "Diagnosis of the current state", "waivers": "Waivers",
           "controls": "Controls", "evidence": "Evidence"},
}
STATUS = {"zh": {"pass": "通过", "fail": "未通过", "not_applicable": "不适用", "advisory": "通过但有提示"},
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

def show(driver, page: Path, screenshot: Path | None = None, *, fresh: bool = False):
    """Load a report from disk; with `screenshot`, save the whole page as a PNG.

    A page the browser shows already is not loaded again (`fresh` does): loading is most of what a
    page costs Chromium, no test changes the page it reads, and a test that resizes the window or
    emulates print puts that back (Chromium lays the page out again on its own)."""
    uri = page.resolve().as_uri()
    if fresh or screenshot or driver.current_url != uri:
        driver.get(uri)
    assert driver.execute_script("return document.readyState") == "complete"
    if screenshot:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, height)
        assert driver.save_screenshot(str(screenshot)), "Chromium did not write the screenshot"
        driver.set_window_size(1280, 900)
        assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
    return driver


# Read in one script each, not a WebDriver round trip per element (each costs Chromium and the driver a
# request): the rendered text as Chromium lays it out (innerText; an SVG element's text content) and an
# attribute, or a property such as textContent.
_TEXTS = ("return [...document.querySelectorAll(arguments[0])].map(e => "
          "(e.innerText ?? e.textContent.replace(/\\s+/g, ' ')).trim())")  # SVG text has no innerText
_ATTRS = ("return [...document.querySelectorAll(arguments[0])].map(e => "
          "e.hasAttribute(arguments[1]) || !(arguments[1] in e) ? e.getAttribute(arguments[1]) : String(e[arguments[1]]))")


def text(driver, css: str) -> str:
    found = texts(driver, css)
    assert found, f"nothing on the page matches {css}"
    return found[0]


def texts(driver, css: str) -> list[str]:
    return driver.execute_script(_TEXTS, css)


def attrs(driver, css: str, name: str) -> list[str]:
    return driver.execute_script(_ATTRS, css, name)


def cells(driver, css: str) -> list[list[str]]:
    """The text of each `td` of each row `css` matches, row by row."""
    return driver.execute_script("return [...document.querySelectorAll(arguments[0])].map(r => "
                                 "[...r.querySelectorAll('td')].map(c => c.innerText.trim()))", css)


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
        cells = texts(browser, "[data-table=findings] td.location")
        located = [f for f in page.result["findings"] if f["location"] and not is_advisory(f, page.result)]
        assert [c for c in cells if c != "—"] == [f"{f['location']['file']}:{f['location']['line']}"
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
        rows = f"[data-table={table}] tbody tr"
        assert list(zip(attrs(browser, rows, "data-check"), attrs(browser, rows, "data-status"), strict=True)) == \
            [(f["check"], f["status"]) for f in group]
        for row, f in zip(cells(browser, rows), group, strict=True):
            assert f["resource"]["id"] in row[2] and said(f, page.lang) in row[3]
            if f["location"]:
                assert row[4] == f"{f['location']['file']}:{f['location']['line']}"
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
    expected = [labels[k] for k in ("domains", "findings", "budget", "strategy", "diagnosis", "waivers")]
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


BUDGET_TITLES = {"zh": ("预算计划（预算行）的类别占比", "实际支出的类别占比"),
                 "en": ("planned shares by category (budget lines)", "actual spend shares by category")}


def test_each_budget_chart_title_says_whether_it_shows_the_plan_or_the_spend(page, browser):
    show(browser, page.html)
    planned, spent = BUDGET_TITLES[page.lang]
    plan_titles = [e.get_attribute("aria-label") for e in browser.find_elements(By.CSS_SELECTOR, "#budget figure.phase svg")]
    spend_titles = [e.get_attribute("aria-label")
                    for e in browser.find_elements(By.CSS_SELECTOR, "#budget figure.phase-spend svg")]
    assert plan_titles and all(planned in title for title in plan_titles)
    assert spend_titles and all(spent in title for title in spend_titles)
    assert not any("实际" in title or "actual" in title.lower() for title in plan_titles)


def test_budget_spend_against_plan_and_burn_match_the_example_files(page, browser):
    """Plan against spend per category and phase, and each running project's burn, as counted from acme's
    YAML and CSV here (reports_support.acme_budget), not read back from the result."""
    show(browser, page.html)
    expected = acme_budget()
    by_category = texts(browser, "#budget figure[data-chart=spend-by-category] svg text.note")
    categories = [c for c in ("technology", "talent", "operations") if c in expected.planned]
    assert len(by_category) == len(categories)
    for note, cat in zip(by_category, categories, strict=True):
        assert f"{expected.spent[cat]:,.0f}" in note and f"{expected.planned[cat]:,.0f}" in note
        assert f"{expected.spent[cat] / expected.planned[cat] * 100:.1f}%" in note
    by_phase = texts(browser, "#budget figure[data-chart=spend-by-phase] svg text.note")
    for note, phase in zip(by_phase, ("pilot", "scale_up", "deepen"), strict=True):
        assert f"{expected.phase_spent[phase]:,.0f}" in note and f"{expected.phase_planned[phase]:,.0f}" in note
    for phase, spent in expected.phase_spent.items():
        caption = text(browser, f"#budget figure[data-spend-phase='{phase}'] figcaption")
        assert f"{spent:,.0f}" in caption
    projects = attrs(browser, "#budget table.burn tbody tr", "data-project")
    assert sorted(projects) == sorted(expected.running)
    for project, row in zip(projects, cells(browser, "#budget table.burn tbody tr"), strict=True):
        lines, spent, elapsed, days = expected.running[project]
        assert row[2] == f"{lines:,.0f}" and row[4] == f"{spent:,.0f}"
        assert row[5] == f"{spent / lines * 100:.1f}%"
        assert f"{elapsed}" in row[7] and f"{days}" in row[7] and f"{elapsed / days * 100:.1f}%" in row[7]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#budget figure[data-chart=burn] svg line.mark")) == len(projects)
    over = "#budget table.overspent tbody tr"
    assert attrs(browser, over, "data-line") == [line for line, _, _ in expected.overspent] != []
    bud003 = {f["resource"]["id"] for f in page.result["findings"] if f["check"] == "BUD-003"}
    for row, (line, amount, spent) in zip(cells(browser, over), expected.overspent, strict=True):
        assert row[3:6] == [f"{amount:,.0f}", f"{spent:,.0f}", f"{spent - amount:,.0f}"]
        assert ("BUD-003" in row[6]) == (line in bud003)


TIERS = {"zh": {"strategic": "战略层", "business": "业务层", "execution": "执行层"},
         "en": {"strategic": "Strategic", "business": "Business", "execution": "Execution"}}


def test_strategy_section_shows_the_goal_tree_with_overdue_goals_marked(page, browser):
    show(browser, page.html)
    r = page.result
    goals = r["strategy"]["goals"]
    rows = "table.goals tbody tr"
    assert list(zip(attrs(browser, rows, "data-goal"), map(int, attrs(browser, rows, "data-depth")), strict=True)) == \
        [(g["id"], g["depth"]) for g in goals]
    # a tree: each goal sits under the nearest row above it one level up, which is its parent
    for i, g in enumerate(goals):
        if g["depth"]:
            above = next(p for p in reversed(goals[:i]) if p["depth"] == g["depth"] - 1)
            assert above["id"] == g["parent"], g["id"]
    overdue = {f["resource"]["id"] for f in r["findings"] if f["check"] == "STR-004"}
    assert overdue, "examples/acme has an overdue goal (STR-004)"
    assert set(attrs(browser, "table.goals tr[data-overdue=true]", "data-goal")) == overdue
    for row, g in zip(cells(browser, rows), goals, strict=True):
        assert g["statement"] in row[0] and row[1] == TIERS[page.lang][g["tier"]]
        assert (g["owner_name"] or "—") in row[2] and (g["due"] or "—") in row[3]
        assert all(p in row[5] for p in g["projects"])
        # the latest reading against the plan, as STR-011 measured it
        progress = g.get("progress")
        assert row[6] == "—" if progress is None else row[6].startswith(f"{progress['value']} / {progress['plan']}")


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


def test_a_waivers_requester_and_approver_are_shown_by_name_and_id(page, browser):
    show(browser, page.html)
    people = {w["requested_by"]: w["requested_by_name"] for w in page.result["waivers"]}
    people |= {w["approved_by"]: w["approved_by_name"] for w in page.result["waivers"]}
    assert "王伟" in people.values()  # acme's CEO, approver of its waivers

    def named(id_: str) -> str:  # 名字（id） in Chinese, as the checks' messages name a person; Name (id) in English
        return f"{people[id_]}（{id_}）" if page.lang == "zh" else f"{people[id_]} ({id_})"

    for w, row in zip(page.result["waivers"], browser.find_elements(By.CSS_SELECTOR, "table.waivers tbody tr"),
                      strict=True):
        said = row.find_elements(By.TAG_NAME, "td")[3].text
        assert said.startswith(f"{named(w['requested_by'])} → {named(w['approved_by'])}"), said
    for item in browser.find_elements(By.CSS_SELECTOR, "ul.expired li"):
        w = next(w for w in page.result["waivers"] if w["id"] == item.get_attribute("data-waiver"))
        assert named(w["approved_by"]) in item.text


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
    show(browser, page.html, fresh=True)
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
               for n in texts(browser, "#budget figure[data-phase='pilot'] svg text.note"))
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


# ---------------------------------------------------------------- the committee's meeting pack (govern agenda)

A4_PRINTED = (186 / 25.4 * 96, 269 / 25.4 * 96)  # A4 less the page's margins (report.css @page), in CSS pixels
PACK_WORDS = {"zh": {"items": "待决事项", "progress": "进展"},
              "en": {"items": "Items needing a decision", "progress": "Progress"}}


@pytest.fixture(scope="module", params=["zh", "en"])
def agenda_page(request, tmp_path_factory, browser) -> Page:
    """The meeting pack of examples/acme at AS_OF in both languages, with its JSON and a screenshot."""
    from tests.conftest import EXAMPLE, shared_opa

    lang = request.param
    root = tmp_path_factory.mktemp(f"agenda-{lang}")
    html, data = root / "agenda.html", {}
    for fmt, out in (("html", html), ("json", root / "agenda.json")):
        proc = govern("agenda", str(EXAMPLE), "--meeting", AS_OF, "--opa-url", shared_opa(), "--lang", lang,
                      "--format", fmt, "--output", str(out))
        assert proc.returncode == 0, proc.stderr
    data = json.loads((root / "agenda.json").read_text(encoding="utf-8"))
    shot = root / f"agenda-{lang}.png"
    show(browser, html, shot)
    return Page(lang, html, data, 0, shot)


def test_the_packs_page_one_has_the_verdict_the_counts_and_the_items_to_decide(agenda_page, browser):
    show(browser, agenda_page.html)
    a = agenda_page.result
    assert browser.find_element(By.CSS_SELECTOR, "#glance .verdict-word").get_attribute("data-verdict") == a["verdict"]
    assert text(browser, "#glance .verdict-word") == VERDICT[agenda_page.lang][a["verdict"]]
    assert int(browser.find_element(By.CSS_SELECTOR, "#glance .decide").get_attribute("data-items")) == len(a["items"])
    assert attrs(browser, "#glance ol.groups li", "data-group") == [g["id"] for g in a["groups"]]
    assert text(browser, "#items h2") == PACK_WORDS[agenda_page.lang]["items"]
    assert text(browser, "#progress h2") == PACK_WORDS[agenda_page.lang]["progress"]
    assert screenshot_ok(agenda_page.screenshot)


def test_the_packs_items_name_their_owner_date_and_location(agenda_page, browser):
    show(browser, agenda_page.html)
    items = agenda_page.result["items"]
    rows = browser.find_elements(By.CSS_SELECTOR, "table.items tbody tr")
    assert [r.get_attribute("data-check") for r in rows] == [i["check"] for i in items]
    for row, item in zip(rows, items, strict=True):
        assert item["owner_name"] in row.find_element(By.CSS_SELECTOR, "td.owner").text
        assert item["location"]["file"] in row.find_element(By.CSS_SELECTOR, "td.location").text
        if item["date"]:
            assert item["date"] in row.find_element(By.CSS_SELECTOR, "td.date").text


def test_the_packs_page_one_stands_alone_on_a_printed_a4_page(agenda_page, browser):
    show(browser, agenda_page.html)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    width, height = A4_PRINTED
    browser.set_window_size(int(width) + 16, 900)
    try:
        style = browser.execute_script("return getComputedStyle(document.getElementById('page-one')).breakAfter")
        assert style == "page"
        tall = browser.execute_script("return document.getElementById('page-one').getBoundingClientRect().height")
        assert tall <= height, f"page one is {tall:.0f}px tall on A4, more than the {height:.0f}px a page holds"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.set_window_size(1280, 900)


def test_the_pack_is_self_contained(agenda_page):
    source = agenda_page.html.read_text(encoding="utf-8")
    refs = _References()
    refs.feed(source)
    assert refs.tags.isdisjoint({"script", "link", "iframe", "img", "object", "embed"}), refs.tags
    assert not re.search(r"url\(|@import|https?://", source, re.I)


def test_the_pack_draws_each_goals_readings_against_its_plan_line(agenda_page, browser):
    show(browser, agenda_page.html)
    progress = agenda_page.result["progress"]
    figures = browser.find_elements(By.CSS_SELECTOR, "#progress figure.progress")
    assert [f.get_attribute("data-goal") for f in figures] == [p["goal"] for p in progress]
    for figure, p in zip(figures, progress, strict=True):
        assert len(figure.find_elements(By.CSS_SELECTOR, "svg .reading circle.dot")) == len(p["readings"])
        assert bool(figure.find_elements(By.CSS_SELECTOR, "svg g.reading.behind")) == (bool(p["checks"]) and bool(p["readings"]))
        assert figure.find_elements(By.CSS_SELECTOR, "svg line.today")  # the meeting marked


def test_the_pack_lists_open_actions_by_owner_overdue_marked(agenda_page, browser):
    show(browser, agenda_page.html)
    actions = agenda_page.result["actions"]
    rows = browser.find_elements(By.CSS_SELECTOR, "table.actions tbody tr")
    assert [r.get_attribute("data-action") for r in rows] == [x["id"] for x in actions]
    assert [r.get_attribute("class") == "overdue" for r in rows] == [x["overdue"] for x in actions]
    assert any(x["overdue"] for x in actions)
