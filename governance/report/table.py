"""`--format table`: findings for a person at a terminal."""

from __future__ import annotations

import io
import shutil

from rich.console import Console
from rich.table import Table
from rich.text import Text

from governance.result import RunResult
from governance.report._escape import visible

FORMAT = "table"
STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def render(result: RunResult, options) -> str:
    buf = io.StringIO()
    # on a terminal, fit it; in a file or CI log, a fixed width keeps output stable
    width = shutil.get_terminal_size((options.width, 24)).columns if options.color else options.width
    console = Console(file=buf, width=width, force_terminal=options.color, color_system="standard" if options.color else None)
    table = Table(title=_plain(f"govern · {result.workspace} · as of {result.as_of}"), title_justify="left", show_lines=False)
    compared = result.resolved is not None  # ran with --baseline
    for col in ("Severity", "Check", "Resource", "Message", "Location") + (("Baseline",) if compared else ()):
        table.add_column(col, overflow="fold")
    for f in result.findings:
        sev = f.severity if f.status == "fail" else f"{f.severity} (waived {f.waiver})"
        loc = f"{f.location.file}:{f.location.line}" if f.location else "-"
        row = [_plain(sev, STYLE[f.severity]), _plain(f.check), _plain(f"{f.resource.kind}/{f.resource.id}"),
               _plain(f.message), _plain(loc)]
        if compared:
            row.append(_plain("new", "bold") if f.baseline == "new" else _plain("existing"))
        table.add_row(*row)
    if result.findings:
        console.print(table)
    s, c = result.summary, result.summary.checks
    console.print(_plain(
        f"{s.fail} failing, {s.waived} waived · checks: {c.get('pass', 0)} pass, {c.get('fail', 0)} fail, "
        f"{c.get('not_applicable', 0)} not applicable · OPA {result.engine.opa_version} · policy {result.engine.policy_revision[:19]}…"
    ))
    if compared:
        new = sum(1 for f in result.findings if f.baseline == "new")
        gone = ", ".join(f"{f.check} {f.resource.kind}/{f.resource.id}" for f in result.resolved)
        console.print(_plain(f"since baseline: {new} new, {len(result.findings) - new} existing · "
                             f"{len(result.resolved)} resolved since baseline" + (f": {gone}" if gone else "")))
    return buf.getvalue()


def _plain(text: str, style: str = "") -> Text:
    """Result text as written: every value here may come from the workspace or a saved result, and a
    Text is never read as rich markup ("[/]" or "[bold red]" stay literal, where a markup string would crash or restyle)."""
    return Text(visible(text), style=style)
