"""The frameworks a control cites (governance/frameworks.py): one place for their keys, aliases and clause
grammars, citations validated where they are written (`validate` and `check` alike, the built-in catalogue
and a workspace's own controls), and read in Chinese and English."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from governance import frameworks, library
from governance.frameworks import FRAMEWORKS, clause_order, display, normalise, problems
from governance.load import WorkspaceErrors, read_document
from governance.model import load_workspace
from governance.result import REQUIREMENT_STATUSES, requirement_status
from governance.vocabulary import names
from tests.conftest import AS_OF, EXAMPLE, check, govern, shared_opa


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
    # digits are ASCII: Arabic-Indic, full-width and Devanagari digits are other characters, not the same clause
    ("pipl", "art. 5\u0661"), ("pipl", "art. \uff15\uff11"), ("gbt22239", "8.1.4.\u096e"), ("iso27001", "A.5.1\u0662"),
    ("gbt43697", "Annex G.\u0661"), ("handbook", "\u0661.3"),
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


def test_a_control_cites_at_most_max_clauses():
    sections = [f"{a}.{b}" for a in range(1, 11) for b in range(1, 11)]
    assert len(sections) == frameworks.MAX_CLAUSES
    assert problems({"gbt22239": sections[:-1], "handbook": "1.3.2"}) == []
    assert problems({"gbt22239": sections, "handbook": "1.3.2"}) == [
        ((), f"cites {frameworks.MAX_CLAUSES + 1} clauses; a control cites at most {frameworks.MAX_CLAUSES}")]


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
    ("sox", "404", "sox 404", "sox 404"),  # a framework govern does not know reads as written
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


def test_a_clause_with_a_non_ascii_digit_is_exit_2_at_its_line(example):
    """"art. 5١" beside "art. 51" would escape "cited twice" and count as a second requirement met."""
    (example / "controls" / "bad.yaml").write_text(
        BAD.replace("mlps: [\"8.1\"]", "gbt22239: [\"8.1\"]").replace("A.5.99", "A.5.9")
        .replace("pipl: art. 51", "pipl: [\"art. 5\u0661\", \"art. 51\"]"), encoding="utf-8")
    proc = govern("validate", str(example))
    assert proc.returncode == 2, proc.stderr
    assert "controls/bad.yaml:9:14: control 'CTL-X-01': pipl: 'art. 5\u0661' is not a clause of pipl" in proc.stderr


def test_a_control_citing_a_whole_catalogue_is_exit_2_at_its_references(example):
    """20,184 clauses in one control made `check --format audit=` take minutes: refused where they are written."""
    clauses = ", ".join(f'"{a}.{b}.{c}"' for a in range(1, 21) for b in range(1, 21) for c in range(1, 51))
    text = BAD.replace('mlps: ["8.1"]', f"gbt22239: [{clauses}]").replace("A.5.99", "A.5.9")
    (example / "controls" / "bad.yaml").write_text(text, encoding="utf-8")
    proc = govern("validate", str(example))
    assert proc.returncode == 2, proc.stderr
    assert ("controls/bad.yaml:5:5: control 'CTL-X-01': cites 20004 clauses; a control cites at most "
            f"{frameworks.MAX_CLAUSES}") in proc.stderr, proc.stderr


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


# ---------------------------------------------------------------- the view: statuses and coverage

def test_a_requirements_status_from_its_controls():
    assert requirement_status(["pass", "advisory"]) == "satisfied"
    assert requirement_status(["pass", "not_applicable"]) == "satisfied"  # the controls that apply pass
    assert requirement_status(["not_applicable", "not_applicable"]) == "not_applicable"
    assert requirement_status(["fail", "skipped", None, "pass"]) == "not_satisfied"  # a failure is known whatever else
    assert requirement_status(["pass", "skipped"]) == "not_evaluated"  # part of its evidence was not looked at
    assert requirement_status(["pass", None]) == "not_evaluated"  # a control the run does not hold
    assert requirement_status(["not_applicable", "skipped"]) == "not_evaluated"


def test_the_vocabulary_names_every_framework_and_requirement_status():
    assert list(names("frameworks")) == list(FRAMEWORKS) == list(names("framework_citations"))
    assert tuple(names("requirement_statuses")) == REQUIREMENT_STATUSES


@pytest.fixture(scope="module")
def acme_result(opa_binary, tmp_path_factory) -> Path:
    """acme's result at AS_OF, saved as `govern check --format json` writes it."""
    path = tmp_path_factory.mktemp("acme") / "result.json"
    proc = check(EXAMPLE, "--format", "json", "--output", str(path))
    assert proc.returncode in (0, 1), proc.stderr
    return path


def controls_json(workspace: Path, *args: str) -> dict:
    proc = govern("controls", str(workspace), "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def expected_requirements(controls: list[dict], result: dict, framework: str) -> dict[str, str]:
    """clause -> status, derived here from the controls' YAML and the result's checks alone: a check failing
    with only info findings (advice at fail_on low) passes with advisories; a control fails if a check fails,
    else is not evaluated if one is skipped, else passes if one passes or advises, else is not applicable."""
    checks = {c["id"]: c for c in result["checks"]}

    def check_state(check_id: str) -> str:
        c = checks.get(check_id)
        if c is None:
            return "not_evaluated"
        return "pass" if c["status"] == "fail" and c["severity"] == "info" else c["status"]

    def control_state(control: dict) -> str:
        states = {check_state(c) for c in control["checks"]}
        return next((s for s in ("fail", "skipped", "not_evaluated", "pass") if s in states), "not_applicable")

    by_clause: dict[str, set[str]] = {}
    for control in controls:
        cited_here = control["references"].get(framework, [])
        for clause in cited_here if isinstance(cited_here, list) else [cited_here]:
            by_clause.setdefault(clause, set()).add(control_state(control))
    said = {"fail": "not_satisfied", "skipped": "not_evaluated", "not_evaluated": "not_evaluated", "pass": "satisfied"}
    return {clause: next((said[s] for s in ("fail", "skipped", "not_evaluated", "pass") if s in states), "not_applicable")
            for clause, states in by_clause.items()}


def acme_controls() -> list[dict]:
    own = [c for path in sorted((EXAMPLE / "controls").glob("*.yaml"))
           for c in read_document(path.parent, path).data["controls"]]
    return builtin_controls() + own


@pytest.mark.parametrize("name, framework", [("gbt22239", "gbt22239"), ("mlps", "gbt22239"), ("pipl", "pipl")])
def test_coverage_on_acme_agrees_with_the_catalogue_and_the_result(acme_result, name, framework):
    view = controls_json(EXAMPLE, "--result", str(acme_result), "--framework", name)
    result = json.loads(acme_result.read_text(encoding="utf-8"))
    expected = expected_requirements(acme_controls(), result, framework)
    assert view["framework"] == framework and view["as_of"] == AS_OF
    assert {r["clause"]: r["status"] for r in view["requirements"]} == expected
    counted = Counter(expected.values())
    assert view["coverage"] == {"cited": len(expected), **{s: counted[s] for s in REQUIREMENT_STATUSES}}
    # the mapping the issue counts: 9 clauses of GB/T 22239, 7 PIPL articles; acme fails some of each
    assert view["coverage"]["cited"] == {"gbt22239": 9, "pipl": 7}[framework]
    assert view["coverage"]["not_satisfied"] >= 1 and view["coverage"]["satisfied"] >= 1


def test_requirements_come_in_clause_order_with_their_controls_and_checks(acme_result):
    view = controls_json(EXAMPLE, "--result", str(acme_result), "--framework", "gbt22239")
    clauses = [r["clause"] for r in view["requirements"]]
    assert clauses == ["8.1", "8.1.4.8", "8.1.9.1", "8.1.9.9", "8.2.1.1", "8.2.2.1", "9.1.9.1", "9.1.9.9", "9.2"]
    [encryption] = [r for r in view["requirements"] if r["clause"] == "8.1.4.8"]
    [control] = encryption["controls"]
    assert control["id"] == "CTL-CLS-05" and [c["id"] for c in control["checks"]] == ["CLS-007"]
    assert control["checks"][0]["title"]["en"] and control["checks"][0]["status"] in ("pass", "fail", "advisory")


def test_skipped_controls_leave_their_requirements_not_evaluated(opa_binary, example, tmp_path):
    result = tmp_path / "skipped.json"
    proc = check(example, "--skip", "MLP-001", "--format", "json", "--output", str(result))
    assert proc.returncode in (0, 1), proc.stderr
    view = controls_json(example, "--result", str(result), "--framework", "mlps")
    status = {r["clause"]: r["status"] for r in view["requirements"]}
    # CTL-MLP-01 (MLP-001 alone) is the only control citing 8.1.9.1 and 9.1.9.1
    assert status["8.1.9.1"] == status["9.1.9.1"] == "not_evaluated"
    assert view["coverage"]["not_evaluated"] == 2
    catalogue = controls_json(example, "--result", str(result))
    [mlp] = [c for c in catalogue["controls"] if c["id"] == "CTL-MLP-01"]
    assert mlp["status"] == "skipped" and mlp["checks"] == [{"id": "MLP-001", "title": mlp["checks"][0]["title"],
                                                             "status": "skipped"}]


EXTRA = """\
controls:
  - id: CTL-X-01
    title: {zh: 附加控制, en: Extra control}
    checks: [WAV-009]
    references:
      csl: [art. 50]
"""


def test_a_requirement_whose_controls_do_not_apply_is_not_applicable(opa_binary, example):
    (example / "controls" / "extra.yaml").write_text(EXTRA, encoding="utf-8")  # WAV-009 has nothing to judge in acme
    view = controls_json(example, "--as-of", AS_OF, "--opa-url", shared_opa(), "--framework", "csl")
    assert {r["clause"]: r["status"] for r in view["requirements"]}["art. 50"] == "not_applicable"
    assert view["coverage"]["not_applicable"] == 1


def test_a_control_the_result_does_not_hold_is_not_evaluated(example, acme_result):
    """A control added after the run: the result says nothing of it, so neither does the view."""
    (example / "controls" / "extra.yaml").write_text(EXTRA.replace("WAV-009", "GOV-001"), encoding="utf-8")
    catalogue = controls_json(example, "--result", str(acme_result))
    [extra] = [c for c in catalogue["controls"] if c["id"] == "CTL-X-01"]
    assert extra["status"] is None and extra["references"] == [{"framework": "csl", "clause": "art. 50"}]
    view = controls_json(example, "--result", str(acme_result), "--framework", "csl")
    assert {r["clause"]: r["status"] for r in view["requirements"]}["art. 50"] == "not_evaluated"


def test_a_framework_the_catalogue_does_not_cite_has_no_requirements(opa_binary, example, acme_result):
    for path in (example / "controls").glob("*.yaml"):
        path.unlink()
    view = controls_json(example, "--result", str(acme_result), "--framework", "handbook")
    # the built-in catalogue still cites the handbook
    assert view["coverage"]["cited"] == len(cited(builtin_controls())["handbook"]) > 0
    page = govern("controls", str(EXAMPLE), "--result", str(acme_result), "--framework", "csl", "--format", "markdown",
                  "--lang", "en").stdout
    assert "2 requirements cited by the catalogue" in page


# ---------------------------------------------------------------- the JSON shape, pinned

def test_the_catalogue_json_shape(acme_result):
    view = controls_json(EXAMPLE, "--result", str(acme_result))
    assert set(view) == {"kind", "schema_version", "workspace", "as_of", "controls"}
    assert (view["kind"], view["schema_version"], view["workspace"], view["as_of"]) == \
        ("govern-controls", 1, "Acme Retail Group", AS_OF)
    ids = [c["id"] for c in view["controls"]]
    assert ids == sorted(ids) and len(ids) == len(acme_controls())
    [gov] = [c for c in view["controls"] if c["id"] == "CTL-GOV-01"]
    assert set(gov) == {"id", "title", "domain", "status", "checks", "references"}
    assert gov["title"] == {"zh": "委员会组成与主持", "en": "Committee composition and chair"} and gov["domain"] == "committee"
    assert gov["references"] == [{"framework": "handbook", "clause": "1.3.2"}, {"framework": "iso27001", "clause": "A.5.2"},
                                 {"framework": "iso27001", "clause": "A.5.3"}]
    assert [set(c) for c in gov["checks"]] == [{"id", "title", "status"}] * 2
    result = json.loads(acme_result.read_text(encoding="utf-8"))
    standing = {c["id"]: c["status"] for c in result["controls"]}
    advisory = {c["id"] for c in view["controls"] if c["status"] == "advisory"}
    assert advisory and all(standing[c] == "fail" for c in advisory)  # failing on advice alone: pass with advisories
    assert all(c["status"] == standing[c["id"]] for c in view["controls"] if c["id"] not in advisory)


def test_the_framework_json_shape(acme_result):
    view = controls_json(EXAMPLE, "--result", str(acme_result), "--framework", "pipl")
    assert set(view) == {"kind", "schema_version", "workspace", "as_of", "framework", "requirements", "coverage"}
    assert (view["kind"], view["schema_version"], view["framework"]) == ("govern-framework", 1, "pipl")
    assert all(set(r) == {"clause", "status", "controls"} for r in view["requirements"])
    assert set(view["coverage"]) == {"cited", "satisfied", "not_satisfied", "not_applicable", "not_evaluated"}
    [art40] = [r for r in view["requirements"] if r["clause"] == "art. 40"]
    assert [c["id"] for c in art40["controls"]] == ["CTL-PLC-02", "CTL-PLC-03", "CTL-PLC-04"]


# ---------------------------------------------------------------- the formats

@pytest.mark.parametrize("name", ["mlps", "MLPS", "GB/T 22239-2019", "等保2.0"])
def test_an_alias_gives_the_same_view(acme_result, name):
    same = controls_json(EXAMPLE, "--result", str(acme_result), "--framework", "gbt22239")
    assert controls_json(EXAMPLE, "--result", str(acme_result), "--framework", name) == same


def test_an_unknown_framework_is_exit_2_with_the_known_ones(acme_result):
    proc = govern("controls", str(EXAMPLE), "--result", str(acme_result), "--framework", "sox")
    assert proc.returncode == 2 and proc.stdout == ""
    assert ("unknown framework 'sox' (known: gbt22239, pipl, dsl, csl, gbt43697, cac2024, iso27001, handbook)"
            in proc.stderr)


def test_the_markdown_view_states_each_requirement_and_the_coverage(acme_result):
    view = controls_json(EXAMPLE, "--result", str(acme_result), "--framework", "pipl")
    page = govern("controls", str(EXAMPLE), "--result", str(acme_result), "--framework", "pipl", "--format", "markdown",
                  "--lang", "en").stdout
    assert page.startswith("# govern · Acme Retail Group · Personal Information Protection Law (PIPL) · as of 2026-11-25\n")
    rows = [line for line in page.splitlines() if line.startswith("| PIPL Art. ")]
    assert len(rows) == sum(len(r["controls"]) for r in view["requirements"])
    assert "| PIPL Art. 28 | satisfied | CTL-CLS-03 (pass) |" in page
    c = view["coverage"]
    assert (f"{c['cited']} requirements cited by the catalogue: {c['satisfied']} satisfied, {c['not_satisfied']} not "
            f"satisfied, 0 not applicable, 0 not evaluated") in page
    zh = govern("controls", str(EXAMPLE), "--result", str(acme_result), "--framework", "pipl", "--format", "markdown").stdout
    assert "| 《个人信息保护法》第28条 | 已满足 | CTL-CLS-03（通过） |" in zh and "## 覆盖情况" in zh
    assert zh.startswith("# govern · Acme Retail Group · 《个人信息保护法》 · 评估基准日 2026-11-25\n")  # a law in 《》
    assert f"控制项目录引用的要求项 {c['cited']} 项：" in zh  # the catalogue called as everywhere else
    assert not re.search(r"\([^()]*[\u4e00-\u9fff]|（[^）]*（", zh), "half-width or nested brackets in Chinese"


def test_a_standing_is_bracketed_once_in_the_languages_brackets():
    from governance.report._controls import standing
    from governance.vocabulary import messages

    assert standing("CTL-CLS-06", "advisory", messages("zh")) == "CTL-CLS-06（通过但有提示）"  # its name holds none
    assert standing("CTL-CLS-06", "advisory", messages("en")) == "CTL-CLS-06 (pass with advisories)"
    assert standing("CTL-CLS-06", None, messages("zh")) == "CTL-CLS-06（未评估）"


def test_the_table_view_writes_chinese_brackets_in_chinese(acme_result):
    page = govern("controls", str(EXAMPLE), "--result", str(acme_result), "--framework", "pipl").stdout
    assert "（通过）：" in page and not re.search(r"\([^()]*[\u4e00-\u9fff]", page), page


def test_the_csv_view_has_a_row_per_requirement_and_control(acme_result):
    view = controls_json(EXAMPLE, "--result", str(acme_result), "--framework", "gbt22239")
    text = govern("controls", str(EXAMPLE), "--result", str(acme_result), "--framework", "gbt22239", "--format", "csv").stdout
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [(r["clause"], r["control"], r["requirement_status"]) for r in rows] == \
        [(r["clause"], c["id"], r["status"]) for r in view["requirements"] for c in r["controls"]]
    assert rows[1]["citation"] == "GB/T 22239-2019 8.1.4.8" and rows[1]["checks"].startswith("CLS-007:")
    catalogue = govern("controls", str(EXAMPLE), "--result", str(acme_result), "--format", "csv", "--lang", "en").stdout
    lines = list(csv.DictReader(io.StringIO(catalogue.removeprefix("\ufeff"))))
    [gov] = [r for r in lines if r["control"] == "CTL-GOV-01"]
    assert gov["references"] == "Handbook §1.3.2; ISO/IEC 27001:2022 A.5.2; ISO/IEC 27001:2022 A.5.3"
    assert gov["title"] == "Committee composition and chair" and gov["domain"] == "committee"


def test_the_table_view_ends_with_the_coverage(acme_result):
    page = govern("controls", str(EXAMPLE), "--result", str(acme_result), "--framework", "dsl", "--lang", "en").stdout
    assert "DSL Art. 21" in page and page.rstrip().splitlines()[-1].startswith("4 requirements cited by the catalogue: ")


def test_a_title_or_id_is_never_read_as_markup(opa_binary, example, acme_result):
    (example / "controls" / "extra.yaml").write_text(
        EXTRA.replace("Extra control", "'=cmd [bold]x[/] | y'"), encoding="utf-8")
    for fmt in ("table", "markdown", "csv"):
        proc = govern("controls", str(example), "--result", str(acme_result), "--format", fmt, "--lang", "en")
        assert proc.returncode == 0, proc.stderr
    table = govern("controls", str(example), "--result", str(acme_result), "--lang", "en").stdout
    assert "[bold]x[/]" in table
    page = govern("controls", str(example), "--result", str(acme_result), "--lang", "en", "--format", "markdown").stdout
    assert "| =cmd \\[bold\\]x\\[/\\] \\| y |" in page  # no link syntax; a pipe in a title does not end its cell
    sheet = govern("controls", str(example), "--result", str(acme_result), "--lang", "en", "--format", "csv").stdout
    assert ",'=cmd [bold]x[/] | y," in sheet  # a spreadsheet does not run it as a formula


# ---------------------------------------------------------------- a fresh evaluation, and what fails

def test_without_a_result_the_workspace_is_evaluated_as_check_does(opa_binary, acme_result):
    fresh = controls_json(EXAMPLE, "--as-of", AS_OF, "--opa-url", shared_opa(), "--framework", "pipl")
    assert fresh == controls_json(EXAMPLE, "--result", str(acme_result), "--framework", "pipl")


def test_evaluation_options_do_not_go_with_a_result(acme_result):
    proc = govern("controls", str(EXAMPLE), "--result", str(acme_result), "--as-of", AS_OF)
    assert proc.returncode == 2 and "--as-of is for a fresh evaluation" in proc.stderr


def test_when_opa_cannot_evaluate_it_is_exit_3_and_nothing_is_shown(tmp_path):
    ran = govern("controls", str(EXAMPLE), "--as-of", AS_OF, "--format", "json",
                 env={"PATH": "/nonexistent", "GOVERN_OPA": str(tmp_path / "no-opa"), "HOME": str(tmp_path)})
    assert ran.returncode == 3, ran.stderr
    assert ran.stdout == "" and "Traceback" not in ran.stderr


def test_an_invalid_workspace_is_exit_2_before_opa(example, tmp_path):
    (example / "controls" / "bad.yaml").write_text(BAD, encoding="utf-8")
    ran = govern("controls", str(example), "--as-of", AS_OF,
                 env={"PATH": "/nonexistent", "GOVERN_OPA": str(tmp_path / "no-opa"), "HOME": str(tmp_path)})
    assert ran.returncode == 2 and "controls/bad.yaml:7:26:" in ran.stderr and ran.stdout == ""
