"""Workspace paths that never lead out of the workspace.

Workspace content arrives in pull requests, so every path in it is untrusted:
a manifest entry may not be absolute or climb above the workspace with `..`,
and a symbolic link is followed only while it stays inside. Links are
resolved here one component at a time from what readlink says, so nothing
outside the workspace is opened, listed or even looked at, and no error
names anything there: only the workspace-relative path of the link.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

MAX_LINKS = 40  # links followed for one path, as the kernel's ELOOP limit


MISSING = "does not exist"
OUTSIDE = "leads outside the workspace"
DANGLING = "leads to nothing (the link is dangling)"
LOOP = "goes round in a loop of symbolic links"


class PathProblem(Exception):
    """Why a path cannot be used, and the link (workspace-relative) to blame, if one is."""

    def __init__(self, reason: str, link: str | None = None):
        super().__init__(reason)
        self.reason, self.link = reason, link

    def message(self, name: str) -> str:
        """The problem of `name`, the path as the user wrote or reached it."""
        if self.link is None:
            return f"'{name}' {self.reason}"
        if self.link == name:
            return f"'{name}' is a symbolic link that {self.reason}"
        return f"'{name}' {self.reason} through the symbolic link '{self.link}'"


def entry_parts(entry: str) -> list[str]:
    if os.path.isabs(entry):
        raise PathProblem("must be a path inside the workspace, not an absolute one")
    return entry.split("/")


def resolve(root: Path, parts: list[str]) -> Path:
    """The real path `parts` names under `root` (itself real), as the kernel would
    follow it, refusing every step above `root`."""
    todo = list(reversed(parts))  # a stack: the next component last
    real: list[str] = []  # resolved so far: no links in it
    link: str | None = None  # the last link followed
    followed = 0
    while todo:
        name = todo.pop()
        if name in ("", "."):
            continue
        if name == "..":
            if not real:
                raise PathProblem(OUTSIDE if link else "must stay inside the workspace (no '..' above it)", link)
            real.pop()
            continue
        here = root.joinpath(*real, name)
        mode = _lstat(here, link)
        if not stat.S_ISLNK(mode):
            real.append(name)
            continue
        followed += 1
        link = here.relative_to(root).as_posix()
        if followed > MAX_LINKS:
            raise PathProblem(LOOP)  # every link in the loop is to blame, none more than another
        target = _readlink(here, link)
        if os.path.isabs(target):
            real = []  # only a target spelled from the workspace's own real path stays inside
            todo.extend(reversed(_below(root, target, link)))
        else:
            todo.extend(reversed(target.split("/")))
    return root.joinpath(*real)


def _below(root: Path, target: str, link: str) -> list[str]:
    parts = Path(target).parts
    if parts[: len(root.parts)] != root.parts:
        raise PathProblem(OUTSIDE, link)
    return list(parts[len(root.parts):])


def _lstat(path: Path, link: str | None) -> int:
    try:
        return os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise PathProblem(DANGLING if link else MISSING, link) from None
    except OSError as exc:
        raise PathProblem(f"cannot be read: {exc.strerror}", link) from None
    except ValueError:  # a NUL character, which no path can hold
        raise PathProblem("is not a valid path", link) from None


def _readlink(path: Path, link: str) -> str:
    try:
        return os.readlink(path)
    except OSError as exc:
        raise PathProblem(f"cannot be read: {exc.strerror}", link) from None


def _mode(path: Path) -> int:
    """The type of a real path inside the workspace (no link left to follow)."""
    try:
        return os.stat(path).st_mode
    except OSError as exc:
        raise PathProblem(f"cannot be read: {exc.strerror}") from None


def expand(root: Path, entry: str, accept: Callable[[str], bool]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files a manifest entry names: itself, or those under it that `accept`
    takes by name; and (workspace-relative path, message) for each link below
    it that cannot be followed. `PathProblem` if the entry itself is unusable."""
    path = resolve(root, entry_parts(entry))
    mode = _mode(path)
    if stat.S_ISDIR(mode):
        return walk(root, path, accept)
    if stat.S_ISREG(mode):
        return [path], []
    raise PathProblem("is not a regular file or folder")


def walk(root: Path, folder: Path, accept: Callable[[str], bool]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every regular file below `folder` that `accept` takes by name, following links
    that stay inside `root`; pathlib's rglob would skip linked folders silently."""
    files: set[Path] = set()
    problems: list[tuple[str, str]] = []
    pending, visited = [folder], set()
    while pending:
        here = pending.pop()
        if here in visited:  # reached again through a link
            continue
        visited.add(here)
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError as exc:
            folder_name = here.relative_to(root).as_posix()
            problems.append((folder_name, f"'{folder_name}' cannot be listed: {exc.strerror}"))
            continue
        for entry in entries:
            path, name = Path(entry.path), Path(entry.path).relative_to(root).as_posix()
            try:
                if entry.is_symlink():
                    path = resolve(root, list(path.relative_to(root).parts))
                mode = _mode(path)
            except PathProblem as exc:
                problems.append((name, exc.message(name)))
                continue
            if stat.S_ISDIR(mode):
                pending.append(path)
            elif stat.S_ISREG(mode) and accept(path.name):
                files.add(path)
    return sorted(files), problems
