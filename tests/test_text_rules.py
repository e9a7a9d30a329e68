"""The text rules (docs/security.md, "Text"), kept once, at load, for every file kind a workspace
has: no lone surrogate, NUL or other control character; ids in NFC, without invisible or bidi
characters, check ids of one printable-ASCII shape; ids, names and text of bounded length. Each
case is exit 2 at file:line:col in `validate` and in `check` (the real OPA), never exit 3 after
`validate` passed, and error messages show what they quote escaped."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from governance.load.limits import MAX_ID_CHARS, MAX_NAME_CHARS, MAX_TEXT_CHARS
from governance.text import one_line, visible
from tests import golden
from tests.conftest import Ran, check, govern

NFC, NFD = "sys-caf\u00e9", "sys-cafe\u0301"
assert unicodedata.normalize("NFC", NFD) == NFC and NFC != NFD

SYSTEM = "    owner: p-pay\n    deployment: private\n"


def write(ws: Path, rel: str, text: str) -> Path:
    path = ws / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return ws


def edit(ws: Path, rel: str, old: str, new: str) -> Path:
    path = ws / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return ws


def refused(ws: Path, where: str, needle: str) -> tuple[Ran, Ran]:
    """`validate` and `check` both exit 2 with `where: …needle…`, and check writes no result."""
    validate, checked = govern("validate", str(ws)), check(ws, "--format", "json")
    for ran in (validate, checked):
        assert ran.returncode == 2, (ran.args, ran.stderr)
        assert "Traceback" not in ran.stderr and "internal error" not in ran.stderr
        line = next((ln for ln in ran.stderr.splitlines() if ln.startswith(f"{where}: ")), None)
        assert line is not None and needle in line, (where, needle, ran.stderr)
    assert checked.stdout == ""
    return validate, checked


def accepted(ws: Path) -> None:
    validate = govern("validate", str(ws))
    assert validate.returncode == 0, validate.stderr


def rego(meta: str, rule: str = "EV_001") -> str:
    """A workspace check whose METADATA block (line 5) holds `meta`."""
    return ("package govern.checks.evil\n\nimport data.govern.lib\n\n# METADATA\n" + meta
            + f"{rule} := lib.check(rego.metadata.rule(), {{1}}, set())\n")


def check_meta(cid: str, title: str = "t") -> str:
    return f"# title: {title}\n# custom:\n#   id: {cid}\n#   severity: low\n#   waivable: true\n"


SURROGATE = "a lone surrogate (U+D83D)"
NUL = "a NUL character (U+0000)"
CONTROL = "a control character"


# ---------------------------------------------------------------- characters, every file kind

def _json_inventory(ws: Path) -> tuple[Path, str, str]:
    write(ws, "inventory/extra.json", '{"systems": [\n  {"id": "sys-x", "owner": "p-pay", "deployment": "private",\n'
                                      '   "name": "\\ud83d"}\n]}\n')
    return ws, "inventory/extra.json:3:4", SURROGATE


def _yaml_inventory(ws: Path) -> tuple[Path, str, str]:
    write(ws, "inventory/extra.yaml", 'systems:\n  - id: sys-x\n' + SYSTEM + '    name: "\\ud800x"\n')
    return ws, "inventory/extra.yaml:5:5", "a lone surrogate (U+D800)"


def _csv_inventory(ws: Path) -> tuple[Path, str, str]:
    write(ws, "inventory/people.csv", "id,name,roles\np-new,Bell\x07Ringer,CEO\n")
    return ws, "inventory/people.csv:2:7", f"{CONTROL} (U+0007)"


def _policy_description(ws: Path) -> tuple[Path, str, str]:
    edit(ws, "policies/committee.yaml", "description: ", 'description: "\\ud83d" # ')
    return ws, "policies/committee.yaml:4:1", SURROGATE


def _manifest_name(ws: Path) -> tuple[Path, str, str]:
    edit(ws, "governance.yaml", "name: Acme Retail Group", 'name: "Acme \\ud83d"')
    return ws, "governance.yaml:2:1", SURROGATE


def _waiver_justification(ws: Path) -> tuple[Path, str, str]:
    text = (ws / "waivers/waivers.yaml").read_text(encoding="utf-8")
    n, line = next((n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith("justification:"))
    col = line.index("justification:") + 1
    edit(ws, "waivers/waivers.yaml", line, line[:col - 1] + 'justification: "before \\0 after"')
    return ws, f"waivers/waivers.yaml:{n}:{col}", NUL


def _control_title(ws: Path) -> tuple[Path, str, str]:
    text = (ws / "controls/acme.yaml").read_text(encoding="utf-8")
    n, line = next((n, ln) for n, ln in enumerate(text.splitlines(), 1) if "en: Production" in ln)
    edit(ws, "controls/acme.yaml", "en: Production systems are owned below the committee", 'en: "red \\e[31m alert"')
    return ws, f"controls/acme.yaml:{n}:{line.index('en: Production') + 1}", f"{CONTROL} (U+001B)"


def _rego_metadata(ws: Path) -> tuple[Path, str, str]:
    write(ws, "checks/evil.rego", rego(check_meta("EV-001", '"before \\0 after"')))
    return ws, "checks/evil.rego:5:1", f"METADATA title: text holds {NUL}"


def _rego_metadata_custom(ws: Path) -> tuple[Path, str, str]:
    write(ws, "checks/evil.rego", rego(check_meta("EV-001") + '#   resource: "sys\\u0085"\n'))
    return ws, "checks/evil.rego:5:1", f"METADATA custom.resource: text holds {CONTROL} (U+0085)"


KINDS = {f.__name__.lstrip("_"): f for f in (_json_inventory, _yaml_inventory, _csv_inventory, _policy_description,
                                             _manifest_name, _waiver_justification, _control_title, _rego_metadata,
                                             _rego_metadata_custom)}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_lone_surrogate_nul_or_control_character_is_exit_2_at_its_place_in_validate_and_check(
        opa_binary, example, kind):
    ws, where, needle = KINDS[kind](example)
    refused(ws, where, needle)


def test_bundle_refuses_what_check_refuses_instead_of_failing_to_write_it(opa_binary, example, tmp_path):
    # before: validate passed, then bundle (and check) exited 3 with UnicodeEncodeError
    ws, where, needle = _json_inventory(example)
    out = tmp_path / "bundle.tar.gz"
    ran = govern("bundle", str(ws), "--output", str(out))
    assert ran.returncode == 2, ran.stderr
    assert f"{where}: text holds {needle}" in ran.stderr
    assert not out.exists()


def test_tab_newline_and_crlf_line_ends_are_text(opa_binary, example):
    write(example, "inventory/extra.yaml",
          "systems:\r\n  - id: sys-x\r\n    owner: p-pay\r\n    deployment: private\r\n"
          '    description: "a\\tb\\nc\\r\\nd"\r\n')
    write(example, "inventory/people.csv", 'id,name,roles\r\np-new,"two\r\nlines",CEO\r\n')
    accepted(example)


def test_a_lone_carriage_return_in_a_value_is_refused(opa_binary, example):
    write(example, "inventory/extra.json", '{"systems": [{"id": "sys-x", "owner": "p-pay", "deployment": "private", '
                                           '"description": "over\\rwritten"}]}')
    refused(example, "inventory/extra.json:1:73", f"{CONTROL} (U+000D)")


def test_a_key_is_text_too(opa_binary, example):
    write(example, "inventory/extra.yaml", 'systems:\n  - id: sys-x\n' + SYSTEM + '    tags: {"k\\0": v}\n')
    refused(example, "inventory/extra.yaml:5:12", NUL)


# ---------------------------------------------------------------- ids: NFC, invisible characters, shape

def test_one_id_spelt_in_nfc_and_in_nfd_in_two_files_is_a_duplicate_not_two_entities(opa_binary, example):
    write(example, "inventory/a.yaml", f"systems:\n  - id: {NFC}\n" + SYSTEM)
    write(example, "inventory/b.json", json.dumps({"systems": [{"id": NFD, "owner": "p-pay", "deployment": "private"}]},
                                                  ensure_ascii=False))
    refused(example, "inventory/b.json:1:14", f"duplicate system id '{NFC}' (first declared at inventory/a.yaml:2:5)")


def test_a_reference_in_nfd_finds_the_entity_spelt_in_nfc(opa_binary, example):
    write(example, "inventory/extra.yaml", "people:\n  - {id: p-caf\u00e9, name: Caf\u00e9}\n"
                                           "systems:\n  - {id: sys-x, owner: p-cafe\u0301, deployment: private}\n")
    accepted(example)


ZERO_WIDTH_JOINER, BIDI_OVERRIDE = "\u200d", "\u202e"


@pytest.mark.parametrize("hidden", ["\u200b", "\u200c", ZERO_WIDTH_JOINER, "\u2060", "\ufeff", BIDI_OVERRIDE, "\u2066",
                                    "\u200e", "\u061c", "\u00ad", "\u00a0"])
def test_an_entity_id_with_an_invisible_or_bidi_character_is_exit_2_at_the_id(opa_binary, example, hidden):
    write(example, "inventory/extra.yaml", f'systems:\n  - id: "sys-payment-center\\u{ord(hidden):04x}"\n' + SYSTEM)
    validate, _ = refused(example, "inventory/extra.yaml:2:5",
                          f"system id 'sys-payment-center{one_line(hidden)}' holds an invisible, control or "
                          f"direction-changing character (U+{ord(hidden):04X})")
    assert hidden not in validate.stderr  # shown escaped, never raw


def test_ids_of_csv_rows_waivers_and_controls_are_held_to_the_same_rules(opa_binary, example):
    write(example, "inventory/people.csv", "id,name,roles\np-new\u200b,Someone,CEO\n")
    edit(example, "waivers/waivers.yaml", "- id: ", "- id: \u202e")
    edit(example, "controls/acme.yaml", "- id: ", "- id: \u2060")
    validate = govern("validate", str(example))
    assert validate.returncode == 2
    assert "inventory/people.csv:2:1: person id 'p-new\\u200b' holds an invisible" in validate.stderr
    assert "waiver id '\\u202e" in validate.stderr and "control id '\\u2060" in validate.stderr


def test_a_placement_rules_id_is_held_to_the_same_rules(opa_binary, example):
    edit(example, "policies/placement.yaml", "- id: restricted-private-only", '- id: "restricted-private-only\\u200b"')
    refused(example, "policies/placement.yaml:5:5", "placement rule id 'restricted-private-only\\u200b' holds an invisible")


def test_an_id_with_spaces_around_it_is_refused(opa_binary, example):
    write(example, "inventory/extra.yaml", 'systems:\n  - id: "sys-x "\n' + SYSTEM)
    refused(example, "inventory/extra.yaml:2:5", "system id 'sys-x ' begins or ends with a space")


def test_an_unknown_reference_is_shown_with_its_invisible_character_escaped(opa_binary, example):
    # before: "unknown dataset 'ds-payment-txn‍'" printed the joiner raw: it read as a dataset that exists
    edit(example, "inventory/systems.yaml", "- ds-payment-txn\n", '- "ds-payment-txn\\u200d"\n')
    validate = govern("validate", str(example))
    assert validate.returncode == 2
    assert "refers to unknown dataset 'ds-payment-txn\\u200d'" in validate.stderr
    assert ZERO_WIDTH_JOINER not in validate.stderr


@pytest.mark.parametrize("cid", ["PLC\u2010001", "PLC-001\u200d", "plc-001", "PLC 001", "PLC_001", "-PLC", "X" * 300])
def test_a_workspace_check_id_that_is_not_one_printable_ascii_shape_is_exit_2_at_its_metadata(opa_binary, example, cid):
    write(example, "checks/evil.rego", rego(check_meta(json.dumps(cid))))
    validate, _ = refused(example, "checks/evil.rego:5:1", "is not a check id")
    assert "\u200d" not in validate.stderr


def test_a_workspace_check_id_of_the_documented_shape_is_accepted(opa_binary, example):
    write(example, "checks/evil.rego", rego(check_meta("ACME2-EV-9")))
    accepted(example)


# ---------------------------------------------------------------- lengths

def test_an_id_longer_than_the_limit_is_refused_and_one_at_it_accepted(opa_binary, example):
    at_limit = "s" * MAX_ID_CHARS
    write(example, "inventory/extra.yaml", f"systems:\n  - id: {at_limit}\n" + SYSTEM)
    accepted(example)
    write(example, "inventory/extra.yaml", f"systems:\n  - id: {at_limit}x\n" + SYSTEM)
    refused(example, "inventory/extra.yaml:2:5", f"may be at most {MAX_ID_CHARS} characters (this one has 257)")
    write(example, "inventory/extra.yaml", f"systems:\n  - id: {'s' * 60_000}\n" + SYSTEM)
    validate, _ = refused(example, "inventory/extra.yaml:2:5", "may be at most 256 characters (this one has 60,000)")
    assert len(validate.stderr) < 1000  # the id is not repeated whole


def test_a_name_longer_than_the_limit_is_refused_and_one_at_it_accepted(opa_binary, example):
    write(example, "inventory/extra.yaml", f"systems:\n  - id: sys-x\n    name: {'n' * MAX_NAME_CHARS}\n" + SYSTEM)
    accepted(example)
    write(example, "inventory/extra.yaml", f"systems:\n  - id: sys-x\n    name: {'n' * (MAX_NAME_CHARS + 1)}\n" + SYSTEM)
    validate, _ = refused(example, "inventory/extra.yaml:3:5", "at most 1000 characters")
    assert len(validate.stderr) < 1000  # the value is not repeated whole


def test_a_workspace_name_with_an_invisible_character_is_refused(opa_binary, example):
    edit(example, "governance.yaml", "name: Acme Retail Group", 'name: "Acme Retail Group\\u200b"')
    refused(example, "governance.yaml:2:1", "name 'Acme Retail Group\\u200b' holds an invisible")


LONG = "x" * (MAX_TEXT_CHARS + 1)


@pytest.mark.parametrize("rel, text, where", [
    ("inventory/extra.yaml", "systems:\n  - id: sys-x\n" + SYSTEM + f"    description: {LONG}\n", "inventory/extra.yaml:5:18"),
    ("inventory/extra.yaml", "systems:\n  - id: sys-x\n" + SYSTEM + "    description: |\n"
     + f"      {LONG[:40000]}\n      {LONG[40000:]}\n", "inventory/extra.yaml:5:18"),
    ("inventory/extra.json", json.dumps({"systems": [{"id": "sys-x", "owner": "p-pay", "deployment": "private",
                                                      "description": LONG}]}), "inventory/extra.json:1:73"),
    ("inventory/people.csv", f"id,name,roles\np-new,{LONG},CEO\n", "inventory/people.csv:2:7"),
])
def test_text_longer_than_the_limit_is_refused_in_every_file_kind(opa_binary, example, rel, text, where):
    write(example, rel, text)
    validate, _ = refused(example, where, f"at most {MAX_TEXT_CHARS:,} characters")
    assert len(validate.stderr) < 2000


def test_text_at_the_limit_is_accepted(opa_binary, example):
    write(example, "inventory/extra.json", json.dumps({"systems": [{"id": "sys-x", "owner": "p-pay", "deployment": "private",
                                                                    "description": LONG[1:]}]}))
    accepted(example)


def test_a_check_title_longer_than_a_name_is_refused_at_its_metadata(opa_binary, example):
    write(example, "checks/evil.rego", rego(check_meta("EV-001", "t" * (MAX_NAME_CHARS + 1))))
    refused(example, "checks/evil.rego:5:1", f"METADATA title: a title may be at most {MAX_NAME_CHARS:,} characters")


# ---------------------------------------------------------------- aggregate and messages

def _saved(tmp_path: Path, name: str, workspace: str) -> Path:
    doc = golden.data("acme")
    doc["workspace"] = workspace
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_aggregate_refuses_a_workspace_name_a_workspace_could_not_have(tmp_path):
    # before: "Acme" and "Acme\u200b" were two workspaces, their findings counted twice
    first, second = _saved(tmp_path, "a", "Acme"), _saved(tmp_path, "b", "Acme\u200b")
    ran = govern("aggregate", str(first), str(second))
    assert ran.returncode == 2
    assert f"{second}:1:1: the workspace name 'Acme\\u200b' holds an invisible" in ran.stderr
    assert "\u200b" not in ran.stderr


def test_aggregate_compares_workspace_names_in_nfc(tmp_path):
    first, second = _saved(tmp_path, "a", f"Acme {NFC}"), _saved(tmp_path, "b", f"Acme {NFD}")
    ran = govern("aggregate", str(first), str(second))
    assert ran.returncode == 2
    assert f"{first} and {second} are both results of workspace 'Acme {NFC}'" in ran.stderr


def test_visible_escapes_what_a_reader_cannot_see_and_keeps_the_rest():
    assert visible("sys-payment-center\u200d") == "sys-payment-center\\u200d"
    assert visible("a\u202eb\x00c\x1bd\U000e0041") == "a\\u202eb\\x00c\\x1bd\\U000e0041"
    assert visible("支付中心 café é PLC\u2010001") == "支付中心 café é PLC\u2010001"
    assert one_line("a\u00a0b\nc") == "a\\xa0b\\x0ac"  # messages: every unprintable character, on one line
