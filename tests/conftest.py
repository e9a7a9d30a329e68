"""Shared fixtures. Tests that need OPA use the real pinned binary and fail
loudly when it is missing: they never skip (DEVELOPERS.md)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
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


def wait_listening(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        time.sleep(0.05)
    pytest.fail(f"nothing listens on 127.0.0.1:{port}")


@contextlib.contextmanager
def opa_server(binary: str, *flags: str, scheme: str = "http"):
    """A plain `opa run --server` of our own on a free loopback port (no environment), as a
    user's --opa-url would be; yields its URL and stops it afterwards."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([binary, "run", "--server", "--addr", f"127.0.0.1:{port}", "--disable-telemetry",
                               "--log-level", "error", *flags], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={})
    try:
        wait_listening(port)
        yield f"{scheme}://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def running_opa(opa_binary):
    with opa_server(opa_binary) as url:
        yield url


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
