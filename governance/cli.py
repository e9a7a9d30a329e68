"""The `govern` command: parse arguments, call the library, pick an exit code.

Exit codes (spec/README.md): 0 clean, 1 findings at or above --fail-on,
2 invalid workspace, 3 evaluation could not be completed.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path

import click

from governance import __version__
from governance.engine import EngineError
from governance.evaluate import gate, load, run_check
from governance.load import WorkspaceErrors
from governance.report import FORMATS, RenderOptions, render

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_ENGINE = 0, 1, 2, 3
FAIL_ON = ["critical", "high", "medium", "low", "info", "never"]


def _fail(code: int, lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


class _Guard:
    """Map every failure to its exit code; never let a traceback stand in for a verdict."""

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None or isinstance(exc, SystemExit):
            return False
        if isinstance(exc, WorkspaceErrors):
            _fail(EXIT_INVALID, [str(e) for e in exc.errors] + [f"workspace invalid: {len(exc.errors)} error(s)"])
        if isinstance(exc, EngineError):
            _fail(EXIT_ENGINE, [f"error: evaluation could not be completed: {exc}", "no result was produced."])
        if isinstance(exc, KeyboardInterrupt):
            _fail(EXIT_ENGINE, ["interrupted: evaluation not completed; no result was produced."])
        _fail(EXIT_ENGINE, ["".join(traceback.format_exception(kind, exc, tb)).rstrip(),
                            "error: internal failure; evaluation not completed, no result was produced."])


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--as-of") from None


def _outputs(formats: tuple[str, ...], output: str | None) -> list[tuple[str, str | None]]:
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


def _write(fmt: str, path: str | None, content: str | bytes) -> None:
    if path is None or path == "-":
        click.echo(content.decode() if isinstance(content, bytes) else content, nl=False)
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")


@click.group()
@click.version_option(__version__, prog_name="govern")
def main() -> None:
    """Digital-operations governance as code, checked by Open Policy Agent."""


@main.command()
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
def validate(workspace: str) -> None:
    """Load and validate a workspace (no OPA needed)."""
    with _Guard():
        ws = load(workspace)
    counts = ", ".join(f"{len(v)} {k}" for k, v in sorted(ws.inventory.items()))
    click.echo(f"{ws.name}: valid ({counts}; {len(ws.waivers)} waivers, {len(ws.controls)} controls)")


@main.command()
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
@click.option("--format", "formats", multiple=True, metavar="F[=PATH]",
              help=f"Output format, repeatable; F=PATH writes to a file. Formats: {', '.join(sorted(FORMATS))}.")
@click.option("--output", "-o", metavar="PATH", help="Write the (single) format to PATH instead of stdout.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The date every date rule counts from (default: today).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), help="Lowest unwaived severity that fails the run (default: the manifest's, else low).")
@click.option("--opa-url", metavar="URL", help="Use a running OPA server instead of starting one.")
@click.option("--timeout", default=120.0, show_default=True, help="Seconds to wait for any one OPA request.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of human-readable reports.")
def check(workspace, formats, output, as_of, fail_on, opa_url, timeout, lang) -> None:
    """Evaluate every check on OPA and report findings."""
    outputs = _outputs(formats, output)
    with _Guard():
        result = run_check(workspace, _as_of(as_of), opa_url=opa_url, timeout=timeout, fail_on=fail_on)
        options = RenderOptions(lang=lang, color=sys.stdout.isatty())
        rendered = [(fmt, path, render(fmt, result, options)) for fmt, path in outputs]
    for fmt, path, content in rendered:
        _write(fmt, path, content)
    sys.exit(EXIT_FINDINGS if gate(result, result.fail_on) else EXIT_OK)


@main.command()
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
def controls(workspace: str) -> None:
    """List controls and the checks that evidence them."""
    with _Guard():
        ws = load(workspace)
    for control in sorted(ws.controls.values(), key=lambda c: c.id):
        click.echo(f"{control.id}\t{', '.join(control.checks)}\t{control.title.en} / {control.title.zh}")


if __name__ == "__main__":
    main()
