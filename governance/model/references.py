"""Every reference must resolve: a dangling id is an error at the reference itself."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

from governance.load.errors import WorkspaceError
from governance.load.tree import Path_
from governance.model.workspace import Workspace

# resource kinds a decision subject or waiver may name, beyond entity kinds
AGGREGATE_KINDS = {"phase", "portfolio"}


def check_references(ws: Workspace) -> list[WorkspaceError]:
    errors: list[WorkspaceError] = []
    for kind, id_, path, target_kind, target in _references(ws):
        if target is None or (target_kind, target) in ws.locations:
            continue
        errors.append(WorkspaceError(ws.locate(kind, id_, *path), f"{kind} '{id_}' refers to unknown {target_kind} '{target}'"))
    errors += _vocabulary(ws)
    return errors


Reference = tuple[str, str, Path_, str, str | None]  # (from kind, from id, field path, to kind, to id)


def _references(ws: Workspace) -> Iterator[Reference]:
    """(from kind, from id, field path, to kind, to id) for every reference."""
    for c in ws.committees.values():
        yield "committee", c.id, ("chair",), "person", c.chair
        for i, m in enumerate(c.members):
            yield "committee", c.id, ("members", i, "person"), "person", m.person
            yield "committee", c.id, ("members", i, "delegate"), "person", m.delegate
    inv = ws.inventory
    for s in inv.systems.values():
        yield "system", s.id, ("owner",), "person", s.owner
        yield "system", s.id, ("platform",), "platform", s.platform
        for i, ref in enumerate(s.datasets):
            yield "system", s.id, ("datasets", i), "dataset", ref if isinstance(ref, str) else ref.id
    for d in inv.datasets.values():
        yield "dataset", d.id, ("owner",), "person", d.owner
        yield "dataset", d.id, ("security_officer",), "person", d.security_officer
    for p in inv.projects.values():
        yield "project", p.id, ("owner",), "person", p.owner
        yield "project", p.id, ("phase",), "phase", p.phase
        for i, line in enumerate(p.budget_lines):
            yield "project", p.id, ("budget_lines", i, "owner"), "person", line.owner
    for spend in inv.spend.values():
        yield "spend", spend.id, ("budget_line",), "budget_line", spend.budget_line
    for meeting in inv.meetings.values():
        yield "meeting", meeting.id, ("committee",), "committee", meeting.committee
        yield from _each("meeting", meeting.id, "present", "person", meeting.present)
    for decision in inv.decisions.values():
        yield "decision", decision.id, ("requested_by",), "person", decision.requested_by
        yield from _each("decision", decision.id, "approved_by", "person", decision.approved_by)
        yield "decision", decision.id, ("meeting",), "meeting", decision.meeting
        if decision.subject:
            yield "decision", decision.id, ("subject",), decision.subject.kind, decision.subject.id
    for w in ws.waivers.values():
        yield "waiver", w.id, ("requested_by",), "person", w.requested_by
        yield "waiver", w.id, ("approved_by",), "person", w.approved_by
        yield "waiver", w.id, ("resource",), w.resource.kind, w.resource.id


def _each(kind: str, id_: str, field: str, target_kind: str, ids: Iterable[str]) -> Iterator[Reference]:
    for i, target in enumerate(ids):
        yield kind, id_, (field, i), target_kind, target


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
    return errors
