"""`govern aggregate --format html`: the group report as one self-contained page.

Like the committee's page (html.py): inline CSS, a content security policy
that loads nothing, no script; labels from the catalogue in zh or en; findings'
messages in the page's language where the check wrote it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.report._aggregate_markdown import SHOWN_STANDINGS, unwaived
from governance.report.html import _env
from governance.result import SEVERITIES, GroupResult
from governance.vocabulary import messages

if TYPE_CHECKING:  # the package imports this module
    from governance.report import RenderOptions


def render(group: GroupResult, options: RenderOptions) -> str:
    m = messages(options.lang)

    def name(key: str) -> str:
        return m.name(key, capital=True)  # standing alone in a cell or badge

    return _env.get_template("aggregate.html.j2").render(
        lang=m.lang, t=m.text, name=name, kind_name=m.name, said=m.said, g=group, severities=SEVERITIES,
        standings=SHOWN_STANDINGS, unwaived=unwaived,
        passed=sum(e.verdict == "pass" for e in group.entities))
