"""What a run's result alone says about it, computed once when it is recorded (a trend reads these,
never the findings): unwaived findings above info and per severity, advisories, waived, per domain,
and controls satisfied."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from governance.result import SEVERITIES, RunResult, check_standings, control_standing


def counted(result: RunResult) -> dict[str, Any]:
    """The columns of the run's row in `runs` that come from its result (one pass over its findings: a run may
    hold 100,000)."""
    standings = check_standings(result.checks, result.fail_on)
    domain = {c.id: c.domain for c in result.checks}
    by_severity = dict.fromkeys(SEVERITIES, 0)
    by_domain: Counter[str] = Counter()
    waived = 0
    for f in result.findings:
        if f.status == "waived":
            waived += 1
            continue
        by_severity[f.severity] += 1
        if f.severity != "info":
            by_domain[domain.get(f.check, "")] += 1
    return {
        "unwaived": sum(by_severity.values()) - by_severity["info"],
        "advisories": by_severity["info"],
        "waived": waived,
        "by_severity": json.dumps(by_severity),
        "by_domain": json.dumps(dict(sorted(by_domain.items()))),
        # as the run's own reports read it: a control passing with advisories is satisfied
        "controls_satisfied": sum(control_standing(c, standings) in ("pass", "advisory") for c in result.controls),
        "controls_total": len(result.controls),
    }
