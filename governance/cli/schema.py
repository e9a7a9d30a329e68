"""`govern schema`: the JSON Schemas of a workspace's files, for editors."""

from __future__ import annotations

from pathlib import Path

import click

from governance.cli import main
from governance.model.schema import render, schemas

DEFAULT_FOLDER = "schemas"


@main.command()
@click.option("--output", "-o", default=DEFAULT_FOLDER, show_default=True, metavar="DIR",
              type=click.Path(file_okay=False), help="Folder to write the schemas into (created if missing).")
def schema(output: str) -> None:
    """Write the JSON Schemas of the workspace files, for editors.

    manifest.json, policy.json, inventory.json, waivers.json and controls.json
    (draft 2020-12), generated from the models; existing ones are replaced."""
    if not output:
        raise click.BadParameter("the folder is empty; give a folder, e.g. schemas", param_hint="--output")
    for path in write_schemas(Path(output)):
        click.echo(f"wrote {path}")


def write_schemas(folder: Path) -> list[Path]:
    """Every schema into `folder`, created if missing; a folder that cannot hold them is a usage error (exit 2)."""
    contents = {folder / name: render(s) for name, s in schemas().items()}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for target, text in contents.items():
            target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot write the schemas into {folder}: {exc.strerror or exc}"
                               + (f" ({exc.filename})" if exc.filename else "")) from None
    return list(contents)

