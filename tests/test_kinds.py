"""Kinds declare themselves (governance/model): a reference is marked on its field and one walk finds
it; the definition and inventory tables are read off the Workspace and the Inventory; what a run keeps
of the inventory after OPA's input is built is what the summaries take. And a kind is registered
everywhere it must be (the guide to writing checks in docs/, "Adding a kind or a policy"), or a test here fails."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_type_hints

import pytest
from pydantic import BaseModel

from governance.evaluate import actions, budget, diagnosis, strategy
from governance.evaluate import apart as apart_
from governance.evaluate import findings as findings_
from governance.evaluate import run as run_
from governance.load import WorkspaceErrors
from governance.model.base import Entity, Ref, Strict, resource_kind
from governance.model.governance import Control, Manifest, Waiver
from governance.model.inventory import INVENTORY_KINDS, DatasetRef, Goal, Inventory, Project, Subject, kinds_taken_by
from governance.model.references import check_references, mark_of, references, references_in
from governance.model.workspace import DEFINITIONS, LISTS, Workspace
from governance.vocabulary import LANGS, messages
from tests.conftest import AS_OF, EXAMPLE, REPO, make_workspace

# ---------------------------------------------------------------- references

# A field names another entity when its name is a kind (`platform`, `datasets`, `budget_line`,
# `value_stream`), ends in one (`approval_meeting`), is a role a person plays (`owner`,
# `security_officer`, `approved_by`, `chair`, a goal's `parent`, ...) or says it is an id (`sponsor_id`).
ROLES = ("owner", "officer", "_by", "chair", "delegate", "assessor", "sponsor", "reviewer", "approver", "assignee", "parent")
ID_SUFFIXES = ("_id", "_ids")
# Fields the rule takes for references that name nothing in the workspace, and why.
NOT_REFERENCES = {
    "System.mlps_filing_id": "the number of a filing with the authorities, kept outside the workspace",
}


def _kind_words() -> set[str]:
    """Every kind by its resource kind and its plural (as inventory files and OPA's data name them)."""
    words = {kind for _, kind in INVENTORY_KINDS.values()} | set(INVENTORY_KINDS)
    words |= {d.resource for d in DEFINITIONS.values()} | {d.attribute for d in DEFINITIONS.values()}
    return words | {"budget_line", "budget_lines", "phase", "phases", "waiver", "waivers"}


def looks_like_a_reference(name: str, kinds: set[str]) -> bool:
    return (name in kinds or name.endswith(ROLES + ID_SUFFIXES)
            or any(name.endswith(f"_{kind}") for kind in kinds))


def _holds_text(annotation: Any) -> bool:
    return annotation is str or any(_holds_text(arg) for arg in get_args(annotation))


def _models(roots: list[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    """Every model reachable from `roots` through their fields, each once."""
    seen: set[type[BaseModel]] = set()
    todo = list(roots)
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        yield model
        for info in model.model_fields.values():
            todo += _models_in(info.annotation)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


WORKSPACE_MODELS = [d.model for d in DEFINITIONS.values()] + [m for m, _ in INVENTORY_KINDS.values()] + [Waiver, Control]


def unmarked_references(roots: list[type[BaseModel]]) -> list[str]:
    kinds = _kind_words()
    return sorted(f"{model.__name__}.{name}" for model in _models(roots) for name, info in model.model_fields.items()
                  if _holds_text(info.annotation) and looks_like_a_reference(name, kinds) and mark_of(info) is None
                  and f"{model.__name__}.{name}" not in NOT_REFERENCES)


def test_every_field_that_looks_like_a_reference_is_marked():
    assert unmarked_references(WORKSPACE_MODELS) == [], "mark each with Ref(kind) (governance/model/base.py)"


class _Step(Strict):
    owner: Annotated[str | None, Ref("person")] = None


class _Audit(Entity):
    """A throwaway kind: every shape a reference takes."""

    lead: Annotated[str, Ref("person")]
    reviewers: list[Annotated[str, Ref("person")]] = []
    about: Annotated[Subject | None, Ref()] = None  # the object says its kind
    sites: list[Annotated[str | DatasetRef, Ref("dataset")]] = []  # an id, or an object naming one by its id
    steps: list[_Step] = []  # objects that hold references
    note: str | None = None


class _Unmarked(Entity):
    lead: str  # a person-role name
    platform: str | None = None  # a kind's name
    approval_meeting: str | None = None  # ends in a kind's name
    sponsor_id: str | None = None  # an id
    title: str | None = None  # text
    budget_lines: list[_Step] = []  # objects, not ids


def test_the_rule_catches_an_unmarked_reference_of_a_throwaway_kind():
    assert unmarked_references([_Unmarked]) == ["_Unmarked.approval_meeting", "_Unmarked.platform", "_Unmarked.sponsor_id"]
    assert unmarked_references([_Audit]) == []  # `lead` looks like none, but is marked anyway


def test_the_walk_finds_every_shape_of_reference_in_a_throwaway_kind():
    audit = _Audit.model_validate({
        "id": "a-1", "lead": "p-1", "reviewers": ["p-2", "p-3"], "about": {"kind": "project", "id": "prj-1"},
        "sites": ["ds-1", {"id": "ds-2", "side": "public"}], "steps": [{}, {"owner": "p-4"}], "note": "p-9"})
    assert references_in(audit) == [
        (("lead",), "person", "p-1"),
        (("reviewers", 0), "person", "p-2"), (("reviewers", 1), "person", "p-3"),
        (("about",), "project", "prj-1"),
        (("sites", 0), "dataset", "ds-1"), (("sites", 1), "dataset", "ds-2"),
        (("steps", 1, "owner"), "person", "p-4"),
    ]


def test_every_reference_names_a_kind_a_workspace_declares():
    ws = run_.load(EXAMPLE)
    declared = {kind for kind, _ in ws.origins} | {kind for kind, _ in ws.locations}
    marked = {mark_of(info) for model in _models(WORKSPACE_MODELS) for info in model.model_fields.values()}
    named = {m.kind for m in marked if m is not None and m.kind is not None}
    assert named and named <= declared, named - declared  # `Ref("persn")` would make every such id dangle


def test_the_walk_reaches_every_marked_field_acme_fills():
    ws = run_.load(EXAMPLE)
    walked = {(kind, str(path[0])) for kind, _, path, _, _ in references(ws)}
    filled = {(kind, name) for kind, entities in _entities(ws) for entity in entities
              for name, info in type(entity).model_fields.items() if mark_of(info) and getattr(entity, name)}
    assert filled and filled <= walked, filled - walked
    assert ("project", "budget_lines") in walked  # a budget line's owner, inside its project


def _entities(ws: Workspace) -> Iterator[tuple[str, list[Entity]]]:
    for plural, entities in ws.inventory.kinds():
        yield INVENTORY_KINDS[plural][1], list(entities.values())
    yield "committee", list(ws.committees.values())
    yield "waiver", list(ws.waivers.values())


def test_each_reference_to_a_kind_that_is_gone_is_an_error_at_the_reference(monkeypatch):
    ws = run_.load(EXAMPLE)
    made = list(references(ws))
    targets = {target_kind for *_, target_kind, _ in made}
    assert {"person", "dataset", "goal", "phase", "budget_line", "waiver", "project"} <= targets
    for gone in targets:
        monkeypatch.setattr(ws, "declares", lambda kind, id_, gone=gone: kind != gone and Workspace.declares(ws, kind, id_))
        errors = [str(e) for e in check_references(ws)]
        expected = [f"{ws.locate(kind, id_, *path)}: {kind} '{id_}' refers to unknown {gone} '{target}'"
                    for kind, id_, path, target_kind, target in made if target_kind == gone]
        assert sorted(e.split(" (phases")[0] for e in errors) == sorted(expected), gone


def test_an_object_naming_a_dataset_is_placed_where_the_object_is_written(tmp_path):
    ws = tmp_path / "ws"
    files = {"inventory/systems.yaml": "systems:\n  - id: sys-a\n    deployment: hybrid\n"
                                       "    datasets:\n      - ds-gone\n      - {id: ds-gone-too, side: public}\n"}
    with pytest.raises(WorkspaceErrors) as invalid:
        run_.load(make_workspace(ws, files))
    assert [str(e) for e in invalid.value.errors] == [
        "inventory/systems.yaml:5:9: system 'sys-a' refers to unknown dataset 'ds-gone'",
        "inventory/systems.yaml:6:9: system 'sys-a' refers to unknown dataset 'ds-gone-too'"]


# ---------------------------------------------------------------- definitions and inventory kinds


def test_each_definition_is_read_off_its_workspace_field():
    held = {f.name: f for f in fields(Workspace)}
    for name, d in DEFINITIONS.items():
        assert d.attribute in held and d.model.model_fields["kind"].annotation == Literal[name]  # type: ignore[valid-type]
        assert d.resource == resource_kind(d.model)
        assert getattr(Workspace(root=REPO, manifest=Manifest()), d.attribute) == (None if d.singleton else {})
    assert {"Committee", "BudgetPolicy"} <= set(DEFINITIONS) and not DEFINITIONS["Committee"].singleton


def test_every_definition_loads_into_its_field_and_reaches_opa_under_its_name():
    ws = run_.load(EXAMPLE)
    data = ws.definitions()
    assert list(data) == [d.attribute for d in DEFINITIONS.values()]
    for d in DEFINITIONS.values():
        held = getattr(ws, d.attribute)
        entities = [held] if d.singleton else list(held.values())
        assert entities and all(isinstance(e, d.model) for e in entities), f"acme defines a {d.name}"
        first = entities[0]
        assert ws.declares(d.resource, first.id)
        assert (data[d.attribute] if d.singleton else data[d.attribute][first.id])["id"] == first.id


def test_every_workspace_field_of_entities_is_a_definition_or_a_listed_folder():
    """A field of entities that neither DEFINITIONS nor LISTS reads off the Workspace would never be
    loaded nor walked for references: it would stay empty, silently."""
    hints = get_type_hints(Workspace)
    holding = {f.name for f in fields(Workspace)
               if any(isinstance(a, type) and issubclass(a, Entity) for a in get_args(hints[f.name]))}
    declared = {d.attribute for d in DEFINITIONS.values()} | set(LISTS)
    assert holding - declared == {"budget_lines"}, "budget lines are declared inside a project and loaded with it"
    assert declared <= holding


def test_each_listed_folder_loads_into_its_field_and_its_references_are_walked():
    assert {attribute: (listed.model, listed.resource) for attribute, listed in LISTS.items()} == {
        "waivers": (Waiver, "waiver"), "controls": (Control, "control")}
    ws = run_.load(EXAMPLE)
    walked = [kind for kind, *_ in references(ws)]
    for listed in LISTS.values():
        held = getattr(ws, listed.attribute)
        assert held and all(isinstance(e, listed.model) and ws.declares(listed.resource, i) for i, e in held.items())
        made = sum(len(references_in(e)) for e in held.values())
        assert walked.count(listed.resource) == made, f"every reference acme's {listed.attribute} make is walked"
    assert walked.count("waiver") > 0


def test_every_policy_is_read_by_the_built_in_checks():
    rego = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "checks").glob("*.rego") if not p.stem.endswith("_test"))
    unread = [d.attribute for d in DEFINITIONS.values() if f'"{d.attribute}"' not in rego]
    assert unread == [], "a policy no check reads makes every check of it not_applicable, silently"


def test_inventory_kinds_are_read_off_the_inventory_fields():
    assert list(INVENTORY_KINDS) == [f.name for f in fields(Inventory)]
    for model, kind in INVENTORY_KINDS.values():
        assert kind == resource_kind(model) and issubclass(model, Entity)


def test_every_inventory_kind_is_indexed_by_the_checks_library(opa_binary):
    """A check reads `lib.<plural>`: a kind missing there would be undefined, and its checks not_applicable."""
    ws = run_.load(EXAMPLE)
    ran = subprocess.run([opa_binary, "eval", "--format", "json", "--stdin-input", "-d", str(REPO / "checks" / "lib.rego"),
                          "data.govern.lib"], input=ws.input_json(AS_OF), capture_output=True, check=True)
    lib = json.loads(ran.stdout)["result"][0]["expressions"][0]["value"]
    given = json.loads(ws.input_json(AS_OF))["inventory"]
    for plural in INVENTORY_KINDS:
        assert plural in given, f"acme has some {plural}"
        assert lib.get(plural) == given[plural], f"checks/lib.rego: {plural} := object.get(inventory, \"{plural}\", {{}})"


def test_every_kind_has_a_name_in_each_language():
    ws = run_.load(EXAMPLE)
    kinds = {kind for _, kind in INVENTORY_KINDS.values()} | {d.resource for d in DEFINITIONS.values()}
    kinds |= {kind for kind, _ in ws.origins} | {kind for kind, _ in ws.locations}
    kinds -= {"control"}  # a control is never the resource of a finding
    for lang in LANGS:
        assert sorted(kinds - set(messages(lang).names)) == [], lang


# ---------------------------------------------------------------- what a run keeps after the input


def _reads(projects: Mapping[str, Project], limit: int, goals: dict[str, Goal], owners: Mapping[str, str]) -> None:
    """A signature to read, never called."""


def test_the_kinds_a_function_takes_are_read_off_its_signature():
    assert kinds_taken_by(_reads) == {"projects", "goals"}
    assert apart_.KEPT == kinds_taken_by(budget.summarize, strategy.summarize, diagnosis.summarize, findings_.named,
                                         actions.address_problems)
    assert apart_.KEPT == {"people", "projects", "goals", "maturity_assessments", "spend", "decisions", "actions",
                           "value_streams", "pain_points", "root_causes", "benchmarks"}


def test_a_run_loaded_here_keeps_what_a_run_loaded_apart_keeps():
    prepared = run_.prepare(EXAMPLE, dt.date.fromisoformat(AS_OF))
    loaded = run_.load(EXAMPLE)
    for plural in INVENTORY_KINDS:
        if plural in apart_.KEPT:
            assert prepared.workspace.inventory.of(plural) == loaded.inventory.of(plural)
        else:
            with pytest.raises(RuntimeError, match=f"the inventory's {plural} went to OPA in the input and was not kept"):
                len(prepared.workspace.inventory.of(plural))
    assert json.loads(prepared.input) == json.loads(loaded.input_json(AS_OF))



# ---------------------------------------------------------------- a throwaway kind and policy, added in a copy

AUDIT_MODEL = '''

class Audit(Entity):
    """A throwaway kind, added by tests/test_kinds.py."""

    lead: Annotated[str, Ref("person")] = Field(description="Person id of who leads it.")
    reviewer_id: str | None = Field(default=None, description="Person id of who reviews it.")
'''
AUDIT_FIELD = "    audits: dict[str, Audit] = field(default_factory=dict)\n"
AUDIT_POLICY_MODEL = '''

class AuditPolicy(Entity):
    """A throwaway policy, added by tests/test_kinds.py."""

    kind: Literal["AuditPolicy"] = Field(description="What this file defines.")
    auditor: Annotated[str, Ref("person")] = Field(description="Person id of the auditor.")
'''

# Loads a workspace with the copy's govern, and runs the tests of registration there
# (after regenerating the copy's reference page, when told to).
PROBE = '''
import json, sys
from governance.evaluate import run
from governance.load import WorkspaceErrors
from governance.model.inventory import INVENTORY_KINDS
from governance.model.schema import schemas
from governance.model.workspace import DEFINITIONS
import tests.test_kinds as t
import tests.test_reference_docs as r
from governance.model.reference import render

if sys.argv[3:] == ["regenerate"]:
    open("docs/reference/workspace.md", "w", encoding="utf-8").write(render())
out = {"kind": INVENTORY_KINDS["audits"][1], "schema": "audits" in schemas()["inventory.json"]["properties"]}
acme = run.load("examples/acme")
out["policy"] = [DEFINITIONS["AuditPolicy"].resource, acme.audit_policy.id, acme.definitions()["audit_policy"]["auditor"],
                 any(d.get("$ref", "").endswith("/AuditPolicy") for d in schemas()["policy.json"]["oneOf"])]
try:
    run.load(sys.argv[1])
    out["errors"] = []
except WorkspaceErrors as e:
    out["errors"] = [str(x) for x in e.errors]
out["failed"] = []
for name, args in [("test_every_field_that_looks_like_a_reference_is_marked", ()),
                   ("test_every_policy_is_read_by_the_built_in_checks", ()),
                   ("test_every_inventory_kind_is_indexed_by_the_checks_library", (sys.argv[2],)),
                   ("test_every_kind_has_a_name_in_each_language", ())]:
    try:
        getattr(t, name)(*args)
    except AssertionError:
        out["failed"].append(name)
try:
    r.test_the_checked_in_workspace_reference_is_current()
except AssertionError:
    out["failed"].append("test_the_checked_in_workspace_reference_is_current")
print(json.dumps(out))
'''


def _edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(old) == 1, f"{path.name}: the text the throwaway kind is added at moved"
    path.write_text(content.replace(old, new), encoding="utf-8")


def _copy_with_audits(root: Path) -> Path:
    """The repository's package, library, tests of kinds and acme, with the first steps of adding a
    kind and a policy done: the kind's model and its Inventory field, the policy's model and its
    Workspace field. Acme gets some audits and an AuditPolicy, as it has every kind and policy."""
    for part in ("governance", "checks", "controls", "examples/acme", "docs/reference"):
        shutil.copytree(REPO / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "tests").mkdir()
    for name in ("__init__.py", "conftest.py", "test_kinds.py", "test_reference_docs.py"):
        shutil.copy(REPO / "tests" / name, root / "tests" / name)
    inventory = root / "governance" / "model" / "inventory.py"
    _edit(inventory, "\n\n@dataclass\nclass Inventory:", AUDIT_MODEL + "\n\n@dataclass\nclass Inventory:")
    last = "    maturity_assessments: dict[str, MaturityAssessment] = field(default_factory=dict)\n"
    _edit(inventory, last, last + AUDIT_FIELD)
    (root / "examples" / "acme" / "inventory" / "audits.yaml").write_text(
        "audits:\n  - id: au-1\n    lead: p-ceo\n    reviewer_id: p-cto\n", encoding="utf-8")
    with (root / "governance" / "model" / "definitions.py").open("a", encoding="utf-8") as definitions:
        definitions.write(AUDIT_POLICY_MODEL)
    workspace = root / "governance" / "model" / "workspace.py"
    _edit(workspace, "    StrategyPolicy,\n)", "    StrategyPolicy,\n    AuditPolicy,\n)")
    last = "    strategy_policy: StrategyPolicy | None = None\n"
    _edit(workspace, last, last + "    audit_policy: AuditPolicy | None = None\n")
    (root / "examples" / "acme" / "policies" / "audit.yaml").write_text(
        "kind: AuditPolicy\nid: audit-2026\nauditor: p-cdo\n", encoding="utf-8")
    return root


def _probe(root: Path, opa: str, *steps: str) -> dict:
    dangling = root / "dangling"
    shutil.copytree(root / "examples" / "acme", dangling)
    (dangling / "inventory" / "audits.yaml").write_text(
        "audits:\n  - id: au-1\n    lead: p-nobody\n    reviewer_id: p-nobody\n", encoding="utf-8")
    (dangling / "policies" / "audit.yaml").write_text("kind: AuditPolicy\nid: audit-2026\nauditor: p-nobody\n", encoding="utf-8")
    ran = subprocess.run([sys.executable, "-c", PROBE, str(dangling), opa, *steps], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(root)}, check=False)
    assert ran.returncode == 0, ran.stderr
    shutil.rmtree(dangling)
    return json.loads(ran.stdout)


def test_a_throwaway_kind_and_policy_added_in_a_copy_are_flagged_until_each_step_is_done(tmp_path: Path, opa_binary):
    root = _copy_with_audits(tmp_path / "repo")
    first = _probe(root, opa_binary)
    # the model and its field: loaded, in the schema, its marked reference checked...
    assert (first["kind"], first["schema"]) == ("audit", True)
    assert first["errors"] == ["inventory/audits.yaml:3:5: audit 'au-1' refers to unknown person 'p-nobody'",
                               "policies/audit.yaml:3:1: audit_policy 'audit-2026' refers to unknown person 'p-nobody'"]
    # the policy's model and field: loaded into its field, given to OPA under its name, in the schema
    assert first["policy"] == ["audit_policy", "audit-2026", "p-cdo", True]
    # ...and each step still to do is a failing test, never a silent pass
    assert first["failed"] == ["test_every_field_that_looks_like_a_reference_is_marked",  # reviewer_id
                               "test_every_policy_is_read_by_the_built_in_checks",
                               "test_every_inventory_kind_is_indexed_by_the_checks_library",
                               "test_every_kind_has_a_name_in_each_language",
                               "test_the_checked_in_workspace_reference_is_current"]
    # the steps: mark the reference, index the kind and read the policy in the checks' library,
    # regenerate the reference page
    _edit(root / "governance" / "model" / "inventory.py", "    reviewer_id: str | None = Field(",
          '    reviewer_id: Annotated[str | None, Ref("person")] = Field(')
    index = 'maturity_assessments := object.get(inventory, "maturity_assessments", {})\n'
    _edit(root / "checks" / "lib.rego", index, index + '\naudits := object.get(inventory, "audits", {})\n')
    read = 'strategy := object.get(defs, "strategy_policy", null)\n'
    _edit(root / "checks" / "lib.rego", read, read + '\naudit := object.get(defs, "audit_policy", null)\n')
    done = _probe(root, opa_binary, "regenerate")
    assert done["errors"] == first["errors"][:1] + ["inventory/audits.yaml:4:5: audit 'au-1' refers to unknown person 'p-nobody'",
                                                    first["errors"][1]]
    assert done["failed"] == ["test_every_kind_has_a_name_in_each_language"]  # its names: the vocabulary's step
