"""CSV: one row per finding, UTF-8 with exactly one BOM so Excel reads Chinese.

Rendered from a golden result (tests/golden): no OPA."""

from __future__ import annotations

import csv
import io

from governance.report import RenderOptions, render
from governance.report.csv import COLUMNS
from tests import golden
from tests.conftest import govern
from tests.reports_support import saved

BOM = b"\xef\xbb\xbf"


def rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_file_starts_with_exactly_one_bom_and_has_one_row_per_finding(tmp_path):
    out = tmp_path / "out" / "findings.csv"
    proc = govern("report", str(saved("acme-waivers", tmp_path)), "--format", f"csv={out}")
    assert proc.returncode == 0, proc.stderr
    result = golden.data("acme-waivers")
    data = out.read_bytes()
    assert data.startswith(BOM) and not data[len(BOM):].startswith(BOM)
    assert data.count(BOM) == 1
    table = rows(data)
    assert list(table[0].keys()) == list(COLUMNS)
    assert len(table) == len(result["findings"]) > 0
    titles = {c["id"]: c.get("title_zh") or c["title"] for c in result["checks"]}  # the default language, zh
    for f, row in zip(result["findings"], table, strict=True):
        assert row["fingerprint"] == f["fingerprint"]
        assert (row["severity"], row["status"], row["check"]) == (f["severity"], f["status"], f["check"])
        assert (row["resource_kind"], row["resource_id"]) == (f["resource"]["kind"], f["resource"]["id"])
        assert row["message"] == (f.get("message_zh") or f["message"])
        assert row["title"] == titles[f["check"]]
        where = f["location"]
        assert (row["file"], row["line"], row["column"]) == (where["file"], str(where["line"]), str(where["column"]))
        assert row["controls"].split(";") == (f["controls"] or [""])
        assert row["waiver"] == (f["waiver"] or "")
    assert any(r["status"] == "waived" and r["waiver"] == golden.WAIVER_ID for r in table)


def test_stdout_also_carries_one_bom(tmp_path):
    proc = govern("report", str(saved("acme", tmp_path)), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    data = proc.stdout.encode("utf-8")
    assert data.startswith(BOM) and data.count(BOM) == 1
    assert len(rows(data)) == len(golden.data("acme")["findings"])


def test_chinese_text_round_trips():
    model = golden.result("acme")
    first = model.findings[0]
    chinese = first.model_copy(update={"message": "系统 支付中心 把受限数据 用户画像 放在公有云侧, \"引号\" 与换行\n第二行"})
    data = render("csv", model.model_copy(update={"findings": [chinese, *model.findings[1:]]}), RenderOptions(lang="en"))
    assert isinstance(data, bytes) and data.startswith(BOM)
    assert rows(data)[0]["message"] == chinese.message


def test_cells_that_excel_would_run_as_formulas_are_defused():
    model = golden.result("acme")
    evil = model.findings[0].model_copy(update={"message": "=HYPERLINK(\"http://x\")"})
    evil = evil.model_copy(update={"message_zh": evil.message})
    row = rows(render("csv", model.model_copy(update={"findings": [evil]})))[0]
    assert row["message"] == "'=HYPERLINK(\"http://x\")"


def test_the_message_and_title_columns_follow_the_language(tmp_path):
    result = golden.data("acme")
    path = saved("acme", tmp_path)
    for lang in ("zh", "en"):
        proc = govern("report", str(path), "--lang", lang, "--format", "csv")
        assert proc.returncode == 0, proc.stderr
        table = rows(proc.stdout.encode("utf-8"))
        checks = {c["id"]: c for c in result["checks"]}
        for f, row in zip(result["findings"], table, strict=True):
            c = checks[f["check"]]
            if lang == "zh":
                assert (row["message"], row["title"]) == (f["message_zh"], c["title_zh"])
            else:
                assert (row["message"], row["title"]) == (f["message"], c["title"])
    assert all(f["message_zh"] and f["message_zh"] != f["message"] for f in result["findings"])  # the test tells them apart
