"""Escaping shared by every renderer: what no report or terminal shows raw, and the Markdown rules.

Workspace and result text (a saved result given to `govern report` included) is
shown as written, except for characters that would change how the rest is seen,
or that a format cannot carry at all (docs/security.md, "Text in reports"):

- control characters, C0 and C1 (ESC sequences recolour, hide or rewrite a
  terminal; CR overwrites a line; NUL ends a C string and is not XML); tab and
  newline stay, each format decides what to do with them;
- the Unicode bidirectional controls that reorder text on screen ("Trojan
  Source"): a finding can be made to read as another;
- invisible characters (zero-width spaces and joiners, the word joiner, the
  byte-order mark, soft hyphen, tag characters): `PLC-001` with a zero-width
  joiner looks like PLC-001;
- the line and paragraph separators (U+2028/9), which break a line where a
  format has one;
- what no encoding or XML can carry: lone surrogates, U+FFFE and U+FFFF.

`visible` writes each one as its escape, e.g. `\\x1b`, `\\u202e`, `\\U000e0041`,
so a reader sees that it is there. It is the one rule every format applies to
text it takes from the result; each then adds its own syntax escaping on top
(HTML entities, CSV quoting, XML, workflow-command %-escapes, Markdown). The
machine JSON documents keep the text exactly, as JSON `\\u` escapes (`json_document`).

Text that lands in Markdown (the Markdown report, and every Markdown-typed
field of another format, such as SARIF's `help.markdown` that code-scanning
UIs render) goes through `markdown_text` / `markdown_cell` / `markdown_code`:
one line, no raw HTML, no Markdown syntax, so a workspace's check title or
finding message can add no link, image, script or table column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from governance.text import HIDDEN, HIDDEN_CODES, visible


def _json_escape(code: int) -> str:
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # JSON writes an astral character as its UTF-16 pair
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


_JSON = {c: _json_escape(c) for c in HIDDEN_CODES}

# What Markdown would read as syntax inside a line: code, emphasis, strikethrough, links and
# images, table cells, a heading's closing #s. Backslash-escaped, each shows as itself.
_SYNTAX = re.compile(r"([\\`*_~\[\]|#])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}  # entities, not tags: no raw HTML ever
_HTML_SPECIAL = re.compile("[&<>]")  # a scan: str.translate to longer strings is slow on non-ASCII text


def visible_strings(doc: object) -> object:
    """Every string of a JSON-like document (keys too) through `visible`: for documents whose text a UI
    shows after parsing them (SARIF in code scanning, OSCAL in a GRC tool), where a JSON escape would
    come back as the raw character."""
    if isinstance(doc, str):
        return visible(doc)
    if isinstance(doc, dict):
        return {visible(key): visible_strings(value) for key, value in doc.items()}
    if isinstance(doc, list | tuple):
        return [visible_strings(value) for value in doc]
    return doc


def visible_json(doc: object) -> str:
    """`doc` as JSON text (indented, not ASCII-escaped) with every string through `visible` (`visible_strings`).

    Most documents hold no such character, and walking a large one costs as much as writing it: so it is
    written first, and walked and written again only if the text may hold one, raw (unprintable but
    for the layout's newlines) or as a JSON escape of a control character (`\\u00..`, `\\b`, `\\f`,
    `\\r`; an escaped backslash before b, f, r or u00 also sends it the long way, which is still right)."""
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    if text.replace("\n", "").isprintable() and not any(escape in text for escape in _CONTROL_ESCAPES):
        return text
    return json.dumps(visible_strings(doc), ensure_ascii=False, indent=2)


_CONTROL_ESCAPES = ("\\u00", "\\b", "\\f", "\\r")  # how json.dumps writes C0 controls but tab and newline


def json_document(text: str) -> str:
    """A serialised JSON document with every character of HIDDEN_RANGES written as a JSON `\\u` escape.

    The data is unchanged (a parser reads back the very same strings), but the file shown in a terminal,
    a diff or a browser shows no bidi control or invisible character raw, and a lone surrogate, which
    UTF-8 cannot encode, can be written. Outside strings JSON is ASCII, so every such character met
    here is inside a string, where an escape is valid."""
    if text.replace("\n", "").isprintable():  # the layout's newlines aside, as in `visible`
        return text
    return HIDDEN.sub(_json_escaped, text)


def _json_escaped(found: re.Match[str]) -> str:
    return _JSON[ord(found[0])]


def markdown_text(value: object) -> str:
    """Workspace or result text as literal Markdown: one line, no HTML, no syntax."""
    text = " ".join(visible(value).split())  # a newline would end a table row or a heading
    return _HTML_SPECIAL.sub(_entity, _SYNTAX.sub(r"\\\1", text))


def _entity(found: re.Match[str]) -> str:
    return _HTML[found[0]]


def markdown_cell(value: object) -> str:
    """Table-cell safe: one line, no bare pipe, no raw HTML, no Markdown syntax; `-` when empty."""
    return markdown_text(value) or "-"


def markdown_code(value: object) -> str:
    """A code span that no backtick inside can close early (CommonMark: a longer fence)."""
    text = " ".join(visible(value).split())
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if text.startswith("`") or text.endswith("`") else f"{fence}{text}{fence}"


def markdown_table(header: list[str], rows: list[list], align: str = "") -> list[str]:
    """A Markdown table's lines: every cell escaped (markdown_cell); `align` is one l or r per column."""
    marks = [("---:" if a == "r" else "---") for a in (align or "l" * len(header))]
    return [_markdown_row(header), "| " + " | ".join(marks) + " |"] + [_markdown_row(r) for r in rows]


def _markdown_row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(markdown_cell(c) for c in cells) + " |"
