"""Helpers for tests that watch a run's own processes: a `govern` run started as a process of its own,
its managed OPA found in /proc, and the run held still while a test looks at that OPA."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO


def opa_children(pid: int) -> list[int]:
    """The `opa` processes whose parent is `pid`, read from /proc (no `ps` per poll)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        comm, rest = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()
        if comm == "opa" and int(rest[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purposes
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def start_run(args: list[str], env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "governance", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def is_server(pid: int) -> bool:
    """The managed `opa run --server`, not the short `opa check`/`opa inspect` that compile first."""
    try:
        return b"--server" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False


def wait_for_opa(proc: subprocess.Popen, seconds: float = 30) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kids = [pid for pid in opa_children(proc.pid) if is_server(pid)]
        if kids:
            return kids[0]
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    pytest.fail("govern never started OPA")


@contextlib.contextmanager
def paused_with_its_opa(proc: subprocess.Popen):
    """Wait until the run `proc` has started its OPA server, then hold the run still (SIGSTOP) while the
    test looks at that OPA, which keeps serving; yields OPA's pid. The run resumes afterwards (SIGCONT).

    Holding the run, rather than giving it a check slow enough to outlast the test's probes, keeps OPA
    there for as long as the test needs it, however loaded the machine is."""
    opa = wait_for_opa(proc)
    os.kill(proc.pid, signal.SIGSTOP)
    try:
        yield opa
    finally:
        os.kill(proc.pid, signal.SIGCONT)
