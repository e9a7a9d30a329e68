"""`govern report`: re-render a saved JSON result in any format, without OPA."""

from __future__ import annotations

import hashlib
import sys
from typing import TYPE_CHECKING

import click

from governance.cli._common import Guard, PathPrefix, ResultFile, saved_result, saved_result_bytes
from governance.cli._group import main
from governance.cli._output import outputs, packs, write_all
from governance.cli._places import Reads
from governance.cli._progress import progress
from governance.cli._store import db_option, keep_store, opened, store_errors
from governance.report import AUDIT_FORMAT, DEFAULT_LANG, FORMATS, LANGS, RenderOptions, render_all, shows_trend
from governance.result import RunResult

if TYPE_CHECKING:
    from governance.history import ReportHistory


@main.command()
@click.argument("result_file", metavar="RESULT.json", type=ResultFile())
@click.option("--format", "formats", multiple=True, metavar="F[=PATH]",
              help=f"Output format, repeatable; F=PATH writes to a file. Formats: {', '.join(sorted(FORMATS))}; "
                   f"{AUDIT_FORMAT}=DIR writes the audit pack into the folder DIR (docs/audit.md).")
@click.option("--output", "-o", metavar="PATH", help="Write the (single) format to PATH instead of stdout.")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True,
              help="Language of human-readable reports.")
@click.option("--path-prefix", envvar="GOVERN_PATH_PREFIX", show_envvar=True, type=PathPrefix(), default="",
              help="The workspace's folder from the repository root, for the paths of sarif, github and junit reports.")
@db_option("A history store (default: none): HTML and Markdown reports add the trend, and a result not compared "
           "with another is compared with its entity's previous recorded run. Credentials in it are never printed.")
def report(result_file: str, formats: tuple[str, ...], output: str | None, lang: str, path_prefix: str,
           db: str | None) -> None:
    """Render a result saved with `govern check --format json` (no OPA needed).

    Its evidence (evidence.json beside report files, --format evidence) says it was re-rendered from
    this result file, by the sha256 of its bytes: it never reads as the evidence of a run."""
    reads = Reads(None, (result_file,))
    if db:
        keep_store(db, reads)  # no report over the store's files
    targets = outputs(formats, output, reads)
    with Guard(), progress() as step:
        step(f"reading {result_file}")
        raw = saved_result_bytes(result_file)
        result = saved_result(result_file, raw)
        history = None
        if db:
            result, history = _with_history(db, result, raw, any(shows_trend(fmt) for fmt, _ in targets))
        options = RenderOptions(lang=lang, color=sys.stdout.isatty(), path_prefix=path_prefix,
                                rendered_from="sha256:" + hashlib.sha256(raw).hexdigest(), history=history)
        rendered = render_all(targets, result, options, step=step)
    # as in `check`: nothing is written until every report rendered
    write_all(rendered, trusted=reads.trusted, packs=packs(targets))


def _with_history(db: str, result: RunResult, raw: bytes, trend: bool) -> tuple[RunResult, ReportHistory | None]:
    """The result compared with its entity's previous recorded run (unless it was compared already, with
    --baseline), and its trend section when a requested format shows one (`trend`), from the store at `db`."""
    from governance.history import compared_with_previous, digest_of, report_history

    with store_errors("no report was written."), opened(db) as store:
        if result.resolved is None:
            result = compared_with_previous(store, result)
        return result, report_history(store, result, digest_of(raw)) if trend else None
