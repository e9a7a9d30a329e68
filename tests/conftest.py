"""Shared fixtures. Tests that need OPA use the real pinned binary and fail
loudly when it is missing: they never skip (DEVELOPERS.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from governance.engine.binary import find_opa
from governance.engine.errors import EngineError

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "acme"
AS_OF = "2026-11-25"
# The official SARIF and OSCAL schemas, vendored with their provenance
# (tests/schemas/PROVENANCE.md); reports are validated against them.
SCHEMAS = REPO / "tests" / "schemas"


@pytest.fixture(scope="session")
def opa_binary() -> str:
    try:
        return find_opa()
    except EngineError as exc:
        pytest.fail(f"real OPA is required for this test and was not found: {exc}", pytrace=False)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of examples/acme that a test may edit."""
    target = tmp_path / "acme"
    shutil.copytree(EXAMPLE, target)
    return target


def govern(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real `govern` CLI in a subprocess, as a user or CI would."""
    return subprocess.run([sys.executable, "-m", "governance", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=REPO)


MINIMAL_POLICIES = {
    # what makes a folder a workspace; no keys, so every default applies
    "governance.yaml": "# test workspace\n",
    "policies/committee.yaml": """\
kind: Committee
id: board
chair: p-ceo
required_roles: [CEO, HEAD_TECHNOLOGY]
members:
  - {person: p-ceo, role: CEO}
  - {person: p-cto, role: HEAD_TECHNOLOGY}
""",
    "inventory/people.yaml": """\
people:
  - {id: p-ceo, name: 王伟, roles: [CEO]}
  - {id: p-cto, name: 李娜, roles: [HEAD_TECHNOLOGY]}
""",
}


def make_workspace(root: Path, files: dict[str, str], base: dict[str, str] | None = MINIMAL_POLICIES) -> Path:
    """Write a small workspace: `base` files, overridden and extended by `files`."""
    for rel, text in {**(base or {}), **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
