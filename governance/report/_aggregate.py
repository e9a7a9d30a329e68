"""The group report's formats (`govern aggregate --format F`): one module per format, as for a run.

A group format module defines `render(group: GroupResult, options: RenderOptions) -> str`.
They are helpers of this package (names starting with `_`), not run formats:
`govern check --format` never offers them, and they read nothing but the
`GroupResult`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from governance.report import _aggregate_html, _aggregate_markdown, _aggregate_oscal
from governance.result import GroupResult

if TYPE_CHECKING:  # the package imports this module
    from governance.report import RenderOptions

GroupRenderer = Callable[[GroupResult, "RenderOptions"], str]


def _json(group: GroupResult, options: RenderOptions) -> str:
    return group.to_json()


GROUP_FORMATS: dict[str, GroupRenderer] = {
    "json": _json,
    "markdown": _aggregate_markdown.render,
    "html": _aggregate_html.render,
    "oscal": _aggregate_oscal.render,
}


def render_group(fmt: str, group: GroupResult, options: RenderOptions) -> str:
    if fmt not in GROUP_FORMATS:
        raise ValueError(f"unknown group format {fmt!r} (known: {', '.join(sorted(GROUP_FORMATS))})")
    return GROUP_FORMATS[fmt](group, options)
