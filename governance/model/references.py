"""Every reference must resolve: a dangling id is an error at the reference itself."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

from governance.load.errors import WorkspaceError
from governance.load.tree import Path_
from governance.model.definitions import DEFAULT_DIMENSIONS, DEFAULT_TIERS
from governance.model.workspace import Workspace

# resource kinds a decision subject or waiver may name, beyond entity kinds
AGGREGATE_KINDS = {"phase", "portfolio"}
# the kinds whose ids the checks declare (custom.portfolio): known once the policy is compiled,
# so references to them are kept aside while loading (Workspace.pending_references) and
# resolved then (check_pending_references)
DECLARED_BY_CHECKS = {"portfolio"}


def check_references(ws: Workspace) -> list[WorkspaceError]:
    errors: list[WorkspaceError] = []
    for kind, id_, path, target_kind, target in _references(ws):
        if target is None:
            continue
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
    return errors


def check_pending_references(ws: Workspace) -> list[WorkspaceError]:
    """The references kept aside while loading, once the checks have declared what they name."""
    return [WorkspaceError(where, f"{source} refers to unknown {target_kind} '{target}'")
            for where, source, target_kind, target in ws.pending_references
            if not ws.declares(target_kind, target)]


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
        yield from _each("project", p.id, "serves", "goal", p.serves)
    for g in inv.goals.values():
        yield "goal", g.id, ("parent",), "goal", g.parent
        yield "goal", g.id, ("owner",), "person", g.owner
    for a in inv.maturity_assessments.values():
        yield "maturity_assessment", a.id, ("assessor",), "person", a.assessor
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
    sp = ws.strategy_policy
    if sp and sp.pilot:
        yield "strategy_policy", sp.id, ("pilot", "phase"), "phase", sp.pilot.phase
    for w in ws.waivers.values():
        yield "waiver", w.id, ("requested_by",), "person", w.requested_by
        yield "waiver", w.id, ("approved_by",), "person", w.approved_by
        yield "waiver", w.id, ("resource",), w.resource.kind, w.resource.id
        yield "waiver", w.id, ("decision",), "decision", w.decision


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
    if sp and sp.goals:
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
    for a in inv.maturity_assessments.values():
        for dim in a.scores:
            need("maturity_assessment", a.id, ("scores", dim), dim, dimensions, "maturity dimension")
    for p in inv.projects.values():
        if p.maturity:
            need("project", p.id, ("maturity", "dimension"), p.maturity.dimension, dimensions, "maturity dimension")
    return errors
