"""`govern checks`: the check catalogue, read from the checks' own METADATA.

Every fact shown (id, titles, severity, waivable, resource kind, domain,
description, remediation) is what `opa inspect` reads in the Rego, as `govern check`
catalogues it; the controls are those of the control catalogues that name the
check. Nothing here is written twice, so the reference built from it
(docs/reference/checks.md, `--format markdown`) cannot drift from the checks.
"""

from __future__ import annotations

import io
import json
import os
import shlex
import shutil
import sys
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from governance import __version__
from governance.cli._common import Guard
from governance.cli._group import main
from governance.evaluate import DeclaredCheck, Domain, compile_policy, load
from governance.model import Workspace
from governance.report import DEFAULT_LANG, LANGS, json_document, markdown_cell, markdown_code, markdown_text, visible
from governance.vocabulary import Messages, localized, messages

if TYPE_CHECKING:  # rich is imported where a table is drawn
    from rich.text import Text

FORMATS = ("table", "json", "markdown")
MARKDOWN_LANG = "en"  # the Markdown reference is read beside the repository's docs, which are English
MANIFEST = "governance.yaml"
SCHEMA_VERSION = 1
JSON_HELP = """\b
--format json prints one object, keys in this order, the same bytes for the same checks and controls:
  schema_version  1
  tool            {name: "govern", version}
  workspace       the workspace's name, or null for the built-in library alone
  domains         [{id, title: {en, zh}, order}] in reading order (declared order, then by id);
                  a domain no package declares has title {} and order null
  checks          [{id, title: {en, zh}, severity, waivable, resource, domain, description,
                    description_zh, remediation: {zh, en}, controls: [control id...], builtin,
                    location: {file, line, column}}]
                  by domain in reading order, then by id. title.zh only where the check has
                  custom.title_zh; resource null, description and description_zh (its
                  custom.description_zh) "" where METADATA has none; remediation (its
                  custom.remediation) holds the languages it is written in, {} for none;
                  location.file of a built-in check starts with <govern>/
"""


@dataclass(frozen=True)
class Catalogue:
    """The checks one policy declares, each with its domain and the controls it evidences, in reading order."""

    workspace: str | None  # the workspace's name; None for the built-in library alone
    domains: list[Domain]
    checks: list[DeclaredCheck]
    controls: dict[str, list[str]]  # check id -> ids of the controls that name it, sorted

    def domain(self, check: DeclaredCheck) -> Domain:
        return next(d for d in self.domains if d.id == check.domain)


@main.command(epilog=JSON_HELP, short_help="List every check from its METADATA, with its controls.")
@click.argument("workspace", required=False, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format.")
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help=f"Language of the table and of Markdown (default: {DEFAULT_LANG} for the table, "
                   f"{MARKDOWN_LANG} for Markdown, the language of docs/reference/checks.md).")
def checks(workspace: str | None, fmt: str, lang: str | None) -> None:
    """List every check from its METADATA, with the controls it evidences.

    Built-in checks and, given a workspace, its own. WORKSPACE defaults to the current folder if it
    holds governance.yaml; otherwise the built-in library alone is listed. Needs the pinned OPA, which
    reads the METADATA (`opa inspect`); starts no server."""
    with Guard():
        found = read_catalogue(workspace)
    if fmt == "json":
        text = as_json(found)
    elif fmt == "markdown":
        text = as_markdown(found, messages(lang or MARKDOWN_LANG), regenerate=_command(workspace, lang))
    else:
        text = as_table(found, messages(lang or DEFAULT_LANG))
    click.echo(text, nl=False)


# ---------------------------------------------------------------- reading

def read_catalogue(given: str | None) -> Catalogue:
    """The catalogue of a workspace (validated, its Rego compiled: exit 2 or 3 as `govern check`), or of the
    built-in library alone when no workspace is given and the current folder is none."""
    if given is None and not os.path.lexists(MANIFEST):
        ws, name = library_only(), None
    else:
        ws = load(given or ".")
        name = ws.name
    policy = compile_policy(ws)
    declared = [d for d in policy.domains.values() if any(c.domain == d.id for c in policy.checks.values())]
    undeclared = {c.domain for c in policy.checks.values()} - set(policy.domains)  # shown by id, like a run's domains
    domains = sorted(declared + [Domain(id=d, title={}, order=None) for d in undeclared],
                     key=lambda d: (d.order is None, d.order or 0, d.id))
    rank = {d.id: i for i, d in enumerate(domains)}
    evidenced: dict[str, list[str]] = {cid: [] for cid in policy.checks}
    for control in sorted(ws.controls.values(), key=lambda c: c.id):
        for cid in dict.fromkeys(control.checks):  # compile_policy made sure each names a declared check
            evidenced[cid].append(control.id)
    return Catalogue(workspace=name, domains=domains, controls=evidenced,
                     checks=sorted(policy.checks.values(), key=lambda c: (rank[c.domain], c.id)))


def library_only() -> Workspace:
    """The built-in library as a workspace that adds nothing: its controls and checks, loaded and checked
    exactly as in any workspace (an empty manifest in a throw-away folder)."""
    with tempfile.TemporaryDirectory(prefix="govern-library-") as tmp:
        with open(os.path.join(tmp, MANIFEST), "w", encoding="utf-8") as manifest:
            manifest.write("# the built-in library alone\n")
        return load(tmp)


def _command(workspace: str | None, lang: str | None) -> str:
    """The command line that prints this Markdown again, for its header."""
    words = ["govern", "checks", *([workspace] if workspace else []), "--format", "markdown", *(["--lang", lang] if lang else [])]
    return shlex.join(words)


# ---------------------------------------------------------------- JSON

def as_json(found: Catalogue) -> str:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "govern", "version": __version__},
        "workspace": found.workspace,
        "domains": [{"id": d.id, "title": d.title, "order": d.order} for d in found.domains],
        "checks": [{"id": c.id, "title": c.title, "severity": c.severity, "waivable": c.waivable, "resource": c.resource,
                    "domain": c.domain, "description": c.description, "description_zh": c.description_zh,
                    "remediation": c.remediation,
                    "controls": found.controls[c.id],
                    "builtin": c.builtin, "location": c.location.as_dict()} for c in found.checks],
    }
    return json_document(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"  # as the JSON result: nothing raw


# ---------------------------------------------------------------- table (the terminal)

def as_table(found: Catalogue, m: Messages) -> str:
    from rich.console import Console  # rich only for a table: the other formats do not pay for it
    from rich.table import Table

    t = m.text
    interactive = sys.stdout.isatty()
    buffer = io.StringIO()  # rendered to a string, then echoed, as `govern controls` does
    console = Console(file=buffer, width=shutil.get_terminal_size((160, 24)).columns if interactive else 160,
                      force_terminal=interactive, color_system="standard" if interactive else None)
    table = Table(title=_plain(t("checks.heading", scope=_scope(found, m))), title_justify="left", show_lines=True)
    for header in (t("check"), t("checks.title"), t("severity"), t("checks.waivable"), t("resource_kind"),
                   t("domain"), t("controls"), t("checks.description")):
        table.add_column(header, overflow="fold")
    for c in found.checks:
        table.add_row(*map(_plain, (c.id, localized(c.title, m.lang), m.name(c.severity), _yes_no(c.waivable, m),
                                    c.resource or "-", localized(found.domain(c).title, m.lang, c.domain),
                                    ", ".join(found.controls[c.id]) or "-", _description_cell(c, m))))
    console.print(table)
    console.print(_plain(_count(found, m)))
    return buffer.getvalue()


def _description_cell(c: DeclaredCheck, m: Messages) -> str:
    """The description, then how to fix what the check finds below it: one column more would fold the others."""
    fix = localized(c.remediation, m.lang)
    parts = [c.described(m.lang), m.text("checks.remediation", text=fix) if fix else ""]
    return "\n\n".join(p for p in parts if p) or "-"


def _plain(value: str) -> Text:
    """METADATA and control text as written: a Text is never read as rich markup."""
    from rich.text import Text

    return Text(visible(value))


# ---------------------------------------------------------------- Markdown (the reference)

def as_markdown(found: Catalogue, m: Messages, *, regenerate: str) -> str:
    t = m.text
    lines = [f"# {t('checks.page_title')}", "", "> " + t("checks.page_generated", command=markdown_code(regenerate)), "",
             markdown_text(_count(found, m)), ""]
    for domain in found.domains:
        lines += [f"## {markdown_text(localized(domain.title, m.lang, domain.id))} ({markdown_code(domain.id)})", ""]
        for c in (c for c in found.checks if c.domain == domain.id):
            lines += _markdown_check(c, found.controls[c.id], m)
    return "\n".join(lines).rstrip() + "\n"


def _markdown_check(c: DeclaredCheck, controls: list[str], m: Messages) -> list[str]:
    t = m.text
    title = localized(c.title, m.lang)
    lines = [f"### {markdown_text(c.id)} · {markdown_text(title)}", ""]
    for other in (o for o in c.title.values() if o != title):  # the title in the other language, where there is one
        lines += [markdown_text(other), ""]
    header = [t("severity"), t("checks.waivable"), t("resource_kind"), t("controls")]
    row = [m.name(c.severity), _yes_no(c.waivable, m), c.resource or "", ", ".join(controls)]
    lines += ["| " + " | ".join(map(markdown_cell, header)) + " |", "|" + " --- |" * len(header),
              "| " + " | ".join(map(markdown_cell, row)) + " |", ""]
    described = c.described(m.lang)
    others = [d for d in (c.description, c.description_zh) if d and d != described]  # the other language's, as titles
    lines += [line for d in [described, *others] if d for line in (markdown_text(d), "")]
    return lines + _markdown_remediation(c, m)


def _markdown_remediation(c: DeclaredCheck, m: Messages) -> list[str]:
    """How to fix what the check finds: in the page's language, then the other one, as the descriptions."""
    fix = localized(c.remediation, m.lang)
    if not fix:
        return []
    others = [text for text in c.remediation.values() if text != fix]
    return [f"**{markdown_text(m.text('remediation'))}**: {markdown_text(fix)}", "",
            *(line for text in others for line in (markdown_text(text), ""))]


# ---------------------------------------------------------------- words shared by the table and Markdown

def _scope(found: Catalogue, m: Messages) -> str:
    return m.text("checks.library") if found.workspace is None else m.text("checks.library_and", workspace=found.workspace)


def _count(found: Catalogue, m: Messages) -> str:
    builtin = sum(1 for c in found.checks if c.builtin)
    if found.workspace is None:
        return m.text("checks.count_library", total=builtin, domains=len(found.domains))
    return m.text("checks.count", total=len(found.checks), builtin=builtin, own=len(found.checks) - builtin,
                  domains=len(found.domains))


def _yes_no(value: bool, m: Messages) -> str:
    return m.text("checks.yes") if value else m.text("checks.no")
