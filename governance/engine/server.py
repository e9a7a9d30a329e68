"""A managed `opa run --server` on 127.0.0.1 that never outlives the run.

Three layers keep it from leaking: the context manager stops it on any exit
(exception, Ctrl-C); SIGTERM is turned into an exception so the same path
runs; and on Linux the child asks the kernel for SIGKILL if our process dies
without a chance to clean up (kill -9, a crash).
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import socket
import subprocess
import sys
import time
from typing import Iterator

from governance.engine.errors import EngineError

READY_TIMEOUT = 20.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class ManagedOpa:
    """A running local OPA. `url` is where it listens; `process` is the child."""

    def __init__(self, binary: str):
        self.binary = binary
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> "ManagedOpa":
        for _ in range(3):  # the free port can be taken between probe and bind
            port = _free_port()
            self.url = f"http://127.0.0.1:{port}"
            cmd = [
                self.binary, "run", "--server",
                "--addr", f"127.0.0.1:{port}",
                "--disable-telemetry",  # no version check or reporting: this machine is offline
                "--log-level", "error",
            ]
            try:
                self.process = subprocess.Popen(
                    cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                    preexec_fn=_die_with_parent,
                )
            except OSError as exc:
                raise EngineError(f"could not start OPA ({self.binary}): {exc}") from exc
            if self._wait_ready(port):
                return self
            err = self._stderr()
            self.stop()
            if "address already in use" not in err:
                raise EngineError(f"OPA failed to start: {err or 'no output'}")
        raise EngineError("OPA failed to start: no free port on 127.0.0.1")

    def _wait_ready(self, port: int) -> bool:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
            time.sleep(0.02)
        raise EngineError(f"OPA did not start listening within {READY_TIMEOUT:.0f}s")

    def _stderr(self) -> str:
        if self.process is None or self.process.stderr is None or self.process.poll() is None:
            return ""
        return self.process.stderr.read().decode(errors="replace").strip()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def died_message(self) -> str:
        code = self.process.returncode if self.process else None
        err = self._stderr()
        return f"OPA exited unexpectedly (exit status {code}){': ' + err if err else ''}"

    def stop(self) -> None:
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def managed_opa(binary: str) -> Iterator[ManagedOpa]:
    opa = ManagedOpa(binary)
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        raise KeyboardInterrupt("terminated")

    in_main = _in_main_thread()
    if in_main:
        signal.signal(signal.SIGTERM, on_term)
    try:
        yield opa.start()
    finally:
        opa.stop()
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()
