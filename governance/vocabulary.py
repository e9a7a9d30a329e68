"""The product's words, in Chinese and English, and the handbook's defaults: read from one file.

`checks/vocabulary.json` is the only place a name of the product's vocabulary is written. OPA
loads it as `data.govern.vocabulary` (the checks' Chinese messages name kinds, tiers,
deployments … from it), and Python reads it here for the reports, `govern checks` and the
model's defaults. It is the library's, never the workspace's: it ships with the checks, the
policy revision covers it, and no workspace file or module can stand in for it.

The document has four parts:

- `defaults`: what the handbook fixes when a StrategyPolicy lists nothing (goal tiers, top
  first; maturity dimensions);
- `names`: the name of each value the product knows, by category (kinds, severities,
  statuses, phases, tiers, dimensions, deployments, grades, levels, decision types …);
- `terms`: the words for the domain's ideas (finding, waiver, owner, as-of date …), each
  said one way; docs/reference/glossary.md lists them with the names;
- `labels`: the reports' other labels and phrases, `{field}` placeholders filled in by `text`.

    m = messages(options.lang)          # unknown or missing language: zh, the default
    m.text("check")                     # a term or a label: 检查 / Check
    m.text("check_counts", passed=3, failed=1, na=2)   # a phrase with {fields}
    m.name("high"), m.name("not_applicable"), m.name("technology")
    m.name("public", "deployments")     # a value two categories name differently: ask with its category
    m.name("pass", capital=True)        # Pass: a status standing alone (HTML badges)

`text` raises KeyError on an unknown key (a typo in a renderer is a bug). `name` gives a value
with no name (a workspace's own category or id, `fail_on: never`) as written.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from governance.library import vocabulary_file
from governance.result import CheckSummary, Finding

__all__ = ["CATEGORIES", "DEFAULT_LANG", "LANGS", "Messages", "default_dimensions", "default_tiers", "document", "glossary",
           "localized", "messages", "names", "vocabulary"]

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

# the path of the vocabulary in OPA's data, as the file nests it
DATA_PATH = ("govern", "vocabulary")

# the categories of `names`, in the glossary's order, with what each names
CATEGORIES: dict[str, str] = {
    "kinds": "Resource kinds (a finding's resource, an inventory or policy kind, an aggregate the checks report on)",
    "severities": "Severities, most severe first",
    "statuses": "Statuses of a check, control or domain (and the standing of one whose only unwaived findings are advisories)",
    "baseline_marks": "A finding against `--baseline`",
    "budget_categories": "The handbook's budget categories (§1.3.2)",
    "phases": "The handbook's phases (§1.3.1)",
    "tiers": "Goal tiers (§1.2.2), top first",
    "dimensions": "Maturity dimensions (§1.1.1)",
    "indicators": "Maturity indicators (§1.1.1)",
    "goal_statuses": "A goal's status",
    "action_statuses": "A committee action item's status",
    "deployments": "Deployments of a platform or system (§2.1.1)",
    "grades": "Data grades (GB/T 43697-2024)",
    "levels": "Organisational classification levels (ISO/IEC 27001 A.5.12)",
    "decision_types": "Decision types (the AuthorityMatrix sets limits per type)",
    "root_cause_categories": "A root cause's category (§1.1.1 step 3)",
    "root_cause_methods": "How a root cause was found (§1.1.1 step 3)",
    "finding_events": "A change in a finding's life between recorded runs (`govern history finding`)",
    "frameworks": "Frameworks a control cites (its `references`), by key",
    "framework_citations": "How a citation names its framework, before the clause (《个人信息保护法》第51条, PIPL Art. 51)",
    "requirement_statuses": "A framework requirement's status in `govern controls --framework`, from its controls'",
}

REGENERATE = "python -m governance.vocabulary > docs/reference/glossary.md"

Pair = Mapping[str, str]  # language -> word


@cache
def document() -> Mapping[str, Any]:
    """The whole file, as OPA loads it (`{"govern": {"vocabulary": ...}}`)."""
    with vocabulary_file().open(encoding="utf-8") as f:
        loaded: dict[str, Any] = json.load(f)
    return loaded


def vocabulary() -> Mapping[str, Any]:
    """The vocabulary itself: `defaults`, `names`, `terms`, `labels`."""
    found: Any = document()
    for key in DATA_PATH:
        found = found[key]
    words: Mapping[str, Any] = found
    return words


def default_tiers() -> tuple[str, ...]:
    """The handbook's goal tiers, top first: used when no StrategyPolicy lists its own."""
    return tuple(vocabulary()["defaults"]["tiers"])


def default_dimensions() -> tuple[str, ...]:
    """The handbook's maturity dimensions: used when no StrategyPolicy lists its own."""
    return tuple(vocabulary()["defaults"]["dimensions"])


def names(category: str) -> Mapping[str, Pair]:
    """value -> {lang: name} for one of CATEGORIES."""
    found: Mapping[str, Pair] = vocabulary()["names"][category]
    return found


def _in(table: Mapping[str, Pair], lang: str) -> Mapping[str, str]:
    return MappingProxyType({key: pair[lang] for key, pair in table.items()})


def _unambiguous(lang: str) -> Mapping[str, str]:
    """Every named value whose name is the same whichever category it is read in, in every language
    (`public` is a deployment and a level, named differently: it is asked with its category; `pipl` reads
    alike as a framework and in a citation in Chinese but not in English: asked with its category too, so
    that every language names the same values without one)."""
    seen: dict[str, set[tuple[str, ...]]] = {}
    for category in CATEGORIES:
        for value, pair in names(category).items():
            seen.setdefault(value, set()).add(tuple(pair[other] for other in LANGS))
    at = LANGS.index(lang)
    return MappingProxyType({value: next(iter(said))[at] for value, said in seen.items() if len(said) == 1})


@dataclass(frozen=True)
class Messages:
    """The words of one language."""

    lang: str
    texts: Mapping[str, str]  # terms and labels
    names: Mapping[str, str]  # every value named alike in all its categories
    by_category: Mapping[str, Mapping[str, str]]

    def text(self, key: str, **fields: object) -> str:
        """The term or label `key`; with fields, its {placeholders} filled in (values are inserted as given)."""
        template = self.texts[key]
        return template.format(**fields) if fields else template

    def name(self, key: str, category: str | None = None, *, capital: bool = False) -> str:
        """The name of a value (of `category`, when two categories name it differently); anything
        without one (a workspace's own id) as written."""
        name = (self.by_category[category] if category else self.names).get(key)
        if name is None:
            return key
        return name[:1].upper() + name[1:] if capital else name

    def said(self, finding: Finding) -> str:
        """A finding's message in this language: the check's Chinese where it wrote one, else its English."""
        return (finding.message_zh or finding.message) if self.lang == "zh" else finding.message

    def title(self, check: CheckSummary) -> str:
        """A check's title in this language: METADATA custom.title_zh for zh where present, else `title`."""
        return (check.title_zh or check.title) if self.lang == "zh" else check.title


@cache
def _catalogue(lang: str) -> Messages:
    v = vocabulary()
    return Messages(lang, MappingProxyType({**_in(v["terms"], lang), **_in(v["labels"], lang)}), _unambiguous(lang),
                    MappingProxyType({c: _in(names(c), lang) for c in CATEGORIES}))


def messages(lang: str | None = None) -> Messages:
    """The words in `lang`; zh (the default of every report) when it is missing or not one of LANGS."""
    return _catalogue(lang if lang in LANGS else DEFAULT_LANG)


def localized(titles: Mapping[str, str], lang: str, default: str = "") -> str:
    """A title the workspace or a check package gives per language: the one in `lang`, else the first
    non-empty one it has, else `default`."""
    return titles.get(lang) or next((t for t in titles.values() if t), default)


# ---------------------------------------------------------------- docs/reference/glossary.md

def glossary() -> str:
    """The glossary page: every term and every name, in Chinese and English."""
    v = vocabulary()
    lines = ["# Glossary (术语表)", "",
             "Every word govern's reports and the built-in checks' Chinese messages use for an idea of the domain, "
             "and the name of every value they show, in Chinese and English. One idea, one word: "
             "a report or a message says it this way and no other.", "",
             f"Generated from `checks/vocabulary.json` by `{REGENERATE}`; do not edit it by hand. "
             "The same file is `data.govern.vocabulary` to the checks (see the guide to writing checks in docs/).", "",
             "## Terms", "", "| key | 中文 | English |", "|---|---|---|"]
    lines += [f"| `{key}` | {pair['zh']} | {pair['en']} |" for key, pair in v["terms"].items()]
    lines += ["", "## Names", "", "A value that has no name here (a workspace's own id) is shown as written."]
    for category, about in CATEGORIES.items():
        lines += ["", f"### {category}", "", about + ".", "", "| value | 中文 | English |", "|---|---|---|"]
        lines += [f"| `{value}` | {pair['zh']} | {pair['en']} |" for value, pair in names(category).items()]
    lines += ["", "## Defaults", "",
              "Used when a StrategyPolicy lists none of its own.", "",
              "- goal tiers, top first: " + ", ".join(f"`{t}`" for t in v["defaults"]["tiers"]),
              "- maturity dimensions: " + ", ".join(f"`{d}`" for d in v["defaults"]["dimensions"]), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.buffer.write(glossary().encode("utf-8"))
