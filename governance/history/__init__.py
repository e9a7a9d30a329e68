"""The history store (docs/history.md): every recorded run of every entity, in SQLite or PostgreSQL.

types.py is what the reading commands answer; store.py opens a store and records and reads runs.
"""
