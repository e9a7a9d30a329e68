"""Every reference must resolve: a dangling id is an error at the reference itself.

A reference is a field marked `Ref` (model/base.py); one walk over every declared entity finds them
all, so a new reference field is checked as soon as it is marked."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Iterable, Iterator
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from governance.load import MAX_ID_CHARS, Path_, WorkspaceError, id_problem
from governance.model.base import Entity, Ref
from governance.model.definitions import DEFAULT_DIMENSIONS, DEFAULT_TIERS
from governance.model.inventory import INVENTORY_KINDS, Goal
from governance.model.workspace import DEFINITIONS, LISTS, Workspace

# the kinds whose ids the checks declare (custom.portfolio): known once the policy is compiled,
# so references to them are kept aside while loading (Workspace.pending_references) and
# resolved then (check_pending_references)
DECLARED_BY_CHECKS = {"portfolio"}


def check_references(ws: Workspace) -> list[WorkspaceError]:
    errors: list[WorkspaceError] = []
    for kind, id_, path, target_kind, target in references(ws):
        if target_kind in DECLARED_BY_CHECKS:
            ws.pending_references.append((ws.locate(kind, id_, *path), f"{kind} '{id_}'", target_kind, target))
            continue
        if ws.declares(target_kind, target):
            continue
        why = f"{kind} '{id_}' refers to unknown {target_kind} '{target}'"
        if target_kind == "phase" and ws.budget_policy is None:
            why += " (phases are defined by a BudgetPolicy, and the workspace has none)"
        errors.append(WorkspaceError(ws.locate(kind, id_, *path), why))
    errors += _vocabulary(ws)
    errors += _waiver_grants(ws)
    errors += _steps_within_streams(ws)
    return errors


def check_pending_references(ws: Workspace) -> list[WorkspaceError]:
    """The references kept aside while loading, once the checks have declared what they name."""
    return [WorkspaceError(where, f"{source} refers to unknown {target_kind} '{target}'")
            for where, source, target_kind, target in ws.pending_references
            if not ws.declares(target_kind, target)]


Reference = tuple[str, str, Path_, str, str]  # (from kind, from id, field path, to kind, to id)


def references(ws: Workspace) -> Iterator[Reference]:
    """(from kind, from id, field path, to kind, to id) for every reference the workspace makes."""
    for kind, entities in _declared(ws):
        for entity in entities:
            for path, target_kind, target in references_in(entity):
                yield kind, entity.id, path, target_kind, target


def _declared(ws: Workspace) -> Iterator[tuple[str, Iterable[Entity]]]:
    """(resource kind, its entities) for every kind a workspace declares at the top of a file:
    definitions, inventory, waivers and controls. An entity declared inside another (a project's
    budget lines) is walked with it, and its references are that entity's."""
    for definition in DEFINITIONS.values():
        held = getattr(ws, definition.attribute)
        if definition.singleton:
            held = {} if held is None else {held.id: held}
        yield definition.resource, held.values()
    for plural, entities in ws.inventory.kinds():
        yield INVENTORY_KINDS[plural][1], entities.values()
    for listed in LISTS.values():
        yield listed.resource, getattr(ws, listed.attribute).values()


Found = list[tuple[Path_, str, str]]  # (field path, kind, id) of each reference


def references_in(model: BaseModel) -> Found:
    """(field path, kind, id) of each reference `model` makes, in the objects it holds too."""
    found: Found = []
    _named_in(model, (), found)
    return found


def _named_in(model: BaseModel, path: Path_, found: Found) -> None:
    """Each reference in `model` and the objects it holds, appended to `found`. The walk runs over
    every entity of a large inventory: its fields are read off the model once (`_reference_fields`),
    and an id or a list of ids, most references, is taken here without a call per id."""
    for name, mark, kind in _reference_fields(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        where = (*path, name)
        if mark is None:
            _within(value, where, found)
        elif kind is not None and type(value) is str:
            found.append((where, kind, value))
        elif kind is not None and type(value) is list:
            for i, item in enumerate(value):
                if type(item) is str:
                    found.append(((*where, i), kind, item))
                else:
                    _named(item, (*where, i), mark, found)
        else:
            _named(value, where, mark, found)


def _within(value: Any, path: Path_, found: Found) -> None:
    if isinstance(value, BaseModel):
        _named_in(value, path, found)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _within(item, (*path, i), found)
    elif isinstance(value, dict):
        for key, item in value.items():
            _within(item, (*path, key), found)


def _named(value: Any, path: Path_, mark: Ref, found: Found) -> None:
    """A marked value: an id, an object naming one by its `id` (and its `kind`, if the mark has none), or a list of them."""
    if isinstance(value, str):
        assert mark.kind is not None, f"{path}: a bare id needs its kind on the mark"
        found.append((path, mark.kind, value))
    elif isinstance(value, BaseModel):
        found.append((path, mark.kind or value.kind, value.id))  # type: ignore[attr-defined]
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _named(item, (*path, i), mark, found)


@functools.cache
def _reference_fields(model: type[BaseModel]) -> tuple[tuple[str, Ref | None, str | None], ...]:
    """The fields of `model` that may hold a reference: (name, its mark, the mark's kind), with no
    mark for a field holding objects that do. Worked out once per model."""
    found: list[tuple[str, Ref | None, str | None]] = []
    for name, info in model.model_fields.items():
        mark = mark_of(info)
        if mark is not None or any(_reference_fields(m) for m in _models_in(info.annotation)):
            found.append((name, mark, mark.kind if mark else None))
    return tuple(found)


def mark_of(info: FieldInfo) -> Ref | None:
    """The `Ref` a field is marked with, on the field or on what its lists hold."""
    marks = [m for m in info.metadata if isinstance(m, Ref)] + list(_marks_in(info.annotation))
    assert len(set(marks)) <= 1, f"a field has one reference mark, not {marks}"
    return marks[0] if marks else None


def _marks_in(annotation: Any) -> Iterator[Ref]:
    if get_origin(annotation) is Annotated:
        yield from (m for m in annotation.__metadata__ if isinstance(m, Ref))
    for arg in get_args(annotation):
        yield from _marks_in(arg)


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The models a field's type holds, through lists, maps, unions and annotations."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


def _waiver_grants(ws: Workspace) -> Iterator[WorkspaceError]:
    """A decision of type waiver names the waiver it grants as its subject, and a waiver
    citing such a decision is that waiver: otherwise one waiver's grant could be cited
    for another. Whether a waiver needs a decision at all is WAV-009's question."""
    decisions = ws.inventory.decisions
    for d in sorted(decisions.values(), key=lambda d: d.id):
        if d.type == "waiver" and (d.subject is None or d.subject.kind != "waiver"):
            where = ("subject",) if d.subject else ("type",)
            yield WorkspaceError(ws.locate("decision", d.id, *where),
                                 f"decision '{d.id}' is of type waiver, so its subject must be the waiver it grants "
                                 "({kind: waiver, id: ...})")
    for w in sorted(ws.waivers.values(), key=lambda w: w.id):
        granted = decisions.get(w.decision) if w.decision else None
        if granted and granted.type == "waiver" and granted.subject and granted.subject.kind == "waiver" \
                and granted.subject.id != w.id:
            yield WorkspaceError(ws.locate("waiver", w.id, "decision"),
                                 f"waiver '{w.id}' cites decision '{w.decision}', which grants waiver "
                                 f"'{granted.subject.id}', not this one")


def _steps_within_streams(ws: Workspace) -> Iterator[WorkspaceError]:
    """A step's id is unique within its value stream (the second is the error, naming the first), and
    a pain point's `steps` name steps of its own stream: a step of another stream is no place it can hurt."""
    steps: dict[str, set[str]] = {}
    for vs in ws.inventory.value_streams.values():
        first: dict[str, int] = {}
        for i, step in enumerate(vs.steps):
            why = id_problem(step.id, MAX_ID_CHARS)
            if why:
                yield WorkspaceError(ws.locate("value_stream", vs.id, "steps", i, "id"), f"step id '{step.id[:60]}' {why}")
            elif step.id in first:
                earlier = ws.locate("value_stream", vs.id, "steps", first[step.id], "id")
                yield WorkspaceError(ws.locate("value_stream", vs.id, "steps", i, "id"),
                                     f"value_stream '{vs.id}' has a second step '{step.id}' (first at {earlier})")
            first.setdefault(step.id, i)
        steps[vs.id] = set(first)
    for pp in ws.inventory.pain_points.values():
        if pp.value_stream not in steps:
            continue  # an unknown stream is the error, said at `value_stream`
        for i, step_id in enumerate(pp.steps):
            if step_id not in steps[pp.value_stream]:
                yield WorkspaceError(ws.locate("pain_point", pp.id, "steps", i),
                                     f"pain_point '{pp.id}' names step '{step_id}', which is not a step of "
                                     f"value_stream '{pp.value_stream}'")


def _each(kind: str, id_: str, field: str, target_kind: str, ids: Iterable[str]) -> Iterator[Reference]:
    for i, target in enumerate(ids):
        yield kind, id_, (field, i), target_kind, target


def _distinct(ws: Workspace, kind: str, id_: str, field: Path_, values: list[str], what: str) -> Iterator[WorkspaceError]:
    """A list that names things (tiers, dimensions) must not name one twice: the second is the error."""
    first: dict[str, int] = {}
    for i, value in enumerate(values):
        if value in first:
            earlier = ws.locate(kind, id_, *field, first[value])
            yield WorkspaceError(ws.locate(kind, id_, *field, i), f"{what} '{value}' is listed twice (first at {earlier})")
        first.setdefault(value, i)


def _one_reading_a_day(ws: Workspace, goal: Goal) -> Iterator[WorkspaceError]:
    """A goal is measured once on a date: two readings of one day would leave "the latest reading"
    (STR-011, STR-012) to the order of the file. The second is the error."""
    first: dict[dt.date, int] = {}
    for i, reading in enumerate(goal.readings or []):
        if reading.date in first:
            earlier = ws.locate("goal", goal.id, "readings", first[reading.date], "date")
            yield WorkspaceError(ws.locate("goal", goal.id, "readings", i, "date"),
                                 f"goal '{goal.id}' has two readings dated {reading.date} (first at {earlier})")
        first.setdefault(reading.date, i)


def _vocabulary(ws: Workspace) -> list[WorkspaceError]:
    """Grades, levels and categories named in one policy must exist in the policy that defines them."""
    errors: list[WorkspaceError] = []

    def need(kind: str, id_: str, path: Path_, value: str, allowed: Collection[str] | None, what: str) -> None:
        if allowed is not None and value not in allowed:
            errors.append(WorkspaceError(ws.locate(kind, id_, *path),
                                         f"unknown {what} '{value}' (expected one of {', '.join(allowed)})"))

    cp = ws.classification_policy
    grades = cp.grades if cp else None
    levels = cp.levels if cp else None
    if cp:
        for g, lv in cp.min_level.items():
            need("classification_policy", cp.id, ("min_level", g), g, grades, "grade")
            need("classification_policy", cp.id, ("min_level", g), lv, levels, "level")
        for lv in cp.encryption_at_rest:
            need("classification_policy", cp.id, ("encryption_at_rest", lv), lv, levels, "level")
        for g in cp.review_interval_days:
            if g != "default":
                need("classification_policy", cp.id, ("review_interval_days", g), g, grades, "grade")
        for i, g in enumerate(cp.important_data.grades if cp.important_data else []):
            need("classification_policy", cp.id, ("important_data", "grades", i), g, grades, "grade")
    for d in ws.inventory.datasets.values():
        need("dataset", d.id, ("grade",), d.grade, grades, "grade")
        need("dataset", d.id, ("level",), d.level, levels, "level")
    pp = ws.placement_policy
    if pp:
        for i, rule in enumerate(pp.rules):
            for j, g in enumerate(rule.match.grades or []):
                need("placement_policy", pp.id, ("rules", i, "match", "grades", j), g, grades, "grade")
            for j, lv in enumerate(rule.match.levels or []):
                need("placement_policy", pp.id, ("rules", i, "match", "levels", j), lv, levels, "level")
    bp = ws.budget_policy
    if bp:
        for i, phase in enumerate(bp.phases):
            for cat in phase.target_share:
                need("budget_policy", bp.id, ("phases", i, "target_share", cat), cat, bp.categories, "category")
    errors += _strategy_vocabulary(ws)
    return errors


def _strategy_vocabulary(ws: Workspace) -> list[WorkspaceError]:
    """Goal tiers and maturity dimensions come from the StrategyPolicy, or are the handbook's without one."""
    errors: list[WorkspaceError] = []
    sp = ws.strategy_policy
    tiers = sp.tiers if sp else list(DEFAULT_TIERS)
    dimensions = sp.dimensions if sp else list(DEFAULT_DIMENSIONS)
    if sp and sp.goals and sp.goals.tiers:
        errors += _distinct(ws, "strategy_policy", sp.id, ("goals", "tiers"), sp.goals.tiers, "tier")
    if sp and sp.maturity and sp.maturity.dimensions:
        errors += _distinct(ws, "strategy_policy", sp.id, ("maturity", "dimensions"), sp.maturity.dimensions, "dimension")

    def need(kind: str, id_: str, path: Path_, value: str, allowed: list[str], what: str) -> None:
        if value not in allowed:
            source = "as the StrategyPolicy lists" if sp else "the handbook's; a StrategyPolicy may name others"
            errors.append(WorkspaceError(ws.locate(kind, id_, *path),
                                         f"unknown {what} '{value}' (expected one of {', '.join(allowed)}, {source})"))

    inv = ws.inventory
    for g in inv.goals.values():
        need("goal", g.id, ("tier",), g.tier, tiers, "goal tier")
        errors += _one_reading_a_day(ws, g)
    for a in inv.maturity_assessments.values():
        for dim in a.scores:
            need("maturity_assessment", a.id, ("scores", dim), dim, dimensions, "maturity dimension")
    for p in inv.projects.values():
        if p.maturity:
            need("project", p.id, ("maturity", "dimension"), p.maturity.dimension, dimensions, "maturity dimension")
    return errors
