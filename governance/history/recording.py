"""Recording a run: its rows written once, then the lifecycles of its entity recomputed from the ordered
timeline, from the run's place onwards (a run recorded late changes what came after it, never before).

Every value is bound or copied as data (bulk.py); nothing from a result is ever part of SQL text.
"""

from __future__ import annotations

import datetime as dt
import zlib
from concurrent.futures import ThreadPoolExecutor
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, bindparam, case, delete, insert, select, update

from governance.history import lifecycle
from governance.history.bulk import fetch_rows, insert_rows
from governance.history.counts import counted
from governance.history.errors import StoreInputError
from governance.history.schema import changes, events, findings, observations, results, runs
from governance.result import Finding, RunResult


def order_key(as_of: str, started: str, digest: str) -> str:
    """A run's place among its entity's runs as one string that sorts that way ("" sorts before a time)."""
    return f"{as_of} {started} {digest}"


def insert_run(connection: Connection, result: RunResult, data: bytes, digest: str) -> tuple[int, str, set[str]]:
    """The run's rows, written once: the run and its counts, its compressed bytes, one row per finding, and
    the identity of each finding no earlier run reported. Returns the run's id, its order key, and the
    fingerprints the entity's earlier runs reported."""
    started = result.run.started_at if result.run else ""
    key = order_key(result.as_of, started, digest)
    row: dict[str, Any] = {
        "digest": digest, "entity": result.workspace, "as_of": result.as_of, "started": started, "order_key": key,
        "fail_on": result.fail_on, "tool_version": result.tool.version, "opa_version": result.engine.opa_version,
        "recorded_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), **counted(result)}
    run_id = int(connection.execute(insert(runs).returning(runs.c.id), row).scalar_one())
    ordered = by_fingerprint(result)
    store_findings(connection, run_id, ordered, data)
    return run_id, key, _identities(connection, result.workspace, ordered, key)


def by_fingerprint(result: RunResult) -> list[Finding]:
    """The run's findings in the order of the store's keys (entity or run, then fingerprint), sorted once for
    every table they are written to: each row then lands next to the one before in its index."""
    return sorted(result.findings, key=attrgetter("fingerprint"))


def store_findings(connection: Connection, run_id: int, ordered: list[Finding], data: bytes) -> None:
    """The run's bytes and findings (`ordered`: by_fingerprint; also what loading an archived run back restores).
    The bytes are compressed in a thread while the findings are written: zlib lets go of the interpreter."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        compressed = pool.submit(zlib.compress, data, 1)
        insert_rows(connection, observations, ("run_id", "fingerprint", "severity", "status"),
                    [(run_id, f.fingerprint, f.severity, f.status) for f in ordered], ordered=True)
        connection.execute(insert(results), {"run_id": run_id, "data": compressed.result()})


def _identities(connection: Connection, entity: str, ordered: list[Finding], key: str) -> set[str]:
    """Each finding's identity, once per entity; a run recorded before the first that reported it moves its
    first run back. Returns the fingerprints reported before the run at `key`."""
    # the fingerprint and whether its first run comes after this one: the first run's key itself (some
    # hundred bytes) is not needed, and a 50,000-finding entity would read it 50,000 times
    known = dict(fetch_rows(connection, select(findings.c.fingerprint, case((findings.c.first_key > key, 1), else_=0))
                            .where(findings.c.entity == entity)))
    insert_rows(connection, findings,
                ("entity", "fingerprint", "check_id", "resource_kind", "resource_id", "severity", "first_key"),
                [(entity, f.fingerprint, f.check, f.resource.kind, f.resource.id, f.severity, key)
                 for f in ordered if f.fingerprint not in known], ordered=True)
    earlier = [{"fp": f.fingerprint, "key": key} for f in ordered if known.get(f.fingerprint)]
    if earlier:
        connection.execute(update(findings).where(findings.c.entity == entity,
                                                  findings.c.fingerprint == bindparam("fp"))
                           .values(first_key=bindparam("key")), earlier)
    return {fp for fp, later in known.items() if not later}


def recompute(connection: Connection, entity: str, key: str, known: dict[int, lifecycle.Statuses],
              seen: set[str]) -> None:
    """The events and changes of `entity`'s runs from the one at `key` onwards, from the ordered timeline;
    `known`: what runs reported, by id, where the caller has it already (the run just inserted); `seen`: the
    fingerprints runs before `key` reported."""
    later = connection.execute(select(runs.c.id, runs.c.order_key, runs.c.as_of).where(
        runs.c.entity == entity, runs.c.order_key >= key).order_by(runs.c.order_key)).all()
    previous = connection.execute(select(runs.c.id).where(runs.c.entity == entity, runs.c.order_key < key)
                                  .order_by(runs.c.order_key.desc()).limit(1)).scalar()
    before = _statuses(connection, previous) if previous is not None else {}
    ids = [r.id for r in later]
    if len(ids) > 1:  # a backfill: the runs after it are recomputed too
        connection.execute(delete(events).where(events.c.entity == entity, events.c.order_key >= key))
        connection.execute(delete(changes).where(changes.c.run_id.in_(ids)))
    for run in later:
        now = known[run.id] if run.id in known else _statuses(connection, run.id)
        found = lifecycle.step(before, seen, now)
        # a finding's `new` is not written: it is its first run (findings.first_key), read from there
        insert_rows(connection, events, ("entity", "fingerprint", "order_key", "run_id", "as_of", "kind", "status"),
                    [(entity, e.fingerprint, run.order_key, run.id, run.as_of, e.kind, e.status) for e in found
                     if e.kind != "new"])
        connection.execute(insert(changes), {"run_id": run.id, **lifecycle.tally(found)})
        seen.update(now)
        before = now


def _statuses(connection: Connection, run_id: int) -> lifecycle.Statuses:
    """What a run reported; a run whose findings were archived cannot take part in a recomputation."""
    held = connection.execute(select(results.c.run_id).where(results.c.run_id == run_id)).scalar()
    if held is None:
        digest = connection.execute(select(runs.c.digest).where(runs.c.id == run_id)).scalar_one()
        raise StoreInputError(f"run {digest} was archived by `govern history prune`; a run recorded before it "
                              "needs its findings: load the archive back first (`govern history record ARCHIVE`)")
    rows = fetch_rows(connection, select(observations.c.fingerprint, observations.c.status)
                      .where(observations.c.run_id == run_id))
    return {fp: status for fp, status in rows}
