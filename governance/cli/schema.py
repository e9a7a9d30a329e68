"""`govern schema`: the JSON Schemas of a workspace's files, for editors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click

from governance.cli._group import main
from governance.cli._places import Reads, Refused, create, open_folder, real_folder, trusted_areas
from governance.model import schema_files

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
    try:  # run inside a workspace, never into a folder it reads (a schema in policies/ would be read as a policy)
        Reads().refuse(real_folder(Path(output) / "x", trusted_areas(None)), output)
    except Refused as exc:
        raise click.BadParameter(str(exc), param_hint="--output") from None
    except (OSError, ValueError) as exc:
        raise click.BadParameter(f"{output} is not a usable path: {exc}", param_hint="--output") from None
    for path in write_schemas(Path(output)):
        click.echo(f"wrote {path}")


def write_schemas(folder: Path) -> list[Path]:
    """Every schema into `folder`, created if missing, each replaced whole and never through a symbolic
    link (a link as a schema's name, or one on the way out of the current folder, is refused);
    a folder that cannot hold them is a usage error (exit 2)."""
    contents = schema_files()
    try:
        real = real_folder(folder / "x", trusted_areas(None))
        fd = open_folder(real, [])
        try:
            for name, text in contents.items():
                if why := _link_or_folder(real / name):
                    raise click.UsageError(f"cannot write the schemas into {folder}: {name} {why}")
                create(fd, name, text.encode("utf-8"), replace=True)
        finally:
            os.close(fd)
    except Refused as exc:
        raise click.UsageError(f"cannot write the schemas into {folder}: {exc}") from None
    except OSError as exc:
        raise click.UsageError(f"cannot write the schemas into {folder}: {exc.strerror or exc}"
                               + (f" ({exc.filename})" if exc.filename else "")) from None
    return [folder / name for name in contents]


def _link_or_folder(path: Path) -> str | None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return "is a symbolic link; govern does not write through links"
    return "Is a directory" if stat.S_ISDIR(mode) else None
