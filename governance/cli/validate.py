"""`govern validate`: load and validate only; no OPA needed."""

from __future__ import annotations

import click

from governance.cli import main
from governance.cli._common import Guard
from governance.evaluate import load


@main.command()
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
def validate(workspace: str) -> None:
    """Load and validate a workspace (no OPA needed)."""
    with Guard():
        ws = load(workspace)
    counts = ", ".join(f"{len(v)} {k}" for k, v in sorted(ws.inventory.items()))
    click.echo(f"{ws.name}: valid ({counts}; {len(ws.waivers)} waivers, {len(ws.controls)} controls)")
