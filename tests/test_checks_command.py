"""`govern checks`: the check catalogue from METADATA, and docs/reference/checks.md, its checked-in Markdown.

The catalogue is compared with what the Rego and the control YAML say, read
here independently of govern (a regex over the METADATA blocks, the control
files as plain YAML), so a fact lost or invented on the way shows.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from governance import library
from governance.engine import OPA_VERSION
from governance.load import read_document
from governance.report import markdown_text
from tests.conftest import EXAMPLE, REPO, govern, govern_forked

REFERENCE = REPO / "docs/reference/checks.md"
REGENERATE = ".venv/bin/govern checks --format markdown > docs/reference/checks.md"
NO_OPA = dict(os.environ, GOVERN_OPA="/nonexistent/opa", PATH="/usr/bin:/bin")


def listing(*args: str, cwd: Path = REPO) -> dict:
    proc = govern("checks", *args, "--format", "json", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def rego_ids(folder: Path) -> list[str]:
    """Every `custom.id` written in a METADATA block of the folder's check modules (tests excluded)."""
    ids = []
    for path in sorted(folder.glob("*.rego")):
        if not path.name.endswith("_test.rego"):
            ids += re.findall(r"^#\s+id:\s*([A-Z][A-Z0-9]*-[0-9]+)\s*$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return ids


def controls_naming(files: list[Path]) -> dict[str, list[str]]:
    """check id -> ids of the controls (in these YAML files) that name it, sorted."""
    out: dict[str, list[str]] = {}
    for path in files:
        for control in read_document(path.parent, path).data["controls"]:
            for cid in control["checks"]:
                out.setdefault(cid, []).append(control["id"])
    return {cid: sorted(ids) for cid, ids in out.items()}


def first_column(table: str) -> list[str]:
    """The ids in a rich table's first column (its header is drawn with ┃, a folded row goes on with an empty cell)."""
    cells = (line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│"))
    return [c for c in cells if c]


@pytest.fixture(scope="module")
def builtin(opa_binary) -> dict:
    return listing()


@pytest.fixture(scope="module")
def acme(opa_binary) -> dict:
    return listing(str(EXAMPLE))


# ---------------------------------------------------------------- the built-in library

def test_every_builtin_check_is_listed_once_with_the_controls_that_name_it(builtin):
    ids = [c["id"] for c in builtin["checks"]]
    assert sorted(ids) == sorted(rego_ids(REPO / "checks")) and len(ids) == len(set(ids))
    assert builtin["workspace"] is None and all(c["builtin"] for c in builtin["checks"])
    named = controls_naming(library.control_files())
    assert {c["id"]: c["controls"] for c in builtin["checks"]} == {cid: named.get(cid, []) for cid in ids}
    assert all(c["controls"] for c in builtin["checks"])  # the library evidences a control with every check


def test_a_check_carries_its_metadata_as_written(builtin):
    bud = next(c for c in builtin["checks"] if c["id"] == "BUD-003")
    assert bud["title"]["en"] == "Spend on a budget line stays within its amount plus tolerance"
    assert (bud["severity"], bud["waivable"], bud["resource"], bud["domain"]) == ("high", True, "budget_line", "budget")
    assert bud["description"].startswith("Fires for each budget line whose summed spend exceeds amount × (1 + ")
    assert "\n" not in bud["description"] and "  " not in bud["description"]  # folded to one line, as a run reports it
    assert bud["location"]["file"] == "<govern>/checks/budget.rego"
    wav = next(c for c in builtin["checks"] if c["id"] == "WAV-001")
    assert wav["waivable"] is False


def test_every_builtin_check_has_a_chinese_description(builtin):
    """`custom.description_zh`: natural Chinese, one line, in the product's words (the glossary's terms)."""
    missing = [c["id"] for c in builtin["checks"] if not c["description_zh"]]
    assert missing == []
    for c in builtin["checks"]:
        zh = c["description_zh"]
        assert "\n" not in zh and "  " not in zh and zh != c["description"], c["id"]
        assert re.search(r"[\u4e00-\u9fff]", zh) and zh.endswith("。"), c["id"]
        assert "Fires" not in zh and "Evaluates" not in zh, c["id"]  # not left half in English
    bud = next(c for c in builtin["checks"] if c["id"] == "BUD-003")
    assert bud["description_zh"].startswith("预算行上的支出合计超过")


def test_checks_lang_zh_gives_the_chinese_descriptions_and_en_the_english(builtin):
    zh = govern("checks", "--lang", "zh", "--format", "markdown").stdout
    en = govern("checks", "--lang", "en", "--format", "markdown").stdout
    for c in builtin["checks"]:
        section_zh = zh.split(f"### {c['id']} · ", 1)[1].split("\n### ", 1)[0]
        section_en = en.split(f"### {c['id']} · ", 1)[1].split("\n### ", 1)[0]
        # the page's language first, the other language's below it (as titles)
        said_zh, said_en = markdown_text(c["description_zh"])[:20], markdown_text(c["description"])[:20]
        assert section_zh.index(said_zh) < section_zh.index(said_en), c["id"]
        assert section_en.index(said_en) < section_en.index(said_zh), c["id"]
    table = govern("checks", "--lang", "zh").stdout
    assert "预算行上的支出合计超过" in "".join(table.split())  # the table folds long cells over lines
    assert "Fires for each budget line whose summed spend" not in " ".join(table.split())


def test_a_workspace_checks_chinese_description_must_be_text(opa_binary, example):
    bad = OWN_CHECK.replace("#   title_zh: 额外的检查\n", "#   title_zh: 额外的检查\n#   description_zh: [1, 2]\n")
    (example / "checks" / "extra.rego").write_text(bad, encoding="utf-8")
    proc = govern("checks", str(example))
    assert proc.returncode == 2 and "custom.description_zh must be text" in proc.stderr, proc.stderr
    assert "checks/extra.rego:" in proc.stderr


def test_checks_come_by_domain_in_reading_order_then_by_id(builtin):
    order = [d["id"] for d in builtin["domains"]]
    assert order[:2] == ["committee", "budget"] and len(order) == len(set(order))
    keys = [(order.index(c["domain"]), c["id"]) for c in builtin["checks"]]
    assert keys == sorted(keys)
    budget = next(d for d in builtin["domains"] if d["id"] == "budget")
    assert budget == {"id": "budget", "title": {"en": "Budget", "zh": "预算"}, "order": 2}


def test_json_is_the_same_bytes_every_time(opa_binary):
    runs = [govern("checks", str(EXAMPLE), "--format", "json").stdout for _ in range(2)]
    assert runs[0] == runs[1] and runs[0].endswith("}\n")
    assert list(json.loads(runs[0])) == ["schema_version", "tool", "workspace", "domains", "checks"]
    assert list(json.loads(runs[0])["checks"][0]) == ["id", "title", "severity", "waivable", "resource", "domain",
                                                       "description", "description_zh", "remediation", "controls", "builtin",
                                                       "location"]


def test_the_table_lists_every_check_once_in_the_chosen_language(builtin):
    zh = govern("checks")
    assert zh.returncode == 0, zh.stderr
    assert first_column(zh.stdout) == [c["id"] for c in builtin["checks"]]
    for words in ("检查目录 · 内置检查库", "检查名称", "可豁免", "资源类型", "领域", "委员会与授权", "预算",
                  f"共 {len(builtin['checks'])} 项内置检查，{len(builtin['domains'])} 个领域"):
        assert words in zh.stdout, words
    en = govern("checks", "--lang", "en")
    for words in ("check catalogue · the built-in library", "Check title", "Waivable", "Resource kind", "Committee & authority",
                  f"{len(builtin['checks'])} built-in checks in {len(builtin['domains'])} domains"):
        assert words in en.stdout, words


def test_the_markdown_has_a_section_per_domain_and_per_check(builtin):
    md = govern("checks", "--format", "markdown").stdout
    assert md.startswith("# Checks reference\n\n> Generated by `govern checks --format markdown` from each check's METADATA")
    assert re.findall(r"^## .* \(`([a-z_-]+)`\)$", md, re.MULTILINE) == [d["id"] for d in builtin["domains"]]
    assert re.findall(r"^### (\S+) · ", md, re.MULTILINE) == [c["id"] for c in builtin["checks"]]
    assert "| critical | no | decision | CTL-GOV-03 |" in md  # GOV-004: severity, waivable, resource, controls
    zh = govern("checks", "--format", "markdown", "--lang", "zh").stdout
    assert zh.startswith("# 检查参考\n\n> 本页由 `govern checks --format markdown --lang zh` 根据")
    assert "| 严重程度 | 可豁免 | 资源类型 | 控制项 |" in zh and "## 预算 (`budget`)" in zh


def test_the_checked_in_reference_is_the_markdown_output(opa_binary):
    proc = govern("checks", "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
    assert current == proc.stdout, f"docs/reference/checks.md is stale: regenerate it with `{REGENERATE}`"


def test_without_a_workspace_argument_the_current_folder_if_it_is_one(opa_binary, tmp_path):
    assert listing(cwd=EXAMPLE)["workspace"] == "Acme Retail Group"
    assert listing(cwd=tmp_path)["workspace"] is None  # no governance.yaml here: the built-in library alone


# ---------------------------------------------------------------- a workspace's checks and controls

def test_a_workspace_check_is_listed_with_its_domain_and_controls(acme, builtin):
    assert acme["workspace"] == "Acme Retail Group"
    ids = [c["id"] for c in acme["checks"]]
    assert sorted(ids) == sorted(rego_ids(REPO / "checks") + rego_ids(EXAMPLE / "checks")) and len(ids) == len(set(ids))
    own = next(c for c in acme["checks"] if c["id"] == "ACME-001")
    assert own["domain"] == "acme" and own["builtin"] is False and own["controls"] == ["CTL-ACME-01"]
    rule = next(i for i, line in enumerate((EXAMPLE / "checks" / "ownership.rego").read_text().splitlines(), 1)
                if line.startswith("ACME_001 :="))
    assert own["location"] == {"file": "checks/ownership.rego", "line": rule, "column": 1}
    assert acme["domains"][-1] == {"id": "acme", "title": {"en": "Acme system ownership", "zh": "Acme 系统归属"}, "order": 100}
    named = controls_naming(library.control_files() + sorted((EXAMPLE / "controls").glob("*.yaml")))
    assert {c["id"]: c["controls"] for c in acme["checks"]} == {cid: named.get(cid, []) for cid in ids}


def test_the_example_in_table_and_markdown(acme):
    table = govern("checks", str(EXAMPLE), "--lang", "en").stdout
    assert first_column(table)[-1] == "ACME-001" and "Acme system ownership" in table
    assert "the built-in library and workspace Acme Retail Group" in table
    assert f"{len(acme['checks'])} checks ({len(acme['checks']) - 1} built-in, 1 from the workspace)" in table
    md = govern("checks", str(EXAMPLE), "--format", "markdown").stdout
    assert f"`govern checks {EXAMPLE} --format markdown`" in md
    section = md.split("## Acme system ownership (`acme`)\n", 1)[1]
    assert section.startswith("\n### ACME-001 · Production systems have an owner below the committee\n")
    assert "| medium | yes | system | CTL-ACME-01 |" in section


OWN_CHECK = """\
package govern.checks.extra

import data.govern.lib

# METADATA
# title: A <b>bold</b> | piped [title](http://x)
# custom:
#   id: EXTRA-001
#   title_zh: 额外的检查
#   severity: low
#   waivable: false
#   resource: odd|kind
EXTRA_001 := lib.check(rego.metadata.rule(), {}, set())
"""


def test_a_chinese_title_where_given_and_a_package_without_a_domain(opa_binary, example):
    (example / "checks" / "extra.rego").write_text(OWN_CHECK, encoding="utf-8")
    found = listing(str(example))
    extra = next(c for c in found["checks"] if c["id"] == "EXTRA-001")
    assert extra["title"] == {"en": "A <b>bold</b> | piped [title](http://x)", "zh": "额外的检查"}
    assert extra["domain"] == "custom" and extra["resource"] == "odd|kind" and extra["description"] == ""
    assert extra["controls"] == [] and found["checks"][-1] == extra  # an undeclared domain comes last
    assert found["domains"][-1] == {"id": "custom", "title": {}, "order": None}
    (example / "checks" / "english.rego").write_text(OWN_CHECK.replace("extra", "english").replace("EXTRA", "ENGLISH")
                                                     .replace("#   title_zh: 额外的检查\n", ""), encoding="utf-8")
    english = next(c for c in listing(str(example))["checks"] if c["id"] == "ENGLISH-001")
    assert english["title"] == {"en": "A <b>bold</b> | piped [title](http://x)"}  # no title_zh: no zh
    assert "额外的检查" in govern("checks", str(example)).stdout  # zh table: the zh title
    md = govern("checks", str(example), "--format", "markdown").stdout
    heading = "### EXTRA-001 · A &lt;b&gt;bold&lt;/b&gt; \\| piped \\[title\\](http://x)\n\n额外的检查\n"
    assert heading in md and "<b>" not in md  # the other language's title below; no HTML, link or column
    assert "## custom (`custom`)" in md and "| low | no | odd\\|kind | - |" in md


# ---------------------------------------------------------------- failures

def test_a_missing_workspace_folder_is_exit_2(tmp_path):
    proc = govern("checks", str(tmp_path / "nowhere"))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "nowhere:1:1: workspace folder does not exist" in proc.stderr


def test_a_folder_without_a_manifest_is_exit_2(tmp_path):
    proc = govern("checks", str(tmp_path))
    assert proc.returncode == 2 and "governance.yaml:1:1: this folder is not a govern workspace" in proc.stderr


def test_an_invalid_workspace_is_exit_2_at_file_line_col(opa_binary, example):
    controls = example / "controls" / "acme.yaml"
    controls.write_text(controls.read_text(encoding="utf-8").replace("checks: [ACME-001]", "checks: [ACME-999]"),
                        encoding="utf-8")
    proc = govern("checks", str(example))
    assert proc.returncode == 2 and proc.stdout == ""
    assert re.search(r"^controls/acme\.yaml:\d+:\d+: control CTL-ACME-01 names unknown check ACME-999$", proc.stderr,
                     re.MULTILINE)


def test_invalid_workspace_rego_is_exit_2_at_its_rule(opa_binary, example):
    (example / "checks" / "extra.rego").write_text(OWN_CHECK.replace("title_zh: 额外的检查", "title_zh: [a, b]"),
                                                   encoding="utf-8")
    proc = govern("checks", str(example), "--format", "markdown")
    assert proc.returncode == 2 and proc.stdout == ""
    rule = OWN_CHECK.splitlines().index("EXTRA_001 := lib.check(rego.metadata.rule(), {}, set())") + 1
    assert f"checks/extra.rego:{rule}:1: check EXTRA-001: custom.title_zh must be text" in proc.stderr


@pytest.mark.parametrize("args", [("--format", "csv"), ("--format", "sarif"), ("--lang", "fr")])
def test_a_bad_option_is_exit_2(args):
    proc = govern("checks", *args)
    assert proc.returncode == 2 and proc.stdout == "" and "Invalid value for" in proc.stderr


@pytest.mark.parametrize("where", [(), (str(EXAMPLE),)])
def test_without_opa_it_is_exit_3_and_prints_nothing(where):
    proc = govern("checks", *where, "--format", "json", env=NO_OPA)
    assert proc.returncode == 3 and proc.stdout == ""
    assert f"OPA v{OPA_VERSION} not found" in proc.stderr


def test_a_reader_that_goes_away_is_exit_3(opa_binary):
    read, write = os.pipe()
    os.close(read)  # like `govern checks | true`
    try:
        proc = govern_forked("checks", "--format", "markdown", stdout=write)
    finally:
        os.close(write)
    assert proc.returncode == 3 and "stopped early" in proc.stderr and "Traceback" not in proc.stderr
