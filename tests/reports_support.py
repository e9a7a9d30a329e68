"""Helpers for the report tests: real `govern check` runs on a copy of examples/acme.

The example's findings change as checks evolve, so tests derive what they
expect from the JSON result of the same run instead of hard-coding it.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import AS_OF, govern


def check(workspace: Path, *args: str):
    return govern("check", str(workspace), "--as-of", AS_OF, *args)


def run_json(workspace: Path, *args: str, name: str = "result.json") -> tuple[dict, Path]:
    """Run `govern check` with a JSON report (plus any other `--format` in args); return it and its path."""
    out = workspace.parent / name
    proc = check(workspace, "--format", f"json={out}", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(out.read_text(encoding="utf-8")), out


def add_valid_waiver(workspace: Path, waiver_id: str = "wv-test-001",
                     justification: str = "供应商合同续签前的临时例外 (temporary until the vendor contract renews)") -> dict:
    """Waive the first failing finding of a waivable check with a waiver valid at AS_OF; return that finding."""
    result, _ = run_json(workspace)
    waivable = {c["id"] for c in result["checks"] if c["waivable"]}
    target = next((f for f in result["findings"] if f["status"] == "fail" and f["check"] in waivable), None)
    assert target is not None, "examples/acme has no failing finding of a waivable check to waive"
    (workspace / "waivers" / f"{waiver_id}.yaml").write_text(
        "waivers:\n"
        f"  - id: {waiver_id}\n"
        f"    check: {target['check']}\n"
        f"    resource: {{kind: {target['resource']['kind']}, id: {target['resource']['id']}}}\n"
        f"    justification: {justification}\n"
        "    requested_by: p-cto\n"
        "    approved_by: p-ceo\n"
        "    approved_at: 2026-11-01\n"
        "    expires: 2026-12-31\n",
        encoding="utf-8")
    return target
