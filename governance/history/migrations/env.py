"""Alembic's entry point: migrate the connection migrate.py hands over, inside its transaction.

Batch mode lets SQLite alter a table (it copies the table), and does plain ALTER TABLE on PostgreSQL.
"""

from alembic import context

context.configure(connection=context.config.attributes["connection"], render_as_batch=True,
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
