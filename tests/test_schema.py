"""`govern schema`: JSON Schemas of the workspace files, generated from the models.

They accept every file govern accepts in examples/acme and the built-in library
(as YAML and as JSON), reject unknown fields and wrong kinds, and a `$schema`
key at the top of a file is accepted by the schemas and by govern alike."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from governance import library
from governance.load import read_document
from governance.model import load_workspace
from governance.model.schema import render, schemas
from tests.conftest import EXAMPLE, govern, make_workspace

NAMES = ["manifest.json", "policy.json", "inventory.json", "waivers.json", "controls.json"]
SCHEMAS = schemas()
FOLDER_SCHEMA = {"policies": "policy.json", "inventory": "inventory.json", "waivers": "waivers.json", "controls": "controls.json"}


def plain(value: Any) -> Any:
    """A loaded tree as an editor's YAML server sees it: dates are text."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def problems(name: str, data: Any) -> list[str]:
    """Every complaint of the schema, including those inside `oneOf`/`anyOf` branches."""
    validator = jsonschema.Draft202012Validator(SCHEMAS[name], format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    found: list[str] = []
    pending = list(validator.iter_errors(plain(data)))
    while pending:
        error = pending.pop()
        found.append(f"{'/'.join(map(str, error.absolute_path))}: {error.message}")
        pending += error.context or []
    return found


def schema_of(root: Path, path: Path) -> str:
    rel = path.relative_to(root)
    return "manifest.json" if rel.as_posix() == "governance.yaml" else FOLDER_SCHEMA[rel.parts[0]]


EXAMPLE_FILES = sorted(p for p in EXAMPLE.rglob("*") if p.suffix in {".yaml", ".yml", ".json"})
LIBRARY_FILES = sorted(library.control_files() + list(library.baseline_dir().rglob("*.yaml")))


def acme_sample(rel: str) -> Any:
    return plain(read_document(EXAMPLE, EXAMPLE / rel).data)


# ---------------------------------------------------------------- the command


def test_schema_writes_the_five_schemas(tmp_path):
    proc = govern("schema", "--output", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(NAMES)
    for name in NAMES:
        written = json.loads((tmp_path / "out" / name).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(written)
        assert written["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert written == SCHEMAS[name]
        assert str(tmp_path / "out" / name) in proc.stdout


def test_schema_without_output_writes_into_schemas_of_the_current_folder(tmp_path):
    proc = govern("schema", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == sorted(NAMES)


def test_schema_output_is_the_same_bytes_every_time_and_replaces_old_files(tmp_path):
    out = tmp_path / "s"
    out.mkdir()
    (out / "policy.json").write_text("stale", encoding="utf-8")
    assert govern("schema", "-o", str(out)).returncode == 0
    first = {n: (out / n).read_bytes() for n in NAMES}
    assert govern("schema", "-o", str(out)).returncode == 0
    assert {n: (out / n).read_bytes() for n in NAMES} == first
    assert first["policy.json"] == render(SCHEMAS["policy.json"]).encode("utf-8")


@pytest.mark.parametrize("setup, output, says", [
    (lambda t: (t / "file").write_text("x"), "file", "is a file"),
    (lambda t: (t / "file").write_text("x"), "file/below", "Not a directory"),
    (lambda t: (t / "d" / "policy.json").mkdir(parents=True), "d", "Is a directory"),
    (lambda t: None, "", "the folder is empty"),
], ids=["a file", "below a file", "a schema's name is a folder", "empty"])
def test_schema_output_that_cannot_hold_the_schemas_is_a_usage_error(tmp_path, setup, output, says):
    setup(tmp_path)
    proc = govern("schema", "--output", output, cwd=tmp_path)
    assert proc.returncode == 2
    assert says in proc.stderr and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- what the schemas accept


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.relative_to(EXAMPLE).as_posix())
def test_every_file_of_the_example_is_accepted(path):
    assert problems(schema_of(EXAMPLE, path), read_document(EXAMPLE, path).data) == []


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=lambda p: p.relative_to(library.library_root()).as_posix())
def test_every_file_of_the_built_in_library_is_accepted(path):
    name = "controls.json" if path.parent.name == "controls" else (
        "inventory.json" if path.parent.name == "inventory" else "policy.json")
    assert problems(name, read_document(path.parent, path).data) == []


def json_copy(tmp_path: Path) -> Path:
    """examples/acme with every YAML file written as JSON (the manifest keeps its name: JSON is YAML),
    each starting with a `$schema` key pointing at its schema."""
    root = tmp_path / "acme-json"
    for path in EXAMPLE.rglob("*"):
        if path.is_dir():
            continue
        rel = path.relative_to(EXAMPLE)
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix not in (".yaml", ".yml"):
            target.write_bytes(path.read_bytes())
            continue
        if rel.as_posix() != "governance.yaml":
            target = target.with_suffix(".json")
        up = "../" * (len(rel.parts) - 1)
        data = {"$schema": f"{up}schemas/{schema_of(EXAMPLE, path)}", **plain(read_document(EXAMPLE, path).data)}
        target.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return root


def test_the_example_as_json_with_schema_keys_is_accepted_by_the_schemas_and_by_govern(tmp_path):
    root = json_copy(tmp_path)
    files = sorted(p for p in root.rglob("*") if p.suffix == ".json" or p.name == "governance.yaml")
    assert len(files) == len(EXAMPLE_FILES)
    for path in files:
        assert problems(schema_of(root, path), json.loads(path.read_text(encoding="utf-8"))) == [], path
    # govern ignores the `$schema` keys: the JSON workspace is the same workspace
    original, copy = load_workspace(EXAMPLE), load_workspace(root)
    assert copy.definitions() == original.definitions()
    assert copy.inventory_input() == original.inventory_input()
    assert copy.waivers_input() == original.waivers_input()
    assert copy.controls == original.controls
    assert copy.manifest == original.manifest


def test_a_schema_key_is_accepted_at_the_top_of_yaml_files_too(tmp_path):
    top = "$schema: ../schemas/inventory.json\n"
    ws = make_workspace(tmp_path, {
        "governance.yaml": '"$schema": schemas/manifest.json\nname: With schema keys\n',
        "inventory/people.yaml": top + "people:\n  - {id: p-ceo, name: A}\n  - {id: p-cto, name: B}\n",
        "waivers/waivers.yaml": "$schema: ../schemas/waivers.json\nwaivers: []\n",
    })
    loaded = load_workspace(ws)
    assert loaded.name == "With schema keys" and list(loaded.inventory.people) == ["p-ceo", "p-cto"]


def test_a_schema_key_below_the_top_is_an_unknown_field_for_both(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.json": json.dumps(
        {"systems": [{"$schema": "x", "id": "sys-a", "deployment": "private"}]}, indent=2)})
    proc = govern("validate", str(ws))
    assert proc.returncode == 2
    assert "inventory/systems.json:4:7: unknown field '$schema'" in proc.stderr
    assert problems("inventory.json", {"systems": [{"$schema": "x", "id": "sys-a", "deployment": "private"}]}) != []


def test_a_schema_key_that_is_not_text_is_an_error_at_its_place(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/people.json": '{\n  "$schema": 5,\n  "people": []\n}\n'})
    proc = govern("validate", str(ws))
    assert proc.returncode == 2
    assert "inventory/people.json:2:3: '$schema' must be text" in proc.stderr
    assert problems("inventory.json", {"$schema": 5}) != []


# ---------------------------------------------------------------- what the schemas reject


@pytest.mark.parametrize("name, rel, spoil", [
    ("manifest.json", "governance.yaml", lambda d: d.update(polices=["policies"])),
    ("policy.json", "policies/budget.yaml", lambda d: d.update(tolerance=10)),
    ("policy.json", "policies/budget.yaml", lambda d: d["phases"][0].update(share={})),
    ("inventory.json", "inventory/datasets.yaml", lambda d: d["datasets"][0]["personal_info"].update(count=1)),
    ("inventory.json", "inventory/datasets.yaml", lambda d: d.update(dataset=[])),
    ("waivers.json", "waivers/waivers.yaml", lambda d: d["waivers"][0].update(expiry="2026-01-01")),
    ("controls.json", "controls/acme.yaml", lambda d: d["controls"][0]["title"].update(fr="x")),
], ids=["manifest", "policy", "nested in a policy", "nested in an entity", "inventory kind", "waiver", "control title"])
def test_unknown_fields_are_rejected(name, rel, spoil):
    data = acme_sample(rel)
    assert problems(name, data) == []
    spoil(data)
    assert any("Additional properties are not allowed" in p for p in problems(name, data))


@pytest.mark.parametrize("kind", ["Comittee", "budgetpolicy", None], ids=["misspelt", "wrong case", "missing"])
def test_a_policy_of_an_unknown_kind_or_none_is_rejected(kind):
    data = acme_sample("policies/committee.yaml")
    data.pop("kind") if kind is None else data.update(kind=kind)
    assert problems("policy.json", data) != []


def test_a_policy_is_held_to_the_fields_of_its_own_kind():
    budget = acme_sample("policies/budget.yaml")
    assert problems("policy.json", {**budget, "kind": "Committee"}) != []  # a budget's fields are unknown to a Committee
    assert problems("policy.json", {k: v for k, v in budget.items() if k != "categories"}) != []  # required


def test_the_schemas_hold_the_same_values_as_the_models():
    assert problems("inventory.json", {"maturity_assessments": [{"id": "a", "date": "2026-01-01", "scores": {"x": 6}}]}) != []
    assert problems("inventory.json", {"platforms": [{"id": "p", "deployment": "moon"}]}) != []
    assert problems("inventory.json", {"spend": [{"id": "s", "budget_line": "b", "amount": 1, "date": "2026-02-30"}]}) != []
    assert problems("inventory.json", {"projects": [{"id": "p", "start": "2026-01-01", "end": "2026-12-31",
                                                     "budget_lines": [{"id": "b", "category": "c", "amount": -1}]}]}) != []
    assert problems("inventory.json", {"goals": [{"id": "g", "tier": "t", "statement": ""}]}) != []
    assert problems("manifest.json", {"fail_on": "sometimes"}) != []


def test_the_schemas_accept_what_the_loader_accepts_beyond_the_models():
    # build.py reads a single path where a list is expected, and an empty waivers or controls list as none
    assert problems("manifest.json", {"policies": "policies", "checks": ["checks", "more-checks"]}) == []
    assert problems("waivers.json", {"waivers": None}) == []
    assert problems("controls.json", {}) == []
    hybrid = {"id": "s", "deployment": "hybrid", "datasets": ["a", {"id": "b", "side": "public"}]}
    assert problems("inventory.json", {"systems": [hybrid]}) == []
