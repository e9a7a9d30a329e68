"""`govern controls`: the control catalogue and the checks that evidence it."""

from __future__ import annotations

import click

from governance.cli import main
from governance.cli._common import Guard
from governance.evaluate import load


@main.command()
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
def controls(workspace: str) -> None:
    """List controls and the checks that evidence them."""
    with Guard():
        ws = load(workspace)
    for control in sorted(ws.controls.values(), key=lambda c: c.id):
        click.echo(f"{control.id}\t{', '.join(control.checks)}\t{control.title.en} / {control.title.zh}")
