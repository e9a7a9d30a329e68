"""`govern agenda --format html`: the meeting pack as one self-contained page, printed on A4.

Like the committee's report (html.py): inline CSS, a content security policy that loads nothing, no
script; words from the vocabulary in zh or en. Page one (the verdict, the counts against the last
meeting with their arrows, the items needing a decision per group) stands alone on its printed page;
the items, what changed and the progress follow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.report import _agenda as pack
from governance.report.html import _env
from governance.result import Agenda
from governance.vocabulary import messages

if TYPE_CHECKING:  # the package imports this module
    from governance.report import RenderOptions


def render(agenda: Agenda, options: RenderOptions) -> str:
    m = messages(options.lang)

    def name(key: str, category: str | None = None) -> str:
        return m.name(key, category, capital=True)  # standing alone in a cell or badge

    return _env.get_template("agenda.html.j2").render(
        lang=m.lang, t=m.text, name=name, kind_name=m.name, a=agenda, m=m, pack=pack,
        counts=pack.counts(agenda, m), groups=pack.grouped(agenda), by_owner=pack.by_owner(agenda, m))
