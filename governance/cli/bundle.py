"""`govern bundle`: the workspace's policy as an OPA bundle that any OPA or bundle server serves.

The workspace is validated and its Rego compiled exactly as `govern check`
does (exit 2 if invalid); the bundle is then built by the pinned `opa build`
(exit 3 if OPA is missing or fails) and written all or nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from governance.cli._common import EXIT_INVALID, EXIT_OK, Guard, exit_with
from governance.cli._group import main
from governance.cli._output import target, write_all
from governance.cli._places import Reads
from governance.engine import DEFAULT_SIGNING_ALG, SIGNING_ALGS, SigningKeyError, build_bundle, policy_revision
from governance.evaluate import validate


@main.command()
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
@click.option("--output", "-o", required=True, metavar="FILE.tar.gz", help="Where to write the bundle.")
@click.option("--signing-key", type=click.Path(exists=True, dir_okay=False), metavar="PEM",
              help="Sign the bundle with this private key (RSA or ECDSA, PEM); OPA verifies it with "
                   "`opa run --verification-key PUBLIC.pem`.")
@click.option("--signing-alg", type=click.Choice(SIGNING_ALGS),
              help=f"Signature algorithm of --signing-key (default: {DEFAULT_SIGNING_ALG}, as OPA's).")
def bundle(workspace: str, output: str, signing_key: str | None, signing_alg: str | None) -> None:
    """Build an OPA bundle of the built-in and workspace checks and the policy definitions.

    Its .manifest carries the policy revision (as `govern check` reports it) and
    owns the `govern` root; `govern check --opa-url` against an OPA serving it
    uploads nothing and refuses a bundle of another revision.
    """
    if output == "-" or os.path.isdir(output) or output.endswith(("/", os.sep)):
        raise click.BadParameter("give the name of a file (a bundle is a tarball, not for a terminal)",
                                 param_hint="--output")
    if signing_alg and not signing_key:
        raise click.UsageError("--signing-alg goes with --signing-key")
    alg = signing_alg or DEFAULT_SIGNING_ALG
    reads = Reads(workspace, (signing_key,))
    target(output, "--output", reads)
    with Guard():
        ws, policy = validate(workspace)
        definitions = ws.definitions()
        key = Path(signing_key) if signing_key else None
        try:
            content = build_bundle(policy.modules, definitions, signing_key=key, signing_alg=alg)
        except SigningKeyError as exc:
            exit_with(EXIT_INVALID, [f"error: --signing-key {signing_key}: {exc}", "no bundle was written."])
    write_all([(output, content)], nothing="no bundle was written", trusted=reads.trusted)
    signed = f", signed {alg}" if key else ", unsigned"
    click.echo(f"bundle: {output}: revision {policy_revision(policy.modules, definitions)}, "
               f"{len(policy.modules)} module(s){signed}")
    sys.exit(EXIT_OK)
