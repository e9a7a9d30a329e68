"""What `govern check` pays for before it can start OPA (a JSON run in about a second)."""

from __future__ import annotations

import subprocess
import sys

# imported only where they are used: a table or a spinner on a terminal (rich), an HTML report (jinja2)
NOT_AT_START = ("rich", "jinja2")


def test_the_cli_starts_without_the_terminal_and_html_libraries():
    probe = "import sys, governance.cli; print(' '.join(sorted(m for m in sys.argv[1:] if m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe, *NOT_AT_START], capture_output=True, text=True, check=True).stdout
    assert out.split() == []


def test_the_group_formats_are_listed_without_being_imported():
    probe = ("import sys; from governance.report import GROUP_FORMATS; names = sorted(GROUP_FORMATS); "
             "print(names, 'jinja2' in sys.modules, 'html' in GROUP_FORMATS, callable(GROUP_FORMATS['html']), "
             "'jinja2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['html', 'json', 'markdown', 'oscal'] False True True True"
