"""Which checks a run reports: every check the policy declares, less those skipped.

A check is skipped by `--skip ID` (or GOVERN_CHECK_SKIP) and by the manifest's
`skip:` list; the two add up, and the result records who asked for each. A
skipped check is still compiled and evaluated by OPA (a broken check still
fails the run, and the report stays complete), but nothing of its outcome is
reported or gates the run: it appears with status `skipped` and no findings.

A check that decides whether waivers are valid (`invalidates_waiver`) cannot be
skipped: leaving it out would apply the waivers it rejects, and a run could
then pass because of a skip.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from typing import Literal

from governance.evaluate.policy import Policy
from governance.load import WorkspaceError, WorkspaceErrors
from governance.model import MANIFEST, Workspace
from governance.result import Selection, SkippedCheck

Source = Literal["cli", "env"]  # where the command's own list came from (the manifest's is "manifest")


class SkipRefused(ValueError):
    """An id given to --skip that names no check of this run, or one that cannot be skipped."""


def check_manifest(ws: Workspace, policy: Policy) -> None:
    """The manifest's `skip:` names checks of this policy that may be skipped (exit 2 at the entry)."""
    doc = next(d for d in ws.documents if d.rel == MANIFEST)
    errors = [WorkspaceError(doc.sources.locate(("skip", i)), f"skip: {why}")
              for i, cid in enumerate(ws.manifest.skip) if (why := refusal(cid, policy))]
    if errors:
        raise WorkspaceErrors(errors)


def select(ws: Workspace, policy: Policy, requested: Sequence[str], source: Source) -> Selection:
    """The run's selection: the manifest's skips (already checked) and `requested` ones from `source`."""
    refused = [why for cid in dict.fromkeys(requested) if (why := refusal(cid, policy))]
    if refused:
        raise SkipRefused("; ".join(refused))
    sources: dict[str, set[Literal["cli", "env", "manifest"]]] = defaultdict(set)
    for cid in requested:
        sources[cid].add(source)
    for cid in ws.manifest.skip:
        sources[cid].add("manifest")
    return Selection(skipped=[SkippedCheck(check=cid, sources=sorted(how)) for cid, how in sorted(sources.items())])


def refusal(cid: str, policy: Policy) -> str | None:
    """Why `cid` cannot be skipped, or None."""
    declared = policy.checks.get(cid)
    if declared is None:
        close = difflib.get_close_matches(cid, sorted(policy.checks), n=3)
        return f"unknown check id {cid!r}" + (f" (did you mean {', '.join(close)}?)" if close else "")
    if declared.invalidates_waiver:
        return (f"{cid} decides which waivers are valid and cannot be skipped "
                "(skipping it would apply the waivers it rejects)")
    return None
