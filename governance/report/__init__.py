"""Renderers: one module per output format behind one interface.

A format module in this package defines `FORMAT = "<name>"` and
`render(result: RunResult, options: RenderOptions) -> str | bytes` (and `TREND = True` if it draws a
history store's trend section); it is
found by name, so adding a format means adding a module and nothing else
(plus its labels in `checks/vocabulary.json` if it shows words; docs/adding-a-format.md).
Modules whose name starts with `_` are helpers, not formats. The audit pack (`--format audit=DIR`,
_audit.py) is not a format either but a folder of them, declared member by member in one list.
Renderers never run OPA or read the workspace: everything they show comes
from the `RunResult`.
"""

from governance.report import evidence
from governance.report._agenda import AGENDA_FORMATS, render_agenda  # the meeting pack's formats (govern agenda)
from governance.report._aggregate import GROUP_FORMATS, render_group  # the group report's formats (govern aggregate)
from governance.report._audit import AUDIT_FORMAT, audit_listing, audit_members, is_audit_pack, render_all, reproduced  # + packs
from governance.report._controls import CONTROLS_FORMATS, render_controls  # the catalogue's formats (govern controls)
from governance.report._escape import json_document, markdown_cell, markdown_code, markdown_text, visible
from governance.report._history_formats import FINDING_FORMATS, TREND_FORMATS, render_finding, render_trend
from governance.report._render import FORMATS, Rendered, Renderer, RenderOptions, Seal, render, shows_trend
from governance.vocabulary import DEFAULT_LANG, LANGS

__all__ = ["AGENDA_FORMATS", "AUDIT_FORMAT", "CONTROLS_FORMATS", "DEFAULT_LANG", "FINDING_FORMATS", "FORMATS",
           "GROUP_FORMATS", "LANGS", "RenderOptions", "Rendered", "Renderer", "Seal", "TREND_FORMATS", "audit_listing",
           "audit_members", "evidence", "json_document", "is_audit_pack", "markdown_cell", "markdown_code", "markdown_text",
           "render", "render_agenda", "render_all", "render_controls", "render_finding", "render_group", "render_trend",
           "reproduced", "shows_trend", "visible"]
