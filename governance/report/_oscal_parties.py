"""The people an OSCAL document names, as OSCAL `parties`: every waiver's approver and requester, every
action item's owner and every goal's owner the result records, each once, by workspace id.

A party's UUID is a UUIDv5 of its person id alone (`_oscal.party_uuid`), so the same person has the same UUID
in every document and every run; documents then point at a person by `party-uuid` (responsible parties,
origins, risk-log entries, milestones) instead of writing the bare id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.report._oscal import party_uuid, prop, text
from governance.result import RunResult

# the roles a person plays in a govern result, as OSCAL role ids, with their titles
ROLES = {
    "waiver-approver": "Waiver approver",
    "waiver-requester": "Waiver requester",
    "action-owner": "Action item owner",
    "goal-owner": "Goal owner",
}


@dataclass
class Parties:
    """person id -> name (None where the result does not know it), and who plays which role (ROLES)."""

    names: dict[str, str | None] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=dict)  # role id -> person ids

    def add(self, person: str, name: str | None, role: str) -> None:
        if self.names.get(person) is None:
            self.names[person] = name
        self.roles.setdefault(role, set()).add(person)

    def metadata(self) -> dict:
        """`roles`, `parties` and `responsible-parties` for a document's metadata (nothing where nobody acts:
        OSCAL forbids empty arrays)."""
        if not self.names:
            return {}
        return {
            "roles": [{"id": role, "title": title} for role, title in ROLES.items() if role in self.roles],
            "parties": [self.party(person) for person in sorted(self.names)],
            "responsible-parties": [{"role-id": role, "party-uuids": [party_uuid(p) for p in sorted(self.roles[role])]}
                                    for role in ROLES if role in self.roles],
        }

    def party(self, person: str) -> dict:
        name = self.names[person]
        out: dict = {"uuid": party_uuid(person), "type": "person"}
        if name and name.strip():
            out["name"] = text(name)
        out["props"] = [prop("person-id", person)]
        return out


def parties(result: RunResult) -> Parties:
    """Everyone the result names as acting on a finding, a waiver, an action item or a goal."""
    out = Parties()
    for w in result.waivers:
        out.add(w.approved_by, w.approved_by_name, "waiver-approver")
        out.add(w.requested_by, w.requested_by_name, "waiver-requester")
    for a in result.actions or []:
        out.add(a.owner, a.owner_name, "action-owner")
    for g in result.strategy.goals if result.strategy else []:
        if g.owner:
            out.add(g.owner, g.owner_name, "goal-owner")
    return out
