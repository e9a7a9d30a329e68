"""The history store on SQLite and on PostgreSQL (docs/history.md): a run recorded once, an invalid result
refused whole, lifecycles (new, resolved, regressed, waived, unwaived) whatever the order of recording,
prune into an archive that loads back, the schema's versions, and what the store reads and reveals."""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text

from governance.evaluate.findings import fingerprint
from governance.history.errors import StoreInputError
from governance.history.migrate import config
from governance.history.schema import runs
from governance.history.store import open_store
from governance.history.url import parsed
from governance.result import RunResult
from tests.conftest import govern
from tests.history_support import acme_result, new_database, postgres_cluster, store_url, variant, write
from tests.results_support import resealed


def fingerprints(doc: dict, status: str | None = None) -> list[str]:
    return [f["fingerprint"] for f in doc["findings"] if status is None or f["status"] == status]


def history(*args: str, db: str):
    return govern("history", *args, "--db", db)


# ---------------------------------------------------------------- recording


def test_recording_the_same_bytes_twice_stores_them_once_and_says_so(store_url, acme_result, tmp_path):
    path = write(tmp_path, variant(acme_result))
    first = history("record", str(path), db=store_url)
    again = history("record", str(path), db=store_url)
    assert first.returncode == 0 and first.stdout.startswith("recorded: acme 2026-11-25 "), first.stderr
    assert again.returncode == 0 and again.stdout.startswith("already recorded, nothing changed: acme"), again.stderr
    listed = json.loads(history("list", "--format", "json", db=store_url).stdout)["runs"]
    assert len(listed) == 1
    with open_store(store_url) as store:
        assert store.result_bytes(listed[0]["digest"]) == path.read_bytes()  # kept byte for byte


def test_an_invalid_result_is_exit_2_and_nothing_of_any_file_is_stored(store_url, acme_result, tmp_path):
    good = write(tmp_path, variant(acme_result))
    forged = json.loads(variant(acme_result))
    forged["summary"]["fail"] += 1  # disagrees with its findings
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(forged, indent=2), encoding="utf-8")
    ran = history("record", str(good), str(bad), db=store_url)
    assert ran.returncode == 2, ran.stderr
    assert f"{bad}:" in ran.stderr and "nothing was recorded" in ran.stderr
    with open_store(store_url) as store:
        assert store.runs() == []


def _with_text(base: dict, *, resource_id: str | None = None, message: str | None = None) -> bytes:
    """A valid result like `base` whose first unwaived finding has another resource id (its fingerprint made
    again) or message."""
    doc = json.loads(json.dumps(base))
    f = next(f for f in doc["findings"] if f["status"] == "fail")
    if resource_id is not None:
        f["resource"]["id"] = resource_id
        f["fingerprint"] = fingerprint(f["check"], f["resource"]["kind"], resource_id)
    if message is not None:
        f["message"] = message
    return (json.dumps(resealed(doc), indent=2, ensure_ascii=False) + "\n").encode()


def test_a_nul_in_a_string_the_store_keeps_as_text_is_exit_2_at_its_place_on_every_database(
        store_url, acme_result, tmp_path):
    """PostgreSQL's text cannot hold NUL (SQLite's can): refused alike on both, before anything is written."""
    path = write(tmp_path, _with_text(acme_result, resource_id="sys-\0-x"))
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if '"id": "sys-\\u0000-x"' in text)
    ran = history("record", str(path), db=store_url)
    assert ran.returncode == 2, ran.stderr
    assert f"{path}:{line}:" in ran.stderr and "resource.id: holds a NUL character" in ran.stderr, ran.stderr
    assert "PostgreSQL" in ran.stderr and "nothing was recorded" in ran.stderr and "Traceback" not in ran.stderr
    with open_store(store_url) as store:
        assert store.runs() == []
        with pytest.raises(StoreInputError, match=r"findings\[\d+\]\.resource\.id: holds a NUL"):  # check --record's way
            store.record_valid(path.read_bytes(), RunResult.model_validate_json(path.read_bytes()))
        assert store.runs() == []


@pytest.mark.parametrize("message", ["a NUL \0 in a message", "an escape \x1b[31m a workspace check wrote"])
def test_control_characters_in_a_message_are_recorded_byte_for_byte_on_every_database(
        store_url, acme_result, tmp_path, message):
    """A message is kept only in the result's bytes, which hold any character: recorded, and given back whole."""
    path = write(tmp_path, _with_text(acme_result, message=message))
    ran = history("record", str(path), db=store_url)
    assert ran.returncode == 0, ran.stderr
    listed = json.loads(history("list", "--format", "json", db=store_url).stdout)["runs"]
    with open_store(store_url) as store:
        assert store.result_bytes(listed[0]["digest"]) == path.read_bytes()


def test_recorded_runs_are_never_updated_in_place(store_url, acme_result):
    """Recording an older run later changes the derived lifecycles, never a recorded run's row."""
    everything = set(fingerprints(acme_result))
    with open_store(store_url) as store:
        store.record(variant(acme_result, as_of="2026-11-20"), "a")
        store.record(variant(acme_result, as_of="2026-11-25", keep=set()), "b")
        engine = create_engine(parsed(store_url))
        with engine.connect() as c:
            before = [tuple(r) for r in c.execute(select(runs).order_by(runs.c.id))]
        store.record(variant(acme_result, as_of="2026-11-22", keep=everything - {fingerprints(acme_result)[0]}), "c")
        with engine.connect() as c:
            after = [tuple(r) for r in c.execute(select(runs).order_by(runs.c.id))]
        engine.dispose()
        assert after[:2] == before
        assert [p.as_of for p in store.trend().points] == ["2026-11-20", "2026-11-22", "2026-11-25"]


# ---------------------------------------------------------------- lifecycles


def test_a_finding_is_new_then_resolved_then_regressed(store_url, acme_result):
    one = fingerprints(acme_result, "fail")[0]
    rest = set(fingerprints(acme_result)) - {one}
    with open_store(store_url) as store:
        for day, keep in (("2026-11-01", None), ("2026-11-08", rest), ("2026-11-15", None)):
            store.record(variant(acme_result, as_of=day, keep=keep), day)
        life = store.finding(one)
        points = store.trend().points
    assert [(e.as_of, e.kind) for e in life.events] == [
        ("2026-11-01", "new"), ("2026-11-08", "resolved"), ("2026-11-15", "regressed")]
    assert (life.first_seen, life.last_seen, life.state, life.entity) == ("2026-11-01", "2026-11-15", "open", "acme")
    assert [(p.new, p.resolved, p.regressed) for p in points] == [(len(rest) + 1, 0, 0), (0, 1, 0), (0, 0, 1)]


def test_a_change_between_waived_and_failing_is_an_event(store_url, acme_result):
    waived = fingerprints(acme_result, "waived")[0]
    with open_store(store_url) as store:
        store.record(variant(acme_result, as_of="2026-11-01"), "a")
        store.record(variant(acme_result, as_of="2026-11-02", unwaive={waived}), "b")
        store.record(variant(acme_result, as_of="2026-11-03"), "c")
        kinds = [e.kind for e in store.finding(waived, "acme").events]
        points = store.trend().points
    assert kinds == ["new", "unwaived", "waived"]  # first reported waived: `new` only
    assert [p.waived for p in points] == [2, 1, 2]


def test_recording_out_of_order_gives_the_lifecycles_of_recording_in_order(store_url, acme_result, postgres_cluster):
    one, two = fingerprints(acme_result, "fail")[:2]
    every = set(fingerprints(acme_result))
    runs_ = [variant(acme_result, as_of=d, keep=k) for d, k in (
        ("2026-11-01", every - {two}), ("2026-11-02", every - {one}), ("2026-11-03", every),
        ("2026-11-03", every - {one, two}))]
    runs_[3] = variant(acme_result, as_of="2026-11-03", started="2026-11-25T09:00:00Z", keep=every - {one, two})

    def lifecycles(url: str, order: list[int]) -> tuple:
        with open_store(url) as store:
            for i in order:
                store.record(runs_[i], f"r{i}")
            return (store.trend(), store.finding(one), store.finding(two))

    in_order = lifecycles(new_database(postgres_cluster) if "postgresql" in store_url else store_url, [0, 1, 2, 3])
    backfilled = lifecycles(store_url.replace("history.db", "other.db") if "sqlite" in store_url
                            else new_database(postgres_cluster), [3, 1, 0, 2])
    assert backfilled == in_order
    assert [e.kind for e in in_order[1].events] == ["new", "resolved", "regressed", "resolved"]


# ---------------------------------------------------------------- reading for the committee


def test_oldest_open_and_time_to_resolve(store_url, acme_result):
    one = fingerprints(acme_result, "fail")[0]
    severity = next(f["severity"] for f in acme_result["findings"] if f["fingerprint"] == one)
    rest = set(fingerprints(acme_result)) - {one}
    with open_store(store_url) as store:
        store.record(variant(acme_result, as_of="2026-11-01", keep=rest), "a")
        store.record(variant(acme_result, as_of="2026-11-05"), "b")
        store.record(variant(acme_result, as_of="2026-11-15", keep=rest), "c")
        times = store.resolve_times([], "2026-12-01")
        oldest = store.oldest_open("acme", "2026-12-01", 3)
        latest = store.latest_runs("2026-11-10")
        previous = store.previous_run("acme", "2026-11-15", "2026-11-25T08:00:00Z")
    assert times.by_severity[severity].resolved == 1 and times.by_severity[severity].median_days == 10
    assert [f.age_days for f in oldest] == [30, 30, 30] and oldest[0].first_seen == "2026-11-01"
    assert [r.as_of for r in latest] == ["2026-11-05"]
    assert previous is not None and previous.as_of == "2026-11-05"


# ---------------------------------------------------------------- retention


def test_prune_archives_old_runs_keeps_the_latest_and_the_archive_loads_back(store_url, acme_result, tmp_path):
    days = ["2026-11-01", "2026-11-02", "2026-11-03"]
    files = [write(tmp_path, variant(acme_result, as_of=d)) for d in days]
    other = write(tmp_path, variant(acme_result, entity="beta", as_of="2026-10-01"))
    assert history("record", *map(str, files), str(other), db=store_url).returncode == 0
    with open_store(store_url) as store:
        trend_before = store.trend()
    archive = tmp_path / "old.tar.gz"
    ran = history("prune", "--before", "2026-11-03", "--archive", str(archive), db=store_url)
    assert ran.returncode == 0, ran.stderr
    assert "archived 2 run(s)" in ran.stdout and "kept 1 latest" in ran.stdout  # beta's only run stays whole
    with open_store(store_url) as store:
        assert store.trend() == trend_before  # counts and lifecycles stay
        with pytest.raises(StoreInputError, match="archived"):
            store.result_bytes(json.loads(history("list", "--format", "json", db=store_url).stdout)["runs"][0]["digest"])
        assert store.result_bytes(store.trend(["acme"]).points[-1].digest) == files[-1].read_bytes()
    back = history("record", str(archive), db=store_url)
    assert back.returncode == 0 and back.stdout.count("loaded back from the archive") == 2, back.stdout + back.stderr
    with open_store(store_url) as store:
        assert store.result_bytes(store.trend(["acme"]).points[0].digest) == files[0].read_bytes()


# ---------------------------------------------------------------- the store itself


def test_a_store_newer_than_this_govern_is_refused_and_an_older_one_upgraded(store_url, acme_result, tmp_path):
    path = write(tmp_path, variant(acme_result))
    assert history("record", str(path), db=store_url).returncode == 0
    engine = create_engine(parsed(store_url))
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": "9999"})
    newer = history("list", db=store_url)
    assert newer.returncode == 2 and "made by a newer govern" in newer.stderr, newer.stderr
    assert history("upgrade", db=store_url).returncode == 2
    with engine.begin() as c:  # what migration 0002 added, taken away again: a store of the govern before it
        c.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": "0002"})
        command.downgrade(config(c), "0001")
    engine.dispose()
    older = history("record", str(path), db=store_url)
    assert older.returncode == 2 and "govern history upgrade" in older.stderr, older.stderr
    upgraded = history("upgrade", db=store_url)
    assert upgraded.returncode == 0 and "at schema 0005 (was 0001)" in upgraded.stdout, upgraded.stderr
    assert history("record", str(path), db=store_url).stdout.startswith("already recorded")


def test_the_default_store_is_created_on_first_use_under_the_current_folder(acme_result, tmp_path, monkeypatch):
    path = write(tmp_path, variant(acme_result))
    monkeypatch.delenv("GOVERN_DB", raising=False)
    ran = govern("history", "record", str(path), cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / ".govern" / "history.db").is_file()
    monkeypatch.setenv("GOVERN_DB", f"sqlite:///{tmp_path}/env.db")
    assert govern("history", "record", str(path), cwd=tmp_path).returncode == 0
    assert (tmp_path / "env.db").is_file()


def test_a_password_in_the_url_is_never_printed(postgres_cluster, acme_result, tmp_path):
    secret = "s3cr3t-pw"
    url = new_database(postgres_cluster, password=secret)
    path = write(tmp_path, variant(acme_result))
    ran = [history("record", str(path), db=url), history("list", db=url),
           history("record", str(path), db=url.replace("/govern_", "/missing_")),  # no such database: exit 3
           history("list", db=f"postgresql://u:{secret}@/x?host={tmp_path}/nowhere&port=1"),
           history("list", db=f"mysql://u:{secret}@h/x"),
           history("list", db=f"postgresql://u@/x?host={tmp_path}&password={secret}&port=1")]
    assert [r.returncode for r in ran] == [0, 0, 3, 3, 2, 3], [r.stderr for r in ran]
    for r in ran:
        assert secret not in r.stdout + r.stderr
    assert "***" in ran[2].stderr


def test_a_sqlite_store_is_never_written_through_a_link(acme_result, tmp_path):
    path = write(tmp_path, variant(acme_result))
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "history.db").symlink_to(outside / "target.db")
    (ws / "linked").symlink_to(outside)
    for url in ("sqlite:///history.db", "sqlite:///linked/history.db"):
        ran = govern("history", "record", str(path), "--db", url, cwd=ws)
        assert ran.returncode == 2 and "symbolic link" in ran.stderr, ran.stderr
    assert list(outside.iterdir()) == []


def test_an_unknown_fingerprint_is_a_clear_error(store_url):
    with open_store(store_url) as store, pytest.raises(StoreInputError, match="no recorded run"):
        store.finding("0" * 32)


def test_text_from_a_result_is_a_value_never_sql(store_url, acme_result):
    """An entity's name is the workspace's, and arrives in pull requests: it is bound, never spliced into SQL."""
    name = "x'); DROP TABLE runs; --\" OR 1=1"
    with open_store(store_url) as store:
        store.record(variant(acme_result, entity=name), "a")
        store.record(variant(acme_result, entity="other"), "b")
        assert [p.entity for p in store.trend([name]).points] == [name]
        assert len(store.runs()) == 2


def test_list_filters_by_entity_and_dates(store_url, acme_result, tmp_path):
    files = [write(tmp_path, variant(acme_result, entity=e, as_of=d))
             for e in ("north", "south") for d in ("2026-11-01", "2026-11-10")]
    assert history("record", *map(str, files), db=store_url).returncode == 0
    listed = history("list", "--entity", "south", "--since", "2026-11-05", "--format", "json", db=store_url)
    runs_ = json.loads(listed.stdout)["runs"]
    assert [(r["entity"], r["as_of"]) for r in runs_] == [("south", "2026-11-10")]
    table = history("list", "--until", "2026-11-01", db=store_url)
    assert table.returncode == 0 and table.stdout.count("2026-11-01") == 2 and "2026-11-10" not in table.stdout


def test_an_archive_with_anything_but_results_is_refused_whole(store_url, acme_result, tmp_path):
    import io
    import tarfile

    data = variant(acme_result)
    archive = tmp_path / "forged.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, body in (("a" * 64 + ".json", data), ("../escape.json", data)):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    ran = history("record", str(archive), db=store_url)
    assert ran.returncode == 2 and "not an archived result" in ran.stderr, ran.stderr
    with open_store(store_url) as store:
        assert store.runs() == []


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://ci:s3cr3t@db/govern", "postgresql://ci:***@db/govern"),
    ("postgresql://ci:s3@cr3t@db/govern", "postgresql://ci:***@db/govern"),  # an unescaped @ in the password
    ("postgresql://ci@db/govern?sslmode=require&password=s3cr3t", "postgresql://ci@db/govern?sslmode=require&password=***"),
    ("host=db password=s3cr3t dbname=govern", "host=db password=*** dbname=govern"),  # as a driver may quote it
    ("sqlite:///.govern/history.db", "sqlite:///.govern/history.db"),
])
def test_a_url_is_shown_without_its_password(url, shown):
    from governance.history.url import redact

    assert redact(url) == shown


def test_the_archive_never_replaces_the_store(acme_result, tmp_path):
    db = tmp_path / "history.db"
    assert history("record", str(write(tmp_path, variant(acme_result))), db=f"sqlite:///{db}").returncode == 0
    before = db.read_bytes()
    ran = history("prune", "--before", "2027-01-01", "--archive", str(db), db=f"sqlite:///{db}")
    assert ran.returncode == 2 and "one of this run's inputs" in ran.stderr, ran.stderr
    assert db.read_bytes() == before


def test_a_file_that_is_no_database_is_exit_2_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database\n", encoding="utf-8")
    ran = history("list", db=f"sqlite:///{path}")
    assert ran.returncode == 2 and "not a govern history store" in ran.stderr, ran.stderr
    assert path.read_text(encoding="utf-8") == "not a database\n"


def test_a_database_of_something_else_is_refused(postgres_cluster):
    url = new_database(postgres_cluster)
    engine = create_engine(parsed(url))
    with engine.begin() as c:
        c.execute(text("CREATE TABLE invoices (id integer)"))
    engine.dispose()
    for name in ("list", "upgrade"):
        ran = history(name, db=url)
        assert ran.returncode == 2 and "no govern history store" in ran.stderr, ran.stderr


def test_a_run_older_than_archived_runs_waits_for_the_archive(store_url, acme_result, tmp_path):
    """Its place in the timeline needs the findings of the runs after it: refused (exit 2, nothing stored) until
    the archive is loaded back, then recorded with the lifecycles of recording in order."""
    files = [write(tmp_path, variant(acme_result, as_of=d)) for d in ("2026-11-02", "2026-11-03", "2026-11-04")]
    assert history("record", *map(str, files), db=store_url).returncode == 0
    archive = tmp_path / "old.tar.gz"
    assert history("prune", "--before", "2026-11-04", "--archive", str(archive), db=store_url).returncode == 0
    older = write(tmp_path, variant(acme_result, as_of="2026-11-01", keep=set()))
    refused = history("record", str(older), db=store_url)
    assert refused.returncode == 2 and "load the archive back first" in refused.stderr, refused.stderr
    with open_store(store_url) as store:
        assert len(store.runs()) == 3
    assert history("record", str(archive), db=store_url).returncode == 0
    assert history("record", str(older), db=store_url).returncode == 0
    with open_store(store_url) as store:
        assert [(p.new, p.resolved) for p in store.trend().points][:2] == [(0, 0), (len(acme_result["findings"]), 0)]


def test_no_history_command_ends_in_a_traceback_for_hostile_arguments(tmp_path):
    db = f"sqlite:///{tmp_path}/h.db"
    (tmp_path / "dir").mkdir()
    hostile = [
        ["record", "/dev/zero", "--db", db], ["record", str(tmp_path / "missing.json"), "--db", db],
        ["record", str(tmp_path / "dir"), "--db", db], ["record", "--db", db],
        ["list", "--since", "2026-02-30", "--db", db], ["list", "--format", "pdf", "--db", db],
        ["prune", "--archive", str(tmp_path / "a.tar.gz"), "--db", db],
        ["prune", "--before", "2026-01-01", "--archive", str(tmp_path / "dir"), "--db", db],
        ["list", "--db", "::::"], ["list", "--db", "sqlite:///"], ["list", "--db", "sqlite:///a\0b"],
        ["list", "--db", "sqlite://:memory:"], ["list", "--db", "oracle://u:pw@h/x"], ["nope"],
    ]
    for args in hostile:
        ran = govern("history", *args, cwd=tmp_path)
        assert ran.returncode == 2, (args, ran.stderr)
        assert "Traceback" not in ran.stderr and "pw" not in ran.stderr, args


def test_the_migrations_build_exactly_the_tables_the_code_reads(store_url):
    """schema.py and migrations/versions/ describe the same store, on each database."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from governance.history.schema import metadata

    open_store(store_url).engine.dispose()  # created on first use, by the migrations
    engine = create_engine(parsed(store_url))
    with engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), metadata) == []
    engine.dispose()


def test_results_too_large_to_hold_are_validated_whole_then_read_again(store_url, acme_result, tmp_path, monkeypatch):
    """Beyond what is kept in memory, every file is still validated before anything is recorded."""
    from governance.cli import history as command

    monkeypatch.setattr(command, "KEEP_VALIDATED", 0)
    files = [write(tmp_path, variant(acme_result, as_of=d)) for d in ("2026-11-01", "2026-11-02")]
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    assert history("record", *map(str, files), str(bad), db=store_url).returncode == 2
    with open_store(store_url) as store:
        assert store.runs() == []
    ran = history("record", *map(str, files), db=store_url)
    assert ran.returncode == 0 and ran.stdout.count("recorded: acme") == 2, ran.stderr


def test_prune_never_replaces_an_archive_and_writes_none_when_nothing_is_old(store_url, acme_result, tmp_path):
    days = ["2026-11-01", "2026-11-02", "2026-11-03"]
    files = [write(tmp_path, variant(acme_result, as_of=d)) for d in days]
    assert history("record", *map(str, files), db=store_url).returncode == 0
    archive = tmp_path / "arch.tar.gz"
    assert history("prune", "--before", "2026-11-02", "--archive", str(archive), db=store_url).returncode == 0
    first = archive.read_bytes()
    again = history("prune", "--before", "2026-11-03", "--archive", str(archive), db=store_url)
    assert again.returncode == 2 and "already exists" in again.stderr, again.stdout + again.stderr
    assert archive.read_bytes() == first  # the first archive's runs are still there
    with open_store(store_url) as store:  # and nothing more was pruned
        assert store.result_bytes(store.trend(["acme"]).points[1].digest) == files[1].read_bytes()
    empty = tmp_path / "empty.tar.gz"
    none = history("prune", "--before", "2026-11-01", "--archive", str(empty), db=store_url)
    assert none.returncode == 0 and "no archive was written" in none.stdout, none.stdout + none.stderr
    assert not empty.exists()
