"""A run says when it was recorded (an auditor asks when a verdict entered the record, not only when it ran).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:  # SQLite cannot ALTER most of a table: batch mode copies it
        batch.add_column(sa.Column("recorded_at", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("recorded_at")
