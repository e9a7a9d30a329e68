"""The loader against untrusted workspace content (it arrives in pull requests):
impossible dates, alias bombs, deep nesting, NaN and infinity, paths and links
that lead out of the workspace, the workspace's own Rego, and folders that are
not workspaces. Every case is exit 2 at a file:line:col, never a traceback."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sys
import time
import tracemalloc
import typing
from pathlib import Path

import pytest

from governance import library
from governance.evaluate import load
from governance.load import WorkspaceErrors, read_document
from governance.model import definitions, inventory, load_workspace
from governance.model import governance as governance_models
from governance.model.base import EARLIEST, LATEST, Date
from tests.conftest import AS_OF, MINIMAL_POLICIES, govern, make_workspace

NON_FINITE = "NaN and infinity are not allowed"
NO_OPA = dict(os.environ, GOVERN_OPA="/nonexistent/opa", PATH="/usr/bin:/bin")  # had OPA been started: exit 3


def errors(root: Path, **kwargs) -> list[str]:
    """Every error line of loading `root`, which must fail."""
    with pytest.raises(WorkspaceErrors) as caught:
        load_workspace(root, **kwargs)
    return [str(e) for e in caught.value.errors]


def validate(root: Path) -> str:
    """`govern validate` exits 2 without a traceback; its stderr."""
    proc = govern("validate", str(root))
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return proc.stderr


def dataset(extra: str) -> str:
    return f"datasets:\n  - {{id: ds-a, grade: general-1, level: public, {extra}}}\n"


# ---------------------------------------------------------------- 1. dates

def test_a_date_that_does_not_exist_in_yaml_is_exit_2_at_the_value(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/datasets.yaml": dataset("classified_at: 2026-02-30")})
    stderr = validate(ws)
    assert stderr.startswith("inventory/datasets.yaml:2:64: '2026-02-30' is not a valid date: day is out of range for month")


def test_a_date_that_does_not_exist_in_json_is_exit_2_at_the_value(tmp_path):
    doc = {"datasets": [{"id": "ds-a", "grade": "general-1", "level": "public", "classified_at": "2026-02-30"}]}
    ws = make_workspace(tmp_path, {"inventory/datasets.json": json.dumps(doc, indent=1)})
    [line] = errors(ws)
    assert line.startswith("inventory/datasets.json:7:4: classified_at: Input should be a valid date")


def test_an_impossible_date_is_refused_in_free_form_fields_too(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": "systems:\n  - id: s\n    deployment: private\n"
                                                             "    annotations: {since: 2026-13-01}\n"})
    [line] = errors(ws)
    assert line.startswith("inventory/systems.yaml:4:26: '2026-13-01' is not a valid date")


@pytest.mark.parametrize("value", ["1899-12-31", "2200-01-01", "0001-01-01", "9999-12-31"])
def test_dates_outside_the_supported_range_are_exit_2(tmp_path, value):
    ws = make_workspace(tmp_path, {"inventory/datasets.yaml": dataset(f"classified_at: {value}")})
    [line] = errors(ws)
    assert line.startswith(f"inventory/datasets.yaml:2:49: classified_at: Value error, date must be between {EARLIEST} "
                           f"and {LATEST}")


def _unchecked_date(hint) -> bool:
    """True if `hint` holds a date (or datetime) without the range check of `Date`."""
    if typing.get_origin(hint) is typing.Annotated:
        base, *metadata = typing.get_args(hint)
        checked = any(getattr(getattr(m, "func", None), "__name__", "") == "_in_range" for m in metadata)
        return not checked if base in (dt.date, dt.datetime) else _unchecked_date(base)
    return hint in (dt.date, dt.datetime) or any(_unchecked_date(arg) for arg in typing.get_args(hint))


def test_every_date_field_of_every_model_uses_the_checked_date_type():
    assert _unchecked_date(dt.date | None) and not _unchecked_date(Date | None)
    models = [obj for module in (definitions, governance_models, inventory) for obj in vars(module).values()
              if isinstance(obj, type) and hasattr(obj, "model_fields")]
    hints = {f"{model.__name__}.{name}": hint for model in models
             for name, hint in typing.get_type_hints(model, include_extras=True).items()}
    assert hints["Spend.date"] == Date and hints["Waiver.expires"] == Date  # the check sees them
    assert [field for field, hint in hints.items() if _unchecked_date(hint)] == []


# ---------------------------------------------------------------- 2. alias bombs

BILLION_LAUGHS = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
) + "\n"


def test_an_alias_bomb_is_refused_at_the_alias_that_exceeds_the_budget_fast_and_flat(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/x.yaml": BILLION_LAUGHS})
    tracemalloc.start()
    started = time.perf_counter()
    try:
        [line] = errors(ws)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # e: &e [*d, …]: a, b, c and d add 8,289 nodes; the first *d (7,381 more) is one too many
    assert line == "inventory/x.yaml:5:8: aliases expand this document by more than 10,000 nodes"
    assert elapsed < 1.0 and peak < 20 * 2**20, (elapsed, peak)


def test_the_alias_bomb_through_the_cli(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/x.yaml": BILLION_LAUGHS})
    assert "inventory/x.yaml:5:8: aliases expand" in validate(ws)


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/x.yaml": "systems: &s\n  - *s\n"})
    assert errors(ws) == ["inventory/x.yaml:2:5: alias *s refers to a node that contains it"]


def test_aliases_cannot_nest_deeper_than_the_limit_either(tmp_path):
    deep = "[" * 40 + "]" * 40
    text = f"a: &a {deep}\nb: &b [{', '.join(['*a'] * 3)}]\nc: {'[' * 30}*b{']' * 30}\n"
    ws = make_workspace(tmp_path, {"inventory/x.yaml": text})
    assert errors(ws) == ["inventory/x.yaml:3:34: nested more than 64 levels deep"]


def test_small_anchors_aliases_and_merge_keys_keep_working(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": """\
systems:
  - &base {id: sys-base, deployment: private, owner: p-cto, tags: &tags {cost_center: CC-1}}
  - {<<: *base, id: sys-a}
  - {<<: *base, id: sys-b, deployment: public, tags: *tags}
"""})
    systems = load(ws).inventory.systems
    assert set(systems) == {"sys-base", "sys-a", "sys-b"}
    assert (systems["sys-a"].deployment, systems["sys-a"].owner, systems["sys-b"].deployment) == ("private", "p-cto", "public")
    assert systems["sys-b"].tags == {"cost_center": "CC-1"}


# ---------------------------------------------------------------- 3. nesting

def _deep(style: str, n: int) -> tuple[str, str, str]:
    """(file name, text nested n levels, where the 65th level starts)."""
    if style == "json-list":
        return "x.json", "[" * n + "]" * n, "1:65"
    if style == "json-object":
        return "x.json", '{"a":' * n + "1" + "}" * n, "1:321"
    if style == "yaml-flow-list":
        return "x.yaml", "[" * n + "]" * n, "1:65"
    if style == "yaml-flow-mapping":
        return "x.yaml", "{a: " * n + "1" + "}" * n, "1:257"
    if style == "yaml-block-list":
        return "x.yaml", "- " * n + "x\n", "1:129"
    if style == "yaml-block-mapping":  # explicit keys nest block mappings on one line
        return "x.yaml", "? " * n + "x\n", "1:129"
    raise AssertionError(style)


STYLES = ["json-list", "json-object", "yaml-flow-list", "yaml-flow-mapping", "yaml-block-list", "yaml-block-mapping"]


@pytest.mark.parametrize("n", [10_000, 1_000_000])
@pytest.mark.parametrize("style", STYLES)
def test_deep_nesting_is_exit_2_at_the_first_level_too_many_and_fast(tmp_path, style, n):
    name, text, where = _deep(style, n)
    ws = make_workspace(tmp_path, {f"inventory/{name}": text})
    started = time.perf_counter()
    assert errors(ws) == [f"inventory/{name}:{where}: nested more than 64 levels deep"]
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize("style", ["json-object", "yaml-flow-list", "yaml-block-list"])
def test_a_million_levels_through_the_cli_is_exit_2_not_a_crash(tmp_path, style):
    name, text, where = _deep(style, 1_000_000)
    ws = make_workspace(tmp_path, {f"inventory/{name}": text})
    assert f"inventory/{name}:{where}: nested more than 64 levels deep" in validate(ws)


def test_indented_block_mappings_are_held_to_the_same_limit(tmp_path):
    text = "".join(" " * i + "a:\n" for i in range(100)) + " " * 100 + "a: 1\n"
    ws = make_workspace(tmp_path, {"inventory/x.yaml": text})
    assert errors(ws) == ["inventory/x.yaml:65:65: nested more than 64 levels deep"]


@pytest.mark.parametrize("depth, ok", [(64, True), (65, False), (100, False)])
def test_the_limit_is_64_levels_in_json_and_yaml(tmp_path, depth, ok):
    for name, text in [("d.json", "[" * depth + "]" * depth), ("d.yaml", "[" * depth + "]" * depth)]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        if ok:
            assert read_document(tmp_path, path).data is not None
        else:
            with pytest.raises(WorkspaceErrors) as caught:
                read_document(tmp_path, path)
            assert [str(e) for e in caught.value.errors] == [f"{name}:1:65: nested more than 64 levels deep"]


# ---------------------------------------------------------------- 4. NaN and infinity

@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999", "-1E999"])
@pytest.mark.parametrize("where", ["tags", "annotations", "nested"])
def test_json_nan_and_infinity_are_exit_2_anywhere(tmp_path, token, where):
    value = {"tags": '{"k": %s}', "annotations": '{"k": %s}', "nested": '{"a": [{"b": %s}]}'}[where] % token
    text = '{"systems": [\n  {"id": "s", "deployment": "private", "x": ' + value + '}\n]}\n'
    ws = make_workspace(tmp_path, {"inventory/systems.json": text.replace('"x"', f'"{where}"')})
    column = text.replace('"x"', f'"{where}"').splitlines()[1].index(token) + 1
    assert errors(ws) == [f"inventory/systems.json:2:{column}: {NON_FINITE} (JSON has neither, so OPA could not be sent them)"]


@pytest.mark.parametrize("token", [".nan", ".NaN", ".inf", "-.inf", "+.INF", "1e999", "-1e999", "!!float nan"])
@pytest.mark.parametrize("where", ["tags", "annotations", "key"])
def test_yaml_nan_and_infinity_are_exit_2_anywhere(tmp_path, token, where):
    value = {"tags": f"{{k: {token}}}", "annotations": f"{{k: [{{deep: {token}}}]}}", "key": f"{{{token}: v}}"}[where]
    line = f"    {'tags' if where == 'key' else where}: {value}"
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": f"systems:\n  - id: s\n    deployment: private\n{line}\n"})
    assert errors(ws) == [
        f"inventory/systems.yaml:4:{line.index(token) + 1}: {NON_FINITE} (JSON has neither, so OPA could not be sent them)"]


@pytest.mark.parametrize("amount", ["nan", "inf", "-inf", "Infinity", "1e999"])
def test_csv_amounts_that_are_nan_or_infinite_are_exit_2(tmp_path, amount):
    ws = make_workspace(tmp_path, {"inventory/spend.csv": f"id,budget_line,amount,date\nsp-1,bl-1,{amount},2026-03-01\n"})
    lines = errors(ws)
    assert any(line.startswith("inventory/spend.csv:2:11: amount:") and "finite number" in line for line in lines), lines


def test_yaml_nan_through_the_cli(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": "systems:\n  - {id: s, deployment: private, tags: {k: .nan}}\n"})
    assert f"inventory/systems.yaml:2:44: {NON_FINITE}" in validate(ws)


def test_numbers_python_cannot_convert_are_exit_2(tmp_path):
    digits = "9" * 5000
    ws = make_workspace(tmp_path, {"inventory/a.yaml": f"systems:\n  - {{id: s, mlps_level: {digits}}}\n",
                                   "inventory/b.json": '{"systems": [{"id": "t", "mlps_level": ' + digits + '}]}'})
    lines = errors(ws)
    assert lines[0].startswith("inventory/a.yaml:2:25: '9999") and "is not a valid int" in lines[0]
    assert lines[1].startswith("inventory/b.json:1:40: cannot read this number")


def test_a_csv_cell_over_the_csv_size_limit_is_exit_2(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/people.csv": "id,name\np-x," + "a" * 200_000 + "\n"})
    assert errors(ws)[0].startswith("inventory/people.csv:2:1: CSV error: field larger than field limit")


# ---------------------------------------------------------------- 5. paths and links

@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the workspace that nothing may read, nor name in an error."""
    folder = tmp_path / "outside-secret-folder"
    folder.mkdir()
    (folder / "outside-secret-name.yaml").write_text("people:\n  - {id: OUTSIDE-SECRET-CONTENT, name: x}\n", encoding="utf-8")
    (folder / "evil.rego").write_text("package govern.checks.evil\n", encoding="utf-8")
    return folder


@pytest.fixture
def reads_outside(outside: Path):
    """The paths under `outside` opened or listed while the test runs (audit hooks cannot be removed, so it switches off)."""
    seen: list[str] = []
    active = [True]

    def hook(event, args):
        if active[0] and event in ("open", "os.scandir", "os.listdir") and args:
            path = args[0]
            if isinstance(path, (str, bytes, os.PathLike)) and os.fsdecode(path).startswith(str(outside)):
                seen.append(f"{event} {path}")

    sys.addaudithook(hook)
    yield seen
    active[0] = False


def _not_leaked(lines: list[str], outside: Path) -> None:
    text = "\n".join(lines)
    assert "OUTSIDE-SECRET" not in text and "outside-secret" not in text and str(outside.parent) not in text, text


@pytest.mark.parametrize("entry, column", [("../outside-secret-folder", 13), ("/etc", 13),
                                           ("inventory/../../outside-secret-folder", 13)])
def test_manifest_entries_must_stay_inside_the_workspace(tmp_path, outside, reads_outside, entry, column):
    ws = make_workspace(tmp_path / "ws", {"governance.yaml": f"name: X\ninventory: [{entry}]\n"})
    lines = errors(ws)
    assert len(lines) == 1 and lines[0].startswith(f"governance.yaml:2:{column}: '{entry}' must")
    assert "inside the workspace" in lines[0]
    assert reads_outside == []


def test_manifest_entries_must_stay_inside_the_workspace_through_the_cli(tmp_path, outside):
    manifest = "name: X\npolicies: [policies]\nwaivers:\n  - ../outside-secret-folder\n"
    ws = make_workspace(tmp_path / "ws", {"governance.yaml": manifest})
    stderr = validate(ws)
    assert stderr.startswith("governance.yaml:4:5: '../outside-secret-folder' must stay inside the workspace")


@pytest.mark.parametrize("kind", ["relative-file", "absolute-file", "folder"])
def test_a_link_out_of_the_workspace_is_exit_2_naming_the_link_and_nothing_outside_is_read(tmp_path, outside, reads_outside,
                                                                                            kind):
    ws = make_workspace(tmp_path / "ws", {})
    target = {"relative-file": "../../outside-secret-folder/outside-secret-name.yaml",
              "absolute-file": str(outside / "outside-secret-name.yaml"),
              "folder": "../../outside-secret-folder"}[kind]
    (ws / "inventory" / "more.yaml").symlink_to(target)
    lines = errors(ws)
    assert lines == ["inventory/more.yaml:1:1: 'inventory/more.yaml' is a symbolic link that leads outside the workspace"]
    _not_leaked(lines, outside)
    assert reads_outside == []


def test_a_link_out_of_the_workspace_through_the_cli(tmp_path, outside):
    ws = make_workspace(tmp_path / "ws", {})
    (ws / "policies" / "team").symlink_to("../../outside-secret-folder")
    stderr = validate(ws)
    assert stderr.startswith("policies/team:1:1: 'policies/team' is a symbolic link that leads outside the workspace")
    _not_leaked([stderr], outside)


def test_a_chain_of_links_names_the_one_that_leaves(tmp_path, outside, reads_outside):
    ws = make_workspace(tmp_path / "ws", {})
    (ws / "elsewhere").mkdir()
    (ws / "elsewhere" / "hop.yaml").symlink_to(outside / "outside-secret-name.yaml")
    (ws / "inventory" / "more.yaml").symlink_to("../elsewhere/hop.yaml")
    lines = errors(ws)
    assert lines == ["inventory/more.yaml:1:1: 'inventory/more.yaml' leads outside the workspace through the symbolic link "
                     "'elsewhere/hop.yaml'"]
    assert reads_outside == []


def test_link_loops_and_dangling_links_are_exit_2(tmp_path):
    ws = make_workspace(tmp_path, {})
    (ws / "inventory" / "a.yaml").symlink_to("b.yaml")
    (ws / "inventory" / "b.yaml").symlink_to("a.yaml")
    (ws / "inventory" / "gone.yaml").symlink_to("nowhere.yaml")
    (ws / "inventory" / "self").symlink_to("self")
    assert errors(ws) == [
        "inventory/a.yaml:1:1: 'inventory/a.yaml' goes round in a loop of symbolic links",
        "inventory/b.yaml:1:1: 'inventory/b.yaml' goes round in a loop of symbolic links",
        "inventory/gone.yaml:1:1: 'inventory/gone.yaml' is a symbolic link that leads to nothing (the link is dangling)",
        "inventory/self:1:1: 'inventory/self' goes round in a loop of symbolic links",
    ]


def test_a_manifest_entry_through_a_link_that_leaves_names_the_link(tmp_path, outside, reads_outside):
    ws = make_workspace(tmp_path / "ws", {"governance.yaml": "inventory: [data/people.yaml]\n"})
    (ws / "data").symlink_to("../outside-secret-folder")
    lines = errors(ws)
    assert lines == ["governance.yaml:1:13: 'data/people.yaml' leads outside the workspace through the symbolic link 'data'"]
    assert reads_outside == []


def test_links_inside_the_workspace_are_followed_and_each_file_is_read_once(tmp_path):
    ws = make_workspace(tmp_path, {
        "governance.yaml": "inventory: [inventory, inventory/people.yaml, team/people.yaml]\n",
        "team/systems/all.yaml": "systems:\n  - {id: sys-a, deployment: private, owner: p-cto}\n",
    })
    (ws / "inventory" / "linked").symlink_to("../team/systems")  # a folder: rglob skipped these silently
    (ws / "inventory" / "again.yaml").symlink_to("people.yaml")
    (ws / "inventory" / "loop").symlink_to("..")  # a folder already walked is not walked again
    (ws / "team" / "people.yaml").symlink_to("../inventory/people.yaml")
    loaded = load(ws)
    assert set(loaded.inventory.systems) == {"sys-a"} and set(loaded.inventory.people) == {"p-ceo", "p-cto"}
    rels = [d.rel for d in loaded.documents]
    assert rels == ["governance.yaml", "policies/committee.yaml", "inventory/people.yaml", "team/systems/all.yaml"]


def test_every_document_and_error_path_is_workspace_relative(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/bad.yaml": "systems: [\n"})
    [line] = errors(ws)
    assert line.startswith("inventory/bad.yaml:")
    (ws / "inventory/bad.yaml").unlink()
    loaded = load(ws)
    assert all(not d.rel.startswith(("/", "..")) and (ws / d.rel).is_file() for d in loaded.documents)
    assert all(not s.rel.startswith(("/", "..")) for s in loaded.rego_sources)


def test_the_built_in_catalogue_is_shown_as_govern_not_by_absolute_path(tmp_path):
    ws = make_workspace(tmp_path, {"controls/mine.yaml": "controls:\n  - {id: CTL-BUD-01, title: {zh: 预算, en: Budget}}\n"})
    proc = govern("validate", str(ws))
    assert proc.returncode == 2
    catalogue = (library.library_root() / "controls" / "budget.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(catalogue, 1) if text == "  - id: CTL-BUD-01")
    assert ("controls/mine.yaml:2:5: duplicate control id 'CTL-BUD-01' "
            f"(first declared at <govern>/controls/budget.yaml:{line}:5)"
            in proc.stderr), proc.stderr
    bad = tmp_path / "elsewhere" / "catalogue.yaml"
    bad.parent.mkdir()
    bad.write_text("controls: [\n", encoding="utf-8")
    lines = errors(make_workspace(tmp_path / "other", {}), library_controls=[bad])
    assert len(lines) == 1 and lines[0].startswith("<govern>/catalogue.yaml:2:1: YAML syntax error")


@pytest.mark.parametrize("target, message", [
    ("../outside-secret-folder/outside-secret-name.yaml",
     "'governance.yaml' is a symbolic link that leads outside the workspace"),
    ("missing.yaml", "'governance.yaml' is a symbolic link that leads to nothing (the link is dangling)"),
])
def test_a_manifest_that_links_out_or_nowhere_is_exit_2(tmp_path, outside, reads_outside, target, message):
    ws = make_workspace(tmp_path / "ws", {}, base={k: v for k, v in MINIMAL_POLICIES.items() if k != "governance.yaml"})
    (ws / "governance.yaml").symlink_to(target)
    assert errors(ws) == [f"governance.yaml:1:1: {message}"]
    assert reads_outside == []


def test_a_manifest_linked_inside_the_workspace_is_read(tmp_path):
    ws = make_workspace(tmp_path, {"config/workspace.yaml": "name: Linked Co\n"})
    (ws / "governance.yaml").unlink()
    (ws / "governance.yaml").symlink_to("config/workspace.yaml")
    loaded = load(ws)
    assert loaded.name == "Linked Co" and loaded.documents[0].rel == "config/workspace.yaml"


# ---------------------------------------------------------------- 6. workspace Rego

CHECK = "package govern.checks.mine\n\nimport rego.v1\n"


def test_workspace_rego_is_read_once_with_its_hash_and_relative_path(tmp_path):
    ws = make_workspace(tmp_path, {"governance.yaml": "checks: [checks, checks/a.rego]\n",
                                   "checks/a.rego": CHECK, "checks/a_test.rego": CHECK + "test_x if true\n",
                                   "checks/sub/b.rego": "not even rego: packages are judged elsewhere\n",
                                   "checks/notes.md": "# notes\n"})
    loaded = load(ws)
    assert [(s.rel, s.text) for s in loaded.rego_sources] == [
        ("checks/a.rego", CHECK), ("checks/sub/b.rego", "not even rego: packages are judged elsewhere\n")]
    assert loaded.rego_sources[0].sha256 == hashlib.sha256(CHECK.encode()).hexdigest()
    assert loaded.rego_files == [s.path for s in loaded.rego_sources]
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.rego_sources[0].text = "changed"  # frozen: what was hashed is what runs


def test_workspace_rego_that_is_not_utf8_is_exit_2_at_the_file(tmp_path):
    ws = make_workspace(tmp_path, {"governance.yaml": "checks: [checks]\n"})
    (ws / "checks").mkdir()
    (ws / "checks" / "bad.rego").write_bytes(b"package govern.checks.bad\n# caf\xe9\n")
    stderr = validate(ws)
    assert stderr.startswith("checks/bad.rego:1:1: not UTF-8 text: invalid continuation byte at byte 31")


def test_workspace_rego_follows_the_same_link_rules(tmp_path, outside, reads_outside):
    ws = make_workspace(tmp_path / "ws", {"governance.yaml": "checks: [checks]\n", "lib/shared.rego": CHECK})
    (ws / "checks").mkdir()
    (ws / "checks" / "evil.rego").symlink_to("../../outside-secret-folder/evil.rego")
    (ws / "checks" / "shared.rego").symlink_to("../lib/shared.rego")
    assert errors(ws) == ["checks/evil.rego:1:1: 'checks/evil.rego' is a symbolic link that leads outside the workspace"]
    assert reads_outside == []
    (ws / "checks" / "evil.rego").unlink()
    assert [s.rel for s in load(ws).rego_sources] == ["lib/shared.rego"]


# ---------------------------------------------------------------- 7. a folder is a workspace only with a manifest

@pytest.mark.parametrize("command", [["validate"], ["check", "--as-of", AS_OF]])
def test_a_folder_without_governance_yaml_is_not_a_workspace(tmp_path, command):
    make_workspace(tmp_path, {}, base={"inventory/people.yaml": "people: []\n"})
    proc = govern(command[0], str(tmp_path), *command[1:], env=NO_OPA)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("governance.yaml:1:1: this folder is not a govern workspace (no governance.yaml)")
    assert "Traceback" not in proc.stderr


# ---------------------------------------------------------------- 8. shapes the models never expected (tests/test_fuzz.py)

ONLY_JSON = "a workspace holds only text, numbers, booleans, null, dates, lists and mappings"


@pytest.mark.parametrize("value, where, tag", [
    ("{x: !!omap [a: 1, a: 2]}", 15, "!!omap"),  # ruamel asserted the keys were unique
    ("{x: !!omap [a: 1]}", 15, "!!omap"),
    ("{x: !!set {a, b}}", 15, "!!set"),
    ("{x: !!pairs [a: 1]}", 15, "!!pairs"),
    ("{x: !!binary aGk=}", 15, "!!binary"),
    ("{x: !!python/object:os.system x}", 15, "!!python/object:os.system"),
    ("{x: !mine x}", 15, "!mine"),
])
def test_yaml_tags_json_cannot_carry_are_exit_2_at_the_value(tmp_path, value, where, tag):
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": f"systems:\n  - id: s\n    deployment: private\n    tags: {value}\n"
                                   })
    assert errors(ws) == [f"inventory/systems.yaml:4:{where}: the YAML tag {tag} is not allowed: {ONLY_JSON}"]


@pytest.mark.parametrize("text, where", [
    ("tags: {[a, b]: 1}", "4:12"),  # ruamel made the tuple ('a', 'b') of it
    ("tags: {[{a: 1}]: 1}", "4:12"),  # … and a tuple holding a dict, which cannot be hashed
    ("tags: {{a: 1}: 1}", "4:12"),
    ("tags:\n      ? - a\n      : 1", "5:9"),
    ("<<: {[a]: 1}", "4:10"),  # merged in by `<<`: held to the same rule
])
def test_a_list_or_mapping_as_a_mapping_key_is_exit_2_at_the_key(tmp_path, text, where):
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": f"systems:\n  - id: s\n    deployment: private\n    {text}\n"})
    assert errors(ws) == [f"inventory/systems.yaml:{where}: a mapping key must be a single value, not a list or a mapping"]


def test_yaml_the_models_can_read_keeps_working(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/systems.yaml": """\
systems:
  - &base {id: s, deployment: private, tags: {cost_center: !!str 7, since: "2026-01-01"}}
  - {<<: *base, id: t}
"""})
    systems = load(ws).inventory.systems
    assert systems["t"].tags == {"cost_center": "7", "since": "2026-01-01"}


@pytest.mark.parametrize("kind, shown", [("[]", "a list"), ("{}", "a mapping"), ("[Committee]", "a list"),
                                         ("{a: 1}", "a mapping"), ("null", "'None'"), ("3", "'3'")])
def test_a_policy_kind_that_is_not_a_name_is_exit_2_at_the_kind(tmp_path, kind, shown):
    ws = make_workspace(tmp_path, {"policies/committee.yaml": f"id: board\nchair: p-ceo\nkind: {kind}\n"})
    [line] = errors(ws)
    assert line.startswith(f"policies/committee.yaml:3:1: unknown kind {shown} (expected one of Committee, ")


def test_a_policy_kind_that_is_a_list_through_the_cli(tmp_path):
    ws = make_workspace(tmp_path, {"policies/committee.yaml": "kind: []\nid: board\nchair: p-ceo\n"})
    assert validate(ws).startswith("policies/committee.yaml:1:1: unknown kind a list")


SPEND = "S1,CC-1,x,bl-1,100,2026-01-01\n"


@pytest.mark.parametrize("header, where, column", [
    ("id,tags,tags.x,budget_line,amount,date", 9, "tags.x"),  # the cell 'CC-1' was indexed as a dict
    ("id,tags.x,tags,budget_line,amount,date", 11, "tags"),  # … or silently replaced the mapping
    ("id,tags.x,tags.x,budget_line,amount,date", 11, "tags.x"),
    ("id,budget_line,id,amount,date", 16, "id"),
    (" id , tags , tags.x ,budget_line,amount,date", 13, "tags.x"),
])
def test_csv_columns_that_fill_the_same_field_are_exit_2_at_the_later_column(tmp_path, header, where, column):
    ws = make_workspace(tmp_path, {"inventory/spend.csv": f"{header}\n{SPEND}"})
    assert errors(ws) == [f"inventory/spend.csv:1:{where}: column '{column}' fills the same field as an earlier column"]


def test_csv_columns_spread_over_one_mapping_keep_working(tmp_path):
    path = tmp_path / "spend.csv"
    path.write_text("id,tags.cost_center,tags.owner,budget_line,amount,date\nS1,CC-1,x,bl-1,100,2026-01-01\n", encoding="utf-8")
    [item] = read_document(tmp_path, path).data["spend"]
    assert item["tags"] == {"cost_center": "CC-1", "owner": "x"}


def test_a_csv_header_clash_through_the_cli(tmp_path):
    ws = make_workspace(tmp_path, {"inventory/spend.csv": f"id,tags,tags.x,budget_line,amount,date\n{SPEND}"})
    assert validate(ws).startswith("inventory/spend.csv:1:9: column 'tags.x' fills the same field as an earlier column")
