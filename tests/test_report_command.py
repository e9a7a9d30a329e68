"""`govern report`: any format from a saved JSON result, without OPA; progress only on a terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys

from governance.vocabulary import messages
from tests import golden
from tests.conftest import AS_OF, REPO, check, govern, govern_process
from tests.reports_support import saved

FORMATS = ("sarif", "junit", "csv", "markdown", "html", "oscal", "table")


def no_opa_env() -> dict:
    """An environment in which starting OPA would fail: report must not need it."""
    return dict(os.environ, GOVERN_OPA=os.devnull, PATH="/nonexistent")


def test_rerendering_equals_the_direct_render(tmp_path, opa_binary):
    ws, extra = golden.workspace("acme-waivers", tmp_path / "ws")  # a waived finding and an invalid waiver too
    out = tmp_path / "direct"
    proc = check(ws, *extra, "--format", f"json={out / 'json'}",
                 *(a for fmt in FORMATS for a in ("--format", f"{fmt}={out / fmt}")))
    assert proc.returncode in (0, 1), proc.stderr
    again = tmp_path / "again"
    proc = govern("report", str(out / "json"), "--format", f"json={again / 'json'}",
                  *(a for fmt in FORMATS for a in ("--format", f"{fmt}={again / fmt}")), env=no_opa_env())
    assert proc.returncode == 0, proc.stderr
    assert (again / "json").read_bytes() == (out / "json").read_bytes()
    for fmt in FORMATS:
        assert (again / fmt).read_bytes() == (out / fmt).read_bytes(), fmt
    assert json.loads((out / "json").read_text(encoding="utf-8"))["findings"]


def test_rerender_to_stdout_and_lang(tmp_path):
    path = saved("acme", tmp_path)
    proc = govern("report", str(path), "--format", "json", "--lang", "en", env=no_opa_env())
    assert proc.returncode == 0 and json.loads(proc.stdout) == golden.data("acme")
    assert govern("report", str(path), "--lang", "fr").returncode == 2


def test_rerendering_keeps_baseline_marks(tmp_path):
    result = golden.data("acme-changes")  # compared with a baseline: new, existing and resolved findings
    proc = govern("report", str(saved("acme-changes", tmp_path)), "--format", "table", "--lang", "en", env=no_opa_env())
    assert proc.returncode == 0, proc.stderr
    counts = result["summary"]["baseline"]
    assert counts["new"] and counts["existing"] and counts["resolved"]
    assert f"{counts['resolved']} resolved since baseline" in proc.stdout
    rows = {line for line in proc.stdout.splitlines() if "│" in line}
    for finding in result["findings"]:
        resource = f"{messages('en').name(finding['resource']['kind'])} {finding['resource']['id']}"
        [row] = [r for r in rows if resource in r
                 and f"│ {finding['check']} " in r]
        assert row.rstrip().rstrip("│").strip().endswith(finding["baseline"]), row


def test_a_file_that_is_not_a_result_exits_2_naming_it(tmp_path):
    cases = {"garbage.json": "not json at all", "list.json": "[]",
             "evidence.json": json.dumps({"kind": "govern-evidence", "schema_version": 1}),
             "future.json": json.dumps({"schema_version": 99, "findings": []}),
             "partial.json": json.dumps({"schema_version": 1, "findings": [], "as_of": AS_OF})}
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        proc = govern("report", str(path), "--format", "sarif")
        assert proc.returncode == 2, (name, proc.stderr)
        assert proc.stderr.startswith(f"{path}:"), proc.stderr
        assert "Traceback" not in proc.stderr and proc.stdout == ""
    missing = govern("report", str(tmp_path / "missing.json"))
    assert missing.returncode == 2 and "missing.json" in missing.stderr


def test_no_progress_output_when_stderr_is_not_a_terminal(example, opa_binary):
    # end to end: a real process, its own managed OPA, stderr a pipe as in CI
    proc = govern_process("check", str(example), "--as-of", AS_OF, "--format", "json")
    assert proc.returncode in (0, 1)
    assert proc.stderr == ""
    json.loads(proc.stdout)  # stdout holds the report and nothing else


def test_progress_shows_on_a_terminal(example, opa_binary):
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "governance.cli", "check", str(example), "--as-of", AS_OF, "--format", "json"],
                            stdout=subprocess.PIPE, stderr=terminal, cwd=REPO, env=dict(os.environ, TERM="xterm"))
    os.close(terminal)
    stdout = proc.stdout.read()
    proc.wait(timeout=120)
    seen = b""
    while select.select([controller], [], [], 1)[0]:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    assert proc.returncode in (0, 1)
    assert b"evaluating on OPA" in seen and b"rendering json" in seen
    json.loads(stdout)  # progress never leaks into the report
