"""`govern verify RESULT [WORKSPACE]`: does this result describe this workspace?

Exit 0 when everything matches, 1 naming every difference, 2 when RESULT or
WORKSPACE cannot be read. The comparison itself is governance.evaluate.verify.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from governance import __version__
from governance.cli import main
from governance.cli._common import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, Guard, ResultFile, say
from governance.evaluate.saved import ResultFileError
from governance.evaluate.verify import differences

EXIT_DIFFERENT = EXIT_FINDINGS


def _bad(message: str) -> click.exceptions.Exit:
    say(f"error: {message}", err=True)
    return click.exceptions.Exit(EXIT_INVALID)


@main.command()
@click.argument("result_file", metavar="RESULT", type=ResultFile(exists=False))
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
def verify(result_file: str, workspace: str) -> None:
    """Check that RESULT (a JSON result or evidence.json) was made from WORKSPACE as it is now.

    Recomputes the sha256 of every input and the policy revision, without
    running OPA. Exit 0: everything matches; 1: something differs (each
    difference is named); 2: RESULT or WORKSPACE cannot be read.
    """
    result_path, root = Path(result_file), Path(workspace)
    if not root.is_dir():
        raise _bad(f"{root}: workspace folder does not exist")
    with Guard():  # anything unexpected is exit 3, never a silent 0 or 1
        try:
            rec, problems = differences(result_path, root)
        except ResultFileError as exc:
            raise _bad(str(exc)) from None
    if rec.tool.version != __version__:
        click.echo(f"note: the result was made by govern {rec.tool.version}; this is govern {__version__}")
    for line in problems:
        say(line)  # names paths and versions from the result, which is user input
    if problems:
        click.echo(f"verify: FAILED, {len(problems)} difference(s): {result_path} does not describe {root} as it is now")
        sys.exit(EXIT_DIFFERENT)
    click.echo(f"verify: OK, {len(rec.inputs)} input file(s), {len(rec.library)} library module(s), "
               f"{len(rec.reports)} report(s) and policy revision {rec.engine.policy_revision} match")
    sys.exit(EXIT_OK)
