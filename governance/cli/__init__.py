"""The `govern` command: parse arguments, call the library, pick an exit code.

One module per command; each registers itself on `main`.
"""

from __future__ import annotations

import click

from governance import __version__
from governance.cli._common import GuardedGroup


@click.group(cls=GuardedGroup)
@click.version_option(__version__, prog_name="govern")
def main() -> None:
    """Digital-operations governance as code, checked by Open Policy Agent."""


from governance.cli import (  # noqa: E402,F401  (register commands)
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
