"""Escaping shared by the renderers a person reads in a terminal or a Markdown viewer.

Workspace and result text is shown as written, except for characters that
would change how the rest is seen: C0/C1 control characters (ESC sequences
recolour, hide or rewrite a terminal; CR overwrites a line) and the Unicode
bidirectional controls that reorder text on screen ("Trojan Source"). Each is
shown as its escape, e.g. `\\x1b`, so a reader sees that it is there.
"""

from __future__ import annotations

_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_HIDDEN = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}
_HIDDEN.update({c: f"\\u{c:04x}" for c in _BIDI})


def visible(value) -> str:
    """`value` as text with every control character written out; tab and newline stay."""
    return str(value).translate(_HIDDEN)
