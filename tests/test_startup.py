"""Start-up: `govern check` does not import what it never uses (issue 11: acme in ≤ 1 s)."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return proc.stdout.strip()


def test_the_engine_does_not_import_the_async_opa_client():
    assert _run("import sys, governance.cli, governance.engine; print(sorted({'aiohttp', 'asyncio'} & set(sys.modules)))") == "[]"


def test_the_rest_of_opa_client_is_there_for_whoever_asks():
    code = ("import sys, governance.engine.client as ours\n"
            "from opa_client import AsyncOpaClient, OpaClient, create_opa_client\n"
            "print(OpaClient is ours.OpaClient, AsyncOpaClient.__name__, 'aiohttp' in sys.modules)")
    assert _run(code) == "True AsyncOpaClient True"
