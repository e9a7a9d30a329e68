"""The package's shape: a small public surface per package, and data flowing one way.

Pinned here so that a change to either is a decision, not an accident (as httpx
pins its public API). Reaching into a package's private modules from another
package, or an import against the flow, fails this test.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import governance

ROOT = Path(governance.__file__).parent

# package -> the packages of govern it may import (besides itself). load/ knows nothing of
# the domain (text/ only which characters no reader sees), result/ nothing of how a result is made, report/ only the result.
ALLOWED = {
    "text": set(),  # neutral: which characters no reader sees; every layer may ask it
    "result": {"text"},
    "load": {"text"},
    "library": {"load", "text"},
    "model": {"load", "result", "library", "text"},
    "engine": {"result", "text"},
    "evaluate": {"engine", "load", "model", "result", "library", "__version__", "text"},
    # the history store keeps saved results (read as evaluate/ reads them); report/ draws its answers (history/types.py)
    "history": {"cli", "evaluate", "result", "text"},
    "report": {"history", "result", "text"},
    "cli": {"engine", "evaluate", "history", "load", "model", "report", "result", "library", "entry", "__version__",
            "text"},
    "entry": {"cli", "text"},
    "__main__": {"entry"},
}

SURFACE = {
    "governance.result": {
        "AssessmentRecord", "Band", "BudgetSummary", "CheckSummary", "ControlRecord", "DomainRecord", "Engine", "FAIL_ON",
        "FailOn", "Finding", "FindingLocation", "GoalRecord", "InputFile", "Number", "PhaseBudget", "PilotScope", "Resource",
        "Entity", "GROUP_SCHEMA_VERSION", "GroupFinding", "GroupResult",
        "Run", "RunResult", "SCHEMA_VERSION", "SEVERITIES", "STATUSES", "Selection", "Severity", "SkippedCheck", "Status",
        "StrategySummary", "Summary", "Tool", "WaiverRecord", "advisory", "check_status", "gate",
        "rollup", "severity_rank", "summarize",
        "GitState", "Verdict", "sealed", "verdict_digest",
    },
    "governance.engine": {
        "Annotation", "CheckOutcome", "DataRef", "DEFAULT_SIGNING_ALG", "EngineError", "EngineResult", "Inspection",
        "Malformed", "MalformedCheck", "Module", "OPA_VERSION", "RegoError", "RegoErrors", "SIGNING_ALGS", "SigningKeyError",
        "Violation", "build_bundle", "compiling_ahead", "data_refs", "evaluate", "inspect", "metadata_problem", "policy_revision",
        "sign", "starting_opa", "StoredInput", "storing_input", "VerificationKeyError", "verified_payload",
    },
    "governance.evaluate": {"load", "run_check", "validate"},
    "governance.report": {"DEFAULT_LANG", "FORMATS", "GROUP_FORMATS", "LANGS", "RenderOptions", "Rendered", "Renderer",
                          "evidence", "render", "render_all", "render_group"},
    "governance.load": {"Document", "Location", "RegoSource", "WorkspaceError", "WorkspaceErrors", "discover",
                        "read_document", "read_rego"},
    "governance.model": {"Workspace", "inventory_bytes", "load_workspace", "rego_checks"},
}


def _imports(path: Path) -> set[str]:
    """The govern packages a module imports (first segment after `governance.`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "governance":
            parts = node.module.split(".")
            found |= {parts[1]} if len(parts) > 1 else {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("governance.")}
    return found


def _package_of(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[0].removesuffix(".py")


MODULES = sorted(p for p in ROOT.rglob("*.py") if p.name != "__init__.py" or p.parent != ROOT)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_imports_flow_one_way(path):
    package = _package_of(path)
    assert package in ALLOWED, f"new package {package}: say what it may import in ALLOWED"
    against = _imports(path) - ALLOWED[package] - {package}
    assert not against, f"{path.relative_to(ROOT)} imports {sorted(against)}, against the flow"


@pytest.mark.parametrize("name", sorted(SURFACE))
def test_public_surface_is_pinned(name):
    module = importlib.import_module(name)
    assert set(module.__all__) == SURFACE[name]
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == []


def test_the_result_package_stands_alone():
    """Renderers, `govern report` and tools reading saved results need nothing else of govern."""
    for path in (ROOT / "result").rglob("*.py"):
        assert _imports(path) <= {"result"}, path
