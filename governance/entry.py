"""Process entry point. Importing the CLI pulls in every renderer; if any of
that fails, the process must still end with exit 3 ("could not evaluate"),
never Python's default 1, which would read as "findings"."""

from __future__ import annotations

import sys
import traceback


def main() -> None:
    try:
        from governance.cli import main as cli
    except Exception:  # noqa: BLE001 — any import failure is an installation fault
        traceback.print_exc()
        print("error: govern could not start; no evaluation was done.", file=sys.stderr)
        sys.exit(3)
    cli()
