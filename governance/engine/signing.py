"""Signatures made and checked by the pinned OPA: one implementation of keys and JWS for everything govern signs.

A bundle is signed by `opa build --signing-key` (bundle.py), an evidence
manifest by `opa sign --signing-key`: the same OPA code, the same key files
and algorithms, the same `.signatures.json` JWS (a JWT whose `files` claim
lists each signed file with its SHA-256). A signature is checked by OPA's
`io.jwt.decode_verify`, with the algorithm fixed by the caller.

Keys stay secret: a private key is handed to OPA by path (never on a command
line or in an environment), and no message quotes a key file. Each key file
is looked at first, so the usual mistakes (a public key, an encrypted key,
not PEM) are named in govern's own words rather than OPA's.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path

from governance.engine.compile import TIMEOUT
from governance.engine.errors import EngineError

# asymmetric only: an HMAC secret would have to be given to `opa build` on its command line, where
# every local process can read it, and every OPA that verifies would hold the key that signs
SIGNING_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
DEFAULT_SIGNING_ALG = "RS256"  # `opa build`'s own default
MAX_KEY_BYTES = 64 << 10  # an RSA-16384 private key is ~13 KB of PEM; more is not a key file
SIGNED_FILE = "evidence.canonical"  # the one file an evidence signature lists (no .json: OPA hashes its bytes as they are)

_PEM_LABEL = re.compile(rb"-----BEGIN ([A-Z0-9 ]{1,40})-----")
_PRIVATE = {"PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"}
_PUBLIC = {"PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE"}


class SigningKeyError(EngineError):
    """The key given cannot sign with the algorithm given (not a private key, or not one for the algorithm)."""


class VerificationKeyError(EngineError):
    """The key given to check a signature is not a public key OPA can use."""


def _pem_labels(path: Path) -> tuple[bytes, list[str]]:
    """The file's bytes (at most MAX_KEY_BYTES + 1) and the label of each PEM block in it."""
    try:
        with open(path, "rb") as f:  # bounded: /dev/zero is not read until memory runs out
            data = f.read(MAX_KEY_BYTES + 1)
    except OSError as exc:
        raise SigningKeyError(f"cannot be read: {exc.strerror or type(exc).__name__}") from None
    labels = [m.decode() for m in _PEM_LABEL.findall(data) if m != b"EC PARAMETERS"]
    return data, labels


def _shape_problem(data: bytes, labels: list[str], *, private: bool) -> str | None:
    if len(data) > MAX_KEY_BYTES:
        return f"is larger than {MAX_KEY_BYTES // 1024} KiB: not a key file"
    if not labels:
        return "is not a PEM key file (no -----BEGIN ...----- line)"
    if any("ENCRYPTED" in label for label in labels) or b"Proc-Type: 4,ENCRYPTED" in data:
        return ("is an encrypted private key: govern asks for no passphrase; give it decrypted "
                "(`openssl pkey -in KEY.pem -out PLAIN.pem`), kept where only the signer can read it")
    if private and labels[0] in _PUBLIC:
        return "holds a public key or certificate: signing needs the private key"
    if not private and labels[0] in _PRIVATE:
        return "holds a private key: checking a signature needs only the public key (`openssl pkey -in KEY.pem -pubout`)"
    if labels[0] not in (_PRIVATE if private else _PUBLIC):
        return f"holds a PEM {labels[0]}, not a {'private' if private else 'public'} key"
    return None


def _withheld(said: str, key: bytes) -> str:
    """OPA's message, unless it quotes any line of the key file (it does not today; a later OPA might)."""
    lines = [line.strip() for line in key.splitlines() if len(line.strip()) >= 12]
    encoded = said.encode(errors="replace")
    return "(OPA's message withheld: it quoted the key file)" if any(line in encoded for line in lines) else said


def run_opa(cmd: list[str], cwd: Path, what: str, *, error: type[EngineError] = EngineError,
            stdin: bytes | None = None, key: bytes = b"") -> bytes:
    """Run one OPA command in `cwd` with no environment (nothing of the runner's reaches OPA); its stdout.
    A failure is `error` with OPA's words (without any line of `key`)."""
    try:
        done = subprocess.run(cmd, cwd=cwd, env={}, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                              capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise EngineError(f"{what} did not finish within {TIMEOUT:.0f}s") from None
    except OSError as exc:
        raise EngineError(f"could not run {cmd[0]}: {exc}") from None
    if done.returncode == 0:
        return done.stdout
    said = (done.stderr or done.stdout).decode(errors="replace").strip().removeprefix("error: ")[:500]
    raise error(f"{what} failed: {_withheld(said, key) or f'exit status {done.returncode}'}")


def signing_key(path: Path, alg: str) -> bytes:
    """The key file's bytes if it looks like a private key for signing; `SigningKeyError` saying why not."""
    if alg not in SIGNING_ALGS:
        raise SigningKeyError(f"signing algorithm {alg} is not one of {', '.join(SIGNING_ALGS)}")
    data, labels = _pem_labels(path)
    problem = _shape_problem(data, labels, private=True)
    if problem:
        raise SigningKeyError(problem)
    return data


def sign(binary: str, content: bytes, key: Path, alg: str) -> str:
    """A compact JWS, made by `opa sign`, whose payload lists SIGNED_FILE with the SHA-256 of `content`."""
    data = signing_key(key, alg)
    with tempfile.TemporaryDirectory(prefix="govern-sign-") as tmp:
        signed, out = Path(tmp) / "signed", Path(tmp) / "out"
        signed.mkdir()
        out.mkdir()
        (signed / SIGNED_FILE).write_bytes(content)
        run_opa([binary, "sign", "--bundle", ".", "--signing-key", str(key.resolve()), "--signing-alg", alg,
                 "--output-file-path", str(out)], signed, "opa sign", error=SigningKeyError, key=data)
        try:
            token = json.loads((out / ".signatures.json").read_bytes())["signatures"][0]
        except (OSError, ValueError, LookupError, TypeError):
            raise EngineError("opa sign wrote no signature") from None
    if not isinstance(token, str):
        raise EngineError("opa sign wrote no signature")
    return token


def verification_key(path: Path) -> str:
    """The text of a public key (or certificate) file; `VerificationKeyError` saying why it is not one."""
    try:
        data, labels = _pem_labels(path)
    except SigningKeyError as exc:
        raise VerificationKeyError(str(exc)) from None
    problem = _shape_problem(data, labels, private=False)
    if problem:
        raise VerificationKeyError(problem)
    return data.decode("ascii", errors="replace")


_DECODE_VERIFY = 'io.jwt.decode_verify(input.jws, {"cert": input.cert, "alg": input.alg})'


def verified_payload(binary: str, token: str, public_key: str, alg: str) -> dict | None:
    """The payload of `token` if OPA finds it signed with `alg` by the key `public_key` (PEM), else None.
    `VerificationKeyError` if OPA cannot use the key at all."""
    stdin = json.dumps({"jws": token, "cert": public_key, "alg": alg}).encode()
    out = run_opa([binary, "eval", "--stdin-input", "--format", "json", _DECODE_VERIFY], Path(tempfile.gettempdir()),
                  "opa eval (io.jwt.decode_verify)", stdin=stdin)
    try:
        answer = json.loads(out)["result"][0]["expressions"][0]["value"]
    except (ValueError, LookupError, TypeError):  # undefined: the builtin failed, on the key (the token was checked first)
        raise VerificationKeyError("OPA cannot use it as a public key for " + alg) from None
    if not (isinstance(answer, list) and len(answer) == 3 and isinstance(answer[0], bool)):
        raise EngineError("opa eval answered io.jwt.decode_verify with an unexpected shape")
    return answer[2] if answer[0] and isinstance(answer[2], dict) else None
