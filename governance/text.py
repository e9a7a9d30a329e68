"""Text that cannot hide what it says: which characters a reader cannot see, and how
to show any text so that they can be seen.

Neutral ground, importing nothing of govern: the loader uses it to refuse such
characters where they would deceive (ids, names), error messages and every
report format use it to print them escaped (docs/security.md, "Text rules" and
"Text in reports").
"""

from __future__ import annotations

import re

# Each range is (first, last), inclusive. The list is deliberate and fixed (not read from the running
# Python's Unicode tables), so two installations escape the same text the same way.
CONTROLS = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F))  # C0 but tab and newline, DEL, C1
BIDI = ((0x061C, 0x061C), (0x200E, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069))
INVISIBLE = ((0x00AD, 0x00AD), (0x180E, 0x180E), (0x200B, 0x200D), (0x2060, 0x2064), (0x206A, 0x206F),
             (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0xE0000, 0xE007F))
SEPARATORS = ((0x2028, 0x2029),)
UNENCODABLE = ((0xD800, 0xDFFF), (0xFFFE, 0xFFFF))
HIDDEN_RANGES = CONTROLS + BIDI + INVISIBLE + SEPARATORS + UNENCODABLE
HIDDEN_CODES = [c for first, last in HIDDEN_RANGES for c in range(first, last + 1)]
# A scan for any of them, where str.isprintable says there may be one (it is false for every character
# above, and for a few more, such as U+3000): a regular expression finds them far faster than
# str.translate looks up each character of non-ASCII text (Chinese).
HIDDEN = re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in HIDDEN_RANGES) + "]")

# Text may hold tab and newline (and carriage return ending a line); any other control
# character, and a lone surrogate (a "\ud800" escape: no UTF-8 encoder can write it), is refused.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")


def _token(code: int) -> str:
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


_TOKENS = {c: _token(c) for c in HIDDEN_CODES}


def first_control(text: str) -> int | None:
    """Where `text` holds a control character (other than tab, newline and CR before a newline) or
    a lone surrogate: the index of the first, or None."""
    found = _CONTROL.search(text)
    return None if found is None else found.start()


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def first_surrogate(text: str) -> int | None:
    """Where `text` holds a lone surrogate (no UTF-8 encoder can write one): the index of the first, or None."""
    found = _SURROGATE.search(text)
    return None if found is None else found.start()


def first_hidden(text: str) -> int | None:
    """Where `text` holds a character that has no place in an id: every one `visible` escapes, and
    any other `str.isprintable` refuses (separators other than the ASCII space, private-use and
    unassigned code points). The index of the first, or None."""
    if text.isprintable():
        return None
    return next(i for i, ch in enumerate(text) if not ch.isprintable())


def codepoint(ch: str) -> str:
    """`U+200D`: how messages name a character."""
    return f"U+{ord(ch):04X}"


def visible(value: object) -> str:
    """`value` as text with every character of HIDDEN_RANGES written out as its escape (`\\u202e`,
    `\\x00`); tab and newline stay. Linear in the text's length; idempotent (an escape is plain ASCII)."""
    text = str(value)
    if text.isprintable():  # the common case, and the fastest test: every hidden character is unprintable
        return text
    if text.isascii():  # str.translate has a fast path for ASCII text
        return text.translate(_TOKENS)
    if "\n" in text and text.replace("\n", "").isprintable():  # lines of text (a page's markup): still fast
        return text
    return HIDDEN.sub(_escaped, text)  # a scan, and a look-up only where it finds one: one pass either way


def one_line(value: object) -> str:
    """For error messages: every character `first_hidden` finds escaped, tab and newline included, so
    what a message quotes stays on its line and an id it refuses shows the character it was refused for."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _token(ord(ch)) for ch in text)


def _escaped(found: re.Match[str]) -> str:
    return _TOKENS[ord(found[0])]
