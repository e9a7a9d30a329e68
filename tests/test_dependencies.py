"""Every package govern or its tests import is declared in pyproject.toml: one brought in by another
dependency today (requests by opa-python-client) may be dropped by it tomorrow."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

PROJECT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
OWN = {"governance", "tests"}


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised (PEP 503): `ruamel.yaml>=0.18` is ruamel-yaml."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement).group()).lower()


# governance/ imports an optional extra (postgres: psycopg) only where it says how to install it
RUNTIME = {_name(r) for r in PYPROJECT["dependencies"]} | {
    _name(r) for extra, requirements in PYPROJECT["optional-dependencies"].items() if extra != "test" for r in requirements}
TESTING = RUNTIME | {_name(r) for r in PYPROJECT["optional-dependencies"]["test"]}


def _third_party(folder: Path) -> dict[str, set[Path]]:
    """Top-level names of what the modules under `folder` import, outside the standard library and govern."""
    found: dict[str, set[Path]] = {}
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            for top in {n.split(".")[0] for n in names} - OWN - set(sys.stdlib_module_names):
                found.setdefault(top, set()).add(path.relative_to(folder))
    return found


def _undeclared(folder: Path, declared: set[str]) -> dict[str, list[str]]:
    """Each imported name no declared distribution provides -> the files importing it."""
    distributions = packages_distributions()
    return {top: sorted(map(str, paths)) for top, paths in sorted(_third_party(folder).items())
            if not {_name(d) for d in distributions.get(top, [top])} & declared}


@pytest.mark.parametrize(("folder", "declared"), [("governance", RUNTIME), ("tests", TESTING)])
def test_every_import_is_declared(folder, declared):
    """governance/ may import only [project] dependencies and its extras; tests/ those and the `test` extra."""
    assert _undeclared(PROJECT / folder, declared) == {}


def test_an_undeclared_import_is_found(tmp_path):
    (tmp_path / "uses.py").write_text("import requests.adapters\nimport json\nfrom governance import text\n", encoding="utf-8")
    assert _undeclared(tmp_path, RUNTIME) == {}
    assert _undeclared(tmp_path, RUNTIME - {"requests"}) == {"requests": ["uses.py"]}


def test_each_change_to_the_opa_client_says_why():
    """opa-python-client serves the REST calls; each method govern's client overrides or adds says why above it,
    `# Override:` exactly where the library has a method of that name, `# Added:` where it has none."""
    from opa_client.opa import OpaClient

    from governance.engine import client

    source = Path(client.__file__).read_text(encoding="utf-8").splitlines()
    (cls,) = [n for n in ast.parse("\n".join(source)).body if isinstance(n, ast.ClassDef) and n.name == "_Client"]
    said = {}
    for method in (n for n in cls.body if isinstance(n, ast.FunctionDef)):
        above = method.lineno - 2  # 0-based index of the line above `def`
        while above > 0 and source[above].strip().startswith("#") and not source[above - 1].strip() == "":
            above -= 1
        said[method.name] = source[above].strip().split(":")[0]
    assert said and said == {name: "# Override" if hasattr(OpaClient, name) else "# Added" for name in said}
