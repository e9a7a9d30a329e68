"""Escaping shared by the renderers a person reads in a terminal or a Markdown viewer.

Workspace and result text is shown as written, except for characters that
would change how the rest is seen: C0/C1 control characters (ESC sequences
recolour, hide or rewrite a terminal; CR overwrites a line) and the Unicode
bidirectional controls that reorder text on screen ("Trojan Source"). Each is
shown as its escape, e.g. `\\x1b`, so a reader sees that it is there.

Text that lands in Markdown (the Markdown report, and every Markdown-typed
field of another format, such as SARIF's `help.markdown` that code-scanning
UIs render) goes through `markdown_text` / `markdown_cell` / `markdown_code`:
one line, no raw HTML, no Markdown syntax, so a workspace's check title or
finding message can add no link, image, script or table column.
"""

from __future__ import annotations

import re

_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_HIDDEN = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}
_HIDDEN.update({c: f"\\u{c:04x}" for c in _BIDI})

# What Markdown would read as syntax inside a line: code, emphasis, strikethrough, links and
# images, table cells, a heading's closing #s. Backslash-escaped, each shows as itself.
_SYNTAX = re.compile(r"([\\`*_~\[\]|#])")
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})  # entities, not tags: no raw HTML ever


def visible(value: object) -> str:
    """`value` as text with every control character written out; tab and newline stay."""
    return str(value).translate(_HIDDEN)


def markdown_text(value: object) -> str:
    """Workspace or result text as literal Markdown: one line, no HTML, no syntax."""
    text = " ".join(visible(value).split())  # a newline would end a table row or a heading
    return _SYNTAX.sub(r"\\\1", text).translate(_HTML)


def markdown_cell(value: object) -> str:
    """Table-cell safe: one line, no bare pipe, no raw HTML, no Markdown syntax; `-` when empty."""
    return markdown_text(value) or "-"


def markdown_code(value: object) -> str:
    """A code span that no backtick inside can close early (CommonMark: a longer fence)."""
    text = " ".join(visible(value).split())
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if text.startswith("`") or text.endswith("`") else f"{fence}{text}{fence}"
