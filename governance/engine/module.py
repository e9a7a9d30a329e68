"""A Rego module as govern loads it into OPA, and the policy's revision: what every engine step is given."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from governance.vocabulary import vocabulary


@dataclass(frozen=True)
class Module:
    """A Rego module as loaded into OPA: `id` is its policy id there."""

    id: str
    path: Path
    text: str


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
