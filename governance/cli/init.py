"""`govern init`: start a workspace from the handbook baseline."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import click

from governance import library
from governance.cli import main
from governance.cli.schema import DEFAULT_FOLDER, write_schemas

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
    # the manifest last: it makes the folder a workspace, so a failed init can simply be run again
    # (a JSON string is a YAML double-quoted scalar: any name stays one value, "a: b" cannot add keys)
    manifest = modeline("governance.yaml", "manifest.json") + MANIFEST.format(name=json.dumps(name, ensure_ascii=False))
    try:
        _copy_baseline(root)
        write_schemas(root / DEFAULT_FOLDER)
        (root / "governance.yaml").write_text(manifest, encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot create a workspace in {root}: {exc.strerror or exc}"
                               + (f" ({exc.filename})" if exc.filename else "")) from None
    click.echo(f"created {root}: edit policies/ and add your inventory, then run `govern check {root}` "
               f"({DEFAULT_FOLDER}/ lets editors check the files as you type)")


def modeline(file: str, schema: str) -> str:
    """The first line that points yaml-language-server (VS Code, Neovim, Helix, …) at the file's schema,
    relative to the file (both given relative to the workspace root)."""
    up = "../" * (len(PurePosixPath(file).parts) - 1)
    return f"# yaml-language-server: $schema={up}{DEFAULT_FOLDER}/{schema}\n"


def _copy_baseline(root: Path) -> None:
    base = library.baseline_dir()
    for src in sorted(base.rglob("*.yaml")):
        rel = src.relative_to(base)
        inventory = rel.parts[0] == "inventory"
        target = rel if inventory else Path("policies") / rel
        line = modeline(target.as_posix(), "inventory.json" if inventory else "policy.json")
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        (root / target).write_text(line + src.read_text(encoding="utf-8"), encoding="utf-8")
    for folder in ("controls", "checks", "waivers"):
        (root / folder).mkdir(parents=True, exist_ok=True)
