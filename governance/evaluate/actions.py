"""The committee's action items: the checks one `addresses` are checks of this run's policy, and the
result records them all (`RunResult.actions`).

Which check ids exist is known only once the policy (the library and the workspace's own
checks) is compiled, so this is said after the workspace loads, as the manifest's `skip:` is:
an unknown id is exit 2 at its line. An action cannot address an ACT finding: those are about
actions themselves (the ACT checks read which findings actions address)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from governance.evaluate.policy import ACTION_CHECKS, DeclaredCheck
from governance.load import Location, WorkspaceError
from governance.model import Action, Person
from governance.result import ActionItem, Addressed, Resource


def records(actions: Mapping[str, Action], people: Mapping[str, Person]) -> list[ActionItem]:
    """Every action item, by id, with its owner's name where the inventory knows the person: the result
    carries them because reports (the plan of action and milestones) never read the workspace."""
    def name(person: str) -> str | None:
        known = people.get(person)
        return known.name if known else None
    return [ActionItem(
        id=a.id, title=a.title, owner=a.owner, owner_name=name(a.owner), due=a.due.isoformat(), status=a.status,
        meeting=a.meeting, goals=list(a.goals), done_at=a.done_at.isoformat() if a.done_at else None,
        addresses=[Addressed(check=x.check, resource=Resource(kind=x.resource.kind, id=x.resource.id))
                   for x in a.addresses],
    ) for a in sorted(actions.values(), key=lambda a: a.id)]


def address_problems(actions: Mapping[str, Action], checks: Mapping[str, DeclaredCheck],
                     locate: Callable[..., Location]) -> list[WorkspaceError]:
    """An error at each `addresses` entry naming a check that is not in `checks`, or an ACT check;
    `locate(kind, id, *path)` places it (Workspace.locate)."""
    errors = []
    for action in actions.values():
        for i, addressed in enumerate(action.addresses):
            why = _problem(addressed.check, checks)
            if why:
                errors.append(WorkspaceError(locate("action", action.id, "addresses", i, "check"),
                                             f"action {action.id} addresses {why}"))
    return errors


def _problem(check: str, checks: Mapping[str, DeclaredCheck]) -> str | None:
    declared = checks.get(check)
    if declared is None:
        return f"unknown check {check}"
    if declared.rule[:2] == ACTION_CHECKS:
        return f"{check}, an action check: its findings are about actions, address the finding behind it"
    return None
