"""`govern check`: evaluate every check on OPA and report findings."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import click
from click.core import ParameterSource

from governance.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    FAIL_ON,
    AsOf,
    Guard,
    KeyFile,
    OpaUrl,
    PathPrefix,
    ResultFile,
    Timeout,
    as_of_date,
    key_refused,
    saved_result,
    saved_result_bytes,
    say,
)
from governance.cli._group import main
from governance.cli._output import outputs, packs, write_all
from governance.cli._places import Reads
from governance.cli._progress import progress
from governance.cli._store import db_option, keep_store, opened, store_errors
from governance.engine import DEFAULT_SIGNING_ALG, OPA_VERSION, SIGNING_ALGS
from governance.evaluate import SkipRefused, can_sign, run_check, signed
from governance.history import compared, compared_with_previous, digest_of, report_history
from governance.report import (
    AUDIT_FORMAT,
    DEFAULT_LANG,
    FORMATS,
    LANGS,
    RenderOptions,
    Seal,
    render,
    render_all,
    shows_trend,
)
from governance.result import RunResult, gate

if TYPE_CHECKING:
    from governance.history import Store

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@main.command()
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
@click.option("--format", "formats", multiple=True, metavar="F[=PATH]",
              help=f"Output format, repeatable; F=PATH writes to a file. Formats: {', '.join(sorted(FORMATS))}; "
                   f"{AUDIT_FORMAT}=DIR writes the audit pack into the folder DIR (docs/audit.md).")
@click.option("--output", "-o", metavar="PATH", help="Write the (single) format to PATH instead of stdout.")
@click.option("--as-of", "as_of", type=AsOf(), help="The date every date rule counts from (default: today).")
@click.option("--fail-on", type=click.Choice(list(FAIL_ON)),
              help="Lowest unwaived severity that fails the run (default: the manifest's, else low).")
@click.option("--skip", "skips", multiple=True, metavar="CHECK_ID",
              help="Evaluate this check but report it as skipped: no findings, never fails the run; repeatable, "
                   "adds to the manifest's skip: list.")
@click.option("--opa-url", type=OpaUrl(), metavar="URL", help="Use a running OPA server instead of starting one.")
@click.option("--opa-token", envvar="GOVERN_OPA_TOKEN", show_envvar=True, metavar="TOKEN",
              help="Bearer token for the --opa-url server (never printed).")
@click.option("--opa-ca", type=click.Path(exists=True, dir_okay=False), metavar="PEM",
              help="CA bundle that the --opa-url server's TLS certificate must chain to.")
@click.option("--allow-opa-version", "allow_opa_versions", multiple=True, metavar="VERSION",
              help=f"Accept an --opa-url server of this OPA version too (default: only the pinned {OPA_VERSION}).")
@click.option("--timeout", type=Timeout(), default=120.0, show_default=True,
              help="Seconds to wait for any one OPA request (at most 3600).")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True,
              help="Language of human-readable reports.")
@click.option("--baseline", metavar="RESULT.json", type=ResultFile(),
              help="An earlier `--format json` result: mark findings new or existing and list those resolved since.")
@click.option("--fail-on-new-only", is_flag=True, help="With --baseline: only new unwaived findings can fail the run.")
@click.option("--path-prefix", envvar="GOVERN_PATH_PREFIX", show_envvar=True, type=PathPrefix(), default="",
              help="The workspace's folder from the repository root, for the paths of sarif, github and junit reports.")
@click.option("--signing-key", type=KeyFile(), metavar="PEM",
              help="Sign every evidence manifest (evidence.json, --format evidence) with this private key (RSA or ECDSA, "
                   "PEM); `govern verify --verification-key PUBLIC.pem` checks it.")
@click.option("--signing-alg", type=click.Choice(SIGNING_ALGS),
              help=f"Signature algorithm of --signing-key (default: {DEFAULT_SIGNING_ALG}).")
@click.option("--record", is_flag=True,
              help="Record this run in the history store once its reports are written (docs/history.md); if it "
                   "cannot be recorded, no report is left (exit 3).")
@db_option("The history store (default: sqlite:///.govern/history.db in the current folder): with it, HTML and "
           "Markdown reports add the trend, and the run is compared with the entity's previous recorded run unless "
           "--baseline is given. Credentials in it are never printed.")
def check(workspace: str, formats: tuple[str, ...], output: str | None, as_of: dt.date | None, fail_on: str | None,
          skips: tuple[str, ...],
          opa_url: str | None, opa_token: str | None, opa_ca: str | None, allow_opa_versions: tuple[str, ...], timeout: float,
          lang: str, baseline: str | None, fail_on_new_only: bool, path_prefix: str,
          signing_key: str | None, signing_alg: str | None, record: bool, db: str | None) -> None:
    """Evaluate every check on OPA and report findings."""
    reads = Reads(workspace, (baseline, opa_ca, signing_key))
    if record or db:
        keep_store(db, reads)  # never inside the workspace, and no report over its files
    targets = outputs(formats, output, reads)
    if fail_on_new_only and not baseline:
        raise click.UsageError("--fail-on-new-only needs --baseline")
    if opa_ca and not (opa_url or "").startswith("https://"):
        raise click.UsageError("--opa-ca goes with an https:// --opa-url")
    if opa_url and opa_token and urlsplit(opa_url).scheme == "http" and urlsplit(opa_url).hostname not in LOOPBACK:
        raise click.UsageError("--opa-token would cross the network in clear over http://; use an https:// --opa-url")
    if signing_alg and not signing_key:
        raise click.UsageError("--signing-alg goes with --signing-key")
    key, alg = (Path(signing_key) if signing_key else None), signing_alg or DEFAULT_SIGNING_ALG
    with Guard(), contextlib.ExitStack() as stack:  # the history store stays open until the run is recorded
        with progress() as step, key_refused("--signing-key", signing_key, nothing="no report was written."):
            if key is not None:
                can_sign(key, alg)  # a key that cannot sign is exit 2 before the run, not after it
            baseline_bytes = saved_result_bytes(baseline) if baseline else b""
            previous = saved_result(baseline, baseline_bytes) if baseline else None  # bad baseline: exit 2 before OPA
            # the store is opened and checked before anything is evaluated: a bad or newer store is exit 2, one that
            # cannot be reached exit 3, and nothing is written either way
            store = stack.enter_context(_store(db)) if (record or db) else None
            try:
                result = run_check(workspace, as_of_date(as_of), fail_on=fail_on, skip=skips,
                                   skip_source=_source("skips"), progress=step, opa_url=opa_url, timeout=timeout,
                                   token=opa_token if opa_url else None, ca=opa_ca,
                                   opa_versions=(OPA_VERSION, *allow_opa_versions))
            except SkipRefused as exc:  # found once the policy is compiled, before OPA evaluates anything
                raise click.BadParameter(str(exc), param_hint="--skip") from None
            data, history = b"", None
            with store_errors("no report was written."):
                if previous is not None:
                    result = compared(result, previous, digest_of(baseline_bytes), "file")
                elif store is not None:
                    step("reading the previous run from the history store")
                    result = compared_with_previous(store, result)
                if store is not None:
                    data = _json_bytes(result)  # what is recorded: the result as --format json writes it
                    if any(shows_trend(fmt) for fmt, _ in targets):
                        history = report_history(store, result, digest_of(data))
            options = RenderOptions(lang=lang, color=sys.stdout.isatty(), path_prefix=path_prefix, history=history)
            rendered = render_all(targets, result, options, step=step, seal=_sealing(key, alg))
        # only now, with every report rendered (and evidence.json beside them), does anything get written; a run
        # to record is recorded once the report files are in place, before any report is shown on stdout
        write_all(rendered, trusted=reads.trusted, packs=packs(targets),
                  then=_recording(store, data, result) if record and store else None)
    sys.exit(EXIT_FINDINGS if gate(result, result.fail_on, new_only=fail_on_new_only) else EXIT_OK)


def _json_bytes(result: RunResult) -> bytes:
    written = render("json", result)
    return written.encode("utf-8") if isinstance(written, str) else written


@contextlib.contextmanager
def _store(db: str | None) -> Iterator[Store]:
    with store_errors("nothing was evaluated; no report was written."):
        store = opened(db)
    with store:
        yield store


def _recording(store: Store, data: bytes, result: RunResult) -> Callable[[], None]:
    """Record the run (its result's bytes); any failure is exit 3, and `write_all` takes the reports back."""
    def record() -> None:
        with store_errors("the run was not recorded; no report of this run was left.", after_writing=True):
            outcome = store.record_valid(data, result)
        said = "recorded" if outcome.stored else "already recorded (nothing changed):"
        say(f"{said} run {outcome.digest} of {result.workspace} ({result.as_of}) in {store.shown}", err=True)
    return record


def _sealing(key: Path | None, alg: str) -> Seal | None:
    """What completes every evidence manifest the run renders (evidence.json beside reports and in an audit
    pack, the `evidence` format): its signature with `key`, when there is one."""
    if key is None:
        return None
    return lambda doc: signed(doc, key, alg)


def _source(param: str) -> Literal["cli", "env"]:
    """Whether the value of `param` came from the environment or the command line (the evidence says which)."""
    return "env" if click.get_current_context().get_parameter_source(param) is ParameterSource.ENVIRONMENT else "cli"
