"""What recording writes, on SQLite and on PostgreSQL: a finding's `new` is read from its first run, not
written as an event row (an entity's first run of 50,000 findings writes 100,000 rows, not 150,000), and a
store of the schema that kept those rows reads the same after `govern history upgrade`; a run's bytes are
kept in zstandard, and those an earlier govern kept in zlib read back as they were."""

from __future__ import annotations

import hashlib
import zlib

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, text, update

from governance.history import packed
from governance.history.archive import members
from governance.history.migrate import config
from governance.history.schema import events, metadata, observations, results, runs
from governance.history.store import open_store
from governance.history.url import parsed
from tests.history_support import acme_result, postgres_cluster, store_url, variant


def _kinds(url: str) -> dict[str, int]:
    engine = create_engine(parsed(url))
    with engine.connect() as c:
        counted = dict(c.execute(select(events.c.kind, func.count()).group_by(events.c.kind)).all())
    engine.dispose()
    return counted


def _lifecycles(url: str, fingerprints: list[str], as_of: str):
    with open_store(url) as store:
        return ([store.finding(fp, "acme") for fp in fingerprints], store.resolve_times([], as_of),
                store.oldest_open("acme", as_of, 100), store.trend())


def test_a_first_run_writes_no_event_row_and_its_findings_are_new_from_it(store_url, acme_result):
    every = [f["fingerprint"] for f in acme_result["findings"]]
    one = every[0]
    with open_store(store_url) as store:
        store.record(variant(acme_result, as_of="2026-11-01"), "a")
        assert _kinds(store_url) == {}
        store.record(variant(acme_result, as_of="2026-11-08", keep=set(every) - {one}), "b")
        life = store.finding(one, "acme")
        oldest = store.oldest_open("acme", "2026-11-08", 100)
        times = store.resolve_times([], "2026-11-08")
    assert _kinds(store_url) == {"resolved": 1}
    assert [(e.as_of, e.kind) for e in life.events] == [("2026-11-01", "new"), ("2026-11-08", "resolved")]
    assert len(oldest) == len(every) - 1 and {o.first_seen for o in oldest} == {"2026-11-01"}
    assert sum(s.resolved for s in times.by_severity.values()) == 1
    with open_store(store_url) as store:  # before its first run, a finding is not open yet
        assert store.oldest_open("acme", "2026-10-31", 100) == []


def test_a_store_that_kept_new_as_rows_reads_the_same_once_upgraded(store_url, acme_result):
    every = [f["fingerprint"] for f in acme_result["findings"]]
    with open_store(store_url) as store:
        store.record(variant(acme_result, as_of="2026-11-01", keep=set(every[1:])), "a")
        store.record(variant(acme_result, as_of="2026-11-08", keep=set(every[:-1])), "b")
    before = _lifecycles(store_url, every, "2026-11-08")
    engine = create_engine(parsed(store_url))
    with engine.begin() as c:  # the schema before: `new` rows written back
        command.downgrade(config(c), "0002")
    with engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0002"
    engine.dispose()
    assert _kinds(store_url) == {"new": len(every), "resolved": 1}
    with engine.begin() as c:
        command.upgrade(config(c), "head")
    engine.dispose()
    assert _kinds(store_url) == {"resolved": 1}
    assert _lifecycles(store_url, every, "2026-11-08") == before


def test_a_run_is_kept_in_zstandard_and_a_run_kept_in_zlib_still_reads_back_byte_for_byte(
        store_url, acme_result, tmp_path):
    older, newer = (variant(acme_result, as_of=day) for day in ("2026-11-01", "2026-11-08"))
    with open_store(store_url) as store:
        store.record(older, "a")
        store.record(newer, "b")
    engine = create_engine(parsed(store_url))
    with engine.begin() as c:  # the first run as a govern before zstandard kept it
        first = c.execute(select(runs.c.id).where(runs.c.digest == _digest(older))).scalar_one()
        c.execute(update(results).where(results.c.run_id == first).values(data=zlib.compress(older, 1)))
    with engine.connect() as c:
        kept = dict(c.execute(select(runs.c.digest, results.c.data).join(results, results.c.run_id == runs.c.id)).all())
    assert kept[_digest(newer)][:4] == packed.ZSTD_MAGIC and kept[_digest(older)][:1] == b"\x78"
    with open_store(store_url) as store:
        assert store.result_bytes(_digest(older)) == older and store.result_bytes(_digest(newer)) == newer
        store.prune("2026-11-08", str(tmp_path / "old.tar.gz"))
    archive = tmp_path / "old.tar.gz"
    assert list(members(archive, archive.read_bytes())) == [(f"{archive}:{_digest(older)}.json", older)]
    with engine.begin() as c:  # a govern of the schema before reads zlib only: a downgrade writes zlib back
        command.downgrade(config(c), "0003")
    with engine.connect() as c:
        assert [zlib.decompress(d) for (d,) in c.execute(select(results.c.data))] == [newer]
    engine.dispose()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_runs_observations_and_events_hold_no_foreign_key_and_an_upgrade_drops_it_keeping_the_rows(
        store_url, acme_result):
    every = [f["fingerprint"] for f in acme_result["findings"]]
    with open_store(store_url) as store:
        store.record(variant(acme_result, as_of="2026-11-01"), "a")
        store.record(variant(acme_result, as_of="2026-11-08", keep=set(every[1:])), "b")
    before = _lifecycles(store_url, every, "2026-11-08")
    engine = create_engine(parsed(store_url))

    def keys_and_rows() -> tuple[dict[str, list], tuple[int, int]]:
        with engine.connect() as c:
            found = inspect(c)
            counted = (c.execute(select(func.count()).select_from(observations)).scalar_one(),
                       c.execute(select(func.count()).select_from(events)).scalar_one())
            return {t: found.get_foreign_keys(t) for t in ("observations", "events", "results", "changes")}, counted

    now, rows = keys_and_rows()
    assert now["observations"] == now["events"] == [] and now["results"] and now["changes"]
    with engine.begin() as c:  # the schema before: the key back, on every row already written
        command.downgrade(config(c), "0004")
    keyed, kept = keys_and_rows()
    assert [k["referred_table"] for t in ("observations", "events") for k in keyed[t]] == ["runs", "runs"]
    assert kept == rows == (2 * len(every) - 1, 1)
    with engine.begin() as c:
        command.upgrade(config(c), "head")
    assert keys_and_rows() == (now, rows)
    with engine.connect() as c:  # and every index is where it was
        assert compare_metadata(MigrationContext.configure(c), metadata) == []
    engine.dispose()
    assert _lifecycles(store_url, every, "2026-11-08") == before
