"""Where the built-in library (checks, controls, baseline policies) lives.

In a wheel the three folders are packed under `governance/_library/`; in a
source checkout they sit at the repository root.
"""

from __future__ import annotations

from pathlib import Path

from governance.load import is_check

_PACKAGE = Path(__file__).resolve().parent


def library_root() -> Path:
    packed = _PACKAGE / "_library"
    return packed if (packed / "checks").is_dir() else _PACKAGE.parent


def rego_modules() -> list[Path]:
    """Built-in Rego modules to load into OPA (tests excluded)."""
    return sorted(p for p in (library_root() / "checks").rglob("*.rego") if is_check(p.name))


def control_files() -> list[Path]:
    root = library_root() / "controls"
    return sorted(p for p in root.rglob("*") if p.suffix in {".yaml", ".yml"}) if root.is_dir() else []


def baseline_dir() -> Path:
    """Handbook baseline definitions that `govern init` starts a workspace from."""
    return library_root() / "policies"


def vocabulary_file() -> Path:
    """The product's words (zh and en) and the handbook's defaults: one JSON document, which OPA
    loads as data (`data.govern.vocabulary`, the document's own nesting) and Python reads."""
    return library_root() / "checks" / "vocabulary.json"
