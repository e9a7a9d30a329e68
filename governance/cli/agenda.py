"""`govern agenda`: the committee's meeting pack (docs/agenda.md).

Exit 0 when the pack is written, whatever it holds: it is what the committee reads before its
meeting, not a gate (CI gates with `govern check`); a pack with items to decide is a pack doing its
job. 2 for invalid input (the workspace, a --baseline file, an option, a store to fix first); 3 when
the evaluation or the history store fails. Either way nothing is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys

import click
from click.core import ParameterSource

from governance.cli._common import (
    EXIT_OK,
    AsOf,
    Guard,
    OpaUrl,
    ResultFile,
    Timeout,
    as_of_date,
    saved_result,
    saved_result_bytes,
)
from governance.cli._group import main
from governance.cli._output import target, write_all
from governance.cli._places import Reads
from governance.cli._progress import progress
from governance.cli._store import db_option, keep_store, opened, store_errors
from governance.evaluate import agenda as pack
from governance.report import AGENDA_FORMATS, DEFAULT_LANG, LANGS, RenderOptions, render_agenda
from governance.result import AgendaPoint

NOTHING = "no agenda was written."


@main.command()
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
@click.option("--meeting", type=AsOf(), help="The meeting's date (default: today): the run's as-of date, and the "
                                              "first day of the window up to the next regular meeting.")
@click.option("--format", "fmt", type=click.Choice(sorted(AGENDA_FORMATS)), default="html", show_default=True,
              help="Format of the pack.")
@click.option("--output", "-o", metavar="PATH", help="Write the pack to PATH instead of stdout.")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True, help="Language of the pack.")
@click.option("--baseline", metavar="RESULT.json", type=ResultFile(),
              help="The run to compare with when no history store is given: an earlier `govern check --format "
                   "json` result (the last meeting's).")
@db_option("The history store: the pack compares the run with the entity's last recorded run before the meeting, "
           "and shows the trend. Credentials in it are never printed.")
@click.option("--opa-url", type=OpaUrl(), metavar="URL", help="Use a running OPA server instead of starting one.")
@click.option("--timeout", type=Timeout(), default=120.0, show_default=True,
              help="Seconds to wait for any one OPA request (at most 3600).")
def agenda(workspace: str, meeting: dt.date | None, fmt: str, output: str | None, lang: str, baseline: str | None,
           db: str | None, opa_url: str | None, timeout: float) -> None:
    """The committee's meeting pack: what needs a decision at the meeting, what changed since the last one,
    and progress against plan. Exit 0 when it is written (it is not a gate)."""
    if baseline and db:
        if click.get_current_context().get_parameter_source("db") is ParameterSource.COMMANDLINE:
            raise click.UsageError("give --db or --baseline, not both")
        db = None  # a --baseline given wins over GOVERN_DB
    if output is not None and (not output or os.path.isdir(output) or output.endswith(("/", os.sep))):
        raise click.BadParameter("give the name of a file, or - for stdout", param_hint="--output")
    reads = Reads(workspace, (baseline,))
    if db:
        keep_store(db, reads)
    if output is not None:
        output = target(output, "--output", reads)
    with Guard(), contextlib.ExitStack() as stack, progress() as step:
        raw = saved_result_bytes(baseline) if baseline else b""
        previous = saved_result(baseline, raw) if baseline else None  # a bad baseline: exit 2 before OPA
        store = None
        if db:
            with store_errors(f"nothing was evaluated; {NOTHING}"):
                store = stack.enter_context(opened(db))
        result, ws = pack.meeting_run(workspace, as_of_date(meeting), progress=step, opa_url=opa_url,
                                         timeout=timeout)
        earlier: pack.Earlier | None = None
        trend: list[AgendaPoint] = []
        dates: dict[str, str] = {}
        with store_errors(NOTHING):
            if previous is not None:
                from governance.history import compared, digest_of

                result = compared(result, previous, digest_of(raw), "file")
                earlier = pack.Earlier(previous, digest_of(raw), "file")
            elif store is not None:
                from governance.history import before_meeting

                step("reading the run of the last meeting from the history store")
                read = before_meeting(store, result, pack.last_meeting(ws, result.as_of))
                result, earlier, trend, dates = read.result, read.earlier, read.trend, read.dates
        built = pack.build(result, ws, earlier, trend, dates)
        content = render_agenda(fmt, built, RenderOptions(lang=lang, color=False))
    write_all([(output, content)], nothing="no agenda was written", trusted=reads.trusted)
    sys.exit(EXIT_OK)
