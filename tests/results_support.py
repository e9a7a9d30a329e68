"""A saved result edited by a test and made to agree with itself again, as a careful forger (or a test
that needs a valid variant) would: counts, statuses, summary and verdict digest recomputed with govern's
own functions."""

from __future__ import annotations

import json
from collections import Counter

from governance.result import RunResult, check_status, rollup, sealed, summarize


def resealed(doc: dict) -> dict:
    """`doc` with its checks, controls, waivers, summary and verdict digest recomputed from its findings."""
    r = RunResult.model_validate(doc)
    failed = Counter(f.check for f in r.findings if f.status == "fail")
    waived = Counter(f.check for f in r.findings if f.status == "waived")
    checks = [c if c.status == "skipped" else c.model_copy(update={
        "failed": failed[c.id], "waived": waived[c.id],
        "status": check_status(failed[c.id], waived[c.id], c.evaluated)}) for c in r.checks]
    status = {c.id: c.status for c in checks}
    controls = [c.model_copy(update={"status": rollup(status[k] for k in c.checks)}) for c in r.controls]
    applied = Counter(f.waiver for f in r.findings if f.status == "waived")
    waivers = [w.model_copy(update={"applied": applied[w.id]}) for w in r.waivers]
    r = r.model_copy(update={"checks": checks, "controls": controls, "waivers": waivers})
    r = r.model_copy(update={"summary": summarize(r.findings, r.checks, r.fail_on)})
    return json.loads(sealed(r).to_json())
