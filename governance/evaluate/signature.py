"""Signed evidence: `govern check --signing-key` signs every evidence manifest it writes, and
`govern verify --verification-key` refuses evidence that the holder of that key did not sign.

What is signed (docs/audit.md): the manifest without its `signature` key, as canonical JSON (keys
sorted, no whitespace, UTF-8 as is: `canonical_json`). The pinned OPA signs those bytes as it signs
a bundle (engine/signing.py): the JWS payload lists one file, `evidence.canonical`, with their
SHA-256. The manifest carries the JWS in place, as its last key:
`"signature": {"alg": "ES256", "jws": "<header>.<payload>.<signature>"}`. Any key changed after
signing changes that SHA-256, and only the private key can sign another.

Signing runs after rendering (`govern check`); a manifest is signed whole, whatever keys it has.
A saved JSON result is vouched for by the `evidence.json` beside it that lists its sha256 among
its `reports`: the signature covers the manifest, and the manifest the result's bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.engine import SIGNED_FILE, SIGNING_ALGS, canonical_json, sign, verification_key, verified_payload
from governance.evaluate.saved import ResultFileError, read_json
from governance.result import BESIDE, EVIDENCE_KIND
from governance.text import one_line

SIGNATURE = "signature"


def signed_bytes(manifest: dict) -> bytes:
    """The bytes a signature covers: the manifest without its signature, as canonical JSON."""
    return canonical_json({k: v for k, v in manifest.items() if k != SIGNATURE})


def signed(manifest: dict, key: Path, alg: str) -> dict:
    """The manifest with its signature by `key` (a private key PEM) as its last key."""
    unsigned = {k: v for k, v in manifest.items() if k != SIGNATURE}
    return {**unsigned, SIGNATURE: {"alg": alg, "jws": sign(signed_bytes(unsigned), key, alg)}}


def can_sign(key: Path, alg: str) -> None:
    """`SigningKeyError` now, before a run, if `key` cannot sign with `alg` (rather than once it is over)."""
    sign(b"", key, alg)


# ---------------------------------------------------------------- verify

@dataclass(frozen=True)
class SignatureCheck:
    """What verify says about the signature: at most one of the three."""

    checked: str | None = None  # verified with the key: what was
    note: str | None = None  # signed, but no key was given to check it
    refused: str | None = None  # why the evidence is refused (with a key only)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _evidence_of(path: Path, data: Any) -> tuple[Path, dict] | str:
    """The evidence manifest that vouches for `path`: itself, or the evidence.json beside it listing
    its sha256 among its reports; else why there is none."""
    if isinstance(data, dict) and (data.get("kind") == EVIDENCE_KIND or SIGNATURE in data):  # a result is never signed
        return path, data
    beside, digest = path.parent / BESIDE, _sha256(path.read_bytes())
    if not beside.is_file():
        return f"{path} is a result with no {BESIDE} beside it, so nothing signed vouches for it"
    try:
        evidence = read_json(beside, "an evidence manifest")
    except ResultFileError as exc:
        return f"{exc} (the {BESIDE} beside {path.name})"
    reports = evidence.get("reports") if isinstance(evidence, dict) else None
    listed = {r.get("path"): r.get("sha256") for r in reports or [] if isinstance(r, dict)}
    if digest in listed.values():
        return beside, evidence
    if path.name in listed:
        return (f"{beside} lists {path.name} with sha256 {listed[path.name]}, the file's is {digest}: "
                "the result changed after the evidence was made")
    return f"{beside} does not list {path.name} (sha256 {digest}) among its reports, so nothing signed vouches for it"


def _shown(value: object) -> str:
    """A value from the file being checked, quoted, cut short and on one line: it may be anything."""
    text = f"'{one_line(value)}'" if isinstance(value, str) else one_line(repr(value))
    return text if len(text) <= 40 else text[:37] + "..."


def _part(segment: str) -> bytes:
    return base64.b64decode(segment + "=" * (-len(segment) % 4), altchars=b"-_", validate=True)


def _jws_parts(token: str) -> tuple[dict, dict] | None:
    """The header and payload of a compact JWS whose three parts all decode, else None."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        return None
    try:
        header, payload = json.loads(_part(parts[0])), json.loads(_part(parts[1]))
        _part(parts[2])
    except (binascii.Error, ValueError):
        return None
    return (header, payload) if isinstance(header, dict) and isinstance(payload, dict) else None


def _refusal(evidence: dict, where: Path, public_key: str, key: Path) -> str | None:
    """Why `evidence` is not signed by `public_key`, or None if it is."""
    sig = evidence.get(SIGNATURE)
    if sig is None:
        return f"{where} is not signed"
    if not (isinstance(sig, dict) and isinstance(sig.get("alg"), str) and isinstance(sig.get("jws"), str)):
        return f"{where}: its signature is not an object with a string alg and jws"
    alg, token = sig["alg"], sig["jws"]
    if alg not in SIGNING_ALGS:
        return (f"{where}: signed with {_shown(alg)}; only {', '.join(SIGNING_ALGS)} are accepted "
                "(never none, never a shared secret)")
    parts = _jws_parts(token)
    if parts is None:
        return f"{where}: its signature's jws is not a compact JWS (three base64url parts)"
    if parts[0].get("alg") != alg:
        return f"{where}: algorithm mismatch: the manifest says {alg}, the JWS header {_shown(parts[0].get('alg'))}"
    payload = verified_payload(token, public_key, alg)
    if payload is None:
        return (f"{where}: the signature does not verify with --verification-key {key}: it was made by another key, "
                "or altered")
    files = payload.get("files")
    entry = files[0] if isinstance(files, list) and len(files) == 1 and isinstance(files[0], dict) else {}
    if entry.get("name") != SIGNED_FILE or entry.get("algorithm") != "SHA-256" or not isinstance(entry.get("hash"), str):
        return f"{where}: the signed payload is not a govern evidence signature"
    now = _sha256(signed_bytes(evidence))
    if entry["hash"] != now:
        return f"{where}: the manifest changed after it was signed (signed sha256 {entry['hash']}, now {now})"
    return None


def _duplicated(path: Path) -> str | None:
    """A key that appears twice in one object of the file, if any: the signature covers the value Python
    keeps (the last), while another reader may show the first."""
    twice: list[str] = []

    def unique(pairs: list[tuple[str, Any]]) -> dict:
        counted = Counter(k for k, _ in pairs)
        twice.extend(k for k, n in counted.items() if n > 1)
        return dict(pairs)

    json.loads(path.read_bytes().decode("utf-8-sig"), object_pairs_hook=unique)  # read once already: it parses
    return twice[0] if twice else None


def check_signature(path: Path, key: Path | None) -> SignatureCheck:
    """Is the evidence for `path` (a result or an evidence manifest) signed by `key` (a public key PEM)?
    Without `key`, only whether it is signed. `ResultFileError` if `path` cannot be read (exit 2),
    `VerificationKeyError` if `key` is not a public key (exit 2)."""
    public_key = verification_key(key) if key is not None else None
    if path.exists() and not path.is_file():  # a pipe can be read once, by the verification itself
        unreadable = f"{path} is not a regular file: its signature cannot be checked"
        return SignatureCheck(refused=unreadable) if key else SignatureCheck()
    found = _evidence_of(path, read_json(path, "a govern result or evidence manifest"))
    if isinstance(found, str):
        return SignatureCheck(refused=found) if key else SignatureCheck()
    where, evidence = found
    if key is None or public_key is None:
        sig = evidence.get(SIGNATURE)
        if sig is None:
            return SignatureCheck()
        alg = sig.get("alg") if isinstance(sig, dict) else None
        alg = alg if alg in SIGNING_ALGS else _shown(alg)
        return SignatureCheck(note=f"{where} is signed ({alg}); the signature was not checked (give --verification-key)")
    twice = _duplicated(where)
    refused = (f"{where}: the key {_shown(twice)} appears twice in one object: readers differ on which value counts"
               if twice else _refusal(evidence, where, public_key, key))
    if refused:
        return SignatureCheck(refused=refused)
    return SignatureCheck(checked=f"{where} is signed {evidence[SIGNATURE]['alg']} by the key of --verification-key {key}")
