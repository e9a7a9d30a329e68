"""`--format table`: findings for a person at a terminal, labelled in the `--lang` language (zh by default).

The labels come from the catalogue (`_messages.py`); the values (ids, messages,
file:line) are shown as the result holds them."""

from __future__ import annotations

import io
import shutil
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from governance.report._escape import visible
from governance.report._messages import messages
from governance.result import RunResult, advisory

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "table"
STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def render(result: RunResult, options: RenderOptions) -> str:
    m = messages(options.lang)
    t, name = m.text, m.name
    buf = io.StringIO()
    # on a terminal, fit it; in a file or CI log, a fixed width keeps output stable
    width = shutil.get_terminal_size((options.width, 24)).columns if options.color else options.width
    console = Console(file=buf, width=width, force_terminal=options.color, color_system="standard" if options.color else None)
    table = Table(title=_plain(t("table.title", workspace=result.workspace, as_of=result.as_of)), title_justify="left",
                  show_lines=False)
    compared = result.resolved is not None  # ran with --baseline
    headers = [t("severity"), t("check"), t("resource"), t("message"), t("location")]
    for header in headers + ([t("table.baseline")] if compared else []):
        table.add_column(header, overflow="fold")
    for f in result.findings:
        sev = name(f.severity) if f.status == "fail" else t("table.severity_waived", severity=name(f.severity), waiver=f.waiver)
        loc = f"{f.location.file}:{f.location.line}" if f.location else "-"
        row = [_plain(sev, STYLE[f.severity]), _plain(f.check), _plain(f"{f.resource.kind}/{f.resource.id}"),
               _plain(m.said(f)), _plain(loc)]
        if compared:
            row.append(_plain(name("new"), "bold") if f.baseline == "new" else _plain(name("existing")))
        table.add_row(*row)
    if result.findings:
        console.print(table)
    s, c = result.summary, result.summary.checks
    checks = t("check_counts", passed=c.get("pass", 0), failed=c.get("fail", 0), na=c.get("not_applicable", 0))
    checks += t("check_counts_skipped", skipped=c["skipped"]) if c.get("skipped") else ""
    advice = sum(1 for f in result.findings if advisory(f, result.fail_on))
    console.print(_plain(t("table.summary", fail=s.fail - advice, waived=s.waived, advisories=advice, checks=checks,
                           opa=result.engine.opa_version, revision=result.engine.policy_revision[:19])))
    if result.selection.skipped:
        console.print(_plain(t("skipped_checks", checks=", ".join(map(str, result.selection.skipped))), "yellow"))
    if result.resolved is not None:
        new = sum(1 for f in result.findings if f.baseline == "new")
        gone = ", ".join(f"{f.check} {f.resource.kind}/{f.resource.id}" for f in result.resolved)
        console.print(_plain(t("table.since_baseline", new=new, existing=len(result.findings) - new,
                               resolved=len(result.resolved))
                             + (t("table.resolved_which", which=gone) if gone else "")))
    return buf.getvalue()


def _plain(text: str, style: str = "") -> Text:
    """Result text as written: every value here may come from the workspace or a saved result, and a
    Text is never read as rich markup ("[/]" or "[bold red]" stay literal, where a markup string would crash or restyle)."""
    return Text(visible(text), style=style)
