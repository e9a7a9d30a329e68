"""Compare a run with an earlier one: which findings are new, which are gone.

A finding is matched by its fingerprint alone, which depends on check and
resource only (findings.fingerprint). Moving an entity to another line or
file therefore leaves its finding `existing`, unlike baselines keyed on
file and line (checkov#7647).

A baseline is a saved result, read and validated as every saved result is
(saved.py).
"""

from __future__ import annotations

from governance.evaluate.saved import ResultFileError
from governance.evaluate.saved import read_result as load_result
from governance.result import RunResult

__all__ = ["ResultFileError", "compare", "load_result"]


def compare(result: RunResult, baseline: RunResult) -> RunResult:
    """Mark each finding new or existing and list the baseline's findings that are gone. A finding of a
    check this run skipped is not gone, only not looked at: it is not listed as resolved."""
    before = {f.fingerprint for f in baseline.findings}
    now = {f.fingerprint for f in result.findings}
    skipped = {s.check for s in result.selection.skipped}
    findings = [f.model_copy(update={"baseline": "existing" if f.fingerprint in before else "new"})
                for f in result.findings]
    resolved = [f.model_copy(update={"baseline": None}) for f in baseline.findings
                if f.fingerprint not in now and f.check not in skipped]
    counts = {"new": sum(1 for f in findings if f.baseline == "new"),
              "existing": sum(1 for f in findings if f.baseline == "existing"), "resolved": len(resolved)}
    summary = result.summary.model_copy(update={"baseline": counts})
    return result.model_copy(update={"findings": findings, "resolved": resolved, "summary": summary})
