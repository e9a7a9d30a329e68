"""What a run's result alone says about it, computed once when it is recorded (a trend reads these,
never the findings): unwaived findings above info and per severity, advisories, waived, per domain,
and controls satisfied."""

from __future__ import annotations

import json
from typing import Any

from governance.result import RunResult
from governance.result.vocabulary import SEVERITIES


def counted(result: RunResult) -> dict[str, Any]:
    """The columns of the run's row in `runs` that come from its result."""
    unwaived = [f for f in result.findings if f.status == "fail"]
    domain = {c.id: c.domain for c in result.checks}
    by_domain: dict[str, int] = {}
    for f in unwaived:
        if f.severity != "info":
            key = domain.get(f.check, "")
            by_domain[key] = by_domain.get(key, 0) + 1
    return {
        "unwaived": sum(f.severity != "info" for f in unwaived),
        "advisories": sum(f.severity == "info" for f in unwaived),
        "waived": sum(f.status == "waived" for f in result.findings),
        "by_severity": json.dumps({s: sum(f.severity == s for f in unwaived) for s in SEVERITIES}),
        "by_domain": json.dumps(dict(sorted(by_domain.items()))),
        "controls_satisfied": sum(c.status == "pass" for c in result.controls),
        "controls_total": len(result.controls),
    }
