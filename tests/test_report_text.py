"""Text no report shows raw: control, bidi and invisible characters, in every format and every message.

A result is rendered in every format (and every group format of `govern aggregate`) after its
free text (workspace name, messages, resource ids, titles, descriptions, justifications, paths)
was given every character of `governance.text.HIDDEN_RANGES`; none may come out raw, each must come out
written as its escape, SARIF and OSCAL must still validate, and the JSON documents must still hold
the text exactly. Rendered from a golden result (tests/golden): no OPA, but for the command-line
cases at the end.
"""

from __future__ import annotations

import json
import unicodedata

import jsonschema
import jsonschema_rs
import pytest

from governance.bug import summary
from governance.evaluate.aggregate import merge
from governance.evaluate.findings import fingerprint
from governance.report import FORMATS, GROUP_FORMATS, RenderOptions, render, render_group
from governance.report._escape import json_document, visible, visible_json, visible_strings
from governance.report.table import TEXT_LIMIT
from governance.result import RunResult
from governance.result.verdict import sealed
from governance.text import HIDDEN_RANGES
from governance.vocabulary import messages
from tests import golden
from tests.conftest import SCHEMAS, govern, make_workspace

HIDDEN = {c for first, last in HIDDEN_RANGES for c in range(first, last + 1)}
SURROGATES = set(range(0xD800, 0xE000))
# every one but the lone surrogates, which a JSON result cannot hold (see test_lone_surrogates_…)
ALL = "".join(chr(c) for c in sorted(HIDDEN - SURROGATES))
# look-alike ids: a check and a system that read as others
SAMPLE = "PLC-001\u200d sys-payment-center\u202e\u2066 \x00 \x1b[31m \ufeff\u200b"
FREE_TEXT = {"workspace", "message", "title", "title_zh", "description", "justification", "requested_by",
             "approved_by", "file", "path", "zh", "en", "requested_by_name", "approved_by_name", "name"}


def hostile(doc: object, text: str, key: str = "") -> object:
    """`doc` with `text` added to every string of free text, and to every resource id."""
    if isinstance(doc, dict):
        return {k: hostile(v, text, "resource.id" if key == "resource" and k == "id" else k) for k, v in doc.items()}
    if isinstance(doc, list):
        return [hostile(v, text, key) for v in doc]
    if isinstance(doc, str) and (key in FREE_TEXT or key == "resource.id"):
        return f"{doc} {text} end"
    return doc


def hostile_result(text: str = ALL, *, name: bool = True) -> RunResult:
    """A result that agrees with itself (fingerprints and verdict digest made for the hostile resource
    ids), so that a reader of saved results takes it; `name`: the workspace's name hostile too (a
    group refuses such a name: it could make one workspace two)."""
    doc = hostile(golden.data("acme-waivers"), text)
    if not name:
        doc["workspace"] = golden.data("acme-waivers")["workspace"]
    if text.encode("utf-8", "surrogatepass").decode("utf-8", "replace") == text:  # a lone surrogate has no fingerprint
        for finding in doc["findings"]:
            finding["fingerprint"] = fingerprint(finding["check"], finding["resource"]["kind"], finding["resource"]["id"])
    return sealed(RunResult.model_validate(doc))


def raw(output: str | bytes) -> set[str]:
    """The hidden characters in `output`, by name. CSV (the one format rendered as bytes) has its own:
    one byte-order mark in front, and CR LF ending each row."""
    if isinstance(output, bytes):
        output = output.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    return {f"U+{ord(c):04X}" for c in set(output) if ord(c) in HIDDEN}


def renders() -> list[tuple[str, str]]:
    return [(fmt, lang) for fmt in FORMATS for lang in ("zh", "en")]


def test_every_hidden_character_is_unprintable():
    """`visible` skips text that str.isprintable passes, so that test must refuse each of them."""
    assert not [f"U+{c:04X}" for c in sorted(HIDDEN) if chr(c).isprintable()]
    assert all(unicodedata.category(chr(c)) in ("Cc", "Cf", "Cs", "Cn", "Zl", "Zp") for c in HIDDEN)


def test_visible_writes_each_one_out_and_leaves_the_rest():
    assert visible("a\u202eb\x00c\u200dd\ufeff\U000e0041\ud800\x85") == "a\\u202eb\\x00c\\u200dd\\ufeff\\U000e0041\\ud800\\x85"
    assert visible("支付中心\t\n| <b> \\u202e é 😀") == "支付中心\t\n| <b> \\u202e é 😀"  # tab and newline stay
    assert visible(visible(ALL)) == visible(ALL) and visible(ALL).isascii()


def test_json_document_keeps_the_data_and_shows_no_hidden_character():
    doc = {"k": ALL + "\ud800", ALL: ["支付", "\U000e0041"]}
    text = json_document(json.dumps(doc, ensure_ascii=False))
    assert not raw(text) and json.loads(text) == doc
    text.encode("utf-8")  # a lone surrogate, written as an escape, can be written


@pytest.mark.parametrize("doc", [{"a": ["支付中心", "C:\\build\\u00e9", 1.5, None]}, {"k\u202e": "\x01 \t\n \x1b \x7f"}])
def test_visible_json_is_json_dumps_of_the_visible_strings(doc):
    """Its short cut (the text checked once, walked only if it may hold one) changes nothing."""
    assert visible_json(doc) == json.dumps(visible_strings(doc), ensure_ascii=False, indent=2)
    assert not raw(visible_json(doc))


@pytest.mark.parametrize("fmt, lang", renders())
def test_no_format_shows_a_hidden_character_raw(fmt, lang):
    result = hostile_result()
    out = render(fmt, result, RenderOptions(lang=lang))
    assert not raw(out), fmt
    text = out.decode("utf-8") if isinstance(out, bytes) else out
    if fmt not in ("json", "evidence"):  # the machine documents keep the text, as JSON escapes
        assert visible("\u202e") in text and visible("\x00") in text, f"{fmt}: the hostile text never arrived"


@pytest.mark.parametrize("fmt", sorted(GROUP_FORMATS))
def test_no_group_format_shows_a_hidden_character_raw(fmt):
    group = merge({"a.json": hostile_result(name=False)})
    for lang in ("zh", "en"):
        assert not raw(render_group(fmt, group, RenderOptions(lang=lang))), (fmt, lang)


def test_the_json_result_holds_the_text_exactly():
    """A saved result read back (`govern report`, `--baseline`, `verify`) is the same result."""
    result = hostile_result()
    text = render("json", result)
    assert "\\u202e" in text and "\\u200d" in text and not raw(text)
    assert RunResult.model_validate_json(text) == result
    evidence = render("evidence", result)
    assert not raw(evidence) and json.loads(evidence)["workspace"] == result.workspace


def test_sarif_and_oscal_still_validate():
    result = hostile_result()
    sarif = json.loads(render("sarif", result))
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(sarif)
    message = sarif["runs"][0]["results"][0]["message"]["text"]
    assert visible("\u202e") in message and visible("\u200d") in message  # a code-scanning UI shows it so
    oscal = jsonschema_rs.validator_for(json.loads((SCHEMAS / "oscal_assessment-results_schema.json").read_text()))
    group = merge({"a": hostile_result(name=False)})
    for doc in (json.loads(render("oscal", result)), json.loads(render_group("oscal", group, RenderOptions()))):
        errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message[:200]}" for e in oscal.iter_errors(doc)]
        assert not errors, "\n".join(errors[:10])


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - {"json"}))
def test_lone_surrogates_are_written_out_where_the_format_carries_text(fmt):
    """UTF-8 cannot encode a lone surrogate: written raw, it would crash the write."""
    out = render(fmt, hostile_result("a\ud800b\udfff"))
    assert not raw(out)
    (out if isinstance(out, bytes) else out.encode("utf-8"))


def test_csv_cells_hold_escapes_not_nul():
    data = render("csv", hostile_result(SAMPLE))
    assert b"\x00" not in data and "\u202e".encode() not in data and b"\\x00" in data and b"\\u202e" in data


def test_the_table_escapes_what_it_shows(tmp_path):
    """Through the CLI, as a person at a terminal sees it: a saved result is user input."""
    path = tmp_path / "hostile.json"
    path.write_text(render("json", hostile_result(SAMPLE)), encoding="utf-8")
    for fmt in ("table", "github", "markdown"):
        proc = govern("report", str(path), "--format", fmt)
        assert proc.returncode == 0, proc.stderr
        shown = "PLC-001\\\\u200d" if fmt == "markdown" else "PLC-001\\u200d"  # Markdown escapes the backslash too
        assert not raw(proc.stdout) and shown in proc.stdout, fmt


def test_an_error_message_shows_an_invisible_character_as_its_escape(example):
    """`unknown person 'p-pay‍'` must not read as naming p-pay, which exists."""
    systems = example / "inventory" / "systems.yaml"
    systems.write_text(systems.read_text(encoding="utf-8").replace("owner: p-pay", 'owner: "p-pay\\u200d\\u202e"', 1),
                       encoding="utf-8")
    proc = govern("validate", str(example))
    assert proc.returncode == 2
    assert not raw(proc.stderr) and "'p-pay\\u200d\\u202e'" in proc.stderr


def test_a_workspace_s_name_with_a_bidi_control_is_refused_and_shown_escaped(example):
    manifest = example / "governance.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "name: Acme Retail Group", 'name: "Acme\\u202e Retail\\u200b Group"'), encoding="utf-8")
    proc = govern("validate", str(example))
    assert proc.returncode == 2, proc.stderr
    assert not raw(proc.stderr) and "'Acme\\u202e Retail\\u200b Group'" in proc.stderr


def test_a_saved_result_s_problem_is_shown_escaped(tmp_path):
    bad = tmp_path / "r.json"
    doc = golden.data("acme")
    doc["summary"]["checks"]["pass\u202e"] = "many"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    proc = govern("report", str(bad), "--format", "json")
    assert proc.returncode == 2 and "\u202e" not in proc.stderr and "\\u202e" in proc.stderr, proc.stderr


def test_the_workspace_s_golden_result_is_unchanged_by_the_escaping():
    """Text without such characters is left exactly as it was: every golden result renders to itself."""
    for name in ("acme", "acme-waivers", "minimal"):
        assert render("json", golden.result(name)) == golden.result(name).to_json()


def test_an_internal_error_s_one_line_shows_no_hidden_character():
    assert summary(ValueError("unknown 'sys-a\u202e\u200d'\x00")) == "ValueError: unknown 'sys-a\\u202e\\u200d'\\x00"


# ------------------------------------------------------------ long text

def test_the_table_cuts_a_long_text_and_says_how_much_it_left_out():
    """The terminal table is for a person, and folding a megabyte into a column took minutes; the
    JSON keeps every character."""
    model = golden.result("acme")
    at = next(i for i, f in enumerate(model.findings) if f.status == "fail")
    first = model.findings[at]
    long_id = "sys-" + "长" * (TEXT_LIMIT + 5000)
    f = first.model_copy(update={"resource": first.resource.model_copy(update={"id": long_id})})
    result = model.model_copy(update={"findings": [*model.findings[:at], f, *model.findings[at + 1:]]})
    for lang, note in (("en", "({left:,} more characters not shown; the JSON report has the whole text)"),
                       ("zh", "（另有 {left:,} 个字符未显示，完整内容见 JSON 报告）")):
        left = len(f"{messages(lang).name(f.resource.kind)} {long_id}") - TEXT_LIMIT  # the cell: the kind's name, the id
        note = note.format(left=left)
        table = render("table", result, RenderOptions(lang=lang, width=10_000))  # wide: no folding
        assert "长" * 100 in table and table.count("长") < TEXT_LIMIT and note in table, lang
    assert long_id in render("json", result)
    short = render("table", model, RenderOptions(lang="en", width=400))
    assert "characters not shown" not in short  # ordinary text is shown whole


BIDI_CHECK = """\
package govern.checks.bidi

import data.govern.lib

# METADATA
# title: "Owner \\u202eset\\u202c by the \\u200dcommittee"
# custom:
#   id: BIDI-001
#   severity: low
#   waivable: false
BIDI_001 := lib.check(rego.metadata.rule(), {}, set())
"""


def test_the_checks_catalogue_shows_a_check_title_s_bidi_control_in_no_format(opa_binary, example):
    (example / "checks" / "bidi.rego").write_text(BIDI_CHECK, encoding="utf-8")
    title = "Owner \u202eset\u202c by the \u200dcommittee"
    for fmt in ("json", "markdown", "table"):
        proc = govern("checks", str(example), "--format", fmt, "--lang", "en")
        assert proc.returncode == 0, proc.stderr
        assert not raw(proc.stdout), fmt
        if fmt == "json":  # the data as written, in JSON escapes
            assert next(c for c in json.loads(proc.stdout)["checks"] if c["id"] == "BIDI-001")["title"]["en"] == title
        else:
            assert "u202e" in proc.stdout, fmt


def test_govern_test_shows_a_test_file_s_name_escaped(tmp_path):
    from tests.checks_support import CHECK, FIRES

    root = make_workspace(tmp_path / "ws", {"governance.yaml": "checks: [checks]\n", "checks/ext.rego": CHECK,
                                            "checks/ext\u202e_test.rego": FIRES})
    ran = govern("test", str(root))
    assert ran.returncode == 0, ran.stderr
    assert not raw(ran.stdout) and "checks/ext\\u202e_test.rego:" in ran.stdout
