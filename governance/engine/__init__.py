"""The engine: compile and run every check on a real Open Policy Agent.

Public surface: `inspect(...)` (compile under the allowed builtins, list
packages and METADATA), `evaluate(...)` (the report from an OPA),
`build_bundle(...)` (the same policy as an OPA bundle), their result and
error types, and `policy_revision`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from governance.engine import bundle as bundle_
from governance.engine import compile as compile_
from governance.engine import signing as signing_
from governance.engine.binary import OPA_VERSION, find_opa, likely_opa
from governance.engine.client import DATA_ROOT, STORED_INPUT, OpaSession, client_for
from governance.engine.compile import (
    Ahead,  # a type for annotations only (not in __all__), like EngineOptions
    Annotation,
    DataRef,
    Inspection,
    RegoError,
    RegoErrors,
)
from governance.engine.errors import EngineError
from governance.engine.outcome import CheckOutcome, Malformed, MalformedCheck, Violation, metadata_problem
from governance.engine.server import ManagedOpa, managed_opa
from governance.engine.signing import DEFAULT_SIGNING_ALG, SIGNING_ALGS, SigningKeyError, VerificationKeyError
from governance.engine.stored import StoredInput
from governance.vocabulary import vocabulary

__all__ = ["DEFAULT_SIGNING_ALG", "OPA_VERSION", "SIGNING_ALGS", "Annotation", "CheckOutcome", "DataRef", "EngineError",
           "EngineResult", "Inspection", "Malformed", "MalformedCheck", "Module", "RegoError", "RegoErrors", "SigningKeyError",
           "StoredInput", "VerificationKeyError", "Violation", "build_bundle", "compiling_ahead", "data_refs", "evaluate",
           "inspect", "metadata_problem", "policy_revision", "sign", "starting_opa", "storing_input", "verified_payload"]


@dataclass(frozen=True)
class Module:
    """A Rego module as loaded into OPA: `id` is its policy id there."""

    id: str
    path: Path
    text: str


@dataclass
class EngineResult:
    opa_version: str
    revision: str
    checks: list[CheckOutcome]
    malformed: list[Malformed]  # check-shaped values without a METADATA id


TIMEOUT = 120.0  # seconds OPA may take to answer one request, unless told otherwise


class EngineOptions(TypedDict, total=False):
    """How to reach OPA: `evaluate`'s keyword options, passed through unchanged by the layers above it.
    A type for those layers' annotations only, so not part of the package's surface (`__all__`)."""

    opa_url: str | None
    timeout: float
    token: str | None
    ca: str | None
    opa_versions: tuple[str, ...]
    launched: ManagedOpa | None  # from `starting_opa`: a managed OPA launched ahead of the evaluation
    written: StoredInput | None  # from `storing_input`: the input written to `launched` while the workspace loaded


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


def canonical_json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def policy_revision(modules: list[Module], definitions: dict) -> str:
    """sha256 over every Rego module (id and text), the definitions and the product's vocabulary
    (the checks' messages name things from it), order-independent."""
    h = hashlib.sha256()
    for m in sorted(modules, key=lambda m: m.id):
        h.update(m.id.encode() + b"\0" + m.text.encode() + b"\0")
    h.update(canonical_json(definitions) + b"\0")
    h.update(canonical_json(vocabulary()))
    return "sha256:" + h.hexdigest()


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


def inspect(modules: list[Module], ahead: Ahead | None = None) -> Inspection:
    """Compile `modules` on the pinned OPA under the allowed builtins; `RegoErrors` if any is rejected.
    `ahead`: from `compiling_ahead`, its answer used if it compiled exactly these modules."""
    return compile_.inspect(find_opa(), modules, ahead)


def data_refs(module: Module, ahead: Ahead | None = None) -> list[DataRef]:
    """Every reference into `data` that `module` makes, as the pinned OPA parses it (`ahead`: as in `inspect`)."""
    return compile_.data_refs(find_opa(), module, ahead)


def build_bundle(modules: list[Module], definitions: dict, *, signing_key: Path | None = None,
                 signing_alg: str = DEFAULT_SIGNING_ALG) -> bytes:
    """An OPA bundle (.tar.gz) of what a run loads into OPA, its manifest revision the policy revision;
    signed with `signing_key` (a private key PEM) when given, else unsigned."""
    return bundle_.build(find_opa(), modules, definitions, policy_revision(modules, definitions),
                         signing_key=signing_key, signing_alg=signing_alg)


def sign(content: bytes, key: Path, alg: str = DEFAULT_SIGNING_ALG) -> str:
    """A compact JWS made by the pinned OPA with `key` (a private key PEM), its payload the SHA-256 of `content`;
    `SigningKeyError` if the key cannot sign with `alg`."""
    return signing_.sign(find_opa(), content, key, alg)


def verified_payload(token: str, public_key: str, alg: str) -> dict | None:
    """The payload of the JWS `token` if the pinned OPA finds it signed with `alg` by `public_key` (PEM text),
    else None; `VerificationKeyError` if OPA cannot use that key."""
    return signing_.verified_payload(find_opa(), token, public_key, alg)


def evaluate(modules: list[Module], definitions: dict, input_json: bytes, *,
             opa_url: str | None = None, timeout: float = TIMEOUT, token: str | None = None,
             ca: str | None = None, opa_versions: tuple[str, ...] = (OPA_VERSION,),
             launched: ManagedOpa | None = None, written: StoredInput | None = None) -> EngineResult:
    """Load modules and definitions into OPA, ask the report query on `input_json` (the input
    document, serialised), return it checked.

    Without `opa_url` a private OPA is started (answering only this run's
    token) and always stopped again. An `opa_url` server that serves govern's
    policy from a bundle (`build_bundle`) gets nothing uploaded: its bundle
    must be this policy's. `opa_versions` are the OPA versions whose answers
    are accepted. `launched`: a managed OPA from `starting_opa`, used instead of starting one;
    `written`: the input written to it ahead (`storing_input`), not written again if complete.
    """
    revision = policy_revision(modules, definitions)
    if opa_url:
        session = OpaSession(client_for(opa_url, timeout, token=token, ca=ca), opa_url)
        try:
            return _run(session, modules, definitions, input_json, revision, opa_versions, shared=True)
        finally:
            session.client.close_connection()
    if launched is not None and _started(launched, modules):
        held = written is not None and written.holds(launched)
        return _run_managed(launched, modules, definitions, input_json, revision, opa_versions, timeout, held)
    # the modules start with the server: compiled once, where an upload each recompiles all of them
    with managed_opa(find_opa(), [(m.id, m.text) for m in modules]) as opa:
        return _run_managed(opa, modules, definitions, input_json, revision, opa_versions, timeout)


def _started(launched: ManagedOpa, modules: list[Module]) -> bool:
    """Did the OPA launched ahead start? It was given the modules expected before the workspace was
    loaded: if one changed since and no longer compiles, it exits, and a fresh one is started. If it
    was given exactly this run's modules, its death is a crash, and a crash fails the run (exit 3).
    It was launched before its version was asked: a binary other than the pinned one is not used."""
    if launched.binary != find_opa():
        return False
    try:
        launched.ready()
    except EngineError:
        if {m.id: m.text for m in modules}.items() >= dict(launched.modules).items():
            raise
        return False
    return True


def _run_managed(opa: ManagedOpa, modules: list[Module], definitions: dict, input_json: bytes, revision: str,
                 versions: tuple[str, ...], timeout: float, input_held: bool = False) -> EngineResult:
    """`input_held`: the server holds the whole input already (`StoredInput.holds`)."""
    session = OpaSession(client_for(opa.url, timeout, token=opa.token), opa.url, alive=opa.alive, died=opa.died_message)
    try:
        if not input_held:  # this run's own OPA gets the input as data (see OpaSession.report)
            session.put_json(STORED_INPUT, input_json, "sending the input")
        return _run(session, modules, definitions, input_json, revision, versions, private=dict(opa.modules))
    finally:
        session.client.close_connection()


def _still_held(session: OpaSession, modules: list[Module], bundles: dict[str, str]) -> None:
    """After the report: the server still holds exactly this run's govern modules, unchanged."""
    if session.held(bundles, [m.id for m in modules]) != {m.id: m.text for m in modules}:
        raise EngineError("the server's modules changed during the run (another client wrote to it, or it "
                          "activated another bundle); the report cannot be trusted")


def _served(session: OpaSession, modules: list[Module], revision: str, bundles: dict[str, str]) -> None:
    """The server serves govern's policy from bundles: it must be this run's policy, module for module.
    Nothing is uploaded (a bundle owns data.govern: OPA refuses writes there)."""
    for name, served in sorted(bundles.items()):
        if served != revision:
            raise EngineError(f"the server's bundle {name} is revision {served or '(none)'}, this workspace is {revision}: "
                              "rebuild the bundle (govern bundle) and have the server load it")
    if session.held(bundles, [m.id for m in modules]) != {m.id: m.text for m in modules}:
        raise EngineError(f"the server's bundle {', '.join(sorted(bundles))} carries this workspace's revision but "
                          "other modules: it was not built by `govern bundle` from this workspace")


def _load(session: OpaSession, modules: list[Module], definitions: dict, revision: str,
          private: dict[str, str] | None) -> None:
    """Put this run's policy on a server that serves none from a bundle, replacing whatever govern's it held.
    `private`: the server is this run's managed OPA, started with these modules (id -> text). It answers
    this run's token alone, so it holds those and nothing else: no listing (which decodes the AST of
    every module, most of a small run's time on OPA) is needed to know what to replace."""
    keep = {m.id for m in modules}
    held = session.clear(keep) if private is None or not set(private) <= keep else private
    # the whole govern data subtree at once, so nothing an earlier client put there survives
    session.put_data(DATA_ROOT, {"definitions": definitions, "meta": {"revision": revision}, "vocabulary": vocabulary()})
    for module in modules:  # the library first: checks call its functions
        # a long-lived server often has the library already; every upload recompiles all modules
        if held.get(module.id) != module.text:
            session.load_module(module.id, module.text)


def _run(session: OpaSession, modules: list[Module], definitions: dict, input_json: bytes, revision: str,
         versions: tuple[str, ...], *, shared: bool = False, private: dict[str, str] | None = None) -> EngineResult:
    version = session.version()
    if version not in versions:
        raise EngineError(f"OPA at {session.url} is version {version}; govern is pinned to {OPA_VERSION} "
                          f"(pass --allow-opa-version {version} to accept it)")
    if shared:  # a server others run may be configured with bundles: one it failed to activate is not overwritten
        failed = session.failed_bundles()
        if failed:
            raise EngineError(f"OPA at {session.url} does not serve a bundle it is configured with ({'; '.join(failed)}); "
                              "govern uploads nothing over it: fix the bundle or the server's configuration, "
                              "or use another server")
    bundles = session.bundles()
    if bundles:
        _served(session, modules, revision, bundles)
    else:
        _load(session, modules, definitions, revision, private)
    # this run's own OPA holds the input as data (see OpaSession.report); a server others use gets it in the query
    report = session.report(input_json, [m.id for m in modules] if bundles else (), stored=private is not None)
    if report.revision != revision:
        raise EngineError(
            f"policy revision mismatch: OPA holds {report.revision}, this run loaded {revision} "
            "(another client changed the server's policies or data during the run)"
        )
    if report.definitions != json.loads(canonical_json(definitions)):
        why = (f"the server's bundle {', '.join(sorted(bundles))} carries this workspace's revision and modules but "
               "other data: it was not built by `govern bundle` from this workspace" if bundles
               else "another client changed the server's data during the run")
        raise EngineError(f"the definitions OPA evaluated are not the ones this run loaded ({why})")
    if report.vocabulary != json.loads(canonical_json(vocabulary())):
        why = (f"the server's bundle {', '.join(sorted(bundles))} carries this workspace's revision and modules but "
               "other words: it was not built by `govern bundle` from this govern" if bundles
               else "another client changed the server's data during the run")
        raise EngineError(f"the vocabulary OPA's messages were written from is not govern's ({why})")
    if shared:
        _still_held(session, modules, bundles)  # others can write to a shared server
    return EngineResult(opa_version=version, revision=revision, checks=report.checks, malformed=report.malformed)
