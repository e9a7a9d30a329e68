"""Reading a store: runs with their counts, a finding's lifecycle, what is open and for how long.

A trend reads `runs` and `changes` only (counts precomputed when each run was recorded), never findings.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, and_, func, literal, or_, select

from governance.history.bulk import fetch_rows
from governance.history.errors import StoreInputError
from governance.history.schema import changes, events, findings, results, runs
from governance.history.types import (
    FindingEvent,
    FindingHistory,
    OpenFinding,
    RecordedRun,
    ResolveTimes,
    SeverityResolveTime,
    TrendPoint,
)
from governance.result import SEVERITIES, Resource, severity_rank


def _runs_query() -> Select[Any]:
    return select(runs, changes.c.new, changes.c.resolved, changes.c.regressed).join(
        changes, changes.c.run_id == runs.c.id)


def recorded(row: Any) -> RecordedRun:
    point = TrendPoint(
        entity=row.entity, as_of=row.as_of, digest=row.digest, started=row.started or None,
        unwaived=row.unwaived, advisories=row.advisories, waived=row.waived,
        by_severity=json.loads(row.by_severity), new=row.new, resolved=row.resolved, regressed=row.regressed,
        by_domain=json.loads(row.by_domain), controls_satisfied=row.controls_satisfied,
        controls_total=row.controls_total)
    return RecordedRun(entity=row.entity, as_of=row.as_of, started=row.started or None, digest=row.digest,
                       fail_on=row.fail_on, tool_version=row.tool_version, opa_version=row.opa_version, counts=point)


def select_runs(connection: Connection, entities: Sequence[str] = (), since: str | None = None,
                until: str | None = None) -> list[RecordedRun]:
    """Recorded runs, ordered by entity and then as the entity's runs are ordered; `since`/`until`: as_of bounds
    (both included)."""
    query = _runs_query()
    if entities:
        query = query.where(runs.c.entity.in_(list(entities)))
    if since:
        query = query.where(runs.c.as_of >= since)
    if until:
        query = query.where(runs.c.as_of <= until)
    return [recorded(r) for r in connection.execute(query.order_by(runs.c.entity, runs.c.order_key))]


def previous_run(connection: Connection, entity: str, as_of: str, started: str | None,
                 *, whole: bool = False) -> RecordedRun | None:
    """The entity's latest run before a run of (as_of, started), which need not be recorded; with `whole`, the
    latest whose result's bytes the store still keeps (not archived by a prune)."""
    earlier = or_(runs.c.as_of < as_of, and_(runs.c.as_of == as_of, runs.c.started < (started or "")))
    query = _runs_query().where(runs.c.entity == entity, earlier)
    if whole:
        query = query.where(runs.c.id.in_(select(results.c.run_id)))
    row = connection.execute(query.order_by(runs.c.order_key.desc()).limit(1)).first()
    return recorded(row) if row is not None else None


def latest_runs(connection: Connection, as_of: str | None = None) -> list[RecordedRun]:
    """Each entity's latest run on or before `as_of` (all runs when None), by entity."""
    keys = select(runs.c.entity, func.max(runs.c.order_key).label("key"))
    if as_of:
        keys = keys.where(runs.c.as_of <= as_of)
    latest = keys.group_by(runs.c.entity).subquery()
    query = _runs_query().join(latest, and_(latest.c.entity == runs.c.entity, latest.c.key == runs.c.order_key))
    return [recorded(r) for r in connection.execute(query.order_by(runs.c.entity))]


def finding_history(connection: Connection, fingerprint: str, entity: str | None) -> FindingHistory:
    query = select(findings).where(findings.c.fingerprint == fingerprint)
    if entity is not None:
        query = query.where(findings.c.entity == entity)
    rows = connection.execute(query.order_by(findings.c.entity)).all()
    if not rows:
        where = f" of entity {entity!r}" if entity is not None else ""
        raise StoreInputError(f"no recorded run{where} reports a finding with fingerprint {fingerprint!r}")
    if len(rows) > 1:
        names = ", ".join(repr(r.entity) for r in rows)
        raise StoreInputError(f"fingerprint {fingerprint!r} is a finding of several entities ({names}): name one with --entity")
    (row,) = rows
    first = connection.execute(select(runs.c.as_of, literal("new").label("kind"), runs.c.order_key, runs.c.digest)
                               .where(runs.c.entity == row.entity, runs.c.order_key == row.first_key)).all()
    found = [*first, *connection.execute(select(events.c.as_of, events.c.kind, events.c.order_key, runs.c.digest)
                                         .join(runs, runs.c.id == events.c.run_id)
                                         .where(events.c.entity == row.entity, events.c.fingerprint == fingerprint)
                                         .order_by(events.c.order_key))]
    resolved = bool(found) and found[-1].kind == "resolved"
    return FindingHistory(entity=row.entity, fingerprint=fingerprint, check=row.check_id,
                          resource=Resource(kind=row.resource_kind, id=row.resource_id), severity=row.severity,
                          first_seen=row.first_key[:10],
                          last_seen=_last_seen(connection, row.entity, found[-1].order_key if resolved else None),
                          state="resolved" if resolved else "open",
                          events=[FindingEvent(as_of=e.as_of, kind=e.kind, digest=e.digest) for e in found])


def _last_seen(connection: Connection, entity: str, resolved_at: str | None) -> str:
    """The as_of of the last run that reported a finding: the run before the one that resolved it, or, while it
    is open, the entity's latest run (which reports it)."""
    query = select(runs.c.as_of).where(runs.c.entity == entity)
    if resolved_at is not None:
        query = query.where(runs.c.order_key < resolved_at)
    return str(connection.execute(query.order_by(runs.c.order_key.desc()).limit(1)).scalar_one())


def _days(since: str, until: str) -> int:
    return (dt.date.fromisoformat(until) - dt.date.fromisoformat(since)).days


class _Open(NamedTuple):
    """A finding open on the day asked about, in the order the oldest are listed: longest open first, then the
    most severe, then by entity, check and fingerprint. A tuple: an entity may have 100,000 open."""

    age_days: int  # negated, so that the longest open sorts first
    rank: int
    entity: str
    check: str
    fingerprint: str
    identity: tuple[Any, ...]  # the finding's row: entity, fingerprint, check, resource kind and id, severity, first key
    since: str


def _lives(connection: Connection, entities: Iterable[str], as_of: str) -> tuple[list[tuple[str, int]], list[_Open]]:
    """Every opening resolved on or before `as_of` (its severity and days open), and every finding still open then
    (with its age from its latest opening, oldest first), from the events of `entities` (all when empty).

    Two reads, each in the order of its table's key, put together in one pass: the findings' identities, and
    their events in order (a join of the two has the database look each event's finding up, or each finding's
    events, which grew with the square of the findings)."""
    chosen = list(entities)
    # a finding opens at its first run (its `new`, which is not an event row: findings.first_key), every other
    # change is an event row; an order key begins with its run's as_of
    first = select(findings.c.entity, findings.c.fingerprint, findings.c.check_id, findings.c.resource_kind,
                   findings.c.resource_id, findings.c.severity, findings.c.first_key).where(
        func.substr(findings.c.first_key, 1, 10) <= as_of)
    later = select(events.c.entity, events.c.fingerprint, events.c.kind, events.c.as_of).where(events.c.as_of <= as_of)
    if chosen:
        first = first.where(findings.c.entity.in_(chosen))
        later = later.where(events.c.entity.in_(chosen))
    identity = {(row[0], row[1]): row for row in fetch_rows(connection, first)}
    opened: dict[tuple[str, str], str] = {key: row[6][:10] for key, row in identity.items()}
    resolved: list[tuple[str, int]] = []
    for entity, fingerprint, kind, day in fetch_rows(connection, later.order_by(
            events.c.entity, events.c.fingerprint, events.c.order_key)):
        key = (entity, fingerprint)
        if kind in ("new", "regressed"):
            opened[key] = day
        elif kind == "resolved" and key in opened:
            resolved.append((identity[key][5], _days(opened.pop(key), day)))
    still = [_Open(-_days(since, as_of), severity_rank(identity[key][5]), key[0], identity[key][2], key[1],
                   identity[key], since) for key, since in opened.items()]
    still.sort()
    return resolved, still


def _open_finding(found: _Open) -> OpenFinding:
    entity, fingerprint, check, kind, id_, severity, _ = found.identity
    return OpenFinding(entity=entity, fingerprint=fingerprint, check=check, resource=Resource(kind=kind, id=id_),
                       severity=severity, first_seen=found.since, age_days=-found.age_days)


def oldest_open(connection: Connection, entity: str, as_of: str, limit: int) -> list[OpenFinding]:
    """The entity's findings open on `as_of`, longest open first (then the most severe)."""
    return [_open_finding(f) for f in _lives(connection, [entity], as_of)[1][:limit]]


def resolve_times(connection: Connection, entities: Sequence[str], as_of: str) -> ResolveTimes:
    resolved, still = _lives(connection, entities, as_of)
    per: dict[str, SeverityResolveTime] = {}
    for severity in SEVERITIES:
        days = [d for s, d in resolved if s == severity]
        longest = next((_open_finding(f) for f in still if f.identity[5] == severity), None)
        per[severity] = SeverityResolveTime(resolved=len(days), median_days=statistics.median(days) if days else None,
                                            longest_open=longest)
    return ResolveTimes.model_validate({"as_of": as_of, "by_severity": per})
