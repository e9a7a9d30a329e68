"""The workspace's own Rego checks, read like every other input: once, as
UTF-8, with the sha256 of the bytes that were read. Packages and syntax are
judged where the policy is compiled, not here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from governance.load.files import read_text


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
    return RegoSource(path=path, rel=rel, text=text, sha256=hashlib.sha256(raw).hexdigest())
