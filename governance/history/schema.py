"""The store's tables (docs/history.md, "The model"), in SQLAlchemy Core.

What a run recorded is written once and never changed: `runs` (its identity and the counts computed from
the result alone), `results` (its bytes, compressed) and `observations` (one row per finding it
reported). What depends on the order of an entity's runs is derived, and recomputed from the ordered
timeline when a run is inserted before others (backfill): `events` (a finding's lifecycle), `changes`
(new, resolved, regressed per run) and `findings` (each finding's identity and first run).

A run's place in its entity's timeline is `order_key`: as_of, start time, digest, in one string that
sorts as the runs are ordered (the digest only breaks ties, so the order is the same whatever the
order of recording). Migrations (migrations/versions/) build exactly these tables.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),  # sha256 of the result's bytes, hex
    Column("entity", Text, nullable=False),  # the workspace's name
    Column("as_of", String(10), nullable=False),
    Column("started", String(20), nullable=False),  # the run's start time, "" when the result has none
    Column("order_key", Text, nullable=False),
    Column("fail_on", String(8), nullable=False),
    Column("tool_version", Text, nullable=False),
    Column("opa_version", Text, nullable=False),
    Column("unwaived", Integer, nullable=False),
    Column("advisories", Integer, nullable=False),
    Column("waived", Integer, nullable=False),
    Column("by_severity", Text, nullable=False),  # JSON object severity -> count
    Column("by_domain", Text, nullable=False),  # JSON object domain -> count
    Column("controls_satisfied", Integer, nullable=False),
    Column("controls_total", Integer, nullable=False),
    Column("recorded_at", String(20), nullable=True),  # when it was recorded (UTC), added by migration 0002
)
Index("ix_runs_entity_order", runs.c.entity, runs.c.order_key)

results = Table(
    "results", metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    # the result file's bytes, compressed (packed.py: zstandard; zlib in runs recorded before it); gone once
    # archived
    Column("data", LargeBinary, nullable=False),
)

# A run's observations and events name their run without a foreign key: on PostgreSQL it cost the server a
# lookup of the run for every row (migrations/versions/0005); they are written with their run, and no run is removed.
observations = Table(
    "observations", metadata,
    Column("run_id", Integer, primary_key=True),
    Column("fingerprint", Text, primary_key=True),
    Column("severity", String(8), nullable=False),
    Column("status", String(6), nullable=False),  # fail or waived
)

findings = Table(
    "findings", metadata,
    Column("entity", Text, primary_key=True),
    Column("fingerprint", Text, primary_key=True),
    Column("check_id", Text, nullable=False),
    Column("resource_kind", Text, nullable=False),
    Column("resource_id", Text, nullable=False),
    Column("severity", String(8), nullable=False),  # as the first run reporting it says
    Column("first_key", Text, nullable=False),  # order_key of the first run reporting it
)
Index("ix_findings_fingerprint", findings.c.fingerprint)

events = Table(  # keyed as it is read (a finding's events in order) and deleted (an entity's from a run on)
    "events", metadata,
    Column("entity", Text, primary_key=True),
    Column("fingerprint", Text, primary_key=True),
    Column("order_key", Text, primary_key=True),
    Column("run_id", Integer, nullable=False),  # no foreign key, as observations
    Column("as_of", String(10), nullable=False),
    # resolved, regressed, waived, unwaived (a finding's `new` is its first run: findings.first_key, no row here)
    Column("kind", String(9), nullable=False),
    Column("status", String(6), nullable=False),  # the finding's status from this run on (its last, once resolved)
)
Index("ix_events_entity_order", events.c.entity, events.c.order_key)

changes = Table(
    "changes", metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("new", Integer, nullable=False),
    Column("resolved", Integer, nullable=False),
    Column("regressed", Integer, nullable=False),
)
