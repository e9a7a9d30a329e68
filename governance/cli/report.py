"""`govern report`: re-render a saved JSON result in any format, without OPA."""

from __future__ import annotations

import sys

import click

from governance.cli import main
from governance.cli._common import EXIT_INVALID, Guard, ResultFile
from governance.cli._output import on_disk, outputs, write_all
from governance.cli._progress import progress
from governance.evaluate.baseline import ResultFileError, load_result
from governance.result import RunResult
from governance.report import FORMATS, RenderOptions, evidence, render


def saved_result(path: str) -> RunResult:
    """A saved result given on the command line; a file that is not one is bad input (exit 2)."""
    try:
        return load_result(path)
    except ResultFileError as exc:
        click.echo(str(exc), err=True)  # file:line:col: what is wrong
        sys.exit(EXIT_INVALID)


@main.command()
@click.argument("result_file", metavar="RESULT.json", type=ResultFile())
@click.option("--format", "formats", multiple=True, metavar="F[=PATH]",
              help=f"Output format, repeatable; F=PATH writes to a file. Formats: {', '.join(sorted(FORMATS))}.")
@click.option("--output", "-o", metavar="PATH", help="Write the (single) format to PATH instead of stdout.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of human-readable reports.")
def report(result_file, formats, output, lang) -> None:
    """Render a result saved with `govern check --format json` (no OPA needed)."""
    targets = outputs(formats, output)
    with Guard(), progress() as step:
        step(f"reading {result_file}")
        result = saved_result(result_file)
        options = RenderOptions(lang=lang, color=sys.stdout.isatty())
        rendered = []
        for fmt, path in targets:
            step(f"rendering {fmt}")
            rendered.append((path, render(fmt, result, options)))
        rendered += evidence.beside(result, on_disk(rendered))  # as `check` does: the manifest goes wherever reports go
    # as in `check`: nothing is written until every report rendered
    write_all(rendered)
