"""The group report's formats (`govern aggregate --format F`): one module per format, as for a run.

A group format module defines `render(group: GroupResult, options: RenderOptions) -> str`.
They are helpers of this package (names starting with `_`), not run formats:
`govern check --format` never offers them, and they read nothing but the
`GroupResult`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from governance.report._escape import json_document
from governance.result import GroupResult

if TYPE_CHECKING:  # the package imports this module
    from governance.report import RenderOptions

GroupRenderer = Callable[[GroupResult, "RenderOptions"], str]


def _json(group: GroupResult, options: RenderOptions) -> str:
    return json_document(group.to_json())  # as a run's JSON (json.py)


class _GroupFormats(Mapping[str, GroupRenderer]):
    """Format name -> renderer, each module imported the first time its format is asked for:
    `govern check`, which imports this package, does not pay for the HTML templates (jinja2)."""

    _MODULES = {"markdown": "_aggregate_markdown", "html": "_aggregate_html", "oscal": "_aggregate_oscal"}

    def __getitem__(self, name: str) -> GroupRenderer:
        if name == "json":
            return _json
        renderer: GroupRenderer = importlib.import_module(f"governance.report.{self._MODULES[name]}").render
        return renderer

    def __contains__(self, name: object) -> bool:  # without importing the format's module
        return name == "json" or name in self._MODULES

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(["json", *self._MODULES]))

    def __len__(self) -> int:
        return 1 + len(self._MODULES)


GROUP_FORMATS: Mapping[str, GroupRenderer] = _GroupFormats()


def render_group(fmt: str, group: GroupResult, options: RenderOptions) -> str:
    if fmt not in GROUP_FORMATS:
        raise ValueError(f"unknown group format {fmt!r} (known: {', '.join(sorted(GROUP_FORMATS))})")
    return GROUP_FORMATS[fmt](group, options)
