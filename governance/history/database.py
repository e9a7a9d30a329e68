"""Connecting to a store, and the transactions that keep concurrent writers apart.

SQLite: WAL (readers never wait for the writer), a busy timeout (a second writer waits instead of
failing), and every write transaction opened with BEGIN IMMEDIATE, so two writers never both read
before either writes. WAL needs a local file system: CI jobs on several machines share PostgreSQL.
PostgreSQL: each write transaction of an entity holds that entity's advisory lock, so two records of
one entity at once run one after the other and never compute their changes against the same run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from governance.history.errors import StoreInputError, StoreUnavailable
from governance.history.url import redact, scrubbed

BUSY_SECONDS = 60  # a writer waits this long for another (a large result takes seconds to record)
_SCHEMA_LOCK = 0x676F7665  # the advisory lock that serialises creating and upgrading a PostgreSQL store


def engine_for(url: URL) -> Engine:
    """An engine for `url`; nothing is connected yet. One connection at a time is all a command uses."""
    if url.get_backend_name() == "sqlite":
        Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)  # created on first use
        engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": BUSY_SECONDS})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        import psycopg  # noqa: F401  (the optional extra: say how to install it rather than fail on import)
    except ImportError:
        raise StoreUnavailable("a PostgreSQL store needs psycopg: pip install 'govern-opa[postgres]'") from None
    return create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 30})


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # govern begins its own transactions (BEGIN IMMEDIATE for writes)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get("govern_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextlib.contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    with _reported(engine), engine.connect() as connection, connection.begin():
        yield connection


@contextlib.contextmanager
def writing(engine: Engine, entity: str | None = None) -> Iterator[Connection]:
    """A write transaction: the only writer of the store (SQLite), or of `entity` (PostgreSQL); with no
    entity, of the schema (creating or upgrading the store)."""
    with _reported(engine), engine.connect() as connection:
        connection = connection.execution_options(govern_write=True)
        with connection.begin():
            if engine.dialect.name == "postgresql":
                if entity is None:
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
                else:
                    connection.execute(text("SELECT pg_advisory_xact_lock(1, hashtext(:entity))"), {"entity": entity})
            yield connection


@contextlib.contextmanager
def _reported(engine: Engine) -> Iterator[None]:
    """A database failure as StoreUnavailable (exit 3): what the driver said, never the URL's password."""
    try:
        yield
    except DBAPIError as exc:
        said = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
        if engine.dialect.name == "sqlite" and "file is not a database" in said:  # the user named another file
            raise StoreInputError(f"{_shown(engine)}: not a govern history store: {said}") from None
        raise StoreUnavailable(f"the history store {_shown(engine)} failed: {scrubbed(said, engine.url)}") from None
    except SQLAlchemyError as exc:
        said = str(exc).splitlines()[0]
        raise StoreUnavailable(f"the history store {_shown(engine)} failed: {scrubbed(said, engine.url)}") from None


def _shown(engine: Engine) -> str:
    """The store's URL as the user writes it (without the driver govern picked), with no password."""
    url = engine.url.set(drivername=engine.url.get_backend_name())
    return redact(url.render_as_string(hide_password=True))
