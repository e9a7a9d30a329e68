"""The `govern` command: parse arguments, call the library, pick an exit code.

One module per command; each registers itself on `main` (_group.py) as it is imported here.
"""

from governance.cli import (  # noqa: F401  (register commands)
    agenda,
    aggregate,
    bundle,
    check,
    checks,
    controls,
    history,
    init,
    report,
    schema,
    test,
    validate,
    verify,
)
from governance.cli._group import main

__all__ = ["main"]
