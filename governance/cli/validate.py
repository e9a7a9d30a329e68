"""`govern validate`: everything `check` checks before evaluating.

The workspace's Rego is compiled by the pinned OPA binary (no server is
started), so `validate` and `check` agree on what is valid."""

from __future__ import annotations

import click

from governance.cli._common import Guard, say
from governance.cli._group import main
from governance.evaluate import validate as validate_workspace


@main.command()
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
def validate(workspace: str) -> None:
    """Load and validate a workspace and compile its checks (no OPA server needed)."""
    with Guard():
        ws, policy = validate_workspace(workspace)
    counts = ", ".join(f"{len(v)} {k}" for k, v in sorted(ws.inventory.kinds()))
    say(f"{ws.name}: valid ({counts}; {len(ws.waivers)} waivers, {len(ws.controls)} controls, "
        f"{len(policy.checks)} checks)")
