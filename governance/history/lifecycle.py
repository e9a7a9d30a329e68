"""A finding's lifecycle, one run at a time: what changed between an entity's run and the one before it.

A finding (entity, fingerprint) is open from the first run that reports it (fail or waived), resolved by a
later run that no longer reports it, and regressed when a run reports it again after that. A change of
status between two runs that both report it is an event too (waived, unwaived). The store applies `step`
to an entity's runs in their order, so recording in any order gives the same events.
"""

from __future__ import annotations

from typing import NamedTuple

Statuses = dict[str, str]  # fingerprint -> fail or waived, as one run reports them


class Event(NamedTuple):  # a tuple: a run that resolves tens of thousands of findings makes one each
    fingerprint: str
    kind: str  # resolved, regressed, waived, unwaived (a finding's `new` is no event: Step.new counts them)
    status: str  # the finding's status from this run on (for resolved: the one it had)


class Step(NamedTuple):
    """What a run changed: the events written, and how many of its findings are new (a finding's `new` is its
    first run, read from there: no event is made for it, an entity's first run of 50,000 findings makes none)."""
    events: list[Event]  # resolved, regressed, waived, unwaived
    new: int


def step(before: Statuses, seen: set[str], now: Statuses) -> Step:
    """The events of a run reporting `now`, after a run reporting `before`; `seen`: every fingerprint any
    earlier run of the entity reported (a finding never seen is new, one seen but not reported just before
    has regressed; only fingerprints `before` lacks are looked up in it)."""
    if not before and not seen:  # the entity's first run: every finding is new, nothing else happened
        return Step([], len(now))
    # one loop with a lookup each: set differences of the two runs' (fingerprint, status) pairs were measured
    # slower (a set of 50,000 new tuples to build and hash), benchmarks/README.md "Recording, round 3"
    found: list[Event] = []
    new = 0
    for fingerprint, status in now.items():
        was = before.get(fingerprint)
        if was is None:
            if fingerprint in seen:
                found.append(Event(fingerprint, "regressed", status))
            else:
                new += 1
        elif was != status:
            found.append(Event(fingerprint, "waived" if status == "waived" else "unwaived", status))
    found.extend(Event(f, "resolved", s) for f, s in before.items() if f not in now)
    return Step(found, new)


def tally(changed: Step) -> dict[str, int]:
    """A run's `new`, `resolved` and `regressed` counts."""
    counted = {"new": changed.new, "resolved": 0, "regressed": 0}
    for e in changed.events:
        if e.kind in counted:
            counted[e.kind] += 1
    return counted
