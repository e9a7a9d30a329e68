"""The history store as commands open it (`--db URL`, GOVERN_DB): opened before anything else is done,
and its failures mapped to exit codes like every other failure (docs/history.md).

A store that is the user's to fix (a bad URL, a store made by a newer govern, one to upgrade, an unknown
fingerprint) is exit 2; one that cannot be reached or fails while answering is exit 3. Either way the
message says what was not done, and never carries the URL's password (the store's messages redact it).
The store's modules (SQLAlchemy) are imported only by a command that uses one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import click

from governance.cli._common import EXIT_ENGINE, EXIT_INVALID, exit_with

if TYPE_CHECKING:
    from click.decorators import FC

    from governance.history import Store

DB_HELP = ("The history store: sqlite:///PATH or postgresql://USER@HOST/DB (default: sqlite:///.govern/history.db "
           "in the current folder). Credentials in it are never printed.")


def db_option(help_text: str = DB_HELP) -> Callable[[FC], FC]:
    """`--db URL`, read from GOVERN_DB too (one store for every command of a CI job)."""
    return click.option("--db", envvar="GOVERN_DB", show_envvar=True, metavar="URL", help=help_text)


@contextlib.contextmanager
def store_errors(nothing: str, *, after_writing: bool = False) -> Iterator[None]:
    """Map the store's failures to exit codes, each message ending with `nothing` (what was not done).
    `after_writing`: any failure is exit 3, the store's input was this run's own result."""
    from governance.history import StoreInputError, StoreUnavailable

    try:
        yield
    except StoreInputError as exc:
        exit_with(EXIT_ENGINE if after_writing else EXIT_INVALID, [f"error: {exc}", nothing])
    except StoreUnavailable as exc:
        exit_with(EXIT_ENGINE, [f"error: the history store failed: {exc}", nothing])


def opened(url: str | None) -> Store:
    """The store at `url` (None: GOVERN_DB, else the default), checked: exit 2 or 3 when it cannot be used."""
    from governance.history import open_store

    return open_store(url)
