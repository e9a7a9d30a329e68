"""`--format json`: the machine contract (its models: governance/result/types.py).

The text is the result's exactly; bidi controls and invisible characters in it are written as JSON
`\\u` escapes, which parse back to the same strings (`_escape.json_document`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.report._escape import json_document
from governance.result import RunResult

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "json"


def render(result: RunResult, options: RenderOptions) -> str:
    return json_document(result.to_json())
