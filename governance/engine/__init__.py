"""The engine: run every check on a real Open Policy Agent.

Public surface: `evaluate(...)`, `EngineResult`, `EngineError`, `policy_revision`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from governance.engine.binary import OPA_VERSION, find_opa
from governance.engine.client import DEFINITIONS_PATH, META_PATH, OpaSession, client_for
from governance.engine.errors import EngineError
from governance.engine.server import managed_opa

__all__ = ["EngineError", "EngineResult", "Module", "evaluate", "policy_revision", "OPA_VERSION"]


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
    checks: list[dict]  # each: {meta, evaluated, violations}


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def policy_revision(modules: list[Module], definitions: dict) -> str:
    """sha256 over every Rego module (id and text) and the definitions, order-independent."""
    h = hashlib.sha256()
    for m in sorted(modules, key=lambda m: m.id):
        h.update(m.id.encode() + b"\0" + m.text.encode() + b"\0")
    h.update(canonical_json(definitions))
    return "sha256:" + h.hexdigest()


def evaluate(modules: list[Module], definitions: dict, input_doc: dict, *,
             opa_url: str | None = None, timeout: float = 120.0) -> EngineResult:
    """Load modules and definitions into OPA, ask the report query, return it checked.

    Without `opa_url` a private OPA is started and always stopped again.
    """
    revision = policy_revision(modules, definitions)
    if opa_url:
        return _run(OpaSession(client_for(opa_url, timeout), opa_url), modules, definitions, input_doc, revision)
    binary = find_opa()
    with managed_opa(binary) as opa:
        session = OpaSession(client_for(opa.url, timeout), opa.url, alive=opa.alive, died=opa.died_message)
        try:
            return _run(session, modules, definitions, input_doc, revision)
        finally:
            session.client.close_connection()


def _run(session: OpaSession, modules, definitions, input_doc, revision) -> EngineResult:
    session.put_data(DEFINITIONS_PATH, definitions)
    session.put_data(META_PATH, {"revision": revision})
    for module in modules:  # the library first: checks call its functions
        session.load_module(module.id, module.text)
    result = session.report(input_doc)
    if result.get("revision") != revision:
        raise EngineError(
            f"policy revision mismatch: OPA holds {result.get('revision')}, this run loaded {revision} "
            "(another client changed the server's policies or data during the run)"
        )
    version = result.get("opa_version")
    if not isinstance(version, str):
        raise EngineError("OPA did not report its version")
    return EngineResult(opa_version=version, revision=revision, checks=result["checks"])
