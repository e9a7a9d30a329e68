"""The evidence manifest and `govern verify`, on real runs of `govern check` (in process, on the shared OPA)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from governance import library
from tests import conftest
from tests.conftest import AS_OF, EXAMPLE, Ran, govern

CUSTOM_CHECK = """\
package govern.checks.audit_owner

import data.govern.lib

# METADATA
# title: Every system names an owner
# description: Fires for each system without an owner. Evaluates every system.
# custom:
#   id: AUDIT-001
#   severity: low
#   waivable: true
#   resource: system
AUDIT_001 := lib.check(rego.metadata.rule(), lib.systems, {v |
	some id, s in lib.systems
	not s.owner
	v := lib.violation("system", id, sprintf("system %s names no owner", [id]))
})
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(workspace: Path, *formats: str) -> Ran:
    args: list[str] = []
    for f in formats:
        args += ["--format", f]
    proc = conftest.check(workspace, *args)
    assert proc.returncode in (0, 1), proc.stderr
    return proc


def verify(*args: str, cwd: Path = conftest.REPO) -> Ran:
    return govern("verify", *args, cwd=cwd)


@pytest.fixture(scope="module")
def checked_once(tmp_path_factory, opa_binary) -> Path:
    """The example with a workspace Rego check of its own, checked once: result in out/."""
    example = tmp_path_factory.mktemp("audited") / "acme"
    shutil.copytree(EXAMPLE, example)
    (example / "checks").mkdir(exist_ok=True)
    (example / "checks" / "audit_owner.rego").write_text(CUSTOM_CHECK, encoding="utf-8")
    manifest = example / "governance.yaml"
    text = manifest.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^checks:.*$", "checks: [checks]", text)
    manifest.write_text(text if n else text + "checks: [checks]\n", encoding="utf-8")
    check(example, f"json={example / 'out' / 'result.json'}", f"table={example / 'out' / 'table.txt'}")
    return example


@pytest.fixture
def audited(checked_once: Path, tmp_path: Path) -> Path:
    """A private copy of the checked workspace, its result inside: every recorded path is relative."""
    target = tmp_path / "acme"
    shutil.copytree(checked_once, target)
    return target


def result_of(ws: Path) -> dict:
    return json.loads((ws / "out" / "result.json").read_text(encoding="utf-8"))


def flip_last_byte(path: Path) -> None:
    """A one-byte change that keeps the file loadable: the final newline becomes a space."""
    raw = path.read_bytes()
    assert raw.endswith(b"\n"), path
    path.write_bytes(raw[:-1] + b" ")


# ---------------------------------------------------------------- the manifest

def test_result_lists_every_input_file_with_its_sha256(audited):
    result = result_of(audited)
    listed = {f["path"]: f["sha256"] for f in result["inputs"]}
    on_disk = {"governance.yaml"} | {
        p.relative_to(audited).as_posix()
        for folder in ("policies", "controls", "inventory", "waivers", "checks")
        for p in (audited / folder).rglob("*")
        if p.suffix in {".yaml", ".yml", ".json", ".csv", ".rego"} and not p.name.endswith("_test.rego")
    }
    assert set(listed) == on_disk
    assert "checks/audit_owner.rego" in listed
    for rel, digest in listed.items():
        assert digest == sha256(audited / rel), rel


def test_result_records_each_library_module_that_ran(audited):
    result = result_of(audited)
    root = library.library_root()
    recorded = {f["path"]: f["sha256"] for f in result["library"]}
    assert {p.relative_to(root).as_posix() for p in library.rego_modules()} <= set(recorded)
    for rel, digest in recorded.items():
        assert digest == sha256(root / rel), rel


def test_evidence_json_is_written_beside_reports_in_each_folder(example, opa_binary, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    check(example, f"json={a / 'result.json'}", f"table={a / 'table.txt'}", f"json={b / 'copy.json'}")
    result = json.loads((a / "result.json").read_text(encoding="utf-8"))
    for folder, names in ((a, ["result.json", "table.txt"]), (b, ["copy.json"])):
        manifest = json.loads((folder / "evidence.json").read_text(encoding="utf-8"))
        assert manifest["kind"] == "govern-evidence"
        assert manifest["reports"] == [{"path": n, "sha256": sha256(folder / n)} for n in names]
        for key in ("as_of", "tool", "engine", "inputs", "library", "workspace"):
            assert manifest[key] == result[key], key
        assert manifest["as_of"] == AS_OF
        assert manifest["engine"]["opa_version"] and manifest["engine"]["policy_revision"].startswith("sha256:")
        assert manifest["tool"]["version"]
        run = manifest["run"]
        assert run["started_at"].endswith("Z") and run["finished_at"].endswith("Z")
        assert run["started_at"] <= run["finished_at"]
        assert manifest["outcome"]["fail"] == result["summary"]["fail"]


def test_no_evidence_file_when_reports_go_to_stdout_only(example, opa_binary):
    proc = check(example, "json")
    assert json.loads(proc.stdout)["inputs"]
    assert not list(example.rglob("evidence.json"))


def test_evidence_format_prints_the_manifest(example, opa_binary):
    manifest = json.loads(check(example, "evidence").stdout)
    assert manifest["kind"] == "govern-evidence" and "reports" not in manifest
    assert {f["path"] for f in manifest["inputs"]} >= {"governance.yaml"}


# ---------------------------------------------------------------- verify

def test_untouched_workspace_verifies(audited):
    for doc in ("result.json", "evidence.json"):
        proc = verify(str(audited / "out" / doc), str(audited))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "verify: OK" in proc.stdout


def test_workspace_defaults_to_the_current_directory(audited):
    here = verify("out/result.json", cwd=audited)
    assert here.returncode == 0 and here.stdout.startswith("verify: OK"), here.stdout + here.stderr
    # from the folder above, the current directory is not the workspace: its recorded inputs are not there
    above = verify(str(audited / "out" / "result.json"), cwd=audited.parent)
    assert above.returncode == 1 and "verify: OK" not in above.stdout
    assert "missing input: governance.yaml" in above.stdout.splitlines()
    # why it no longer loads follows the missing inputs, which acme's many inputs can push past the lines shown
    assert "this folder is not a govern workspace" in above.stdout or "more difference(s)" in above.stdout


@pytest.mark.parametrize("rel", ["inventory/systems.yaml", "policies/committee.yaml", "checks/audit_owner.rego"])
def test_one_byte_change_is_caught_and_named(audited, rel):
    flip_last_byte(audited / rel)
    proc = verify(str(audited / "out" / "result.json"), str(audited))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    changed = [line for line in proc.stdout.splitlines() if line.startswith("changed input:")]
    assert len(changed) == 1 and rel in changed[0]


def test_changed_rego_check_changes_the_policy_revision(audited):
    flip_last_byte(audited / "checks" / "audit_owner.rego")
    proc = verify(str(audited / "out" / "result.json"), str(audited))
    assert re.search(r"^policy revision: recorded sha256:\w+, recomputed sha256:\w+$", proc.stdout, re.M), proc.stdout


def test_changed_policy_value_changes_the_policy_revision(audited):
    path = audited / "policies" / "committee.yaml"
    text = path.read_text(encoding="utf-8")
    changed, n = re.subn(r"(max_meeting_gap_days:\s*)(\d+)", lambda m: m.group(1) + str(int(m.group(2)) + 1), text)
    assert n == 1, "the example committee sets max_meeting_gap_days"
    path.write_text(changed, encoding="utf-8")
    proc = verify(str(audited / "out" / "result.json"), str(audited))
    assert proc.returncode == 1
    assert "changed input: policies/committee.yaml" in proc.stdout
    assert "policy revision: recorded" in proc.stdout


def test_missing_and_new_inputs_are_named(audited):
    victim = sorted((audited / "inventory").glob("*.yaml"))[-1]
    victim.rename(audited / "elsewhere.yaml")
    (audited / "waivers" / "more.yaml").write_text("waivers: []\n", encoding="utf-8")
    proc = verify(str(audited / "out" / "result.json"), str(audited))
    assert proc.returncode == 1
    assert f"missing input: inventory/{victim.name}" in proc.stdout
    assert "new input: waivers/more.yaml" in proc.stdout
    assert "elsewhere.yaml" not in proc.stdout  # outside every input folder


def test_new_input_named_even_when_the_workspace_no_longer_loads(audited):
    (audited / "policies" / "broken.yaml").write_text("not: a definition\n", encoding="utf-8")
    proc = verify(str(audited / "out" / "result.json"), str(audited))
    assert proc.returncode == 1
    assert "new input: policies/broken.yaml" in proc.stdout
    assert "workspace no longer loads: policies/broken.yaml:1:1" in proc.stdout
    assert "policy revision: cannot be recomputed" in proc.stdout


def test_tampered_record_is_caught(audited):
    """A result whose library or revision entries do not match what is installed fails."""
    path = audited / "out" / "result.json"
    result = result_of(audited)
    module = result["library"][0]["path"]
    result["library"][0]["sha256"] = "0" * 64
    result["engine"]["policy_revision"] = "sha256:" + "0" * 64
    path.write_text(json.dumps(result), encoding="utf-8")
    proc = verify(str(path), str(audited))
    assert proc.returncode == 1
    assert f"changed library module: {module}" in proc.stdout
    assert "policy revision: recorded sha256:000" in proc.stdout


def test_changed_report_beside_the_manifest_is_named(audited):
    table = audited / "out" / "table.txt"
    table.write_text(table.read_text(encoding="utf-8") + "forged\n", encoding="utf-8")
    proc = verify(str(audited / "out" / "evidence.json"), str(audited))
    assert proc.returncode == 1
    assert "changed report: table.txt" in proc.stdout


@pytest.mark.parametrize("content, needle", [
    ("{\n  \"inputs\": [\n", ":3:1: JSON syntax error"),
    ("{}", "not a govern result or evidence manifest"),
    ("[1, 2]", "not a govern result or evidence manifest"),
    (None, "cannot read"),
])
def test_bad_result_exits_2(tmp_path, content, needle):
    path = tmp_path / "result.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    proc = verify(str(path), str(tmp_path))
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr
