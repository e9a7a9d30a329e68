"""What a run's reports show of its past, read from a history store (docs/history.md, "Reports that know
their past"): the run it is compared with, and the trend section of the HTML and Markdown reports.

`check` and `report` call these with an open store; the renderers then read only the `ReportHistory`
they are given, never the store.

- The run a result is compared with ("since the last review") is the entity's latest recorded run
  before it, by as_of then start time (`Store.previous_run`), read back from the bytes the store keeps
  and validated as every saved result is. The comparison names it: its as_of and digest, in the
  summary's `baseline` counts, where a `--baseline` file's are named too.
- The trend is the entity's recorded runs up to this one's as_of. The run being reported counts from
  its own result when the store does not hold it yet (`check --record` records only once the reports
  are written): a chart of a committee's report ends on the day it reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from governance.evaluate import ResultFileError, agenda, compare, read_result
from governance.history.counts import counted
from governance.history.errors import StoreInputError, StoreUnavailable
from governance.history.types import OpenFinding, RecordedRun, ResolveTimes, TrendPoint
from governance.result import AgendaPoint, RunResult

if TYPE_CHECKING:
    from governance.history.store import Store

OLDEST_SHOWN = 10  # open findings a report lists, oldest first
OPEN_ASKED = 1000  # open findings asked of the store, of which those this run still reports are kept


@dataclass(frozen=True)
class ReportHistory:
    """The trend section of one run's report: the entity's runs up to it (this one last among its day's),
    its oldest open findings, and the time to resolve at its as_of."""

    entity: str
    as_of: str
    points: list[TrendPoint]
    oldest_open: list[OpenFinding]
    resolve_times: ResolveTimes
    # the entity's latest earlier run, when the run was compared with none because every earlier run's bytes
    # were archived (a prune): the report says so rather than show no comparison without a word
    archived_previous: RecordedRun | None = None


def digest_of(data: bytes) -> str:
    """How a run is named, in the store and in reports: the sha256 of its result file's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def compared(result: RunResult, previous: RunResult, digest: str, source: str) -> RunResult:
    """`result` compared with `previous` (`evaluate/baseline.compare`), the comparison naming the run it
    compared with: its as_of, its digest, and where it came from (`history`: the store; `file`: --baseline)."""
    marked = compare(result, previous)
    counts = dict((marked.summary.model_extra or {}).get("baseline") or {})
    counts.update({"as_of": previous.as_of, "digest": digest, "source": source})
    return marked.model_copy(update={"summary": marked.summary.model_copy(update={"baseline": counts})})


def compared_with_previous(store: Store, result: RunResult) -> RunResult:
    """`result` compared with its entity's latest recorded run before it whose result the store still keeps
    (a prune archives older runs' bytes: the comparison, named by its digest, is then with the latest kept
    one, never a failed check); unchanged when there is none."""
    started = result.run.started_at if result.run else None
    before = store.previous_run(result.workspace, result.as_of, started, whole=True)
    if before is None:
        return result
    return compared(result, recorded_result(store, before.digest), before.digest, "history")


def recorded_result(store: Store, digest: str) -> RunResult:
    """A recorded run's result, read back from the bytes the store keeps and validated as any saved result."""
    data = store.result_bytes(digest)
    try:
        return read_result(f"history:{digest}", data)
    except ResultFileError as exc:  # the store validated it when it recorded it: its bytes are not what it kept
        raise StoreUnavailable(f"the run {digest} in the history store no longer reads as a result: {exc}") from None


def report_history(store: Store, result: RunResult, digest: str | None) -> ReportHistory:
    """The trend section of `result`'s reports (`digest`: its bytes', when it has been or will be recorded)."""
    entity, as_of = result.workspace, result.as_of
    points = [p for p in store.trend([entity], until=as_of).points if p.digest != digest]
    points = sorted([*points, current_point(result, digest or "")], key=lambda p: (p.as_of, p.started or ""))
    now = {f.fingerprint for f in result.findings}
    # the store's open findings as of its latest run on that day; those this run no longer reports are not open
    oldest = [f for f in store.oldest_open(entity, as_of, OPEN_ASKED)
              if f.fingerprint in now][:OLDEST_SHOWN]
    return ReportHistory(entity=entity, as_of=as_of, points=points, oldest_open=oldest,
                         resolve_times=store.resolve_times([entity], as_of), archived_previous=_archived(store, result))


def _archived(store: Store, result: RunResult) -> RecordedRun | None:
    """The entity's latest run before `result` when `result` was compared with no run (compared_with_previous
    found none whose bytes the store keeps) though the store records earlier ones: all of them archived."""
    if result.resolved is not None:  # compared (with a recorded run, or a --baseline file)
        return None
    return store.previous_run(result.workspace, result.as_of, result.run.started_at if result.run else None)


def current_point(result: RunResult, digest: str) -> TrendPoint:
    """The counts of the run being reported, as the store computes them when it records it (`counted`);
    new, resolved and regressed are the store's to say, 0 here (the charts do not show them)."""
    counts = counted(result)
    return TrendPoint(entity=result.workspace, as_of=result.as_of, digest=digest,
                      started=result.run.started_at if result.run else None, unwaived=counts["unwaived"],
                      advisories=counts["advisories"], waived=counts["waived"],
                      by_severity=json.loads(counts["by_severity"]), new=0, resolved=0, regressed=0,
                      by_domain=json.loads(counts["by_domain"]), controls_satisfied=counts["controls_satisfied"],
                      controls_total=counts["controls_total"])


def before_meeting(store: Store, result: RunResult, last_meeting: str | None) -> Meeting:
    """What a meeting pack (`govern agenda`) reads of the store, for `result` (the run at the meeting's date):

    - the run it is compared with: the entity's last recorded run on or before the committee's last meeting
      (`last_meeting`), so the pack says what changed since then however often runs are recorded; without
      a recorded meeting, its last run before the meeting's date. Only a run whose bytes the store keeps.
    - `result` compared with it, and the day each change was first recorded between the two (the finding's
      event in the store; one the store has not seen yet, the meeting's date);
    - the entity's recorded runs up to the meeting, for the trend."""
    points = [AgendaPoint(as_of=p.as_of, unwaived=p.unwaived, waived=p.waived)
              for p in store.trend([result.workspace], until=result.as_of).points]
    until = (dt.date.fromisoformat(last_meeting) + dt.timedelta(days=1)).isoformat() if last_meeting else result.as_of
    before = store.previous_run(result.workspace, min(until, result.as_of), None, whole=True)
    if before is None:
        return Meeting(result, None, points, {})
    earlier = recorded_result(store, before.digest)
    now = compared(result, earlier, before.digest, "history")
    return Meeting(now, agenda.Earlier(earlier, before.digest, "history"), points, _dated(store, now, before.as_of))


@dataclass(frozen=True)
class Meeting:
    """`before_meeting`'s answer."""

    result: RunResult
    earlier: agenda.Earlier | None
    trend: list[AgendaPoint]
    dates: dict[str, str]  # fingerprint of a change -> the as_of it was first recorded


_CHANGED = {"new": ("new", "regressed"), "resolved": ("resolved",)}


def _dated(store: Store, result: RunResult, since: str) -> dict[str, str]:
    """The as_of of the latest event that made each change (after `since`, up to the meeting), by fingerprint."""
    changed = [(f.fingerprint, "new") for f in result.findings if f.baseline == "new"]
    changed += [(f.fingerprint, "resolved") for f in result.resolved or []]
    dates = {}
    for fingerprint, change in changed:
        try:
            events = store.finding(fingerprint, result.workspace).events
        except StoreInputError:  # reported by no recorded run: first seen in the meeting's own run
            events = []
        seen = [e.as_of for e in events if e.kind in _CHANGED[change] and since < e.as_of <= result.as_of]
        dates[fingerprint] = max(seen) if seen else result.as_of
    return dates
