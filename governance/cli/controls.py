"""`govern controls`: the control catalogue, the checks that evidence each
control, and (given a `govern check --format json` result) each control's status."""

from __future__ import annotations

import io
import shutil
import sys
from typing import TYPE_CHECKING

import click

from governance.cli._common import Guard, ResultFile, saved_result
from governance.cli._group import main
from governance.evaluate import load
from governance.model import Control
from governance.report import visible
from governance.result import STANDINGS, check_standings, control_standing

if TYPE_CHECKING:  # rich is imported where a table is drawn
    from rich.table import Table
    from rich.text import Text

STATUS_STYLE = {"fail": "bold red", "pass": "green", "advisory": "green", "not_applicable": "dim", "skipped": "yellow"}
# Reference keys used by the built-in catalogue (controls/*.yaml) and how a reader knows them;
# a workspace may use other keys, which are shown as written.
SOURCES = {
    "handbook": "手册 §",
    "iso27001": "ISO/IEC 27001:2022 ",
    "gbt43697": "GB/T 43697-2024 ",
    "gbt22239": "GB/T 22239-2019 ",
    "pipl": "PIPL ",
    "dsl": "DSL ",
    "csl": "CSL ",
    "cac2024": "CAC 2024 cross-border ",
}


@main.command()
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
@click.option("--result", "result_path", metavar="RESULT.json", type=ResultFile(exists=False),
              help="A `govern check --format json` result: show each control's status in that run.")
def controls(workspace: str, result_path: str | None) -> None:
    """List controls, their titles and the checks that evidence them."""
    statuses = read_statuses(result_path) if result_path else None
    with Guard():
        ws = load(workspace)
    catalogue = sorted(ws.controls.values(), key=lambda c: c.id)
    from rich.console import Console  # only now: other commands, imported with this one, do not pay for rich

    interactive = sys.stdout.isatty()
    # rendered to a string, then echoed: rich itself would exit 1 ("findings") if the reader of stdout went away
    buffer = io.StringIO()
    console = Console(file=buffer, width=shutil.get_terminal_size((160, 24)).columns if interactive else 160,
                      force_terminal=interactive, color_system="standard" if interactive else None)
    console.print(table(catalogue, statuses, f"govern controls · {ws.name}"))
    console.print(plain(footer(catalogue, statuses)))
    click.echo(buffer.getvalue(), nl=False)


def read_statuses(path: str) -> dict[str, str]:
    """control id -> standing, as every report reads the `controls[]` of a saved JSON result (a control
    whose only findings are advisories passes with advisories: `governance.result.standing`), read as
    every command reads one (validated: exit 2 at its file:line:col when it is not a coherent result)."""
    result = saved_result(path)
    checks = check_standings(result.checks, result.fail_on)
    return {r.id: control_standing(r, checks) for r in result.controls}


def plain(value: str, style: str = "") -> Text:
    """Workspace and result text shown as written: rich reads no markup in a Text ("[/]" stays "[/]")."""
    from rich.text import Text

    return Text(visible(value), style=style)


def table(catalogue: list[Control], statuses: dict[str, str] | None, title: str) -> Table:
    from rich.table import Table

    t = Table(title=plain(title), title_justify="left", show_lines=True)
    for col in ("Control", "标题", "Title", "Checks", "References") + (("Status",) if statuses is not None else ()):
        t.add_column(col, overflow="fold")
    for c in catalogue:
        row = [plain(c.id), plain(c.title.zh), plain(c.title.en), plain(", ".join(c.checks)), plain(references(c.references))]
        if statuses is not None:
            status = statuses.get(c.id)
            row.append(plain(status, STATUS_STYLE.get(status, "")) if status else plain("not in result"))
        t.add_row(*row)
    return t


def references(refs: dict[str, object]) -> str:
    """{handbook: "1.3", iso27001: [A.5.2, A.5.3]} -> "手册 §1.3; ISO/IEC 27001:2022 A.5.2, A.5.3"."""
    return "; ".join(f"{SOURCES.get(k, k + ' ')}{', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in refs.items())


def footer(catalogue: list[Control], statuses: dict[str, str] | None) -> str:
    checks = {ch for c in catalogue for ch in c.checks}
    line = f"{len(catalogue)} controls evidenced by {len(checks)} checks"
    if statuses is not None:
        counts = {s: sum(1 for c in catalogue if statuses.get(c.id) == s) for s in STANDINGS}
        missing = sum(1 for c in catalogue if c.id not in statuses)
        line += f" · in the result: {counts['fail']} fail, {counts['pass']} pass"
        line += f", {counts['advisory']} advisory (pass with advisories)" if counts["advisory"] else ""
        line += f", {counts['not_applicable']} not applicable"
        line += f", {counts['skipped']} skipped" if counts["skipped"] else ""
        line += f", {missing} not in the result" if missing else ""
    return line
