"""The words of the human-readable reports (the product's vocabulary), and the contract of a format module.

No OPA here: the catalogue is checked as data, and the renderers that use it
are fed small hand-made results (domains and BUD-002 bands filled in, or
missing as in a result saved by an older govern).
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
import string
from pathlib import Path

import pytest

import governance.report as report
from governance.report import FORMATS, RenderOptions, render, render_all
from governance.result import (
    SEVERITIES,
    STATUSES,
    Band,
    BudgetSummary,
    CheckSummary,
    DomainRecord,
    Engine,
    Finding,
    PhaseBudget,
    Resource,
    RunResult,
    Summary,
    Tool,
)
from governance.vocabulary import DEFAULT_LANG, LANGS, messages, vocabulary

REPORT = Path(report.__file__).parent


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# ---------------------------------------------------------------- the catalogue as data

@pytest.mark.parametrize("part", ["texts", "names"])
def test_every_language_has_the_same_keys_and_no_empty_value(part):
    tables = {lang: getattr(messages(lang), part) for lang in LANGS}
    keys = set(tables[DEFAULT_LANG])
    assert keys
    for lang, table in tables.items():
        assert set(table) == keys, (lang, set(table) ^ keys)
        assert [k for k, v in table.items() if not v.strip()] == [], lang


def test_a_phrase_has_the_same_fields_in_every_language():
    for key in messages(DEFAULT_LANG).texts:
        fields = {lang: _fields(messages(lang).texts[key]) for lang in LANGS}
        assert len({frozenset(f) for f in fields.values()}) == 1, (key, fields)


def test_no_message_is_defined_twice():
    """Two keys that read the same in every language are one message written twice."""
    seen: dict[tuple[str, ...], str] = {}
    for part in ("texts", "names"):
        for key in getattr(messages(DEFAULT_LANG), part):
            reading = tuple(getattr(messages(lang), part)[key] for lang in LANGS)
            assert reading not in seen, f"{part}.{key} repeats {seen[reading]}: {reading}"
            seen[reading] = f"{part}.{key}"


def test_severities_statuses_and_baseline_marks_are_named_in_every_language():
    for lang in LANGS:
        names = messages(lang).names
        for key in (*SEVERITIES, *STATUSES, "new", "existing", "resolved"):
            assert key in names, (lang, key)


def test_the_lookup_api():
    zh, en = messages("zh"), messages("en")
    assert messages() is messages(None) is messages("fr") is messages(DEFAULT_LANG) is zh  # the default language
    assert en.text("check") == "Check" and zh.text("check") == "检查"
    assert en.text("check_counts", passed=1, failed=2, na=3) == "checks: 1 pass, 2 fail, 3 not applicable"
    assert en.text("md.waived_by", waiver="{x}") == "waived ({x})"  # values go in as given, never re-read
    assert en.name("not_applicable") == "not applicable" and en.name("not_applicable", capital=True) == "Not applicable"
    assert zh.name("critical", capital=True) == "严重"
    assert en.name("never", capital=True) == "never" and en.name("cloud") == "cloud"  # no name: as written
    with pytest.raises(KeyError):
        en.text("no.such.label")  # a typo in a renderer fails loudly


def test_every_label_a_renderer_asks_for_exists_and_every_label_is_used():
    """The keys written in the renderers, the HTML template and the commands that label their own output
    (`govern checks`), against the catalogue, both ways."""
    sources = [p.read_text(encoding="utf-8") for p in sorted(REPORT.glob("*.py"))]
    sources += [p.read_text(encoding="utf-8") for p in sorted((REPORT.parent / "cli").glob("*.py"))]
    sources += [p.read_text(encoding="utf-8") for p in sorted((REPORT / "templates").glob("*.j2"))]
    sources += [(REPORT.parent / "evaluate" / "agenda.py").read_text(encoding="utf-8")]  # the agenda's headings
    sources += [(REPORT.parent / "frameworks.py").read_text(encoding="utf-8")]  # how a citation reads
    asked, families = set(), set()
    for source in sources:
        asked |= set(re.findall(r"""\b(?:t|text)\(\s*["']([\w.]+)["']""", source))
        # a key built from a value (f"agenda.field.{field}", "agenda.group.{}"): every label under its prefix
        families |= set(re.findall(r"""["']([a-z_]+(?:\.[a-z_]+)*\.)\{""", source))
    texts, labels = set(messages(DEFAULT_LANG).texts), set(vocabulary()["labels"])
    assert asked, "the renderers ask the catalogue through t(...) or m.text(...)"
    assert asked - texts == set(), "asked for but not in the catalogue"
    assert {"agenda.field.", "agenda.group."} <= families, families
    unused = {label for label in labels - asked if not label.startswith(tuple(families))}
    assert unused == set(), "a label used by no renderer"  # a term may be the glossary's alone


def test_renderers_keep_no_label_tables_of_their_own():
    for module in ("html", "markdown", "table"):
        mod = importlib.import_module(f"governance.report.{module}")
        assert not {"LABELS", "NAMES", "DOMAINS"} & set(vars(mod)), module


# ---------------------------------------------------------------- the format contract (docs/adding-a-format.md)

def test_every_public_module_of_the_report_package_is_a_format():
    public = [m.name for m in pkgutil.iter_modules(report.__path__) if not m.name.startswith("_")]
    assert public
    for name in public:
        module = importlib.import_module(f"governance.report.{name}")
        assert isinstance(getattr(module, "FORMAT", None), str) and module.FORMAT, name
        assert callable(getattr(module, "render", None)), name
        assert FORMATS[module.FORMAT] is module.render, name


# ---------------------------------------------------------------- the catalogue in use

def _result(*, domains=(), bands=None, targets=None, check_domains=("budget", "committee", "zeta")) -> RunResult:
    checks = [CheckSummary(id=f"X-{i}", title="t", severity="low", waivable=True, domain=d, evaluated=1, failed=0,
                           waived=0, status="pass") for i, d in enumerate(check_domains)]
    phase = PhaseBudget(id="pilot", months=(1, 6), projects=["p"], lines=2, total=100,
                        amounts={"technology": 62, "talent": 38}, shares={"technology": 0.62, "talent": 0.38},
                        targets=targets if targets is not None else {"technology": 0.6}, bands=bands or {})
    return RunResult(
        workspace="ws", as_of="2026-11-25", tool=Tool(version="0"), engine=Engine(opa_version="1.20.2",
        policy_revision="sha256:" + "0" * 64), inputs=[], findings=[], checks=checks, domains=list(domains),
        summary=Summary(fail=0, waived=0, by_severity={}, checks={"pass": len(checks)}),
        budget=BudgetSummary(policy="bp", currency="CNY", tolerance_pp=5, categories=["technology", "talent"],
                             phases=[phase]),
    )


def _cards(page: str) -> list[tuple[str, str]]:
    return [(key, html.unescape(title))
            for key, title in re.findall(r'data-domain="([^"]+)"[^>]*>\s*<header><h3>([^<]*)</h3>', page)]


def test_domain_cards_follow_the_results_domains_then_the_rest_by_id():
    domains = [DomainRecord(id="committee", title={"zh": "委员会与授权", "en": "Committee & authority"}, order=1),
               DomainRecord(id="budget", title={"en": "Budget"}, order=2),
               DomainRecord(id="empty", title={"zh": "无检查", "en": "No checks"}, order=3)]
    result = _result(domains=domains, check_domains=("budget", "committee", "zeta", "alpha"))
    zh = render("html", result, RenderOptions(lang="zh"))
    assert _cards(zh) == [("committee", "委员会与授权"), ("budget", "Budget"), ("empty", "无检查"),
                          ("alpha", "alpha"), ("zeta", "zeta")]
    assert 'data-domain="empty" data-status="not_applicable"' in zh
    en = render("html", result, RenderOptions(lang="en"))
    assert [t for _, t in _cards(en)][:3] == ["Committee & authority", "Budget", "No checks"]
    # a result saved before domains were recorded: every domain of its checks, sorted, titled by id
    assert _cards(render("html", _result(check_domains=("zeta", "budget")), RenderOptions(lang="en"))) == [
        ("budget", "budget"), ("zeta", "zeta")]


def _notes(page: str) -> list[str]:
    figure = page.split('data-phase="pilot"', 1)[1].split("</figure>", 1)[0]
    return re.findall(r'<text class="note ([a-z]*)"[^>]*>([^<]*)</text>', figure)


def test_the_budget_chart_shows_bud_002s_own_reading():
    # 62% against 60% ± 5 pp reads in band by arithmetic; the check said otherwise, and the page says what the check said
    band = Band(share=0.62, target=0.6, low=0.55, high=0.65, in_band=False)
    page = render("html", _result(bands={"technology": band}), RenderOptions(lang="en"))
    assert _notes(page)[0] == ("off", "62.0% · target 60% ± 5 pp · out of band")
    assert 'data-phase="pilot" data-off="1"' in page and 'class="share-off"' in page
    inside = render("html", _result(bands={"technology": band.model_copy(update={"in_band": True})}),
                    RenderOptions(lang="zh"))
    assert _notes(inside)[0] == ("in", "62.0% · 目标 60% ± 5 个百分点 · 在区间内")
    assert _notes(inside)[1] == ("none", "38.0% · 无目标")


def test_without_a_band_the_chart_shows_share_and_target_and_no_verdict():
    page = render("html", _result(), RenderOptions(lang="en"))  # saved before BUD-002 reported its bands
    assert _notes(page)[0] == ("none", "62.0% · target 60% ± 5 pp")
    assert 'data-off="0"' in page and 'class="band"' not in page and 'class="mark"' in page
    assert "in band" not in page.split("</ul>", 1)[1] and "out of band" not in page.split("</ul>", 1)[1]


def test_the_table_speaks_the_chosen_language():
    finding = Finding(check="X-0", severity="high", status="waived", waiver="wv-1", resource=Resource(kind="system", id="s-1"),
                      message="system s-1 has no owner", fingerprint="f", baseline="new")
    result = _result().model_copy(update={"findings": [finding], "resolved": []})
    zh = render("table", result, RenderOptions())  # zh, the default of every report
    for words in ("评估基准日 2026-11-25", "严重程度", "资源", "基线", "高（已豁免 wv-1）", "新增", "system s-1 has no owner",
                  "检查 3 通过、0 未通过、0 不适用", "相对基线：新增 1，既有 0 · 自基线以来已解决 0"):
        assert words in zh, words
    en = render("table", result, RenderOptions(lang="en"))
    for words in ("as of 2026-11-25", "Severity", "Resource", "Baseline", "high (waived wv-1)", "new",
                  "checks: 3 pass, 0 fail, 0 not applicable", "since baseline: 1 new, 0 existing · 0 resolved since baseline"):
        assert words in en, words


def test_render_all_renders_every_target_then_the_manifest_beside_files(tmp_path):
    steps: list[str] = []
    result = _result()
    targets = [("json", str(tmp_path / "r.json")), ("table", None), ("markdown", "-")]
    rendered = render_all(targets, result, RenderOptions(lang="en"), step=steps.append)
    assert steps == ["rendering json", "rendering table", "rendering markdown"]
    assert [p for p, _ in rendered] == [str(tmp_path / "r.json"), None, "-", str(tmp_path / "evidence.json")]
    assert rendered[1][1] == render("table", result, RenderOptions(lang="en"))
    assert list(tmp_path.iterdir()) == []  # nothing written
