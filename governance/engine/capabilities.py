"""The builtins Rego may call under govern: an OPA capabilities file.

Workspace checks arrive in pull requests, so they are untrusted code. OPA can
refuse a builtin only at compile time, by a capabilities file that omits it;
`govern` compiles every module against this one before any evaluation (see
`compile.py`). The list itself lives in `allowed-builtins.txt`, with the rules
that decide what stays out.
"""

from __future__ import annotations

import functools
import json
import subprocess
from pathlib import Path
from typing import Any

from governance.engine.errors import EngineError

_ALLOWED_FILE = Path(__file__).with_name("allowed-builtins.txt")


@functools.cache
def allowed_builtins() -> frozenset[str]:
    lines = _ALLOWED_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


@functools.cache
def current(binary: str) -> dict[str, Any]:
    """The capabilities of `binary` as it ships (builtin signatures, features)."""
    try:
        out = subprocess.run([binary, "capabilities", "--current"], capture_output=True, timeout=60,
                             env={}, check=True).stdout
        caps: dict[str, Any] = json.loads(out)  # OPA's JSON, as documented
        return caps
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        raise EngineError(f"could not read the capabilities of {binary}: {exc}") from None


def restricted(binary: str) -> dict[str, Any]:
    """`binary`'s capabilities cut down to the allowed builtins, with no network
    host allowed for anything that fetches (schema $refs)."""
    caps = dict(current(binary))
    allowed = allowed_builtins()
    caps["builtins"] = [b for b in caps["builtins"] if b["name"] in allowed]
    caps["allow_net"] = []
    return caps
