"""`govern init`: start a workspace from the handbook baseline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

from governance import library
from governance.cli import main

MANIFEST = """\
name: {name}
policies: [policies]
controls: [controls]
checks: [checks]
inventory: [inventory]
waivers: [waivers]
fail_on: low
"""


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", default="My Enterprise", show_default=True, help="The workspace's display name.")
def init(directory: str, name: str) -> None:
    """Create a workspace with the handbook's baseline policies."""
    root = Path(directory)
    if (root / "governance.yaml").exists():
        raise click.UsageError(f"{root / 'governance.yaml'} exists already; not overwriting a workspace")
    if not name.isprintable():  # also refuses undecodable bytes from the command line (lone surrogates)
        raise click.BadParameter("the name must be printable text on one line", param_hint="--name")
    try:
        _copy_baseline(root)
        # a JSON string is a YAML double-quoted scalar: any name stays one value ("a: b" cannot add keys)
        (root / "governance.yaml").write_text(MANIFEST.format(name=json.dumps(name, ensure_ascii=False)), encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot create a workspace in {root}: {exc.strerror or exc}"
                               + (f" ({exc.filename})" if exc.filename else "")) from None
    click.echo(f"created {root}: edit policies/ and add your inventory, then run `govern check {root}`")


def _copy_baseline(root: Path) -> None:
    base = library.baseline_dir()
    for src in sorted(base.rglob("*.yaml")):
        rel = src.relative_to(base)
        target = root / (rel if rel.parts[0] == "inventory" else Path("policies") / rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    for folder in ("controls", "checks", "waivers"):
        (root / folder).mkdir(parents=True, exist_ok=True)
