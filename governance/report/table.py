"""`--format table`: findings for a person at a terminal, labelled in the `--lang` language (zh by default).

The labels come from the vocabulary (`governance.vocabulary`); the values (ids, messages,
file:line) are shown as the result holds them, escaped (`_escape.visible`), and
each text is cut at TEXT_LIMIT characters with a note saying how much is left
out: the table is for a person, and the terminal library's line folding takes
time that grows faster than the text, so one 10 MB id would stall a run for
minutes. The JSON, SARIF and the other files keep every character."""

from __future__ import annotations

import io
import shutil
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from governance.report._escape import visible
from governance.result import RunResult, tally
from governance.vocabulary import Messages, messages

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "table"
STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}
TEXT_LIMIT = 1_000  # characters of one cell or line; well above any id, name or check message meant to be read


def render(result: RunResult, options: RenderOptions) -> str:
    m = messages(options.lang)
    t, name = m.text, m.name

    def _plain(text: str, style: str = "") -> Text:
        return _text(text, style, m)
    buf = io.StringIO()
    # on a terminal, fit it; in a file or CI log, a fixed width keeps output stable
    width = shutil.get_terminal_size((options.width, 24)).columns if options.color else options.width
    console = Console(file=buf, width=width, force_terminal=options.color, color_system="standard" if options.color else None)
    table = Table(title=_plain(t("table.title", workspace=result.workspace, as_of=result.as_of)), title_justify="left",
                  show_lines=False)
    compared = result.resolved is not None  # ran with --baseline
    headers = [t("severity"), t("check"), t("resource"), t("message"), t("location")]
    for header in headers + ([t("baseline")] if compared else []):
        table.add_column(header, overflow="fold")
    for f in result.findings:
        sev = name(f.severity) if f.status == "fail" else t("table.severity_waived", severity=name(f.severity), waiver=f.waiver)
        loc = f"{f.location.file}:{f.location.line}" if f.location else "-"
        row = [_plain(sev, STYLE[f.severity]), _plain(f.check), _plain(f"{name(f.resource.kind)} {f.resource.id}"),
               _plain(m.said(f)), _plain(loc)]
        if compared:
            row.append(_plain(name("new"), "bold") if f.baseline == "new" else _plain(name("existing")))
        table.add_row(*row)
    if result.findings:
        console.print(table)
    counts = tally(result)
    c = counts.checks
    checks = t("check_counts", passed=c["pass"], failed=c["fail"], na=c["not_applicable"])
    checks += t("check_counts_advisory", n=c["advisory"]) if c["advisory"] else ""
    checks += t("check_counts_skipped", skipped=c["skipped"]) if c["skipped"] else ""
    console.print(_plain(t("table.summary", fail=counts.failing, waived=counts.waived, advisories=counts.advisories,
                           checks=checks,
                           opa=result.engine.opa_version, revision=result.engine.policy_revision[:19])))
    if result.selection.skipped:
        console.print(_plain(t("skipped_checks", checks=", ".join(map(str, result.selection.skipped))), "yellow"))
    if result.resolved is not None:
        new = sum(1 for f in result.findings if f.baseline == "new")
        gone = ", ".join(f"{f.check} {name(f.resource.kind)} {f.resource.id}" for f in result.resolved)
        console.print(_plain(t("table.since_baseline", new=new, existing=len(result.findings) - new,
                               resolved=len(result.resolved))
                             + (t("table.resolved_which", which=gone) if gone else "")))
        from governance.report._history_parts import compared_line  # the run compared with, where the result names it
        against = compared_line(result, m)
        if against:
            console.print(_plain(against))
    return buf.getvalue()


def _text(text: str, style: str, m: Messages) -> Text:
    """Result text as written: every value here may come from the workspace or a saved result, and a
    Text is never read as rich markup ("[/]" or "[bold red]" stay literal, where a markup string would crash or restyle).
    Cut at TEXT_LIMIT, so the time rich takes to fold it into the column stays bounded."""
    if len(text) > TEXT_LIMIT:
        text = text[:TEXT_LIMIT] + m.text("table.cut", n=f"{len(text) - TEXT_LIMIT:,}")
    return Text(visible(text), style=style)
