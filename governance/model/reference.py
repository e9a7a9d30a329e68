"""docs/reference/workspace.md: every file kind, entity and field of a workspace,
written from the JSON Schemas (so from the pydantic models and their descriptions).

    python -m governance.model.reference > docs/reference/workspace.md

tests/test_reference_docs.py fails when the checked-in page differs from this output.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from governance.model.base import EARLIEST, LATEST
from governance.model.build import MANIFEST, SCHEMA_KEY
from governance.model.schema import Schema, schemas
from governance.model.workspace import DEFINITIONS

REGENERATE = "python -m governance.model.reference > docs/reference/workspace.md"


@dataclass(frozen=True)
class Section:
    heading: str
    schema: str  # its file name in schemas()
    where: str  # where such files are, as the manifest's defaults put them
    holds: str


SECTIONS = (
    Section("Manifest", "manifest.json", f"`{MANIFEST}`", "what makes the folder a workspace, and where its other files are"),
    Section("Policy definitions", "policy.json", "`policies/`", "one definition per file, selected by `kind`"),
    Section("Inventory", "inventory.json", "`inventory/`",
            "lists of entities by kind; any number of files, merged (`people` and `spend` may also be CSV)"),
    Section("Waivers", "waivers.json", "`waivers/`", "approved exceptions to checks"),
    Section("Controls", "controls.json", "`controls/`", "controls added to the built-in catalogue"),
)

INTRO = f"""\
# Workspace reference

<!-- Generated from the pydantic models (governance/model/) by `{REGENERATE}`.
     Edit the models' descriptions, not this page; a test fails when it is stale. -->

A workspace is a folder with a `{MANIFEST}`. Its files are YAML or JSON; the
manifest names the files or folders of each kind (a folder means every
`.yaml`, `.yml` and `.json` file below it). `govern validate` checks them all.

- Ids are text, unique within their kind across the whole workspace. A
  reference to an id that does not exist is an error at the reference.
- An unknown field is an error: a typo must not silently drop a rule.
- Dates are written `YYYY-MM-DD`, from {EARLIEST} to {LATEST}. Amounts are
  numbers in the BudgetPolicy's currency.
- A `{SCHEMA_KEY}` key at the top of a file (the path or URL of its JSON Schema,
  for editors) is allowed and ignored. `govern schema` writes those schemas;
  in YAML a `# yaml-language-server: $schema=PATH` first line does the same
  without a key, as `govern init` writes it.

| files | hold | JSON Schema |
|-------|------|-------------|
"""


def render() -> str:
    """The whole page."""
    built = schemas()
    rows = "".join(f"| {s.where} | {s.holds} | `{s.schema}` |\n" for s in SECTIONS)
    seen: set[str] = set()  # definitions already shown: a shared one (Localized) is shown once and linked
    parts = [INTRO + rows]
    for section in SECTIONS:
        parts.append(f"\n## {section.heading} — {section.where}\n")
        parts += _section(section, built[section.schema], seen)
    return "".join(parts)


def _section(section: Section, schema: Schema, seen: set[str]) -> Iterator[str]:
    defs = schema.get("$defs", {})
    if "oneOf" in schema:  # policy.json: each definition kind is a file's top level
        yield f"\n{schema['description']}\n"
        for ref in schema["oneOf"]:
            name = _ref_name(ref)
            kind = defs[name]["properties"]["kind"]["const"]
            yield from _definition(name, defs, seen, f"`kind: {kind}` · resource kind `{DEFINITIONS[kind].resource}`")
        return
    yield f"\n{schema['description']}\n\n"
    yield _table(schema)
    for name in _refs(schema):
        yield from _definition(name, defs, seen)


def _definition(name: str, defs: dict[str, Schema], seen: set[str], note: str = "", level: int = 3) -> Iterator[str]:
    """One entity or nested object, then those it uses that were not shown yet."""
    if name in seen:
        return
    seen.add(name)
    schema = defs[name]
    yield f"\n{'#' * level} {name}\n\n"
    if note:
        yield f"{note}\n\n"
    yield f"{_cell(schema.get('description', ''))}\n\n"
    yield _table(schema)
    for used in _refs(schema):
        yield from _definition(used, defs, seen, level=4)


def _table(schema: Schema) -> str:
    required = set(schema.get("required", []))
    lines = ["| field | type | default | description |", "|-------|------|---------|-------------|"]
    for field, prop in schema["properties"].items():
        if field == SCHEMA_KEY:
            continue  # the intro says it once
        optional = field not in required
        default = _default(prop) if optional else "**required**"
        lines.append(f"| `{field}` | {_type(prop, optional)} | {default} | {_cell(prop.get('description', ''))} |")
    return "\n".join(lines) + "\n"


def _default(prop: Schema) -> str:
    value = prop.get("default")
    return "—" if value is None else f"`{json.dumps(value, ensure_ascii=False)}`"


def _type(schema: Schema, optional: bool = False) -> str:
    """A field's type in words: `list of [Flow](#flow)`, `integer 1–5`, `date`."""
    if "$ref" in schema:
        name = _ref_name(schema)
        return f"[{name}](#{name.lower()})"
    if "const" in schema:
        return f"`{schema['const']}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    if "anyOf" in schema:
        return _union(schema["anyOf"], optional) + _bounds(schema)
    kind = schema.get("type")
    if kind == "array":
        if "prefixItems" in schema:
            return "[" + ", ".join(_type(s) for s in schema["prefixItems"]) + "]"
        at_least = f" (at least {schema['minItems']})" if schema.get("minItems") else ""
        return f"list of {_type(schema['items'])}{at_least}"
    if kind == "object":
        values = schema.get("additionalProperties", True)
        return "map of text to " + (_type(values) if isinstance(values, dict) else "anything")
    if kind == "string":
        if schema.get("format") == "date":
            return "date"
        return "text (not empty)" if schema.get("minLength") else "text"
    return (kind or "anything") + _bounds(schema)


def _union(options: list[Schema], optional: bool) -> str:
    nullable = {"type": "null"} in options
    shown = [o for o in options if o != {"type": "null"}]
    if {o.get("type") for o in shown} == {"integer", "number"}:  # Number: whole numbers keep their int-ness
        shown = [next(o for o in shown if o.get("type") == "number")]
    words = " or ".join(_type(o) for o in shown)
    return words + (" or null" if nullable and not optional else "")


def _bounds(schema: Schema) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f" {low}–{high}"
    if low is not None:
        return f" ≥ {low}"
    return ""


def _refs(schema: Any) -> Iterator[str]:
    """The definitions a schema uses, in the order they appear (each once)."""
    found: dict[str, None] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                found.setdefault(_ref_name(node))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(schema.get("properties", {}))
    yield from found


def _ref_name(schema: Schema) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def _cell(text: str) -> str:
    """Text inside a Markdown table: one line, `|` kept literal."""
    return " ".join(text.split()).replace("|", "\\|")


if __name__ == "__main__":
    sys.stdout.buffer.write(render().encode("utf-8"))
