"""Paths as a repository sees them.

A result names files relative to the workspace root; the services CI reports
to (GitHub code scanning and workflow annotations, GitLab's test report) read
every path relative to the repository root. When the workspace is a folder of
the repository, `--path-prefix` names that folder, and the reports that CI
services read put it in front of every path they show.
"""

from __future__ import annotations

import re

_DRIVE = re.compile(r"[A-Za-z]:")


def repository_prefix(value: str) -> str:
    """`value` as a clean relative POSIX folder (`a/b`, '' for the repository root), else ValueError saying why.

    A prefix only ever joins paths that the result already holds, so it must stay inside the
    repository: absolute paths, drive letters and `..` would point annotations outside it."""
    if any(ord(c) < 0x20 or c == "\x7f" for c in value):
        raise ValueError(f"{value!r} holds a control character")
    if "\\" in value:
        raise ValueError(f"{value!r}: write folders with / (as git and GitHub do), not \\")
    if value.startswith("/") or _DRIVE.match(value):
        raise ValueError(f"{value!r} is absolute; give the workspace's folder relative to the repository root")
    parts = [p for p in value.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ValueError(f"{value!r} leaves the repository (..); give the workspace's folder relative to its root")
    return "/".join(parts)


def in_repository(prefix: str, path: str) -> str:
    """A workspace-relative `path` as a repository-relative one."""
    return f"{prefix}/{path}" if prefix else path
