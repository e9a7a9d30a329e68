"""The words every part of govern uses about outcomes, each defined once.

Severities in their order (most severe first), the status a check or
control or domain rolls up to, and the thresholds `fail_on` may name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal, get_args

from pydantic import StrictInt

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)

# the lowest unwaived severity that fails a run, or never
FailOn = Literal["critical", "high", "medium", "low", "info", "never"]
FAIL_ON: tuple[FailOn, ...] = get_args(FailOn)

# skipped: the run's selection left the check out (`--skip`, the manifest's `skip:`)
Status = Literal["pass", "fail", "not_applicable", "skipped"]
STATUSES: tuple[Status, ...] = get_args(Status)

# The dates a governance record can sensibly carry. OPA's time builtins work in
# int64 nanoseconds (1677-09-21 .. 2262-04-11); date rules add offsets of years,
# so both ends keep well inside that. `--as-of` and saved results are held to the same range.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)

# days from one regular committee meeting to the next, where no committee sets its cadence
DEFAULT_CADENCE_DAYS = 30

# money keeps its int-ness, as written in the inventory
Number = StrictInt | float


def rollup(states: Iterable[Status]) -> Status:
    """The status of a group (a control, a domain) from its members': any fail fails;
    otherwise any skipped member leaves it skipped (part of its evidence was not looked at,
    so it must not read as passed); otherwise any pass passes; a group with nothing
    evaluated is not applicable."""
    seen = set(states)
    return next((s for s in _ROLLUP_ORDER if s in seen), "not_applicable")


_ROLLUP_ORDER: tuple[Status, ...] = ("fail", "skipped", "pass")


# How the reports read a check, control or domain: its status, except that one whose unwaived findings
# are all advisories does not fail, it passes with advisories ("advisory"). The JSON keeps the status
# (`fail` = an unwaived finding); every other format judges by the standing.
Standing = Literal["fail", "advisory", "pass", "not_applicable", "skipped"]
STANDINGS: tuple[Standing, ...] = get_args(Standing)


def advises(severity: str, fail_on: str) -> bool:
    """An unwaived finding of `severity` is advice, not a failure: info never fails a run unless the
    run asked for it (`--fail-on info`)."""
    return severity == "info" and fail_on != "info"


def standing(status: Status, severity: str, fail_on: str) -> Standing:
    """One check (all its findings have its severity): failing on advisories alone, it has advisories."""
    return "advisory" if status == "fail" and advises(severity, fail_on) else status


def group_standing(members: Iterable[Standing]) -> Standing:
    """A control or a domain, as `rollup` reads statuses; with no member failing or skipped, a member
    with advisories makes the group pass with advisories."""
    seen = set(members)
    return next((s for s in _STANDING_ORDER if s in seen), "not_applicable")


_STANDING_ORDER: tuple[Standing, ...] = ("fail", "skipped", "advisory", "pass")


def check_status(failed: int, waived: int, evaluated: int) -> Status:
    """One check: failing findings fail it; with nothing evaluated and nothing waived it
    did not apply; otherwise it passed (waived findings do not fail it)."""
    if failed:
        return "fail"
    return "not_applicable" if evaluated == 0 and not waived else "pass"


def severity_rank(severity: str) -> int:
    """0 for critical, growing as severity falls."""
    return SEVERITIES.index(severity)
