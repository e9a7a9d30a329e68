"""The built-in control catalogue (controls/*.yaml) and `govern controls`.

Both directions are checked against the real library: every check evidences a
control, and every control is evidenced by a check that exists. The list of
checks is what a real `govern check` run reports, and it must equal what the
library's METADATA declares.
"""

from __future__ import annotations

import json
import re

import pytest

from governance import library
from governance.load import read_document
from governance.report import markdown_text
from tests.conftest import AS_OF, check, govern, shared_opa

STANDARDS = {"handbook", "iso27001", "gbt43697", "gbt22239", "pipl", "dsl", "csl", "cac2024"}


def declared_check_ids() -> set[str]:
    """The checks the built-in library's METADATA declares, as OPA reads them."""
    from governance.engine import inspect
    from governance.evaluate.policy import catalogue, library_modules

    checks, _, problems = catalogue(inspect(library_modules()))
    assert problems == []
    return set(checks)


def builtin_controls() -> list[dict]:
    out = []
    for path in library.control_files():
        doc = read_document(path.parent, path)
        out += doc.data["controls"]
    return out


@pytest.fixture(scope="module")
def library_run(tmp_path_factory) -> dict:
    """A real run on the example with its own checks and controls removed: the built-in library only."""
    import shutil

    from tests.conftest import EXAMPLE

    ws = tmp_path_factory.mktemp("library") / "acme"
    shutil.copytree(EXAMPLE, ws)
    shutil.rmtree(ws / "controls", ignore_errors=True)
    shutil.rmtree(ws / "checks", ignore_errors=True)
    manifest = ws / "governance.yaml"
    text = re.sub(r"^checks:.*$", "checks: []", manifest.read_text(encoding="utf-8"), flags=re.MULTILINE)
    manifest.write_text(re.sub(r"^controls:.*$", "controls: []", text, flags=re.MULTILINE), encoding="utf-8")
    proc = check(ws, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_a_run_reports_exactly_the_declared_checks(opa_binary, library_run):
    assert {c["id"] for c in library_run["checks"]} == declared_check_ids()
    assert len(declared_check_ids()) == 69


def test_every_check_evidences_a_control(opa_binary, library_run):
    run_ids = {c["id"] for c in library_run["checks"]}
    assert run_ids, "the run reported no checks"
    evidenced = {check for control in builtin_controls() for check in control["checks"]}
    assert sorted((run_ids | declared_check_ids()) - evidenced) == []
    # and the run says so too: every check lists its controls
    assert [c["id"] for c in library_run["checks"] if not c["controls"]] == []


def test_every_control_is_evidenced_by_a_real_check(opa_binary, library_run):
    known = {c["id"] for c in library_run["checks"]} | declared_check_ids()
    for control in builtin_controls():
        assert control["checks"], f"{control['id']} is evidenced by no check"
        unknown = set(control["checks"]) - known
        assert not unknown, f"{control['id']} names checks that do not exist: {sorted(unknown)}"


def test_controls_are_well_formed():
    controls = builtin_controls()
    ids = [c["id"] for c in controls]
    assert len(ids) == len(set(ids))
    for c in controls:
        assert re.fullmatch(r"CTL-[A-Z]{3}-\d{2}", c["id"]), c["id"]
        assert c["title"]["zh"].strip() and c["title"]["en"].strip(), c["id"]
        assert c["references"], f"{c['id']} cites nothing"
        assert set(c["references"]) <= STANDARDS, f"{c['id']}: unknown reference keys {set(c['references']) - STANDARDS}"
        # a control belongs to the domain of its id
        assert all(check.startswith(c["id"].split("-")[1]) for check in c["checks"]), c["id"]


def test_the_catalogue_cites_the_handbook_and_every_standard():
    cited: dict[str, set[str]] = {}
    for c in builtin_controls():
        for key, value in c["references"].items():
            cited.setdefault(key, set()).update(value if isinstance(value, list) else [value])
    assert cited.keys() == STANDARDS
    assert {"1.3.2", "2.1.1"} <= cited["handbook"]  # the committee and budget; cloud deployment (docs/handbook.md)
    assert {"A.5.2", "A.5.3", "A.5.12", "A.5.13", "A.5.34", "A.8.24"} <= cited["iso27001"]
    assert {"art. 38", "art. 39", "art. 40", "art. 51", "art. 55"} <= cited["pipl"]
    assert {"art. 21", "art. 27", "art. 31"} <= cited["dsl"]
    assert {"art. 7", "art. 8"} <= cited["cac2024"]


def test_findings_and_controls_in_the_result(opa_binary, library_run):
    by_id = {c["id"]: c for c in builtin_controls()}
    record = {c["id"]: c for c in library_run["controls"]}
    assert set(by_id) <= set(record)
    for f in library_run["findings"]:
        assert f["controls"], f"{f['check']} finding names no control"
        assert all(f["check"] in by_id[ctl]["checks"] for ctl in f["controls"])
    # a control fails when any of its checks fails, else passes when one passed
    status = {c["id"]: c["status"] for c in library_run["checks"]}
    for ctl in record.values():
        states = [status.get(ch, "not_applicable") for ch in ctl["checks"]]
        expected = "fail" if "fail" in states else ("pass" if "pass" in states else "not_applicable")
        assert ctl["status"] == expected, ctl["id"]


def test_a_workspace_control_joins_the_builtin_catalogue(opa_binary, example):
    (example / "controls" / "extra.yaml").write_text(
        "controls:\n  - id: CTL-X-01\n    title: {zh: 附加控制, en: Extra control}\n    checks: [GOV-001]\n",
        encoding="utf-8")
    proc = govern("controls", str(example), "--as-of", AS_OF, "--opa-url", shared_opa())
    assert proc.returncode == 0, proc.stderr
    assert "CTL-X-01" in proc.stdout and "附加控制" in proc.stdout and "CTL-GOV-01" in proc.stdout


def test_a_workspace_may_not_redefine_a_builtin_control(example):
    (example / "controls" / "clash.yaml").write_text(
        "controls:\n  - id: CTL-GOV-01\n    title: {zh: 冲突, en: Clash}\n    checks: [GOV-001]\n", encoding="utf-8")
    proc = govern("controls", str(example))
    assert proc.returncode == 2
    assert "controls/clash.yaml:2:" in proc.stderr and "duplicate control id 'CTL-GOV-01'" in proc.stderr


# ---------------------------------------------------------------- govern controls

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_govern_controls_lists_every_control_in_its_language(opa_binary, example, lang):
    proc = govern("controls", str(example), "--lang", lang, "--as-of", AS_OF, "--opa-url", shared_opa())
    assert proc.returncode == 0, proc.stderr
    page = govern("controls", str(example), "--lang", lang, "--as-of", AS_OF, "--opa-url", shared_opa(),
                  "--format", "markdown").stdout  # a table folds long titles
    for c in builtin_controls():
        assert c["id"] in proc.stdout
        assert markdown_text(c["title"][lang]) in page
    if lang == "en":
        assert "GOV-001 (pass), GOV-002 (pass)" in page
        assert "Handbook §1.3.2; ISO/IEC 27001:2022 A.5.2" in page  # references named for a reader
        assert re.search(r"\d+ controls evidenced by \d+ checks · in the run: ", proc.stdout)
    else:
        # Chinese brackets and list mark around Chinese words, as the standing's own name writes them
        assert "GOV-001（通过）、GOV-002（通过）" in page and "手册 §1.3.2; ISO/IEC 27001:2022 A.5.2" in page
        assert not re.search(r"\([^()]*[\u4e00-\u9fff]", page), "a half-width bracket around Chinese words"
        assert re.search(r"\d+ 个控制项，由 \d+ 项检查提供证据 · 本次评估中：", proc.stdout)


def test_govern_controls_shows_status_from_a_result(opa_binary, example, tmp_path):
    result = tmp_path / "result.json"
    proc = check(example, "--format", "json", "--output", str(result))
    assert proc.returncode in (0, 1), proc.stderr
    saved = json.loads(result.read_text(encoding="utf-8"))
    records = saved["controls"]
    proc = govern("controls", str(example), "--result", str(result), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split("│")[1].strip(): line for line in proc.stdout.splitlines() if line.startswith("│ CTL-")}
    # a control failing on advisories alone (unwaived info findings) passes with advisories, as in every report
    info = {c["id"] for c in saved["checks"] if c["severity"] == "info"}
    shown = {r["id"]: "advisory" if r["status"] == "fail" and set(r["checks"]) <= info else r["status"] for r in records}
    assert "advisory" in shown.values()
    said = {"fail": "fail", "pass": "pass", "advisory": "pass with advisories", "not_applicable": "not applicable"}
    for r in records:
        assert r["id"] in rows
        assert rows[r["id"]].rstrip().rstrip("│").strip().endswith(said[shown[r["id"]]]), rows[r["id"]]
    counts = {s: sum(1 for v in shown.values() if v == s) for s in ("fail", "pass", "advisory", "not_applicable")}
    assert (f"in the run: {counts['fail']} fail, {counts['advisory']} pass with advisories, {counts['pass']} pass, "
            f"{counts['not_applicable']} not applicable") in proc.stdout


@pytest.mark.parametrize("content, why", [
    ("not json", "bad.json:1:1: JSON syntax error"),
    ('{"findings": []}', "not a govern JSON result"),
    ('{"controls": [{"id": "CTL-GOV-01", "status": "pass"}]}', "not a govern JSON result"),  # a fragment is not a run
])
def test_govern_controls_rejects_a_file_that_is_not_a_result(example, tmp_path, content, why):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    proc = govern("controls", str(example), "--result", str(bad))
    assert proc.returncode == 2
    assert why in proc.stderr and "Traceback" not in proc.stderr
