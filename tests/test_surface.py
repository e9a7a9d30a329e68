"""The package's shape: a small public surface per package, and data flowing one way.

Pinned here so that a change to either is a decision, not an accident (as httpx
pins its public API). Reaching past a package's face (its `__init__` and the names
in its `__all__`) from another package, an import against the flow, or an import
circle fails this test.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
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
    # the product's words (zh, en) and the handbook's defaults, read from the library's checks/vocabulary.json
    "vocabulary": {"library", "result"},
    # the frameworks a control cites: their keys, how a clause is written, how a citation reads (in the vocabulary's words)
    "frameworks": {"result", "vocabulary"},
    "model": {"load", "result", "library", "text", "vocabulary", "frameworks"},
    "engine": {"result", "text", "vocabulary"},  # OPA gets the vocabulary as data, under the policy revision
    "evaluate": {"engine", "load", "model", "result", "library", "__version__", "text", "vocabulary", "frameworks"},
    # the history store keeps saved results (read as evaluate/ reads them, with load's collector pause); report/ draws
    # its answers (history/types.py)
    "history": {"evaluate", "load", "result", "text"},
    "report": {"history", "result", "text", "vocabulary", "frameworks"},
    "cli": {"engine", "evaluate", "history", "load", "model", "report", "result", "library", "entry", "bug", "__version__",
            "text", "vocabulary", "frameworks"},
    "bug": {"text"},  # neutral: how a failure nobody expected is told; the entry point and the CLI's guard ask it
    "entry": {"cli", "bug", "text"},
    "__main__": {"entry"},
}

SURFACE = {
    "governance.result": {"AssessmentRecord", "BESIDE", "Band", "BudgetSummary", "COMMIT", "CheckSummary", "ControlRecord",
        "DomainRecord", "EARLIEST", "EVIDENCE_KIND", "Engine", "Entity", "FAIL_ON", "FailOn", "Finding", "FindingLocation",
        "GROUP_SCHEMA_VERSION", "GitState", "GoalProgress", "GoalRecord", "GroupFinding", "GroupResult", "InputFile", "LATEST",
        "LineSpend", "Manifest",
        "Number", "PhaseBudget", "PilotScope", "ProjectBurn", "Resource", "Run", "RunResult", "SCHEMA_VERSION", "SEVERITIES",
        "STATUSES",
        "Selection", "Severity", "SkippedCheck", "Status", "StrategySummary", "Summary", "Tool", "Verdict", "WaiverRecord",
        "BenchmarkRecord", "DiagnosisSummary", "PainPointRecord", "ProjectLink", "RootCauseRecord", "StepRecord",
        "ValueStreamRecord",
        "advisory", "check_status", "gate", "leftovers", "rollup", "sealed", "severity_rank", "summarize", "temporary_name",
        "verdict_digest",
        "PACK", "PACK_RESULT",  # what an audit pack's writer and `govern verify` agree on
        # how reports read what fails (advisories apart), and the committee's meeting cadence
        "DEFAULT_CADENCE_DAYS", "STANDINGS", "Standing", "check_standings", "control_standing", "group_standing", "tally",
        # the committee's meeting pack (govern agenda)
        "AGENDA_KIND", "Agenda", "AgendaChange", "AgendaCounts", "AgendaGroup", "AgendaItem", "AgendaPoint",
        "AgendaWindow", "ActionItem", "ActionRecord", "Addressed", "AgendaGoal", "PreviousRun", "AgendaReading",
        # govern controls: the catalogue and one framework's view of it
        "CONTROLS_KIND", "Citation", "ControlsView", "Coverage", "FRAMEWORK_KIND", "FrameworkView",
        "REQUIREMENT_STATUSES", "Requirement", "RequirementStatus", "ViewCheck", "ViewControl", "coverage",
        "requirement_status"},
    "governance.engine": {"Ahead", "Annotation", "CheckOutcome", "DEFAULT_SIGNING_ALG", "DataRef", "ERROR", "EngineError",
        "EngineOptions", "EngineResult", "FAILED", "FileCoverage", "Inspection", "MEMORY_FORMAT", "Malformed",
        "MalformedCheck", "ManagedOpa", "Module", "OPA_VERSION", "PASSED", "RegoError", "RegoErrors", "SIGNED_FILE",
        "SIGNING_ALGS", "SigningKeyError", "StoredInput", "UnitTest", "VerificationKeyError", "Violation", "build_bundle",
        "canonical_json", "compiling_ahead", "data_refs", "die_with_parent", "evaluate", "find_opa", "inspect",
        "metadata_problem", "parse_memory", "policy_revision", "run_tests", "sign", "starting_opa", "storing_input",
        "url_problem", "verification_key", "verified_payload"},
    "governance.evaluate": {"agenda", "DeclaredCheck", "Domain", "OUTCOMES", "Recorded", "ResultFileError", "SkipRefused",
        "UnitTestReport", "aggregate", "can_sign", "check_signature", "compare", "compile_policy", "differences", "load",
        "read_bytes", "read_result", "record_for", "result_refused", "run_check", "run_unit_tests", "signed", "validate",
        "controls_view", "evaluated"},
    "governance.report": {"AGENDA_FORMATS", "render_agenda",  # the committee's meeting pack (govern agenda)
        "CONTROLS_FORMATS", "render_controls",  # the control catalogue and a framework's view (govern controls)
        "DEFAULT_LANG", "FORMATS", "GROUP_FORMATS", "LANGS", "RenderOptions", "Rendered", "Renderer",
        "evidence", "json_document", "markdown_cell", "markdown_code", "markdown_text", "render", "render_all",
        "render_group", "visible", "FINDING_FORMATS", "TREND_FORMATS", "render_finding", "render_trend", "shows_trend",
        # the audit pack (`--format audit=DIR`), and the seal (signature) every evidence manifest rendered gets
        "AUDIT_FORMAT", "Seal", "audit_listing", "audit_members", "is_audit_pack", "reproduced"},
    "governance.load": {"CHECK_ID", "Document", "Location", "MAX_ID_CHARS", "MAX_NAME_CHARS", "MISSING", "PathProblem",
        "Path_", "RegoSource", "SUFFIXES", "SourceMap", "WorkspaceError", "WorkspaceErrors", "collector_paused", "discover",
        "id_problem", "is_check", "json_positions", "json_values", "problems_in", "read_document", "read_rego", "relative",
        "resolve"},
    "governance.model": {"Action", "BudgetPolicy", "cadence", "Control", "DEFAULT_DIMENSIONS", "DEFINITIONS", "DEFAULT_TIERS",
        "check_pending_references", "Goal", "MANIFEST",
        "MaturityAssessment", "OnKind", "Person", "Phase", "Project",
        "Decision", "Spend", "StrategyPolicy", "Workspace", "assemble_input",
        "Benchmark", "PainPoint", "RootCause", "Step", "ValueStream",  # the diagnosis (handbook §1.1)
        "inventory_bytes", "kinds_taken_by", "load_workspace", "read_places", "rego_checks", "schema_files"},
    "governance.vocabulary": {"CATEGORIES", "DEFAULT_LANG", "LANGS", "Messages", "default_dimensions", "default_tiers",
        "document", "glossary", "localized", "messages", "names", "vocabulary"},
    "governance.frameworks": {"FRAMEWORKS", "MAX_CLAUSES", "Citation", "Framework", "citations", "clause_order", "display",
        "known", "normalise", "problems", "title", "framework_view", "recorded_view"},
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


# ---------------------------------------------------------------- faces: another package is reached through its face only

PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/__init__.py"))


def _executed(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of `tree` that runs, so not the body of an `if TYPE_CHECKING:` (annotations only, never imported)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            yield from (n for child in node.orelse for n in [child, *_executed(child)])
            continue
        yield node
        yield from _executed(node)


def _reaches(path: Path) -> list[str]:
    """Each import of another package's insides by the module at `path`, as `module:name` (full dotted paths)."""
    own = _package_of(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bound: dict[str, str] = {}  # a local name bound to a package's face -> that package
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names
                      if a.name.startswith("governance.") and a.name.split(".")[1] != own]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("governance"):
            parts = node.module.split(".")
            for alias in node.names:
                dotted = ".".join([*parts, alias.name])
                package = parts[1] if len(parts) > 1 else alias.name
                if package == own or package not in PACKAGES:
                    continue
                if len(parts) == 1:  # `from governance import engine`: its attributes are checked below
                    bound[alias.asname or alias.name] = package
                elif len(parts) > 2 or alias.name not in _face(package):
                    found.append(dotted)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound:
            if node.attr not in _face(bound[node.value.id]):
                found.append(f"governance.{bound[node.value.id]}.{node.attr}")
    return found


def _face(package: str) -> set[str]:
    return set(importlib.import_module(f"governance.{package}").__all__)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_another_package_is_reached_through_its_face(path):
    """`from governance.model.build import OnKind` in evaluate/ reaches past model's face: the full dotted
    path is checked, never only its first segment, and a name must be in the package's `__all__`."""
    assert _reaches(path) == [], f"{path.relative_to(ROOT)} imports another package's insides"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, modules: set[str]) -> set[str]:
    """The govern modules the module at `path` imports when it runs (at its top or in a function). A package
    a submodule is imported from (`from governance.engine import signing`) is not counted: Python imports
    it first whoever asks, so it is part of no circle of the importer's making."""
    found = set()
    for node in _executed(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in modules:
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                      for a in node.names}
    return found


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while (top := stack.pop()) != module:
                component.append(top)
            if component:
                circles.append(sorted([module, *component]))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return circles


def test_no_module_imports_itself_through_a_circle():
    """A circle makes what a module sees depend on which module was imported first (cli/_common.py
    importing entry.py, which imports the CLI). Imports for annotations only (`if TYPE_CHECKING:`) never run."""
    paths = {_module_name(p): p for p in ROOT.rglob("*.py")}
    graph = {name: _imported(path, set(paths)) - {name} for name, path in paths.items()}
    assert _circles(graph) == []


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_face_only_re_exports(package):
    """A package's __init__ names what the package offers and does nothing else: logic in it (the engine's whole
    protocol once) is found by nobody looking for it in a module of its own."""
    tree = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
    body = tree.body[1:] if tree.body and isinstance(tree.body[0], ast.Expr) else tree.body  # the docstring
    others = [ast.unparse(node).splitlines()[0] for node in body
              if not isinstance(node, ast.Import | ast.ImportFrom)
              and not (isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["__all__"])]
    assert others == []
