"""What every command shares: exit codes, the error guard, output writing.

Exit codes (spec/README.md): 0 clean, 1 findings at or above --fail-on,
2 invalid workspace, 3 evaluation could not be completed.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path

import click

from governance.engine import EngineError
from governance.load import WorkspaceErrors
from governance.report import FORMATS

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_ENGINE = 0, 1, 2, 3
FAIL_ON = ["critical", "high", "medium", "low", "info", "never"]


def _fail(code: int, lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


class Guard:
    """Map every failure to its exit code; never let a traceback stand in for a verdict."""

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None or isinstance(exc, (SystemExit, click.ClickException, click.exceptions.Exit)):
            return False  # click reports usage errors itself, with exit 2
        if isinstance(exc, WorkspaceErrors):
            _fail(EXIT_INVALID, [str(e) for e in exc.errors] + [f"workspace invalid: {len(exc.errors)} error(s)"])
        if isinstance(exc, EngineError):
            _fail(EXIT_ENGINE, [f"error: evaluation could not be completed: {exc}", "no result was produced."])
        if isinstance(exc, KeyboardInterrupt):
            _fail(EXIT_ENGINE, ["interrupted: evaluation not completed; no result was produced."])
        _fail(EXIT_ENGINE, ["".join(traceback.format_exception(kind, exc, tb)).rstrip(),
                            "error: internal failure; evaluation not completed, no result was produced."])


def as_of_date(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--as-of") from None


def outputs(formats: tuple[str, ...], output: str | None) -> list[tuple[str, str | None]]:
    """`--format json --output r.json` or `--format sarif=out/g.sarif` (repeatable)."""
    pairs = []
    for spec in formats or ("table",):
        name, _, path = spec.partition("=")
        if name not in FORMATS:
            raise click.BadParameter(f"unknown format {name!r} (known: {', '.join(sorted(FORMATS))})", param_hint="--format")
        pairs.append((name, path or None))
    unnamed = [i for i, (_, p) in enumerate(pairs) if p is None]
    if output:
        if len(unnamed) != 1:
            raise click.BadParameter("--output goes with exactly one --format that has no =PATH", param_hint="--output")
        pairs[unnamed[0]] = (pairs[unnamed[0]][0], output)
    return pairs


def write(path: str | None, content: str | bytes) -> None:
    if path is None or path == "-":
        click.echo(content.decode() if isinstance(content, bytes) else content, nl=False)
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")


def write_all(rendered: list[tuple[str | None, str | bytes]]) -> None:
    """Write every rendered report; a failed write is an incomplete run (exit 3), not a verdict."""
    for path, content in rendered:
        try:
            write(path, content)
        except OSError as exc:
            _fail(EXIT_ENGINE, [f"error: could not write {path}: {exc.strerror or exc}", "the reports of this run are incomplete."])
