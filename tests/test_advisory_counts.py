"""Every format counts advisories the same way (docs/audit.md, "Advisories").

An advisory is an unwaived info finding of a run whose `--fail-on` is not `info`: it never
fails the run, so no format shows it, or a check or control failing on it alone, as failing.
The JSON keeps its statuses (a check with an unwaived finding is `fail`) and counts the
advisories apart. Each run below is rendered in every format at once; the counts each format
shows are read back from its text and held to one count, derived here from the JSON findings.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from governance.result import SEVERITIES
from tests.conftest import EXAMPLE, check, govern, make_workspace

ONLY_ADVICE = {
    "inventory/records.yaml": """\
meetings:
  - {id: mtg-1, committee: board, date: 2026-11-01, present: [p-ceo, p-cto]}
datasets:
  - {id: ds-archive, name: archive, grade: general-1, level: internal, owner: p-cto}
""",
}


def expected(result: dict) -> dict[str, int]:
    """The one count, from the findings and checks: info is advice unless the run fails on info."""
    advice = result["fail_on"] != "info"
    unwaived = [f for f in result["findings"] if f["status"] == "fail"]
    failing_checks = {f["check"] for f in unwaived if not (advice and f["severity"] == "info")}
    advising_checks = {f["check"] for f in unwaived} - failing_checks
    controls = result["controls"]
    return {
        "failing": sum(not (advice and f["severity"] == "info") for f in unwaived),
        "advisories": sum(advice and f["severity"] == "info" for f in unwaived),
        "checks_fail": len(failing_checks),
        "checks_advisory": len(advising_checks),
        "controls_fail": sum(bool(failing_checks & set(c["checks"])) for c in controls),
        "controls_advisory": sum(not failing_checks & set(c["checks"]) and bool(advising_checks & set(c["checks"]))
                                 for c in controls),
    }


def run_all(workspace: Path, out: Path, *args: str) -> dict[str, str]:
    out.mkdir()
    formats = {"json": "result.json", "html": "report.html", "markdown": "report.md", "junit": "junit.xml",
               "oscal": "oscal.json"}
    proc = check(workspace, "--format", "table", *[a for fmt, name in formats.items()
                                                   for a in ("--format", f"{fmt}={out / name}")], *args)
    assert proc.returncode in (0, 1), proc.stderr
    texts = {fmt: (out / name).read_text(encoding="utf-8") for fmt, name in formats.items()}
    controls = govern("controls", str(workspace), "--result", str(out / "result.json"), "--lang", "en")
    assert controls.returncode == 0, controls.stderr
    return {**texts, "table": proc.stdout, "controls": controls.stdout}


def shown(texts: dict[str, str]) -> dict[str, dict[str, int]]:
    """What each format says the counts are."""
    result = json.loads(texts["json"])
    s = result["summary"]
    table = re.search(r"(\d+) 项未豁免，\d+ 项已豁免，(\d+) 项提示 · "
                      r"检查 \d+ 通过、(\d+) 未通过、\d+ 不适用(?:、(\d+) 通过但有提示)?", texts["table"])
    md = re.search(r"结论: (\d+) 项未豁免发现，\d+ 项已豁免；检查 \d+ 通过、(\d+) 未通过、\d+ 不适用(?:、(\d+) 通过但有提示)?"
                   r"(?:；另有 (\d+) 项提示)?", texts["markdown"])
    assert table and md, (texts["table"][-400:], texts["markdown"][:800])
    html = {k: int(v) for k, v in re.findall(r'data-stat="([a-z-]+)">(\d+)<', texts["html"])}
    junit = ET.fromstring(texts["junit"].encode("utf-8"))
    outs = "\n".join(e.text or "" for e in junit.iter("system-out"))
    (oscal,) = json.loads(texts["oscal"])["assessment-results"]["results"]
    on_controls = [f for f in oscal.get("findings", []) if any(
        p["name"] == "control-status" for p in f["props"])]
    footer = re.search(r"in the run: (\d+) fail(?:, (\d+) pass with advisories)?, \d+ pass", texts["controls"])
    assert footer, texts["controls"][-400:]
    return {
        "json": {"failing": s["fail"] - s["advisories"], "advisories": s["advisories"],
                 "checks_fail": s["checks"]["fail"] - s["advisory_checks"], "checks_advisory": s["advisory_checks"]},
        "table": {"failing": int(table[1]), "advisories": int(table[2]), "checks_fail": int(table[3]),
                  "checks_advisory": int(table[4] or 0)},
        "markdown": {"failing": int(md[1]), "advisories": int(md[4] or 0), "checks_fail": int(md[2]),
                     "checks_advisory": int(md[3] or 0)},
        "html": {"failing": html["failing"], "advisories": html.get("advisories", 0), "checks_fail": html["checks-fail"],
                 "checks_advisory": html.get("checks-advisory", 0)},
        "junit": {"failing": sum(len((e.text or "").splitlines()) for e in junit.iter("failure")),
                  "advisories": outs.count("advisory: "), "checks_fail": int(junit.get("failures"))},
        "oscal": {"controls_fail": sum(f["target"]["status"]["state"] == "not-satisfied" for f in on_controls),
                  "controls_advisory": sum(f["target"]["status"]["state"] == "satisfied"
                                           and any(p["name"] == "advisories" for p in f["props"]) for f in on_controls)},
        "controls": {"controls_fail": int(footer[1]), "controls_advisory": int(footer[2] or 0)},
    }


def held_to_one_count(texts: dict[str, str]) -> dict[str, int]:
    want = expected(json.loads(texts["json"]))
    for fmt, counts in shown(texts).items():
        assert counts == {k: want[k] for k in counts}, (fmt, counts, want)
    return want


def test_acme_counts_its_advisories_alike_in_every_format(opa_binary, tmp_path):
    want = held_to_one_count(run_all(EXAMPLE, tmp_path / "out"))
    # acme's two info checks (CLS-008, PLC-009) fail nothing: their controls are satisfied with advisories
    assert want["advisories"] >= 2 and want["checks_advisory"] == 2 and want["controls_advisory"] == 2
    assert want["failing"] > 0 and want["checks_fail"] > 0


@pytest.mark.parametrize("fail_on", ["low", "never"])
def test_a_workspace_with_only_advisories_fails_nothing_in_any_format(opa_binary, tmp_path, fail_on):
    ws = make_workspace(tmp_path / "ws", ONLY_ADVICE)
    texts = run_all(ws, tmp_path / "out", "--fail-on", fail_on)
    want = held_to_one_count(texts)
    assert want == {"failing": 0, "advisories": 1, "checks_fail": 0, "checks_advisory": 1, "controls_fail": 0,
                    "controls_advisory": 1}
    assert 'data-verdict="pass"' in texts["html"]
    assert 'failures="0"' in texts["junit"] and "<failure" not in texts["junit"]


def test_with_fail_on_info_an_info_finding_fails_in_every_format(opa_binary, tmp_path):
    ws = make_workspace(tmp_path / "ws", ONLY_ADVICE)
    want = held_to_one_count(run_all(ws, tmp_path / "out", "--fail-on", "info"))
    assert want == {"failing": 1, "advisories": 0, "checks_fail": 1, "checks_advisory": 0, "controls_fail": 1,
                    "controls_advisory": 0}


def test_the_group_report_and_the_trend_count_advisories_as_the_run_does(opa_binary, tmp_path):
    """`govern aggregate` (JSON, Markdown, HTML, OSCAL) and a recorded run's controls_satisfied read checks
    and controls by standing, as the run's own reports do."""
    from governance.evaluate.aggregate import merge
    from governance.evaluate.saved import read_result
    from governance.history.counts import counted
    from governance.report import RenderOptions, render_group

    texts = run_all(EXAMPLE, tmp_path / "out")
    want = held_to_one_count(texts)
    result = read_result(tmp_path / "out" / "result.json")
    (entity,) = merge({"r": result}).entities
    assert entity.checks_standing["fail"] == want["checks_fail"]
    assert entity.checks_standing["advisory"] == want["checks_advisory"] == 2
    standings = list(entity.controls_standing.values())
    assert standings.count("fail") == want["controls_fail"]
    assert standings.count("advisory") == want["controls_advisory"]
    assert entity.advisories == want["advisories"]
    satisfied = standings.count("pass") + standings.count("advisory")  # the run's own control_standing
    assert satisfied > sum(c.status == "pass" for c in result.controls)  # advisories alone do not unsatisfy
    assert counted(result)["controls_satisfied"] == satisfied
    group = merge({"r": result})
    md = render_group("markdown", group, RenderOptions(lang="en"))
    checks = f"| {entity.checks_standing['pass']} / {want['checks_fail']} / 2 / "
    assert checks in md, md
    info = SEVERITIES.index("info")
    row = next(line for line in md.splitlines() if line.startswith(f"| {result.workspace} "))
    assert row.split("|")[4 + info].strip() == str(want["advisories"]), row
    html = render_group("html", group, RenderOptions(lang="en"))
    assert f'<td data-severity="info">{want["advisories"]}</td>' in html
    (oscal,) = json.loads(render_group("oscal", group, RenderOptions()))["assessment-results"]["results"]
    states = [f["target"]["status"]["state"] for f in oscal["findings"]]
    assert states.count("not-satisfied") == want["controls_fail"] + standings.count("skipped")
