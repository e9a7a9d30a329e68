"""The engine's work started early, so that it overlaps the workspace's loading: the managed OPA
launched with the modules expected, the input written to it part by part, the compilation.

Each is a context manager that stops what it started on leaving, whatever happens. The order in
which a run starts them, and why, is in one place: governance/evaluate/overlap.py.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from governance.engine.binary import likely_opa
from governance.engine.compile import Ahead
from governance.engine.errors import EngineError
from governance.engine.module import Module
from governance.engine.protocol import TIMEOUT
from governance.engine.server import ManagedOpa, managed_opa
from governance.engine.stored import StoredInput


@contextlib.contextmanager
def starting_opa(modules: list[Module]) -> Iterator[ManagedOpa | None]:
    """A managed OPA launched now with `modules` (those known before the workspace is loaded: the
    library), so that its start and compilation overlap the loading; pass it to `evaluate` as
    `launched`. None if it cannot be launched: `evaluate` then starts one itself, and says why it
    cannot. Stopped on leaving, whatever happens."""
    with contextlib.ExitStack() as stack:
        binary = likely_opa()  # its version is asked later (`_started`), while OPA starts
        try:
            opa = stack.enter_context(managed_opa(binary, [(m.id, m.text) for m in modules], wait=False)) if binary else None
        except EngineError:
            opa = None
        yield opa


@contextlib.contextmanager
def storing_input(launched: ManagedOpa | None, as_of: str, timeout: float | None = None) -> Iterator[StoredInput | None]:
    """The input written to `launched` (from `starting_opa`) part by part as the workspace loads: pass
    it to `evaluate` as `written`, which uses it only if every part reached the server that evaluates.
    `timeout`: per write, as `evaluate`'s. None without a launched OPA. Stopped on leaving."""
    if launched is None:
        yield None
        return
    written = StoredInput(launched, as_of, TIMEOUT if timeout is None else timeout)
    try:
        yield written
    finally:
        written.close()


@contextlib.contextmanager
def compiling_ahead(modules: list[Module], parsed: Sequence[Module] = ()) -> Iterator[Ahead | None]:
    """`inspect(modules)` and `data_refs` of each of `parsed` started now, on the modules expected before
    the workspace is loaded, so that OPA compiles while the workspace loads; pass it to `inspect` and
    `data_refs` as `ahead`, which take its answers only for exactly those modules and only if it ran on
    the pinned OPA. None if no OPA can be run: they then say why. Whatever still runs is stopped on leaving."""
    binary = likely_opa()  # `inspect` and `data_refs` take its answers only once find_opa chose the same binary
    try:
        ahead = Ahead(binary, tuple((m.id, m.text) for m in modules), tuple(m.text for m in parsed)) if binary else None
    except EngineError:
        ahead = None
    try:
        yield ahead
    finally:
        if ahead is not None:
            ahead.close()
