"""The engine's steps besides the evaluation, each on the pinned OPA binary (`binary.find_opa`)."""

from __future__ import annotations

from pathlib import Path

from governance.engine import bundle as bundle_
from governance.engine import compile as compile_
from governance.engine import signing as signing_
from governance.engine.binary import find_opa
from governance.engine.compile import Ahead, DataRef, Inspection
from governance.engine.module import Module, policy_revision
from governance.engine.signing import DEFAULT_SIGNING_ALG


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
