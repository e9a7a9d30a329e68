"""The store's URL: which one (--db, GOVERN_DB, or the default), what it may name, and how it is shown.

A URL may carry a password (postgresql://ci:secret@db/govern), and CI logs are read by many: every
message shows the URL through `redact`. A SQLite store is a file govern writes: the commands hold its
path to the rules of report outputs (governance/cli/history.py, `--db`) before a store is opened.
"""

from __future__ import annotations

import os
import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from governance.history.errors import StoreInputError

ENV = "GOVERN_DB"
DEFAULT = "sqlite:///.govern/history.db"
DRIVERS = {"sqlite": "sqlite+pysqlite", "sqlite+pysqlite": "sqlite+pysqlite",
           "postgresql": "postgresql+psycopg", "postgresql+psycopg": "postgresql+psycopg"}

_USERINFO_PASSWORD = re.compile(r"(://[^/?#@:]*:)[^/?#]*@")  # up to the last @: a password may hold an unescaped @
# in a URL's query (?password=) and in a driver's key=value connection string (password=... host=...)
_QUERY_PASSWORD = re.compile(r"((?:^|[?&\s])(?:password|passwd|pass)\s*=\s*)[^&#\s]*", re.IGNORECASE)


def redact(url: str) -> str:
    """`url` as it may be printed: any password replaced by ***, in the user part and in the query."""
    return _QUERY_PASSWORD.sub(r"\1***", _USERINFO_PASSWORD.sub(r"\1***@", url))


def scrubbed(said: str, url: URL) -> str:
    """A driver's message `said` about the store at `url` as it may be printed: the URL's text and its password
    value replaced wherever they appear (a driver may quote either), then any password `redact` finds."""
    whole = url.render_as_string(hide_password=False)
    said = said.replace(whole, redact(url.render_as_string(hide_password=True)))
    if url.password:
        said = said.replace(str(url.password), "***")
    return redact(said)


def chosen(url: str | None) -> str:
    """The URL in force: the one given, else GOVERN_DB, else the default (a set but empty variable is unset)."""
    if url:
        return url
    return os.environ.get(ENV, "").strip() or DEFAULT


def parsed(url: str) -> URL:
    """`url` as SQLAlchemy connects to it: a known dialect with its driver (psycopg 3 for PostgreSQL), and
    for SQLite the real path of a file that the rules of report outputs allow govern to write."""
    authority = url.partition("://")[2]
    for end in "/?#":
        authority = authority.partition(end)[0]
    if authority.count("@") > 1:  # which @ ends the password is a guess, and a wrong guess shows the rest of it
        raise StoreInputError(f"{redact(url)}: more than one @ before the host: write @ in a password as %40")
    try:
        parts = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreInputError(f"{redact(url)} is not a database URL: give sqlite:///PATH or postgresql://...") from None
    driver = DRIVERS.get(parts.drivername)
    if driver is None:
        raise StoreInputError(f"{redact(url)}: a history store is sqlite:///PATH or postgresql://..., "
                              f"not {parts.drivername}")
    parts = parts.set(drivername=driver)
    return _sqlite_file(parts, url) if driver.startswith("sqlite") else parts


def store_file(url: str | None) -> str | None:
    """The file of the SQLite store `url` names (after --db, GOVERN_DB and the default), None for PostgreSQL:
    what a command must never write a file onto."""
    parts = parsed(chosen(url))
    return parts.database if parts.get_backend_name() == "sqlite" else None


def _sqlite_file(parts: URL, url: str) -> URL:
    path = parts.database or ""
    if not path or path == ":memory:" or path.startswith("file:") or parts.query or "\0" in path:
        raise StoreInputError(f"{redact(url)}: a SQLite store is a file: give sqlite:///PATH (relative to the "
                              "current folder) or sqlite:////ABSOLUTE/PATH")
    if os.path.isdir(path):
        raise StoreInputError(f"{redact(url)}: {path} is a folder, not a file")
    if os.path.exists(path) and not os.path.isfile(path):  # /dev/null: SQLite would write a journal beside it
        raise StoreInputError(f"{redact(url)}: {path} is not a regular file")
    return parts.set(database=os.path.abspath(path))
