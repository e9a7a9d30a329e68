"""The history store as commands open it (`--db URL`, GOVERN_DB): opened before anything else is done,
and its failures mapped to exit codes like every other failure (docs/history.md).

A store that is the user's to fix (a bad URL, a store made by a newer govern, one to upgrade, an unknown
fingerprint) is exit 2; one that cannot be reached or fails while answering is exit 3. Either way the
message says what was not done, and never carries the URL's password (the store's messages redact it).
The store's modules (SQLAlchemy) are imported only by a command that uses one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from governance.cli._common import EXIT_ENGINE, EXIT_INVALID, exit_with
from governance.cli._places import Reads, Refused, real_folder

if TYPE_CHECKING:
    from click.decorators import FC

    from governance.history import Store

DB_HELP = ("The history store: sqlite:///PATH or postgresql://USER@HOST/DB (default: sqlite:///.govern/history.db "
           "in the current folder). Credentials in it are never printed.")


def db_option(help_text: str = DB_HELP) -> Callable[[FC], FC]:
    """`--db URL`, read from GOVERN_DB too (one store for every command of a CI job); a SQLite store's path
    held to the rules of report outputs before any command uses it (`confined_store`)."""
    return click.option("--db", envvar="GOVERN_DB", show_envvar=True, metavar="URL", callback=confined_store,
                        help=help_text)


def confined_store(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A SQLite store is a file govern writes: its path follows the rules of report outputs (_places.py), never
    through a link, nor into what the workspace of the current folder reads (a usage error, exit 2, as for a
    report's path). A command naming another workspace holds the store to it too (`keep_store`)."""
    if not value:
        return value  # no store named: the command opens the default one, held by `keep_store`
    from governance.history import StoreInputError, store_file

    try:
        path = store_file(value)
    except StoreInputError:
        return value  # a bad URL: the command says so in its own words (exit 2)
    if path is not None:
        _confine(path, Reads())
    return value


def _confine(path: str, reads: Reads) -> None:
    """The store's file `path` where govern may write it: not a link, not through a link out of the trusted
    areas, not in what `reads` reads (exit 2)."""
    try:
        if os.path.islink(path):
            raise Refused(f"{path} is a symbolic link; govern does not write a store through links")
        reads.refuse(real_folder(path, reads.trusted) / Path(path).name, path)
    except Refused as exc:
        raise click.BadParameter(str(exc), param_hint="--db") from None
    except (OSError, ValueError) as exc:  # an unreadable link
        raise click.BadParameter(f"{path} is not a usable path: {exc}", param_hint="--db") from None


# The files SQLite keeps beside a store while it writes: a report over one of them corrupts the store.
SIBLINGS = ("", "-wal", "-shm", "-journal")


def keep_store(db: str | None, reads: Reads) -> None:
    """Hold the store `db` names to what the command reads: never inside its workspace (exit 2), and its file
    and the files SQLite keeps beside it among what no output may replace."""
    from governance.history import StoreInputError, store_file

    try:
        path = store_file(db)
    except StoreInputError as exc:
        exit_with(EXIT_INVALID, [*str(exc).split("\n"), "nothing was done."])
    if path is None:
        return
    _confine(path, reads)
    reads.files.extend(Path(os.path.realpath(path + end)) for end in SIBLINGS)


@contextlib.contextmanager
def store_errors(nothing: str, *, after_writing: bool = False) -> Iterator[None]:
    """Map the store's failures to exit codes, each message ending with `nothing` (what was not done).
    `after_writing`: any failure is exit 3, the store's input was this run's own result."""
    from governance.history import StoreInputError, StoreUnavailable

    try:
        yield
    except StoreInputError as exc:
        exit_with(EXIT_ENGINE if after_writing else EXIT_INVALID, [*str(exc).split("\n"), nothing])
    except StoreUnavailable as exc:  # its message names the store and says it failed: said once
        exit_with(EXIT_ENGINE, [f"error: {exc}", nothing])


def opened(url: str | None) -> Store:
    """The store at `url` (None: GOVERN_DB, else the default), checked: exit 2 or 3 when it cannot be used."""
    from governance.history import open_store

    return open_store(url)
