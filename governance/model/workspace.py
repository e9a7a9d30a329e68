"""The validated workspace: every definition, inventory entity, waiver and control,
with the place each was declared."""

from __future__ import annotations

import types
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, NoReturn, Union, cast, get_args, get_origin, get_type_hints

from pydantic import BaseModel
from pydantic_core import to_json

from governance.load import Document, Location, Path_, RegoSource, SourceMap
from governance.model.base import Entity, resource_kind
from governance.model.definitions import (
    AuthorityMatrix,
    BudgetPolicy,
    ClassificationPolicy,
    Committee,
    PlacementPolicy,
    StrategyPolicy,
)
from governance.model.governance import Control, Manifest, Waiver
from governance.model.inventory import INVENTORY_KINDS, BudgetLine, Inventory


class NotKept(Mapping[str, Any]):
    """What a workspace holds in place of what `after_input` left out: any read of it is a bug,
    said loudly, where an empty kind would quietly make a wrong report."""

    def __init__(self, what: str) -> None:
        self.what = what

    def _refuse(self) -> NoReturn:
        raise RuntimeError(f"{self.what} went to OPA in the input and was not kept (Workspace.after_input)")

    def __getitem__(self, key: str) -> NoReturn:
        self._refuse()

    def __iter__(self) -> Iterator[str]:
        self._refuse()

    def __len__(self) -> int:
        self._refuse()


# marks a Workspace field that holds what the folder of its name lists (`waivers/`: `waivers: [...]`)
LISTED = {"listed": True}


@dataclass
class Workspace:
    """A field holding a policy definition (a model with a `kind`) is that definition's place:
    `X | None` for one per workspace, `dict[str, X]` for many by id. DEFINITIONS is read off them.
    A field marked LISTED holds the entities of the workspace folder of its name, each file a
    mapping with that one key; LISTS is read off them."""

    root: Path
    manifest: Manifest
    documents: list[Document] = field(default_factory=list)  # every input file read
    rego_sources: list[RegoSource] = field(default_factory=list)  # the workspace's own checks, as read
    library_documents: list[Document] = field(default_factory=list)  # the built-in control catalogues, as read
    committees: dict[str, Committee] = field(default_factory=dict)
    authority_matrix: AuthorityMatrix | None = None
    budget_policy: BudgetPolicy | None = None
    classification_policy: ClassificationPolicy | None = None
    placement_policy: PlacementPolicy | None = None
    strategy_policy: StrategyPolicy | None = None
    inventory: Inventory = field(default_factory=Inventory)
    budget_lines: dict[str, BudgetLine] = field(default_factory=dict)
    budget_line_project: dict[str, str] = field(default_factory=dict)
    waivers: dict[str, Waiver] = field(default_factory=dict, metadata=LISTED)
    controls: dict[str, Control] = field(default_factory=dict, metadata=LISTED)
    # (resource kind, id) -> (source map, path of the entity in its document): a position is
    # worked out only when asked for, since most entities of a large inventory never are
    origins: dict[tuple[str, str], tuple[SourceMap, Path_]] = field(default_factory=dict)
    # (resource kind, id) -> where a resource that is not itself declared is shown (the portfolio)
    locations: dict[tuple[str, str], Location] = field(default_factory=dict)
    # (where, which entity, kind, id) of each reference to what the checks declare (the portfolio's
    # entries, references.DECLARED_BY_CHECKS): resolved once the policy is compiled
    pending_references: list[tuple[Location, str, str, str]] = field(default_factory=list)

    @property
    def rego_files(self) -> list[Path]:
        """Where the workspace's checks were read from (read them from `rego_sources`: once, already checked)."""
        return [s.path for s in self.rego_sources]

    @property
    def name(self) -> str:
        return self.manifest.name or self.root.name

    def declares(self, kind: str, id_: str) -> bool:
        """Whether an entity (or an aggregate resource such as the portfolio) of that kind and id exists."""
        return (kind, id_) in self.origins or (kind, id_) in self.locations

    def declared_at(self, kind: str, id_: str) -> Location | None:
        """Where an entity (or an aggregate resource such as the portfolio) was declared, if anywhere."""
        origin = self.origins.get((kind, id_))
        return origin[0].locate(origin[1]) if origin is not None else self.locations.get((kind, id_))

    def entity(self, kind: str, id_: str) -> Entity | None:
        """The entity a finding names by resource kind and id (a definition, an inventory entity, a budget
        line, a waiver), or None for an aggregate resource (the portfolio, a phase) or a kind not kept
        (`after_input`)."""
        if kind == resource_kind(BudgetLine):
            lines = self.budget_lines
            return None if isinstance(lines, NotKept) else lines.get(id_)
        if kind == resource_kind(Waiver):
            return self.waivers.get(id_)
        for definition in DEFINITIONS.values():
            if definition.resource == kind:
                held = getattr(self, definition.attribute)
                return (held if held is not None and held.id == id_ else None) if definition.singleton else held.get(id_)
        for plural, (_, resource) in INVENTORY_KINDS.items():
            entities = self.inventory.of(plural)
            if resource == kind and not isinstance(entities, NotKept):
                return entities.get(id_)
        return None

    def locate(self, kind: str, id_: str, *field_path: str | int) -> Location:
        """Where one of an entity's fields was written."""
        sources, path = self.origins[(kind, id_)]
        return sources.locate(path + field_path)

    def after_input(self, kept: Collection[str]) -> Workspace:
        """This workspace without what only OPA's input needed: the inventory kinds outside `kept`
        (plurals) and the budget lines. Positions (`origins`) stay: findings are placed by them."""
        kinds = {plural: self.inventory.of(plural) if plural in kept else NotKept(f"the inventory's {plural}")
                 for plural in INVENTORY_KINDS}
        return replace(self, inventory=Inventory(**cast(dict[str, Any], kinds)),
                       budget_lines=cast(dict[str, BudgetLine], NotKept("the budget lines")),
                       budget_line_project=cast(dict[str, str], NotKept("the budget lines' projects")))

    def definitions(self) -> dict:
        """Policy definitions as OPA `data` (plain JSON; ids as object keys)."""

        def dump(model: BaseModel | None) -> dict[str, Any] | None:
            return None if model is None else model.model_dump(mode="json", exclude_none=True, by_alias=True)

        out: dict[str, Any] = {}
        for definition in DEFINITIONS.values():
            held = getattr(self, definition.attribute)
            out[definition.attribute] = dump(held) if definition.singleton else {k: dump(v) for k, v in held.items()}
        out["strategy_policy"] = self._strategy_definition(out["strategy_policy"])
        return out

    def _strategy_definition(self, dumped: dict[str, Any] | None) -> dict[str, Any] | None:
        """The StrategyPolicy with its effective tiers, dimensions and progress tolerance filled in, so
        the checks read them and the defaults are written in one place (model/definitions.py)."""
        sp = self.strategy_policy
        if sp is None or dumped is None:
            return dumped
        dumped["goals"] = {**dumped.get("goals", {}), "tiers": sp.tiers, "progress_tolerance": sp.progress_tolerance}
        dumped["maturity"] = {**dumped.get("maturity", {}), "dimensions": sp.dimensions}
        return dumped

    def inventory_input(self) -> dict:
        """The inventory as OPA `input`: each kind an object keyed by id, so
        checks look entities up instead of scanning."""
        out = {
            kind: {k: v.model_dump(mode="json", exclude_none=True, by_alias=True) for k, v in items.items()}
            for kind, items in self.inventory.kinds()
        }
        out["budget_lines"] = self._budget_lines_input()
        return out

    def _budget_lines_input(self) -> dict[str, dict[str, Any]]:
        """Each budget line with the project it belongs to (it is declared inside it)."""
        return {k: {**v.model_dump(mode="json", exclude_none=True, by_alias=True), "project": self.budget_line_project[k]}
                for k, v in self.budget_lines.items()}

    def waivers_input(self) -> dict:
        return {k: v.model_dump(mode="json", exclude_none=True, by_alias=True) for k, v in self.waivers.items()}

    def input_json(self, as_of: str) -> bytes:
        """OPA's whole `input` ({as_of, inventory, waivers}) as JSON, the same document as
        `inventory_input` and `waivers_input` give. pydantic's serialiser writes each kind in one call,
        the models as they are: no dict per entity is built (at 100k systems those dicts held
        more memory than OPA's copy of the input), nor a text per entity to join (three times
        slower, and twice the memory of the result at its peak)."""
        kinds = {plural: self.kind_json(plural) for plural, _ in self.inventory.kinds()}
        return assemble_input(as_of, {**kinds, "budget_lines": self.budget_lines_json()}, self.waivers_json())

    def kind_json(self, plural: str) -> bytes:
        """One inventory kind as it stands in OPA's input."""
        return to_json(self.inventory.of(plural), exclude_none=True, by_alias=True)

    def budget_lines_json(self) -> bytes:
        return to_json(self._budget_lines_input(), exclude_none=True, by_alias=True)

    def waivers_json(self) -> bytes:
        return to_json(self.waivers, exclude_none=True, by_alias=True)


@dataclass(frozen=True)
class DefinitionKind:
    """A kind of policy definition, as the Workspace field that holds it declares it."""

    name: str  # as a policy file's `kind` writes it: "BudgetPolicy"
    model: type[Entity]
    attribute: str  # the Workspace field that holds it, and its key in OPA's `data.govern.definitions`
    resource: str  # the resource kind findings and references name it by: "budget_policy"
    singleton: bool  # one per workspace (the checks read it as the policy), or many by id


def _definition_kinds() -> dict[str, DefinitionKind]:
    """Every Workspace field that holds a model with a `kind`, in the order declared."""
    hints = get_type_hints(Workspace)
    found: dict[str, DefinitionKind] = {}
    for f in fields(Workspace):
        hint = hints[f.name]
        singleton = get_origin(hint) in (Union, types.UnionType)
        args = [a for a in get_args(hint) if a is not type(None)]
        model = args[0] if singleton else args[-1] if get_origin(hint) is dict else None
        if isinstance(model, type) and issubclass(model, Entity) and "kind" in model.model_fields:
            name = get_args(model.model_fields["kind"].annotation)[0]  # its Literal
            found[name] = DefinitionKind(name, model, f.name, resource_kind(model), singleton)
    return found


# a policy file's `kind` -> what it defines and where the workspace keeps it
DEFINITIONS = _definition_kinds()


@dataclass(frozen=True)
class ListedKind:
    """Entities a workspace folder lists, as the Workspace field that holds them declares them."""

    attribute: str  # the Workspace field, the folder, and the single key of each of its files: "waivers"
    model: type[Entity]
    resource: str  # the resource kind findings and references name them by: "waiver"


def _listed_kinds() -> dict[str, ListedKind]:
    """Every Workspace field marked LISTED, in the order declared."""
    hints = get_type_hints(Workspace)
    found: dict[str, ListedKind] = {}
    for f in fields(Workspace):
        if f.metadata.get("listed"):
            model = get_args(hints[f.name])[-1]  # dict[str, X]
            found[f.name] = ListedKind(f.name, model, resource_kind(model))
    return found


# a workspace folder of listed entities -> what it lists and where the workspace keeps it
LISTS = _listed_kinds()


def assemble_input(as_of: str, inventory: Mapping[str, bytes], waivers: bytes) -> bytes:
    """OPA's input from its parts, each serialised on its own: `inventory` maps each kind that has
    entities, then "budget_lines", to its JSON (`kind_json`, `budget_lines_json`). The kinds keep
    INVENTORY_KINDS order, whatever order they came in, so the same workspace gives the same bytes."""
    order = {plural: i for i, plural in enumerate([*INVENTORY_KINDS, "budget_lines"])}
    members = b",".join(to_json(kind) + b":" + inventory[kind] for kind in sorted(inventory, key=order.__getitem__))
    return b"".join([b'{"as_of":', to_json(as_of), b',"inventory":{', members, b'},"waivers":', waivers, b"}"])
