"""Runs, their bytes and findings, and the lifecycles derived from them.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("entity", sa.Text, nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("started", sa.String(20), nullable=False),
        sa.Column("order_key", sa.Text, nullable=False),
        sa.Column("fail_on", sa.String(8), nullable=False),
        sa.Column("tool_version", sa.Text, nullable=False),
        sa.Column("opa_version", sa.Text, nullable=False),
        sa.Column("unwaived", sa.Integer, nullable=False),
        sa.Column("advisories", sa.Integer, nullable=False),
        sa.Column("waived", sa.Integer, nullable=False),
        sa.Column("by_severity", sa.Text, nullable=False),
        sa.Column("by_domain", sa.Text, nullable=False),
        sa.Column("controls_satisfied", sa.Integer, nullable=False),
        sa.Column("controls_total", sa.Integer, nullable=False),
    )
    op.create_index("ix_runs_entity_order", "runs", ["entity", "order_key"])
    op.create_table(
        "results",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "observations",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("fingerprint", sa.Text, primary_key=True),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("status", sa.String(6), nullable=False),
    )
    op.create_table(
        "findings",
        sa.Column("entity", sa.Text, primary_key=True),
        sa.Column("fingerprint", sa.Text, primary_key=True),
        sa.Column("check_id", sa.Text, nullable=False),
        sa.Column("resource_kind", sa.Text, nullable=False),
        sa.Column("resource_id", sa.Text, nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("first_key", sa.Text, nullable=False),
        sa.Column("last_key", sa.Text, nullable=False),
    )
    op.create_index("ix_findings_fingerprint", "findings", ["fingerprint"])
    op.create_table(
        "events",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("fingerprint", sa.Text, primary_key=True),
        sa.Column("entity", sa.Text, nullable=False),
        sa.Column("order_key", sa.Text, nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(9), nullable=False),
        sa.Column("status", sa.String(6), nullable=False),
    )
    op.create_index("ix_events_entity_fingerprint", "events", ["entity", "fingerprint", "order_key"])
    op.create_index("ix_events_entity_order", "events", ["entity", "order_key"])
    op.create_table(
        "changes",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("new", sa.Integer, nullable=False),
        sa.Column("resolved", sa.Integer, nullable=False),
        sa.Column("regressed", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("changes", "events", "findings", "observations", "results", "runs"):
        op.drop_table(table)
