"""A run's observations and events no longer hold a foreign key to their run: on PostgreSQL the key had the
server look the run up again for every row written (a first run of 50,000 findings: some 0.3 s of the server's
CPU, twice the COPY of the rows itself, benchmarks/README.md "Recording, round 4"); SQLite never enforced it.
Each of those rows is written in the transaction that writes its run (or loads it back from an archive), and no
run is ever removed (prune removes its bytes and observations, never its row), so the key guarded nothing the
writing does not. The run's one row of bytes and of changes keep theirs.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TABLES = ("observations", "events")


def upgrade() -> None:
    _rebuild(keyed=False)


def downgrade() -> None:
    _rebuild(keyed=True)


def _rebuild(*, keyed: bool) -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in _TABLES:  # PostgreSQL's name for the key 0001 made without one
            if keyed:
                op.create_foreign_key(f"{name}_run_id_fkey", name, "runs", ["run_id"], ["id"])
            else:  # if there: a store made at this schema and marked older by hand has none (the tests do that)
                op.execute(f"ALTER TABLE {name} DROP CONSTRAINT IF EXISTS {name}_run_id_fkey")
        return
    # SQLite cannot drop or add a key: each table is copied into one shaped as below (batch mode), its rows kept
    for table in _tables(keyed):
        with op.batch_alter_table(table.name, recreate="always", copy_from=table):
            pass


def _tables(keyed: bool) -> list[sa.Table]:
    """The two tables as 0001 made them, with the key to their run or without."""
    metadata = sa.MetaData()
    sa.Table("runs", metadata, sa.Column("id", sa.Integer, primary_key=True))

    def run_id(*, primary_key: bool) -> sa.Column:
        return sa.Column("run_id", sa.Integer, *([sa.ForeignKey("runs.id")] if keyed else []),
                         primary_key=primary_key, nullable=False)

    observations = sa.Table(
        "observations", metadata,
        run_id(primary_key=True),
        sa.Column("fingerprint", sa.Text, primary_key=True),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("status", sa.String(6), nullable=False),
    )
    events = sa.Table(
        "events", metadata,
        sa.Column("entity", sa.Text, primary_key=True),
        sa.Column("fingerprint", sa.Text, primary_key=True),
        sa.Column("order_key", sa.Text, primary_key=True),
        run_id(primary_key=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(9), nullable=False),
        sa.Column("status", sa.String(6), nullable=False),
    )
    sa.Index("ix_events_entity_order", events.c.entity, events.c.order_key)
    return [observations, events]
