"""JSON Schemas (draft 2020-12) of a workspace's files, generated from the pydantic models.

Editors use them to complete and check a file while it is written (`govern schema`
writes them; `govern init` puts them in a new workspace). They hold what one file
can say on its own: fields, types, required keys, allowed values, no unknown
fields. What needs the whole workspace (ids that resolve, grades the
ClassificationPolicy lists) only `govern validate` can tell.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from governance.model.build import MANIFEST, PATH_LISTS, SCHEMA_KEY
from governance.model.governance import Control, Manifest, Waiver
from governance.model.inventory import INVENTORY_KINDS
from governance.model.workspace import DEFINITIONS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_PROPERTY = {"type": "string", "description": "The JSON Schema this file follows, for editors; govern ignores it."}

Schema = dict[str, Any]


class _Generator(GenerateJsonSchema):
    def field_title_should_be_set(self, schema: object) -> bool:
        return False  # a property's title would only repeat its name


def _file_model(name: str, doc: str, fields: dict[str, Any]) -> type[BaseModel]:
    """A whole file as one model, so its schema comes from the entity models like the rest."""
    model: type[BaseModel] = create_model(name, __config__=ConfigDict(extra="forbid"), __doc__=doc, **fields)
    return model


# The shapes build.py reads: an inventory file maps plural kinds to lists; a waivers
# or controls file has that one key, whose list may be left empty (null).
INVENTORY_FILE = _file_model(
    "InventoryFile", "An inventory file: any of the entity kinds, each a list of entities. Files are merged.",
    {plural: (list[model], Field(default=[], description=f"Entities of resource kind `{kind}`."))  # type: ignore[valid-type]
     for plural, (model, kind) in INVENTORY_KINDS.items()})
WAIVERS_FILE = _file_model(
    "WaiversFile", "A waivers file: approved exceptions to checks.",
    {"waivers": (list[Waiver] | None, Field(default=[], description="The waivers."))})
CONTROLS_FILE = _file_model(
    "ControlsFile", "A controls file: controls added to the built-in catalogue.",
    {"controls": (list[Control] | None, Field(default=[], description="The controls."))})

# file name -> what `govern schema` says it describes
TITLES = {
    "manifest.json": f"govern workspace manifest ({MANIFEST})",
    "policy.json": "govern policy definition (one per file, selected by `kind`)",
    "inventory.json": "govern inventory file",
    "waivers.json": "govern waivers file",
    "controls.json": "govern controls file",
}


def schemas() -> dict[str, Schema]:
    """Every schema by its file name, in TITLES order."""
    built = {
        "manifest.json": _manifest(),
        "policy.json": _policy(),
        "inventory.json": _single(INVENTORY_FILE),
        "waivers.json": _single(WAIVERS_FILE),
        "controls.json": _single(CONTROLS_FILE),
    }
    # the dialect, title and description first: what a reader of the file looks for
    return {name: {"$schema": DIALECT, "title": TITLES[name], "description": built[name].pop("description"), **built[name]}
            for name in TITLES}


def render(schema: Schema) -> str:
    """One schema as its file holds it: the same bytes for the same models."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_files() -> dict[str, str]:
    """File name -> text of every schema."""
    return {name: render(s) for name, s in schemas().items()}


def _single(model: type[BaseModel]) -> Schema:
    schema = _standard_bounds(model.model_json_schema(schema_generator=_Generator))
    schema.pop("title", None)  # the file's title is set by schemas()
    return _allow_schema_key(schema)


def _manifest() -> Schema:
    schema = _single(Manifest)
    for key in sorted(PATH_LISTS):
        # build.py reads a single path where a list is expected: `policies: policies`
        field = schema["properties"][key]
        listed = {"type": field.pop("type"), "items": field.pop("items")}
        field["anyOf"] = [{"type": "string"}, listed]
    return schema


def _policy() -> Schema:
    """One of the definition kinds; each requires its own `kind`, so exactly one can match."""
    models = [definition.model for definition in DEFINITIONS.values()]
    refs, top = models_json_schema([(m, "validation") for m in models], schema_generator=_Generator)
    defs = _standard_bounds(top)["$defs"]
    for model in models:
        _allow_schema_key(defs[model.__name__])  # a policy file is one definition: its top level is the model's
    return {"description": "A policy file holds one definition; `kind` says which.",
            "oneOf": [refs[(m, "validation")] for m in models], "$defs": defs}


def _allow_schema_key(schema: Schema) -> Schema:
    """`$schema` is allowed at the top of a file (build.py drops it), first so editors offer it first."""
    schema["properties"] = {SCHEMA_KEY: SCHEMA_PROPERTY, **schema["properties"]}
    return schema


# pydantic keeps a bound on a union (`amount: Number = Field(ge=0)`) under its Python name
BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _standard_bounds(node: Any) -> Any:
    """`ge` beside an `anyOf` is `minimum` in JSON Schema (it applies to whichever branch is a number)."""
    if isinstance(node, dict):
        if "anyOf" in node:
            for python, standard in BOUNDS.items():
                if python in node:
                    node[standard] = node.pop(python)
        for value in node.values():
            _standard_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _standard_bounds(value)
    return node
