"""A report set is whole, or visibly not: every report names its run, evidence.json is renamed into place
after every report and lists each with its sha256, `govern verify` of any file of a folder fails on a mix
naming which file is whose, and what a killed run left behind is removed by the next run into the folder.

Sets come from a real `govern check` (the shared OPA); an older run's set is made by re-rendering its
result with other run times (`govern report`), as a run of another moment would have written it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from governance.cli import _output
from governance.evaluate.report_set import run_named
from tests.conftest import EXAMPLE, check, govern

FORMATS = {"json": "result.json", "sarif": "govern.sarif", "html": "report.html", "markdown": "report.md",
           "junit": "junit.xml", "oscal": "oscal.json", "csv": "findings.csv"}
OLD_RUN = "2026-01-01T00:00:00Z"


def args(folder: Path, formats=FORMATS) -> list[str]:
    return [a for fmt in formats for a in ("--format", f"{fmt}={folder / FORMATS[fmt]}")]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, opa_binary) -> Path:
    ws = tmp_path_factory.mktemp("set") / "acme"
    shutil.copytree(EXAMPLE, ws)
    return ws


@pytest.fixture(scope="module")
def new_set(workspace, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("new") / "reports"
    proc = check(workspace, *args(folder))
    assert proc.returncode == 1, proc.stderr
    return folder


def old_set(new_set: Path, folder: Path, formats=FORMATS) -> Path:
    """The same run's reports as another run (another start) would have written them into `folder`."""
    result = json.loads((new_set / "result.json").read_text(encoding="utf-8"))
    result["run"]["started_at"] = OLD_RUN
    saved = folder.parent / "old-result.json"
    saved.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    proc = govern("report", str(saved), *args(folder, formats))
    assert proc.returncode == 0, proc.stderr
    return folder


def verify(path: Path, workspace: Path):
    return govern("verify", str(path), str(workspace))


def test_every_report_but_csv_names_its_run_and_the_evidence_lists_them_all(new_set):
    evidence = json.loads((new_set / "evidence.json").read_text(encoding="utf-8"))
    run = evidence["run"]["started_at"]
    assert sorted(r["path"] for r in evidence["reports"]) == sorted(FORMATS.values())
    named = {name: run_named(new_set / name) for name in FORMATS.values()}
    assert named == {**{name: run for name in FORMATS.values()}, "findings.csv": None}


@pytest.mark.parametrize("name", [*FORMATS.values(), "evidence.json"])
def test_a_whole_set_verifies_from_any_of_its_files(new_set, workspace, name):
    (new_set / "package.json").write_text('{"name": "governance-site", "scripts": {"start": "node ."}}\n',
                                          encoding="utf-8")  # a file of the folder's own, not a report
    (new_set / "README.md").write_text("Reports of govern.\n", encoding="utf-8")
    proc = verify(new_set / name, workspace)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "report set" not in proc.stdout


@pytest.mark.parametrize("name", ["result.json", "govern.sarif", "report.html", "evidence.json"])
def test_a_new_report_beside_an_old_evidence_fails_naming_both_runs(new_set, workspace, tmp_path, name):
    folder = old_set(new_set, tmp_path / "reports")
    shutil.copy(new_set / "result.json", folder / "result.json")  # a run killed after its first rename
    proc = verify(folder / name, workspace)
    assert proc.returncode == 1, proc.stdout
    new_run = json.loads((new_set / "evidence.json").read_text(encoding="utf-8"))["run"]["started_at"]
    assert f"report set: result.json is of run {new_run}, not of the run {OLD_RUN} that evidence.json lists" \
        in proc.stdout


def test_a_csv_of_another_run_is_caught_by_its_sha256(new_set, workspace, tmp_path):
    folder = old_set(new_set, tmp_path / "reports")
    (folder / "findings.csv").write_text("check,resource\n", encoding="utf-8")
    proc = verify(folder / "result.json", workspace)
    assert proc.returncode == 1
    assert f"findings.csv is not the file evidence.json (run {OLD_RUN}) lists: another run wrote it" in proc.stdout


def test_an_old_report_a_later_run_did_not_write_is_flagged(new_set, workspace, tmp_path):
    folder = old_set(new_set, tmp_path / "reports")
    proc = check(workspace, *args(folder, ["json", "sarif"]))
    assert proc.returncode == 1, proc.stderr
    proc = verify(folder / "govern.sarif", workspace)
    assert proc.returncode == 1
    for name in ("report.html", "report.md", "junit.xml", "oscal.json"):
        assert f"report set: {name} (of run {OLD_RUN}) is beside evidence.json of run" in proc.stdout, name
    assert "findings.csv" not in proc.stdout  # names no run: not recognisable as a report, so not flagged


def test_a_requested_evidence_manifest_among_reports_lists_them(new_set, workspace, tmp_path):
    proc = check(workspace, "--format", f"evidence={tmp_path / 'evidence.json'}",
                 "--format", f"json={tmp_path / 'result.json'}")
    assert proc.returncode == 1, proc.stderr
    evidence = json.loads((tmp_path / "evidence.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in evidence["reports"]] == ["result.json"]
    assert verify(tmp_path / "result.json", workspace).returncode == 0


# ---------------------------------------------------------------- a run killed while it renames


def killed_after_first_rename(command: list[str], cwd: Path) -> int:
    """Run the CLI in a forked child that SIGKILLs itself right after its first rename into place."""
    pid = os.fork()
    if pid == 0:
        try:
            real = os.replace

            def replace_then_die(src, dst, **folders):
                real(src, dst, **folders)
                if str(src).endswith(".tmp"):
                    os.kill(os.getpid(), signal.SIGKILL)

            _output.os.replace = replace_then_die  # type: ignore[assignment]
            os.chdir(cwd)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            from governance.cli import main
            main(command, standalone_mode=True)
        finally:
            os._exit(70)
    _, status = os.waitpid(pid, 0)
    return status


def test_a_run_killed_mid_set_is_visible_and_the_next_run_cleans_up(new_set, workspace, tmp_path):
    folder = old_set(new_set, tmp_path / "reports", ["json", "sarif", "html"])
    (folder / ".keep.tmp").write_text("a user's own hidden file\n", encoding="utf-8")
    (folder / ".result.json.govern-1-0123456789ab.tmp").write_text("a live process's (pid 1)\n", encoding="utf-8")
    saved = tmp_path / "new-result.json"
    shutil.copy(new_set / "result.json", saved)
    status = killed_after_first_rename(["report", str(saved), *args(folder, ["json", "sarif", "html"])], tmp_path)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    left = sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and ".govern-" in p.name)
    assert any(n.endswith(".tmp") for n in left) and any(n.endswith(".old") for n in left), left

    proc = verify(folder / "govern.sarif", workspace)  # the old evidence, one report of the new run
    assert proc.returncode == 1
    assert "report set: result.json is of run" in proc.stdout and f"not of the run {OLD_RUN}" in proc.stdout
    assert "was left by an interrupted write" in proc.stdout

    proc = govern("report", str(saved), *args(folder, ["json", "sarif", "html"]))
    assert proc.returncode == 0, proc.stderr
    hidden = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
    assert hidden == [".keep.tmp", ".result.json.govern-1-0123456789ab.tmp"]  # the dead run's only
    proc = verify(folder / "govern.sarif", workspace)
    assert "report set: result.json" not in proc.stdout and "interrupted write of" in proc.stdout  # pid 1's stays


def test_the_evidence_is_renamed_after_every_report(new_set, tmp_path, monkeypatch):
    renamed: list[str] = []
    real = os.replace

    def record(src, dst, **folders):
        renamed.append(str(dst))
        return real(src, dst, **folders)

    monkeypatch.setattr(_output.os, "replace", record)
    proc = govern("report", str(new_set / "result.json"), "--format", f"json={tmp_path / 'a' / 'r.json'}",
                  "--format", f"sarif={tmp_path / 'b' / 'g.sarif'}", "--format", f"csv={tmp_path / 'a' / 'f.csv'}")
    assert proc.returncode == 0, proc.stderr
    assert renamed == ["r.json", "g.sarif", "f.csv", "evidence.json", "evidence.json"]


def test_a_dead_process_leftover_is_removed_only_with_its_file_in_place(new_set, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "r.json").write_text("{}", encoding="utf-8")
    stale = [f".r.json.govern-{pid}-00000000000a.tmp", f".r.json.govern-{pid}-00000000000b.old",
             f".gone.csv.govern-{pid}-00000000000c.old"]  # the only copy left of gone.csv: kept
    for name in stale:
        (folder / name).write_text("x", encoding="utf-8")
    proc = govern("report", str(new_set / "result.json"), "--format", f"json={folder / 'r.json'}")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in folder.iterdir()) == [f".gone.csv.govern-{pid}-00000000000c.old", "evidence.json",
                                                         "r.json"]


def test_a_report_listed_outside_the_folder_is_never_opened(new_set, workspace, tmp_path):
    """A listed path leading out of the folder is named and not read: not even to find the run it names."""
    folder = Path(shutil.copytree(new_set, tmp_path / "p1" / "reports"))
    (tmp_path / "p2").mkdir()
    old_set(new_set, tmp_path / "p2" / "reports", {"markdown": FORMATS["markdown"]})
    doc = json.loads((folder / "evidence.json").read_text(encoding="utf-8"))
    doc["reports"].append({"path": "../../p2/reports/report.md", "sha256": "0" * 64})
    (folder / "evidence.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    proc = verify(folder / "evidence.json", workspace)
    assert proc.returncode == 1, proc.stdout
    assert "outside the evidence's folder: report ../../p2/reports/report.md (not read)" in proc.stdout
    assert OLD_RUN not in proc.stdout  # reading it is the only way to learn its run


@pytest.mark.parametrize("name", ["report.md", "report.html", "oscal.json"])
def test_a_report_edited_with_its_sha256_rewritten_is_named_by_rendering_it_again(new_set, workspace, tmp_path, name):
    folder = Path(shutil.copytree(new_set, tmp_path / "reports"))
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8").replace("PLC-001", "PLC-00I", 1), encoding="utf-8")
    doc = json.loads((folder / "evidence.json").read_text(encoding="utf-8"))
    for entry in doc["reports"]:
        entry["sha256"] = hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest()
    (folder / "evidence.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    proc = verify(folder / "evidence.json", workspace)
    assert proc.returncode == 1, proc.stdout
    assert f"report {name} was not rendered from the result result.json" in proc.stdout


def test_reports_no_result_alone_renders_are_said_to_be_bound_by_their_sha256_only(new_set, workspace):
    proc = verify(new_set / "evidence.json", workspace)
    assert proc.returncode == 0, proc.stdout
    assert "(findings.csv, govern.sarif, junit.xml by their sha256 only" in proc.stdout


def test_a_json_report_of_another_format_and_a_second_manifest_are_held_to_their_sha256(workspace, tmp_path):
    """SARIF and an evidence manifest written to `.json` files are no format a result alone renders: they verify,
    bound by their sha256, and are said to be."""
    folder = tmp_path / "reports"
    proc = check(workspace, "--format", f"json={folder / 'result.json'}", "--format", f"sarif={folder / 'g.json'}",
                 "--format", f"markdown={folder / 'report.md'}", "--lang", "en")
    assert proc.returncode == 1, proc.stderr
    proc = verify(folder / "evidence.json", workspace)
    assert proc.returncode == 0, proc.stdout
    assert "(g.json by their sha256 only" in proc.stdout


def test_a_link_out_of_the_folder_is_named_and_never_opened(new_set, workspace, tmp_path):
    folder = Path(shutil.copytree(new_set, tmp_path / "p1" / "reports"))
    (tmp_path / "p2").mkdir()
    old_set(new_set, tmp_path / "p2" / "reports", {"markdown": FORMATS["markdown"]})
    (folder / "notes.md").symlink_to(tmp_path / "p2" / "reports" / "report.md")
    proc = verify(folder / "evidence.json", workspace)
    assert proc.returncode == 1, proc.stdout
    assert f"report set: notes.md is a link out of {folder} (not read)" in proc.stdout
    assert OLD_RUN not in proc.stdout


def test_a_markdown_report_with_a_trend_is_rendered_again_apart_from_its_trend(workspace, tmp_path):
    """A history store's trend is in no result: the report verifies with it, and an edit elsewhere is named."""
    folder, db = tmp_path / "reports", f"sqlite:///{tmp_path}/history.db"
    proc = check(workspace, "--record", "--db", db, "--format", f"json={folder / 'result.json'}",
                 "--format", f"markdown={folder / 'report.md'}", "--lang", "en")
    assert proc.returncode == 1, proc.stderr
    assert "## Trend (history store)" in (folder / "report.md").read_text(encoding="utf-8")
    proc = verify(folder / "evidence.json", workspace)
    assert proc.returncode == 0, proc.stdout
    assert "sha256 only" not in proc.stdout
    path = folder / "report.md"
    path.write_text(path.read_text(encoding="utf-8").replace("PLC-001", "PLC-00I", 1), encoding="utf-8")
    doc = json.loads((folder / "evidence.json").read_text(encoding="utf-8"))
    for entry in doc["reports"]:
        entry["sha256"] = hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest()
    (folder / "evidence.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    proc = verify(folder / "evidence.json", workspace)
    assert proc.returncode == 1 and "report report.md was not rendered from the result result.json" in proc.stdout
