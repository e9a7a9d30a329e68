"""Retention: the bytes and findings of old runs move to an archive; the runs' rows, counts and lifecycles
stay, so a trend and a finding's history read as before, and `history record ARCHIVE` brings them back.
An entity's latest run is never archived (the next run's changes are computed against it)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, delete, func, select

from governance.history.archive import archived
from governance.history.database import writing
from governance.history.packed import unpack
from governance.history.schema import observations, results, runs
from governance.history.types import PruneOutcome


def prune(engine: Engine, before: str, archive_path: str, write: Callable[[bytes], None]) -> PruneOutcome:
    with writing(engine) as connection:  # SQLite: the only writer; PostgreSQL: no store upgrade meanwhile
        latest = select(runs.c.entity, func.max(runs.c.order_key).label("key")).group_by(runs.c.entity).subquery()
        old = connection.execute(
            select(runs.c.id, runs.c.digest, runs.c.order_key, latest.c.key, results.c.data)
            .join(latest, latest.c.entity == runs.c.entity)
            .join(results, results.c.run_id == runs.c.id)
            .where(runs.c.as_of < before).order_by(runs.c.entity, runs.c.order_key)).all()
        moved = [r for r in old if r.order_key != r.key]
        kept = [r.digest for r in old if r.order_key == r.key]
        if not moved:  # no archive at all: an empty one would only stand where a real one may be wanted
            return PruneOutcome(archive=None, pruned=[], kept_latest=kept)
        write(archived((r.digest, unpack(r.data)) for r in moved))  # in place before anything is removed
        ids = [r.id for r in moved]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            connection.execute(delete(observations).where(observations.c.run_id.in_(chunk)))
            connection.execute(delete(results).where(results.c.run_id.in_(chunk)))
    return PruneOutcome(archive=archive_path, pruned=[r.digest for r in moved], kept_latest=kept)


