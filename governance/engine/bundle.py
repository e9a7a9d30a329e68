"""An OPA bundle of a policy, built (and signed) by the pinned `opa build`.

`opa build` is the reference implementation of the bundle format (.manifest,
data.json, .signatures.json), so what it writes any OPA or bundle server
takes as is. The bundle holds what a managed run loads, where that run puts
it: every module at its module id (govern/checks/…, workspace/…), the
definitions at data.govern.definitions, the product's vocabulary at
data.govern.vocabulary and the policy revision at data.govern.meta. Its manifest carries the same revision and owns the
`govern` root, so an OPA serving it refuses every client's writes there.

`opa build` writes its entries in a fixed order with mtime 0 and uid/gid 0,
so one policy gives one tarball, byte for byte; an RS* signature (PKCS#1
v1.5) is deterministic too, while PS* and ES* signatures are randomised by
their algorithms (the signed content stays the same).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from governance.engine import signing as signing_
from governance.engine.capabilities import restricted
from governance.engine.client import DATA_ROOT
from governance.engine.compile import _stage
from governance.engine.errors import EngineError
from governance.engine.module import Module
from governance.engine.signing import DEFAULT_SIGNING_ALG, SigningKeyError, run_opa
from governance.vocabulary import vocabulary

ROOT = DATA_ROOT  # the one root the bundle owns: every module's package and all of its data are under it


def build(binary: str, modules: list[Module], definitions: dict, revision: str, *,
          signing_key: Path | None = None, signing_alg: str = DEFAULT_SIGNING_ALG) -> bytes:
    """The bundle's bytes (a .tar.gz); `SigningKeyError` if `signing_key` cannot sign with `signing_alg`."""
    # a key that cannot sign is named before OPA runs, in govern's words
    key = b"" if signing_key is None else signing_.signing_key(signing_key, signing_alg)
    with tempfile.TemporaryDirectory(prefix="govern-bundle-") as tmp:
        root = Path(tmp) / "bundle"
        _layout(root, modules, definitions, revision)
        caps = Path(tmp) / "capabilities.json"
        caps.write_text(json.dumps(restricted(binary)), encoding="utf-8")
        output = Path(tmp) / "bundle.tar.gz"
        # the same builtin allow-list as `opa check` (compile.py): the bundle's own build refuses what a run refuses
        cmd = [binary, "build", "--bundle", ".", "--output", str(output), "--revision", revision,
               "--capabilities", str(caps)]
        if signing_key is not None:
            cmd += ["--signing-key", str(signing_key.resolve()), "--signing-alg", signing_alg]
        # the policy compiled under `opa check` before this build: when signing, what fails is the key
        run_opa(cmd, root, "opa build", error=SigningKeyError if signing_key is not None else EngineError, key=key)
        return output.read_bytes()


def _layout(root: Path, modules: list[Module], definitions: dict, revision: str) -> None:
    """The bundle's folder: modules at their ids, data where a managed run puts it, and the manifest."""
    for module in modules:
        _stage(root, module.id, module.text)
    _json(root / ROOT / "definitions" / "data.json", definitions)
    _json(root / ROOT / "vocabulary" / "data.json", vocabulary())
    _json(root / ROOT / "meta" / "data.json", {"revision": revision})
    _json(root / ".manifest", {"revision": revision, "roots": [ROOT]})


def _json(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, sort_keys=True, ensure_ascii=False), encoding="utf-8")
