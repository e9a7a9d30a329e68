"""Read a workspace folder into a validated `Workspace`, or raise every error found."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from governance import frameworks, library
from governance.load import (
    MAX_ID_CHARS,
    MAX_NAME_CHARS,
    MISSING,
    Document,
    Location,
    Path_,
    PathProblem,
    RegoSource,
    WorkspaceError,
    WorkspaceErrors,
    collector_paused,
    discover,
    id_problem,
    is_check,
    read_document,
    read_rego,
    resolve,
)
from governance.model.base import Entity
from governance.model.definitions import BudgetPolicy, PlacementPolicy
from governance.model.errors import from_validation
from governance.model.governance import Control, Manifest
from governance.model.inventory import INVENTORY_KINDS
from governance.model.references import check_references
from governance.model.workspace import DEFINITIONS, LISTS, ListedKind, Workspace

MANIFEST = "governance.yaml"
DATA = {".yaml", ".yml", ".json"}
PATH_LISTS = {"policies", "controls", "checks", "inventory", "waivers"}
# An editor's pointer to the file's JSON Schema (`govern schema`): allowed at the top of any file, and ignored.
SCHEMA_KEY = "$schema"

M = TypeVar("M", bound=BaseModel)
E = TypeVar("E", bound=Entity)
T = TypeVar("T")


class _Builder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.errors: list[WorkspaceError] = []
        self.seen: set[Path] = set()  # real paths already read
        self.manifest: Manifest = Manifest()
        self.manifest_doc: Document | None = None

    def validate(self, model: type[M], data: Any, doc: Document, path: Path_) -> M | None:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.errors += from_validation(exc, doc.sources, path)
            return None

    def files(self, key: str, suffixes: set[str], accept: Callable[[str], bool] | None = None) -> list[Path]:
        """The files the manifest's `key` names. Its defaults may be absent when
        the manifest does not name them: a workspace without waivers is fine."""
        doc = self.manifest_doc
        assert doc is not None, "the manifest is read before the files it names"
        written = isinstance(doc.data, dict) and key in doc.data
        entries = [(entry, doc.sources.locate((key, i))) for i, entry in enumerate(getattr(self.manifest, key))]
        found, errors = discover(self.root, entries, suffixes, accept, optional=not written)
        self.errors += errors
        return found

    def first_time(self, paths: list[Path]) -> list[Path]:
        """Each file is read once, however often it is listed or linked to."""
        new = [p for p in dict.fromkeys(paths) if p not in self.seen]
        self.seen.update(new)
        return new

    def read(self, paths: list[Path]) -> list[Document]:
        docs = self._each(self.first_time(paths), lambda p: read_document(self.root, p, self.rel(p)))
        return [self.without_schema_key(doc) for doc in docs]

    def read_rego(self, paths: list[Path]) -> list[RegoSource]:
        return self._each(self.first_time(paths), lambda p: read_rego(p, self.rel(p)))

    def read_library(self, paths: list[Path]) -> list[Document]:
        """The built-in control catalogue: part of the tool, shown as <govern>/…, never by absolute path."""
        return self._each(list(paths), lambda p: read_document(p.parent, p, _library_label(p)))

    def without_schema_key(self, doc: Document) -> Document:
        """The document as govern reads it: a top-level `$schema` is for editors only."""
        if isinstance(doc.data, dict) and SCHEMA_KEY in doc.data:
            if not isinstance(doc.data[SCHEMA_KEY], str):
                self.errors.append(WorkspaceError(doc.sources.locate((SCHEMA_KEY,)),
                                                  f"'{SCHEMA_KEY}' must be text: the path or URL of a JSON Schema"))
            del doc.data[SCHEMA_KEY]
        return doc

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _each(self, paths: list[Path], read: Callable[[Path], T]) -> list[T]:
        out = []
        for path in paths:
            try:
                out.append(read(path))
            except WorkspaceErrors as exc:
                self.errors += exc.errors
        return out

    def fit_id(self, kind: str, id_: str, doc: Document, path: Path_) -> bool:
        """Whether `id_` (of the thing at `path`) is what an id may be (`id_problem`); an error if not."""
        why = id_problem(id_, MAX_ID_CHARS)
        if why:
            self.errors.append(WorkspaceError(doc.sources.locate(path + ("id",)), f"{kind} id '{_brief(id_)}' {why}"))
        return why is None

    def register(self, ws: Workspace, kind: str, id_: str, doc: Document, path: Path_) -> bool:
        """Record where (kind, id) was declared; a second declaration is an error. Only the source
        map and path are kept: locating every entity of a large JSON inventory up front cost more
        than validating it (a budget line's position needs a scan of its project).
        Every id passes here, so here it is held to what an id may be."""
        if not self.fit_id(kind, id_, doc, path):
            return False
        key = (kind, id_)
        if key in ws.origins:
            why = f"duplicate {kind} id '{id_}' (first declared at {ws.declared_at(kind, id_)})"
            self.errors.append(WorkspaceError(doc.sources.locate(path), why))
            return False
        ws.origins[key] = (doc.sources, path)
        return True


# Told each inventory kind as soon as its last file is validated (its plural, the workspace so far)
OnKind = Callable[[str, Workspace], None]


def load_workspace(root: Path | str, library_controls: list[Path] | None = None, on_kind: OnKind | None = None) -> Workspace:
    """`on_kind`: called once per kind that has entities, as soon as no file still to validate holds
    any, while the workspace is still valid so far (OPA can take that kind while the rest loads)."""
    with collector_paused():  # reading, validating and indexing a large inventory makes millions of objects
        return _load_workspace(root, library_controls, on_kind)


def _load_workspace(root: Path | str, library_controls: list[Path] | None, on_kind: OnKind | None) -> Workspace:
    given = str(root)
    root = Path(root).resolve()
    if not root.is_dir():
        raise WorkspaceErrors([WorkspaceError(Location(given), "workspace folder does not exist")])
    b = _Builder(root)
    b.manifest, b.manifest_doc = _manifest(b)
    ws = Workspace(root=root, manifest=b.manifest, documents=[b.manifest_doc])

    policy_docs = b.read(b.files("policies", DATA))
    inventory_docs = b.read(b.files("inventory", DATA | {".csv"}))
    listed_docs = {attribute: b.read(b.files(attribute, DATA)) for attribute in LISTS}
    ws.rego_sources = b.read_rego(b.files("checks", {".rego"}, is_check))
    library_docs = b.read_library(library_controls or [])

    for doc in policy_docs:
        _definition(ws, doc, b)
    last = {plural: i for i, doc in enumerate(inventory_docs) if isinstance(doc.data, dict) for plural in doc.data}
    for i, doc in enumerate(inventory_docs):
        _inventory(ws, doc, b)
        if on_kind is not None and not b.errors:
            for plural in [p for p, at in last.items() if at == i and p in INVENTORY_KINDS and ws.inventory.of(p)]:
                on_kind(plural, ws)
    for listed in LISTS.values():
        # the built-in catalogue's controls come first, as if listed before the workspace's own
        for doc in (library_docs if listed.attribute == "controls" else []) + listed_docs[listed.attribute]:
            _listed(ws, doc, b, listed)
    workspace_docs = policy_docs + inventory_docs + [doc for docs in listed_docs.values() for doc in docs]
    for doc in workspace_docs + library_docs:
        doc.data = None  # the models hold it now; a large inventory should not live twice
    # the built-in catalogue is part of the tool, not evidence about this workspace
    ws.documents += workspace_docs
    ws.library_documents = library_docs  # hashed as read, for the evidence of what ran
    if not b.errors:
        b.errors += check_references(ws)
    if b.errors:
        raise WorkspaceErrors(b.errors)
    return ws


def rego_checks(root: Path | str) -> list[RegoSource]:
    """The workspace's own checks as `load_workspace` would read them, or none if that cannot be
    said without loading it all (no manifest, a fault): a guess for starting OPA early, which the
    loaded workspace confirms or corrects, never a judgement of the workspace."""
    b = _Builder(Path(root).resolve())
    try:
        b.manifest, b.manifest_doc = _manifest(b)
        sources = b.read_rego(b.files("checks", {".rego"}, is_check))
    except WorkspaceErrors:
        return []
    return [] if b.errors else sources


def inventory_bytes(root: Path | str) -> int:
    """The size of the inventory files the manifest names, or 0 if that cannot be said without
    loading the workspace: a guess for choosing how to load it, never a judgement of it."""
    b = _Builder(Path(root).resolve())
    try:
        b.manifest, b.manifest_doc = _manifest(b)
        return sum(p.stat().st_size for p in b.files("inventory", DATA | {".csv"}))
    except (WorkspaceErrors, OSError):
        return 0


def read_places(root: Path | str) -> list[Path]:
    """The real paths a run of the workspace at `root` reads: its manifest and every file or folder the
    manifest names (its defaults included, present or not), each resolved as far as it exists. Nothing
    may be written there (a report in `inventory/` would be read by the next run), so this errs on the
    side of more: a manifest that cannot be read gives the defaults, which a run would then refuse."""
    b = _Builder(Path(root).resolve())
    with contextlib.suppress(WorkspaceErrors):
        b.manifest, b.manifest_doc = _manifest(b)
    places = [b.root / MANIFEST]
    for key in sorted(PATH_LISTS):
        for entry in getattr(b.manifest, key):
            real = Path(os.path.realpath(b.root / entry))
            if real == b.root or b.root in real.parents:  # any other is refused by the load itself
                places.append(real)
    return places


def _brief(name: str) -> str:
    """A name as an error quotes it: one refused for its length is not repeated whole."""
    return name if len(name) <= 80 else f"{name[:60]}…"


def _library_label(path: Path) -> str:
    try:
        return f"<govern>/{path.relative_to(library.library_root()).as_posix()}"
    except ValueError:  # a catalogue passed from elsewhere: its name is enough
        return f"<govern>/{path.name}"


def _manifest(b: _Builder) -> tuple[Manifest, Document]:
    """governance.yaml: what makes a folder a workspace, so it must be there."""
    try:
        path = resolve(b.root, [MANIFEST])
    except PathProblem as exc:
        missing = exc.reason == MISSING and exc.link is None
        message = ("this folder is not a govern workspace (no governance.yaml); `govern init` creates one"
                   if missing else exc.message(MANIFEST))
        raise WorkspaceErrors([WorkspaceError(Location(MANIFEST), message)]) from None
    if not path.is_file():
        raise WorkspaceErrors([WorkspaceError(Location(MANIFEST), f"'{MANIFEST}' is not a regular file")])
    docs = b.read([path])
    if not docs:
        raise WorkspaceErrors(b.errors)
    doc = docs[0]
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise WorkspaceErrors([WorkspaceError(doc.sources.locate(()), "the manifest must be a mapping")])
    # a single string is accepted where a list of paths is expected
    data = {k: ([v] if isinstance(v, str) and k in PATH_LISTS else v) for k, v in data.items()}
    manifest = b.validate(Manifest, data, doc, ())
    if manifest is None:
        raise WorkspaceErrors(b.errors)
    name = manifest.name
    why = id_problem(name, MAX_NAME_CHARS) if name is not None else None
    if name is not None and why:  # the workspace's identity: `govern aggregate` tells workspaces apart by it
        raise WorkspaceErrors([WorkspaceError(doc.sources.locate(("name",)), f"name '{_brief(name)}' {why}")])
    return manifest, doc


def _definition(ws: Workspace, doc: Document, b: _Builder) -> None:
    data = doc.data
    if not isinstance(data, dict) or "kind" not in data:
        why = f"a policy file holds one definition with a 'kind' (one of {', '.join(DEFINITIONS)})"
        b.errors.append(WorkspaceError(doc.sources.locate(()), why))
        return
    kind = data["kind"]
    # a list or mapping cannot even be looked up: it is as unknown as a misspelt name
    definition = DEFINITIONS.get(kind) if isinstance(kind, str) else None
    if definition is None:
        shown = "a list" if isinstance(kind, list) else "a mapping" if isinstance(kind, dict) else f"'{kind}'"
        b.errors.append(WorkspaceError(doc.sources.locate(("kind",)),
                                       f"unknown kind {shown} (expected one of {', '.join(DEFINITIONS)})"))
        return
    entity = b.validate(definition.model, data, doc, ())
    if entity is None:
        return
    resource, attr = definition.resource, definition.attribute
    if definition.singleton:
        existing = getattr(ws, attr)
        if existing is not None:
            first = ws.declared_at(resource, existing.id)
            why = f"a second {kind} ('{entity.id}'); the workspace may have one (first is '{existing.id}' at {first})"
            b.errors.append(WorkspaceError(doc.sources.locate(()), why))
            return
        if b.register(ws, resource, entity.id, doc, ()):
            setattr(ws, attr, entity)
    elif b.register(ws, resource, entity.id, doc, ()):  # a kind a workspace may have many of, by id
        getattr(ws, attr)[entity.id] = entity
    if isinstance(entity, BudgetPolicy):
        for i, phase in enumerate(entity.phases):
            b.register(ws, "phase", phase.id, doc, ("phases", i))
    if isinstance(entity, PlacementPolicy):  # findings name its rules, which are unique within it only
        for i, rule in enumerate(entity.rules):
            b.fit_id("placement rule", rule.id, doc, ("rules", i))


def _inventory(ws: Workspace, doc: Document, b: _Builder) -> None:
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        b.errors.append(WorkspaceError(doc.sources.locate(()),
                                       "an inventory file is a mapping of kinds (people, systems, …) to lists"))
        return
    for plural, items in data.items():
        if plural not in INVENTORY_KINDS:
            b.errors.append(WorkspaceError(doc.sources.locate((plural,)),
                                           f"unknown inventory kind '{plural}' (expected one of {', '.join(INVENTORY_KINDS)})"))
            continue
        model, kind = INVENTORY_KINDS[plural]
        store = ws.inventory.of(plural)
        # asked once per kind: pydantic's `model_fields` and a failing attribute lookup are slow per entity
        has_lines = "budget_lines" in model.model_fields
        for i, entity in _entities(doc, b, plural, items, model):
            if b.register(ws, kind, entity.id, doc, (plural, i)):
                store[entity.id] = entity
            for j, line in enumerate(entity.budget_lines if has_lines else []):  # type: ignore[attr-defined]
                if b.register(ws, "budget_line", line.id, doc, (plural, i, "budget_lines", j)):
                    ws.budget_lines[line.id] = line
                    ws.budget_line_project[line.id] = entity.id


def _listed(ws: Workspace, doc: Document, b: _Builder, listed: ListedKind) -> None:
    key = listed.attribute
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict) or set(data) - {key}:
        b.errors.append(WorkspaceError(doc.sources.locate(()), f"expected a mapping with the single key '{key}'"))
        return
    store = getattr(ws, key)
    for i, entity in _entities(doc, b, key, data.get(key) or [], listed.model):
        if isinstance(entity, Control):
            _citations(entity, doc, b, (key, i))
        if b.register(ws, listed.resource, entity.id, doc, (key, i)):
            store[entity.id] = entity


def _citations(control: Control, doc: Document, b: _Builder, path: Path_) -> None:
    """A control's references, held to the frameworks govern knows and how each writes a clause: a
    citation is evidence an auditor follows, so one that leads nowhere is an error where it is written."""
    for where, why in frameworks.problems(control.references):
        b.errors.append(WorkspaceError(doc.sources.locate(path + ("references", *where)), f"control '{control.id}': {why}"))


def _entities(doc: Document, b: _Builder, key: str, items: Any, model: type[E]) -> Iterator[tuple[int, E]]:
    if not isinstance(items, list):
        b.errors.append(WorkspaceError(doc.sources.locate((key,)), f"'{key}' must be a list"))
        return
    for i, item in enumerate(items):
        entity = b.validate(model, item, doc, (key, i))
        # dropped as soon as read: the read items of a large file and their models would otherwise
        # peak together; errors are placed by the source map, which keeps no values
        items[i] = None
        if entity is not None:
            yield i, entity
