"""Evaluate a workspace again and compare the verdict with a recorded one (`govern verify`).

The run is `govern check`'s own (run.run_check) on a managed OPA, at the recorded `as_of`, with
the recorded selection and `fail_on`, so a faithful result is given again finding for finding.
Its verdict is then compared with the record: every finding by check and resource (status,
severity, waiver), every check's status and counts, the verdict digest, and then every other field
of the result (locations, titles, messages, waivers' words, budget shares ...) by its JSON path.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from governance.engine import OPA_VERSION
from governance.evaluate.coherence import named
from governance.evaluate.run import run_check
from governance.evaluate.selection import SkipRefused
from governance.load import WorkspaceErrors
from governance.result import Finding, RunResult, Selection, Summary, Verdict, verdict_digest


def engine_refusal(recorded_version: str) -> list[str]:
    """Why the findings cannot be evaluated again here: the record's OPA is not the one this govern runs."""
    if recorded_version == OPA_VERSION:
        return []
    return [f"OPA version: the result was evaluated on OPA {recorded_version}, this govern evaluates on OPA "
            f"{OPA_VERSION}; findings not re-evaluated (verify with the govern release that runs OPA "
            f"{recorded_version}, or pass --inputs-only to check the inputs alone)"]


def evaluate_again(root: Path, as_of: str, fail_on: str, selection: Selection) -> tuple[RunResult | None, list[str]]:
    """The workspace's result now, as `govern check` would give it with the recorded settings; or None and
    why it could not be had (the workspace no longer loads, the selection cannot be repeated).
    OPA failing is an `EngineError` (exit 3), as for `check`."""
    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError:
        return None, [f"as_of {as_of!r} is not a date: findings not re-evaluated"]
    # the manifest's own skips come back with the manifest; those asked on the command line or in the
    # environment then are asked again, so the checks skipped are the same
    asked = [s.check for s in selection.skipped if set(s.sources) - {"manifest"}]
    try:
        return run_check(root, day, fail_on=fail_on, skip=asked), []
    except WorkspaceErrors as exc:
        return None, [f"re-evaluation: the workspace does not load: {e}" for e in exc.errors]
    except SkipRefused as exc:
        return None, [f"re-evaluation: the recorded selection cannot be repeated: {exc}"]


def _key(f: Finding) -> tuple[str, str, str]:
    return f.check, f.resource.kind, f.resource.id


def findings_differ(recorded: list[Finding], again: list[Finding]) -> list[str]:
    """Each finding missing, added or judged differently, in the recorded order then the new one's."""
    now = {_key(f): f for f in again}
    before = {_key(f): f for f in recorded}
    problems = []
    for f in recorded:
        g = now.get(_key(f))
        if g is None:
            problems.append(f"finding missing on re-evaluation: {named(f)} (recorded {f.status}, {f.severity})")
            continue
        if f.status != g.status:
            problems.append(f"status differs: {named(f)}: recorded {f.status}, re-evaluation {g.status}")
        if f.severity != g.severity:
            problems.append(f"severity differs: {named(f)}: recorded {f.severity}, re-evaluation {g.severity}")
        if f.waiver != g.waiver:
            problems.append(f"waiver differs: {named(f)}: recorded {f.waiver or 'none'}, "
                            f"re-evaluation {g.waiver or 'none'}")
    problems += [f"finding not in the result: {named(g)} (re-evaluation {g.status}, {g.severity})"
                 for g in again if _key(g) not in before]
    return problems


def checks_differ(recorded: RunResult, again: RunResult) -> list[str]:
    """Each check whose status or counts differ, or that only one of the two lists."""
    now = {c.id: c for c in again.checks}
    before = {c.id for c in recorded.checks}
    problems = []
    for c in recorded.checks:
        g = now.get(c.id)
        if g is None:
            problems.append(f"check missing on re-evaluation: {c.id} (recorded {c.status})")
            continue
        for key in ("status", "severity", "evaluated", "failed", "waived"):
            if getattr(c, key) != getattr(g, key):
                problems.append(f"check {c.id} {key} differs: recorded {getattr(c, key)}, re-evaluation {getattr(g, key)}")
    problems += [f"check not in the result: {g.id} (re-evaluation {g.status})" for g in again.checks if g.id not in before]
    return problems


def summary_differs(recorded: Summary | dict, again: Summary) -> list[str]:
    """The counts an evidence manifest records (`outcome`), against the re-evaluation's."""
    before = recorded if isinstance(recorded, dict) else recorded.model_dump()
    now = again.model_dump()
    return [f"summary {key} differs: recorded {before[key]}, re-evaluation {now[key]}"
            for key in ("fail", "waived", "advisories", "by_severity", "checks") if key in before and before[key] != now[key]]


def digest_differs(recorded: Verdict | None, again: RunResult) -> list[str]:
    """The recorded digest against the re-evaluation's, made with the coverage the recorded one has: a result
    saved before the digest covered the committee's sections is compared on what its digest covers."""
    if recorded is None or again.verdict is None:
        return []
    digest = verdict_digest(again, recorded.covers)
    return [] if recorded.digest == digest else [f"verdict digest differs: recorded {recorded.digest}, re-evaluation {digest}"]


SHOWN = 10  # differences named by the field-by-field comparison; the count says how many more
# what a re-evaluation does not reproduce: the run's clock, the git state of the checkout, the digest
# (compared apart), the govern that ran (its library is compared module by module), baseline marks
NOT_REPRODUCED = ("run", "git", "verdict", "tool", "resolved")


def result_differs(recorded: RunResult, again: RunResult) -> list[str]:
    """Every other field of the result against the re-evaluation's (titles, locations, messages, waivers'
    words, budget shares ...), each named by its JSON path: `findings[3].location.line: recorded 12,
    re-evaluation 14`. Findings and checks are paired by check and resource (by id), so a finding moved
    in the list is named once, by findings_differ and checks_differ, which already name what they compare."""
    before, now = _comparable(recorded), _comparable(again)
    if recorded.actions is None:  # saved before results recorded action items: nothing to compare them with
        now.pop("actions", None)
        before.pop("actions", None)
    if "diagnosis" not in recorded.model_fields_set:  # saved before results recorded the diagnosis
        now.pop("diagnosis", None)
        before.pop("diagnosis", None)
    found: list[str] = []
    matched = {_key(f): i for i, f in enumerate(again.findings)}
    for i, f in enumerate(recorded.findings):
        if _key(f) in matched:
            _diff(_trim(before["findings"][i], _JUDGED), _trim(now["findings"][matched[_key(f)]], _JUDGED),
                  f"findings[{i}]", found)
    ids = {c.id: i for i, c in enumerate(again.checks)}
    for i, c in enumerate(recorded.checks):
        if c.id in ids:
            _diff(_trim(before["checks"][i], _COUNTED), _trim(now["checks"][ids[c.id]], _COUNTED), f"checks[{i}]", found)
    for key in list(before) + [k for k in now if k not in before]:
        if key not in ("findings", "checks"):
            _diff(before.get(key, _ABSENT), now.get(key, _ABSENT), key, found)
    if len(found) > SHOWN:
        found = [*found[:SHOWN], f"... and {len(found) - SHOWN} more field(s) differ from the re-evaluation"]
    return found


def manifest_differs(recorded: dict, again: RunResult) -> list[str]:
    """An evidence manifest alone (no result beside it): each field the re-evaluation determines."""
    now = again.model_dump(mode="json")
    made = {"workspace": now["workspace"], "as_of": now["as_of"], "engine": now["engine"], "inputs": now["inputs"],
            "library": now["library"], "selection": _unsourced(now["selection"]),
            "outcome": {"fail_on": now["fail_on"], **_trim(now["summary"], ("baseline",))}}
    before = {k: v for k, v in recorded.items() if k in made}
    if isinstance(before.get("selection"), dict):
        before["selection"] = _unsourced(before["selection"])
    if isinstance(before.get("outcome"), dict):
        before["outcome"] = _trim(before["outcome"], ("baseline",))
    found: list[str] = []
    for key in made:
        _diff(before.get(key, _ABSENT), made[key], key, found)
    return found[:SHOWN] + ([f"... and {len(found) - SHOWN} more field(s) differ from the re-evaluation"]
                            if len(found) > SHOWN else [])


_JUDGED = ("check", "resource", "status", "severity", "waiver", "baseline")  # findings_differ names these
_COUNTED = ("id", "status", "severity", "evaluated", "failed", "waived")  # checks_differ names these
_ABSENT = object()


def _comparable(r: RunResult) -> dict:
    doc = r.model_dump(mode="json")
    for key in NOT_REPRODUCED:
        doc.pop(key, None)
    doc["summary"] = _trim(doc["summary"], ("baseline",))
    doc["selection"] = _unsourced(doc["selection"])
    return doc


def _unsourced(selection: dict) -> dict:
    """Which checks are skipped, not who asked: the re-evaluation asks again on its own command line."""
    return {**selection, "skipped": [_trim(s, ("sources",)) for s in selection.get("skipped", [])]}


def _trim(doc: dict, keys: tuple[str, ...]) -> dict:
    return {k: v for k, v in doc.items() if k not in keys}


def _shown(value: object) -> str:
    if value is _ABSENT:
        return "absent"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _diff(before: object, now: object, at: str, found: list[str]) -> None:
    """Append `at: recorded X, re-evaluation Y` for each leaf that differs, first in document order."""
    if isinstance(before, dict) and isinstance(now, dict):
        for key in list(before) + [k for k in now if k not in before]:
            _diff(before.get(key, _ABSENT), now.get(key, _ABSENT), f"{at}.{key}", found)
    elif isinstance(before, list) and isinstance(now, list):
        for i in range(min(len(before), len(now))):
            _diff(before[i], now[i], f"{at}[{i}]", found)
        if len(before) != len(now):
            found.append(f"{at}: recorded {len(before)} item(s), re-evaluation {len(now)}")
    elif before != now:
        found.append(f"{at}: recorded {_shown(before)}, re-evaluation {_shown(now)}")
