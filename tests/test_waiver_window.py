"""The committee's waivers: expired ones listed as expired, and "expiring soon" meaning before the
next regular meeting, by the committee's `cadence_days` (docs/html-report.md, "Waivers")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from governance.model import cadence
from governance.model.definitions import Committee
from governance.result import DEFAULT_CADENCE_DAYS
from tests.conftest import check, govern

COMMITTEE = Path("policies/committee.yaml")


def committee(**fields: object) -> Committee:
    return Committee.model_validate({"kind": "Committee", "id": "board", "chair": "p-ceo", **fields})


def test_cadence_is_the_committees_then_its_longest_gap_then_thirty_days():
    assert committee(cadence_days=14, max_meeting_gap_days=90).cadence() == 14
    assert committee(max_meeting_gap_days=90).cadence() == 90
    assert committee().cadence() == DEFAULT_CADENCE_DAYS == 30
    assert cadence([]) == 30  # a workspace without a committee
    assert cadence([committee(cadence_days=45), committee(cadence_days=20)]) == 20  # the soonest next meeting


def set_cadence(workspace: Path, days: int) -> None:
    """The committee's `cadence_days` set to `days` (acme sets its own: replaced)."""
    path = workspace / COMMITTEE
    kept = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("cadence_days:")]
    path.write_text("\n".join([*kept, f"cadence_days: {days}"]) + "\n", encoding="utf-8")


def waivers_section(html: str) -> str:
    section = html[html.index('<section id="waivers">'):]
    return section[:section.index("</section>")]


def listed(section: str, css: str) -> list[str]:
    """The waiver ids of the <ul class=css> list in the waivers section."""
    found = re.search(rf'<ul class="{css}"[^>]*>(.*?)</ul>', section, re.S)
    return re.findall(r'<li data-waiver="([^"]+)"', found[1]) if found else []


def run(workspace: Path, out: Path, *args: str) -> tuple[dict, str]:
    proc = check(workspace, "--format", f"json={out}.json", "--format", f"html={out}.html", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return (json.loads(Path(f"{out}.json").read_text(encoding="utf-8")),
            Path(f"{out}.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("days", "expiring"), [(35, []), (36, ["wv-2026-023"])])
def test_a_waiver_expiring_before_the_next_regular_meeting_is_listed_by_the_cadence(opa_binary, example, tmp_path,
                                                                                    days, expiring):
    # acme's wv-2026-023 expires 2026-12-31, 36 days after as_of (2026-11-25): the meeting's day is included
    set_cadence(example, days)
    result, html = run(example, tmp_path / "r")
    assert result["cadence_days"] == days
    section = waivers_section(html)
    assert listed(section, "expiring") == expiring
    until = "2026-12-30" if days == 35 else "2026-12-31"
    heading = f"下次例会前到期的豁免（{days} 天内，至 {until}）"
    assert heading in section
    if not expiring:
        assert f"下次例会（{until}）前没有到期的豁免。" in section


def test_an_expired_waiver_is_listed_as_expired_not_under_no_waiver_expiring(opa_binary, example, tmp_path):
    set_cadence(example, 30)
    result, html = run(example, tmp_path / "r")
    expired = [w["id"] for w in result["waivers"] if w["expires"] < result["as_of"]]
    assert expired == ["wv-2026-014"]  # acme's waiver that lapsed on 2026-10-31
    section = waivers_section(html)
    assert listed(section, "expired") == expired and "已过期的豁免" in section
    assert "已过期 25 天" in section[:section.index('id="expiring-heading"')]
    assert "wv-2026-014" not in listed(section, "expiring")


def test_a_rerendered_report_keeps_the_cadence_in_both_languages(opa_binary, example, tmp_path):
    set_cadence(example, 36)
    _, html = run(example, tmp_path / "r")
    again = tmp_path / "again.html"
    proc = govern("report", str(tmp_path / "r.json"), "--format", f"html={again}")
    assert proc.returncode == 0, proc.stderr
    assert again.read_text(encoding="utf-8") == html
    en = tmp_path / "en.html"
    proc = govern("report", str(tmp_path / "r.json"), "--format", f"html={en}", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    section = waivers_section(en.read_text(encoding="utf-8"))
    assert "Waivers expiring before the next regular meeting (within 36 days, by 2026-12-31)" in section
    assert "Expired waivers" in section and listed(section, "expiring") == ["wv-2026-023"]


def test_without_a_cadence_the_committees_longest_gap_sets_the_window(opa_binary, example, tmp_path):
    result, html = run(example, tmp_path / "r")
    assert result["cadence_days"] == 90  # acme's max_meeting_gap_days
    assert "（90 天内，至 2027-02-23）" in waivers_section(html)
