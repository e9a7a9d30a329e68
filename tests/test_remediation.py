"""A check says how to fix what it finds (METADATA `custom.remediation`, zh and en): the catalogue
reads it, the result carries it on the check, the reports show it (SARIF help, HTML, Markdown,
`govern checks`), and a workspace check may say it or not, but never malformed (exit 2 at its
METADATA block). Every built-in check says it in both languages. Evaluated on real OPA."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import jsonschema
import pytest

from governance.report import RenderOptions, render
from governance.result import CheckSummary, RunResult
from governance.vocabulary import CATEGORIES, LANGS, names, vocabulary
from tests.conftest import EXAMPLE, SCHEMAS, check, govern

CJK = re.compile(r"[\u4e00-\u9fff]")

HEAD = "package govern.checks.fixing\n\nimport data.govern.lib\n\n"
RULE = 'FIX_001 := lib.check(rego.metadata.rule(), {"sys-x"}, {lib.violation("system", "sys-x", "no owner")})\n'


def declared(remediation: str = "") -> str:
    """A workspace check FIX-001 whose METADATA ends with `remediation` (YAML lines, as written under custom)."""
    return (HEAD + "# METADATA\n# title: Every system names its owner\n# custom:\n#   id: FIX-001\n"
            "#   severity: low\n#   waivable: true\n#   resource: system\n" + remediation + RULE)


def run(example: Path, text: str):
    (example / "checks" / "fixing.rego").write_text(text, encoding="utf-8")
    return check(example, "--format", "json")


def summary(proc, cid: str) -> CheckSummary:
    return next(c for c in RunResult.model_validate_json(proc.stdout).checks if c.id == cid)


def test_a_workspace_checks_remediation_reaches_the_result_on_one_line(opa_binary, example):
    proc = run(example, declared("#   remediation:\n#     zh: 为系统填写负责人。\n#     en: >-\n"
                                 "#       Name the system's owner\n#       in its file.\n"))
    assert proc.returncode == 1, proc.stderr
    assert summary(proc, "FIX-001").remediation == {"zh": "为系统填写负责人。", "en": "Name the system's owner in its file."}


def test_a_workspace_check_may_say_it_in_one_language_or_not_at_all(opa_binary, example):
    proc = run(example, declared("#   remediation:\n#     en: Name the owner.\n"))
    assert proc.returncode == 1, proc.stderr
    assert summary(proc, "FIX-001").remediation == {"en": "Name the owner."}
    proc = run(example, declared())
    assert proc.returncode == 1, proc.stderr
    assert summary(proc, "FIX-001").remediation == {}


@pytest.mark.parametrize("lines", [
    "#   remediation: Name the owner.\n",
    "#   remediation:\n#     fr: Nommez le responsable.\n",
    "#   remediation:\n#     en: 3\n",
    '#   remediation:\n#     en: "  "\n',
    "#   remediation: {}\n",
], ids=["text", "unknown-language", "not-text", "blank", "empty"])
def test_a_malformed_remediation_is_exit_2_at_the_metadata_block(opa_binary, example, lines):
    text = declared(lines)
    proc = run(example, text)
    metadata = text.splitlines().index("# METADATA") + 1
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    assert f"checks/fixing.rego:{metadata}:1: METADATA custom.remediation must map zh and/or en to text" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.fixture(scope="module")
def acme(opa_binary) -> RunResult:
    proc = check(EXAMPLE, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    return RunResult.model_validate_json(proc.stdout)


def test_a_builtin_checks_remediation_reaches_the_result(acme):
    fix = next(c for c in acme.checks if c.id == "MLP-001").remediation
    assert set(fix) == {"zh", "en"} and "mlps_filing_id" in fix["zh"] and "mlps_filing_id" in fix["en"]
    assert next(c for c in acme.checks if c.id == "ACME-001").remediation == {}  # the example's own check says none


# ---------------------------------------------------------------- every built-in check

@pytest.fixture(scope="module")
def builtin(opa_binary) -> list[dict]:
    proc = govern("checks", "--format", "json")  # the built-in library alone
    assert proc.returncode == 0, proc.stderr
    return [c for c in json.loads(proc.stdout)["checks"] if c["builtin"]]


def test_every_builtin_check_says_how_to_fix_it_in_chinese_and_english(builtin):
    lacking = [c["id"] for c in builtin if set(c["remediation"]) != {"zh", "en"} or not all(c["remediation"].values())]
    assert lacking == [], f"built-in checks without remediation in zh and en: {lacking}"
    for c in builtin:
        zh, en = c["remediation"]["zh"], c["remediation"]["en"]
        assert CJK.search(zh) and zh.endswith("。") and "\n" not in zh, c["id"]
        assert not CJK.search(en) and en.endswith(".") and "\n" not in en, c["id"]
        assert zh not in (c["description_zh"], c["title"].get("zh")) and en not in (c["description"], c["title"]["en"])
    for lang in ("zh", "en"):  # specific to each check: no two say the same
        said = [c["remediation"][lang] for c in builtin]
        assert len(set(said)) == len(said), lang


def test_remediation_names_values_as_the_reports_do_and_writes_raw_ones_only_as_code(builtin):
    """A value the vocabulary names (公有云, budget reallocation) is said by its name; written as the files write
    it (`type: budget_reallocation`), it goes between backticks, which the reports show as code."""
    said = {lang: [pair[lang] for c in CATEGORIES for pair in names(c).values()]
            + [pair[lang] for table in ("terms", "labels") for pair in vocabulary()[table].values()] for lang in LANGS}
    for lang in LANGS:
        words = {w for text in said[lang] for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9_-]*", text)}
        raw = {value for c in CATEGORIES for value, pair in names(c).items() if pair[lang] != value} - words
        for c in builtin:
            prose = re.sub(r"`[^`]*`", " ", c["remediation"][lang])
            assert not set(re.findall(r"[A-Za-z0-9][A-Za-z0-9_-]*", prose)) & raw, (c["id"], lang)


# ---------------------------------------------------------------- shown

def failing_checks(result: RunResult) -> list[str]:
    """The checks a report tells how to fix: those with an unwaived finding, in the findings' order."""
    return list(dict.fromkeys(f.check for f in result.findings if f.status == "fail"))


def test_sarif_rule_help_carries_the_remediation_and_the_log_still_validates(acme):
    log = json.loads(render("sarif", acme))
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    for c in acme.checks:
        help_ = rules[c.id]["help"]
        for lang, label in (("en", "Remediation: "), ("zh", "整改建议：")):
            if c.remediation:
                assert f"{label}{c.remediation[lang]}" in help_["text"], c.id
                assert f"**{label.rstrip(': ：')}**" in help_["markdown"], c.id
            else:
                assert label not in help_["text"] and "Remediation" not in help_["markdown"], c.id
    text = rules["MLP-001"]["help"]["text"]
    assert text.index("Remediation: ") < text.index("整改建议：") < text.index("Severity: high")


def test_sarif_rule_help_shows_a_remediations_fields_as_code_as_the_reports_do(acme):
    from markdown_it import MarkdownIt

    rules = {r["id"]: r for r in json.loads(render("sarif", acme))["runs"][0]["tool"]["driver"]["rules"]}
    [fix] = [line for line in rules["PLC-001"]["help"]["markdown"].splitlines() if line.startswith("**Remediation**")]
    assert "`allowed_deployments`" in fix and "\\`" not in fix  # a field as code, not an escaped backtick
    assert "<code>allowed_deployments</code>" in MarkdownIt("commonmark").render(fix)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_html_report_says_how_to_fix_each_failing_check_once_in_its_language(acme, lang):
    page = render("html", acme, RenderOptions(lang=lang))
    assert isinstance(page, str)
    findings = page[page.index('<section id="findings">'):page.index("</section>", page.index('<section id="findings">'))]
    heading = {"zh": "整改建议", "en": "Remediation"}[lang]
    assert f'<h3 id="remediation">{heading}</h3>' in findings
    listed = re.findall(r'<div data-check="([^"]+)"><dt><code>[^<]+</code> ([^<]*)</dt><dd>(.*?)</dd></div>', findings)
    checks = {c.id: c for c in acme.checks}
    expected = [cid for cid in failing_checks(acme) if checks[cid].remediation]
    assert [cid for cid, _, _ in listed] == expected and "PLC-001" in expected
    for cid, _, said in listed:  # a field or value it writes in backticks is shown as code
        assert "<" not in re.sub(r"</?code>", "", said), cid
        assert unescape(re.sub(r"<code>(.*?)</code>", r"`\1`", said)) == checks[cid].remediation[lang], cid
    plc = dict((cid, said) for cid, _, said in listed)["PLC-001"]
    assert "<code>allowed_deployments</code>" in plc
    assert "MLP-002" not in [cid for cid, _, _ in listed]  # waived only: an accepted risk, nothing to fix now


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_markdown_report_says_how_to_fix_each_failing_check_once(acme, lang):
    md = render("markdown", acme, RenderOptions(lang=lang))
    assert isinstance(md, str)
    heading = {"zh": "## 整改建议", "en": "## Remediation"}[lang]
    part = md.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
    items = re.findall(r"^- \*\*(\S+)\*\* ", part, re.MULTILINE)
    checks = {c.id: c for c in acme.checks}
    assert items == [cid for cid in failing_checks(acme) if checks[cid].remediation]
    plc = next(line for line in part.splitlines() if line.startswith("- **PLC-001**"))
    assert "`allowed_deployments`" in plc and "\\`" not in plc  # a field as code, not an escaped backtick
    from markdown_it import MarkdownIt

    shown = unescape(re.sub(r"<[^>]+>", "", MarkdownIt("commonmark").render(plc.split(" — ", 1)[1])))
    assert shown.strip() == checks["PLC-001"].remediation[lang].replace("`", "")  # nothing lost around the code
    assert md.index("\n## " + {"zh": "发现", "en": "Findings"}[lang]) < md.index(heading)


def test_govern_checks_shows_it_in_the_table_and_the_reference():
    table = govern("checks", "--lang", "en").stdout
    last = " ".join(line.split("│")[-2].strip() for line in table.splitlines() if line.startswith("│"))
    # below the description, in its column (folded over lines)
    assert "Remediation: The system's owner files the system with the local public security bureau" in last
    zh = govern("checks").stdout
    last = "".join(line.split("│")[-2].strip() for line in zh.splitlines() if line.startswith("│"))
    assert "整改建议：由系统负责人向所在地公安机关办理等级保护备案" in last
    md = govern("checks", "--format", "markdown").stdout
    mlp = md.split("### MLP-001 · ", 1)[1].split("\n### ", 1)[0]
    assert "**Remediation**: The system's owner files the system" in mlp and "由系统负责人向所在地公安机关" in mlp
    zh = govern("checks", "--format", "markdown", "--lang", "zh").stdout
    mlp = zh.split("### MLP-001 · ", 1)[1].split("\n### ", 1)[0]
    assert mlp.index("**整改建议**: 由系统负责人") < mlp.index("The system's owner files")


def test_a_workspace_checks_remediation_is_inert_text_in_every_report(opa_binary, example, tmp_path):
    hostile = '<script>x</script> [link](http://x) ![i](http://x/i.png) | cell `</code><script>y</script>` ``[a](http://x)'
    (example / "checks" / "fixing.rego").write_text(
        declared(f"#   remediation:\n#     en: '{hostile}'\n"), encoding="utf-8")
    out = tmp_path / "out"
    proc = check(example, "--format", f"sarif={out}/r.sarif", "--format", f"html={out}/r.html",
                 "--format", f"markdown={out}/r.md", "--lang", "en")
    assert proc.returncode == 1, proc.stderr
    page = (out / "r.html").read_text(encoding="utf-8")
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    from markdown_it import MarkdownIt

    for markdown in (json.loads((out / "r.sarif").read_text(encoding="utf-8"))["runs"][0]["tool"]["driver"]["rules"],
                     (out / "r.md").read_text(encoding="utf-8")):
        text = next(r["help"]["markdown"] for r in markdown if r["id"] == "FIX-001") if isinstance(markdown, list) else markdown
        assert "link" in text and "cell" in text  # it is shown, as text
        shown = MarkdownIt("commonmark", {"html": True}).render(text)
        assert "<script" not in shown and '<a href="http://x"' not in shown and "<img" not in shown
        assert "<code>&lt;/code&gt;&lt;script&gt;y&lt;/script&gt;</code>" in shown  # code, shown as code, inert


def test_a_result_saved_before_checks_declared_remediation_still_loads():
    saved = {"id": "OLD-001", "title": "Old", "severity": "low", "waivable": True, "domain": "custom",
             "evaluated": 1, "failed": 0, "waived": 0, "status": "pass"}
    assert CheckSummary.model_validate(saved).remediation == {}


# ---------------------------------------------------------------- the committee's meeting pack

@pytest.fixture(scope="module")
def pack(opa_binary) -> dict[str, str]:
    """The example's meeting pack as JSON, Markdown (zh) and HTML (en)."""
    made = {}
    for fmt, lang in (("json", "zh"), ("markdown", "zh"), ("html", "en")):
        proc = govern("agenda", str(EXAMPLE), "--meeting", "2026-11-25", "--format", fmt, "--lang", lang)
        assert proc.returncode in (0, 1), proc.stderr
        made[fmt] = proc.stdout
    return made


def test_the_meeting_pack_says_how_to_fix_what_each_group_lists(pack, acme):
    doc = json.loads(pack["json"])
    declared = {c.id: c.remediation for c in acme.checks if c.remediation}
    item_checks = {i["check"] for i in doc["items"]}
    assert doc["remediation"] == {cid: declared[cid] for cid in sorted(item_checks & set(declared))}
    assert "GOV-003" in doc["remediation"]
    groups = [(g["id"], list(dict.fromkeys(i["check"] for i in doc["items"] if i["group"] == g["id"])))
              for g in doc["groups"]]
    md = pack["markdown"].split("\n## ")[2]  # the items, group by group
    for (group, checks), part in zip(groups, md.split("\n### ")[1:], strict=True):
        listed = re.findall(r"^- \*\*(\S+)\*\* — ", part.split("**整改建议**", 1)[1], re.MULTILINE)
        assert listed == [c for c in checks if c in declared], group
    assert "- **GOV-006** — 金额超过 `committee_required_above` 的决策须由委员会在会议上作出" in md
    page = pack["html"]
    shown = re.findall(r'<div data-check="([^"]+)"><dt>Remediation · <code>[^<]+</code></dt><dd>(.*?)</dd></div>', page)
    assert [cid for cid, _ in shown] == [c for _, checks in groups for c in checks if c in declared]
    for cid, said in shown:
        assert unescape(re.sub(r"<code>(.*?)</code>", r"`\1`", said)) == declared[cid]["en"], cid
