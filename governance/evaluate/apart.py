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
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from governance.engine import EngineError, StoredInput, die_with_parent
from governance.evaluate import actions, budget, diagnosis, findings, strategy
from governance.load import WorkspaceErrors
from governance.model import OnKind, Workspace, assemble_input, inventory_bytes, kinds_taken_by

# What a run keeps of the inventory once OPA's input is built: the kinds the summaries and the waivers' names take (their
# signatures say which; run.assemble calls them), and the actions, whose `addresses` are held to the compiled policy's
# checks (run.validate). The rest reaches a result only through OPA's findings.
KEPT = kinds_taken_by(budget.summarize, strategy.summarize, diagnosis.summarize, findings.named, actions.address_problems,
                      actions.records)

Load = Callable[[Path | str, OnKind | None], Workspace]

# Bytes of inventory files from which a workspace loads apart. Below it the fork and the copy back
# cost more than the memory saved is worth (acme has 10 KB; 10k systems, 10 MB).
LARGE = 4 << 20


def worth_it(path: Path | str) -> bool:
    """Load `path` apart? Only large inventories, and only where a process can be forked."""
    return hasattr(os, "fork") and inventory_bytes(path) >= LARGE


class Apart:
    """The workspace at `path` loading in a forked child from construction on; `collect` waits for it.
    Fork it before this process starts threads of its own: `Overlap` (overlap.py) starts it first, and says why."""

    def __init__(self, path: Path | str, as_of: str, load: Load) -> None:
        self._collected: tuple[Workspace, bytes] | None = None
        self._to: StoredInput | None = None
        self._as_of = as_of
        read, write = os.pipe()
        parent = os.getpid()
        try:
            self._pid = os.fork()
        except OSError as exc:
            os.close(read)
            os.close(write)
            raise EngineError(f"could not start a process to load the workspace: {exc.strerror}") from None
        if self._pid == 0:
            os.close(read)
            _child(path, as_of, load, write, parent)
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
        unreadable = ""
        try:
            with self._pipe:
                # read as the child writes: the pipe never fills
                while (outcome := pickle.load(self._pipe))[0] == "part":
                    parts[outcome[1]] = outcome[2]
                    if self._to is not None:
                        self._to.put(outcome[1], outcome[2])
        except EOFError:
            outcome = None  # it died before or while sending: its exit status says how
        except Exception as exc:  # noqa: BLE001 — what it sent cannot be read: never a workspace
            outcome, unreadable = None, f"{type(exc).__name__}: {exc}"
        status = self._reap()
        if outcome is None:
            if unreadable and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
                raise RuntimeError(f"what the process loading the workspace sent could not be read ({unreadable})")
            raise EngineError(f"the process loading the workspace {_death(status)}; no workspace was loaded")
        if outcome[0] == "invalid":
            raise outcome[1]
        if outcome[0] == "crashed":
            bug = RuntimeError(f"while loading the workspace apart: {outcome[1]}")
            bug.add_note(outcome[2])  # the child's traceback, shown with GOVERN_DEBUG=1
            raise bug
        _, workspace, waivers = outcome
        if self._to is not None:
            self._to.put("waivers", waivers)
            self._to.finish()
        return workspace, assemble_input(self._as_of, parts, waivers)

    def _reap(self) -> int:
        if not self._pid:
            return 0
        status = os.waitpid(self._pid, 0)[1]
        self._pid = 0  # only once reaped: interrupted while waiting, `close` still kills and reaps it
        return status

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
        try:
            name = f" ({signal.Signals(sig).name})"
        except ValueError:  # a real-time signal has no name
            name = ""
        why = " (the system may have run out of memory)" if sig == signal.SIGKILL else ""
        return f"was killed by signal {sig}{name}{why}"
    return f"exited with status {os.WEXITSTATUS(status)} before sending it"


def _child(path: Path | str, as_of: str, load: Load, out: int, parent: int) -> NoReturn:
    """The forked child: load, send, and leave without running anything of the parent's (atexit,
    context managers, its copy of the parent's stack), nor freeing a gigabyte object by object.
    It sends ("part", kind, JSON) for each inventory kind with entities and for "budget_lines",
    then one outcome: ("loaded", workspace, waivers' JSON), ("invalid", errors) or ("crashed", why, traceback)."""
    code = 1
    try:
        die_with_parent()
        if os.getppid() != parent:  # it died before the kernel was asked to end this one with it
            os._exit(1)
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the parent too, which reports it
        # fresh streams: the parent's may have been locked by its spinner's thread at the fork
        sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 — until os._exit
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
                # serialised whole before any of it is sent: a failure is then a crash it can report
                outcome = pickle.dumps(("loaded", ws.after_input(KEPT), ws.waivers_json()), protocol=pickle.HIGHEST_PROTOCOL)
            except WorkspaceErrors as exc:
                outcome = pickle.dumps(("invalid", exc), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # noqa: BLE001 — a bug: the parent reports it as one
                outcome = pickle.dumps(("crashed", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            pipe.write(outcome)
        code = 0
    finally:
        os._exit(code)
