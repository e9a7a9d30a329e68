"""The `govern` command group, on which each command module registers itself."""

from __future__ import annotations

import click

from governance import __version__
from governance.cli._common import GuardedGroup


@click.group(cls=GuardedGroup)
@click.version_option(__version__, prog_name="govern")
def main() -> None:
    """Digital-operations governance as code, checked by Open Policy Agent."""
