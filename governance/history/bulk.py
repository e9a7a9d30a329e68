"""Writing many rows of one table at once, at the speed of the database's own bulk path: COPY on PostgreSQL,
the driver's executemany on SQLite. A result of 50,000 findings writes 50,000 rows per table; SQLAlchemy's
per-row parameter processing would cost more than the database does.

Values are never part of SQL text: COPY carries them as data, executemany binds them; the statements are
built from the store's own table and column names."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Select, Table, insert


def insert_rows(connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
                *, ordered: bool = False) -> None:
    """`rows` (values in the order of `columns`) into `table`, in the connection's transaction; `ordered`: the
    caller gives them in the order of the table's key already."""
    if not rows:
        return
    # in the order of the table's key: each row lands next to the one before in its index (B-tree), instead of
    # at a random page of it (fingerprints are hashes), which costs the database a page read and write each
    key = [columns.index(c.name) for c in table.primary_key.columns if c.name in columns]
    if key and not ordered:
        rows = sorted(rows, key=itemgetter(*key))
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if connection.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = str(insert(table).values({c: None for c in columns}).compile(dialect=connection.dialect))
            cursor.executemany(sql, rows)
    finally:
        cursor.close()


def fetch_rows(connection: Connection, query: Select[Any]) -> list[tuple[Any, ...]]:
    """Every row of `query` as plain tuples, read by the driver in one go: the rows of a 50,000-finding run are
    read back when the next run is recorded, and SQLAlchemy's row objects would cost more than the database."""
    # an IN list's values rendered as one bound parameter each (still bound, never SQL text)
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    values = compiled.params
    bound: Any = tuple(values[name] for name in compiled.positiontup) if compiled.positiontup else values
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), bound)
        return list(cursor.fetchall())
    finally:
        cursor.close()
