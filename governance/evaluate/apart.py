"""A large workspace loaded in a forked child process, so that the memory loading takes dies with it.

Loading 100k systems builds over a gigabyte of parsed trees and models. Freed in this process it
would stay mapped beside OPA for the whole evaluation: pymalloc returns an arena only once every
object in it is gone, and what the run keeps (positions, the few kinds the summaries read) is
spread over all of them. The child loads and validates the workspace and sends back OPA's input,
each inventory kind as soon as it is validated (`forward` passes them on to OPA while the rest
loads), then the workspace without what only the input needed (`Workspace.after_input`); its
memory goes back to the system as it exits.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from governance.engine import StoredInput
from governance.engine.errors import EngineError
from governance.engine.server import die_with_parent
from governance.load import WorkspaceErrors
from governance.model import Workspace, inventory_bytes
from governance.model.build import OnKind
from governance.model.workspace import assemble_input

Load = Callable[[Path | str, OnKind | None], Workspace]

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

    def __init__(self, path: Path | str, as_of: str, load: Load) -> None:
        self._collected: tuple[Workspace, bytes] | None = None
        self._to: StoredInput | None = None
        self._as_of = as_of
        read, write = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:
            os.close(read)
            _child(path, as_of, load, write)
        os.close(write)
        self._pipe = os.fdopen(read, "rb")

    def forward(self, to: StoredInput | None) -> None:
        """Pass each part of the input on to `to` as it arrives, and finish it once all have."""
        self._to = to

    def collect(self) -> tuple[Workspace, bytes]:
        """The workspace (`after_input`) and OPA's input; `WorkspaceErrors` if it is invalid."""
        if self._collected is None:
            self._collected = self._receive()
        return self._collected

    def _receive(self) -> tuple[Workspace, bytes]:
        parts: dict[str, bytes] = {}
        try:
            with self._pipe:
                # read as the child writes: the pipe never fills
                while isinstance(outcome := pickle.load(self._pipe), tuple) and outcome[0] == "part":
                    parts[outcome[1]] = outcome[2]
                    if self._to is not None:
                        self._to.put(outcome[1], outcome[2])
        except (EOFError, pickle.UnpicklingError, ValueError, OSError, IndexError):
            outcome = None  # it died before or while sending: its exit status says how
        status = self._reap()
        if outcome is None or not isinstance(outcome, tuple):
            raise EngineError(f"the process loading the workspace {_death(status)}; no workspace was loaded")
        if outcome[0] == "invalid":
            raise outcome[1]
        if outcome[0] == "crashed":
            raise RuntimeError(f"while loading the workspace apart: {outcome[1]}")
        _, workspace, waivers = outcome
        if self._to is not None:
            self._to.put("waivers", waivers)
            self._to.finish()
        return workspace, assemble_input(self._as_of, parts, waivers)

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


def _child(path: Path | str, as_of: str, load: Load, out: int) -> NoReturn:
    """The forked child: load, send, and leave without running anything of the parent's (atexit,
    context managers, its copy of the parent's stack), nor freeing a gigabyte object by object.
    It sends ("part", kind, JSON) for each inventory kind with entities and for "budget_lines",
    then one outcome: ("loaded", workspace, waivers' JSON), ("invalid", errors) or ("crashed", why)."""
    code = 1
    try:
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the parent too, which reports it
        gc.disable()  # it lives for one load, which makes no cycles worth collecting
        with open(out, "wb") as pipe:
            sent: set[str] = set()

            def send(kind: str, value_json: bytes) -> None:
                sent.add(kind)
                pickle.dump(("part", kind, value_json), pipe, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.flush()  # now, so that OPA takes it while the rest loads

            def on_kind(plural: str, ws: Workspace) -> None:
                send(plural, ws.kind_json(plural))
                if plural == "projects":  # their budget lines are complete with them
                    send("budget_lines", ws.budget_lines_json())

            try:
                ws = load(path, on_kind)
                for plural, _ in ws.inventory.kinds():  # none is left unsent, whatever `load` told
                    if plural not in sent:
                        on_kind(plural, ws)
                if "budget_lines" not in sent:
                    send("budget_lines", ws.budget_lines_json())
                outcome: tuple = ("loaded", ws.after_input(), ws.waivers_json())
            except WorkspaceErrors as exc:
                outcome = ("invalid", exc)
            except Exception as exc:  # noqa: BLE001 — a bug: the parent reports it as one
                outcome = ("crashed", f"{type(exc).__name__}: {exc}")
            pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    finally:
        os._exit(code)
