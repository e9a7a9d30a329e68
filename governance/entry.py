"""Process entry point. Importing the CLI pulls in every renderer; if any of
that fails, the process must still end with exit 3 ("could not evaluate"),
never Python's default 1, which would read as "findings".

This module needs nothing but the standard library and governance.text (which
imports nothing of govern), so it can report a broken installation; the CLI's
guard uses `report_bug` from here too.
"""

from __future__ import annotations

import gc
import os
import sys
import traceback

from governance.text import one_line

EXIT_ENGINE = 3
# what GOVERN_DEBUG may hold, as a flag option from the environment (cli/_environment.py refuses anything else)
DEBUG_ON = frozenset({"1", "true", "t", "yes", "y", "on"})
DEBUG_WORDS = DEBUG_ON | {"0", "false", "f", "no", "n", "off"}


def debugging() -> bool:
    """GOVERN_DEBUG=1 asks for tracebacks; by default users see one line, not a stack."""
    return os.environ.get("GOVERN_DEBUG", "").strip().lower() in DEBUG_ON


def _summary(exc: BaseException) -> str:
    text = " ".join(str(exc).split())  # one line, whatever the message holds
    text = text if len(text) <= 200 else text[:199] + "…"
    text = one_line(text)  # and nothing unprintable (a control, bidi or invisible character from the input)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def report_bug(exc: BaseException, what: str = "no result was produced") -> None:
    """Print one line for an exception nobody expected (the traceback only with GOVERN_DEBUG=1)."""
    if debugging():
        traceback.print_exception(exc)
    print(f"error: internal error ({_summary(exc)}); {what}. This is a bug in govern: please report it "
          "with the command you ran (set GOVERN_DEBUG=1 to see the traceback).", file=sys.stderr)


def main() -> None:
    try:
        from governance.cli import main as cli
    except Exception as exc:  # noqa: BLE001 — any import failure is an installation fault
        report_bug(exc, "govern could not start and did no evaluation")
        sys.exit(EXIT_ENGINE)
    except KeyboardInterrupt:
        print("interrupted: govern did not start; no evaluation was done.", file=sys.stderr)
        sys.exit(EXIT_ENGINE)
    # what the imports made lives as long as the process: the collector need not walk it again, during
    # the run or as the process exits (a tenth of a second of a short run)
    gc.freeze()
    try:
        cli()
    except Exception as exc:  # noqa: BLE001 — the command's own guard missed it (e.g. while parsing options)
        report_bug(exc)
        sys.exit(EXIT_ENGINE)
