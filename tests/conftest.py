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
    return subprocess.run([sys.executable, "-m", "governance.cli", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=REPO)
