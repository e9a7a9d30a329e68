"""Compile every module once, before any evaluation, against the allowed builtins.

`opa check` compiles the library and the workspace's modules together under
`capabilities.restricted()`, so a refused builtin, a syntax error or a type
error comes back with its module and row:col. `opa inspect` reports each
module's package and every METADATA block: the static catalogue of checks
that a complete report must match. Both run on the bytes govern read and
hashed, staged in a private folder, never on the user's files again.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from governance.engine.capabilities import current, restricted
from governance.engine.errors import EngineError
from governance.engine.module import Module

TIMEOUT = 120.0
# A compile of a small policy lives a fraction of a second, and Go's collector spends about a third of
# its CPU freeing what its exit frees anyway (measured on acme, 117 KB of Rego, ~70 MB without
# it). Up to GC_FREE_REGO bytes of Rego it runs without the collector; the soft limit only guards
# against a module that makes the compiler allocate without end. A larger policy keeps Go's default:
# a soft limit below its live heap would make Go collect without end (3.5x slower, measured).
GC_FREE_REGO = 256 << 10
GC_FREE_ENV = {"GOGC": "off", "GOMEMLIMIT": "1GiB"}
AHEAD_PARSES = 8  # `opa parse` processes started ahead at most (one per workspace module)


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


Modules = tuple[tuple[str, str], ...]  # (id, text) of each module, in loading order


def inspect(binary: str, modules: list[Module], ahead: Ahead | None = None) -> Inspection:
    """Compile `modules` (each with `.id` and `.text`) under the allowed builtins
    and report their packages and METADATA; `RegoErrors` if OPA rejects any.
    `ahead`: a compilation started earlier, whose answer is taken only if it was of exactly these modules."""
    key = tuple((m.id, m.text) for m in modules)
    if ahead is not None and ahead.binary == binary and ahead.modules == key:
        return ahead.inspection()
    return _inspect(binary, key)


def _inspect(binary: str, modules: Modules) -> Inspection:
    def compiled() -> Inspection:
        with _Compiling(binary, modules) as compiling:
            return compiling.inspection()
    return _INSPECTED.answer((binary, modules), compiled)


K = TypeVar("K")
V = TypeVar("V")


class _Remembered(Generic[K, V]):
    """OPA's answers by what it was asked, the least recently used forgotten first: a process that
    checks many workspaces (a test suite, a library user) compiles the same modules once."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._answers: dict[K, V] = {}
        self._lock = threading.Lock()  # a library user may compile from several threads

    def get(self, key: K) -> V | None:
        with self._lock:
            answer = self._answers.pop(key, None)
            if answer is not None:
                self._answers[key] = answer  # now the most recent
            return answer

    def put(self, key: K, answer: V) -> None:
        with self._lock:
            self._answers[key] = answer
            if len(self._answers) > self._size:
                del self._answers[next(iter(self._answers))]

    def answer(self, key: K, ask: Callable[[], V]) -> V:
        """The remembered answer to `key`, else `ask()`'s, remembered."""
        found = self.get(key)
        if found is None:
            found = ask()
            self.put(key, found)
        return found


_INSPECTED = _Remembered[tuple[str, Modules], Inspection](8)


class _Compiling:
    """`opa check` and `opa inspect` running on `modules`, staged in a private folder; `inspection()`
    waits for their answers. Leaving stops whichever is still running and removes the folder.

    `opa check` needs the capabilities, which OPA is asked for first (`opa capabilities`): a thread
    waits for them and starts it, so that the caller goes on (loading the workspace) meanwhile. Until
    leaving, no child may be forked with a `preexec_fn` (the managed server's): with a thread about, the
    child could deadlock before its exec. A run leaves it once its policy is compiled (evaluate/overlap.py)."""

    def __init__(self, binary: str, modules: Modules) -> None:
        self.binary = binary
        self._check: subprocess.Popen | None = None
        self._check_failed: BaseException | None = None
        self._closing = threading.Lock()  # held while the thread starts `opa check`, taken by leaving
        self._closed = False
        with contextlib.ExitStack() as stack:  # a failure (or Ctrl-C) part way leaves nothing running
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="govern-rego-"))
            root = Path(tmp) / "modules"
            for module_id, text in modules:
                _stage(root, module_id, text)
            self._rego_bytes = sum(len(text.encode()) for _, text in modules)
            self._listing = _start([binary, "inspect", "--annotations", "--format", "json", "."], root, self._rego_bytes)
            stack.callback(_stop, self._listing)
            self._starter = threading.Thread(target=self._start_check, args=(root, Path(tmp) / "capabilities.json"),
                                             name="govern-opa-check", daemon=True)
            stack.callback(self._stop_check)  # before the folder is removed: the thread writes into it
            self._starter.start()
            self._cleanup = stack.pop_all()

    def _start_check(self, root: Path, caps: Path) -> None:
        try:
            caps.write_text(json.dumps(restricted(self.binary)), encoding="utf-8")
            with self._closing:
                if not self._closed:
                    # every error, not OPA's first ten: the tenth-and-more would end in a locationless "error limit reached"
                    self._check = _start([self.binary, "check", "--capabilities", str(caps), "--max-errors", "-1",
                                          "--format", "json", "."], root, self._rego_bytes)
        except BaseException as exc:  # noqa: BLE001 — handed to the caller of inspection(), raised there
            self._check_failed = exc

    def _stop_check(self) -> None:
        with self._closing:
            self._closed = True
        self._starter.join()  # as long as `opa capabilities` takes, at most: nothing is started after this
        if self._check is not None:
            _stop(self._check)

    def __enter__(self) -> _Compiling:
        return self

    def __exit__(self, *exc: object) -> None:
        self._cleanup.close()

    def inspection(self) -> Inspection:
        self._starter.join()
        if self._check_failed is not None:
            raise self._check_failed
        check, listing = self._check, self._listing
        assert check is not None, "inspection() after leaving"
        check_out, check_err = _finish(check, "opa check")
        listing_out, listing_err = _finish(listing, "opa inspect")
        if check.returncode != 0:
            raise RegoErrors([_explain(e, self.binary) for e in _errors(check_out + check_err)])
        if listing.returncode != 0:
            raise EngineError(f"opa inspect failed: {listing_err.decode(errors='replace').strip()[:500]}")
        return _inspection(listing_out)


class Ahead:
    """The compilation of the modules a run expects, started before its workspace is loaded, so that
    OPA compiles while Python reads YAML: `opa check` and `opa inspect` of `modules`, `opa parse` of each
    text in `parsed`. An answer is used only for exactly what it was asked about (`inspect` and
    `data_refs` compare); a module changed since is compiled afresh. `close()` stops what still runs."""

    def __init__(self, binary: str, modules: Modules, parsed: tuple[str, ...] = ()) -> None:
        self.binary, self.modules = binary, modules
        # what this process was answered already is not asked again
        self._answer: Inspection | RegoErrors | EngineError | None = _INSPECTED.get((binary, modules))
        unparsed = [text for text in dict.fromkeys(parsed) if _PARSED.get((binary, text)) is None]
        with contextlib.ExitStack() as stack:
            self._compiling = stack.enter_context(_Compiling(binary, modules)) if self._answer is None else None
            # a bounded number at once: a workspace with many checks parses the rest when asked
            self._parsing = {text: stack.enter_context(_Parsing(binary, text)) for text in unparsed[:AHEAD_PARSES]}
            self._cleanup = stack.pop_all()

    def close(self) -> None:
        self._cleanup.close()

    def inspection(self) -> Inspection:
        """OPA's answer for `modules`: the same errors, if it rejected them, each time it is asked."""
        if self._answer is None:
            assert self._compiling is not None  # started whenever no answer was remembered
            try:
                self._answer = self._compiling.inspection()
                _INSPECTED.put((self.binary, self.modules), self._answer)
            except (RegoErrors, EngineError) as exc:
                self._answer = exc
        if isinstance(self._answer, Exception):
            raise self._answer
        return self._answer

    def parses(self, text: str) -> bool:
        return text in self._parsing

    def data_refs(self, text: str) -> list[DataRef]:
        return _PARSED.answer((self.binary, text), self._parsing[text].data_refs)


def _stage(root: Path, module_id: str, text: str) -> None:
    path = (root / module_id).resolve()
    if not path.is_relative_to(root.resolve()) or not module_id.endswith(".rego"):
        raise EngineError(f"refusing a module id that is not a relative .rego path: {module_id!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _start(cmd: list[str], cwd: Path, rego_bytes: int) -> subprocess.Popen:
    """`cmd` on `rego_bytes` of Rego. Nothing of the runner's environment reaches OPA: only GC_FREE_ENV,
    fixed here, for a small policy."""
    try:
        return subprocess.Popen(cmd, cwd=cwd, env=dict(GC_FREE_ENV) if rego_bytes <= GC_FREE_REGO else {},
                                stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        raise EngineError(f"could not run {cmd[0]}: {exc}") from None


def _stop(proc: subprocess.Popen) -> None:
    """An OPA whose answer is no longer wanted (the run ended, or its modules changed) is not left running."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()


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


_PARSED = _Remembered[tuple[str, str], list[DataRef]](64)


def data_refs(binary: str, module: Module, ahead: Ahead | None = None) -> list[DataRef]:
    """Every reference into `data` that `module` makes, as OPA parses it (`ahead`: as in `inspect`)."""
    if ahead is not None and ahead.binary == binary and ahead.parses(module.text):
        return ahead.data_refs(module.text)
    return _data_refs(binary, module.text)


def _data_refs(binary: str, text: str) -> list[DataRef]:
    def parsed() -> list[DataRef]:
        with _Parsing(binary, text) as parsing:
            return parsing.data_refs()
    return _PARSED.answer((binary, text), parsed)


class _Parsing:
    """`opa parse` running on one module's text; leaving stops it and removes its folder."""

    def __init__(self, binary: str, text: str) -> None:
        with contextlib.ExitStack() as stack:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="govern-rego-"))
            path = Path(tmp) / "module.rego"
            path.write_text(text, encoding="utf-8")
            self._proc = _start([binary, "parse", "--format", "json", "--json-include", "locations", path.name], Path(tmp),
                                len(text.encode()))
            stack.callback(_stop, self._proc)
            self._cleanup = stack.pop_all()

    def __enter__(self) -> _Parsing:
        return self

    def __exit__(self, *exc: object) -> None:
        self._cleanup.close()

    def data_refs(self) -> list[DataRef]:
        out, err = _finish(self._proc, "opa parse")
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
