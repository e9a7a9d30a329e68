"""Read a workspace folder into a validated `Workspace`, or raise every error found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from governance.load import Document, Location, WorkspaceError, WorkspaceErrors, discover, read_document
from governance.load.files import relative
from governance.model.definitions import DEFINITION_KINDS, RESOURCE_KIND, SINGLETON_KINDS
from governance.model.errors import from_validation
from governance.model.governance import Control, Manifest, Waiver
from governance.model.inventory import INVENTORY_KINDS
from governance.model.references import check_references
from governance.model.workspace import Workspace

MANIFEST = "governance.yaml"


class _Builder:
    def __init__(self, root: Path):
        self.root = root
        self.errors: list[WorkspaceError] = []

    def validate(self, model: type[BaseModel], data: Any, doc: Document, path: tuple):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.errors += from_validation(exc, doc.sources, path)
            return None

    def read(self, paths: list[Path]) -> list[Document]:
        docs = []
        for path in paths:
            try:
                docs.append(read_document(self.root, path))
            except WorkspaceErrors as exc:
                self.errors += exc.errors
        return docs

    def register(self, ws: Workspace, kind: str, id_: str, doc: Document, path: tuple) -> bool:
        """Record where (kind, id) was declared; a second declaration is an error."""
        key, loc = (kind, id_), doc.sources.locate(path)
        if key in ws.locations:
            self.errors.append(WorkspaceError(loc, f"duplicate {kind} id '{id_}' (first declared at {ws.locations[key]})"))
            return False
        ws.locations[key] = loc
        ws.origins[key] = (doc.sources, path)
        return True


def load_workspace(root: Path | str, library_controls: list[Path] | None = None) -> Workspace:
    root = Path(root).resolve()
    if not root.is_dir():
        raise WorkspaceErrors([WorkspaceError(Location(str(root)), "workspace folder does not exist")])
    b = _Builder(root)
    manifest, manifest_doc = _manifest(root, b)
    ws = Workspace(root=root, manifest=manifest)
    if manifest_doc:
        ws.documents.append(manifest_doc)

    def files(key: str, suffixes: set[str]) -> list[Path]:
        entries = getattr(manifest, key)
        explicit = manifest_doc is not None and key in manifest_doc.data
        if not explicit:  # defaults may be absent: a workspace without waivers is fine
            entries = [e for e in entries if (root / e).exists()]
        loc = manifest_doc.sources.locate((key,)) if manifest_doc else Location(MANIFEST)
        try:
            return [p for p in discover(root, entries, loc) if p.suffix.lower() in suffixes]
        except WorkspaceErrors as exc:
            b.errors += exc.errors
            return []

    data_suffixes = {".yaml", ".yml", ".json"}
    policy_docs = b.read(files("policies", data_suffixes))
    inventory_docs = b.read(files("inventory", data_suffixes | {".csv"}))
    waiver_docs = b.read(files("waivers", data_suffixes))
    control_docs = b.read(list(library_controls or [])) + b.read(files("controls", data_suffixes))
    ws.rego_files = _rego_files(root, manifest, manifest_doc, b)

    for doc in policy_docs:
        _definition(ws, doc, b)
    for doc in inventory_docs:
        _inventory(ws, doc, b)
    for doc in waiver_docs:
        _listed(ws, doc, b, "waivers", Waiver, "waiver", ws.waivers)
    for doc in control_docs:
        _listed(ws, doc, b, "controls", Control, "control", ws.controls)
    # library controls are part of the tool, not of the evidence about this workspace
    for doc in policy_docs + inventory_docs + waiver_docs + control_docs:
        doc.data = None  # the models hold it now; a large inventory should not live twice
    # the built-in catalogue is part of the tool, not evidence about this workspace
    ws.documents += policy_docs + inventory_docs + waiver_docs + [d for d in control_docs if _inside(root, d.path)]
    if not b.errors:
        b.errors += check_references(ws)
    if b.errors:
        raise WorkspaceErrors(b.errors)
    return ws


def _inside(root: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(root)


def _manifest(root: Path, b: _Builder):
    path = root / MANIFEST
    if not path.exists():
        return Manifest(), None
    docs = b.read([path])
    if not docs:
        raise WorkspaceErrors(b.errors)
    doc = docs[0]
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise WorkspaceErrors([WorkspaceError(doc.sources.locate(()), "the manifest must be a mapping")])
    # a single string is accepted where a list of paths is expected
    data = {k: ([v] if isinstance(v, str) and k in {"policies", "controls", "checks", "inventory", "waivers"} else v) for k, v in data.items()}
    manifest = b.validate(Manifest, data, doc, ())
    if manifest is None:
        raise WorkspaceErrors(b.errors)
    return manifest, doc


def _rego_files(root: Path, manifest: Manifest, manifest_doc, b: _Builder) -> list[Path]:
    explicit = manifest_doc is not None and "checks" in manifest_doc.data
    entries = manifest.checks if explicit else [e for e in manifest.checks if (root / e).exists()]
    out: list[Path] = []
    for entry in entries:
        path = (root / entry).resolve()
        if path.is_dir():
            out += sorted(p for p in path.rglob("*.rego") if not p.name.endswith("_test.rego"))
        elif path.is_file():
            out.append(path)
        else:
            b.errors.append(WorkspaceError(manifest_doc.sources.locate(("checks",)), f"'{entry}' does not exist"))
    return out


def _definition(ws: Workspace, doc: Document, b: _Builder) -> None:
    data = doc.data
    if not isinstance(data, dict) or "kind" not in data:
        b.errors.append(WorkspaceError(doc.sources.locate(()), f"a policy file holds one definition with a 'kind' (one of {', '.join(DEFINITION_KINDS)})"))
        return
    kind = data["kind"]
    model = DEFINITION_KINDS.get(kind)
    if model is None:
        b.errors.append(WorkspaceError(doc.sources.locate(("kind",)), f"unknown kind '{kind}' (expected one of {', '.join(DEFINITION_KINDS)})"))
        return
    entity = b.validate(model, data, doc, ())
    if entity is None:
        return
    if kind in SINGLETON_KINDS:
        attr = RESOURCE_KIND[kind]
        existing = getattr(ws, attr)
        if existing is not None:
            first = ws.locations[(attr, existing.id)]
            b.errors.append(WorkspaceError(doc.sources.locate(()), f"a second {kind} ('{entity.id}'); the workspace may have one (first is '{existing.id}' at {first})"))
            return
        if b.register(ws, attr, entity.id, doc, ()):
            setattr(ws, attr, entity)
    elif b.register(ws, "committee", entity.id, doc, ()):
        ws.committees[entity.id] = entity
    if kind == "BudgetPolicy":
        for i, phase in enumerate(entity.phases):
            b.register(ws, "phase", phase.id, doc, ("phases", i))
        ws.locations[("portfolio", "spend")] = doc.sources.locate(("required_cost_tags",))


def _inventory(ws: Workspace, doc: Document, b: _Builder) -> None:
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        b.errors.append(WorkspaceError(doc.sources.locate(()), "an inventory file is a mapping of kinds (people, systems, …) to lists"))
        return
    for plural, items in data.items():
        if plural not in INVENTORY_KINDS:
            b.errors.append(WorkspaceError(doc.sources.locate((plural,)), f"unknown inventory kind '{plural}' (expected one of {', '.join(INVENTORY_KINDS)})"))
            continue
        model, kind = INVENTORY_KINDS[plural]
        store = ws.inventory.setdefault(plural, {})
        for i, entity in _entities(doc, b, plural, items, model):
            if b.register(ws, kind, entity.id, doc, (plural, i)):
                store[entity.id] = entity
            for j, line in enumerate(getattr(entity, "budget_lines", [])):
                if b.register(ws, "budget_line", line.id, doc, (plural, i, "budget_lines", j)):
                    ws.budget_lines[line.id] = line
                    ws.budget_line_project[line.id] = entity.id


def _listed(ws: Workspace, doc: Document, b: _Builder, key: str, model, kind: str, store: dict) -> None:
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict) or set(data) - {key}:
        b.errors.append(WorkspaceError(doc.sources.locate(()), f"expected a mapping with the single key '{key}'"))
        return
    for i, entity in _entities(doc, b, key, data.get(key) or [], model):
        if b.register(ws, kind, entity.id, doc, (key, i)):
            store[entity.id] = entity


def _entities(doc: Document, b: _Builder, key: str, items: Any, model):
    if not isinstance(items, list):
        b.errors.append(WorkspaceError(doc.sources.locate((key,)), f"'{key}' must be a list"))
        return
    for i, item in enumerate(items):
        entity = b.validate(model, item, doc, (key, i))
        if entity is not None:
            yield i, entity
