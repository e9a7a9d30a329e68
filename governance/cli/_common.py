"""What every command shares: exit codes, the error guard, option types.

Exit codes: 0 clean, 1 findings at or above --fail-on,
2 invalid workspace or usage error, 3 evaluation could not be completed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, NoReturn, Self

import click

from governance.bug import report_bug
from governance.cli._environment import GovernCommand
from governance.engine import EngineError, SigningKeyError, VerificationKeyError, url_problem
from governance.evaluate import ResultFileError, read_bytes, read_result
from governance.load import WorkspaceErrors
from governance.report import RenderOptions
from governance.result import EARLIEST, LATEST, RunResult
from governance.result import FAIL_ON as FAIL_ON  # re-exported for the commands' --fail-on
from governance.text import one_line

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_ENGINE = 0, 1, 2, 3
MAX_TIMEOUT = 3600.0  # an OPA request slower than an hour is a hung server, not a big workspace


def exit_with(code: int, lines: list[str]) -> NoReturn:
    for line in lines:
        say(line, err=True)
    sys.exit(code)


def say(line: str, *, err: bool = False) -> None:
    """Print one line that may quote workspace or result text (an id, a name, a path, a git commit): every
    character no reader sees is written out as its escape (`governance.text.one_line`), newline and tab
    included, so quoted text can neither add a line of its own (a forged `signature: OK`), nor name
    `sys-payment-center` while meaning another id, nor rewrite the terminal."""
    click.echo(one_line(line), err=err)


def problem_lines(exc: ResultFileError) -> list[str]:
    """The lines of a refused file's message (one `file:line:col: what is wrong` a line), each to be
    printed by `say`: what each line quotes from the file is already escaped where it was written."""
    return str(exc).split("\n")


def silence_stdout() -> None:
    """After stdout broke (its reader went away), point it at /dev/null so the exit flush cannot fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests), or closed: nothing to flush into
        pass


class Guard:
    """Map every failure to its exit code; never let a traceback stand in for a verdict."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> Literal[False]:
        if exc is None or isinstance(exc, (SystemExit, click.ClickException, click.exceptions.Exit)):
            return False  # click reports usage errors itself, with exit 2
        if isinstance(exc, WorkspaceErrors):
            exit_with(EXIT_INVALID, [str(e) for e in exc.errors] + [f"workspace invalid: {len(exc.errors)} error(s)"])
        if isinstance(exc, EngineError):
            exit_with(EXIT_ENGINE, [f"error: evaluation could not be completed: {exc}", "no result was produced."])
        if isinstance(exc, KeyboardInterrupt):
            exit_with(EXIT_ENGINE, ["interrupted: evaluation not completed; no result was produced."])
        if isinstance(exc, BrokenPipeError):
            silence_stdout()
            exit_with(EXIT_ENGINE, ["error: the output was cut off: the program reading it stopped early."])
        report_bug(exc)  # one line; GOVERN_DEBUG=1 adds the traceback
        sys.exit(EXIT_ENGINE)


@contextlib.contextmanager
def key_refused(option: str, path: str | None, *, nothing: str) -> Iterator[None]:
    """A key file that cannot be used is bad input (exit 2), named by its option and path, never by its content.
    Inside a `Guard`, which would take it for an engine failure (exit 3)."""
    try:
        yield
    except (SigningKeyError, VerificationKeyError) as exc:
        exit_with(EXIT_INVALID, [f"error: {option} {path}: {exc}", nothing])


class GuardedGroup(click.Group):
    """Runs every command inside a Guard, so no command can end in a traceback, and
    Ctrl-C is exit 3 rather than click's "Aborted!" with exit 1 (which reads as "findings").
    Its commands read their options from the environment too (`_environment.py`)."""

    command_class = GovernCommand

    def invoke(self, ctx: click.Context) -> Any:  # whatever the command returns, as click.Group.invoke
        with Guard():
            return super().invoke(ctx)


# ---------------------------------------------------------------- option types
# Each rejects a bad value while the command line is parsed: click prints
# "Error: Invalid value for '--x': …" and exits 2 before anything runs.

class Timeout(click.ParamType):
    """Seconds: finite, above 0, at most MAX_TIMEOUT (inf or nan would wait forever or crash the HTTP client)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT):
            self.fail(f"{value!r} is not between 0 (excluded) and {MAX_TIMEOUT:g} seconds", param, ctx)
        return seconds


class AsOf(click.ParamType):
    """A real calendar date written YYYY-MM-DD, inside the range every model accepts."""

    name = "YYYY-MM-DD"
    _SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # fromisoformat alone also takes 20261125 and 2026-W48-3

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        if not self._SHAPE.fullmatch(str(value)):
            self.fail(f"{value!r} is not a date written YYYY-MM-DD", param, ctx)
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a real date", param, ctx)
        if not EARLIEST <= day <= LATEST:
            self.fail(f"{value} is outside {EARLIEST}..{LATEST}", param, ctx)
        return day


class OpaUrl(click.ParamType):
    """An OPA server URL, by the engine's own rule (`url_problem`), checked while parsing."""

    name = "url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        problem = url_problem(str(value))
        if problem:
            self.fail(problem, param, ctx)
        return str(value)


class PathPrefix(click.ParamType):
    """The workspace's folder from the repository root, by the reports' own rule (RenderOptions.path_prefix)."""

    name = "dir"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return RenderOptions(path_prefix=str(value)).path_prefix
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class ResultFile(click.Path):
    """A saved result to read. Besides click.Path's checks, it must not be a device:
    /dev/zero would be read until memory runs out."""

    def __init__(self, exists: bool = True) -> None:
        super().__init__(exists=exists, dir_okay=False)

    def convert(self, value: str | os.PathLike[str], param: click.Parameter | None,
                ctx: click.Context | None) -> str | bytes | os.PathLike[str]:
        path = super().convert(value, param, ctx)
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return path  # missing or unreadable: the command reports it with its own message
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            self.fail(f"{os.fsdecode(path)!r} is not a regular file", param, ctx)
        return path


class KeyFile(click.Path):
    """A key file (PEM) that exists and is a regular file. Messages about it name its path, never its content."""

    def __init__(self) -> None:
        super().__init__(exists=True, dir_okay=False)

    def convert(self, value: str | os.PathLike[str], param: click.Parameter | None,
                ctx: click.Context | None) -> str | bytes | os.PathLike[str]:
        path = super().convert(value, param, ctx)
        with contextlib.suppress(OSError):  # unreadable: the command says so in its own words
            if not stat.S_ISREG(os.stat(path).st_mode):
                self.fail(f"{os.fsdecode(path)!r} is not a regular file", param, ctx)
        return path


def as_of_date(value: dt.date | None) -> dt.date:
    return value or dt.date.today()


def saved_result(path: str, raw: bytes | None = None) -> RunResult:
    """A saved result given on the command line (`govern report`, `check --baseline`), validated; a file that
    is not one, or not a coherent one, is bad input (exit 2) and nothing is written. `raw`: its bytes, when
    already read (`saved_result_bytes`)."""
    try:
        return read_result(path, raw)
    except ResultFileError as exc:
        exit_with(EXIT_INVALID, problem_lines(exc))  # file:line:col: what is wrong


def saved_result_bytes(path: str) -> bytes:
    """The bytes of a saved result given on the command line, read once (exit 2 if they cannot be)."""
    try:
        return read_bytes(Path(path))
    except ResultFileError as exc:
        exit_with(EXIT_INVALID, problem_lines(exc))
