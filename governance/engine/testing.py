"""Rego unit tests on the pinned OPA (`opa test`), under the same restrictions as an evaluation.

The modules are staged in a private folder (as `compile.py` stages them) with
the capabilities file that allows only the pure, deterministic builtins, no
environment, and the managed server's memory limit: a workspace's tests are
as untrusted as its checks. `data` holds what the caller gives (the
workspace's definitions, as an evaluation has them).

With coverage, a second `opa test --coverage` runs beside the first: OPA
reports either the tests or the coverage in one run, never both. The two share
the memory limit, half each, so together they hold no more than one server may.
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from governance.engine.capabilities import restricted
from governance.engine.compile import TIMEOUT, _stage
from governance.engine.errors import EngineError
from governance.engine.module import Module
from governance.engine.server import _in_child, crash_reason, memory_in_force, memory_limit

# OPA's own default gives each test 5 s, which a test reading the whole library can need on a
# busy CI runner; a test that runs longer than this is an error, not a pass.
TEST_TIMEOUT = "60s"


PASSED, FAILED, ERROR = "PASS", "FAIL", "ERROR"
DATA_FILE = "data.json"


@dataclass(frozen=True)
class UnitTest:
    """One test rule's result: its module (as staged), row, package and name."""

    module: str
    row: int
    package: str  # data.govern.checks.acme_test
    name: str
    outcome: str  # PASSED, FAILED or ERROR
    duration_ns: int
    error: str = ""  # OPA's message, for ERROR
    output: str = ""  # what the test print()ed


@dataclass(frozen=True)
class FileCoverage:
    covered: int  # lines
    not_covered: int
    missed_rows: tuple[int, ...]  # the rows of the lines not covered


@dataclass(frozen=True)
class UnitTestRun:
    tests: list[UnitTest]
    coverage: dict[str, FileCoverage] | None  # module id -> its coverage; None when not asked, or a test failed


def run_tests(binary: str, modules: list[Module], data: dict, *, coverage: bool) -> UnitTestRun:
    """Every test rule of `modules` on `binary`, and the line coverage of each module if asked."""
    with tempfile.TemporaryDirectory(prefix="govern-test-") as tmp:
        root = Path(tmp) / "modules"
        for module in modules:
            _stage(root, module.id, module.text)
        (root / DATA_FILE).write_text(json.dumps(data), encoding="utf-8")
        caps = Path(tmp) / "capabilities.json"
        caps.write_text(json.dumps(restricted(binary)), encoding="utf-8")
        command = [binary, "test", ".", "--format", "json", "--capabilities", str(caps), "--timeout", TEST_TIMEOUT]
        commands = [command, [*command, "--coverage"]] if coverage else [command]
        limit = memory_limit() // len(commands)
        runs: list[subprocess.Popen] = []
        try:
            runs += [_start(c, root, limit) for c in commands]
            outputs = [_finish(proc) for proc in runs]
        finally:  # a timeout, Ctrl-C or a failed start leaves no OPA behind
            for proc in runs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    tests = _tests(runs[0].returncode, *outputs[0], limit)
    passed = all(t.outcome == PASSED for t in tests)
    covered = _coverage(runs[1].returncode, *outputs[1], limit) if coverage and passed else None
    return UnitTestRun(tests=tests, coverage=covered)


def _start(command: list[str], cwd: Path, limit: int) -> subprocess.Popen:
    try:  # no environment, and (its share of) the memory limit of the managed server
        return subprocess.Popen(command, cwd=cwd, env={}, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, preexec_fn=_in_child(limit))
    except OSError as exc:
        raise EngineError(f"could not run {command[0]}: {exc}") from None


def _finish(proc: subprocess.Popen) -> tuple[bytes, bytes]:
    try:
        return proc.communicate(timeout=TIMEOUT * 5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise EngineError(f"opa test did not finish within {TIMEOUT * 5:.0f}s") from None


def _tests(code: int, out: bytes, err: bytes, limit: int) -> list[UnitTest]:
    """OPA's JSON results: it exits 0 when all pass and 2 when one fails or errs; anything else, or
    no JSON list (a Go runtime that died also exits 2), is a fault."""
    try:
        raw = json.loads(out) if code in (0, 2) else None
    except ValueError:
        raw = None
    if not isinstance(raw, list):
        raise EngineError(_failure("opa test", code, err or out, limit))
    try:
        return sorted((_test(r) for r in raw), key=lambda t: (t.module, t.row, t.name))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EngineError(f"opa test answered an unexpected shape ({type(exc).__name__}): {_text(out)}") from None


def _test(raw: dict) -> UnitTest:
    error = raw.get("error")
    outcome = ERROR if error else FAILED if raw.get("fail") else PASSED
    return UnitTest(module=raw["location"]["file"].removeprefix("./"), row=int(raw["location"]["row"]),
                    package=str(raw["package"]), name=str(raw["name"]), outcome=outcome,
                    duration_ns=int(raw.get("duration", 0)), error=str(error.get("message", error)) if error else "",
                    output=base64.b64decode(raw.get("output") or b"").decode("utf-8", "replace"))


def _coverage(code: int, out: bytes, err: bytes, limit: int) -> dict[str, FileCoverage]:
    if code != 0:
        raise EngineError(_failure("opa test --coverage", code, err or out, limit))
    try:
        files = json.loads(out)["files"]
        return {name.removeprefix("./"): FileCoverage(
            covered=int(f.get("covered_lines", 0)), not_covered=int(f.get("not_covered_lines", 0)),
            missed_rows=tuple(sorted({row for r in f.get("not_covered", [])
                                      for row in range(int(r["start"]["row"]), int(r["end"]["row"]) + 1)})))
            for name, f in files.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EngineError(f"opa test --coverage answered an unexpected shape ({type(exc).__name__})") from None


def _failure(what: str, code: int, output: bytes, limit: int) -> str:
    """Why OPA did not answer, in the words the managed server uses for the same deaths; `limit`,
    the memory this OPA was given (half of GOVERN_OPA_MEMORY's when coverage runs beside the tests)."""
    text = output.decode("utf-8", "replace")
    limit_text = memory_in_force(limit).told(share_of=memory_limit())
    if "out of memory" in text or "cannot allocate memory" in text:
        return f"{what}: OPA ran out of memory ({limit_text})"
    reason = crash_reason(text)
    if reason:
        return f"{what}: OPA crashed ({reason}), as it can when it reaches its memory limit ({limit_text})"
    return f"{what} failed (exit status {code}): {_text(output) or 'no output'}"


def _text(output: bytes) -> str:
    return " ".join(output.decode("utf-8", "replace").split())[:500]
