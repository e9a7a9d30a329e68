"""A finding's lifecycle, one run at a time: what changed between an entity's run and the one before it.

A finding (entity, fingerprint) is open from the first run that reports it (fail or waived), resolved by a
later run that no longer reports it, and regressed when a run reports it again after that. A change of
status between two runs that both report it is an event too (waived, unwaived). The store applies `step`
to an entity's runs in their order, so recording in any order gives the same events.
"""

from __future__ import annotations

from typing import NamedTuple

Statuses = dict[str, str]  # fingerprint -> fail or waived, as one run reports them


class Event(NamedTuple):  # a tuple: an entity's first run makes one per finding
    fingerprint: str
    kind: str  # new, resolved, regressed, waived, unwaived
    status: str  # the finding's status from this run on (for resolved: the one it had)


def step(before: Statuses, seen: set[str], now: Statuses) -> list[Event]:
    """The events of a run reporting `now`, after a run reporting `before`; `seen`: every fingerprint any
    earlier run of the entity reported (a finding never seen is new, one seen but not reported just before
    has regressed; only fingerprints `before` lacks are looked up in it)."""
    # one loop with a lookup each: set differences of the two runs' (fingerprint, status) pairs were measured
    # slower (a set of 50,000 new tuples to build and hash), benchmarks/README.md "Recording, round 3"
    found: list[Event] = []
    for fingerprint, status in now.items():
        was = before.get(fingerprint)
        if was is None:
            found.append(Event(fingerprint, "regressed" if fingerprint in seen else "new", status))
        elif was != status:
            found.append(Event(fingerprint, "waived" if status == "waived" else "unwaived", status))
    found.extend(Event(f, "resolved", s) for f, s in before.items() if f not in now)
    return found


def tally(found: list[Event]) -> dict[str, int]:
    """A run's `new`, `resolved` and `regressed` counts from its events."""
    return {kind: sum(e.kind == kind for e in found) for kind in ("new", "resolved", "regressed")}
