"""Reading the history store: `history trend` and `history finding`, `check --record` (recorded once the
reports are written, never leaving a report of a run it could not record), and the reports that know their
past (`--db`: the trend section, the run "since the last review" compares with, named). On a real SQLite
store filled by `check --record` and `history record`."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import shutil
import sqlite3
from pathlib import Path

import psycopg
import pytest

from governance.history.types import FindingHistory, Trend
from governance.report._history_parts import SHORT_DIGEST
from governance.report._trend import _ticks, days
from governance.vocabulary import messages
from tests.conftest import check, govern
from tests.history_support import postgres_cluster, store_url  # noqa: F401  (fixtures)

TREND_KEYS = {"entity", "as_of", "digest", "unwaived", "advisories", "waived", "by_severity", "new", "resolved",
              "regressed"}


def _run(example: Path, db: str, as_of: str, *args: str) -> dict:
    out = example.parent / f"run-{as_of}.json"
    proc = check(example, "--record", "--db", db, "--format", f"json={out}", *args, as_of=as_of)
    assert proc.returncode in (0, 1), proc.stderr
    # the run recorded is the result file --format json wrote, byte for byte
    assert f"recorded run {hashlib.sha256(out.read_bytes()).hexdigest()} of " in proc.stderr
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def db(store_url: str) -> str:
    """An empty store, on each database."""
    return store_url


def test_trend_and_finding_follow_recorded_runs(example, db, tmp_path):
    first = _run(example, db, "2026-11-20")
    second = _run(example, db, "2027-01-05")  # a waiver expired on 2026-12-31: its finding is no longer waived
    proc = govern("history", "trend", "--db", db, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    trend = Trend.model_validate({"points": doc["points"]})
    assert [p.as_of for p in trend.points] == ["2026-11-20", "2027-01-05"]
    assert all(TREND_KEYS <= set(p) for p in doc["points"])
    assert "time_to_resolve" in doc
    waived_before = sum(f["status"] == "waived" for f in first["findings"])
    assert trend.points[0].waived == waived_before and trend.points[1].waived == waived_before - 1
    assert trend.points[0].new == len(first["findings"])
    # a finding that was waived and no longer is: an `unwaived` event at the second run
    still = {f["fingerprint"] for f in second["findings"] if f["status"] == "waived"}
    changed = next(f for f in first["findings"] if f["status"] == "waived" and f["fingerprint"] not in still)
    proc = govern("history", "finding", changed["fingerprint"], "--db", db, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    history = FindingHistory.model_validate_json(proc.stdout)
    assert [(e.as_of, e.kind) for e in history.events] == [("2026-11-20", "new"), ("2027-01-05", "unwaived")]
    assert history.state == "open" and history.first_seen == "2026-11-20"
    assert any(f["fingerprint"] == changed["fingerprint"] for f in second["findings"])
    # its header names the resource's kind in the report's language, never the raw kind
    words = {"zh": messages("zh").name(changed["resource"]["kind"], "kinds"),
             "en": messages("en").name(changed["resource"]["kind"], "kinds")}
    for lang, kind in words.items():
        table = govern("history", "finding", changed["fingerprint"], "--db", db, "--lang", lang)
        assert table.returncode == 0, table.stderr
        header = table.stdout.splitlines()[0]
        assert f"{changed['check']} {kind} {changed['resource']['id']}" in header, header
    assert words["zh"] != changed["resource"]["kind"]


def test_trend_formats_in_both_languages(example, db, tmp_path):
    _run(example, db, "2026-11-20")
    _run(example, db, "2026-11-25")
    html = govern("history", "trend", "--db", db, "--format", "html", "--lang", "en")
    assert html.returncode == 0 and html.stdout.count('<svg class="chart trend"') == 2
    assert "Unwaived findings by severity over time" in html.stdout and "Controls satisfied over time" in html.stdout
    zh = govern("history", "trend", "--db", db, "--format", "markdown")
    assert "合规趋势" in zh.stdout and "解决用时" in zh.stdout
    rows = list(csv.reader(io.StringIO(govern("history", "trend", "--db", db, "--format", "csv").stdout.lstrip("\ufeff"))))
    assert rows[0][:4] == ["entity", "as_of", "started", "digest"] and len(rows) == 3
    table = govern("history", "trend", "--db", db, "--lang", "en")
    assert table.returncode == 0 and "Time to resolve" in table.stdout


def test_unknown_fingerprint_is_exit_2(db):
    proc = govern("history", "finding", "0" * 64, "--db", db)
    assert proc.returncode == 2, proc.stderr


def test_check_with_a_store_names_the_run_it_compares_with_and_shows_the_trend(example, db, tmp_path):
    first = _run(example, db, "2026-11-20")
    proc = govern("history", "trend", "--db", db, "--format", "json")
    digest = json.loads(proc.stdout)["points"][0]["digest"]
    md, page = tmp_path / "r.md", tmp_path / "r.html"
    proc = check(example, "--db", db, "--lang", "en", "--format", f"markdown={md}", "--format", f"html={page}",
                 "--format", "json", as_of="2026-11-25")
    assert proc.returncode in (0, 1), proc.stderr
    result = json.loads(proc.stdout)
    assert result["summary"]["baseline"]["as_of"] == "2026-11-20"
    assert result["summary"]["baseline"]["digest"] == digest
    assert result["summary"]["baseline"]["existing"] == len(first["findings"])
    text = md.read_text(encoding="utf-8")
    assert f"Compared with: this entity's run of 2026-11-20 in the history store, {digest[:12]}" in text
    assert "## Trend (history store)" in text and "### Oldest open findings" in text
    html = page.read_text(encoding="utf-8")
    assert 'id="trend"' in html and html.count('<svg class="chart trend"') == 2 and 'data-field="compared"' in html
    # not recorded (no --record): the store still holds one run
    assert len(json.loads(govern("history", "trend", "--db", db, "--format", "json").stdout)["points"]) == 1


def test_baseline_file_comparison_names_its_as_of(example, tmp_path):
    base = tmp_path / "base.json"
    assert check(example, "--format", f"json={base}", as_of="2026-11-20").returncode in (0, 1)
    proc = check(example, "--baseline", str(base), "--format", "markdown", "--lang", "en", as_of="2026-11-25")
    named = f"Compared with: the run of 2026-11-20 in the --baseline file, {hashlib.sha256(base.read_bytes()).hexdigest()[:12]}"
    assert named in proc.stdout
    table = check(example, "--baseline", str(base), "--lang", "en", as_of="2026-11-25")
    assert named in table.stdout


def test_report_with_a_store_compares_with_the_previous_recorded_run(example, db, tmp_path):
    _run(example, db, "2026-11-20")
    second = example.parent / "run-2026-11-25.json"
    _run(example, db, "2026-11-25")
    proc = govern("report", str(second), "--db", db, "--format", "markdown", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "this entity's run of 2026-11-20 in the history store" in proc.stdout
    assert "## Trend (history store)" in proc.stdout


def test_a_newer_or_bad_store_is_refused_before_evaluating(example, tmp_path):
    out = tmp_path / "out.json"
    bad = check(example, "--record", "--db", "mysql://nowhere/db", "--format", f"json={out}")
    assert bad.returncode == 2 and not out.exists()
    unreachable = check(example, "--record", "--db", "postgresql://govern@127.0.0.1:9/none", "--format", f"json={out}")
    assert unreachable.returncode == 3 and not out.exists()
    assert "nothing was evaluated" in unreachable.stderr


REFUSE = {
    "sqlite": ["CREATE TRIGGER refuse BEFORE INSERT ON runs BEGIN SELECT RAISE(ABORT, 'refused'); END"],
    "postgresql": ["CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql",
                   "CREATE TRIGGER refuse BEFORE INSERT ON runs FOR EACH ROW EXECUTE FUNCTION refuse()"],
}


def _refuse_runs(db: str) -> None:
    """The database itself refuses every new run from now on (a trigger), while it still opens and answers."""
    if db.startswith("sqlite:///"):
        with sqlite3.connect(db.removeprefix("sqlite:///")) as connection:
            for statement in REFUSE["sqlite"]:
                connection.execute(statement)
        return
    with psycopg.connect(db) as connection:
        for statement in REFUSE["postgresql"]:
            connection.execute(statement)


def test_a_run_that_cannot_be_recorded_leaves_no_report(example, db, tmp_path):
    """The store opens and answers, then refuses the run when it is recorded: exit 3, and the reports written
    for it are taken back, a file it replaced restored, nothing shown on stdout."""
    _run(example, db, "2026-11-20")
    _refuse_runs(db)
    out, old = tmp_path / "out.json", tmp_path / "old.md"
    old.write_text("previous\n", encoding="utf-8")
    evidence = (tmp_path / "evidence.json").read_bytes()  # the first run's, beside its result
    proc = check(example, "--record", "--db", db, "--format", f"json={out}", "--format", f"markdown={old}",
                 "--format", "table", as_of="2026-11-25")
    assert proc.returncode == 3, proc.stderr
    assert "the run was not recorded; no report of this run was left." in proc.stderr
    assert not out.exists() and old.read_text(encoding="utf-8") == "previous\n"
    assert (tmp_path / "evidence.json").read_bytes() == evidence
    assert proc.stdout == ""  # the table is shown only once the run is recorded


def test_days_carry_each_entity_forward():
    from governance.history.types import TrendPoint

    def point(entity: str, as_of: str, high: int) -> TrendPoint:
        return TrendPoint(entity=entity, as_of=as_of, digest=entity + as_of, started=None, unwaived=high, advisories=0,
                          waived=0, by_severity={"critical": 0, "high": high, "medium": 0, "low": 0, "info": 0},
                          new=0, resolved=0, regressed=0, controls_satisfied=1, controls_total=2)

    series = days([point("a", "2026-01-01", 2), point("a", "2026-01-03", 1), point("b", "2026-01-02", 5)])
    assert [(d.as_of, d.by_severity["high"], d.entities) for d in series] == [
        ("2026-01-01", 2, 1), ("2026-01-02", 7, 2), ("2026-01-03", 6, 2)]
    assert _ticks(9) == [0, 5, 10] and _ticks(0) == [0, 1]


def test_aggregate_from_the_store_shows_how_old_each_entitys_run_is(example, db, tmp_path):
    _run(example, db, "2026-11-20")
    _run(example, db, "2026-11-25")
    south = tmp_path / "south"
    shutil.copytree(example, south)
    manifest = south / "governance.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("Acme Retail Group", "Acme South", 1), encoding="utf-8")
    _run(south, db, "2026-10-01")  # stopped reporting after this run
    proc = govern("aggregate", "--db", db, "--as-of", "2026-11-30")
    assert proc.returncode in (0, 1), proc.stderr
    group = json.loads(proc.stdout)
    ages = {e["name"]: (e["as_of"], e["age_days"]) for e in group["entities"]}
    assert ages == {"Acme Retail Group": ("2026-11-25", 5), "Acme South": ("2026-10-01", 60)}
    assert group["as_of"] == "2026-11-30"
    earlier = json.loads(govern("aggregate", "--db", db, "--as-of", "2026-11-21").stdout)
    assert {e["name"]: e["as_of"] for e in earlier["entities"]} == {"Acme Retail Group": "2026-11-20",
                                                                   "Acme South": "2026-10-01"}
    md = govern("aggregate", "--db", db, "--as-of", "2026-11-30", "--format", "markdown", "--lang", "en").stdout
    assert "2026-10-01 (run 60 days old)" in md
    assert govern("aggregate", "--db", db, "--as-of", "2026-09-01").returncode == 2  # no run on or before it
    assert govern("aggregate").returncode == 2  # neither files nor a store


def test_trend_keeps_to_its_entities_and_days(example, db, tmp_path):
    _run(example, db, "2026-11-20")
    _run(example, db, "2026-11-25")

    def days_of(*args: str) -> list[str]:
        proc = govern("history", "trend", "--db", db, "--format", "json", *args)
        assert proc.returncode == 0, proc.stderr
        return [p["as_of"] for p in json.loads(proc.stdout)["points"]]

    assert days_of("--since", "2026-11-21") == ["2026-11-25"]
    assert days_of("--until", "2026-11-21") == ["2026-11-20"]
    assert days_of("--entity", "Acme Retail Group") == ["2026-11-20", "2026-11-25"]
    assert days_of("--entity", "nobody") == []
    empty = govern("history", "trend", "--db", db, "--entity", "nobody", "--format", "markdown", "--lang", "en")
    assert empty.returncode == 0 and "The history store holds no run that matches." in empty.stdout
    out = tmp_path / "trend.html"
    assert govern("history", "trend", "--db", db, "--format", "html", "--output", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_check_compares_with_the_latest_run_the_store_still_keeps_after_a_prune(example, db, tmp_path):
    _run(example, db, "2026-11-10")
    kept = hashlib.sha256((example.parent / "run-2026-11-10.json").read_bytes()).hexdigest()
    for as_of in ("2026-11-20", "2026-12-20"):
        _run(example, db, as_of)
    first, second = tmp_path / "first.tar.gz", tmp_path / "second.tar.gz"
    for before, archive in (("2026-11-15", first), ("2026-12-01", second)):
        pruned = govern("history", "prune", "--before", before, "--archive", str(archive), "--db", db)
        assert pruned.returncode == 0, pruned.stderr
    # the runs before 2026-12-05 are archived: no comparison, and never a failed check for it; and its reports
    # say why they compare with no run, in either language (one run per language writes all its reports)
    latest = hashlib.sha256((example.parent / "run-2026-11-20.json").read_bytes()).hexdigest()
    for lang, formats in (("en", ("markdown",)), ("zh", ("html", "markdown"))):
        reports = {fmt: tmp_path / f"pruned-{lang}.{fmt}" for fmt in formats}
        proc = check(example, "--db", db, "--format", "json", *[a for fmt, path in reports.items()
                                                                 for a in ("--format", f"{fmt}={path}")],
                     "--lang", lang, as_of="2026-12-05")
        assert proc.returncode in (0, 1), proc.stderr
        assert not json.loads(proc.stdout)["summary"].get("baseline")
        said = messages(lang).text("history.not_compared", as_of="2026-11-20", digest=latest[:SHORT_DIGEST])
        for fmt, path in reports.items():
            shown = path.read_text(encoding="utf-8")
            assert (html.escape(said, quote=False) if fmt == "html" else said.replace("_", "\\_")) in shown, (lang, fmt)
    # the first archive loaded back: 2026-11-20's bytes are still archived, the check compares with 2026-11-10's
    assert govern("history", "record", str(first), "--db", db).returncode == 0
    compared = tmp_path / "compared.md"
    proc = check(example, "--db", db, "--format", "json", "--format", f"markdown={compared}", "--lang", "en",
                 as_of="2026-12-05")
    assert proc.returncode in (0, 1), proc.stderr
    baseline = json.loads(proc.stdout)["summary"]["baseline"]
    assert baseline["as_of"] == "2026-11-10" and baseline["digest"] == kept  # named: the run it compares with
    assert "Not compared with an earlier run" not in compared.read_text(encoding="utf-8")


def test_the_formats_that_draw_a_trend_section_are_those_whose_module_says_so():
    """`check --db` and `report --db` read the store's trend for these formats alone (a format's `TREND`)."""
    from governance.report import FORMATS, shows_trend

    assert {fmt for fmt in FORMATS if shows_trend(fmt)} == {"html", "markdown"}
    assert not shows_trend("no-such-format")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_history_list_heads_its_table_in_the_language_asked(lang, tmp_path):
    m = messages(lang)
    ran = govern("history", "list", "--db", f"sqlite:///{tmp_path}/h.db", "--lang", lang)
    assert ran.returncode == 0, ran.stderr
    header = ran.stdout.splitlines()[0]
    for word in (m.text("entity"), m.text("as_of"), m.text("history.unwaived"), m.name("regressed", capital=True)):
        assert word in header
    if lang == "zh":  # no English word left in it
        assert not any(c.isascii() and c.isalpha() for c in header), header
