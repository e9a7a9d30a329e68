"""The frameworks a control cites: the one place that knows them.

A control's `references` maps a framework's key to the clause it cites, or a list of them:

    references: {handbook: "1.3.2", gbt22239: ["8.1.4.8"], pipl: [art. 51], iso27001: [A.5.12]}

Here are the keys, the other names a reader may call a framework by on the command line (`mlps`,
`cac-2024` …: `normalise`), how a clause of each is written (`problems` says what is wrong with a
citation, for the loader's `file:line:col` errors), the natural order of clauses (`clause_order`:
8.1.4.2 before 8.1.4.10, art. 9 before art. 21), and how a citation reads in Chinese and English
(`display`). The words -- a framework's name, how a citation names it, 第…条 / Art. … -- are the
vocabulary's (`names.frameworks`, `names.framework_citations`, the `citation.*` labels).

A file writes the key itself: a citation is evidence an auditor follows, so it is spelt one way.
An alias in a file is refused with the key to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from governance.result import (  # a clause of a framework, as the result and the views carry it
    Citation,
    ControlsView,
    FrameworkView,
    Requirement,
    RunResult,
    ViewCheck,
    ViewControl,
    check_standings,
    control_standing,
    coverage,
    requirement_status,
)
from governance.vocabulary import messages

__all__ = ["FRAMEWORKS", "MAX_CLAUSES", "Citation", "Framework", "citations", "clause_order", "display",
           "framework_view", "known", "normalise", "problems", "recorded_view", "title"]


@dataclass(frozen=True)
class _Form:
    """One way a clause is written: `kind` names the vocabulary's label that says it (`citation.<kind>`);
    the pattern's first group is the part the label quotes (the article's number, the annex's letter)."""

    kind: str
    pattern: re.Pattern[str]


# Digits are ASCII [0-9], never \d: \d also matches ١ (U+0661) and the like, so "art. 5١" would pass for a
# clause, escape "cited twice" beside "art. 51" and count as one more requirement met
_SECTION = r"[1-9][0-9]?(?:\.[1-9][0-9]?){0,4}"  # 8, 8.1, 8.1.4.8: numbered sections of a standard
SECTION = _Form("section", re.compile(f"({_SECTION})"))
PARAGRAPH = _Form("paragraph", re.compile(f"({_SECTION})"))  # the handbook's §1.3.2
ANNEX = _Form("annex", re.compile(r"Annex ([A-Z](?:\.[1-9][0-9]?){0,3})"))
ARTICLE = _Form("article", re.compile(r"art\. ([1-9][0-9]{0,2})"))
# ISO/IEC 27001:2022 Annex A: 5.1-5.37 organisational, 6.1-6.8 people, 7.1-7.14 physical, 8.1-8.34 technological
ANNEX_A = _Form("section", re.compile(
    r"(A\.(?:5\.(?:[1-9]|[12][0-9]|3[0-7])|6\.[1-8]|7\.(?:[1-9]|1[0-4])|8\.(?:[1-9]|[12][0-9]|3[0-4])))"))


@dataclass(frozen=True)
class Framework:
    key: str  # as a control's `references` writes it
    aliases: tuple[str, ...]  # other names for it on the command line, compared as `normalise` reads them
    forms: tuple[_Form, ...]
    example: str  # how a clause is written
    articles: int | None = None  # a law's last article, where a clause is an article

    @property
    def written(self) -> str:
        """How a clause is written, as an error says it."""
        return self.example + (f" (art. 1 to art. {self.articles})" if self.articles else "")

    def form_of(self, clause: str) -> tuple[_Form, re.Match[str]] | None:
        """The form `clause` is written in and its match, or None if it is no clause of this framework."""
        for form in self.forms:
            match = form.pattern.fullmatch(clause)
            if match and (form is not ARTICLE or self.articles is None or int(match[1]) <= self.articles):
                return form, match
        return None


# In the order the views list them: the national baseline, the laws, the standards, the handbook
FRAMEWORKS: Mapping[str, Framework] = MappingProxyType({f.key: f for f in (
    Framework("gbt22239", ("mlps", "mlps2", "mlps2.0", "mlps-2.0", "等保", "等保2.0", "gb/t22239", "gb/t22239-2019",
                           "gbt22239-2019"),
              (SECTION,), 'a section number, in quotes: "8.1.4.8"'),
    Framework("pipl", ("个人信息保护法",), (ARTICLE,), "an article: art. 51", articles=74),
    Framework("dsl", ("数据安全法",), (ARTICLE,), "an article: art. 21", articles=55),
    # the law as amended in 2025: its last article is not pinned here
    Framework("csl", ("网络安全法",), (ARTICLE,), "an article: art. 21"),
    Framework("gbt43697", ("gb/t43697", "gb/t43697-2024", "gbt43697-2024"), (SECTION, ANNEX),
              'a section number in quotes ("6.5") or an annex (Annex G)'),
    Framework("cac2024", ("cac-2024", "cac2024-provisions", "促进和规范数据跨境流动规定"), (ARTICLE,),
              "an article: art. 7", articles=14),
    Framework("iso27001", ("iso-27001", "iso/iec27001", "iso27001:2022", "iso/iec27001:2022"), (ANNEX_A,),
              "an Annex A control: A.5.12 (A.5.1-A.5.37, A.6.1-A.6.8, A.7.1-A.7.14, A.8.1-A.8.34)"),
    Framework("handbook", ("手册",), (PARAGRAPH,), 'a section number, in quotes: "1.3.2"'),
)})


def known() -> str:
    """The keys, as an error lists them."""
    return ", ".join(FRAMEWORKS)


def normalise(name: str) -> str | None:
    """The key of the framework `name` calls (`mlps`, `GB/T 22239`, `cac-2024`, `ISO27001` …), or None."""
    compact = re.sub(r"[\s_《》]+", "", name).lower()
    return next((f.key for f in FRAMEWORKS.values() if compact == f.key or compact in f.aliases), None)


def clause_order(framework: str, clause: str) -> tuple[object, ...]:
    """A clause's place among its framework's: sections by their numbers, then annexes, articles by number."""
    found = FRAMEWORKS[framework].form_of(clause) if framework in FRAMEWORKS else None
    if found is None:
        return (2, clause)
    form, match = found
    parts = tuple(int(p) if p.isdigit() else p for p in re.split(r"\.", match[1].removeprefix("A.")))
    return (1 if form is ANNEX else 0, parts)


def citations(references: Mapping[str, object]) -> Iterator[Citation]:
    """Each clause a control's `references` cites, in the order written (a single clause or a list)."""
    for framework, cited in references.items():
        for clause in cited if isinstance(cited, list) else [cited]:
            yield Citation(framework=framework, clause=str(clause))


def display(framework: str, clause: str, lang: str) -> str:
    """A citation as a reader knows it: 《个人信息保护法》第51条 / PIPL Art. 51; 手册 §1.3.2. A citation that is no
    clause reads as written, never half read (`problems` refuses it in a workspace and in a saved result)."""
    found = FRAMEWORKS[framework].form_of(clause) if framework in FRAMEWORKS else None
    if found is None:
        return f"{framework} {clause}"
    form, match = found
    m = messages(lang)
    return m.text(f"citation.{form.kind}", framework=m.name(framework, "framework_citations"), clause=match[1])


def title(framework: str, lang: str) -> str:
    """The framework's full name (GB/T 22239-2019 … (MLPS 2.0)); an unknown key as written."""
    return messages(lang).name(framework, "frameworks")


Where = tuple[str | int, ...]  # under a control's `references`: a key, or a key and the index of a clause


# A control cites the clauses it evidences: ISO/IEC 27001's whole Annex A is 93 controls, a law's articles a few
# dozen that matter. More than this is a catalogue pasted into one control, not a control -- and every report,
# the OSCAL documents and the audit pack carry each citation once per finding of the control's checks.
MAX_CLAUSES = 100


def problems(references: Mapping[str, object]) -> list[tuple[Where, str]]:
    """What is wrong with a control's `references`, each placed under it: more clauses than MAX_CLAUSES, an
    unknown framework, a citation that is not a clause or a list of them, a malformed clause, a clause cited
    twice."""
    clauses = sum(len(c) if isinstance(c, list) else 1 for c in references.values())
    if clauses > MAX_CLAUSES:  # said alone: a control this long is not to be read clause by clause
        return [((), f"cites {clauses} clauses; a control cites at most {MAX_CLAUSES}")]
    out: list[tuple[Where, str]] = []
    for key, cited in references.items():
        framework = FRAMEWORKS.get(key)
        if framework is None:
            alias = normalise(key)
            why = (f"framework '{key}' is written '{alias}' in a control's references" if alias
                   else f"unknown framework '{key}' (known: {known()})")
            out.append(((key,), why))
            continue
        if not isinstance(cited, list):
            out += [((key,), why) for why in _clause_problems(framework, cited, set())]
            continue
        if not cited:
            out.append(((key,), f"{key}: cites no clause; write {framework.written}"))
        seen: set[str] = set()
        out += [((key, i), why) for i, clause in enumerate(cited) for why in _clause_problems(framework, clause, seen)]
    return out


def _clause_problems(framework: Framework, clause: object, seen: set[str]) -> list[str]:
    key = framework.key
    if not isinstance(clause, str):
        # YAML reads 1.3 as a number (and 1.10 as 1.1): a clause is text
        return [f"{key}: a clause is text: write {framework.written}"]
    if framework.form_of(clause) is None:
        return [f"{key}: '{clause[:60]}' is not a clause of {key}; write {framework.written}"]
    if clause in seen:
        return [f"{key}: '{clause}' is cited twice"]
    seen.add(clause)
    return []


def framework_view(view: ControlsView, framework: str) -> FrameworkView:
    """`framework` (a key: `normalise` reads the names a user gives) turned around: each clause the catalogue
    cites, in the framework's clause order, with the controls citing it and its status."""
    citing: dict[str, list[ViewControl]] = {}
    for control in view.controls:
        for clause in dict.fromkeys(c.clause for c in control.references if c.framework == framework):
            citing.setdefault(clause, []).append(control)
    requirements = [Requirement(clause=clause, status=requirement_status(c.status for c in controls), controls=controls)
                    for clause, controls in sorted(citing.items(), key=lambda kv: clause_order(framework, kv[0]))]
    return FrameworkView(workspace=view.workspace, as_of=view.as_of, framework=framework, requirements=requirements,
                         coverage=coverage(requirements))


def recorded_view(result: RunResult) -> ControlsView:
    """The catalogue as the run recorded it (its `controls[]`, with their references), each control with its
    standing: the view a saved result gives alone, as the audit pack renders it. A workspace's catalogue can
    hold controls added since the run (not evaluated there): `govern controls` builds from the workspace."""
    checks = check_standings(result.checks, result.fail_on)
    titles = {c.id: {"zh": c.title_zh or c.title, "en": c.title} for c in result.checks}
    return ControlsView(workspace=result.workspace, as_of=result.as_of, controls=[
        ViewControl(id=r.id, title=r.title, status=control_standing(r, checks),
                    checks=[ViewCheck(id=c, title=titles.get(c, {}), status=checks.get(c)) for c in r.checks],
                    references=list(citations(r.references)))
        for r in sorted(result.controls, key=lambda r: r.id)])
