"""`--format table`: findings for a person at a terminal."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from governance.evaluate.result import RunResult

FORMAT = "table"
STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def render(result: RunResult, options) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=options.width, force_terminal=options.color, color_system="standard" if options.color else None)
    table = Table(title=f"govern · {result.workspace} · as of {result.as_of}", title_justify="left", show_lines=False)
    for col in ("Severity", "Check", "Resource", "Message", "Location"):
        table.add_column(col, overflow="fold")
    for f in result.findings:
        sev = f.severity if f.status == "fail" else f"{f.severity} (waived {f.waiver})"
        loc = f"{f.location.file}:{f.location.line}" if f.location else "-"
        table.add_row(f"[{STYLE[f.severity]}]{sev}[/]", f.check, f"{f.resource.kind}/{f.resource.id}", f.message, loc)
    if result.findings:
        console.print(table)
    s, c = result.summary, result.summary.checks
    console.print(
        f"{s.fail} failing, {s.waived} waived · checks: {c.get('pass', 0)} pass, {c.get('fail', 0)} fail, "
        f"{c.get('not_applicable', 0)} not applicable · OPA {result.engine.opa_version} · policy {result.engine.policy_revision[:19]}…"
    )
    return buf.getvalue()
