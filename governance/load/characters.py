"""The text rules every loaded tree keeps, whatever file kind it came from.

A value govern reads is text it must later write: into the JSON sent to OPA,
into reports, into a terminal. So no string may hold a lone surrogate (a
`"\\ud800"` escape: no UTF-8 encoder can write it) or a control character
other than tab and newline (and carriage return ending a line); and every
string is read in Unicode normal form NFC, so that one id spelt composed in
one file and decomposed in another is one id (a duplicate is an error, a
reference finds it), never two entities that print alike.

A file's bytes are scanned first: one without a backslash (no escape can make
a character it does not show), control bytes or lone CRs, and already in NFC,
cannot break a rule, and a large inventory is not walked value by value.

No string may be longer than MAX_TEXT_CHARS either (ids and names have lower
bounds, kept where they are known to be ids and names). Each reader refuses a
longer one where it reads strings anyway (compose.py, csv_tree.py), or where a
line of the file is long enough to hold one (json_tree.py, with `too_long`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from governance.load.errors import WorkspaceError, WorkspaceErrors
from governance.load.limits import MAX_TEXT_CHARS, TEXT_TOO_LONG
from governance.load.tree import Path_, SourceMap
from governance.text import codepoint, first_control, first_hidden

_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_ESCAPE = b"\\"
_OTHER_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES + _ESCAPE)
_C1_LEAD = b"\xc2"  # UTF-8 of U+0080..U+00BF (C1 controls among them) starts with it


def as_text(raw: bytes, text: str, data: Any, sources: SourceMap) -> Any:
    """`data` (read from `raw`, decoded as `text`) with every string in NFC; `WorkspaceErrors`
    at each string that holds a lone surrogate or a control character."""
    if _plainly_text(raw, text):
        return data
    errors: list[WorkspaceError] = []
    data = _walk(data, (), sources, errors)
    if errors:
        raise WorkspaceErrors(errors)
    return data


def _plainly_text(raw: bytes, text: str) -> bool:
    if raw.translate(None, _OTHER_BYTES):  # a control byte or a backslash (C speed, unlike a regex)
        return False
    if b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n"):  # counted only where there is one
        return False
    if raw.isascii():
        return True
    return (_C1_LEAD not in raw or first_control(text) is None) and unicodedata.is_normalized("NFC", text)


def too_long(data: Any, sources: SourceMap) -> list[WorkspaceError]:
    """An error at each string of `data` longer than MAX_TEXT_CHARS (a walk without paths first:
    the one that says where runs only if there is one)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack += item.values()
            stack += item.keys()
        elif isinstance(item, list):
            stack += item
        elif isinstance(item, str) and len(item) > MAX_TEXT_CHARS:
            errors: list[WorkspaceError] = []
            _walk(data, (), sources, errors)
            return errors
    return []


def _walk(value: Any, path: Path_, sources: SourceMap, errors: list[WorkspaceError]) -> Any:
    if isinstance(value, str):
        return _string(value, path, sources, errors)
    if isinstance(value, list):
        for i, item in enumerate(value):
            value[i] = _walk(item, path + (i,), sources, errors)
        return value
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = _string(key, path + (key,), sources, errors)
            if name in out:
                errors.append(WorkspaceError(sources.locate(path + (key,)),
                                             f"duplicate key '{name}' (the same text as an earlier key, in NFC)"))
            out[name] = _walk(item, path + (key,), sources, errors)
        return out
    return value


def _string(value: str, path: Path_, sources: SourceMap, errors: list[WorkspaceError]) -> str:
    why = text_problem(value)
    if why:
        errors.append(WorkspaceError(sources.locate(path), why))
        return value
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def text_problem(value: str) -> str | None:
    """What breaks the text rules in `value`, if anything."""
    if len(value) > MAX_TEXT_CHARS:
        return f"{TEXT_TOO_LONG} (this one has {len(value):,})"
    at = first_control(value)
    if at is None:
        return None
    ch = value[at]
    what = ("a lone surrogate" if "\ud800" <= ch <= "\udfff" else "a NUL character" if ch == "\0"
            else "a control character")
    return (f"text holds {what} ({codepoint(ch)}) at character {at + 1}: text may hold tab and newline, "
            "no other control character and no lone surrogate (an escape such as \\ud800 not paired with another)")


def problems_in(value: Any) -> list[tuple[Path_, str]]:
    """Every string of `value` (a tree read by someone else, e.g. OPA's reading of METADATA)
    that breaks the text rules: its path and what is wrong."""
    found: list[tuple[Path_, str]] = []
    stack: list[tuple[Path_, Any]] = [((), value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            why = text_problem(item)
            if why:
                found.append((path, why))
        elif isinstance(item, dict):
            stack += [(path + (k,), k) for k in item] + [(path + (k,), v) for k, v in item.items()]
        elif isinstance(item, list):
            stack += [(path + (i,), v) for i, v in enumerate(item)]
    return sorted(found, key=lambda f: str(f[0]))


def id_problem(value: str, limit: int) -> str | None:
    """What makes `value` unfit to name something (an id, the workspace), if anything: more than
    `limit` characters, a character a reader cannot see (`first_hidden`), or spaces around it, any
    of which would let two names that print alike be two things."""
    if len(value) > limit:
        return f"may be at most {limit:,} characters (this one has {len(value):,})"
    at = first_hidden(value)
    if at is not None:
        return (f"holds an invisible, control or direction-changing character ({codepoint(value[at])}) "
                f"at character {at + 1}, which would let it pass for another")
    if value != value.strip():
        return "begins or ends with a space, which would let it pass for another"
    return None
