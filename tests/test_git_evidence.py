"""The evidence's `git`: the commit the workspace is at, and whether the inputs were it, asked of a real git
without letting the workspace's own files (untrusted, they arrive in pull requests) make git run anything."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pydantic import ValidationError

from governance.evaluate.git import git_state
from governance.result import GitState
from tests import conftest


def _git(where: Path, *args: str) -> str:
    env = {"PATH": os.environ["PATH"], "HOME": str(where), "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main",
                           *args], cwd=where, env=env, check=True, capture_output=True, text=True).stdout.strip()


def _repository(top: Path, files: dict[str, str], *init: str) -> str:
    """A real repository at `top` with `files` committed; its HEAD."""
    top.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(text, encoding="utf-8")
    _git(top, "init", "-q", *init)
    _git(top, "add", "-A")
    _git(top, "commit", "-q", "-m", "committed")
    return _git(top, "rev-parse", "HEAD")


def _pose_as_repository(folder: Path, scratch: Path, marker: Path) -> None:
    """Make `folder` a repository by its files alone, as a pull request can: a commit's HEAD, index, objects
    and refs, and a config whose work tree has a .gitattributes naming a filter that creates `marker`."""
    src, worktree = scratch / "src", scratch / "wt"
    _repository(src, {"a.txt": "a\n"})
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("HEAD", "index"):
        shutil.copy(src / ".git" / name, folder / name)
    for name in ("objects", "refs"):
        shutil.copytree(src / ".git" / name, folder / name)
    (folder / "config").write_text(
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n"
        f"\tworktree = {worktree}\n"
        '[filter "evil"]\n'
        f'\tclean = "touch {marker}; cat"\n', encoding="utf-8")
    worktree.mkdir()
    (worktree / "a.txt").write_text("changed\n", encoding="utf-8")
    (worktree / ".gitattributes").write_text("* filter=evil\n", encoding="utf-8")


# ---------------------------------------------------------------- a workspace posing as a repository

@pytest.mark.parametrize("where", ["the workspace", "a folder above it"])
def test_a_workspace_posing_as_a_repository_runs_nothing_and_names_no_commit(example, tmp_path, where):
    marker = tmp_path / "MARKER"
    planted = example if where == "the workspace" else tmp_path
    _pose_as_repository(planted, tmp_path / "scratch", marker)
    # the plant is real: git on its own (no safe.bareRepository) takes it for the workspace's repository
    assert Path(_git(example, "rev-parse", "--absolute-git-dir")) == planted.resolve()
    out = tmp_path / "out"
    proc = conftest.check(example, "--format", f"json={out / 'result.json'}")  # evidence.json beside it
    assert proc.returncode == 1, proc.stderr
    assert not marker.exists()
    assert json.loads((out / "result.json").read_text(encoding="utf-8"))["git"] is None
    assert json.loads((out / "evidence.json").read_text(encoding="utf-8"))["git"] is None


def test_a_git_dir_inside_the_workspace_is_not_its_repository(tmp_path):
    """A `.git` file naming a git dir inside the workspace (git writes such files for worktrees; the workspace's
    own files must not choose the repository)."""
    ws = tmp_path / "ws"
    _repository(ws / "inner", {"governance.yaml": "name: x\n"})
    (ws / "inner" / ".git").rename(ws / "planted")
    (ws / "governance.yaml").write_text("name: x\n", encoding="utf-8")
    (ws / ".git").write_text("gitdir: planted\n", encoding="utf-8")
    assert Path(_git(ws, "rev-parse", "--absolute-git-dir")) == (ws / "planted").resolve()  # git would use it
    assert git_state(ws, ["governance.yaml"]) is None


def test_the_repository_config_runs_no_filter_on_the_files_read(tmp_path):
    """Even an ordinary checkout's own filter (configured by whoever cloned) is never run: `dirty` is decided
    from the bytes, not by `git status`."""
    marker = tmp_path / "MARKER"
    top = tmp_path / "repo"
    _repository(top, {"ws/governance.yaml": "name: x\n", ".gitattributes": "*.yaml filter=evil\n"})
    _git(top, "config", "filter.evil.clean", f"touch {marker}; cat")
    (top / "ws" / "governance.yaml").write_text("name: y\n", encoding="utf-8")
    assert git_state(top / "ws", ["governance.yaml"]) == GitState(commit=_git(top, "rev-parse", "HEAD"), dirty=True)
    assert not marker.exists()


# ---------------------------------------------------------------- an ordinary checkout

def test_a_workspace_in_a_checkout_names_its_commit_and_whether_the_files_read_are_it(tmp_path):
    top = tmp_path / "repo"
    head = _repository(top, {"gov/ws/governance.yaml": "name: x\n", "gov/ws/waivers/w.yaml": "waivers: []\n",
                             "gov/other.yaml": "x\n", ".gitignore": "*.local.yaml\n"})
    ws, read = top / "gov" / "ws", ["governance.yaml", "waivers/w.yaml"]
    assert git_state(ws, read) == GitState(commit=head, dirty=False)

    (top / "gov" / "other.yaml").write_text("changed, not read\n", encoding="utf-8")
    assert git_state(ws, read) == GitState(commit=head, dirty=False)

    (ws / "waivers" / "w.yaml").write_text("waivers: [1]\n", encoding="utf-8")  # modified
    assert git_state(ws, read) == GitState(commit=head, dirty=True)
    _git(top, "add", "-A")  # staged: still not the commit
    assert git_state(ws, read) == GitState(commit=head, dirty=True)
    (ws / "waivers" / "w.yaml").write_text("waivers: []\n", encoding="utf-8")  # back as committed
    assert git_state(ws, read) == GitState(commit=head, dirty=False)

    (ws / "new.yaml").write_text("x\n", encoding="utf-8")  # untracked
    assert git_state(ws, [*read, "new.yaml"]) == GitState(commit=head, dirty=True)
    (ws / "mine.local.yaml").write_text("x\n", encoding="utf-8")  # ignored
    assert git_state(ws, [*read, "mine.local.yaml"]) == GitState(commit=head, dirty=True)
    (ws / "governance.yaml").unlink()  # gone since it was read
    assert git_state(ws, read) == GitState(commit=head, dirty=True)


def test_a_symbolic_link_is_compared_as_git_records_it(tmp_path):
    top = tmp_path / "repo"
    top.mkdir()
    (top / "link.yaml").symlink_to("target.yaml")
    head = _repository(top, {"target.yaml": "x\n"})
    assert git_state(top, ["link.yaml"]) == GitState(commit=head, dirty=False)
    (top / "link.yaml").unlink()
    (top / "link.yaml").write_text("x\n", encoding="utf-8")  # now a file: not what the commit holds
    assert git_state(top, ["link.yaml"]) == GitState(commit=head, dirty=True)


def test_a_linked_worktree_names_its_commit(tmp_path):
    top = tmp_path / "repo"
    head = _repository(top, {"governance.yaml": "name: x\n"})
    _git(top, "worktree", "add", "-q", str(tmp_path / "linked"))
    assert git_state(tmp_path / "linked", ["governance.yaml"]) == GitState(commit=head, dirty=False)


def test_a_sha256_repository_names_its_commit(tmp_path):
    top = tmp_path / "repo"
    head = _repository(top, {"governance.yaml": "name: x\n"}, "--object-format=sha256")
    assert len(head) == 64
    assert git_state(top, ["governance.yaml"]) == GitState(commit=head, dirty=False)
    (top / "governance.yaml").write_text("name: y\n", encoding="utf-8")
    assert git_state(top, ["governance.yaml"]) == GitState(commit=head, dirty=True)


def test_outside_a_repository_there_is_no_commit(tmp_path):
    (tmp_path / "governance.yaml").write_text("name: x\n", encoding="utf-8")
    assert git_state(tmp_path, ["governance.yaml"]) is None


# ---------------------------------------------------------------- a saved result's commit

@pytest.mark.parametrize("commit", ["0" * 40, "a" * 64])
def test_a_commit_is_a_git_object_id(commit):
    assert GitState(commit=commit, dirty=False).commit == commit


@pytest.mark.parametrize("commit", ["", "HEAD", "A" * 40, "a" * 39, "a" * 41, "a" * 40 + "\n", "a" * 63,
                                    "see https://example.com", "a" * 40 + " [x](https://example.com)"])
def test_a_saved_result_cannot_carry_text_as_its_commit(commit):
    with pytest.raises(ValidationError):
        GitState(commit=commit, dirty=False)
