"""`govern verify RESULT [WORKSPACE]`: is this result the verdict of this workspace?

Exit 0 when everything matches, 1 naming the first differences, 2 when RESULT or
WORKSPACE cannot be read, 3 when evaluating again could not be completed. The
comparison itself is governance.evaluate.verify.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from governance import __version__
from governance.cli._common import (
    EXIT_FINDINGS,
    EXIT_INVALID,
    EXIT_OK,
    Guard,
    KeyFile,
    ResultFile,
    key_refused,
    problem_lines,
    say,
)
from governance.cli._group import main
from governance.evaluate import Recorded, ResultFileError, check_signature, differences, record_for
from governance.report import audit_members, reproduced

EXIT_DIFFERENT = EXIT_FINDINGS
SHOWN = 20  # differences printed; the count of the rest follows


def _bad(message: str) -> click.exceptions.Exit:
    say(f"error: {message}", err=True)
    return click.exceptions.Exit(EXIT_INVALID)


def _refused(exc: ResultFileError) -> click.exceptions.Exit:
    first, *rest = problem_lines(exc)
    for line in [f"error: {first}", *rest]:
        say(line, err=True)
    return click.exceptions.Exit(EXIT_INVALID)


@main.command()
@click.argument("result_file", metavar="RESULT", type=ResultFile(exists=False))
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
@click.option("--inputs-only", is_flag=True,
              help="Check the result against itself and the inputs only: fast, no OPA, findings not evaluated again.")
@click.option("--verification-key", type=KeyFile(), metavar="PEM",
              help="Public key (PEM) whose private key must have signed the evidence (`govern check --signing-key`): "
                   "unsigned or otherwise signed evidence fails.")
def verify(result_file: str, workspace: str, inputs_only: bool, verification_key: str | None) -> None:
    """Prove that RESULT (a JSON result or evidence.json) is the verdict WORKSPACE gives as it is now.

    Checks that the result agrees with itself; recomputes the sha256 of every input, the library
    modules and the policy revision; then evaluates the workspace again at the result's as_of on
    OPA and compares every finding (not with --inputs-only). Exit 0: everything matches; 1:
    something differs (the first differences are named); 2: RESULT or WORKSPACE cannot be read;
    3: the evaluation could not be completed.

    With --verification-key, the evidence (RESULT, or the evidence.json beside
    it that lists it) must be signed by that key's private key, unchanged
    (checked first, by the pinned OPA).
    """
    result_path, root = Path(result_file), Path(workspace)
    if not root.is_dir():
        raise _bad(f"{root}: workspace folder does not exist")
    with Guard(), key_refused("--verification-key", verification_key, nothing="nothing was verified."):
        try:  # the signature first: evidence its key did not sign is refused before anything is recomputed
            signature = check_signature(record_for(result_path),
                                        Path(verification_key) if verification_key else None)
        except ResultFileError as exc:
            raise _refused(exc) from None
        if signature.refused:
            say(f"verify: FAILED: signature: {signature.refused}")
            sys.exit(EXIT_DIFFERENT)
        if signature.checked:
            say(f"signature: OK, {signature.checked}")  # names paths given by the user
        if signature.note:
            say(f"note: {signature.note}")
    with Guard():  # anything unexpected is exit 3, never a silent 0 or 1; OPA failing too, as for check
        try:
            done = differences(result_path, root, inputs_only=inputs_only, pack=audit_members, reproduce=reproduced)
        except ResultFileError as exc:
            raise _refused(exc) from None
    rec, problems = done.recorded, done.problems
    for line in _notes(rec, inputs_only):
        say(line)
    for line in problems[:SHOWN]:
        say(line)  # names paths and versions from the result, which is user input
    if len(problems) > SHOWN:
        click.echo(f"... and {len(problems) - SHOWN} more difference(s)")
    trusted = f"; taken from the record: {', '.join(done.on_trust)}" if done.on_trust else ""
    if problems:
        say(f"verify: FAILED, {len(problems)} difference(s): {result_path} does not describe {root} as it is now"
            f"{trusted}")
        sys.exit(EXIT_DIFFERENT)
    matched = (f"{len(rec.inputs)} input file(s), {len(rec.library)} library module(s), "
               f"{_reports(rec, done.sha256_only)} and policy revision {rec.engine.policy_revision} match")
    # signed evidence verified without a key: the OK line itself says the signature proved nothing
    unsigned = "; the evidence's signature was not checked (no --verification-key)" if signature.note else ""
    if done.reevaluated is None:
        say(f"verify: OK (inputs only), {matched}; findings were not re-evaluated, so the findings, actions, budget, "
            f"strategy and diagnosis sections are not proven (only verify without --inputs-only evaluates them "
            f"again){trusted}{unsigned}")
    else:
        say(f"verify: OK, {matched}; evaluated again at {rec.as_of} on OPA {done.reevaluated.engine.opa_version}, "
            f"the verdict is the same ({len(done.reevaluated.findings)} finding(s), "
            f"verdict {done.reevaluated.verdict.digest if done.reevaluated.verdict else '-'}){trusted}{unsigned}")
    sys.exit(EXIT_OK)


def _reports(rec: Recorded, sha256_only: list[str] | None) -> str:
    """What the OK line says of the reports: a pack's are each rendered from its result.json; another set's are
    rendered again from its JSON result where a result alone renders them, the rest bound by their sha256."""
    if rec.pack is not None:
        return f"the audit pack's {len(rec.reports)} file(s), each rendered from its result.json,"
    if not sha256_only:
        return f"{len(rec.reports)} report(s)"
    return f"{len(rec.reports)} report(s) ({', '.join(sha256_only)} by their sha256 only: no result alone renders them)"


def _notes(rec: Recorded, inputs_only: bool) -> list[str]:
    """What the auditor should know before the verdict: who made the record, and from what."""
    notes = []
    if rec.tool.version != __version__:
        notes.append(f"note: the result was made by govern {rec.tool.version}; this is govern {__version__}")
    if rec.rendered_from is not None:
        notes.append(f"note: this evidence was re-rendered by `govern report` from result {rec.rendered_from.result}, "
                     "not written by a run" + ("; only evaluating again (without --inputs-only) proves its verdict"
                                               if inputs_only else ""))
    if rec.git is not None:
        notes.append(f"note: the inputs were git commit {rec.git.commit}"
                     + (", with changes not committed" if rec.git.dirty else ""))
    return notes
