"""A large workspace loaded in a forked child process, so that the memory loading takes dies with it.

Loading 100k systems builds over a gigabyte of parsed trees and models. Freed in this process it
would stay mapped beside OPA for the whole evaluation: pymalloc returns an arena only once every
object in it is gone, and what the run keeps (positions, the few kinds the summaries read) is
spread over all of them. The child loads and validates the workspace, writes OPA's input, and
sends back the input and the workspace without what only the input needed
(`Workspace.after_input`); its memory goes back to the system as it exits.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from governance.engine.errors import EngineError
from governance.engine.server import die_with_parent
from governance.load import WorkspaceErrors
from governance.model import Workspace, inventory_bytes

# Bytes of inventory files from which a workspace loads apart. Below it the fork and the copy back
# cost more than the memory saved is worth (acme has 10 KB; 10k systems, 10 MB).
LARGE = 4 << 20


def worth_it(path: Path | str) -> bool:
    """Load `path` apart? Only large inventories, and only where a process can be forked."""
    return hasattr(os, "fork") and inventory_bytes(path) >= LARGE


class Apart:
    """The workspace at `path` loading in a forked child from construction on; `collect` waits for it.
    Fork it before this process starts threads (OPA's compilation ahead does): the child runs only
    the loader, but a lock another thread held at the fork would stay held in it."""

    def __init__(self, path: Path | str, as_of: str, load: Callable[[Path | str], Workspace]) -> None:
        self._collected: tuple[Workspace, bytes] | None = None
        read, write = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:
            os.close(read)
            _child(path, as_of, load, write)
        os.close(write)
        self._pipe = os.fdopen(read, "rb")

    def collect(self) -> tuple[Workspace, bytes]:
        """The workspace (`after_input`) and OPA's input; `WorkspaceErrors` if it is invalid."""
        if self._collected is None:
            self._collected = self._receive()
        return self._collected

    def _receive(self) -> tuple[Workspace, bytes]:
        try:
            with self._pipe:
                outcome = pickle.load(self._pipe)  # read as the child writes: the pipe never fills
        except (EOFError, pickle.UnpicklingError, ValueError, OSError):
            outcome = None  # it died before or while sending: its exit status says how
        status = self._reap()
        if outcome is None or not isinstance(outcome, tuple):
            raise EngineError(f"the process loading the workspace {_death(status)}; no workspace was loaded")
        if outcome[0] == "invalid":
            raise outcome[1]
        if outcome[0] == "crashed":
            raise RuntimeError(f"while loading the workspace apart: {outcome[1]}")
        _, workspace, input_json = outcome
        return workspace, input_json

    def _reap(self) -> int:
        pid, self._pid = self._pid, 0
        return os.waitpid(pid, 0)[1] if pid else 0

    def close(self) -> None:
        """Stop the child if it still runs (the run failed or was interrupted before collecting)."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()
        self._pipe.close()


def _death(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        why = " (the system may have run out of memory)" if sig == signal.SIGKILL else ""
        return f"was killed by signal {sig} ({signal.Signals(sig).name}){why}"
    return f"exited with status {os.WEXITSTATUS(status)} before sending it"


def _child(path: Path | str, as_of: str, load: Callable[[Path | str], Workspace], out: int) -> NoReturn:
    """The forked child: load, send, and leave without running anything of the parent's (atexit,
    context managers, its copy of the parent's stack), nor freeing a gigabyte object by object."""
    code = 1
    try:
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the parent too, which reports it
        gc.disable()  # it lives for one load, which makes no cycles worth collecting
        try:
            ws = load(path)
            outcome: tuple = ("loaded", ws.after_input(), ws.input_json(as_of))
        except WorkspaceErrors as exc:
            outcome = ("invalid", exc)
        except Exception as exc:  # noqa: BLE001 — a bug: the parent reports it as one
            outcome = ("crashed", f"{type(exc).__name__}: {exc}")
        with open(out, "wb") as pipe:
            pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    finally:
        os._exit(code)
