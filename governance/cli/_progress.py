"""Progress on stderr for a person at a terminal; silence for pipes and CI logs."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress() -> Iterator[Callable[[str], None]]:
    """Yield a callback that shows the current step; a no-op unless stderr is a terminal."""
    if not sys.stderr.isatty():
        yield lambda _step: None
        return
    # imported only for a terminal: a run in CI or a pipe does not pay for rich's start-up
    from rich.console import Console

    console = Console(stderr=True)
    # transient: the spinner is gone before any report is written
    with console.status("starting…", spinner="dots") as status:
        yield lambda step: status.update(f"{step}…")
