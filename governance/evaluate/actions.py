"""The checks an action item `addresses` are checks of this run's policy.

Which check ids exist is known only once the policy (the library and the workspace's own
checks) is compiled, so this is said after the workspace loads, as the manifest's `skip:` is:
an unknown id is exit 2 at its line. An action cannot address an ACT finding: those are about
actions themselves (the ACT checks read which findings actions address)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from governance.evaluate.policy import ACTION_CHECKS, DeclaredCheck
from governance.load import Location, WorkspaceError
from governance.model import Action


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
