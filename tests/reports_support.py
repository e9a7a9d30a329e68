"""Helpers for the report tests.

Renderer tests read a golden result (tests/golden: real `govern check` runs, kept
fresh by tests/test_golden.py) and need no OPA; tests about the whole pipeline
run `govern check` on a copy of examples/acme. Either way the example's findings
change as checks evolve, so tests derive what they expect from the JSON result
they render instead of hard-coding it.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests import golden
from tests.conftest import check


def run_json(workspace: Path, *args: str, name: str = "result.json") -> tuple[dict, Path]:
    """Run `govern check` (shared OPA) with a JSON report (plus any other `--format` in args); return it and its path."""
    out = workspace.parent / name
    proc = check(workspace, "--format", f"json={out}", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(out.read_text(encoding="utf-8")), out


def saved(name: str, folder: Path) -> Path:
    """The golden result `name` as a saved file in `folder`, for `govern report` or `--baseline`."""
    target = folder / f"{name}.json"
    target.write_bytes(golden.path(name).read_bytes())
    return target


def add_valid_waiver(workspace: Path, waiver_id: str = "wv-test-001",
                     justification: str = "供应商合同续签前的临时例外 (temporary until the vendor contract renews)") -> dict:
    """Waive the first failing finding of a waivable check with a waiver valid at AS_OF; return that finding."""
    result, _ = run_json(workspace)
    failing = golden.waivable_failures(result)
    assert failing, "examples/acme has no failing finding of a waivable check to waive"
    (workspace / "waivers" / f"{waiver_id}.yaml").write_text(
        "waivers:\n" + golden.waiver_yaml(waiver_id, failing[0], justification, "p-cto"), encoding="utf-8")
    return failing[0]
