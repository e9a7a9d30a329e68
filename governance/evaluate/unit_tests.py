"""`govern test`: a workspace's Rego unit tests (`*_test.rego` in its checks folders), run
with the built-in library and the workspace's checks on the pinned OPA.

The workspace is validated as for `check`, and the tests are compiled with the
checks under the same builtin restrictions, so a test that calls `http.send`
is the workspace's fault at its line (exit 2), not a failing test. The
workspace's policy definitions are `data.govern.definitions`, as in an
evaluation; a test may replace them (`with data.govern.definitions as …`).
Coverage counts the workspace's own check modules: the library is govern's
to test, and tests do not cover themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from governance import engine
from governance.engine import ERROR, FAILED, PASSED, FileCoverage, Module, RegoErrors, UnitTest, find_opa, run_tests
from governance.evaluate.policy import WORKSPACE, blame
from governance.evaluate.run import validate
from governance.load import RegoSource, WorkspaceErrors, discover, read_rego, relative
from governance.model import MANIFEST, Workspace
from governance.vocabulary import vocabulary

OUTCOMES = (PASSED, FAILED, ERROR)  # in the order `govern test` counts them


@dataclass(frozen=True)
class UnitTestReport:
    files: list[str]  # the test files run, relative to the workspace
    tests: list[UnitTest]  # module: the file relative to the workspace
    coverage: dict[str, FileCoverage] | None  # workspace check file -> its coverage, when asked and all passed

    @property
    def passed(self) -> bool:
        return all(t.outcome == PASSED for t in self.tests)

    def percent(self) -> float | None:
        """Line coverage of the workspace's checks, 0..100; None with no line to cover."""
        covered = sum(c.covered for c in (self.coverage or {}).values())
        total = covered + sum(c.not_covered for c in (self.coverage or {}).values())
        return 100.0 * covered / total if total else None


def is_test(name: str) -> bool:
    return name.endswith("_test.rego")


def run_unit_tests(path: Path | str, *, coverage: bool) -> UnitTestReport:
    ws, policy = validate(path)
    sources = workspace_tests(ws)
    modules = policy.modules + [Module(id=WORKSPACE + s.rel, path=s.path, text=s.text) for s in sources]
    try:
        engine.inspect(modules)
    except RegoErrors as exc:
        raise blame(exc.errors) from None
    # the data of an evaluation: the workspace's definitions, and the library's vocabulary its messages name things from
    run = run_tests(find_opa(), modules, {"govern": {"definitions": ws.definitions(), "vocabulary": vocabulary()}},
                    coverage=coverage)
    tests = [replace(t, module=t.module.removeprefix(WORKSPACE)) for t in run.tests]
    checks = {m.id for m in policy.modules if m.id.startswith(WORKSPACE)}
    covered = None if run.coverage is None else {
        module.removeprefix(WORKSPACE): c for module, c in sorted(run.coverage.items()) if module in checks}
    return UnitTestReport(files=[s.rel for s in sources], tests=tests, coverage=covered)


def workspace_tests(ws: Workspace) -> list[RegoSource]:
    """The `*_test.rego` files under the manifest's `checks:` entries, read like the checks beside them."""
    doc = next(d for d in ws.documents if d.rel == MANIFEST)
    written = isinstance(doc.data, dict) and "checks" in doc.data
    entries = [(entry, doc.sources.locate(("checks", i))) for i, entry in enumerate(ws.manifest.checks)]
    paths, errors = discover(ws.root, entries, {".rego"}, is_test, optional=not written)
    if errors:
        raise WorkspaceErrors(errors)
    sources = []
    for p in dict.fromkeys(paths):
        if is_test(p.name):  # an entry may name a file directly
            sources.append(read_rego(p, relative(ws.root, p)))
    return sources
