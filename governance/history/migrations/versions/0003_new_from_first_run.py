"""A finding's `new` is read from its first run (findings.first_key), not kept as an event row: the first run
of an entity wrote one such row per finding, a third of what recording it wrote.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    events = sa.table("events", sa.column("kind", sa.String))
    op.execute(events.delete().where(events.c.kind == "new"))


def downgrade() -> None:
    # each finding's `new`, back as the event row of its first run (an archived run's status is no longer known)
    op.execute(sa.text(
        "INSERT INTO events (entity, fingerprint, order_key, run_id, as_of, kind, status) "
        "SELECT f.entity, f.fingerprint, f.first_key, r.id, r.as_of, 'new', COALESCE(o.status, 'fail') "
        "FROM findings f JOIN runs r ON r.entity = f.entity AND r.order_key = f.first_key "
        "LEFT JOIN observations o ON o.run_id = r.id AND o.fingerprint = f.fingerprint"))
