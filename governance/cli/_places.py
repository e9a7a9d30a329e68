"""Where a file govern writes may go, and the folder it is written in, reached without following links.

A workspace, and the checkout around it, arrive in pull requests, and a symbolic link can be
committed like any file: `reports/govern.sarif -> /home/runner/.bashrc`. So a report is never
written through a link:

- the last component of a target is never a link (a link there is refused, even one that points
  inside the workspace: replacing the link would surprise whoever made it, writing through it is
  what an attacker wants);
- a link in a folder above it is followed only when it leads into a trusted area (the workspace,
  the current folder), where the user could have named the real folder themselves; any other is
  refused. A plain path outside them, `/tmp/out.json`, is the user's to choose and stays allowed;
- the file is then written by the folder's real path, opened one component at a time with
  O_NOFOLLOW from `/`, so a link swapped in afterwards makes the write fail instead of
  following it; the file is created there with O_EXCL under a temporary name and renamed.

The temporary names are govern's own (governance/result/written.py). A run killed before it
removed them leaves them behind; the next write into that folder removes those whose process is
gone (`clean_leftovers`), and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from governance.model import MANIFEST, read_places
from governance.result import leftovers, temporary_name

MAX_LINKS = 40  # links followed for one path, as the kernel's ELOOP limit
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class Refused(Exception):
    """A target govern will not write to: the message says why (a usage error, exit 2)."""


def trusted_areas(workspace: str | Path | None) -> list[Path]:
    """Where a link on the way to a report may lead: the current folder, and the workspace when there is one."""
    areas: list[Path] = []
    with contextlib.suppress(OSError):  # a working folder that vanished: relative targets fail on their own
        areas.append(Path(os.getcwd()))
    if workspace is not None:
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            areas.append(Path(workspace).resolve())
    return areas


def inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def real_folder(path: str | Path, trusted: Iterable[Path]) -> Path:
    """The real folder a file `path` is written in, resolved as the kernel would, or `Refused`:
    the file itself is a link, or a link above it leads out of every trusted area. Folders that do
    not exist yet are part of the answer (they will be created); `..` after a link is taken as the
    kernel takes it."""
    path = Path(path)
    folder, followed = _resolve(path.parent)
    if followed and not any(inside(folder, area) for area in trusted):
        raise Refused(f"{path} leads through a symbolic link to {folder}, outside the workspace and the "
                      "current folder; govern does not write reports through links there")
    try:
        mode = os.lstat(folder / path.name).st_mode
    except OSError:
        return folder  # missing (it will be created), or unreachable (the write says why)
    if stat.S_ISLNK(mode):
        raise Refused(f"{path} is a symbolic link; govern does not write reports through links "
                      "(remove it, or name the file it points to)")
    return folder


def _resolve(folder: Path) -> tuple[Path, int]:
    """`folder` resolved one component at a time from / (or the current folder), and how many links were
    followed on the way. Missing components are kept as written."""
    start = Path(os.getcwd()) if not folder.is_absolute() else Path("/")
    todo = list(reversed(folder.parts[1:] if folder.is_absolute() else folder.parts))
    real, followed = start, 0
    while todo:
        name = todo.pop()
        if name in ("", "."):
            continue
        if name == "..":
            real = real.parent
            continue
        here = real / name
        try:
            mode = os.lstat(here).st_mode
        except OSError:
            real = here  # missing, or below a file: created, or the write says why
            continue
        if not stat.S_ISLNK(mode):
            real = here
            continue
        followed += 1
        if followed > MAX_LINKS:
            raise Refused(f"{folder} goes round in a loop of symbolic links")
        target = Path(os.readlink(here))
        if target.is_absolute():
            real = Path("/")
            todo.extend(reversed(target.parts[1:]))
        else:
            todo.extend(reversed(target.parts))
    return real, followed


def open_folder(folder: Path, made: list[Path]) -> int:
    """A descriptor of the real folder `folder` (absolute, without links), reached from / one component at
    a time without following any link; missing folders are created and appended to `made`.
    A link met on the way (one swapped in since the path was resolved) is an OSError, never followed."""
    fd = os.open("/", _DIR_FLAGS)
    here = Path("/")
    try:
        for name in folder.parts[1:]:
            here = here / name
            try:
                child = os.open(name, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                os.mkdir(name, 0o777, dir_fd=fd)
                made.append(here)
                child = os.open(name, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(here)) from None
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def clean_leftovers(fd: int) -> None:
    """Remove what an interrupted write of govern left in the folder `fd`: temporaries of a process that is
    gone, and the previous file kept by one, once the file it was kept for is in place. Never another name."""
    for entry, target, pid in list(leftovers(os.listdir(fd))):
        if pid == os.getpid() or _alive(pid):
            continue  # this run's, or a run still writing here
        try:
            if entry.endswith(".old") and not _exists(target, fd):
                continue  # the only copy of a previous file: left for a person to put back
            if stat.S_ISREG(os.stat(entry, dir_fd=fd, follow_symlinks=False).st_mode):
                os.unlink(entry, dir_fd=fd)
        except OSError:
            continue


def _exists(name: str, fd: int) -> bool:
    try:
        os.stat(name, dir_fd=fd, follow_symlinks=False)
    except OSError:
        return False
    return True


class Reads:
    """What a command reads, so that nothing it writes lands there: the workspace (the manifest and every
    file and folder it names) and the other files it was given (a saved result, a baseline, a key)."""

    def __init__(self, workspace: str | None = None, files: Iterable[str | None] = ()) -> None:
        self.workspace = workspace
        self.trusted = trusted_areas(workspace)
        self.files = [Path(os.path.realpath(f)) for f in files if f]
        # a command that names no workspace (report, aggregate) still never writes into the one it runs in
        around = workspace if workspace is not None else ("." if os.path.isfile(MANIFEST) else None)
        self.places = read_places(around) if around is not None else []

    def refuse(self, target: Path, shown: str) -> None:
        """`Refused` when the real path `target` is an input of the run, or inside a place the workspace reads."""
        if target in self.files:
            raise Refused(f"{shown} is one of this run's inputs; a report must not replace what it was made from")
        for place in self.places:
            if inside(target, place):
                what = "is" if target == place else "is inside"
                raise Refused(f"{shown} {what} {place}, which the workspace reads: the next run would read the "
                              "report as input; write it elsewhere (e.g. reports/)")


def create(folder: int, name: str, data: bytes, *, replace: bool = False) -> None:
    """The file `name` in the folder `folder`, never through a link: created with O_EXCL, or (`replace`)
    written under a temporary name and renamed over what is there. Either way it is whole or absent."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    written = temporary_name(name, "tmp") if replace else name
    fd = os.open(written, flags, 0o666, dir_fd=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        if replace:
            os.replace(written, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(written, dir_fd=folder)
        raise


def occupied(root: Path, rel: Path, *, folder: bool = False) -> str | None:
    """Why `rel` (a file, or a folder when `folder`) cannot be created under the real folder `root`
    without replacing anything or following a link, or None: each component is looked at, not followed."""
    here = root
    for i, name in enumerate(rel.parts):
        here = here / name
        last = i == len(rel.parts) - 1
        try:
            mode = os.lstat(here).st_mode
        except FileNotFoundError:
            return None  # nothing from here on: all of it is new
        if stat.S_ISLNK(mode):
            return f"{here.relative_to(root)} (a symbolic link)"
        if stat.S_ISDIR(mode) and (folder or not last):
            continue
        return f"{here.relative_to(root)}" + ("" if last and not folder else " (a file where a folder goes)")
    return None
