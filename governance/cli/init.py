"""`govern init`: start a workspace from the handbook baseline."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
from pathlib import Path, PurePosixPath

import click

from governance import library
from governance.cli._group import main
from governance.cli._places import create, occupied, open_folder
from governance.cli.schema import DEFAULT_FOLDER
from governance.model import schema_files

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
    """Create a workspace with the handbook's baseline policies.

    Nothing that exists is overwritten and no symbolic link below DIRECTORY is followed: if any file
    init would create is there already (or a link stands on its way), init lists them and writes nothing."""
    if not name.isprintable():  # also refuses undecodable bytes from the command line (lone surrogates)
        raise click.BadParameter("the name must be printable text on one line", param_hint="--name")
    root = Path(directory)
    # (a JSON string is a YAML double-quoted scalar: any name stays one value, "a: b" cannot add keys)
    manifest = modeline("governance.yaml", "manifest.json") + MANIFEST.format(name=json.dumps(name, ensure_ascii=False))
    files = {**_baseline(), **{Path(DEFAULT_FOLDER) / n: t for n, t in schema_files().items()},
             Path("governance.yaml"): manifest}  # the manifest last: it makes the folder a workspace
    try:
        real = root.resolve()
        taken = [why for rel in files if (why := occupied(real, rel))]
        taken += [why for rel in FOLDERS if (why := occupied(real, Path(rel), folder=True))]
        taken += [why for why in [_ignore_refused(real)] if why]
        if taken:
            taken = list(dict.fromkeys(taken))  # a folder in the way of several files is named once
            raise click.UsageError(f"{root}: not overwriting; these exist already (nothing was written):\n  "
                                   + "\n  ".join(taken))
        _write(real, files)
    except OSError as exc:
        raise click.UsageError(f"cannot create a workspace in {root}: {exc.strerror or exc}"
                               + (f" ({exc.filename})" if exc.filename else "")) from None
    click.echo(f"created {root}: edit policies/ and add your inventory, then run `govern check {root}` "
               f"({DEFAULT_FOLDER}/ lets editors check the files as you type)")


FOLDERS = ("controls", "checks", "waivers")  # named by the manifest, empty for now


def modeline(file: str, schema: str) -> str:
    """The first line that points yaml-language-server (VS Code, Neovim, Helix, …) at the file's schema,
    relative to the file (both given relative to the workspace root)."""
    up = "../" * (len(PurePosixPath(file).parts) - 1)
    return f"# yaml-language-server: $schema={up}{DEFAULT_FOLDER}/{schema}\n"


def _baseline() -> dict[Path, str]:
    base = library.baseline_dir()
    files = {}
    for src in sorted(base.rglob("*.yaml")):
        rel = src.relative_to(base)
        inventory = rel.parts[0] == "inventory"
        target = rel if inventory else Path("policies") / rel
        line = modeline(target.as_posix(), "inventory.json" if inventory else "policy.json")
        files[target] = line + src.read_text(encoding="utf-8")
    return files


def _write(root: Path, files: dict[Path, str]) -> None:
    """Each file created with O_EXCL in a folder opened without following links; on a failure, what
    this init created is removed again, so it can simply be run again."""
    made: list[Path] = []
    created: list[Path] = []
    try:
        for rel, text in files.items():
            fd = open_folder(root / rel.parent, made)
            try:
                create(fd, rel.name, text.encode("utf-8"))
                created.append(root / rel)
            finally:
                os.close(fd)
        for name in FOLDERS:
            os.close(open_folder(root / name, made))
        if _ignore_store(root):
            created.append(root / GITIGNORE)
    except BaseException:
        for path in reversed(created):
            with contextlib.suppress(OSError):
                path.unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


GITIGNORE = ".gitignore"
STORE_FOLDER = ".govern/"  # where the default history store lives (docs/history.md): local, never committed


def _ignore_refused(root: Path) -> str | None:
    """Why the workspace's .gitignore cannot be added to: it is a link or not a file. One that exists
    is added to, never a reason to refuse (a fresh repository often brings one)."""
    try:
        mode = os.lstat(root / GITIGNORE).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{GITIGNORE} ({exc.strerror or exc})"
    if stat.S_ISLNK(mode):
        return f"{GITIGNORE} (a symbolic link)"
    return None if stat.S_ISREG(mode) else f"{GITIGNORE} (not a file)"


def _ignore_store(root: Path) -> bool:
    """`.govern/` in the workspace's .gitignore, so the history store is never committed; True when the
    file was created here. A .gitignore that already names the folder is left as it is."""
    fd = open_folder(root, [])
    try:
        try:
            old = os.open(GITIGNORE, os.O_RDWR | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
        except FileNotFoundError:
            create(fd, GITIGNORE, f"{STORE_FOLDER}\n".encode())
            return True
        with os.fdopen(old, "r+b") as ignore:
            if not stat.S_ISREG(os.fstat(ignore.fileno()).st_mode):
                raise OSError(errno.EINVAL, "is not a file", GITIGNORE)
            text = ignore.read()
            if any(line.strip() in (b".govern", b".govern/", b"/.govern", b"/.govern/") for line in text.splitlines()):
                return False
            ignore.write((b"" if not text or text.endswith(b"\n") else b"\n") + f"{STORE_FOLDER}\n".encode())
        return False
    finally:
        os.close(fd)
