"""Does a result agree with itself? (the first part of `govern verify`, no OPA needed)

A result edited after its run, by hand or by a tool, has to be edited everywhere at once to
look whole: every finding, each check's counts and status, the summary, and the digest of the
verdict. Reading a saved result already holds it to all but the last (coherence.py in the
evaluation, exit 2 at file:line:col); verify adds what only it looks at, each finding listed once
and the verdict digest, in words an auditor reads.
"""

from __future__ import annotations

from collections import Counter

from governance.result.types import Finding, RunResult
from governance.result.verdict import verdict_digest


def named(f: Finding) -> str:
    """A finding as verify names it: PLC-001 system/sys-payment-center."""
    return f"{f.check} {f.resource.kind}/{f.resource.id}"


def listed_once(result: RunResult) -> list[str]:
    """Each finding is listed once. Everything else a result must agree with itself on is held when it is
    read (governance/evaluate/saved.py, coherence.py): a result that contradicts itself is refused there,
    at its file:line:col, before verify compares anything."""
    twice = [key for key, n in Counter((f.check, f.resource.kind, f.resource.id) for f in result.findings).items() if n > 1]
    return [f"finding listed more than once: {c} {k}/{i}" for c, k, i in twice]


def digest_agrees(result: RunResult) -> list[str]:
    """The verdict digest is the digest of what the result concludes."""
    if result.verdict is None:
        return []  # a result from before govern recorded one: the other parts still hold it to itself
    digest = verdict_digest(result)
    if result.verdict.digest != digest:
        return [f"verdict digest: recorded {result.verdict.digest}, the result's findings, checks and summary "
                f"give {digest}"]
    return []


CONSISTENCY = (listed_once, digest_agrees)


def contradictions(result: RunResult) -> list[str]:
    """Every way `result` disagrees with itself; empty when it is whole."""
    return [line for agree in CONSISTENCY for line in agree(result)]
