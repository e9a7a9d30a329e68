"""Invalid workspaces exit 2 with `file:line:col: message`; valid ones load completely."""

from __future__ import annotations

import json

import pytest

from governance.load import WorkspaceErrors
from governance.model import load_workspace
from tests.conftest import govern, make_workspace


def _validate(root):
    return govern("validate", str(root))


def test_unknown_field_names_file_line_and_column(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": """\
systems:
  - id: sys-a
    deployment: private
    deploymnet_zone: a
"""})
    proc = _validate(ws)
    assert proc.returncode == 2
    assert "inventory/systems.yaml:4:5: unknown field 'deploymnet_zone'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_dangling_reference_points_at_the_reference(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": """\
systems:
  - id: sys-a
    deployment: private
    owner: p-nobody
"""})
    proc = _validate(ws)
    assert proc.returncode == 2
    assert "inventory/systems.yaml:4:5: system 'sys-a' refers to unknown person 'p-nobody'" in proc.stderr


def test_yaml_syntax_error(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": "systems:\n  - id: [unclosed\n"})
    proc = _validate(ws)
    assert proc.returncode == 2
    assert proc.stderr.startswith("inventory/systems.yaml:3:1: YAML syntax error")


def test_wrong_type_points_at_the_field(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": """\
systems:
  - id: sys-a
    deployment: private
    mlps_level: high
"""})
    proc = _validate(ws)
    assert proc.returncode == 2
    assert "inventory/systems.yaml:4:5: mlps_level: Input should be a valid integer" in proc.stderr


def test_invalid_enum_value(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": "systems:\n  - {id: sys-a, deployment: cloud}\n"})
    proc = _validate(ws)
    assert proc.returncode == 2
    assert "inventory/systems.yaml:2:17: deployment: Input should be 'public', 'private', 'hybrid' or 'on_prem'" in proc.stderr


def test_duplicate_id_names_both_places(tmp_path):
    ws = make_workspace(tmp_path, {
        "inventory/a.yaml": "systems:\n  - {id: sys-a, deployment: private}\n",
        "inventory/b.yaml": "\nsystems:\n  - {id: sys-a, deployment: public}\n",
    })
    proc = _validate(ws)
    assert proc.returncode == 2
    assert "inventory/b.yaml:3:5: duplicate system id 'sys-a' (first declared at inventory/a.yaml:2:5)" in proc.stderr


def test_duplicate_yaml_key(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": "systems:\n  - id: sys-a\n    deployment: private\n"
                                                             "    deployment: public\n"})
    proc = _validate(ws)
    assert proc.returncode == 2
    assert "inventory/systems.yaml:4:5: duplicate key" in proc.stderr


def test_every_error_is_reported_not_just_the_first(tmp_path):
    ws = make_workspace(tmp_path, {
        "inventory/systems.yaml": "systems:\n  - {id: sys-a, deployment: private, colour: red}\n",
        "inventory/datasets.yaml": "datasets:\n  - {id: ds-a, grade: general-1}\n",
    })
    proc = _validate(ws)
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.startswith("inventory/")]
    assert len(lines) == 2, proc.stderr
    assert any("unknown field 'colour'" in line for line in lines)
    assert any("missing required field 'level'" in line for line in lines)


def test_unknown_inventory_kind_and_policy_kind(tmp_path):
    ws = make_workspace(tmp_path, {
        "inventory/x.yaml": "servers:\n  - {id: a}\n",
        "policies/x.yaml": "kind: Budget\nid: b\n",
    })
    proc = _validate(ws)
    assert proc.returncode == 2
    assert "inventory/x.yaml:1:1: unknown inventory kind 'servers'" in proc.stderr
    assert "policies/x.yaml:1:1: unknown kind 'Budget'" in proc.stderr


def test_manifest_folder_that_does_not_exist(tmp_path):
    ws = make_workspace(tmp_path, {"governance.yaml": "name: X\ninventory: [inventroy]\n"})
    proc = _validate(ws)
    assert proc.returncode == 2
    assert "governance.yaml:2:13: 'inventroy' does not exist" in proc.stderr  # at the entry itself


def test_json_and_csv_inventories_load_with_positions(tmp_path):
    ws = make_workspace(tmp_path, {
        "inventory/systems.json": json.dumps({"systems": [{"id": "sys-j", "deployment": "private", "owner": "p-ceo"}]}, indent=2),
        "inventory/people.csv": "id,name,roles\np-ops,孙杰,SRE_LEAD;ON_CALL\n",
        "inventory/bad.json": '{\n  "systems": [\n    {"id": "sys-k", "deployment": "private", "owner": "p-x"}\n  ]\n}\n',
    })
    proc = _validate(ws)
    assert proc.returncode == 2
    assert "inventory/bad.json:3:46: system 'sys-k' refers to unknown person 'p-x'" in proc.stderr
    (ws / "inventory/bad.json").unlink()
    proc = _validate(ws)
    assert proc.returncode == 0, proc.stderr
    assert "3 people" in proc.stdout and "1 systems" in proc.stdout


def test_json_syntax_error(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.json": '{"systems": [\n  {"id": "a",}\n]}\n'})
    proc = _validate(ws)
    assert proc.returncode == 2
    assert proc.stderr.startswith("inventory/systems.json:2:14: JSON syntax error")


def test_csv_named_after_an_unsupported_kind(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.csv": "id,deployment\nsys-a,private\n"})
    proc = _validate(ws)
    assert proc.returncode == 2
    assert "inventory/systems.csv:1:1: a CSV inventory must be named after its kind" in proc.stderr


def test_example_workspace_is_valid():
    proc = govern("validate", "examples/acme")
    assert proc.returncode == 0, proc.stderr
    assert "valid" in proc.stdout


def test_yaml_1_2_plain_scalars_with_colons_in_flow_mappings(tmp_path):
    # a flow mapping may hold `approval_ref: doc://cac/2026-11`: valid
    # YAML 1.2 that a YAML 1.1 scanner rejects
    ws = make_workspace(tmp_path, {"inventory/datasets.yaml": """\
datasets:
  - id: ds-a
    grade: general-1
    level: public
    flows:
      - {to: partner-sg, jurisdiction: SG, mechanism: security_assessment, approval_ref: doc://cac/2026-11}
"""})
    proc = _validate(ws)
    assert proc.returncode == 0, proc.stderr
    [flow] = dict(load_workspace(ws).inventory.kinds())["datasets"]["ds-a"].flows
    assert (flow.mechanism, flow.approval_ref) == ("security_assessment", "doc://cac/2026-11")  # one plain string


def test_duplicate_key_in_json_is_an_error_with_its_place(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.json": '{"systems": [\n  {"id": "a", "deployment": "private",\n'
                                                             '   "id": "b"}\n]}\n'})
    proc = _validate(ws)
    assert proc.returncode == 2
    assert proc.stderr.startswith("inventory/systems.json:3:4: duplicate key")


def _projects_json(*projects: tuple[str, list[str]]) -> str:
    return json.dumps({"projects": [
        {"id": pid, "owner": "p-ceo", "start": "2026-01-01", "end": "2026-12-31",
         "budget_lines": [{"id": line, "category": "technology", "amount": 1} for line in lines]}
        for pid, lines in projects]}, indent=1)


def test_duplicates_in_a_json_inventory_name_both_places(tmp_path):
    """Positions in a JSON inventory are worked out only when asked for: a duplicate still names
    both places exactly, a budget line's (inside its project) as well as an entity's."""
    ws = make_workspace(tmp_path, {
        "inventory/a.json": _projects_json(("prj-a", ["bl-1", "bl-2"])),
        "inventory/b.json": _projects_json(("prj-b", ["bl-3"]), ("prj-a", ["bl-2"])),
    })
    with pytest.raises(WorkspaceErrors) as caught:
        load_workspace(ws)
    assert [str(e) for e in caught.value.errors] == [
        "inventory/b.json:16:3: duplicate project id 'prj-a' (first declared at inventory/a.json:3:3)",
        "inventory/b.json:22:5: duplicate budget_line id 'bl-2' (first declared at inventory/a.json:14:5)",
    ]


def test_json_entities_are_declared_where_written(tmp_path):
    ws = load_workspace(make_workspace(tmp_path, {"inventory/a.json": _projects_json(("prj-a", ["bl-1", "bl-2"]))}))
    assert str(ws.declared_at("project", "prj-a")) == "inventory/a.json:3:3"
    assert str(ws.declared_at("budget_line", "bl-2")) == "inventory/a.json:14:5"
    assert str(ws.locate("budget_line", "bl-2", "amount")) == "inventory/a.json:17:6"
    assert ws.declares("budget_line", "bl-1") and not ws.declares("budget_line", "bl-3")
    assert ws.declared_at("budget_line", "bl-3") is None


# ------------------------------------------------------------ CSV positions: a record is not a line

MULTILINE_PEOPLE = (
    "id,name,roles\n"
    'p-a,"Multi\nline, with ""quotes""\nname",CONTRACTOR\n'  # lines 2-4
    "\n"
    "p-b,B,CONTRACTOR\n"  # line 6
    'p-c,"C, ""the"" third",STAFF;CONTRACTOR\n'  # line 7
)


def test_csv_errors_point_at_the_physical_line_and_column_after_a_cell_spanning_lines(tmp_path):
    ws = make_workspace(tmp_path, {
        "inventory/people.csv": MULTILINE_PEOPLE,
        "inventory/spend.csv": ('id,tags.note,budget_line,amount,date\n'
                                'sp-1,"two\nlines",bl-x,5,2026-01-01\n'  # lines 2-3
                                'sp-2,"a, ""b""",bl-y,7,2026-01-02\n'),  # line 4
    })
    lines = _validate(ws).stderr.splitlines()
    assert any(line.startswith("inventory/spend.csv:3:8: ") and "'bl-x'" in line for line in lines), lines
    assert any(line.startswith("inventory/spend.csv:4:17: ") and "'bl-y'" in line for line in lines), lines
    (ws / "inventory/spend.csv").unlink()
    (ws / "inventory/people.csv").write_text(MULTILINE_PEOPLE + "p-d,D\n", encoding="utf-8")  # line 8
    proc = _validate(ws)
    assert proc.returncode == 2
    assert "inventory/people.csv:8:1: row has 2 cells, header has 3" in proc.stderr


CONTRACTORS = """\
package govern.checks.contractors

import data.govern.lib

# METADATA
# title: No contractors
# custom:
#   id: CON-001
#   severity: low
#   waivable: true
#   resource: person
CON_001 := lib.check(rego.metadata.rule(), object.keys(lib.people), {v |
\tsome id, p in lib.people
\t"CONTRACTOR" in p.roles
\tv := lib.violation("person", id, "a contractor")
})
"""


def test_csv_findings_point_at_the_line_where_their_record_starts(tmp_path):
    from tests.conftest import check

    ws = make_workspace(tmp_path, {"governance.yaml": "name: CSV\nchecks: [checks]\n", "checks/contractors.rego": CONTRACTORS,
                                   "inventory/people.csv": MULTILINE_PEOPLE})
    proc = check(ws, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    found = {f["resource"]["id"]: (f["location"]["file"], f["location"]["line"])
             for f in json.loads(proc.stdout)["findings"] if f["check"] == "CON-001"}
    assert found == {"p-a": ("inventory/people.csv", 2), "p-b": ("inventory/people.csv", 6),
                     "p-c": ("inventory/people.csv", 7)}


@pytest.mark.parametrize("text", ["id,name,roles\n", "id,name,roles", "id,name,roles\n\n\n"])
def test_a_csv_with_a_header_and_no_records_holds_nothing(tmp_path, text):
    ws = make_workspace(tmp_path, {"inventory/people.csv": text})
    proc = _validate(ws)
    assert proc.returncode == 0, proc.stderr
    loaded = load_workspace(ws)
    assert "inventory/people.csv" in [d.rel for d in loaded.documents]  # read, and added no one to people.yaml's two
    assert sorted(dict(loaded.inventory.kinds())["people"]) == ["p-ceo", "p-cto"]
