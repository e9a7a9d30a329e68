"""The work a run does while its workspace loads, owned by one object: `Overlap`.

Loading a large workspace takes seconds that OPA would otherwise wait through. Meanwhile, in this order:

1. the loader child (apart.py), for a large workspace only: forked first, while this process has no
   thread of its own. A lock a thread held at the fork would stay held in the child forever. The one
   thread that may run then is a terminal's progress spinner, which writes to stderr: the child never does.
2. the managed OPA, launched with the modules expected (`engine.starting_opa`): forked with code to run
   before its exec (its memory limit, its death with this process: engine/server.py), so before any thread
   too, for the same reason.
3. the input's writer (`engine.storing_input`), with the loader child only: a thread that writes each part
   of OPA's input to that OPA as the child sends it.
4. the compilation of the expected modules (`engine.compiling_ahead`): `opa check`, `opa inspect` and
   `opa parse` processes, and a thread that starts `opa check` once OPA told its capabilities.

`settle()`, once the policy is compiled, stops the compilation: its answer is taken, and the evaluation
may fork a fresh OPA with code to run before its exec, which no thread of the compilation may witness.
`close()` stops whatever still runs, the last started first; it runs on every way out of a `with`
(an invalid workspace, OPA's failure, a bug, Ctrl-C), so no child process or thread outlives the run.
A failure of the work started early is never a verdict: the loader child's death or OPA's is exit 3
(`EngineError`), and what was started early and failed is done again, on the spot, by the evaluation.
"""

from __future__ import annotations

from contextlib import ExitStack, closing
from pathlib import Path
from types import TracebackType
from typing import Self

from governance.engine import Ahead, EngineOptions, ManagedOpa, StoredInput, starting_opa, storing_input
from governance.evaluate import apart as apart_
from governance.evaluate import policy as policy_
from governance.model import Workspace


class Overlap:
    """What runs while the workspace at `path` loads. `as_of`: the run's date, when the run builds OPA's input
    (a large workspace then loads apart); `opa`: launch the managed OPA early (not when a server is given);
    `timeout`: per write of the input, as the evaluation's. Use it in a `with`: entering starts it all."""

    def __init__(self, path: Path | str, load: apart_.Load, *, as_of: str | None = None, opa: bool = False,
                 timeout: float | None = None) -> None:
        self.path, self._load, self._as_of, self._opa, self._timeout = path, load, as_of, opa, timeout
        self.apart: apart_.Apart | None = None  # the loader child
        self.launched: ManagedOpa | None = None  # the managed OPA launched early
        self.written: StoredInput | None = None  # the input written to it as the child sends it
        self.compiling: Ahead | None = None  # the compilation of the expected modules
        self._running = ExitStack()  # the child, OPA and the writer: stopped by `close`
        self._compilation = ExitStack()  # the compilation: stopped by `settle`, or else by `close`

    def start(self) -> Self:
        """Start it all, in the order above; if a step fails, what the earlier ones started is stopped."""
        try:
            expected = policy_.expected_modules(self.path)
            if self._as_of is not None and apart_.worth_it(self.path):
                self.apart = self._running.enter_context(closing(apart_.Apart(self.path, self._as_of, self._load)))
            if self._opa:
                self.launched = self._running.enter_context(starting_opa(expected))
            if self.apart is not None and self._as_of is not None:  # its parts go to the early OPA as they arrive
                self.written = self._running.enter_context(storing_input(self.launched, self._as_of, self._timeout))
                self.apart.forward(self.written)
            self.compiling = self._compilation.enter_context(policy_.compiling_ahead(expected))
        except BaseException:
            self.close()
            raise
        return self

    def workspace(self) -> Workspace:
        """The workspace, from the loader child if there is one (`WorkspaceErrors` if invalid), else loaded here."""
        return self.apart.collect()[0] if self.apart is not None else self._load(self.path, None)

    def input(self, ws: Workspace, as_of: str) -> bytes:
        """OPA's input document: the one the loader child built, else built here from `ws`."""
        return self.apart.collect()[1] if self.apart is not None else ws.input_json(as_of)

    def engine_options(self) -> EngineOptions:
        """What the evaluation takes of this work: the OPA launched early and the input written to it."""
        return {"launched": self.launched, "written": self.written}

    def settle(self) -> None:
        """The policy is compiled: stop the compilation (its processes and thread) before the evaluation."""
        self.compiling = None
        self._compilation.close()

    def close(self) -> None:
        """Stop everything that still runs, the last started first: compilation, writer, OPA, loader child."""
        written = self.written
        try:
            self.settle()
        finally:
            self.written = self.launched = self.apart = None
            try:
                self._running.close()
            finally:
                if written is not None:  # told to stop first, its OPA stopped since: it ends at once
                    written.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
