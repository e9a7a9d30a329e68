"""Process entry point. Importing the CLI pulls in every renderer; if any of
that fails, the process must still end with exit 3 ("could not evaluate"),
never Python's default 1, which would read as "findings".

This module needs nothing but the standard library and governance.bug (which
imports nothing of govern but governance.text), so it can report a broken
installation; the CLI's guard reports with governance.bug too.
"""

from __future__ import annotations

import gc
import sys

from governance.bug import report_bug

EXIT_ENGINE = 3


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
