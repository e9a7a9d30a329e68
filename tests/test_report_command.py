"""`govern report`: any format from a saved JSON result, without OPA; progress only on a terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys

from tests.conftest import AS_OF, REPO, govern
from tests.reports_support import add_valid_waiver, check, run_json

FORMATS = ("sarif", "junit", "csv")


def no_opa_env() -> dict:
    """An environment in which starting OPA would fail: report must not need it."""
    env = dict(os.environ, GOVERN_OPA=os.devnull, PATH="/nonexistent")
    return env


def test_rerendering_equals_the_direct_render(example, opa_binary):
    add_valid_waiver(example)
    out = example.parent / "direct"
    result, saved = run_json(example, *(arg for fmt in FORMATS for arg in ("--format", f"{fmt}={out / fmt}")))
    again = example.parent / "again"
    proc = subprocess.run([sys.executable, "-m", "governance.cli", "report", str(saved),
                           "--format", f"json={again / 'json'}", *(a for fmt in FORMATS for a in ("--format", f"{fmt}={again / fmt}"))],
                          capture_output=True, text=True, cwd=REPO, env=no_opa_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (again / "json").read_bytes() == saved.read_bytes()
    for fmt in FORMATS:
        assert (again / fmt).read_bytes() == (out / fmt).read_bytes(), fmt
    assert result["findings"]


def test_rerender_to_stdout_and_lang(example, opa_binary):
    _, saved = run_json(example)
    proc = govern("report", str(saved), "--format", "json", "--lang", "en")
    assert proc.returncode == 0 and json.loads(proc.stdout) == json.loads(saved.read_text(encoding="utf-8"))
    assert govern("report", str(saved), "--lang", "fr").returncode == 2


def test_rerendering_keeps_baseline_marks(example, opa_binary):
    _, baseline = run_json(example, name="baseline.json")
    compared, saved = run_json(example, "--baseline", str(baseline))
    proc = govern("report", str(saved), "--format", "table", "--lang", "en")
    assert proc.returncode == 0
    assert "resolved since baseline" in proc.stdout and "existing" in proc.stdout
    assert all(f["baseline"] == "existing" for f in compared["findings"])


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
    proc = check(example, "--format", "json")
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
