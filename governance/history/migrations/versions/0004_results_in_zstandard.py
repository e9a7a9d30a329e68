"""A run's bytes are kept compressed by zstandard (governance/history/packed.py), not zlib: a govern of an
earlier schema would fail to read the new ones, so the store says it is of this schema. The rows already
kept stay as they are (zlib's, read as such); a downgrade writes the zstandard ones back as zlib's.

Revision ID: 0004
Revises: 0003
"""

import zlib

import sqlalchemy as sa
import zstandard
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # as packed.py (a migration keeps the facts of its own time)


def upgrade() -> None:
    pass  # the zlib rows stay readable as they are


def downgrade() -> None:
    results = sa.table("results", sa.column("run_id", sa.Integer), sa.column("data", sa.LargeBinary))
    connection = op.get_bind()
    ids = [run_id for (run_id,) in connection.execute(sa.select(results.c.run_id))]
    for run_id in ids:  # one at a time: each result may be tens of MiB once unpacked
        data = connection.execute(sa.select(results.c.data).where(results.c.run_id == run_id)).scalar_one()
        if data[:4] == _ZSTD_MAGIC:
            unpacked = zstandard.ZstdDecompressor().decompress(data)
            connection.execute(sa.update(results).where(results.c.run_id == run_id)
                               .values(data=zlib.compress(unpacked, 1)))
