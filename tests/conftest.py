"""Shared fixtures and helpers. Tests that need OPA use the real pinned binary and fail
loudly when it is missing: they never skip.

Three ways to run the CLI, cheapest first:

- `govern(...)` runs it in this process (click's CliRunner): the same command
  objects, exit codes and separate stdout/stderr, without a Python start-up
  per call. Use it unless the behaviour needs a process of its own.
- `govern_process(...)` runs `python -m governance` as a user or CI would: for
  signals, a terminal, a broken installation, an environment handed to a
  child, and a few end-to-end runs.
- `govern_forked(...)` runs the real entry point in a forked child: a process
  with its own stdout file descriptor (the very pipe or file stdout is, a
  reader that went away) without a Python start-up; `govern_forked_at_once`
  starts several such processes together (concurrent writers of one store).
- `check(...)` is `govern check` in this process on the shared OPA server of
  this process (`shared_opa()`, one per pytest-xdist worker), for tests that
  need a verdict and are not about how OPA is started or trusted.

Shared per pytest process (one per xdist worker), cheapest again:

- `shared_opa()`: the URL of one plain OPA server; `check(...)` runs on it, and so
  does any run given `--opa-url shared_opa()`. A test about how govern starts, stops
  or trusts its own OPA runs without it; one that writes to a server takes `running_opa`.
- `acme_result` (fixture) / `acme_checked()`: the JSON result of `govern check
  --format json` on an unchanged copy of examples/acme at AS_OF, run once; each
  caller gets its own copy. Read it, or compare another run of acme with it,
  instead of checking acme again with the same options.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from governance.cli import main as cli
from governance.engine.binary import find_opa
from governance.engine.errors import EngineError

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "acme"
AS_OF = "2026-11-25"
# The official SARIF and OSCAL schemas, vendored with their provenance
# (tests/schemas/PROVENANCE.md); reports are validated against them.
SCHEMAS = REPO / "tests" / "schemas"


def _require_opa() -> str:
    try:
        return find_opa()
    except EngineError as exc:
        pytest.fail(f"real OPA is required for this test and was not found: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def opa_binary() -> str:
    return _require_opa()


def wait_listening(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        time.sleep(0.02)
    pytest.fail(f"nothing listens on 127.0.0.1:{port}")


@contextlib.contextmanager
def opa_server(binary: str, *flags: str, scheme: str = "http"):
    """A plain `opa run --server` of our own on a free loopback port (no environment), as a
    user's --opa-url would be; yields its URL and stops it afterwards."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([binary, "run", "--server", "--addr", f"127.0.0.1:{port}", "--disable-telemetry",
                               "--log-level", "error", *flags], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={})
    try:
        wait_listening(port)
        yield f"{scheme}://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def running_opa(opa_binary):
    """A private OPA server for a test that writes to the server itself (never the shared one)."""
    with opa_server(opa_binary) as url:
        yield url


# ---------------------------------------------------------------- the shared OPA server of this process

_SHARED: dict[str, str] = {}
_SHARED_STACK = contextlib.ExitStack()


def shared_opa() -> str:
    """The URL of one plain OPA server for the whole of this pytest process (one per xdist worker).

    Two runs on one server at the same time would interfere (exit 3); a worker runs one test at a
    time, and runs on it start from whatever the previous run left there, which govern clears
    (tests/test_trust_opa.py holds it to that). Tests that write to the server use `running_opa`."""
    if "url" not in _SHARED:
        _SHARED["url"] = _SHARED_STACK.enter_context(opa_server(_require_opa()))
    return _SHARED["url"]


_ACME: dict[str, bytes] = {}


def acme_checked() -> dict:
    """The result of `govern check COPY --as-of AS_OF --format json` on the shared OPA, COPY an unchanged
    copy of examples/acme as the `example` fixture makes (outside git, as that one is), so that a run on
    `example` gives the same result but for its `run` times. Checked once per pytest process; every call
    returns a copy of its own, which the caller may change."""
    if "json" not in _ACME:
        copy = Path(_SHARED_STACK.enter_context(tempfile.TemporaryDirectory(prefix="acme-checked-"))) / "acme"
        shutil.copytree(EXAMPLE, copy)
        ran = check(copy, "--format", "json")
        assert ran.returncode == 1, f"examples/acme has findings: exit 1, not {ran.returncode}\n{ran.stderr}"
        _ACME["json"] = ran.stdout.encode("utf-8")
    return json.loads(_ACME["json"])


@pytest.fixture
def acme_result() -> dict:
    """`acme_checked()`: examples/acme's JSON result at AS_OF, checked once per process; this test's own copy."""
    return acme_checked()


def stop_shared_opa() -> None:
    _SHARED_STACK.close()
    _SHARED.clear()
    _ACME.clear()


def pytest_sessionfinish(session, exitstatus):
    stop_shared_opa()


# ---------------------------------------------------------------- one headless Chromium per worker

CHROMIUM, CHROMEDRIVER = "chromium", "chromedriver"  # as `make chromium` installs them, found on PATH
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--window-size=1280,900")


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """A real headless Chromium for the whole pytest process (one per xdist worker): its start costs
    more than most pages take to show, so the HTML tests of every module share it. A test that
    resizes the window puts it back (test_report_html.show). Missing, it is a failure, not a skip."""
    from selenium import webdriver  # only a process that shows a page pays for importing selenium
    from selenium.webdriver.chrome.service import Service

    found = {name: shutil.which(name) for name in (CHROMIUM, CHROMEDRIVER)}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        pytest.fail(f"headless Chromium is required for the HTML report test; missing {', '.join(missing)}. "
                    "`make test` installs it (apt-get install chromium chromium-driver).", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = found[CHROMIUM]
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(found[CHROMEDRIVER]), options=options)
    yield driver
    driver.quit()


# ---------------------------------------------------------------- how deep the property tests go

# CI (CI=true, as CI services set it) runs the property tests (test_fuzz.py, test_strategy_differential.py)
# at full depth; a developer's `make test` runs fewer of the same seeded examples, so that the suite stays
# quick. A GOVERN_*_EXAMPLES variable, when set, says how many either way.
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def depth(variable: str, *, ci: int, local: int) -> int:
    """How many examples a property test runs: `variable` if set, else `ci` in CI, else `local`."""
    return int(os.environ.get(variable) or (ci if IN_CI else local))


def chunk_share(total: int, chunks: int, chunk: int) -> int:
    """Chunk `chunk`'s share of `total` examples split into `chunks` (each its own Hypothesis seed, which
    pytest-xdist spreads over its workers): together the chunks run exactly `total`."""
    return total // chunks + (chunk < total % chunks)


# Every example is a whole govern run, slow by Hypothesis's measure and the same on every run: no
# deadline, no example database (the seeds decide), no health check about speed or data drawn.
settings.register_profile("govern", deadline=None, database=None, suppress_health_check=list(HealthCheck))
settings.load_profile("govern")


# The longest tests first, so that pytest-xdist (`-n auto --dist load --maxschedchunk 1`, as `make test` runs
# it) starts them on every worker at once instead of leaving one of them to finish alone.
# Beside the property tests: the concurrent history recordings (up to 8 processes at once), the two
# `opa test` runs of the library, and the test checking acme with each workspace attack in turn.
LONGEST_FIRST = ("tests/test_fuzz.py", "tests/test_strategy_differential.py", "tests/test_diagnosis_differential.py",
                 "tests/test_history_concurrency.py",
                 "tests/test_rego_units.py::test_every_", "tests/test_trust_rego.py::test_no_workspace_module_changes")


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))  # stable: the rest keep their order


# ---------------------------------------------------------------- running the CLI


@dataclass(frozen=True)
class Ran:
    """What a `govern` run gave: the fields of subprocess.CompletedProcess that tests read."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def _overlay(env: dict[str, str] | None) -> dict[str, str | None] | None:
    """A whole environment (as subprocess takes it) as CliRunner's overrides: unset what it lacks."""
    if env is None:
        return None
    return {**{k: None for k in os.environ if k not in env}, **env}


def govern(*args: str, env: dict[str, str] | None = None, cwd: Path | str = REPO) -> Ran:
    """Run the `govern` CLI in this process, in `cwd` (the repository, as the subprocess runs had).

    `env`, when given, is the whole environment for the call, as with subprocess. An exception that
    escapes the command's own guard is raised here (in a real process it would be exit 3 with
    "internal error"), so a test sees its traceback."""
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(cli, list(args), env=_overlay(env), prog_name="govern", catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"`govern {' '.join(args)}` raised past the CLI's guard") from result.exception
    return Ran(args=args, returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def govern_process(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
                   cwd: Path | str = REPO) -> subprocess.CompletedProcess:
    """Run the real `govern` CLI in a subprocess (`python -m governance`), as a user or CI would."""
    return subprocess.run([sys.executable, "-m", "governance", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=cwd)


@dataclass(frozen=True)
class _Forked:
    """A forked child running the CLI: its pid and the read ends of its stdout (None: given a file) and stderr."""

    args: tuple[str, ...]
    pid: int
    out: int | None
    err: int


def _fork_govern(args: tuple[str, ...], stdout: int | None, env: dict[str, str] | None, cwd: Path | str) -> _Forked:
    """Fork a child that runs governance.entry.main with `args` and never returns into pytest."""
    out_r, out_w = os.pipe() if stdout is None else (None, None)
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            for fd in (out_r, err_r):
                if fd is not None:
                    os.close(fd)
            os.dup2(stdout if stdout is not None else out_w, 1)
            os.dup2(err_w, 2)
            sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", write_through=True)
            sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace",
                                          write_through=True)
            os.chdir(cwd)
            if env is not None:
                os.environ.clear()
                os.environ.update(env)
            sys.argv = ["govern", *args]
            from governance.entry import main as entry

            entry()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(code)
    # closed here before any other child is forked, so that no other child holds this one's pipes open
    os.close(err_w)
    if out_w is not None:
        os.close(out_w)
    return _Forked(args, pid, out_r, err_r)


def _collect(children: list[_Forked], timeout: float) -> list[Ran]:
    """Read every child's output as it comes (none waits on a full pipe while another is read), then reap them."""
    received: dict[int, bytes] = {fd: b"" for c in children for fd in (c.out, c.err) if fd is not None}
    reading, deadline = set(received), time.monotonic() + timeout
    statuses: dict[int, int] = {}
    try:
        while reading and time.monotonic() < deadline:
            for fd in select.select(list(reading), [], [], 1)[0]:
                data = os.read(fd, 65536)
                if data:
                    received[fd] += data
                else:
                    reading.discard(fd)
        while len(statuses) < len(children) and time.monotonic() < deadline:
            for c in children:
                if c.pid not in statuses:
                    done, status = os.waitpid(c.pid, os.WNOHANG)
                    if done:
                        statuses[c.pid] = status
            time.sleep(0.005)
        late = [c for c in children if c.pid not in statuses]
        for c in late:
            os.kill(c.pid, signal.SIGKILL)
            os.waitpid(c.pid, 0)
        if late:
            pytest.fail(f"`govern {' '.join(late[0].args)}` (forked) did not finish in {timeout} s")
    finally:
        for fd in received:
            os.close(fd)
    decoded = {fd: data.decode("utf-8", "replace") for fd, data in received.items()}
    return [Ran(args=c.args, returncode=os.waitstatus_to_exitcode(statuses[c.pid]),
                stdout=decoded[c.out] if c.out is not None else "", stderr=decoded[c.err]) for c in children]


def govern_forked(*args: str, stdout: int | None = None, env: dict[str, str] | None = None, cwd: Path | str = REPO,
                  timeout: float = 120) -> Ran:
    """Run the CLI's real entry point (governance.entry.main) in a child process forked from this one: a
    process of its own, with its own file descriptors 1 and 2, but without a Python start-up.

    For what only a real stdout shows (the very pipe or file it is, a reader that went away). `stdout` is
    a file descriptor to give the child as its stdout (the result's stdout is then empty), else a pipe."""
    return _collect([_fork_govern(args, stdout, env, cwd)], timeout)[0]


def govern_forked_at_once(commands: list[tuple[str, ...]], env: dict[str, str] | None = None, cwd: Path | str = REPO,
                          timeout: float = 300) -> list[Ran]:
    """Run several CLI commands at once, each in a forked child as `govern_forked` runs one: all of them
    are started before any is waited for. For processes that meet in a shared resource (a store)."""
    return _collect([_fork_govern(args, None, env, cwd) for args in commands], timeout)


def check(workspace: Path | str, *args: str, as_of: str = AS_OF, env: dict[str, str] | None = None) -> Ran:
    """`govern check WORKSPACE --as-of AS_OF ARGS` in this process, evaluated on the shared OPA."""
    return govern("check", str(workspace), "--as-of", as_of, "--opa-url", shared_opa(), *args, env=env)


# ---------------------------------------------------------------- workspaces


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of examples/acme that a test may edit."""
    target = tmp_path / "acme"
    shutil.copytree(EXAMPLE, target)
    return target


MINIMAL_POLICIES = {
    # what makes a folder a workspace; no keys, so every default applies
    "governance.yaml": "# test workspace\n",
    "policies/committee.yaml": """\
kind: Committee
id: board
chair: p-ceo
required_roles: [CEO, HEAD_TECHNOLOGY]
members:
  - {person: p-ceo, role: CEO}
  - {person: p-cto, role: HEAD_TECHNOLOGY}
""",
    "inventory/people.yaml": """\
people:
  - {id: p-ceo, name: 王伟, roles: [CEO]}
  - {id: p-cto, name: 李娜, roles: [HEAD_TECHNOLOGY]}
""",
}


def make_workspace(root: Path, files: dict[str, str], base: dict[str, str] | None = MINIMAL_POLICIES) -> Path:
    """Write a small workspace: `base` files, overridden and extended by `files`."""
    for rel, text in {**(base or {}), **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
