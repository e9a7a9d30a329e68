"""Compare a run with an earlier one: which findings are new, which are gone.

A finding is matched by its fingerprint alone, which depends on check and
resource only (findings.fingerprint). Moving an entity to another line or
file therefore leaves its finding `existing`, unlike baselines keyed on
file and line (checkov#7647).

Also reads saved JSON results in general (`govern report` re-renders them):
such a file is user input, so every problem is a `ResultFileError` naming it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from governance.evaluate.saved import ResultFileError, read_json
from governance.result import SCHEMA_VERSION, RunResult

__all__ = ["ResultFileError", "compare", "load_result"]

HINT = "expected the output of `govern check --format json`"


def load_result(path: Path | str, raw: bytes | None = None) -> RunResult:
    """`raw`: the file's bytes, when the caller read them already (to hash what it read)."""
    path = Path(path)
    doc = read_json(path, f"a govern JSON result ({HINT})", raw)
    if not isinstance(doc, dict) or "findings" not in doc or "schema_version" not in doc:
        raise ResultFileError(f"{path}:1:1: not a govern JSON result: no `schema_version` and `findings` ({HINT})")
    if not isinstance(doc["schema_version"], int) or doc["schema_version"] > SCHEMA_VERSION:
        raise ResultFileError(f"{path}:1:1: result schema_version {doc['schema_version']!r} is not supported "
                              f"(this govern reads up to {SCHEMA_VERSION}); re-run the newer govern or upgrade")
    try:
        return RunResult.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ResultFileError(f"{path}:1:1: not a govern JSON result: {where}: {first['msg']}{more} ({HINT})") from None


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
