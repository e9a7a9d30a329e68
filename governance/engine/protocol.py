"""The evaluation protocol: how one run's policy, definitions and input reach an OPA and how its
report is trusted.

On this run's own OPA (managed, answering this run's token alone) the policy is loaded as the
server starts and the input is written as data; on a server others run (`opa_url`) a policy served
from a bundle must be this run's, module for module, and anything else is replaced by this run's.
Either way the report must carry this run's revision and definitions, and on a shared server its
modules must still be this run's afterwards: anything else is an `EngineError` (exit 3).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TypedDict

from governance.engine.binary import OPA_VERSION, find_opa
from governance.engine.client import DATA_ROOT, STORED_INPUT, OpaSession, client_for
from governance.engine.errors import EngineError
from governance.engine.module import Module, canonical_json, policy_revision
from governance.engine.outcome import CheckOutcome, Malformed
from governance.engine.server import ManagedOpa, managed_opa
from governance.engine.stored import StoredInput
from governance.vocabulary import vocabulary


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
