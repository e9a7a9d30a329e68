"""`--format github`: GitHub Actions workflow commands, one annotation per unwaived finding.

For repositories without code scanning. Printed by a workflow step, each line

    ::error file=inventory/systems.yaml,line=2,col=5,title=PLC-001 · critical · …::system … on the public side

becomes an annotation on that file and line, in the pull request's diff and on
the run's summary page. Critical and high findings are `error`, medium and
low `warning`, info `notice`. Waived findings get none: a waiver is the
decision to accept them, and GitHub shows only a limited number of
annotations per step, which belong to what still needs doing; every other
report still lists them. Paths are from the repository root (`--path-prefix`);
a finding without a location is annotated on the run only.

Workspace text is escaped as the runner's own toolkit (@actions/core) does:
`%`, CR and LF in the message, and also `:` and `,` in a property, become
%25, %0D, %0A, %3A, %2C, which the runner turns back. So no finding can end
its line early, start a command of its own (`::add-mask::`, `::stop-commands::`)
or add a property. Other control characters are written out (`\\x1b`), as in
the terminal table, so an annotation cannot recolour or rewrite the log.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from governance.report._escape import visible
from governance.report._paths import in_repository
from governance.result import Finding, RunResult
from governance.vocabulary import messages

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "github"
COMMAND = {"critical": "error", "high": "error", "medium": "warning", "low": "warning", "info": "notice"}

_ESCAPES = {"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"}
# found by a scan, not str.translate: translating into longer strings is slow on non-ASCII (Chinese) text
_DATA = re.compile("[%\r\n]")
_PROPERTY = re.compile("[%\r\n:,]")


def render(result: RunResult, options: RenderOptions) -> str:
    m = messages(options.lang)
    titles = {c.id: m.title(c) for c in result.checks}  # one language per annotation: --lang's
    lines = [_annotation(f, titles.get(f.check, ""), options) for f in result.findings if f.status == "fail"]
    return "".join(line + "\n" for line in lines)


def _annotation(f: Finding, check_title: str, options: RenderOptions) -> str:
    properties: list[tuple[str, object]] = []
    if f.location is not None:
        properties += [("file", in_repository(options.path_prefix, f.location.file)),
                       ("line", max(f.location.line, 1)), ("col", max(f.location.column, 1))]
    properties.append(("title", _title(f, check_title, options)))
    listed = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMAND[f.severity]} {listed}::{escape_data(messages(options.lang).said(f))}"


def _title(f: Finding, check_title: str, options: RenderOptions) -> str:
    """`PLC-001 · critical · new · <the check's title>`: which check, how bad, and whether the change brought it."""
    m = messages(options.lang)
    marks = [f.check, m.name(f.severity)] + ([m.name("new")] if f.baseline == "new" else [])
    return " · ".join(marks + ([check_title] if check_title else []))


def escape_data(value: object) -> str:
    """A command's message: one line whatever it holds."""
    return visible(_DATA.sub(_escape, str(value)))


def escape_property(value: object) -> str:
    """A command's property value: one line, and no `:` or `,` that would end the property or the list."""
    return visible(_PROPERTY.sub(_escape, str(value)))


def _escape(found: re.Match[str]) -> str:
    return _ESCAPES[found[0]]
