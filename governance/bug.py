"""A failure nobody expected, told as one line (its traceback only with GOVERN_DEBUG=1).

Needs nothing but the standard library and governance.text, so that the entry point can report a
broken installation with it, and the CLI's guard whatever a command did not expect.
"""

from __future__ import annotations

import os
import sys
import traceback

from governance.text import one_line

# what GOVERN_DEBUG may hold, as a flag option from the environment (cli/_environment.py refuses anything else)
DEBUG_ON = frozenset({"1", "true", "t", "yes", "y", "on"})
DEBUG_WORDS = DEBUG_ON | {"0", "false", "f", "no", "n", "off"}


def debugging() -> bool:
    """GOVERN_DEBUG=1 asks for tracebacks; by default users see one line, not a stack."""
    return os.environ.get("GOVERN_DEBUG", "").strip().lower() in DEBUG_ON


def summary(exc: BaseException) -> str:
    """The exception's type and message on one line of at most 200 characters, nothing unprintable in it."""
    text = " ".join(str(exc).split())  # one line, whatever the message holds
    text = text if len(text) <= 200 else text[:199] + "…"
    text = one_line(text)  # and nothing unprintable (a control, bidi or invisible character from the input)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def report_bug(exc: BaseException, what: str = "no result was produced") -> None:
    """Print one line for an exception nobody expected (the traceback only with GOVERN_DEBUG=1)."""
    if debugging():
        traceback.print_exception(exc)
    print(f"error: internal error ({summary(exc)}); {what}. This is a bug in govern: please report it "
          "with the command you ran (set GOVERN_DEBUG=1 to see the traceback).", file=sys.stderr)
