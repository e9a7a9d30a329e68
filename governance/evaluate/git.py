"""The workspace's git commit, for the evidence: which commit the inputs were, and whether they were it.

A workspace usually lives in a git repository; an auditor checks out the commit the evidence names.
`dirty` says whether any file the run read differs from that commit (modified, untracked or ignored):
when it is false, that commit holds exactly the inputs evaluated.

The workspace's content is untrusted (it arrives in pull requests), and a folder can pose as a
repository: `HEAD`, `config`, `objects/`, `refs/` are ordinary committable files, and git discovers
such a folder as a bare repository and obeys its `config` (a `filter.<name>.clean` command runs on
`git status`). So git is asked as little as possible and never trusted to decide anything:

- only `git rev-parse` and `git ls-tree`, which read the repository and run no configured command
  (no `git status`, `diff`, `hash-object`: they run the clean filters a `.gitattributes` names);
- bare repositories are used only when named explicitly (`safe.bareRepository=explicit`), which
  govern never does, and the repository must be one a checkout has: `<top>/.git` a folder that is
  the git dir, or a `.git` file (a linked worktree, a submodule) whose git dir is outside the
  workspace. Neither `.git` can arrive in a commit: git refuses to track that name;
- no system or global configuration (the answer is the same on every machine), the file-system
  monitor and hooks off, no lock taken, and the variables that would point git at another
  repository or let it prompt cleared;
- whether a file differs is decided here, by comparing its git blob id, computed in Python, with
  the one HEAD's tree records.

No git, not a repository, a repository refused, or any failure means no answer (None), never a
failed run.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from governance.result import COMMIT, GitState

TIMEOUT = 10.0  # seconds: reading HEAD's tree is far quicker; a hung git must not hang the run
# what git needs of the caller's environment: where it is (no HOME: no user configuration is read)
_KEPT = ("PATH", "SYSTEMROOT")
_SAFE = ("-c", "safe.bareRepository=explicit", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false",
         "-c", "core.hooksPath=/dev/null")
_LINK, _FILES = "120000", ("100644", "100755")  # the tree modes of a symbolic link and of a file


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _KEPT}
    # never another repository (GIT_DIR, GIT_WORK_TREE ... are dropped), never a prompt, never a lock,
    # no configuration but the repository's own
    env.update({"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_LITERAL_PATHSPECS": "1",
                "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull})
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
    where = _git(root, "rev-parse", "--is-bare-repository", "--absolute-git-dir", "--show-toplevel", "--show-prefix")
    head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if where is None or head is None or not COMMIT.fullmatch(head.strip()):
        return None
    lines = where.split("\n")
    if len(lines) < 4 or lines[0] != "false" or not _a_checkout(root, Path(lines[1]), Path(lines[2])):
        return None
    tree = _git(root, "ls-tree", "-r", "-z", "--full-name", "HEAD", "--", ".")  # only what lies under root
    if tree is None:
        return None
    return GitState(commit=head.strip(), dirty=_differs(root, lines[3], _entries(tree), read, len(head.strip())))


def _a_checkout(root: Path, git_dir: Path, top: Path) -> bool:
    """Is this the repository of an ordinary checkout, not one the workspace's own files make up?"""
    root, git_dir, top = root.resolve(), git_dir.resolve(), top.resolve()
    if not root.is_relative_to(top):
        return False
    dot_git = top / ".git"
    if dot_git.is_dir() and not dot_git.is_symlink():
        return git_dir == dot_git
    # a `.git` file: git wrote it (a linked worktree, a submodule); its git dir is elsewhere
    return dot_git.is_file() and not dot_git.is_symlink() and not git_dir.is_relative_to(root)


def _entries(tree: str) -> dict[str, tuple[str, str]]:
    """`git ls-tree -r -z` as path -> (mode, object id); paths from the top of the repository."""
    entries: dict[str, tuple[str, str]] = {}
    for entry in tree.split("\0"):
        info, tab, path = entry.partition("\t")
        fields = info.split(" ")
        if tab and len(fields) == 3:
            entries[path] = (fields[0], fields[2])
    return entries


def _differs(root: Path, prefix: str, committed: dict[str, tuple[str, str]], read: Iterable[str],
             id_length: int) -> bool:
    """Is a file of `read` not in HEAD's tree (untracked, ignored), or not as it is there?"""
    for rel in read:
        entry = committed.get(prefix + rel)
        if entry is None or _blob(root / rel, entry[0], id_length) != entry[1]:
            return True
    return False


def _blob(path: Path, mode: str, id_length: int) -> str | None:
    """The git blob id of what `path` holds now, if it is what `mode` says it is: git's own hash of the
    bytes as they are (git would run the repository's filters to compute it)."""
    try:
        if mode == _LINK and path.is_symlink():
            data = os.fsencode(os.readlink(path))
        elif mode in _FILES and path.is_file() and not path.is_symlink():
            data = path.read_bytes()
        else:
            return None
    except OSError:  # gone or unreadable since the run read it: not as committed
        return None
    digest = hashlib.sha1 if id_length == 40 else hashlib.sha256  # noqa: S324 - git's object id, not a secret
    return digest(b"blob %d\0" % len(data) + data).hexdigest()
