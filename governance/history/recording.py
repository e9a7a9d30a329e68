"""Recording a run: its rows written once, then the lifecycles of its entity recomputed from the ordered
timeline, from the run's place onwards (a run recorded late changes what came after it, never before).

Every statement takes its values as bound parameters; nothing from a result is ever part of SQL text.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

from sqlalchemy import Connection, Insert, case, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from governance.history import lifecycle
from governance.history.counts import counted
from governance.history.errors import StoreInputError
from governance.history.schema import changes, events, findings, observations, results, runs
from governance.result import RunResult


def order_key(as_of: str, started: str, digest: str) -> str:
    """A run's place among its entity's runs as one string that sorts that way ("" sorts before a time)."""
    return f"{as_of} {started} {digest}"


def insert_run(connection: Connection, result: RunResult, data: bytes, digest: str) -> int:
    """The run's rows, written once: the run and its counts, its compressed bytes, one row per finding."""
    started = result.run.started_at if result.run else ""
    row: dict[str, Any] = {
        "digest": digest, "entity": result.workspace, "as_of": result.as_of, "started": started,
        "order_key": order_key(result.as_of, started, digest), "fail_on": result.fail_on,
        "tool_version": result.tool.version, "opa_version": result.engine.opa_version,
        "recorded_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), **counted(result)}
    run_id = int(connection.execute(insert(runs).returning(runs.c.id), row).scalar_one())
    store_findings(connection, run_id, result, data)
    identities = [{"entity": result.workspace, "fingerprint": f.fingerprint, "check_id": f.check,
                   "resource_kind": f.resource.kind, "resource_id": f.resource.id, "severity": f.severity,
                   "first_key": row["order_key"], "last_key": row["order_key"]} for f in result.findings]
    if identities:
        connection.execute(_identity_upsert(connection), identities)
    return run_id


def store_findings(connection: Connection, run_id: int, result: RunResult, data: bytes) -> None:
    """The run's bytes and findings (also what loading an archived run back restores)."""
    connection.execute(insert(results), {"run_id": run_id, "data": zlib.compress(data, 6)})
    rows = [{"run_id": run_id, "fingerprint": f.fingerprint, "severity": f.severity, "status": f.status}
            for f in result.findings]
    if rows:
        connection.execute(insert(observations), rows)


def _identity_upsert(connection: Connection) -> Insert:
    """Insert a finding's identity, or widen its first and last run to include this one."""
    dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(findings)
    new = stmt.excluded
    upsert: Insert = stmt.on_conflict_do_update(index_elements=[findings.c.entity, findings.c.fingerprint], set_={
        "first_key": case((new.first_key < findings.c.first_key, new.first_key), else_=findings.c.first_key),
        "last_key": case((new.last_key > findings.c.last_key, new.last_key), else_=findings.c.last_key),
        "severity": case((new.last_key > findings.c.last_key, new.severity), else_=findings.c.severity),
    })
    return upsert


def recompute(connection: Connection, entity: str, key: str) -> None:
    """The events and changes of `entity`'s runs from the one at `key` onwards, from the ordered timeline."""
    later = connection.execute(select(runs.c.id, runs.c.order_key, runs.c.as_of).where(
        runs.c.entity == entity, runs.c.order_key >= key).order_by(runs.c.order_key)).all()
    previous = connection.execute(select(runs.c.id).where(runs.c.entity == entity, runs.c.order_key < key)
                                  .order_by(runs.c.order_key.desc()).limit(1)).scalar()
    before = _statuses(connection, previous) if previous is not None else {}
    seen = set(connection.execute(select(findings.c.fingerprint).where(
        findings.c.entity == entity, findings.c.first_key < key)).scalars())
    ids = [r.id for r in later]
    connection.execute(delete(events).where(events.c.run_id.in_(ids)))
    connection.execute(delete(changes).where(changes.c.run_id.in_(ids)))
    for run in later:
        now = _statuses(connection, run.id)
        found = lifecycle.step(before, seen, now)
        if found:
            connection.execute(insert(events), [
                {"run_id": run.id, "fingerprint": e.fingerprint, "entity": entity, "order_key": run.order_key,
                 "as_of": run.as_of, "kind": e.kind, "status": e.status} for e in found])
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
    rows = connection.execute(select(observations.c.fingerprint, observations.c.status)
                              .where(observations.c.run_id == run_id))
    return {r.fingerprint: r.status for r in rows}
