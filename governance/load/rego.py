"""The workspace's own Rego checks, read like every other input: once, as
UTF-8, with the sha256 of the bytes that were read. Packages and syntax are
judged where the policy is compiled, not here."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.files import read_text
from governance.load.limits import MAX_DEPTH, MAX_REGO_BYTES, TOO_DEEP


@dataclass(frozen=True)
class RegoSource:
    path: Path  # real, inside the workspace
    rel: str  # as shown to users: relative to the workspace root, posix
    text: str
    sha256: str


def is_check(name: str) -> bool:
    """A module to load; `_test.rego` files are OPA's unit tests, not checks."""
    return name.endswith(".rego") and not name.endswith("_test.rego")


def read_rego(path: Path, rel: str) -> RegoSource:
    raw, text = read_text(path, rel, "utf-8")  # OPA reads Rego as UTF-8, without a byte-order mark
    if len(raw) > MAX_REGO_BYTES:
        raise WorkspaceErrors([WorkspaceError(Location(rel), f"a Rego module may be at most {MAX_REGO_BYTES >> 10} KiB")])
    too_deep = _too_deep(text)
    if too_deep:
        raise WorkspaceErrors([WorkspaceError(Location(rel, *too_deep), f"Rego {TOO_DEEP}")])
    return RegoSource(path=path, rel=rel, text=text, sha256=hashlib.sha256(raw).hexdigest())


# brackets, and what hides them: comments, "strings" (with escapes) and `raw strings`
_TOKENS = re.compile(r'#[^\n]*|"(?:[^"\\\n]|\\.)*"|`[^`]*`|[\[{(]|[\]})]|\n')


def _too_deep(text: str) -> tuple[int, int] | None:
    """Where brackets first nest deeper than MAX_DEPTH: OPA's parser and its JSON
    output recurse, and grow with the square of the depth."""
    depth, line, line_start = 0, 1, 0
    for m in _TOKENS.finditer(text):
        tok = m.group()
        if tok == "\n":
            line, line_start = line + 1, m.end()
        elif tok in "[{(":
            depth += 1
            if depth > MAX_DEPTH:
                return line, m.start() - line_start + 1
        elif tok in "]})":
            depth = max(depth - 1, 0)
        elif tok.startswith("`"):
            line_start = m.start() + tok.rfind("\n") + 1 if "\n" in tok else line_start
            line += tok.count("\n")
    return None
