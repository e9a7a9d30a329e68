"""The frameworks a control cites (governance/frameworks.py): one place for their keys, aliases and clause
grammars, citations validated where they are written (`validate` and `check` alike, the built-in catalogue
and a workspace's own controls), and read in Chinese and English."""

from __future__ import annotations

import pytest

from governance import frameworks, library
from governance.frameworks import FRAMEWORKS, clause_order, display, normalise, problems
from governance.load import WorkspaceErrors, read_document
from governance.model import load_workspace
from tests.conftest import check, govern


def builtin_controls() -> list[dict]:
    return [c for path in library.control_files() for c in read_document(path.parent, path).data["controls"]]


def cited(controls: list[dict]) -> dict[str, set[str]]:
    """framework -> the clauses the controls cite, read straight from their YAML."""
    out: dict[str, set[str]] = {}
    for c in controls:
        for key, value in c["references"].items():
            out.setdefault(key, set()).update(value if isinstance(value, list) else [value])
    return out


# ---------------------------------------------------------------- the one place

def test_the_frameworks_are_the_catalogues_keys():
    assert list(FRAMEWORKS) == ["gbt22239", "pipl", "dsl", "csl", "gbt43697", "cac2024", "iso27001", "handbook"]


def test_every_builtin_citation_parses():
    controls = builtin_controls()
    assert [(c["id"], problems(c["references"])) for c in controls if problems(c["references"])] == []
    by_framework = cited(controls)
    assert set(by_framework) == set(FRAMEWORKS)  # the catalogue cites every framework govern knows
    for key, clauses in by_framework.items():
        assert all(FRAMEWORKS[key].form_of(clause) for clause in clauses), key
    # what the catalogue maps to, as an auditor counts it
    counts = {key: len(clauses) for key, clauses in by_framework.items()}
    assert (counts["iso27001"], counts["gbt22239"], counts["pipl"], counts["dsl"], counts["gbt43697"]) == (14, 9, 7, 4, 5)


@pytest.mark.parametrize("name, key", [
    ("gbt22239", "gbt22239"), ("mlps", "gbt22239"), ("MLPS", "gbt22239"), ("GB/T 22239", "gbt22239"),
    ("GB/T 22239-2019", "gbt22239"), ("等保2.0", "gbt22239"), ("pipl", "pipl"), ("PIPL", "pipl"),
    ("个人信息保护法", "pipl"), ("《数据安全法》", "dsl"), ("csl", "csl"), ("GB/T 43697-2024", "gbt43697"),
    ("cac-2024", "cac2024"), ("cac2024", "cac2024"), ("ISO/IEC 27001:2022", "iso27001"), ("iso-27001", "iso27001"),
    ("handbook", "handbook"), ("手册", "handbook"),
])
def test_names_and_aliases_normalise_to_the_key(name, key):
    assert normalise(name) == key


@pytest.mark.parametrize("name", ["sox", "", "iso", "mlps3", "gbt", "art. 21"])
def test_an_unknown_name_normalises_to_nothing(name):
    assert normalise(name) is None


@pytest.mark.parametrize("key, clause", [
    ("iso27001", "A.5.1"), ("iso27001", "A.5.37"), ("iso27001", "A.6.8"), ("iso27001", "A.7.14"), ("iso27001", "A.8.34"),
    ("gbt22239", "8.1.4.8"), ("gbt22239", "9.2"), ("gbt22239", "8.1.10.11"), ("gbt43697", "Annex G"),
    ("gbt43697", "6.5"), ("pipl", "art. 1"), ("pipl", "art. 74"), ("dsl", "art. 55"), ("cac2024", "art. 14"),
    ("csl", "art. 79"), ("handbook", "1.3.2"), ("handbook", "2"),
])
def test_a_clause_at_its_frameworks_bounds_is_one(key, clause):
    assert FRAMEWORKS[key].form_of(clause) is not None
    assert problems({key: [clause]}) == []


@pytest.mark.parametrize("key, clause", [
    ("iso27001", "A.5.38"), ("iso27001", "A.6.9"), ("iso27001", "A.7.15"), ("iso27001", "A.8.35"), ("iso27001", "A.9.1"),
    ("iso27001", "5.12"), ("iso27001", "a.5.12"), ("gbt22239", "8.1.4.8."), ("gbt22239", "0.1"), ("gbt22239", "8.01"),
    ("gbt22239", "A.5.1"), ("gbt43697", "Annex g"), ("gbt43697", "附录G"), ("pipl", "art. 75"), ("pipl", "art. 0"),
    ("pipl", "Art. 51"), ("pipl", "art.51"), ("pipl", "51"), ("dsl", "art. 56"), ("cac2024", "art. 15"),
    ("handbook", "§1.3.2"), ("handbook", "1.3.2.1.1.1"), ("handbook", ""),
])
def test_a_malformed_clause_is_none(key, clause):
    assert FRAMEWORKS[key].form_of(clause) is None
    [(where, why)] = problems({key: [clause]})
    assert where == (key, 0) and f"'{clause}' is not a clause of {key}; write " in why


def test_what_else_is_wrong_with_references():
    found = dict(problems({"mlps": ["8.1"], "sox": ["404"], "handbook": 1.3, "pipl": [], "dsl": ["art. 21", "art. 21"]}))
    assert found[("mlps",)] == "framework 'mlps' is written 'gbt22239' in a control's references"
    assert found[("sox",)].startswith("unknown framework 'sox' (known: gbt22239, pipl, dsl, csl, gbt43697, cac2024")
    assert found[("handbook",)] == 'handbook: a clause is text: write a section number, in quotes: "1.3.2"'
    assert found[("pipl",)].startswith("pipl: cites no clause")
    assert found[("dsl", 1)] == "dsl: 'art. 21' is cited twice"


def test_clauses_sort_in_their_natural_order():
    def ordered(key: str, clauses: list[str]) -> list[str]:
        return sorted(clauses, key=lambda c: clause_order(key, c))

    assert ordered("gbt22239", ["9.2", "8.1.4.10", "8.1.4.2", "8.1"]) == ["8.1", "8.1.4.2", "8.1.4.10", "9.2"]
    assert ordered("iso27001", ["A.8.24", "A.5.12", "A.5.9"]) == ["A.5.9", "A.5.12", "A.8.24"]
    assert ordered("pipl", ["art. 51", "art. 9", "art. 28"]) == ["art. 9", "art. 28", "art. 51"]
    assert ordered("gbt43697", ["Annex J", "7.2", "Annex G", "6.5"]) == ["6.5", "7.2", "Annex G", "Annex J"]


@pytest.mark.parametrize("key, clause, zh, en", [
    ("pipl", "art. 51", "《个人信息保护法》第51条", "PIPL Art. 51"),
    ("dsl", "art. 21", "《数据安全法》第21条", "DSL Art. 21"),
    ("csl", "art. 37", "《网络安全法》第37条", "CSL Art. 37"),
    ("cac2024", "art. 7", "《促进和规范数据跨境流动规定》第7条", "CAC 2024 cross-border provisions Art. 7"),
    ("gbt22239", "8.1.4.8", "GB/T 22239-2019 8.1.4.8", "GB/T 22239-2019 8.1.4.8"),
    ("gbt43697", "Annex G", "GB/T 43697-2024 附录G", "GB/T 43697-2024 Annex G"),
    ("gbt43697", "6.5", "GB/T 43697-2024 6.5", "GB/T 43697-2024 6.5"),
    ("iso27001", "A.5.12", "ISO/IEC 27001:2022 A.5.12", "ISO/IEC 27001:2022 A.5.12"),
    ("handbook", "1.3.2", "手册 §1.3.2", "Handbook §1.3.2"),
    ("sox", "404", "sox 404", "sox 404"),  # a saved result's framework govern does not know reads as written
])
def test_a_citation_reads_in_both_languages(key, clause, zh, en):
    assert display(key, clause, "zh") == zh and display(key, clause, "en") == en


def test_every_framework_has_a_name_and_a_citation_name_in_both_languages():
    for key in FRAMEWORKS:
        for lang in ("zh", "en"):
            assert frameworks.title(key, lang) != key
            assert display(key, "x", lang) == f"{key} x"  # no form fits: as written, never a half-read clause


# ---------------------------------------------------------------- validated where written

BAD = """\
controls:
  - id: CTL-X-01
    title: {zh: 附加控制, en: Extra control}
    checks: [GOV-001]
    references:
      handbook: "1.3.2"
      iso27001: [A.5.12, A.5.99]
      mlps: ["8.1"]
      pipl: art. 51
"""


@pytest.mark.parametrize("command", ["validate", "check"])
def test_a_workspace_control_with_a_bad_citation_is_exit_2_at_its_line(opa_binary, example, command):
    (example / "controls" / "bad.yaml").write_text(BAD, encoding="utf-8")
    proc = check(example) if command == "check" else govern("validate", str(example))
    assert proc.returncode == 2, proc.stderr
    assert ("controls/bad.yaml:7:26: control 'CTL-X-01': iso27001: 'A.5.99' is not a clause of iso27001; "
            "write an Annex A control: A.5.12") in proc.stderr
    assert "controls/bad.yaml:8:7: control 'CTL-X-01': framework 'mlps' is written 'gbt22239'" in proc.stderr
    assert "pipl" not in proc.stderr  # a single clause needs no list
    assert "Traceback" not in proc.stderr


def test_a_workspace_control_citing_an_unknown_framework_is_exit_2(example):
    (example / "controls" / "bad.yaml").write_text(BAD.replace("mlps:", "sox:"), encoding="utf-8")
    proc = govern("validate", str(example))
    assert proc.returncode == 2
    assert ("controls/bad.yaml:8:7: control 'CTL-X-01': unknown framework 'sox' (known: gbt22239, pipl, dsl, csl, "
            "gbt43697, cac2024, iso27001, handbook)") in proc.stderr


def test_the_builtin_catalogue_is_held_to_the_same_grammar(example, tmp_path):
    """A catalogue shipped with a typo would be evidence pointing nowhere: it fails like a workspace's."""
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(BAD.replace("CTL-X-01", "CTL-GOV-99"), encoding="utf-8")
    with pytest.raises(WorkspaceErrors) as raised:
        load_workspace(example, library_controls=[*library.control_files(), catalogue])
    shown = [str(e) for e in raised.value.errors]
    assert any(s.startswith("<govern>/catalogue.yaml:7:26: control 'CTL-GOV-99'") for s in shown), shown


def test_the_example_and_the_catalogue_load(example):
    proc = govern("validate", str(example))
    assert proc.returncode == 0, proc.stderr
