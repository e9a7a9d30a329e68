"""A managed `opa run --server` on 127.0.0.1 that never outlives the run and
answers govern alone.

Three layers keep it from leaking: the context manager stops it on any exit
(exception, Ctrl-C); SIGTERM is turned into an exception so the same path
runs; and on Linux the child asks the kernel for SIGKILL if our process dies
without a chance to clean up (kill -9, a crash).

Any local process can connect to a port on 127.0.0.1, so the server demands a
per-run bearer token (`--authentication=token`) and an authorization policy
allows only that token; the policy file holds its sha256, never the token, in
a folder only this user can read. OPA starts with an empty environment, so no
variable of the runner (CI secrets) is there to be read.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import NoReturn

from governance.engine.compile import _stage
from governance.engine.errors import EngineError

READY_TIMEOUT = 20.0

AUTHZ = """package system.authz

default allow := false

allow if crypto.sha256(input.identity) == "{digest}"
"""


def listening_port(pid: int) -> int | None:
    """The loopback TCP port process `pid` listens on, as the kernel reports it (Linux /proc):
    its socket inodes, matched against the listening sockets of its network namespace."""
    fd_dir = Path(f"/proc/{pid}/fd")
    inodes = set()
    try:
        for fd in os.listdir(fd_dir):
            with contextlib.suppress(OSError):  # an fd can close while we look (listdir's own does)
                link = os.readlink(fd_dir / fd)
                if link.startswith("socket:["):
                    inodes.add(link[len("socket:["):-1])
        rows = Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return None
    for row in rows:
        fields = row.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "0A" and inode in inodes and local.startswith("0100007F:"):  # LISTEN on 127.0.0.1
            return int(local.split(":")[1], 16)
    return None


MEMORY_FORMAT = "a size such as 8G or 512M (at least 64M)"


def parse_memory(text: str) -> int:
    """Bytes, from a size written as GOVERN_OPA_MEMORY takes it (8G, 512M, or bytes); ValueError if it is not one."""
    text = text.strip().upper()
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    try:
        value = float(text[:-1]) * units[text[-1]] if text[-1:] in units else float(text)
    except ValueError:
        value = 0
    if not 64 << 20 <= value < 1 << 50:  # also refuses nan and inf
        raise ValueError(f"not {MEMORY_FORMAT}")
    return int(value)


def memory_limit() -> int:
    """Bytes of data the managed OPA may hold: GOVERN_OPA_MEMORY (e.g. 8G, 512M), else half of
    this machine's memory. A workspace check can ask OPA for any amount (numbers.range); past
    the limit OPA dies (exit 3) instead of the runner. The command line refuses a bad value
    before anything runs (exit 2, cli/_environment.py); a library caller gets an EngineError."""
    text = os.environ.get("GOVERN_OPA_MEMORY", "").strip()
    if text:
        try:
            return parse_memory(text)
        except ValueError:
            raise EngineError(f"GOVERN_OPA_MEMORY must be {MEMORY_FORMAT}") from None
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2


@dataclass(frozen=True)
class MemoryLimit:
    """The memory limit in force on an OPA govern starts, and what sets it: govern's own (GOVERN_OPA_MEMORY,
    else half of the machine's), or a smaller one govern inherited, which the child keeps (`_in_child`)."""

    size: int  # bytes
    inherited: str | None = None  # what sets it when not govern's own: "the inherited RLIMIT_DATA (ulimit -d)", …
    own: int = 0  # govern's own limit, when an inherited one is smaller

    def told(self, share_of: int | None = None) -> str:
        """For the messages of a death by memory; `share_of`: govern's limit this OPA has a share of."""
        if self.inherited:
            return (f"its limit is {self.size >> 20} MiB, {self.inherited}, below govern's own {self.own >> 20} MiB; "
                    "raise that limit to give it more")
        share = f" (its share of {share_of >> 20} MiB)" if share_of and share_of != self.size else ""
        return f"its limit is {self.size >> 20} MiB{share}; set GOVERN_OPA_MEMORY to raise it"


def inherited_limits() -> list[tuple[int, str]]:
    """The memory limits this process would pass on to a child, each with what sets it: the soft RLIMIT_DATA
    and RLIMIT_AS (a child inherits both; govern lowers RLIMIT_DATA, never raises it) and its cgroup's."""
    found = []
    for which, name in ((resource.RLIMIT_DATA, "the inherited RLIMIT_DATA (ulimit -d)"),
                        (resource.RLIMIT_AS, "the inherited RLIMIT_AS (ulimit -v)")):
        soft, _ = resource.getrlimit(which)
        if soft != resource.RLIM_INFINITY:
            found.append((soft, name))
    cgroup = cgroup_memory_limit()
    if cgroup is not None:
        found.append((cgroup, "the memory limit of govern's cgroup"))
    return found


def cgroup_memory_limit(proc: Path = Path("/proc/self/cgroup"), root: Path = Path("/sys/fs/cgroup")) -> int | None:
    """The memory limit of this process's cgroup (v2 memory.max, v1 memory.limit_in_bytes), or None: none, or
    none readable. Inside a container the cgroup's path may not be mounted: its root then is the container's."""
    try:
        lines = proc.read_text().splitlines()
    except OSError:
        return None
    places = []
    for line in lines:
        _, controllers, path = line.split(":", 2) if line.count(":") >= 2 else ("", "", "")
        if controllers == "":  # v2: one unified hierarchy
            places += [root / path.lstrip("/") / "memory.max", root / "memory.max"]
        elif "memory" in controllers.split(","):
            places += [root / "memory" / path.lstrip("/") / "memory.limit_in_bytes", root / "memory" / "memory.limit_in_bytes"]
    for place in places:
        try:
            text = place.read_text().strip()
        except OSError:
            continue
        return int(text) if text.isdigit() and int(text) < 1 << 60 else None  # "max", or v1's "unlimited" (2^63 rounded)
    return None


def memory_in_force(own: int) -> MemoryLimit:
    """The smaller of govern's own limit `own` and those it inherited: the one OPA meets first."""
    smaller = min(((size, name) for size, name in inherited_limits() if size < own), default=None)
    return MemoryLimit(own) if smaller is None else MemoryLimit(smaller[0], smaller[1], own)


def die_with_parent() -> None:
    """Ask Linux to kill this (child) process when its parent dies, however it dies (kill -9, a crash)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _in_child(limit: int) -> Callable[[], None]:
    soft, _ = resource.getrlimit(resource.RLIMIT_DATA)
    # lowered to govern's limit, never raised above what govern inherited (an operator's ulimit -d stays in force)
    limit = limit if soft == resource.RLIM_INFINITY else min(limit, soft)

    def prepare() -> None:  # runs in the child between fork and exec
        with contextlib.suppress(Exception):
            # RLIMIT_DATA counts what Go's heap maps in; its mere address-space reservations do not
            resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        die_with_parent()
    return prepare


_CRASH = re.compile(r"^(fatal error: .*|panic: .*|SIG[A-Z]+: .*|unexpected signal.*)$", re.M)


def crash_reason(stderr: str) -> str:
    """The line where Go says why it died; OPA's own log lines come before it."""
    found = _CRASH.search(stderr)
    return found.group(1).strip() if found else ""


def _crashed_in_go_runtime(stderr: str) -> bool:
    # the first frame of the first goroutine dumped is the function that faulted
    frame = re.search(r"^goroutine \d+ .*:\n(\S+)", stderr, re.M)
    return frame is not None and frame.group(1).startswith("runtime.")


class ManagedOpa:
    """A running local OPA. `url` is where it listens; `process` is the child."""

    def __init__(self, binary: str, modules: Sequence[tuple[str, str]] = ()) -> None:
        self.binary = binary
        self.modules = modules  # (id, text): compiled once as OPA starts, not once per upload
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.token = secrets.token_urlsafe(32)
        self.memory = memory_limit()
        self._dir: Path | None = None

    def start(self) -> ManagedOpa:
        return self.launch().ready()

    def launch(self) -> ManagedOpa:
        """Start the process and return at once: it compiles its modules while the caller works on."""
        self._dir = Path(tempfile.mkdtemp(prefix="govern-opa-"))  # mode 0700
        authz = self._dir / "authz.rego"
        authz.write_text(AUTHZ.format(digest=hashlib.sha256(self.token.encode()).hexdigest()), encoding="utf-8")
        cmd = [
            self.binary, "run", "--server",
            # port 0: OPA binds a free port itself, so no other process can take it between
            # a probe and the bind and pose as our OPA; the port is read back from the kernel
            "--addr", "127.0.0.1:0",
            "--authentication", "token", "--authorization", "basic",
            "--skip-version-check",  # no version check or reporting: this machine may be offline
            # the store keeps AST values: the input written to it is converted once, not at every read
            "--optimize-store-for-read-speed",
            "--log-level", "error",
            str(authz),
            *self._stage_modules(),
        ]
        try:
            # output to a file: a pipe nobody reads until OPA dies would block a chatty OPA
            with open(self._dir / "stderr.log", "wb") as log:
                self.process = subprocess.Popen(
                    cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,  # OPA prints load errors on stdout
                    env={}, cwd=self._dir, preexec_fn=_in_child(self.memory),
                )
        except OSError as exc:
            raise EngineError(f"could not start OPA ({self.binary}): {exc}") from exc
        return self

    def ready(self) -> ManagedOpa:
        """Wait until the launched server listens; `url` is then where."""
        if not self.url:
            assert self.process is not None, "ready() before launch()"
            self.url = f"http://127.0.0.1:{self._wait_listening(self.process)}"
        return self

    def _stage_modules(self) -> list[str]:
        """The modules as files under the private folder, named by their ids: OPA names a module
        loaded from a folder by its path below it, so the server holds them under those ids.
        OPA is given the top folders, never a file: a path argument with a `:` is read as
        `prefix:path`, and a workspace may name a check file `own:ership.rego`."""
        assert self._dir is not None
        tops = set()
        for module_id, text in self.modules:
            if "/" not in module_id or ":" in module_id.split("/")[0]:
                raise EngineError(f"refusing a module id that is not a .rego path in a folder: {module_id!r}")
            _stage(self._dir, module_id, text)  # staged as for opa check: inside the folder, .rego only
            tops.add(module_id.split("/")[0])
        return sorted(tops)

    def _wait_listening(self, process: subprocess.Popen[bytes]) -> int:
        if not Path("/proc/self/net/tcp").exists():
            raise EngineError("the managed OPA finds its port through Linux's /proc, which this system lacks; "
                              "start `opa run --server` yourself and pass --opa-url (see docs/security.md)")
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise EngineError(f"OPA failed to start: {self.died_message()}")
            port = listening_port(process.pid)
            if port:
                return port
            time.sleep(0.02)
        raise EngineError(f"OPA did not start listening within {READY_TIMEOUT:.0f}s")

    def _stderr(self) -> str:
        if self._dir is None or self.process is None or self.process.poll() is None:
            return ""
        with contextlib.suppress(OSError):
            # the head: Go puts the reason first, then a dump of every goroutine
            return (self._dir / "stderr.log").read_bytes()[:4000].decode(errors="replace").strip()
        return ""

    def alive(self, grace: float = 1.0) -> bool:
        """Still running after `grace` seconds? A dropped connection arrives before the
        kernel reports the death that caused it, so wait a moment before saying yes."""
        if self.process is None:
            return False
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=grace)
        return self.process.poll() is None

    def died_message(self) -> str:
        code = self.process.returncode if self.process else None
        err = self._stderr()
        reason = crash_reason(err)
        limit = memory_in_force(self.memory).told()
        if "out of memory" in err or "cannot allocate memory" in err:
            return f"OPA ran out of memory ({limit}) and exited"
        if reason and _crashed_in_go_runtime(err):
            # Go 1.26's collector can fault on a failed mmap instead of saying "out of memory"
            # (seen in about 1 run in 10 at the limit), so a runtime crash names the limit too
            return f"OPA crashed in Go's runtime ({reason}), as it can when it reaches its memory limit ({limit})"
        return f"OPA exited unexpectedly (exit status {code}){': ' + (reason or err) if err else ''}"

    def stop(self) -> None:
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def close(self) -> None:
        self.stop()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None


@contextlib.contextmanager
def managed_opa(binary: str, modules: Sequence[tuple[str, str]] = (), *, wait: bool = True) -> Iterator[ManagedOpa]:
    """`modules`, (id, text) pairs, are loaded as the server starts. `wait=False`: yielded as soon
    as it is launched (call `ready()` before using it), so it starts while the caller works on."""
    opa = ManagedOpa(binary, modules)
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum: int, frame: FrameType | None) -> NoReturn:
        raise KeyboardInterrupt("terminated")

    in_main = _in_main_thread()
    if in_main:
        signal.signal(signal.SIGTERM, on_term)
    try:
        yield opa.start() if wait else opa.launch()
    finally:
        opa.close()
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()
