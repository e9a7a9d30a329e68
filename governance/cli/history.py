"""`govern history`: the store of recorded runs (docs/history.md).

`record` remembers results (exit 0, also when every one was already stored), `list` lists the recorded
runs, `prune` moves old runs into an archive, `upgrade` brings a store made by an older govern to this
one's schema. Every command takes the store's URL from --db or GOVERN_DB (default
sqlite:///.govern/history.db). Exit 2: a file that is not a valid result, a bad URL, a store of another
govern's schema; exit 3: the store could not be reached or failed (nothing of the command is kept).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from governance.cli._common import EXIT_ENGINE, AsOf, ResultFile, exit_with, saved_result_bytes, say
from governance.cli._environment import GovernCommand
from governance.cli._group import main
from governance.cli._output import target, write_all
from governance.cli._places import Reads, Refused, open_folder, real_folder
from governance.cli._store import db_option, keep_store, store_errors
from governance.history import (
    RecordedRun,
    RecordOutcome,
    StoreInputError,
    StoreUnavailable,
    is_archive,
    members,
    open_store,
    upgrade_store,
    valid_result,
)
from governance.report import DEFAULT_LANG, FINDING_FORMATS, LANGS, TREND_FORMATS, RenderOptions, render_finding, render_trend
from governance.result import RunResult
from governance.vocabulary import messages


class HistoryCommand(GovernCommand):
    group_name = "history"  # its options read GOVERN_HISTORY_<COMMAND>_<OPTION>


class HistoryGroup(click.Group):
    command_class = HistoryCommand


@main.group(cls=HistoryGroup)
def history() -> None:
    """Remember every run, and read the trend and each finding's lifecycle across runs."""


@history.command()
@click.argument("files", metavar="RESULT.json...", nargs=-1, required=True, type=ResultFile())
@db_option()
def record(files: tuple[str, ...], db: str | None) -> None:
    """Record saved results (`govern check --format json`), or an archive of `govern history prune`.

    Every file is validated before anything is recorded: one invalid file and nothing is stored.
    A result already recorded (the same bytes) changes nothing, and is said to be."""
    keep_store(db, Reads())
    kept: list[tuple[bytes, RunResult]] = []
    size = 0
    with store_errors("nothing was recorded."):
        for source, raw in _results(files):
            result = valid_result(raw, source)
            size += len(raw)
            if size <= KEEP_VALIDATED:
                kept.append((raw, result))
    with store_errors("only the runs listed above as recorded were recorded."), open_store(db) as store:
        if size <= KEEP_VALIDATED:
            for raw, result in kept:
                say(_recorded(store.record_valid(raw, result)))
        else:  # read again rather than hold every result of a year's archive in memory at once
            del kept[:]
            for source, raw in _results(files):
                say(_recorded(store.record(raw, source)))


# Results validated up to this many bytes in all are kept for recording; beyond, each is read and validated again
# when it is recorded (a year's archive of large results would not fit in memory).
KEEP_VALIDATED = 256 << 20


def _results(files: tuple[str, ...]) -> Iterator[tuple[str, bytes]]:
    """Each result given, by the name messages use for it: a file, or a member of an archive."""
    for path in files:
        data = saved_result_bytes(path)
        if not is_archive(data):
            yield path, data
            continue
        held = 0
        for member in members(Path(path), data):
            held += 1
            yield member
        if not held:  # `prune` writes no empty archive: this one is not what the user meant to load
            raise StoreInputError(f"{path}: the archive holds no result; nothing in it to record")


def _recorded(outcome: RecordOutcome) -> str:
    what = "recorded" if outcome.stored else (
        "loaded back from the archive" if outcome.restored else "already recorded, nothing changed")
    return f"{what}: {outcome.entity} {outcome.as_of} {outcome.digest}"


@history.command(name="list")
@click.option("--entity", "entities", multiple=True, metavar="NAME",
              help="Only this entity's runs (a workspace's name); repeatable.")
@click.option("--since", type=AsOf(), help="Only runs with as_of on or after this day.")
@click.option("--until", type=AsOf(), help="Only runs with as_of on or before this day.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format.")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True,
              help="Language of the table's header.")
@db_option()
def list_runs(entities: tuple[str, ...], since: Any, until: Any, fmt: str, lang: str, db: str | None) -> None:
    """List the recorded runs, by entity and then as its runs are ordered (as_of, then start time)."""
    keep_store(db, Reads())
    with store_errors("nothing was listed."), open_store(db) as store:
        found = store.runs(entities, since and since.isoformat(), until and until.isoformat())
    if fmt == "json":
        click.echo(json.dumps({"runs": [r.model_dump(mode="json") for r in found]}, indent=2, ensure_ascii=False))
        return
    m = messages(lang)
    say("  ".join((m.text("entity"), m.text("as_of"), m.text("html.run_started"), m.text("history.run"),
                   m.text("history.unwaived"), m.text("advisories"), m.text("waived"),
                   *(m.name(change, capital=True) for change in ("new", "resolved", "regressed")))))
    for run in found:
        say(_row(run))


def _row(run: RecordedRun) -> str:
    c = run.counts
    return "  ".join(str(v) for v in (run.entity, run.as_of, run.started or "-", run.digest[:16], c.unwaived,
                                      c.advisories, c.waived, c.new, c.resolved, c.regressed))


@history.command()
@click.option("--before", type=AsOf(), required=True,
              help="Archive the runs with as_of before this day (each entity's latest run is kept).")
@click.option("--archive", metavar="FILE", required=True,
              help="Where to write the archive (a .tar.gz that `govern history record` loads back).")
@db_option()
def prune(before: Any, archive: str, db: str | None) -> None:
    """Move old runs' results and findings into an archive; their counts and lifecycles stay in the store."""
    reads = Reads()
    keep_store(db, reads)  # the archive never replaces the store's own files
    path = target(archive, "--archive", reads)
    if path == "-":
        raise click.BadParameter("give the name of a file", param_hint="--archive")

    if os.path.lexists(path):  # an archive holds runs no store holds any more: never replace one
        raise click.BadParameter(f"{archive} already exists; give a new file name", param_hint="--archive")

    def write(data: bytes) -> None:
        try:
            exclusively(path, data, reads.trusted)
        except FileExistsError:
            raise StoreInputError(f"{archive} already exists; give a new file name") from None
        except (OSError, Refused) as exc:
            raise StoreUnavailable(f"could not write {archive}: {exc}") from None

    with store_errors("nothing was pruned."), open_store(db) as store:
        outcome = store.prune(before.isoformat(), path, write)
    if outcome.archive is None:
        say(f"no run to archive before {before.isoformat()}: nothing was pruned and no archive was written")
        return
    say(f"archived {len(outcome.pruned)} run(s) into {archive}; kept {len(outcome.kept_latest)} latest run(s) "
        f"of their entity although older than {before.isoformat()}")


def exclusively(path: str, data: bytes, trusted: list[Path]) -> None:
    """`data` as the new file `path`, created never over a file and never through a link, and on disk before
    the store removes what it holds (a half-written archive is removed)."""
    folder = open_folder(real_folder(path, trusted), [])
    name = Path(path).name
    try:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666, dir_fd=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.fsync(folder)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=folder)
            raise
    finally:
        os.close(folder)


@history.command()
@click.argument("digest")
@click.option("--output", "-o", metavar="PATH", help="Write the result to PATH instead of stdout.")
@db_option()
def export(digest: str, output: str | None, db: str | None) -> None:
    """Give back a recorded run's result, byte for byte as it was recorded (its sha256 is DIGEST), so it can be
    re-rendered with `govern report` and proved with `govern verify`."""
    wanted = digest.removeprefix("sha256:").lower()
    if not _DIGEST.fullmatch(wanted):
        raise click.BadParameter(f"{digest!r} is not a run's digest (64 hex digits, as `govern history list "
                                 "--format json` shows it)", param_hint="DIGEST")
    reads = Reads()
    keep_store(db, reads)
    path = target(output, "--output", reads) if output else None
    with store_errors("no result was written."), open_store(db) as store:
        data = store.result_bytes(wanted)
    if hashlib.sha256(data).hexdigest() != wanted:  # the store's bytes are the evidence: never hand on others
        exit_with(EXIT_ENGINE, [f"error: the store holds bytes for run {wanted} whose sha256 is not its digest",
                                "no result was written."])
    write_all([(path, data)], nothing="no result was written", trusted=reads.trusted)


_DIGEST = re.compile(r"[0-9a-f]{64}")


@history.command()
@db_option()
def upgrade(db: str | None) -> None:
    """Upgrade a store made by an older govern to this govern's schema (other govern versions sharing it
    must then be upgraded too)."""
    keep_store(db, Reads())
    with store_errors("the store was not changed."):
        was, now = upgrade_store(db)
    say(f"the store is at schema {now}" + ("" if was == now else f" (was {was or 'empty'})"))


# ---------------------------------------------------------------- reading: trend and one finding's history

@history.command()
@click.option("--entity", "entities", multiple=True, metavar="NAME", envvar="GOVERN_HISTORY_TREND_ENTITY",
              help="Only this entity's runs (a workspace's name); repeatable. Default: every entity (the group trend).")
@click.option("--since", type=AsOf(), envvar="GOVERN_HISTORY_TREND_SINCE", help="Only runs with as_of on or after this day.")
@click.option("--until", type=AsOf(), envvar="GOVERN_HISTORY_TREND_UNTIL",
              help="Only runs with as_of on or before this day; time to resolve is counted at it (default: the last run's).")
@click.option("--format", "fmt", type=click.Choice(TREND_FORMATS), default="table", show_default=True,
              envvar="GOVERN_HISTORY_TREND_FORMAT", help="Output format.")
@click.option("--output", "-o", metavar="PATH", envvar="GOVERN_HISTORY_TREND_OUTPUT",
              help="Write the trend to PATH instead of stdout.")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True,
              envvar="GOVERN_HISTORY_TREND_LANG", help="Language of the table, Markdown and HTML.")
@db_option()
def trend(entities: tuple[str, ...], since: Any, until: Any, fmt: str, output: str | None, lang: str,
          db: str | None) -> None:
    """The trend of recorded runs: one point per run (unwaived by severity, advisories, waived, new, resolved,
    regressed, controls satisfied), charts in HTML, and the time to resolve by severity."""
    reads = Reads()
    keep_store(db, reads)
    path = target(output, "--output", reads) if output else None
    with store_errors("no trend was written."), open_store(db) as store:
        found = store.trend(entities, since and since.isoformat(), until and until.isoformat())
        last = until.isoformat() if until else max((p.as_of for p in found.points), default=None)
        times = store.resolve_times(entities or sorted({p.entity for p in found.points}), last or dt.date.today().isoformat())
    write_all([(path, render_trend(fmt, found, times, RenderOptions(lang=lang)))], nothing="no trend was written",
              trusted=reads.trusted)


@history.command()
@click.argument("fingerprint")
@click.option("--entity", metavar="NAME", envvar="GOVERN_HISTORY_FINDING_ENTITY",
              help="The entity whose finding it is, when several report one fingerprint.")
@click.option("--format", "fmt", type=click.Choice(FINDING_FORMATS), default="table", show_default=True,
              envvar="GOVERN_HISTORY_FINDING_FORMAT", help="Output format.")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True,
              envvar="GOVERN_HISTORY_FINDING_LANG", help="Language of the table.")
@db_option()
def finding(fingerprint: str, entity: str | None, fmt: str, lang: str, db: str | None) -> None:
    """One finding's life across runs: first and last seen, open or resolved, and every event (new, resolved,
    regressed, waived, unwaived) with the run it happened at."""
    keep_store(db, Reads())
    with store_errors("nothing was shown."), open_store(db) as store:
        found = store.finding(fingerprint, entity)
    write_all([(None, render_finding(fmt, found, RenderOptions(lang=lang)))], nothing="nothing was shown")
