"""The distribution's name: `govern` on PyPI is an unrelated project, so govern ships as `govern-opa` (checked free
on the package index when chosen) with the `govern` command and the `governance` package, and no install line in
the docs may send a user to `pip install govern`."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib

from tests.conftest import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
INSTALL = re.compile(r"\b(?:pip3?|pipx|uv pip)\s+install\s+(?:-\S+\s+)*(\S+)")


def test_the_distribution_is_govern_opa_with_the_govern_command():
    assert PROJECT["name"] == "govern-opa"
    assert PROJECT["scripts"] == {"govern": "governance.entry:main"}


def test_the_installed_distribution_is_this_one():
    """`make install` installed this checkout under that name (a stale `govern` dist would shadow it)."""
    dist = importlib.metadata.distribution(PROJECT["name"])
    assert dist.version == PROJECT["version"]
    assert [e.value for e in dist.entry_points if e.name == "govern"] == ["governance.entry:main"]


def test_no_doc_installs_the_unrelated_govern_from_the_index():
    lines = [(p.relative_to(REPO), m.group(0)) for p in DOCS for m in INSTALL.finditer(p.read_text(encoding="utf-8"))]
    assert any("govern-opa" in line for _, line in lines), "the docs say how to install govern-opa"
    wrong = [(p, line) for p, line in lines if re.fullmatch(r"""["']?govern([\[=<>~!].*)?["']?""", line.split()[-1])]
    assert wrong == []
