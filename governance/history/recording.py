"""Recording a run: its rows written once, then the lifecycles of its entity recomputed from the ordered
timeline, from the run's place onwards (a run recorded late changes what came after it, never before).

Every value is bound or copied as data (bulk.py); nothing from a result is ever part of SQL text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from concurrent.futures import Executor, Future
from operator import itemgetter
from typing import Any

from sqlalchemy import ARRAY, Connection, Text, any_, bindparam, case, delete, insert, select, update

from governance.history import lifecycle
from governance.history.bulk import fetch_rows, insert_rows
from governance.history.counts import counted
from governance.history.errors import StoreInputError
from governance.history.packed import pack
from governance.history.schema import changes, events, findings, observations, results, runs
from governance.result import RunResult

# What the store keeps of one finding, as a plain tuple: (fingerprint, status, severity, check, resource kind,
# resource id). Every table a run writes takes its rows from these, not from the findings' models.
Row = tuple[str, str, str, str, str, str]
FINGERPRINT, STATUS = 0, 1  # the places read one at a time


def order_key(as_of: str, started: str, digest: str) -> str:
    """A run's place among its entity's runs as one string that sorts that way ("" sorts before a time)."""
    return f"{as_of} {started} {digest}"


def insert_run(connection: Connection, result: RunResult, digest: str, ordered: list[Row],
               packed: Future[bytes]) -> tuple[int, str]:
    """The run's rows, written once: the run and its counts, its compressed bytes (`packed`), one row per finding
    (`ordered`: rows). Returns the run's id and its order key."""
    started = result.run.started_at if result.run else ""
    key = order_key(result.as_of, started, digest)
    row: dict[str, Any] = {
        "digest": digest, "entity": result.workspace, "as_of": result.as_of, "started": started, "order_key": key,
        "fail_on": result.fail_on, "tool_version": result.tool.version, "opa_version": result.engine.opa_version,
        "recorded_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), **counted(result)}
    run_id = int(connection.execute(insert(runs).returning(runs.c.id), row).scalar_one())
    store_findings(connection, run_id, ordered, packed)
    return run_id, key


def rows(result: RunResult) -> list[Row]:
    """What the store keeps of each of the run's findings, in the order of the store's keys (entity or run, then
    fingerprint), sorted once for every table they are written to: each row then lands next to the one before in
    its index."""
    # taken from the models in the findings' own order, where they lie one after another in memory, and only then
    # sorted: read in fingerprint order, each model is somewhere else (3-4x slower at 50,000, benchmarks/README.md
    # "Recording, round 4")
    made: list[Row] = [(f.fingerprint, f.status, f.severity, f.check, f.resource.kind, f.resource.id) for f in result.findings]
    made.sort(key=itemgetter(FINGERPRINT))
    return made


def packing(pool: Executor, data: bytes) -> Future[bytes]:
    """The result's bytes compressed in `pool` while the rows are written: zstandard lets go of the interpreter."""
    return pool.submit(pack, data)


def store_findings(connection: Connection, run_id: int, ordered: list[Row], packed: Future[bytes]) -> None:
    """The run's bytes (`packed`: packing) and findings (`ordered`: rows; also what loading an archived run back
    restores)."""
    insert_rows(connection, observations, ("run_id", "fingerprint", "severity", "status"),
                [(run_id, fp, severity, status) for fp, status, severity, _, _, _ in ordered], ordered=True)
    connection.execute(insert(results), {"run_id": run_id, "data": packed.result()})


def follow(connection: Connection, entity: str, run_id: int, key: str, ordered: list[Row]) -> None:
    """The lifecycles of `entity` once its run `run_id` (at `key`, reporting `ordered`) is written: each finding's
    identity, the run's events and changes, and those of every later run (a backfill)."""
    now: lifecycle.Statuses = dict(map(itemgetter(FINGERPRINT, STATUS), ordered))
    later = connection.execute(select(runs.c.id, runs.c.order_key, runs.c.as_of).where(
        runs.c.entity == entity, runs.c.order_key >= key).order_by(runs.c.order_key)).all()
    previous = connection.execute(select(runs.c.id).where(runs.c.entity == entity, runs.c.order_key < key)
                                  .order_by(runs.c.order_key.desc()).limit(1)).scalar()
    before = _statuses(connection, previous) if previous is not None else {}
    if len(later) == 1:  # the entity's latest run, the common case: only what changed since the run before is read
        reported_earlier = now.keys() - before.keys()  # new, or regressed when an earlier run reported it
        seen = _known(connection, entity, reported_earlier) if previous is not None else set()
        first = reported_earlier - seen
        _insert_identities(connection, entity, ordered if len(first) == len(ordered) else  # every one: a first run
                           [r for r in ordered if r[FINGERPRINT] in first], key)
    else:  # a backfill: every finding the entity knows is read, and the runs after it are recomputed too
        seen = _identities(connection, entity, ordered, key)
        connection.execute(delete(events).where(events.c.entity == entity, events.c.order_key >= key))
        connection.execute(delete(changes).where(changes.c.run_id.in_([r.id for r in later])))
    _steps(connection, entity, later, before, seen, {run_id: now})


def _known(connection: Connection, entity: str, fingerprints: Collection[str]) -> set[str]:
    """Which of `fingerprints` the entity's findings hold (an earlier run reported them), looked up by key: on
    PostgreSQL as one bound array (a statement of hundreds of parameters costs its planner more than the lookup),
    on SQLite in chunks of bound parameters."""
    wanted = sorted(fingerprints)
    if connection.dialect.name == "postgresql":
        return {fp for (fp,) in fetch_rows(connection, select(findings.c.fingerprint).where(
            findings.c.entity == entity, findings.c.fingerprint == any_(bindparam("wanted", wanted, ARRAY(Text)))))}
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        found.update(fp for (fp,) in fetch_rows(connection, select(findings.c.fingerprint).where(
            findings.c.entity == entity, findings.c.fingerprint.in_(wanted[start:start + _CHUNK]))))
    return found


_CHUNK = 500


def _insert_identities(connection: Connection, entity: str, first_reported: list[Row], key: str) -> None:
    insert_rows(connection, findings,
                ("entity", "fingerprint", "check_id", "resource_kind", "resource_id", "severity", "first_key"),
                [(entity, fp, check, kind, resource, severity, key)
                 for fp, _, severity, check, kind, resource in first_reported], ordered=True)


def _identities(connection: Connection, entity: str, ordered: list[Row], key: str) -> set[str]:
    """Each finding's identity, once per entity; a run recorded before the first that reported it moves its
    first run back. Returns the fingerprints reported before the run at `key`."""
    # the fingerprint and whether its first run comes after this one: the first run's key itself (some
    # hundred bytes) is not needed, and a 50,000-finding entity would read it 50,000 times
    known = dict(fetch_rows(connection, select(findings.c.fingerprint, case((findings.c.first_key > key, 1), else_=0))
                            .where(findings.c.entity == entity)))
    _insert_identities(connection, entity, [r for r in ordered if r[FINGERPRINT] not in known], key)
    earlier = [{"fp": r[FINGERPRINT], "key": key} for r in ordered if known.get(r[FINGERPRINT])]
    if earlier:
        connection.execute(update(findings).where(findings.c.entity == entity,
                                                  findings.c.fingerprint == bindparam("fp"))
                           .values(first_key=bindparam("key")), earlier)
    return {fp for fp, later in known.items() if not later}


def _steps(connection: Connection, entity: str, later: Sequence[Any], before: lifecycle.Statuses,
           seen: set[str], known: dict[int, lifecycle.Statuses]) -> None:
    """The events and changes of `later` (runs' rows: id, order_key, as_of; in order) from the ordered timeline;
    `before`: what the run before the first of them reported; `known`: what runs reported, by id, where the caller
    has it already; `seen`: the fingerprints runs before them reported (for the entity's latest run, those of its
    findings not in `before` are enough)."""
    for i, run in enumerate(later):
        now = known[run.id] if run.id in known else _statuses(connection, run.id)
        changed = lifecycle.step(before, seen, now)
        # a finding's `new` is not written: it is its first run (findings.first_key), read from there
        insert_rows(connection, events, ("entity", "fingerprint", "order_key", "run_id", "as_of", "kind", "status"),
                    [(entity, e.fingerprint, run.order_key, run.id, run.as_of, e.kind, e.status)
                     for e in changed.events])
        connection.execute(insert(changes), {"run_id": run.id, **lifecycle.tally(changed)})
        if i + 1 < len(later):  # the next run's `seen`; none after the last
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
