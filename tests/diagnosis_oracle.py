"""An independent oracle for the diagnosis checks DIA-001..DIA-008.

Written from the check catalogue's DIA rows and each check's METADATA reading in
checks/diagnosis*.rego — not from the Rego rules — over the plain dicts a test
generated (never govern's models), so that a bug in the Rego, the engine or the
model shows up as a disagreement. The rows it follows, as the product contract
states them (copied here so the tests need nothing outside the repository):

- Every DIA check evaluates nothing (not_applicable) when there is no
  StrategyPolicy or it has no `diagnosis` section. A step is a *hand-off* when it
  is `manual` and lists 2 or more `systems`. "Within N days" means
  as_of - date <= N. "Today" is as_of.
- DIA-001 value_stream: the stream is `core`, and it has no `mapped_at` or
  `mapped_at` is not within `diagnosis.map_interval_days`.
- DIA-002 value_stream: some step lacks `owner`, `inputs`, `outputs` or `minutes`
  (an empty list counts as lacking).
- DIA-003 value_stream: the stream has `mapped_at`, and its `team` lacks one of
  `business`, `technology`, `operations`.
- DIA-004 value_stream: the stream has more hand-offs than
  `diagnosis.max_manual_steps`, and some hand-off step is in no `steps` of a pain
  point of this stream.
- DIA-005 pain_point: the pain point has no `root_causes`.
- DIA-006 root_cause: no project that lists it in `root_causes` is running or yet
  to start (`end` >= today).
- DIA-007 portfolio `benchmark`: no benchmark has `studied_at` within
  `diagnosis.benchmark_interval_days`.
- DIA-008 project: the project is running (start <= today <= end), lists
  `technologies`, and has neither `root_causes` nor `serves`.

Readings the METADATA states and this oracle follows: "within" is the catalogue's
definition as written, so a date after today is within any interval (a map or a
study dated ahead is not stale); a step's `minutes: 0` is given, not lacking; a
list field counts as absent when it is empty. Which resources each check
evaluates: DIA-001 the core streams, DIA-002 every stream, DIA-003 the streams
with `mapped_at`, DIA-004 every stream, DIA-005 every pain point, DIA-006 every
root cause, DIA-007 the one portfolio, DIA-008 the running projects that list
`technologies`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DIA_CHECKS = tuple(f"DIA-{n:03d}" for n in range(1, 9))
FUNCTIONS = ("business", "technology", "operations")  # who must draw a map (handbook §1.1.1 step 1)
STEP_FIELDS = ("owner", "inputs", "outputs", "minutes")  # what a complete map gives every step

Doc = dict[str, Any]
Finding = tuple[str, str, str]  # (check id, resource kind, resource id)


@dataclass(frozen=True)
class Diagnosis:
    """What a generated workspace holds of the diagnosis domain, as plain data."""

    as_of: str
    policy: Doc | None  # the StrategyPolicy document, or None when the workspace has none
    streams: list[Doc]
    pain_points: list[Doc]
    root_causes: list[Doc]
    benchmarks: list[Doc]
    projects: list[Doc]

    @property
    def settings(self) -> Doc | None:
        """The policy's `diagnosis` section, or None when the DIA checks evaluate nothing."""
        return (self.policy or {}).get("diagnosis")


@dataclass(frozen=True)
class Verdict:
    """One check's expected outcome: the resources it evaluates and those it fires for."""

    kind: str
    evaluated: int
    failing: frozenset[str]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def within(date: str, days: int, today: dt.date) -> bool:
    return (today - day(date)).days <= days


def lacks(doc: Doc, field: str) -> bool:
    """Absent, null or an empty list."""
    return doc.get(field) is None or doc.get(field) == []


def hand_offs(stream: Doc) -> list[str]:
    """The ids of the stream's steps that are manual and list 2 or more systems."""
    return [step["id"] for step in stream["steps"] if step.get("manual") and len(step.get("systems") or []) >= 2]


def gaps(step: Doc) -> list[str]:
    """What a step lacks of a complete map."""
    return [field for field in STEP_FIELDS if lacks(step, field)]


def live(project: Doc, today: dt.date) -> bool:
    """Running or yet to start."""
    return day(project["end"]) >= today


def running(project: Doc, today: dt.date) -> bool:
    return day(project["start"]) <= today <= day(project["end"])


# ---------------------------------------------------------------- one function per row


def core_mapped(d: Diagnosis) -> Verdict:
    interval, today = d.settings["map_interval_days"], day(d.as_of)  # type: ignore[index]
    core = [v for v in d.streams if v.get("core")]
    return Verdict("value_stream", len(core), frozenset(
        v["id"] for v in core if not v.get("mapped_at") or not within(v["mapped_at"], interval, today)))


def map_complete(d: Diagnosis) -> Verdict:
    return Verdict("value_stream", len(d.streams), frozenset(
        v["id"] for v in d.streams if any(gaps(step) for step in v["steps"])))


def drawn_by_three(d: Diagnosis) -> Verdict:
    mapped = [v for v in d.streams if v.get("mapped_at")]
    return Verdict("value_stream", len(mapped), frozenset(
        v["id"] for v in mapped if any(not (v.get("team") or {}).get(f) for f in FUNCTIONS)))


def hand_offs_named(d: Diagnosis) -> Verdict:
    limit = d.settings["max_manual_steps"]  # type: ignore[index]

    def unnamed(stream: Doc) -> bool:
        named = {step for p in d.pain_points if p["value_stream"] == stream["id"] for step in p.get("steps") or []}
        found = hand_offs(stream)
        return len(found) > limit and any(step not in named for step in found)

    return Verdict("value_stream", len(d.streams), frozenset(v["id"] for v in d.streams if unnamed(v)))


def rooted(d: Diagnosis) -> Verdict:
    return Verdict("pain_point", len(d.pain_points), frozenset(
        p["id"] for p in d.pain_points if lacks(p, "root_causes")))


def removed(d: Diagnosis) -> Verdict:
    today = day(d.as_of)
    removing = {rc for p in d.projects if live(p, today) for rc in p.get("root_causes") or []}
    return Verdict("root_cause", len(d.root_causes), frozenset(
        r["id"] for r in d.root_causes if r["id"] not in removing))


def benchmarked(d: Diagnosis) -> Verdict:
    interval, today = d.settings["benchmark_interval_days"], day(d.as_of)  # type: ignore[index]
    recent = any(within(b["studied_at"], interval, today) for b in d.benchmarks)
    return Verdict("portfolio", 1, frozenset(set() if recent else {"benchmark"}))


def technology_with_purpose(d: Diagnosis) -> Verdict:
    today = day(d.as_of)
    judged = [p for p in d.projects if running(p, today) and not lacks(p, "technologies")]
    return Verdict("project", len(judged), frozenset(
        p["id"] for p in judged if lacks(p, "root_causes") and lacks(p, "serves")))


ROWS: dict[str, Callable[[Diagnosis], Verdict]] = {
    "DIA-001": core_mapped,
    "DIA-002": map_complete,
    "DIA-003": drawn_by_three,
    "DIA-004": hand_offs_named,
    "DIA-005": rooted,
    "DIA-006": removed,
    "DIA-007": benchmarked,
    "DIA-008": technology_with_purpose,
}


def expected(d: Diagnosis) -> tuple[set[Finding], dict[str, int]]:
    """The DIA findings and each DIA check's evaluated count the catalogue calls for."""
    if d.settings is None:  # no StrategyPolicy, or no diagnosis section: every DIA check evaluates nothing
        return set(), dict.fromkeys(DIA_CHECKS, 0)
    verdicts = {check: row(d) for check, row in ROWS.items()}
    findings = {(check, v.kind, rid) for check, v in verdicts.items() for rid in v.failing}
    return findings, {check: v.evaluated for check, v in verdicts.items()}
