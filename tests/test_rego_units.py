"""The Rego library's own unit tests, run through real `opa test`."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import REPO


def _opa_test(opa: str, *extra: str) -> dict:
    proc = subprocess.run([opa, "test", "checks/", "--format", "json", *extra], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.stdout, f"opa test printed nothing: {proc.stderr}"
    return {"rc": proc.returncode, "out": json.loads(proc.stdout), "err": proc.stderr}


def test_every_rego_unit_test_passes(opa_binary):
    run = _opa_test(opa_binary)
    results = run["out"]
    failed = [f"{r['package']}.{r['name']}: {r.get('fail') and 'FAIL' or r.get('error')}" for r in results if r.get("fail") or r.get("error")]
    assert not failed, "\n".join(failed)
    assert run["rc"] == 0, run["err"]
    assert len(results) >= 5
