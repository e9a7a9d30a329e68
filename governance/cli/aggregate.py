"""`govern aggregate`: one group report from the saved results of many workspaces.

Exit 0 when the report is written and no entity fails at the group's threshold
(--fail-on, `low` as for `govern check`, whatever each entity's own `fail_on`);
1 when the report is written and one does; 2 when a file is not a readable
govern result, or two are results of one workspace; 3 when the results were
evaluated under different built-in libraries or OPA versions, unless
--allow-mixed-revisions.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Any

import click
from click.core import ParameterSource

from governance.cli._common import (
    EXIT_ENGINE,
    EXIT_FINDINGS,
    EXIT_INVALID,
    EXIT_OK,
    FAIL_ON,
    AsOf,
    Guard,
    ResultFile,
    as_of_date,
    exit_with,
    problem_lines,
)
from governance.cli._group import main
from governance.cli._output import target, write_all
from governance.cli._places import Reads
from governance.cli._store import db_option, keep_store, opened, store_errors
from governance.evaluate import aggregate as merging
from governance.report import DEFAULT_LANG, GROUP_FORMATS, LANGS, RenderOptions, render_group
from governance.result import GroupResult


@main.command()
@click.argument("result_files", metavar="[RESULT.json...]", nargs=-1, type=ResultFile())
@click.option("--format", "fmt", type=click.Choice(sorted(GROUP_FORMATS)), default="json", show_default=True,
              help="Format of the group report.")
@click.option("--output", "-o", metavar="PATH", help="Write the report to PATH instead of stdout.")
@click.option("--top", type=click.IntRange(min=0), default=merging.DEFAULT_TOP, show_default=True,
              help="How many of the worst findings across entities to list (0: all).")
@click.option("--fail-on", type=click.Choice(list(FAIL_ON)), default=merging.DEFAULT_FAIL_ON, show_default=True,
              help="The group's threshold: an entity with an unwaived finding at or above it fails (exit 1), "
                   "whatever its own fail_on; an entity whose own is laxer is flagged.")
@click.option("--allow-mixed-revisions", is_flag=True,
              help="Merge results evaluated under different built-in libraries or OPA versions (the report says so).")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True,
              help="Language of the HTML and Markdown reports.")
@db_option("Instead of result files: each entity's latest run recorded in this history store (on or before "
           "--as-of), with how old it is. Credentials in it are never printed.")
@click.option("--as-of", "as_of", type=AsOf(), help="With --db: the day the group is read at (default: today).")
def aggregate(result_files: tuple[str, ...], fmt: str, output: str | None, top: int, fail_on: str,
              allow_mixed_revisions: bool, lang: str, db: str | None, as_of: dt.date | None) -> None:
    """Merge `govern check --format json` results of many workspaces (one per subsidiary, say) into one report:
    a summary per entity and the worst findings across them."""
    if result_files and click.get_current_context().get_parameter_source("db") is not ParameterSource.COMMANDLINE:
        db = None  # result files given win over GOVERN_DB: only a --db on the command line conflicts with them
    if bool(result_files) == bool(db):
        raise click.UsageError("give result files, or --db for the runs recorded in a history store (not both)")
    if as_of and not db:
        raise click.UsageError("--as-of goes with --db")
    if output is not None and (not output or os.path.isdir(output) or output.endswith(("/", os.sep))):
        raise click.BadParameter("give the name of a file, or - for stdout", param_hint="--output")
    reads = Reads(None, result_files)
    if db:
        keep_store(db, reads)  # no group report over the store's files
    if output is not None:
        output = target(output, "--output", reads)
    with Guard():
        try:
            if db:
                group = _recorded(db, as_of_date(as_of).isoformat(), top=top, allow_mixed=allow_mixed_revisions,
                                  fail_on=fail_on)
            else:
                group = merging.aggregate(result_files, top=top, allow_mixed=allow_mixed_revisions, fail_on=fail_on)
        except merging.ResultFileError as exc:
            exit_with(EXIT_INVALID, [*problem_lines(exc), "no group report was written."])
        except merging.MixedRevisions as exc:
            exit_with(EXIT_ENGINE, [f"error: {exc}", "no group report was written."])
        content = render_group(fmt, group, RenderOptions(lang=lang, color=False))
    write_all([(output, content)], nothing="no group report was written", trusted=reads.trusted)
    sys.exit(EXIT_FINDINGS if merging.failing(group) else EXIT_OK)


def _recorded(db: str, as_of: str, **merge: Any) -> GroupResult:
    """The group of each entity's latest run in the store on or before `as_of`, each read back from the bytes
    the store keeps and validated as a result file is; an empty store is bad input (exit 2)."""
    from governance.history import recorded_result

    with store_errors("no group report was written."), opened(db) as store:
        runs = store.latest_runs(as_of)
        if not runs:
            exit_with(EXIT_INVALID, [f"error: the history store {store.shown} holds no run on or before {as_of}",
                                     "no group report was written."])
        results = {f"history:{run.digest}": recorded_result(store, run.digest) for run in runs}
    group = merging.merge(results, **merge)
    return merging.aged(group, as_of, {r.workspace: digest.removeprefix("history:") for digest, r in results.items()})
