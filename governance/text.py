"""Text that cannot hide what it says: which characters a reader cannot see, and how
to show any text so that they can be seen.

Neutral ground, importing nothing of govern: the loader uses it to refuse such
characters where they would deceive (ids, names) and error messages use it to
print them escaped.
"""

from __future__ import annotations

import re

# Text may hold tab and newline (and carriage return ending a line); any other control
# character, and a lone surrogate (a "\ud800" escape: no UTF-8 encoder can write it), is refused.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")


def first_control(text: str) -> int | None:
    """Where `text` holds a control character (other than tab, newline and CR before a newline) or
    a lone surrogate: the index of the first, or None."""
    found = _CONTROL.search(text)
    return None if found is None else found.start()


def first_hidden(text: str) -> int | None:
    """Where `text` holds a character a reader cannot see or that changes how what follows reads:
    controls, format characters (zero-width space and joiners, bidi controls, the byte-order mark,
    the soft hyphen), surrogates, separators other than the ASCII space, private-use and unassigned
    code points. The index of the first, or None. These are exactly what `str.isprintable` refuses."""
    if text.isprintable():
        return None
    return next(i for i, ch in enumerate(text) if not ch.isprintable())


def codepoint(ch: str) -> str:
    """`U+200D`: how messages name a character."""
    return f"U+{ord(ch):04X}"


def visible(text: str) -> str:
    """`text` with every character `first_hidden` finds written as an escape (`\\u200d`, `\\x00`),
    so that what is printed is what is there."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"
