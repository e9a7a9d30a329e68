"""The workspace's git commit, for the evidence: which commit the inputs were, and whether they were it.

A workspace usually lives in a git repository; an auditor checks out the commit the evidence names.
`dirty` says whether any file the run read differs from that commit (modified, staged, untracked
or ignored): when it is false, that commit holds exactly the inputs evaluated.

git is asked as a subprocess, never trusted to decide anything: no git, not a repository, a
repository git refuses, or any failure means no answer (None), never a failed run. Its environment
is cleared of the variables that would point it at another repository or let it prompt, and of
the hooks a repository's configuration can name: the filesystem monitor is off and no lock is taken,
so asking changes nothing in the repository.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from governance.result import GitState

TIMEOUT = 10.0  # seconds: `git status` of a workspace is far quicker; a hung git must not hang the run
_COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")  # sha1, or sha256 repositories
# what git needs of the caller's environment: where it is, and whose configuration (a user's own) to read
_KEPT = ("PATH", "HOME", "XDG_CONFIG_HOME", "SYSTEMROOT")
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-c", "core.hooksPath=/dev/null")


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _KEPT}
    # never another repository (GIT_DIR, GIT_WORK_TREE ... are dropped), never a prompt, never a lock
    env.update({"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_LITERAL_PATHSPECS": "1"})
    return env


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *_SAFE, *args], cwd=root, env=_environment(), capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError, ValueError):  # no git, a hung one, an unusable folder
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "surrogateescape")


def git_state(root: Path, read: Iterable[str]) -> GitState | None:
    """The commit checked out where `root` is, and whether a file of `read` (paths relative to `root`)
    is not as committed; None when there is no commit to name."""
    head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    prefix = _git(root, "rev-parse", "--show-prefix")  # root's folder from the top of the repository
    if head is None or prefix is None or not _COMMIT.fullmatch(head.strip()):
        return None
    # -z: paths as they are, relative to the top of the repository; `.`: only what lies under root
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching", "--", ".")
    if status is None:
        return None
    return GitState(commit=head.strip(), dirty=_touches(status, prefix.strip(), read))


def _touches(status: str, prefix: str, read: Iterable[str]) -> bool:
    """Does an entry of `git status -z` name a file of `read`, or a folder (ignored as a whole) above one?"""
    changed: set[str] = set()
    folders: list[str] = []
    entries = iter(status.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":
            next(entries, None)  # a rename's or copy's second path is its origin: not a file read now
        if path.endswith("/"):
            folders.append(path)
        else:
            changed.add(path)
    for rel in read:
        full = prefix + rel
        if full in changed or any(full.startswith(folder) for folder in folders):
            return True
    return False
