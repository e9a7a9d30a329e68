"""The history store: `open_store(url)` and what a store does (docs/history.md).

A run is recorded whole or not at all, after its result is validated as every command validates one
(governance/evaluate/saved.py). Its digest is the sha256 of its bytes: recording the same bytes again
changes nothing, and says so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlalchemy import Engine, select

from governance.evaluate import ResultFileError, read_result, result_refused
from governance.history import migrate, reading, recording
from governance.history.database import engine_for, read_transaction, writing
from governance.history.errors import StoreInputError
from governance.history.packed import unpack
from governance.history.pruning import prune
from governance.history.schema import results, runs
from governance.history.text_columns import WHAT, nul_in_text
from governance.history.types import (
    FindingHistory,
    OpenFinding,
    PruneOutcome,
    RecordedRun,
    RecordOutcome,
    ResolveTimes,
    Trend,
)
from governance.history.url import chosen, parsed, redact
from governance.load import collector_paused
from governance.result import RunResult


class Store:
    """One store, open for the length of a command (a context manager: the connection pool is closed after)."""

    def __init__(self, engine: Engine, shown: str) -> None:
        self.engine = engine
        self.shown = shown  # the URL as it may be printed

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------ recording

    def record(self, data: bytes, source: str) -> RecordOutcome:
        """Validate the result `data` (read from `source`, named in messages), then record it once."""
        return self.record_valid(data, valid_result(data, source))

    def record_valid(self, data: bytes, result: RunResult) -> RecordOutcome:
        """Record a result already validated (`valid_result`): its rows, then its entity's lifecycles."""
        unstorable = nul_in_text(result, data)
        if unstorable:  # this run's own result (`check --record`): no file to point into, its JSON paths instead
            raise StoreInputError("\n".join(f"{_shown(at)}: {why}" for at, why in unstorable[:MAX_SHOWN]))
        with ThreadPoolExecutor(max_workers=2) as pool:  # hashing and compressing let go of the interpreter
            hashed, packed = pool.submit(_sha256, data), recording.packing(pool, data)
            ordered = recording.rows(result)  # meanwhile
            digest = hashed.result()
            outcome = RecordOutcome(digest=digest, entity=result.workspace, as_of=result.as_of, stored=True)
            with collector_paused(), writing(self.engine, result.workspace) as connection:
                run_id = connection.execute(select(runs.c.id).where(runs.c.digest == digest)).scalar()
                if run_id is not None:
                    held = connection.execute(select(results.c.run_id).where(results.c.run_id == run_id)).scalar()
                    if held is None:  # an archived run loaded back: its bytes and findings return, its lifecycles stayed
                        recording.store_findings(connection, run_id, ordered, packed)
                        return outcome.model_copy(update={"stored": False, "restored": True})
                    return outcome.model_copy(update={"stored": False})
                run_id, key = recording.insert_run(connection, result, digest, ordered, packed)
                recording.follow(connection, result.workspace, run_id, key, ordered)
        return outcome

    # ------------------------------------------------------------ reading

    def runs(self, entities: Sequence[str] = (), since: str | None = None, until: str | None = None) -> list[RecordedRun]:
        with read_transaction(self.engine) as connection:
            return reading.select_runs(connection, entities, since, until)

    def trend(self, entities: Sequence[str] = (), since: str | None = None, until: str | None = None) -> Trend:
        return Trend(points=[r.counts for r in self.runs(entities, since, until)])

    def finding(self, fingerprint: str, entity: str | None = None) -> FindingHistory:
        with read_transaction(self.engine) as connection:
            return reading.finding_history(connection, fingerprint, entity)

    def oldest_open(self, entity: str, as_of: str, limit: int) -> list[OpenFinding]:
        with read_transaction(self.engine) as connection:
            return reading.oldest_open(connection, entity, as_of, limit)

    def resolve_times(self, entities: Sequence[str], as_of: str) -> ResolveTimes:
        with read_transaction(self.engine) as connection:
            return reading.resolve_times(connection, entities, as_of)

    def previous_run(self, entity: str, as_of: str, started: str | None, *, whole: bool = False) -> RecordedRun | None:
        with read_transaction(self.engine) as connection:
            return reading.previous_run(connection, entity, as_of, started, whole=whole)

    def latest_runs(self, as_of: str | None = None) -> list[RecordedRun]:
        with read_transaction(self.engine) as connection:
            return reading.latest_runs(connection, as_of)

    def result_bytes(self, digest: str) -> bytes:
        """The recorded result's bytes, as they were recorded (their sha256 is `digest`)."""
        with read_transaction(self.engine) as connection:
            row = connection.execute(select(runs.c.id, results.c.data).outerjoin(results, results.c.run_id == runs.c.id)
                                     .where(runs.c.digest == digest)).first()
        if row is None:
            raise StoreInputError(f"no recorded run has digest {digest!r}")
        if row.data is None:
            raise StoreInputError(f"run {digest} was archived by `govern history prune`: load the archive back first")
        return unpack(row.data)

    # ------------------------------------------------------------ retention

    def prune(self, before: str, archive_path: str, write: Callable[[bytes], None] | None = None) -> PruneOutcome:
        """Move the bytes and findings of runs older than `before` into an archive (`write` puts its bytes in
        place, by default at `archive_path`), keeping each entity's latest run whole. Run rows, counts and
        lifecycles stay: trends and finding histories read as before. Nothing is removed unless the archive
        was written."""
        return prune(self.engine, before, archive_path, write or _file_writer(archive_path))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_writer(path: str) -> Callable[[bytes], None]:
    def write(data: bytes) -> None:
        with open(path, "xb") as out:  # never over an archive already there: its runs are in no store any more
            out.write(data)
    return write


def valid_result(data: bytes, source: str) -> RunResult:
    """`data` validated as a saved result; an invalid one is StoreInputError (exit 2) at its file:line:col."""
    try:
        result = read_result(Path(source), data)
        unstorable = nul_in_text(result, data)
        if unstorable:
            raise result_refused(source, data, unstorable, WHAT)
        return result
    except ResultFileError as exc:
        raise StoreInputError(str(exc)) from None


MAX_SHOWN = 20


def _shown(at: tuple[str | int, ...]) -> str:
    """A JSON path as a reader finds it in the file: findings[3].check."""
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(at))


@contextmanager
def _engine(url: str | None) -> Iterator[tuple[Engine, str]]:
    given = chosen(url)
    engine = engine_for(parsed(given))
    try:
        yield engine, redact(given)
    except BaseException:
        engine.dispose()
        raise


def open_store(url: str | None = None) -> Store:
    """The store at `url` (None: GOVERN_DB, else sqlite:///.govern/history.db), created on first use; a store
    made by a newer govern is refused, one made by an older govern must be upgraded first (`upgrade_store`)."""
    with _engine(url) as (engine, shown):
        with read_transaction(engine) as connection:
            revision = migrate.current(connection)
        # no store yet, or one being created by another process right now (read apart, its version and its
        # tables could disagree): asked again under the schema's lock, which decides who creates it
        if revision is None:
            with writing(engine) as connection:
                revision = migrate.current(connection)
                if revision is None and migrate.empty(connection):
                    migrate.upgrade(connection)
                    revision = migrate.head()
        _refuse_other_revision(revision, shown)
        return Store(engine, shown)


def upgrade_store(url: str | None = None) -> tuple[str | None, str]:
    """Upgrade the store at `url` to this govern's schema: (the revision it had, the one it has now). There must be
    a store: upgrading a mistyped path or an empty database would make a new store nobody asked for."""
    where = parsed(chosen(url))
    if where.get_backend_name() == "sqlite" and not Path(where.database or "").exists():
        raise StoreInputError(f"{redact(chosen(url))}: {_NO_STORE}")
    with _engine(url) as (engine, shown):
        try:
            with writing(engine) as connection:
                revision = migrate.current(connection)
                if revision is not None and not migrate.known(revision):
                    _refuse_other_revision(revision, shown)
                if revision is None and not migrate.empty(connection):
                    raise StoreInputError(f"{shown} holds tables but no govern history store: give another database")
                if revision is None:
                    raise StoreInputError(f"{shown}: {_NO_STORE}")
                migrate.upgrade(connection)
        finally:
            engine.dispose()
    return revision, migrate.head()


_NO_STORE = "no history store there, nothing to upgrade (the first `govern history record` or `check --record` makes one)"


def _refuse_other_revision(revision: str | None, shown: str) -> None:
    if revision is None:
        raise StoreInputError(f"{shown} holds tables but no govern history store: give another database")
    if revision == migrate.head():
        return
    if not migrate.known(revision):
        raise StoreInputError(f"the history store {shown} was made by a newer govern (schema {revision}; this govern "
                              f"reads {migrate.head()}): use that govern or a newer one")
    raise StoreInputError(f"the history store {shown} was made by an older govern (schema {revision}; this govern "
                          f"reads {migrate.head()}): run `govern history upgrade` first")
