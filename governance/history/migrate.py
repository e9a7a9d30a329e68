"""The store's schema version, by Alembic: created on first use, refused when newer than this govern,
upgraded only when asked (`govern history upgrade`), since other govern versions may share the store."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, inspect

MIGRATIONS = Path(__file__).parent / "migrations"


def config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The revision this govern's code reads and writes."""
    revision = ScriptDirectory.from_config(config()).get_current_head()
    assert revision is not None  # the package ships its migrations
    return revision


def current(connection: Connection) -> str | None:
    """The store's revision, None for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()


def known(revision: str) -> bool:
    """Whether this govern knows `revision` (a store of a newer govern has one it does not)."""
    try:
        return ScriptDirectory.from_config(config()).get_revision(revision) is not None
    except CommandError:
        return False


def empty(connection: Connection) -> bool:
    """No table at all: a database made for the store and never used (created on first use)."""
    return not inspect(connection).get_table_names()


def upgrade(connection: Connection) -> None:
    """Every migration from the store's revision to this govern's, inside the caller's transaction."""
    command.upgrade(config(connection), "head")
