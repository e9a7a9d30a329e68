"""The product's one vocabulary (checks/vocabulary.json): complete, one word per idea, the same to
OPA and to Python, and what a report of the example shows instead of raw values, in Chinese and in English."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from typing import Literal, get_args, get_origin

import pytest
from ruamel.yaml import YAML

from governance.engine import Module, inspect, policy_revision
from governance.engine import module as engine_module
from governance.evaluate.policy import catalogue, library_modules
from governance.model.definitions import Deployment
from governance.model.diagnosis import RootCause
from governance.model.inventory import INVENTORY_KINDS, Action, Decision, Goal
from governance.model.workspace import DEFINITIONS
from governance.result import SEVERITIES, STANDINGS, STATUSES
from governance.vocabulary import (
    CATEGORIES,
    LANGS,
    REGENERATE,
    default_dimensions,
    default_tiers,
    glossary,
    messages,
    names,
    vocabulary,
)
from tests.conftest import EXAMPLE, REPO, check

GLOSSARY = REPO / "docs" / "reference" / "glossary.md"


def _said_in_every_language(pair: object) -> bool:
    return isinstance(pair, dict) and set(pair) == set(LANGS) and all(isinstance(w, str) and w.strip() for w in pair.values())


# ---------------------------------------------------------------- complete

def test_every_name_term_and_label_is_said_in_both_languages():
    v = vocabulary()
    assert set(v) == {"defaults", "names", "terms", "labels"}
    assert list(v["names"]) == list(CATEGORIES)  # the glossary's order; a new category says what it names
    tables = {f"names.{c}": names(c) for c in CATEGORIES} | {"terms": v["terms"], "labels": v["labels"]}
    for where, table in tables.items():
        assert table, where
        unsaid = [key for key, pair in table.items() if not _said_in_every_language(pair)]
        assert unsaid == [], f"{where}: give each of these a zh and an en word: {unsaid}"
    assert set(v["terms"]).isdisjoint(v["labels"]), "a key is a term or a label, not both"


def _kinds(opa_binary: str) -> set[str]:
    """Every resource kind: the model's (inventory and policy kinds, waivers), what each built-in check
    declares its findings name, and what the example's findings name (aggregates such as phase, portfolio)."""
    declared, _, problems = catalogue(inspect(library_modules()))
    assert problems == []
    ran = check(EXAMPLE, "--format", "json")
    assert ran.returncode == 1, ran.stderr
    found = {f["resource"]["kind"] for f in json.loads(ran.stdout)["findings"]}
    return ({kind for _, kind in INVENTORY_KINDS.values()} | {d.resource for d in DEFINITIONS.values()} | {"waiver"}
            | {c.resource for c in declared.values() if c.resource} | found)


def _phases() -> list[str]:
    """The phases of the baseline BudgetPolicy (`govern init`) and of the example's."""
    yaml = YAML(typ="safe")
    return [phase["id"] for path in (REPO / "policies" / "budget.yaml", EXAMPLE / "policies" / "budget.yaml")
            for phase in yaml.load(path.read_text(encoding="utf-8"))["phases"]]


def test_every_kind_tier_phase_and_dimension_has_a_name_in_both_languages(opa_binary):
    expected = {"kinds": _kinds(opa_binary), "tiers": default_tiers(), "phases": _phases(),
                "dimensions": default_dimensions()}
    for category, values in expected.items():
        assert values, category
        unnamed = sorted(v for v in values if not _said_in_every_language(names(category).get(v)))
        assert unnamed == [], f"checks/vocabulary.json names.{category}: give these a zh and an en name: {unnamed}"


def _literal(annotation: object) -> tuple[str, ...]:
    while get_origin(annotation) is not Literal:  # Literal[...] | None
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    return get_args(annotation)


def test_the_named_values_are_the_ones_the_model_and_the_result_know():
    """Severities in their order, statuses, deployments, decision types, goal statuses: each value the model
    accepts has a name, and no name is kept for a value nothing can hold."""
    assert tuple(names("severities")) == SEVERITIES
    # a status, or the standing of a check whose only unwaived findings are advisories
    assert set(names("statuses")) == set(STATUSES) | set(STANDINGS)
    assert set(names("deployments")) == set(get_args(Deployment))
    assert set(names("decision_types")) == set(_literal(Decision.model_fields["type"].annotation))
    assert set(names("goal_statuses")) == set(_literal(Goal.model_fields["status"].annotation))
    assert set(names("action_statuses")) == set(_literal(Action.model_fields["status"].annotation))
    assert set(names("root_cause_categories")) == set(_literal(RootCause.model_fields["category"].annotation))
    assert set(names("root_cause_methods")) == set(_literal(RootCause.model_fields["method"].annotation))


def test_the_handbook_defaults_are_named_and_in_the_handbook_order():
    assert default_tiers() == ("strategic", "business", "execution")
    assert set(default_tiers()) <= set(names("tiers")) and set(default_dimensions()) <= set(names("dimensions"))


# ---------------------------------------------------------------- one word per idea

# Near-synonyms the reports and messages used for one idea, and the word kept for it (docs/reference/glossary.md).
SYNONYMS = {"严重度": "严重程度", "基准日期": "评估基准日", "责任人": "负责人", "执行目标": "执行层目标",
            "部署政策": "部署位置政策", "例外": "豁免", "业务线上化": "业务在线化", "战略目标": "战略层目标"}


def _chinese_of_the_product() -> dict[str, str]:
    """Where the product writes Chinese itself: the vocabulary, and each built-in Rego module."""
    texts = {"checks/vocabulary.json": (REPO / "checks" / "vocabulary.json").read_text(encoding="utf-8")}
    texts |= {f"checks/{p.name}": p.read_text(encoding="utf-8") for p in sorted((REPO / "checks").glob("*.rego"))}
    return texts


def test_one_idea_is_said_one_way():
    for where, text in _chinese_of_the_product().items():
        for synonym, kept in SYNONYMS.items():
            assert synonym not in text, f"{where} says {synonym}: the product says {kept}"
    zh = messages("zh")
    labels = {key: zh.text(key) for key in vocabulary()["labels"]}
    assert not [k for k, said in labels.items() if "问题" in said], "a finding is 发现, not 问题"
    terms = [pair["zh"] for pair in vocabulary()["terms"].values()]
    assert len(terms) == len(set(terms)), "two terms say the same"


def test_a_value_two_categories_name_differently_is_asked_with_its_category():
    zh = messages("zh")
    assert zh.name("public", "deployments") == "公有云" and zh.name("public", "levels") == "公开"
    assert zh.name("public") == "public"  # ambiguous alone: shown as written, never with the wrong name
    assert zh.name("scale_up") == "推广期" and zh.name("execution") == "执行层" and zh.name("category") == "预算类别"
    assert zh.name("acme-only") == "acme-only" and messages("en").name("on_prem", "deployments") == "on premises"


# ---------------------------------------------------------------- the glossary page

def test_the_checked_in_glossary_is_current():
    assert GLOSSARY.read_text(encoding="utf-8") == glossary(), \
        f"docs/reference/glossary.md is stale: regenerate it with `{REGENERATE}` and commit it"


def test_the_glossary_lists_every_term_and_name_in_both_languages():
    page = glossary()
    v = vocabulary()
    rows = [*v["terms"].values(), *(pair for c in CATEGORIES for pair in names(c).values())]
    assert all(f"| {pair['zh']} | {pair['en']} |" in page for pair in rows)
    assert all(f"### {c}" in page for c in CATEGORIES)


def test_the_regenerate_command_prints_the_glossary():
    proc = subprocess.run([sys.executable, "-m", "governance.vocabulary"], capture_output=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == glossary()


# ---------------------------------------------------------------- OPA reads the same words

def test_the_policy_revision_covers_the_vocabulary(monkeypatch):
    modules = [Module(id="govern/checks/x.rego", path=REPO / "x.rego", text="package govern.checks.x\n")]
    before = policy_revision(modules, {})
    changed = json.loads(json.dumps(vocabulary()))
    changed["names"]["levels"]["public"]["zh"] = "公有"
    monkeypatch.setattr(engine_module, "vocabulary", lambda: changed)  # where the revision reads it
    assert policy_revision(modules, {}) != before


def test_opa_test_of_the_checks_reads_the_vocabulary_as_data(opa_binary, tmp_path):
    """`opa test checks/` loads checks/vocabulary.json at data.govern.vocabulary, as a run does."""
    probe = tmp_path / "probe_test.rego"
    probe.write_text("package probe_test\n\nimport data.govern.lib\n\n"
                     'test_named if lib.zh(lib.names.deployments, "on_prem") == "本地部署"\n\n'
                     'test_unnamed_as_written if lib.zh(lib.names.deployments, "moon") == "moon"\n\n'
                     'test_called if lib.zh_called(lib.names.phases, "p1", "阶段") == "阶段 p1"\n', encoding="utf-8")
    proc = subprocess.run([opa_binary, "test", "checks/", str(probe), "--run", "probe_test", "--format", "json"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    results = json.loads(proc.stdout)
    assert {r["name"] for r in results if not r.get("fail") and not r.get("error")} == \
        {"test_named", "test_unnamed_as_written", "test_called"}, proc.stdout


# ---------------------------------------------------------------- a Chinese report shows names

def _raw_values() -> set[str]:
    """Every value the vocabulary gives a Chinese name other than itself."""
    return {value for c in CATEGORIES for value, pair in names(c).items() if pair["zh"] != value}


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z0-9][A-Za-z0-9_-]*", text))


def _markdown_prose(page: str, resources: list[str]) -> str:
    """The page's text as read, without its code spans and the resource cells (a kind's name and a
    workspace id, which stays as written)."""
    page = re.sub(r"\\(.)", r"\1", page)  # markdown escapes (max\_waiver\_days)
    page = re.sub(r"`[^`]*`", " ", page)
    for resource in sorted(resources, key=len, reverse=True):
        page = page.replace(f"| {resource} |", "|  |")
    return page


def _html_prose(page: str) -> str:
    """The page's visible text, without <code> (ids, paths) and the elements that are not text."""
    page = re.sub(r"<(style|script|code|svg)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def test_the_prose_readers_see_a_planted_raw_value():
    """The reading below would see a raw value if a report wrote one."""
    assert _tokens(_html_prose("<p>系统 <code>sys-a</code> 在 public 侧</p>")) & _raw_values() == {"public"}
    assert _tokens(_markdown_prose("| 阶段 scale_up | 不在阶段 scale_up 的月份范围 |", ["阶段 scale_up"])) & _raw_values() \
        == {"scale_up"}
    assert _tokens(_markdown_prose("超过 max\\_domains\\_per\\_system 规定的 1 个", [])) & _raw_values() == set()


def test_a_chinese_report_of_the_example_shows_names_not_raw_values(tmp_path):
    md, page, result = tmp_path / "r.md", tmp_path / "r.html", tmp_path / "r.json"
    ran = check(EXAMPLE, "--format", f"markdown={md}", "--format", f"html={page}", "--format", f"json={result}")
    assert ran.returncode == 1, ran.stderr
    doc = json.loads(result.read_text(encoding="utf-8"))
    zh = messages("zh")
    resources = [f"{zh.name(r['kind'])} {r['id']}" for r in
                 [f["resource"] for f in doc["findings"]] + [w["resource"] for w in doc.get("waivers", [])]]
    raw = _raw_values()
    for name, prose in (("markdown", _markdown_prose(md.read_text(encoding="utf-8"), resources)),
                        ("html", _html_prose(page.read_text(encoding="utf-8")))):
        shown = sorted(_tokens(prose) & raw)
        assert shown == [], f"the zh {name} report shows raw values where the vocabulary names them: {shown}"
    for finding in doc["findings"]:  # each built-in check's Chinese message
        assert not _tokens(finding["message_zh"] or "") & raw, finding["message_zh"]
    # what the reports say instead
    said = md.read_text(encoding="utf-8") + page.read_text(encoding="utf-8")
    for words in ("公有云", "受限", "预算调整", "决策智能化", "推广期", "执行层", "评估基准日", "严重程度",
                  "王伟（p-ceo）"):  # a person by name, with their id
        assert words in said, words


@pytest.mark.parametrize("lang", LANGS)
def test_every_kind_a_report_names_reads_in_its_language(lang):
    m = messages(lang)
    assert all(m.name(kind) == pair[lang] for kind, pair in names("kinds").items())


# ---------------------------------------------------------------- an English report shows names

def _raw_values_en() -> set[str]:
    """Every value the vocabulary gives an English name other than itself, except a value that is itself
    a word of some English name or term ("public" is a level's name, and a word of "public cloud")."""
    v = vocabulary()
    said = [pair["en"] for c in CATEGORIES for pair in names(c).values()] + \
        [pair["en"] for table in ("terms", "labels") for pair in v[table].values()]
    words = {token for text in said for token in _tokens(text)}
    return {value for c in CATEGORIES for value, pair in names(c).items() if pair["en"] != value} - words


def test_the_english_reading_sees_a_planted_raw_value():
    """The reading below would see a raw value if an English report or message wrote one."""
    raw = _raw_values_en()
    assert {"scale_up", "on_prem", "budget_reallocation", "decision_intelligence", "general-3"} <= raw
    assert _tokens("system sys-a is declared on_prem but runs on public cloud platform p") & raw == {"on_prem"}
    assert _tokens(_markdown_prose("| phase scale_up | the scale-up phase |", ["phase scale_up"])) & raw == set()
    assert _tokens(_html_prose("<p>outside <code>scale_up</code> the scale_up phase</p>")) & raw == {"scale_up"}


def test_an_english_report_of_the_example_shows_names_not_raw_values(tmp_path):
    md, page, result = tmp_path / "r.md", tmp_path / "r.html", tmp_path / "r.json"
    ran = check(EXAMPLE, "--lang", "en", "--format", f"markdown={md}", "--format", f"html={page}",
                "--format", f"json={result}")
    assert ran.returncode == 1, ran.stderr
    doc = json.loads(result.read_text(encoding="utf-8"))
    en = messages("en")
    resources = [f"{en.name(r['kind'])} {r['id']}" for r in
                 [f["resource"] for f in doc["findings"]] + [w["resource"] for w in doc.get("waivers", [])]]
    raw = _raw_values_en()
    for finding in doc["findings"]:  # each built-in check's English message
        assert not _tokens(finding["message"]) & raw, finding["message"]
    for name, prose in (("markdown", _markdown_prose(md.read_text(encoding="utf-8"), resources)),
                        ("html", _html_prose(page.read_text(encoding="utf-8")))):
        shown = sorted(_tokens(prose) & raw)
        assert shown == [], f"the en {name} report shows raw values where the vocabulary names them: {shown}"
    # what the messages say instead
    said = " ".join(f["message"] for f in doc["findings"])
    for words in ("public cloud", "restricted", "budget reallocation", "decision intelligence", "the execution tier",
                  "王伟 (p-ceo)"):  # a person by name (as the workspace writes it), with their id
        assert words in said, words
