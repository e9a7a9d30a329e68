"""docs/reference/workspace.md is written from the models and must be what they say now."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from governance.model.build import SCHEMA_KEY
from governance.model.inventory import INVENTORY_KINDS
from governance.model.reference import REGENERATE, render
from governance.model.schema import schemas
from governance.model.workspace import DEFINITIONS
from tests.conftest import REPO

PAGE = REPO / "docs" / "reference" / "workspace.md"


def test_the_checked_in_workspace_reference_is_current():
    assert PAGE.read_text(encoding="utf-8") == render(), \
        f"docs/reference/workspace.md is stale: regenerate it with `{REGENERATE}` and commit it"


def test_the_regenerate_command_prints_the_page():
    proc = subprocess.run([sys.executable, "-m", "governance.model.reference"], capture_output=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == render()


def _objects():
    """(where, schema) for every object of every schema: the files' top levels and every definition."""
    for name, schema in schemas().items():
        yield name, schema
        for def_name, definition in schema.get("$defs", {}).items():
            yield f"{name}#{def_name}", definition


@pytest.mark.parametrize("where, schema", list(_objects()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_object_and_field_says_what_it_is(where, schema):
    assert schema.get("description"), f"{where}: give the model a docstring"
    undescribed = [f for f, prop in schema.get("properties", {}).items() if not prop.get("description")]
    assert undescribed == [], f"{where}: give these fields Field(description=...): {undescribed}"


def test_every_kind_and_entity_has_its_own_heading():
    headings = set(re.findall(r"^#{2,4} (\S+)", render(), re.MULTILINE))
    models = [d.model.__name__ for d in DEFINITIONS.values()] + [m.__name__ for m, _ in INVENTORY_KINDS.values()]
    assert set(models + ["Waiver", "Control", "Localized", "Phase", "DatasetRef"]) <= headings


def test_every_link_leads_to_a_heading():
    page = render()
    anchors = {h.lower() for h in re.findall(r"^#{3,4} (\w+)$", page, re.MULTILINE)}
    links = set(re.findall(r"\]\(#([^)]+)\)", page))
    assert links and links <= anchors


def test_types_read_as_the_models_hold_them():
    page = render()
    for row in [
        "| `scores` | map of text to integer 1–5 | `{}` |",
        "| `amount` | number ≥ 0 | **required** |",  # a budget line
        "| `datasets` | list of text or [DatasetRef](#datasetref) | `[]` |",
        "| `months` | [integer, integer] | **required** |",
        "| `policies` | text or list of text | `[\"policies\"]` |",
        "| `kind` | `Committee` | **required** |",
        "| `limits` | map of text to map of text to number or null | `{}` |",
        "| `tiers` | list of text (at least 1) | — |",
    ]:
        assert row in page, row
    assert f"`{SCHEMA_KEY}`" in page and f"| `{SCHEMA_KEY}` |" not in page  # said once, in the introduction
