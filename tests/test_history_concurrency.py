"""Many `govern history record` processes at once (several CI jobs): 8 into one PostgreSQL store and 2 into
one SQLite file lose no run, store none twice, and give the lifecycles of recording one after the other,
also when they record runs of one entity."""

from __future__ import annotations

import os

from governance.history.errors import StoreInputError
from governance.history.store import open_store
from tests.conftest import Ran, govern_forked_at_once
from tests.history_support import acme_result, new_database, postgres_cluster, variant, write  # fixtures, by import


def at_once(url: str, files: list, cwd) -> list[Ran]:
    """One `govern history record` process per file, all started before any is waited for: each a process
    of its own (forked from this one, without a Python start-up), with its own connections to the store."""
    return govern_forked_at_once([("history", "record", str(f)) for f in files], env={**os.environ, "GOVERN_DB": url},
                                 cwd=cwd)


def one_after_another(url: str, files: list) -> tuple:
    with open_store(url) as store:
        for f in files:
            store.record(f.read_bytes(), str(f))
        return state(store)


def state(store) -> tuple:
    """The trend, and the lifecycle of every finding the runs reported (all of them are acme's)."""
    trend = store.trend()
    fps = sorted({o.fingerprint for o in store.oldest_open(trend.points[0].entity, "2026-12-31", 1000)} | EVERY)
    return trend, [life(store, fp, e) for e in sorted({p.entity for p in trend.points}) for fp in fps]


def life(store, fingerprint: str, entity: str):
    try:
        return store.finding(fingerprint, entity)
    except StoreInputError:  # no run of the entity reported it
        return None


EVERY: set[str] = set()


def runs_of(base: dict, entities: list[str], days: int) -> list:
    """Runs of `entities`, each day leaving out a different finding (every run reports all but one)."""
    fps = [f["fingerprint"] for f in base["findings"]]
    EVERY.update(fps)
    return [variant(base, entity=e, as_of=f"2026-11-{d + 1:02d}", keep=set(fps) - {fps[(d + i) % len(fps)]})
            for i, e in enumerate(entities) for d in range(days)]


def test_eight_processes_at_once_into_one_postgresql_store(postgres_cluster, acme_result, tmp_path):
    runs = runs_of(acme_result, ["north", "south", "east"], 3)[:7]  # three entities, several runs of each at once
    files = [write(tmp_path, data) for data in runs] + [write(tmp_path, runs[0], "again.json")]  # one twice
    url = new_database(postgres_cluster)
    done = at_once(url, files, tmp_path)
    assert [p.returncode for p in done] == [0] * 8, [p.stderr for p in done]
    assert sum(p.stdout.startswith("recorded:") for p in done) == 7
    assert sum(p.stdout.startswith("already recorded") for p in done) == 1
    with open_store(url) as store:
        assert len(store.runs()) == 7
        concurrent = state(store)
    assert concurrent == one_after_another(new_database(postgres_cluster), files[:7])


def test_two_processes_at_once_into_one_sqlite_file(acme_result, tmp_path):
    files = [write(tmp_path, data) for data in runs_of(acme_result, ["north"], 2)]  # one entity: its lifecycles
    url = f"sqlite:///{tmp_path}/history.db"
    for _ in range(3):  # three rounds, so the two processes overlap whatever the machine's speed
        done = at_once(url, files, tmp_path)
        assert [p.returncode for p in done] == [0, 0], [p.stderr for p in done]
    with open_store(url) as store:
        assert len(store.runs()) == 2
        concurrent = state(store)
    assert concurrent == one_after_another(f"sqlite:///{tmp_path}/sequential.db", files)


def test_records_of_one_entity_at_once_in_postgresql_give_the_lifecycles_of_one_after_another(
        postgres_cluster, acme_result, tmp_path):
    # each run reports one finding of its own: no two share a row the database would lock, only the entity's
    # lock keeps them from computing their changes against the same earlier run
    fps = [f["fingerprint"] for f in acme_result["findings"]]
    files = [write(tmp_path, variant(acme_result, entity="north", as_of=f"2026-11-{d + 1:02d}", keep={fps[d]}))
             for d in range(6)]
    EVERY.update(fps)
    url = new_database(postgres_cluster)
    done = at_once(url, files, tmp_path)
    assert [p.returncode for p in done] == [0] * 6, [p.stderr for p in done]
    with open_store(url) as store:
        concurrent = state(store)
    assert concurrent == one_after_another(new_database(postgres_cluster), files)
