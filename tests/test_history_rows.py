"""What recording writes, on SQLite and on PostgreSQL: a finding's `new` is read from its first run, not
written as an event row (an entity's first run of 50,000 findings writes 100,000 rows, not 150,000), and a
store of the schema that kept those rows reads the same after `govern history upgrade`."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, func, select, text

from governance.history.migrate import config
from governance.history.schema import events
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
