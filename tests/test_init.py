"""`govern init` starts a workspace from the handbook baseline that validates, and whose check
names only the first things to do: hold the committee's first meeting, diagnose maturity."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema

from governance import library
from governance.load import read_document
from governance.model.schema import schemas
from tests.conftest import check, govern


def test_init_creates_a_workspace_whose_only_findings_are_the_first_things_to_do(tmp_path, opa_binary):
    root = tmp_path / "ws"
    proc = govern("init", str(root), "--name", "Test Group")
    assert proc.returncode == 0, proc.stderr
    assert (root / "policies" / "budget.yaml").is_file() and (root / "inventory" / "people.yaml").is_file()
    assert govern("validate", str(root)).returncode == 0
    proc = check(root, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    result = json.loads(proc.stdout)
    assert result["workspace"] == "Test Group"
    # the baseline committee is complete and chaired by the CEO: what is left is to hold its first
    # meeting (GOV-008) and to diagnose maturity before planning (STR-006, handbook §1.1)
    committee = {c["id"]: c["status"] for c in result["checks"] if c["id"] in ("GOV-001", "GOV-002")}
    assert committee == {"GOV-001": "pass", "GOV-002": "pass"}
    assert sorted((f["check"], f["resource"]["kind"]) for f in result["findings"]) == [
        ("GOV-008", "committee"), ("STR-006", "portfolio")]


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


MODELINE = "# yaml-language-server: $schema="


def test_init_writes_the_schemas_and_points_every_file_it_creates_at_its_own(tmp_path):
    root = tmp_path / "ws"
    assert govern("init", str(root)).returncode == 0
    assert sorted(p.name for p in (root / "schemas").iterdir()) == sorted(schemas())
    created = sorted(root.rglob("*.yaml"))
    assert {p.relative_to(root).as_posix() for p in created} >= {"governance.yaml", "policies/budget.yaml",
                                                                   "inventory/people.yaml"}
    expected = {"governance.yaml": "manifest.json", "policies": "policy.json", "inventory": "inventory.json"}
    for path in created:
        rel = path.relative_to(root)
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE), rel
        schema_path = (path.parent / first.removeprefix(MODELINE)).resolve()
        assert schema_path == (root / "schemas" / expected[rel.parts[0]]).resolve(), rel
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        data = read_document(root, path).data
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        assert list(validator.iter_errors(_as_text(data))) == [], rel


def test_init_copies_the_baseline_as_it_is_below_the_modeline(tmp_path):
    root = tmp_path / "ws"
    assert govern("init", str(root)).returncode == 0
    budget = (root / "policies" / "budget.yaml").read_text(encoding="utf-8")
    assert budget == "# yaml-language-server: $schema=../schemas/policy.json\n" + \
        (library.baseline_dir() / "budget.yaml").read_text(encoding="utf-8")


def test_init_into_a_workspace_whose_schemas_cannot_be_written_is_a_usage_error(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "schemas").write_text("a file where the folder goes", encoding="utf-8")
    proc = govern("init", str(root))
    assert proc.returncode == 2
    assert "schemas (a file where a folder goes)" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.count("schemas (a file") == 1
    assert sorted(p.name for p in root.iterdir()) == ["schemas"]  # found before anything was written
    (root / "schemas").unlink()
    assert govern("init", str(root)).returncode == 0


def _as_text(value):
    """Dates as an editor's YAML server reads them: text."""
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def test_init_keeps_the_history_store_out_of_git(tmp_path):
    root = tmp_path / "ws"
    assert govern("init", str(root)).returncode == 0
    assert (root / ".gitignore").read_text(encoding="utf-8") == ".govern/\n"


def test_init_adds_the_history_store_to_an_existing_gitignore_once(tmp_path):
    fresh, named = tmp_path / "fresh", tmp_path / "named"
    fresh.mkdir()
    named.mkdir()
    (fresh / ".gitignore").write_text("*.pyc", encoding="utf-8")  # no newline at its end
    (named / ".gitignore").write_text("/.govern\n", encoding="utf-8")
    assert govern("init", str(fresh)).returncode == 0
    assert govern("init", str(named)).returncode == 0
    assert (fresh / ".gitignore").read_text(encoding="utf-8") == "*.pyc\n.govern/\n"
    assert (named / ".gitignore").read_text(encoding="utf-8") == "/.govern\n"


def test_init_refuses_a_gitignore_that_is_a_link(tmp_path):
    root, elsewhere = tmp_path / "ws", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.write_text("x\n", encoding="utf-8")
    (root / ".gitignore").symlink_to(elsewhere)
    proc = govern("init", str(root))
    assert proc.returncode == 2 and ".gitignore (a symbolic link)" in proc.stderr
    assert elsewhere.read_text(encoding="utf-8") == "x\n" and not (root / "governance.yaml").exists()
