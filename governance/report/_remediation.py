"""How to fix what a report lists: each check with an unwaived finding, once, with the remediation its
METADATA declares (`custom.remediation`), in the report's language (else the language it wrote)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from governance.report._escape import markdown_code, markdown_text
from governance.result import RunResult
from governance.vocabulary import Messages, localized

_CODE = re.compile(r"`([^`]+)`")  # a field or a value as the workspace's files write it


@dataclass(frozen=True)
class Remedy:
    check: str
    title: str  # the check's title in the report's language
    text: str

    @property
    def spans(self) -> list[tuple[bool, str]]:
        """The text in (is code, part) pieces: what it writes between backticks is a field or value of the
        workspace's files (`mlps_filing_id`, `status: done`), which a page shows as code."""
        return [(i % 2 == 1, part) for i, part in enumerate(_CODE.split(self.text)) if part]


def remedies(result: RunResult, m: Messages) -> list[Remedy]:
    """In the order the report lists the findings (most severe first): a waived finding is an accepted risk,
    not work to do, and a check that declares no remediation (a workspace's own) has nothing to show."""
    checks = {c.id: c for c in result.checks}
    listed = dict.fromkeys(f.check for f in result.findings if f.status == "fail")
    return [Remedy(cid, m.title(checks[cid]), localized(checks[cid].remediation, m.lang))
            for cid in listed if cid in checks and localized(checks[cid].remediation, m.lang)]


def as_markdown(remedy: Remedy) -> str:
    """Its text as literal Markdown on one line, what it writes in backticks as code spans."""
    out = []
    for code, part in remedy.spans:
        if code:
            out.append(markdown_code(part))
            continue
        text = markdown_text(part)  # one line, trimmed: the spaces around a code span put back
        out.append((" " if part[:1].isspace() else "") + text + (" " if text and part[-1:].isspace() else ""))
    return "".join(out)
