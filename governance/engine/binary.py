"""Finding the pinned `opa` binary (the same search order as scripts/install-opa.sh)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from governance.engine.errors import EngineError

# the one place the pin is written; scripts/install-opa.sh reads the same file
OPA_VERSION = (Path(__file__).with_name("opa-version.txt")).read_text(encoding="utf-8").strip()
INSTALL_HINT = "run `make opa` (or scripts/install-opa.sh) to install OPA v{v}, or set GOVERN_OPA to its path"


def cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    base = os.environ.get("GOVERN_CACHE") or os.path.join(xdg, "govern")
    return Path(base) / "opa" / OPA_VERSION


def version_of(binary: str) -> str | None:
    try:
        out = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    return None


def find_opa() -> str:
    """The path of an `opa` of the pinned version, or EngineError with an install hint.

    GOVERN_OPA, when set, is the only candidate: a user who names a binary
    must not silently get another one.
    """
    return _pinned(_candidates(), bool(os.environ.get("GOVERN_OPA")))


def likely_opa() -> str | None:
    """The candidate `find_opa` will most likely choose, without asking its version: for work started
    ahead (`engine.starting_opa`, `engine.compiling_ahead`) while `opa version` would still run. Nothing
    it answers is used until `find_opa` has chosen the same binary."""
    return next((c for c in _candidates() if c and os.access(c, os.X_OK)), None)


def _candidates() -> tuple[str | None, ...]:
    explicit = os.environ.get("GOVERN_OPA")
    return tuple([explicit] if explicit else [str(cache_dir() / "opa"), shutil.which("opa")])


@functools.lru_cache(maxsize=4)  # one `opa version` per candidate list, not one per call
def _pinned(candidates: tuple[str | None, ...], explicit: bool = False) -> str:
    """`explicit`: the one candidate is GOVERN_OPA's, and the message says it came from there."""
    seen = []
    for candidate in filter(None, candidates):
        version = version_of(candidate)
        if version == OPA_VERSION:
            return candidate
        seen.append(f"{'GOVERN_OPA=' if explicit else ''}{candidate} ({'version ' + version if version else 'not runnable'})")
    found = f"; found {', '.join(seen)}" if seen else ""
    raise EngineError(f"OPA v{OPA_VERSION} not found{found}. " + INSTALL_HINT.format(v=OPA_VERSION))
