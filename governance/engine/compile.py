"""Compile every module once, before any evaluation, against the allowed builtins.

`opa check` compiles the library and the workspace's modules together under
`capabilities.restricted()`, so a refused builtin, a syntax error or a type
error comes back with its module and row:col. `opa inspect` reports each
module's package and every METADATA block: the static catalogue of checks
that a complete report must match. Both run on the bytes govern read and
hashed, staged in a private folder, never on the user's files again.
"""

from __future__ import annotations

import functools
import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from governance.engine.capabilities import current, restricted
from governance.engine.errors import EngineError

if TYPE_CHECKING:  # only for annotations: governance.engine imports this module
    from governance.engine import Module

TIMEOUT = 120.0


@dataclass(frozen=True)
class RegoError:
    """A problem OPA found in one module (its id, as loaded), 1-based row and column."""

    module: str
    row: int
    col: int
    message: str


class RegoErrors(Exception):
    """Compile or evaluation errors that OPA located in modules."""

    def __init__(self, errors: list[RegoError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.module}:{e.row}:{e.col}: {e.message}" for e in errors))


@dataclass(frozen=True)
class Annotation:
    """One METADATA block: where it is, the rule path it annotates, what it says."""

    module: str
    row: int
    col: int
    path: tuple[str, ...]  # e.g. ("govern", "checks", "acme", "ACME_001"), without `data`
    scope: str
    title: object
    description: object  # the block's `description`, as OPA read it (a catalogue shows it)
    custom: dict


@dataclass(frozen=True)
class Inspection:
    packages: dict[str, str] = field(default_factory=dict)  # module id -> package, e.g. "govern.checks.acme"
    annotations: list[Annotation] = field(default_factory=list)


def inspect(binary: str, modules: list[Module]) -> Inspection:
    """Compile `modules` (each with `.id` and `.text`) under the allowed builtins
    and report their packages and METADATA; `RegoErrors` if OPA rejects any."""
    return _inspect(binary, tuple((m.id, m.text) for m in modules))


@functools.lru_cache(maxsize=8)  # by content: a process that checks many workspaces compiles the library once
def _inspect(binary: str, modules: tuple[tuple[str, str], ...]) -> Inspection:
    with tempfile.TemporaryDirectory(prefix="govern-rego-") as tmp:
        root = Path(tmp) / "modules"
        for module_id, text in modules:
            _stage(root, module_id, text)
        caps = Path(tmp) / "capabilities.json"
        caps.write_text(json.dumps(restricted(binary)), encoding="utf-8")
        # both at once: each is a short process, and there are two cores
        # every error, not OPA's first ten: the tenth-and-more would end in a locationless "error limit reached"
        check = _start([binary, "check", "--capabilities", str(caps), "--max-errors", "-1", "--format", "json", "."], root)
        listing = _start([binary, "inspect", "--annotations", "--format", "json", "."], root)
        check_out, check_err = _finish(check, "opa check")
        listing_out, listing_err = _finish(listing, "opa inspect")
    if check.returncode != 0:
        raise RegoErrors([_explain(e, binary) for e in _errors(check_out + check_err)])
    if listing.returncode != 0:
        raise EngineError(f"opa inspect failed: {listing_err.decode(errors='replace').strip()[:500]}")
    return _inspection(listing_out)


def _stage(root: Path, module_id: str, text: str) -> None:
    path = (root / module_id).resolve()
    if not path.is_relative_to(root.resolve()) or not module_id.endswith(".rego"):
        raise EngineError(f"refusing a module id that is not a relative .rego path: {module_id!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _start(cmd: list[str], cwd: Path) -> subprocess.Popen:
    try:  # no environment: nothing of the runner's reaches OPA
        return subprocess.Popen(cmd, cwd=cwd, env={}, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        raise EngineError(f"could not run {cmd[0]}: {exc}") from None


def _finish(proc: subprocess.Popen, what: str) -> tuple[bytes, bytes]:
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise EngineError(f"{what} did not finish within {TIMEOUT:.0f}s") from None
    if proc.returncode is not None and proc.returncode < 0:  # killed: its output says nothing of the Rego
        raise EngineError(f"{what} was killed by signal {-proc.returncode}")
    return out, err


def _errors(output: bytes) -> list[RegoError]:
    try:
        doc = json.loads(output)
        errors = [RegoError(module=e["location"]["file"].removeprefix("./"), row=int(e["location"]["row"]),
                            col=int(e["location"]["col"]), message=str(e["message"]))
                  for e in doc["errors"] if e.get("location")]  # a summary line such as "error limit reached" has none
    except (ValueError, KeyError, TypeError):
        raise EngineError(f"opa check failed: {output.decode(errors='replace').strip()[:500]}") from None
    if not errors:
        raise EngineError("opa check failed without naming an error")
    return errors


def _explain(error: RegoError, binary: str) -> RegoError:
    """OPA says "undefined function http.send" for a builtin the capabilities left out; say why."""
    name = error.message.removeprefix("undefined function ").strip()
    if name == error.message or not any(b["name"] == name for b in current(binary)["builtins"]):
        return error
    return RegoError(error.module, error.row, error.col,
                     f"builtin {name} is not allowed in govern checks: checks may use only pure, deterministic "
                     "builtins (no network, environment, clock or randomness; `input.as_of` is today)")


def _inspection(output: bytes) -> Inspection:
    try:
        doc = json.loads(output)
        packages = {f.removeprefix("./"): ns.removeprefix("data.")
                    for ns, files in (doc.get("namespaces") or {}).items() for f in files}
        annotations = [_annotation(a) for a in doc.get("annotations") or []]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise EngineError(f"opa inspect answered an unexpected shape: {type(exc).__name__}") from None
    return Inspection(packages=packages, annotations=annotations)


def _annotation(raw: dict) -> Annotation:
    body, loc = raw["annotations"], raw["location"]
    path = tuple(str(t["value"]) for t in raw.get("path") or [])
    return Annotation(module=loc["file"].removeprefix("./"), row=int(loc["row"]), col=int(loc["col"]),
                      path=path[1:] if path[:1] == ("data",) else path, scope=body.get("scope", ""),
                      title=body.get("title"), description=body.get("description"), custom=body.get("custom") or {})


@dataclass(frozen=True)
class DataRef:
    """A reference into `data` in a module: where, and its leading terms (None for a variable)."""

    row: int
    col: int
    path: tuple[str | None, ...]  # e.g. ("govern", "lib") for data.govern.lib; (None,) for data[k]; () for bare `data`


def data_refs(binary: str, module: Module) -> list[DataRef]:
    """Every reference into `data` that `module` makes, as OPA parses it."""
    return _data_refs(binary, module.text)


@functools.lru_cache(maxsize=64)
def _data_refs(binary: str, text: str) -> list[DataRef]:
    with tempfile.TemporaryDirectory(prefix="govern-rego-") as tmp:
        path = Path(tmp) / "module.rego"
        path.write_text(text, encoding="utf-8")
        out, err = _finish(_start([binary, "parse", "--format", "json", "--json-include", "locations", path.name],
                                  Path(tmp)), "opa parse")
    try:
        found: list[DataRef] = []
        _walk(json.loads(out), found)
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise EngineError(f"opa parse answered an unexpected shape: {exc} {err.decode(errors='replace')[:200]}") from None
    return found


def _walk(node: object, found: list[DataRef]) -> None:
    if isinstance(node, dict):
        terms = node.get("value")
        if node.get("type") == "ref" and isinstance(terms, list) and terms:
            head = terms[0]
            if head.get("type") == "var" and head.get("value") == "data":
                loc = node.get("location") or head.get("location") or {}
                path = tuple(t["value"] if t.get("type") == "string" else None for t in terms[1:3])
                found.append(DataRef(int(loc.get("row", 1)), int(loc.get("col", 1)), path))
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, found)
