"""Where govern writes: never through a symbolic link, never onto what a run reads, and `govern init`
never over anything that exists. Each refused case is exit 2 with nothing written anywhere.

`govern check` runs on the real OPA (the shared server); `govern report` re-renders a saved result.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from governance.cli import _output
from governance.cli import main as cli
from tests.conftest import AS_OF, EXAMPLE, check, govern, govern_forked, shared_opa


def tree(folder: Path) -> dict[str, str]:
    """Every entry below `folder` (links not followed): what it is, and a file's text."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = f"-> {os.readlink(path)}"
        elif path.is_file():
            out[rel] = path.read_text(encoding="utf-8", errors="replace")
        else:
            out[rel] = "/"
    return out


@pytest.fixture(scope="module")
def saved(tmp_path_factory, opa_binary) -> Path:
    """A real result of the example, saved once for `govern report`."""
    folder = tmp_path_factory.mktemp("saved")
    proc = check(EXAMPLE, "--format", f"json={folder / 'result.json'}")
    assert proc.returncode == 1, proc.stderr
    (folder / "evidence.json").unlink()
    return folder / "result.json"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the workspace and the current folder, with a file an attacker would like replaced."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim.txt").write_text("precious\n", encoding="utf-8")
    return folder


# Each level of an output path as a link out of the workspace: (the link to plant, the target to ask for).
LEVELS = {
    "the file": ("reports/govern.sarif", "reports/govern.sarif"),
    "its folder": ("reports", "reports/govern.sarif"),
    "a grandparent": ("out", "out/ci/govern.sarif"),
}


def plant(ws: Path, link: str, outside: Path) -> None:
    path = ws / link
    path.parent.mkdir(parents=True, exist_ok=True)
    if link.endswith(".sarif"):
        path.symlink_to(outside / "victim.txt")
    elif link == "out":
        (outside / "ci").mkdir()
        path.symlink_to(outside)
    else:
        path.symlink_to(outside)


@pytest.mark.parametrize("level", ["the file", "its folder", "a grandparent"])
@pytest.mark.parametrize("how", ["format", "output"])
def test_no_report_is_written_through_a_link_out_of_the_workspace(example, outside, level, how):
    link, wanted = LEVELS[level]
    plant(example, link, outside)
    before, before_ws = tree(outside), tree(example)
    target = str(example / wanted)
    args = ["--format", f"sarif={target}"] if how == "format" else ["--format", "sarif", "--output", target]
    proc = check(example, *args, "--format", f"json={example / 'reports2' / 'r.json'}")
    assert proc.returncode == 2, proc.stderr
    assert "symbolic link" in proc.stderr and "Traceback" not in proc.stderr
    assert tree(outside) == before and tree(example) == before_ws  # nothing anywhere, not even reports2/


def test_a_committed_link_to_a_device_is_refused_but_the_systems_own_streams_are_not(example, saved):
    (example / "reports").mkdir()
    (example / "reports" / "govern.sarif").symlink_to(os.devnull)  # a disk device would be written all the same
    proc = check(example, "--format", f"sarif={example / 'reports' / 'govern.sarif'}")
    assert proc.returncode == 2 and "is a symbolic link" in proc.stderr
    proc = govern("report", str(saved), "--format", f"json={os.devnull}")
    assert proc.returncode == 0, proc.stderr
    proc = govern_forked("report", str(saved), "--format", "json=/dev/stderr")  # a link to /proc/self/fd/2, a pipe
    assert proc.returncode == 0 and json.loads(proc.stderr)["as_of"] == AS_OF


def test_an_evidence_manifest_beside_is_never_written_through_a_link(example, outside):
    """The report's own name is free, but evidence.json beside it is a link: refused before anything runs,
    nothing written, the link's target untouched."""
    (example / "reports").mkdir()
    (example / "reports" / "evidence.json").symlink_to(outside / "victim.txt")
    proc = check(example, "--format", f"json={example / 'reports' / 'r.json'}")
    assert proc.returncode == 2, proc.stderr
    assert "evidence.json beside it is a symbolic link" in proc.stderr
    assert (outside / "victim.txt").read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in (example / "reports").iterdir()) == ["evidence.json"]
    assert (example / "reports" / "evidence.json").is_symlink()


def test_a_folder_link_inside_the_workspace_is_followed_to_its_real_folder(example):
    (example / "generated").mkdir()
    (example / "reports").symlink_to("generated")
    proc = check(example, "--format", f"json={example / 'reports' / 'r.json'}")
    assert proc.returncode == 1, proc.stderr
    assert sorted(p.name for p in (example / "generated").iterdir()) == ["evidence.json", "r.json"]
    assert (example / "reports").is_symlink()


def test_a_file_link_pointing_inside_the_workspace_is_refused_too(example):
    """The rule is simple: the last component of a target is never a link, wherever it points."""
    (example / "reports").mkdir()
    (example / "reports" / "real.json").write_text("{}", encoding="utf-8")
    (example / "reports" / "r.json").symlink_to("real.json")
    proc = check(example, "--format", f"json={example / 'reports' / 'r.json'}")
    assert proc.returncode == 2 and "is a symbolic link" in proc.stderr
    assert (example / "reports" / "real.json").read_text(encoding="utf-8") == "{}"


def test_a_plain_path_outside_the_workspace_is_the_users_to_choose(example, outside):
    proc = check(example, "--format", f"json={outside / 'new' / 'r.json'}")
    assert proc.returncode == 1, proc.stderr
    assert sorted(p.name for p in (outside / "new").iterdir()) == ["evidence.json", "r.json"]


def test_report_and_aggregate_refuse_links_too(saved, outside, tmp_path):
    (tmp_path / "ln.json").symlink_to(outside / "victim.txt")
    (tmp_path / "dir").symlink_to(outside)
    for args in (["report", str(saved), "--format", f"json={tmp_path / 'ln.json'}"],
                 ["report", str(saved), "--format", f"html={tmp_path / 'dir' / 'r.html'}"],
                 ["aggregate", str(saved), "--output", str(tmp_path / "ln.json")],
                 ["aggregate", str(saved), "--output", str(tmp_path / "dir" / "g.json")]):
        proc = govern(*args, cwd=saved.parent)  # neither the current folder nor a workspace holds `outside`
        assert proc.returncode == 2, (args, proc.stderr)
        assert "symbolic link" in proc.stderr
    assert tree(outside) == {"victim.txt": "precious\n"}
    proc = govern("report", str(saved), "--format", f"html={tmp_path / 'dir' / 'r.html'}", cwd=outside)
    assert proc.returncode == 0, proc.stderr  # from inside it, the link leads into the current folder: followed
    assert sorted(tree(outside)) == ["evidence.json", "r.html", "victim.txt"]


def test_bundle_and_schema_refuse_links_too(example, outside, tmp_path):
    (example / "dist").symlink_to(outside)
    proc = govern("bundle", str(example), "--output", str(example / "dist" / "b.tar.gz"))
    assert proc.returncode == 2 and "symbolic link" in proc.stderr
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "policy.json").symlink_to(outside / "victim.txt")
    proc = govern("schema", "--output", str(tmp_path / "schemas"), cwd=tmp_path)
    assert proc.returncode == 2 and "symbolic link" in proc.stderr
    assert tree(outside) == {"victim.txt": "precious\n"}


# ---------------------------------------------------------------- what the run reads


@pytest.mark.parametrize("target", ["inventory/report.json", "inventory/systems.yaml", "checks/r.json",
                                    "policies/new/r.sarif", "governance.yaml", "waivers/w.json", "controls/c.md"])
def test_a_report_where_the_workspace_reads_is_refused(example, target):
    before = tree(example)
    proc = check(example, "--format", f"json={example / target}")
    assert proc.returncode == 2, proc.stderr
    assert "which the workspace reads" in proc.stderr and "Traceback" not in proc.stderr
    assert tree(example) == before


def test_the_folders_the_workspace_reads_come_from_its_manifest(example):
    manifest = example / "governance.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "inventory: [inventory]" in text
    manifest.write_text(text.replace("inventory: [inventory]", "inventory: [data]"), encoding="utf-8")
    (example / "inventory").rename(example / "data")
    proc = check(example, "--format", f"json={example / 'data' / 'r.json'}")
    assert proc.returncode == 2 and "which the workspace reads" in proc.stderr
    proc = check(example, "--format", f"json={example / 'inventory' / 'r.json'}")  # no longer read: fine
    assert proc.returncode == 1, proc.stderr


def test_evidence_in_an_input_folder_can_no_longer_break_the_next_run(example):
    proc = check(example, "--format", f"sarif={example / 'waivers' / 'govern.sarif'}")
    assert proc.returncode == 2
    assert not (example / "waivers" / "evidence.json").exists()
    assert check(example, "--format", "json").returncode == 1  # the next run reads what it read before


def test_a_report_onto_an_input_file_of_report_or_aggregate_is_refused(saved):
    original = saved.read_bytes()
    for args in (["report", str(saved), "--format", f"json={saved}"],
                 ["report", str(saved), "--format", "csv", "--output", str(saved)],
                 ["aggregate", str(saved), "--output", str(saved)]):
        proc = govern(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "one of this run's inputs" in proc.stderr
    assert saved.read_bytes() == original


def test_report_and_aggregate_run_in_a_workspace_never_write_where_it_reads(example, saved):
    before = tree(example)
    for args in (["report", str(saved), "--format", "json=inventory/systems.yaml"],
                 ["aggregate", str(saved), "--output", "waivers/group.json"]):
        proc = govern(*args, cwd=example)
        assert proc.returncode == 2 and "which the workspace reads" in proc.stderr, (args, proc.stderr)
    assert tree(example) == before


def test_schema_run_in_a_workspace_never_writes_into_a_folder_it_reads(example):
    before = tree(example)
    proc = govern("schema", "--output", "policies", cwd=example)
    assert proc.returncode == 2 and "which the workspace reads" in proc.stderr, proc.stderr
    assert tree(example) == before
    assert govern("schema", cwd=example).returncode == 0  # schemas/ is not read: the editors' folder


def test_a_report_onto_the_baseline_is_refused(example, saved):
    original = saved.read_bytes()
    proc = check(example, "--baseline", str(saved), "--format", f"json={saved}")
    assert proc.returncode == 2 and "one of this run's inputs" in proc.stderr
    assert saved.read_bytes() == original


# ---------------------------------------------------------------- govern init


def test_init_over_existing_files_lists_them_and_writes_nothing(tmp_path):
    root = tmp_path / "ws"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "budget.yaml").write_text("mine\n", encoding="utf-8")
    (root / "schemas").mkdir()
    (root / "schemas" / "policy.json").write_text("{}", encoding="utf-8")
    before = tree(root)
    proc = govern("init", str(root))
    assert proc.returncode == 2
    assert "not overwriting" in proc.stderr and "nothing was written" in proc.stderr
    assert "policies/budget.yaml" in proc.stderr and "schemas/policy.json" in proc.stderr
    assert tree(root) == before


def test_init_never_follows_a_link(tmp_path, outside):
    root = tmp_path / "ws"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "committee.yaml").symlink_to(outside / "victim.txt")
    (root / "inventory").symlink_to(outside)
    before = tree(root)
    proc = govern("init", str(root))
    assert proc.returncode == 2
    assert "policies/committee.yaml (a symbolic link)" in proc.stderr and "inventory (a symbolic link)" in proc.stderr
    assert tree(root) == before and tree(outside) == {"victim.txt": "precious\n"}


def test_init_into_empty_existing_folders_is_fine(tmp_path):
    root = tmp_path / "ws"
    for folder in ("policies", "inventory", "controls", "checks", "waivers", "schemas"):
        (root / folder).mkdir(parents=True)
    assert govern("init", str(root)).returncode == 0
    assert (root / "governance.yaml").is_file() and (root / "policies" / "budget.yaml").is_file()


def test_the_run_still_works_from_the_workspace_as_current_folder(example):
    """Relative targets, as CI writes them: reports/ inside the workspace, the current folder."""
    proc = govern("check", ".", "--as-of", AS_OF, "--opa-url", shared_opa(),
                  "--format", "sarif=reports/govern.sarif", "--format", "json=result.json", cwd=example)
    assert proc.returncode == 1, proc.stderr
    assert json.loads((example / "evidence.json").read_text(encoding="utf-8"))["reports"][0]["path"] == "result.json"
    assert (example / "reports" / "govern.sarif").is_file()


@pytest.mark.parametrize("level", ["the file", "its folder", "a grandparent"])
def test_a_link_that_appears_after_the_check_fails_the_write_and_is_not_followed(example, outside, level, capsys,
                                                                                  monkeypatch):
    """Between the targets' check and the write a link can be swapped in; the writer opens every folder
    with O_NOFOLLOW, so the run fails (exit 3) and nothing lands at the link's target or beside."""
    link, wanted = LEVELS[level]
    plant(example, link, outside)
    before = tree(outside)
    monkeypatch.setattr(_output, "real_folder", lambda path, trusted: Path(path).parent)  # resolved before the swap
    with pytest.raises(SystemExit) as stopped:
        _output.write_all([(str(example / "reports2" / "r.json"), "{}"), (str(example / wanted), "report")])
    assert stopped.value.code == 3
    assert "could not write" in capsys.readouterr().err
    assert tree(outside) == before and not (example / "reports2").exists()


def test_a_vanished_working_folder_is_a_usage_error_for_a_relative_target(saved, tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    previous = os.getcwd()
    os.chdir(gone)
    try:
        gone.rmdir()
        result = CliRunner().invoke(cli, ["report", str(saved), "--format", "json=r.json"])
        absolute = CliRunner().invoke(cli, ["report", str(saved), "--format", f"json={tmp_path / 'r.json'}"])
    finally:
        os.chdir(previous)
    assert result.exit_code == 2 and "is not a usable path" in result.output, result.output
    assert absolute.exit_code == 0, absolute.output
    assert (tmp_path / "r.json").is_file()
