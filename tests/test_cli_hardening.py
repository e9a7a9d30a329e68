"""The CLI fails closed: a failed run leaves no report, bad arguments are usage
errors before anything runs, no input ends in a traceback, and workspace text
cannot inject HTML, Markdown or terminal markup into a report.

Most cases re-render a saved result with `govern report` (no OPA); the ones
that need an evaluation run `govern check` on the real OPA. The CLI runs in
process unless the case is about the process itself: its stdout file
descriptor, a reader that went away, a broken installation.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from ruamel.yaml import YAML

import governance.cli.check
import governance.report
from governance.cli import _output
from governance.cli import main as cli
from governance.cli._common import AsOf, Timeout
from governance.evaluate.findings import fingerprint
from governance.result import (
    CheckSummary,
    ControlRecord,
    Engine,
    Finding,
    FindingLocation,
    InputFile,
    Resource,
    RunResult,
    Summary,
    Tool,
    WaiverRecord,
)
from tests import golden
from tests.conftest import AS_OF, EXAMPLE, Ran, check, govern, govern_forked
from tests.reports_support import add_valid_waiver

NO_OPA = dict(os.environ, GOVERN_OPA="/nonexistent/opa", PATH="/usr/bin:/bin")  # anything that runs OPA exits 3
EVIL = ("<img src=x onerror=alert(1)> | pipe\nnext line *em* _em_ `code` ~~gone~~ [bold red]red[/] "
        "[link](javascript:alert(1)) &amp; <script>alert(2)</script> \x1b[31mansi\x1b[0m trailing \\")
EVIL_NAME = "<script>alert(1)</script> [bold red]Evil[/] | co"


def hostile_result() -> RunResult:
    """A result whose every free-text field is hostile, as a saved file handed to `govern report` could be."""
    where = FindingLocation(file="inventory/<b>systems</b>.yaml", line=3, column=1)
    finding = dict(check="ACME-001", severity="high", resource=Resource(kind="system", id="s-1|x"),
                   message=EVIL, location=where, controls=["CTL-X"])
    return RunResult(
        workspace=EVIL_NAME, as_of=AS_OF, tool=Tool(version="0.0.0"),
        engine=Engine(opa_version="1.20.2", policy_revision="sha256:`<i>x</i>`"), inputs=[],
        findings=[Finding(**{**finding, "resource": Resource(kind="system", id="s-0|x")}, status="fail",
                          fingerprint=fingerprint("ACME-001", "system", "s-0|x")),
                  Finding(**finding, status="waived", waiver="wv-1 <b>", fingerprint=fingerprint("ACME-001", "system", "s-1|x"))],
        checks=[CheckSummary(id="ACME-001", title=EVIL, severity="high", waivable=True, domain="committee",
                             evaluated=2, failed=1, waived=1, status="fail", controls=["CTL-X"]),
                CheckSummary(id="WAV-001", title="Waiver", severity="high", waivable=False, domain="waivers",
                             evaluated=2, failed=0, waived=0, status="pass")],  # saved results agree with themselves
        controls=[ControlRecord(id="CTL-X", title={"zh": EVIL, "en": EVIL}, checks=["ACME-001"], status="fail")],
        waivers=[WaiverRecord(id="wv-1 <b>", check="ACME-001", resource=Resource(kind="system", id="s-1|x"),
                              justification=EVIL, requested_by="p-a", approved_by="<u>p-b</u>",
                              approved_at="2026-11-01", expires="2026-12-31", valid=True, applied=1),
                 WaiverRecord(id="wv-2", check="ACME-001", resource=Resource(kind="system", id="s-2"),
                              justification=EVIL, requested_by="p-a", approved_by="p-a",
                              approved_at="2026-11-01", expires="2026-12-31", valid=False, problems=["WAV-001"])],
        summary=Summary(fail=1, waived=1, by_severity={"high": 1}, checks={"fail": 1, "pass": 1}),
    )


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "saved.json"
    path.write_text(hostile_result().to_json(), encoding="utf-8")
    return path


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# ---------------------------------------------------------------- 1. exit 3 leaves nothing behind

def test_one_unwritable_report_writes_none_and_keeps_existing_files(saved, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    before = out / "r.json"
    before.write_text("the previous run's report\n", encoding="utf-8")
    os.utime(before, (1_000_000_000, 1_000_000_000))
    old = before.stat()
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    proc = govern("report", str(saved), "--format", "table", "--format", f"json={before}",
                  "--format", f"csv={out / 'new' / 'deeper' / 'r.csv'}", "--format", f"sarif={blocker}/r.sarif")
    assert proc.returncode == 3
    assert proc.stdout == ""  # the table on stdout would have come only after every file was in place
    assert proc.stderr.count("\n") == 1 and f"could not write {blocker}/r.sarif" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert listing(out) == ["r.json"]  # no temporary, no evidence.json, no folder created for r.csv
    now = before.stat()
    assert before.read_text(encoding="utf-8") == "the previous run's report\n"
    assert (now.st_ino, now.st_mtime) == (old.st_ino, old.st_mtime)  # the very same file, untouched


def test_a_report_folder_that_is_a_file_is_exit_3_and_leaves_nothing(saved, tmp_path):
    (tmp_path / "taken").mkdir()
    proc = govern("report", str(saved), "--format", f"json={tmp_path / 'good.json'}",
                  "--format", f"csv={tmp_path / 'saved.json' / 'r.json'}")
    assert proc.returncode == 3, proc.stderr
    assert not (tmp_path / "good.json").exists() and not (tmp_path / "evidence.json").exists()
    assert listing(tmp_path) == ["saved.json", "taken"]


def test_a_successful_run_replaces_files_and_leaves_no_temporary(saved, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.json").write_text("old", encoding="utf-8")
    proc = govern("report", str(saved), "--format", f"json={out / 'r.json'}", "--format", f"markdown={out / 'r.md'}")
    assert proc.returncode == 0, proc.stderr
    assert listing(out) == ["evidence.json", "r.json", "r.md"]
    assert json.loads((out / "r.json").read_text(encoding="utf-8"))["workspace"] == EVIL_NAME
    evidence = json.loads((out / "evidence.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in evidence["reports"]] == ["r.json", "r.md"]


def test_a_rename_that_fails_puts_back_every_file_already_renamed(saved, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    first = out / "a.json"
    first.write_text("previous a\n", encoding="utf-8")
    inode = first.stat().st_ino
    real_replace, renames = os.replace, []

    def flaky_replace(src, dst, **folders):
        if str(src).endswith(".tmp"):
            renames.append(dst)
            if len(renames) == 2:  # the first report is already in place; the second fails
                raise PermissionError(13, "Permission denied")
        return real_replace(src, dst, **folders)

    monkeypatch.setattr(_output.os, "replace", flaky_replace)
    result = CliRunner().invoke(cli, ["report", str(saved), "--format", f"json={first}",
                                      "--format", f"csv={out / 'b.csv'}"])
    assert result.exit_code == 3, result.output
    assert "could not write" in result.output and "Traceback" not in result.output
    assert len(renames) == 2
    assert listing(out) == ["a.json"]
    assert first.read_text(encoding="utf-8") == "previous a\n" and first.stat().st_ino == inode


def test_a_stream_target_is_written_to_never_replaced(saved, tmp_path):
    """A FIFO (like /dev/null) is written to in place: renaming onto it would replace the device itself."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    proc = govern("report", str(saved), "--format", f"json={fifo}")
    reader.join(timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0])["workspace"] == EVIL_NAME
    assert listing(tmp_path) == ["pipe", "saved.json"]  # no evidence.json beside a stream


def test_check_with_one_bad_path_leaves_nothing(example, tmp_path, opa_binary):
    out = tmp_path / "reports"
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    proc = check(example, "--format", f"json={out / 'r.json'}", "--format", f"sarif={out / 'g.sarif'}",
                 "--format", f"junit={blocker}/j.xml")
    assert proc.returncode == 3
    assert "could not write" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


# ---------------------------------------------------------------- 2. colliding targets are usage errors

def collisions(tmp: Path) -> list[list[str]]:
    (tmp / "a.json").write_text("{}", encoding="utf-8")
    (tmp / "link.json").symlink_to(tmp / "a.json")
    return [
        ["--format", "json", "--format", "csv"],
        ["--format", "json=-", "--format", "table"],
        ["--format", f"json={tmp}/a.json", "--format", f"sarif={tmp}/./a.json"],
        ["--format", f"json={tmp}/a.json", "--format", f"sarif={tmp}/sub/../a.json"],
        ["--format", f"json={tmp}/a.json", "--format", f"sarif={tmp}/link.json"],
        ["--format", "json", "--output", f"{tmp}/o.json", "--format", f"csv={tmp}/o.json"],
        ["--format", f"json={tmp}/out/evidence.json"],
        ["--format", f"sarif={tmp}/out/s.sarif", "--format", "markdown", "--output", f"{tmp}/out/evidence.json"],
    ]


@pytest.mark.parametrize("case", range(8))
def test_two_reports_in_one_place_are_a_usage_error(saved, tmp_path, case):
    args = collisions(tmp_path)[case]
    for command in (["report", str(saved)], ["check", str(tmp_path), "--as-of", AS_OF]):
        proc = govern(*command, *args, env=NO_OPA)
        assert proc.returncode == 2, (command, args, proc.stderr)
        assert "Error: Invalid value for --format" in proc.stderr and "Traceback" not in proc.stderr
        assert proc.stdout == ""
        assert listing(tmp_path) == ["a.json", "link.json", "saved.json"]


def bad_targets(tmp: Path) -> list[list[str]]:
    """Targets that can never hold a report: each is a usage error, found before anything runs."""
    (tmp / "taken").mkdir()
    return [
        ["-o", ""],
        ["--output", ""],
        ["--format", "json", "-o", ""],
        ["--format", "json="],
        ["--format", "json=", "--format", f"csv={tmp}/r.csv"],
        ["--format", f"json={tmp}/taken"],
        ["--format", f"json={tmp}/taken/", "--format", "table"],
        ["--format", f"json={tmp}/new-folder/"],
        ["--format", "json=."],
        ["--format", "json", "-o", f"{tmp}/taken"],
        ["-o", f"{tmp}"],
    ]


@pytest.mark.parametrize("case", range(11))
def test_an_empty_or_folder_target_is_a_usage_error_before_anything_runs(saved, tmp_path, case):
    args = bad_targets(tmp_path)[case]
    for command in (["report", str(saved)], ["check", str(tmp_path), "--as-of", AS_OF]):
        proc = govern(*command, *args, env=NO_OPA)  # had OPA been tried: exit 3
        assert proc.returncode == 2, (command, args, proc.stderr)
        assert re.search(r"Error: Invalid value for (--format|--output)", proc.stderr), proc.stderr
        assert "Traceback" not in proc.stderr and "could not write" not in proc.stderr
        assert proc.stdout == ""
        assert listing(tmp_path) == ["saved.json", "taken"]


# Names of stdout itself, whatever it is connected to: the CLI can run in process for these.
STDOUT_NAMES = ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "/dev/fd/../stdout"]
# … and a path that is stdout by being the very pipe stdout is, not by name: only a process of its own has that pipe.
STDOUT_FILES = ["/proc/thread-self/fd/1"]


@pytest.mark.parametrize("name", STDOUT_NAMES + STDOUT_FILES)
def test_a_path_that_is_stdout_counts_as_stdout(saved, tmp_path, name):
    run = govern_forked if name in STDOUT_FILES else govern
    for args in (["--format", f"json={name}", "--format", "table"],
                 ["--format", "json", "--format", f"csv={name}"],
                 ["--format", f"json={name}", "--format", "sarif=-"]):
        for command in (["report", str(saved)], ["check", str(tmp_path), "--as-of", AS_OF]):
            proc = run(*command, *args, env=NO_OPA)
            assert proc.returncode == 2, (command, args, proc.stderr)
            assert "Error: Invalid value for --format" in proc.stderr and "would both go to stdout" in proc.stderr
            assert proc.stdout == "" and "Traceback" not in proc.stderr
    alone = run("report", str(saved), "--format", f"json={name}")  # one report there is fine: it is stdout
    assert alone.returncode == 0, alone.stderr
    assert json.loads(alone.stdout)["workspace"] == EVIL_NAME
    assert listing(tmp_path) == ["saved.json"]


def test_the_file_stdout_is_redirected_to_counts_as_stdout(saved, tmp_path):
    out = tmp_path / "out.txt"
    for other in ("table", f"csv={tmp_path / 'r.csv'}"):
        with out.open("wb") as stdout:  # govern check … --format json=out.txt --format table > out.txt
            proc = govern_forked("report", str(saved), "--format", f"json={tmp_path / 'sub' / '..' / 'out.txt'}",
                                 "--format", other, stdout=stdout.fileno())
        if other == "table":
            assert proc.returncode == 2, proc.stderr
            assert "would both go to stdout" in proc.stderr and out.read_bytes() == b""
        else:  # the JSON goes to stdout, which is that file: written once, never renamed over
            assert proc.returncode == 0, proc.stderr
            assert json.loads(out.read_text(encoding="utf-8"))["workspace"] == EVIL_NAME
            assert listing(tmp_path) == ["evidence.json", "out.txt", "r.csv", "saved.json"]
    with open(os.devnull, "wb") as devnull:  # two reports thrown away is not two on stdout
        proc = govern_forked("report", str(saved), "--format", f"json={os.devnull}", "--format", "table",
                             stdout=devnull.fileno())
    assert proc.returncode == 0, proc.stderr


def test_an_evidence_manifest_may_be_asked_for_by_name(saved, tmp_path):
    proc = govern("report", str(saved), "--format", f"evidence={tmp_path / 'evidence.json'}",
                  "--format", f"json={tmp_path / 'r.json'}")
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "evidence.json").read_text(encoding="utf-8"))["kind"] == "govern-evidence"


# ---------------------------------------------------------------- 3. bad option values

BAD_OPTIONS = [
    *(("--timeout", v) for v in ("inf", "-inf", "0", "-1", "nan", "abc", "1e400", "3601", "")),
    *(("--as-of", v) for v in ("2026-02-30", "1899-12-31", "2200-01-01", "0001-01-01", "9999-12-31",
                               "20261125", "2026-W48-3", "25/11/2026", "")),
    *(("--opa-url", v) for v in ("ftp://x", "localhost:8181", "http://", "http://[::1", "http://x:99999",
                                 "http://x:abc", "http://x:0", "http://x/v1/data", "http://a b", "file:///etc/passwd", "")),
]


@pytest.mark.parametrize("option, value", BAD_OPTIONS)
def test_a_bad_option_value_is_a_usage_error_before_anything_runs(tmp_path, option, value):
    proc = govern("check", str(tmp_path), option, value, env=NO_OPA)  # had OPA been tried: exit 3
    assert proc.returncode == 2, proc.stderr
    assert f"Error: Invalid value for '{option}'" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_a_url_with_credentials_is_not_echoed_back(tmp_path):
    proc = govern("check", str(tmp_path), "--opa-url", "ftp://user:s3cret@opa.internal", env=NO_OPA)
    assert proc.returncode == 2 and "s3cret" not in proc.stderr


def test_the_option_types_accept_their_bounds():
    assert Timeout().convert("3600", None, None) == 3600.0 and Timeout().convert("0.5", None, None) == 0.5
    assert str(AsOf().convert("1900-01-01", None, None)) == "1900-01-01"
    assert str(AsOf().convert("2199-12-31", None, None)) == "2199-12-31"


def hostile_invocations(tmp: Path, saved: Path) -> list[list[str]]:
    (tmp / "plain").write_text("x", encoding="utf-8")
    (tmp / "ws").mkdir()
    (tmp / "ws" / "governance.yaml").write_text("name: x\n", encoding="utf-8")
    return [
        ["check", str(tmp / "plain")], ["check", str(tmp), "--fail-on", "bogus"], ["check", str(tmp), "--lang", "fr"],
        ["check", str(tmp), "--format", "pdf"], ["check", str(tmp), "--format", "=x"], ["check", str(tmp), "--nope"],
        ["check", str(tmp), "--baseline", "/dev/zero"], ["check", str(tmp), "--baseline", str(tmp)],
        ["check", str(tmp), "--fail-on-new-only"], ["check", str(tmp), "-o", str(tmp / "a"), "--format", "json=b"],
        ["report", "/dev/zero"], ["report", str(tmp)], ["report", str(tmp / "missing.json")],
        ["report", str(saved), "--lang", ""], ["report", str(saved), "--format", "json", "--format", "csv"],
        ["verify", "/dev/zero", str(tmp)], ["verify", str(saved), str(tmp / "plain")],
        ["verify", str(saved), str(tmp / "missing")], ["verify", str(tmp / "missing.json"), str(tmp)],
        ["controls", str(tmp / "plain")], ["controls", str(tmp / "ws"), "--result", "/dev/zero"],
        ["controls", str(tmp / "ws"), "--result", str(tmp / "plain")],
        ["validate", str(tmp / "plain")], ["validate", str(tmp / "missing")],
        ["init", str(tmp / "plain" / "ws")], ["init", str(tmp / "new"), "--name", "two\nlines"],
        ["init", str(tmp / "ws")], ["nope"], ["check", "--as-of"],
    ]


def test_no_command_ends_in_a_traceback_for_hostile_arguments(tmp_path, saved):
    for args in hostile_invocations(tmp_path, saved):
        proc = govern(*args, env=NO_OPA)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "Traceback" not in proc.stderr, args


def test_init_keeps_a_hostile_name_one_value(tmp_path):
    name = 'a: b\nchecks: [evil]'.replace("\n", " # ") + ' "quoted" \\'
    proc = govern("init", str(tmp_path / "ws"), "--name", name)
    assert proc.returncode == 0, proc.stderr
    manifest = YAML(typ="safe").load((tmp_path / "ws" / "governance.yaml").read_text(encoding="utf-8"))
    assert manifest["name"] == name and manifest["checks"] == ["checks"]


# ---------------------------------------------------------------- 4. no traceback, ever

def boom(*_args, **_kwargs):
    raise KeyError("x")


def test_an_unexpected_failure_is_one_line_and_exit_3(tmp_path, monkeypatch):
    monkeypatch.delenv("GOVERN_DEBUG", raising=False)
    monkeypatch.setattr(governance.cli.check, "run_check", boom)
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--format", f"json={tmp_path / 'r.json'}"])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert result.stderr == ("error: internal error (KeyError: 'x'); no result was produced. This is a bug in govern: "
                             "please report it with the command you ran (set GOVERN_DEBUG=1 to see the traceback).\n")
    assert not (tmp_path / "r.json").exists()


def test_govern_debug_shows_the_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVERN_DEBUG", "1")
    monkeypatch.setattr(governance.cli.check, "run_check", boom)
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 3
    assert "Traceback" in result.stderr and "KeyError: 'x'" in result.stderr and "internal error" in result.stderr


def test_a_renderer_that_crashes_is_exit_3_without_traceback(saved, tmp_path, monkeypatch):
    monkeypatch.delenv("GOVERN_DEBUG", raising=False)
    monkeypatch.setitem(governance.report.FORMATS, "sarif", boom)
    result = CliRunner().invoke(cli, ["report", str(saved), "--format", f"json={tmp_path / 'r.json'}",
                                      "--format", f"sarif={tmp_path / 'r.sarif'}"])
    assert result.exit_code == 3 and "Traceback" not in result.output and "internal error" in result.stderr
    assert listing(tmp_path) == ["saved.json"]


def test_ctrl_c_is_exit_3_not_clicks_exit_1(tmp_path, monkeypatch):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(governance.cli.check, "run_check", interrupted)
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 3 and "interrupted" in result.stderr


@pytest.mark.parametrize("debug", ["", "1"])
def test_a_broken_installation_is_exit_3(debug):
    code = "import sys; sys.modules['governance.cli'] = None; from governance.entry import main; main()"
    env = dict(os.environ, GOVERN_DEBUG=debug)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 3
    assert "internal error (ModuleNotFoundError: import of governance.cli halted" in proc.stderr
    assert "govern could not start" in proc.stderr
    assert ("Traceback" in proc.stderr) == bool(debug)
    assert debug or proc.stderr.count("\n") == 1


def test_a_failure_while_parsing_is_exit_3_without_traceback(monkeypatch, capsys):
    import governance.entry

    monkeypatch.delenv("GOVERN_DEBUG", raising=False)
    monkeypatch.setattr(governance.cli, "main", boom)
    with pytest.raises(SystemExit) as exit_:
        governance.entry.main()
    assert exit_.value.code == 3
    err = capsys.readouterr().err
    assert "internal error (KeyError: 'x')" in err and "Traceback" not in err


# ---------------------------------------------------------------- 5. workspace text cannot inject markup

def split_row(line: str) -> list[str]:
    """Cells of a Markdown table row, splitting only on pipes no backslash escapes."""
    cells, current = [], ""
    for token in re.findall(r"\\.|[^\\|]+|\|", line.strip()[1:-1]):
        if token == "|":
            cells.append(current)
            current = ""
        else:
            current += token
    return cells + [current]


def assert_markdown_is_inert(markdown: str) -> None:
    assert "<script" not in markdown and "<img" not in markdown and "<b>" not in markdown and "\x1b" not in markdown
    # rendered as GitHub would, with raw HTML allowed: nothing of the workspace's may become markup
    html = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)
    for tag in ("<script", "<img", "<em>", "<a ", "<s>", "<del>", "<b>", "<i>", "<u>"):
        assert tag not in html, tag
    assert html.count("<code>") == 1  # the policy revision's own span, whose backticks did not close it early
    table, width = [], 0
    for line in markdown.splitlines() + [""]:
        if line.startswith("| "):
            table.append(split_row(line))
            continue
        if table:
            width = len(table[0])
            assert all(len(row) == width for row in table), table
            table = []


def test_markdown_escapes_every_cell_and_heading(saved, tmp_path):
    for lang in ("zh", "en"):
        proc = govern("report", str(saved), "--format", "markdown", "--lang", lang)
        assert proc.returncode == 0, proc.stderr
        md = proc.stdout
        assert_markdown_is_inert(md)
        assert md.splitlines()[0].endswith("&lt;script&gt;alert(1)&lt;/script&gt; \\[bold red\\]Evil\\[/\\] \\| co")
        assert "&lt;img src=x onerror=alert(1)&gt; \\| pipe next line \\*em\\* \\_em\\_ \\`code\\`" in md


def test_html_escapes_every_value(saved):
    proc = govern("report", str(saved), "--format", "html")
    assert proc.returncode == 0, proc.stderr
    page = proc.stdout
    for raw in ("<script", "<img", "<b>systems", "wv-1 <b>", "<i>x", "<u>p-b"):
        assert raw not in page, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_table_shows_rich_markup_as_text(saved):
    proc = govern("report", str(saved), "--format", "table")
    assert proc.returncode == 0, proc.stderr
    assert "[bold red]Evil[/]" in proc.stdout  # the title, literally
    assert "\x1b" not in proc.stdout and "\\x1b" in proc.stdout  # a terminal escape is shown, not obeyed
    assert "sha256:`<i>x</i>`"[:19] in proc.stdout


def test_controls_shows_a_results_status_as_text(tmp_path):
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "governance.yaml").write_text("name: '[bold]x[/]'\n", encoding="utf-8")
    result = tmp_path / "r.json"
    result.write_text(json.dumps(golden.data("acme")), encoding="utf-8")  # a real run: statuses come from the vocabulary
    proc = govern("controls", str(tmp_path / "ws"), "--result", str(result), "--lang", "en")  # en names pass and fail so
    assert proc.returncode == 0, proc.stderr
    status = next(c["status"] for c in golden.data("acme")["controls"] if c["id"] == "CTL-GOV-01")
    assert "[bold]x[/]" in proc.stdout and status in proc.stdout.split("CTL-GOV-01", 1)[1].splitlines()[0]

    result.write_text(json.dumps({"controls": [{"id": "CTL-GOV-01", "status": "[/]"}]}), encoding="utf-8")
    proc = govern("controls", str(tmp_path / "ws"), "--result", str(result))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr  # a fragment is not a saved result


def test_a_hostile_workspace_through_check(example, tmp_path, opa_binary):
    manifest = example / "governance.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "name: Acme Retail Group", f"name: {json.dumps(EVIL_NAME)}"), encoding="utf-8")
    add_valid_waiver(example, justification=EVIL.replace("\x1b", ""))
    out = tmp_path / "out"
    proc = check(example, "--format", f"markdown={out / 'r.md'}", "--format", f"html={out / 'r.html'}",
                 "--format", f"json={out / 'r.json'}", "--format", "table")
    assert proc.returncode == 1, proc.stderr
    result = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert result["workspace"] == EVIL_NAME and any(w["justification"].startswith("<img") for w in result["waivers"])
    md = (out / "r.md").read_text(encoding="utf-8")
    assert "<script" not in md and "<img" not in md
    html = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(md)
    assert "<script" not in html and "<img" not in html and "<em>" not in html
    page = (out / "r.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page
    assert "[bold red]Evil[/]" in proc.stdout


def test_junit_stays_well_formed_xml_with_control_characters(saved):
    proc = govern("report", str(saved), "--format", "junit")
    assert proc.returncode == 0, proc.stderr
    root = ElementTree.fromstring(proc.stdout.encode("utf-8"))  # raw ESC would be "not well-formed"
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and "\\x1b[31mansi" in failure.text and "<img src=x" in failure.text


def closed_stdout(*args: str) -> Ran:
    """Run govern with a stdout whose reader is already gone, like `govern … | true`."""
    read, write = os.pipe()
    os.close(read)
    try:
        return govern_forked(*args, stdout=write)
    finally:
        os.close(write)


def test_a_reader_that_goes_away_is_exit_3_not_1(saved, tmp_path):
    proc = closed_stdout("report", str(saved), "--format", "json", "--format", f"html={tmp_path / 'out' / 'r.html'}")
    assert proc.returncode == 3 and "stopped early" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()  # exit 3 leaves no report, even when only stdout failed
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "governance.yaml").write_text("name: empty\n", encoding="utf-8")
    proc = closed_stdout("controls", str(tmp_path / "ws"))  # rich alone would exit 1 here
    assert proc.returncode == 3 and "stopped early" in proc.stderr and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- 6. record text cannot add a line of its own

FORGED = "signature: OK, evidence.json is signed ES256 by the key of --verification-key prod.pub.pem"


def test_text_of_a_saved_result_cannot_add_a_line_to_verify(tmp_path):
    """What verify quotes from a result (the govern that made it, an input's path) stays on its own line:
    a newline or tab in it is written out, so no forged `signature: OK` line appears."""
    result = hostile_result().model_copy(update={
        "tool": Tool(version=f"0.0.0\n{FORGED}"),
        "inputs": [InputFile(path=f"inventory/x.yaml\n{FORGED}\tend", sha256="0" * 64)]})
    path = tmp_path / "saved.json"
    path.write_text(result.to_json(), encoding="utf-8")
    proc = govern("verify", str(path), str(EXAMPLE), "--inputs-only")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "made by govern 0.0.0\\x0asignature: OK" in proc.stdout, proc.stdout
    assert f"inventory/x.yaml\\x0a{FORGED}\\x09end" in proc.stdout, proc.stdout
    assert not any(line.startswith("signature:") for line in (proc.stdout + proc.stderr).splitlines())


def test_each_problem_of_a_refused_result_is_its_own_line(tmp_path):
    """A refused file's message holds one problem a line: each printed as a line (not one line of `\\x0a`)."""
    doc = json.loads(hostile_result().to_json())
    doc["as_of"], doc["summary"]["fail"] = "2026-02-30", -1
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    for args in (["report", str(path)], ["verify", str(path), str(EXAMPLE), "--inputs-only"],
                 ["aggregate", str(path)]):
        proc = govern(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        lines = [line for line in proc.stderr.splitlines() if str(path) in line]
        assert len(lines) >= 3 and "\\x0a" not in proc.stderr, (args, proc.stderr)
