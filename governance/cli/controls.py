"""`govern controls`: the control catalogue, the checks that evidence each control and the clauses it
cites, with each control's standing in a run; with `--framework`, that framework's view: each clause the
catalogue cites, its controls and checks, its status, and the coverage (docs/audit.md).

The run is a saved `govern check --format json` result (`--result`), or a fresh evaluation of the
workspace as `govern check` makes it. Exit 0 when the view is written, whatever it shows (it is not a
gate); 2 for invalid input (the workspace, the result, an option, an unknown framework); 3 when the
evaluation fails. Either way nothing is written.
"""

from __future__ import annotations

import datetime as dt
import sys

import click
from click.core import ParameterSource

from governance import frameworks
from governance.cli._common import EXIT_OK, AsOf, Guard, OpaUrl, ResultFile, Timeout, as_of_date, saved_result
from governance.cli._group import main
from governance.cli._progress import progress
from governance.evaluate import controls_view, evaluated, load
from governance.frameworks import framework_view
from governance.report import CONTROLS_FORMATS, DEFAULT_LANG, LANGS, RenderOptions, render_controls

# the options of a fresh evaluation, which a saved result has already fixed
EVALUATION_OPTIONS = ("as_of", "opa_url", "timeout")


@main.command()
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
@click.option("--result", "result_path", metavar="RESULT.json", type=ResultFile(exists=False),
              help="A `govern check --format json` result: each control's status in that run "
                   "(default: evaluate the workspace now, as `govern check` does).")
@click.option("--format", "fmt", type=click.Choice(CONTROLS_FORMATS), default="table", show_default=True,
              help="Format of the view.")
@click.option("--framework", metavar="NAME",
              help=f"Turn the view around for one framework ({frameworks.known()}; also mlps, cac-2024, "
                   "GB/T 22239 …): each clause the catalogue cites, its controls and checks, its status, and the coverage.")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True, help="Language of the view.")
@click.option("--as-of", "as_of", type=AsOf(), help="The date the evaluation counts from (default: today); not with --result.")
@click.option("--opa-url", type=OpaUrl(), metavar="URL", help="Use a running OPA server instead of starting one.")
@click.option("--timeout", type=Timeout(), default=120.0, show_default=True,
              help="Seconds to wait for any one OPA request (at most 3600).")
def controls(workspace: str, result_path: str | None, fmt: str, framework: str | None, lang: str,
             as_of: dt.date | None, opa_url: str | None, timeout: float) -> None:
    """List controls, their checks, the clauses they cite and their status in a run; with --framework, each
    requirement of that framework the catalogue cites, its status and the coverage. Exit 0 when written."""
    key = _framework(framework)
    if result_path:
        given = [name for name in EVALUATION_OPTIONS
                 if click.get_current_context().get_parameter_source(name) is ParameterSource.COMMANDLINE]
        if given:
            raise click.UsageError(f"--{given[0].replace('_', '-')} is for a fresh evaluation; a --result has its own")
    with Guard(), progress() as step:
        if result_path:
            result = saved_result(result_path)  # a bad result: exit 2 before the workspace is read
            ws = load(workspace)
        else:
            result, ws = evaluated(workspace, as_of_date(as_of), progress=step, opa_url=opa_url, timeout=timeout)
        view = controls_view(ws, result)
        shown = framework_view(view, key) if key else view
        content = render_controls(fmt, shown, RenderOptions(lang=lang, color=fmt == "table" and sys.stdout.isatty()))
    click.echo(content, nl=False)
    sys.exit(EXIT_OK)


def _framework(name: str | None) -> str | None:
    """The key of the framework `--framework` names; an unknown one is a usage error listing the known."""
    if name is None:
        return None
    key = frameworks.normalise(name)
    if key is None:
        raise click.BadParameter(f"unknown framework '{name}' (known: {frameworks.known()})", param_hint="--framework")
    return key
