"""`--format json`: the machine contract of spec/README.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.result import RunResult

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "json"


def render(result: RunResult, options: RenderOptions) -> str:
    return result.to_json()
