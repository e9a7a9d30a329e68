"""`govern init` starts a workspace from the handbook baseline that validates and checks clean."""

from __future__ import annotations

import json

from tests.conftest import check, govern


def test_init_creates_a_workspace_that_checks_clean(tmp_path, opa_binary):
    root = tmp_path / "ws"
    proc = govern("init", str(root), "--name", "Test Group")
    assert proc.returncode == 0, proc.stderr
    assert (root / "policies" / "budget.yaml").is_file() and (root / "inventory" / "people.yaml").is_file()
    assert govern("validate", str(root)).returncode == 0
    proc = check(root, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    result = json.loads(proc.stdout)
    assert result["workspace"] == "Test Group"
    # the baseline committee is complete and chaired by the CEO; only the
    # "no meeting yet" reminder (GOV-008, low) and the matrix review are due
    committee = {c["id"]: c["status"] for c in result["checks"] if c["id"] in ("GOV-001", "GOV-002")}
    assert committee == {"GOV-001": "pass", "GOV-002": "pass"}


def test_init_refuses_to_overwrite(tmp_path):
    root = tmp_path / "ws"
    assert govern("init", str(root)).returncode == 0
    again = govern("init", str(root))
    assert again.returncode == 2 and "not overwriting" in again.stderr


def test_policy_location_skips_leading_comments(tmp_path, opa_binary):
    root = tmp_path / "ws"
    assert govern("init", str(root)).returncode == 0
    result = json.loads(check(root, "--format", "json").stdout)
    [gov8] = [f for f in result["findings"] if f["check"] == "GOV-008"]
    lines = (root / gov8["location"]["file"]).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    assert lines[gov8["location"]["line"] - 1].startswith("kind: Committee")
