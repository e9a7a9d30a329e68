"""The Rego library's own unit tests, run through real `opa test`."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from governance.engine import inspect
from governance.evaluate.policy import catalogue, library_modules
from tests.conftest import REPO

# A test rule of a module: `test_…` at the start of a line (`todo_test_…` would be skipped, and fail the run).
_TEST_RULE = re.compile(r"^(test_[A-Za-z0-9_]*)\b", re.MULTILINE)
COVERAGE_MIN = 90.0


def _declared_tests(folder: Path) -> dict[tuple[str, int], str]:
    """Every test rule in the Rego files of `folder`, by (file as `opa test` names it, line): what it must run."""
    tests = {}
    for module in sorted(folder.glob("*.rego")):
        text = module.read_text(encoding="utf-8")
        for m in _TEST_RULE.finditer(text):
            tests[(module.relative_to(REPO).as_posix(), text.count("\n", 0, m.start()) + 1)] = m.group(1)
    return tests


def _evaluated_lines(files: dict) -> set[tuple[str, int]]:
    """The (file, line) pairs a `--coverage` report says were evaluated."""
    return {(name, row) for name, f in files.items() for span in f.get("covered", [])
            for row in range(span["start"]["row"], span["end"]["row"] + 1)}


def test_every_rego_unit_test_runs_and_passes_and_covers_the_library(opa_binary):
    """One `opa test --coverage` run of the library: it exits 0 only if every test passed and none was
    skipped; each test rule of the files, by name and line, was evaluated; and the library's own
    modules (tests excluded) are ≥ 90 % covered."""
    # --timeout: OPA's default 5 s per test is too short for the whole-library tests on a busy runner
    proc = subprocess.run([opa_binary, "test", "checks/", "--coverage", "--format", "json", "--timeout", "60s"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    # a failing test makes OPA print its failures (not the report) and exit 1; a skipped one, exit 2
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr
    files = json.loads(proc.stdout)["files"]
    declared = _declared_tests(REPO / "checks")
    assert len(declared) >= 2 * len(catalogue(inspect(library_modules()))[0]), "fewer tests than two per check"
    evaluated = _evaluated_lines(files)
    not_run = [f"{where}:{line}: {name}" for (where, line), name in sorted(declared.items()) if (where, line) not in evaluated]
    assert not not_run, "test rules `opa test` did not run:\n" + "\n".join(not_run)
    modules = {name: f for name, f in files.items() if not name.endswith("_test.rego")}
    assert set(modules) == {p.relative_to(REPO).as_posix() for p in (REPO / "checks").glob("*.rego")
                            if not p.name.endswith("_test.rego")}, "a library module the tests never reach"
    covered = sum(f.get("covered_lines", 0) for f in modules.values())
    missed = sum(f.get("not_covered_lines", 0) for f in modules.values())
    pct = 100.0 * covered / (covered + missed)
    worst = sorted((f.get("coverage", 0), n) for n, f in modules.items())[:3]
    assert pct >= COVERAGE_MIN, f"library line coverage {pct:.1f}% < {COVERAGE_MIN}% (lowest: {worst})"


# ---------------------------------------------------------------- each check's tests see it fire and not fire
#
# A mutation test: for every check id declared in a module's METADATA, two mutants of the
# module are made, and the tests beside it (its `_test.rego` twin) must fail on each:
#   never - the check reports no violation at all (a test must see it fire);
#   extra - the check reports one violation it did not find (a test must see exactly what it
#           finds, so also where it does not fire).
# Each mutant lives under a package of its own (data.mutants.<kind>_<rule>.<package>) with a
# copy of the twin renamed to match, so one `opa test` run says which mutant each failure kills.

_ID = re.compile(r"^#\s+id:\s*([A-Z]+-\d+)", re.MULTILINE)
_PACKAGE = re.compile(r"^package\s+(\S+)", re.MULTILINE)
_BLOCK = re.compile(r"^(?!else\b)([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)  # a top-level statement or rule
_MUTATIONS = {
    "never": '{rule} := object.union(_unmutated_{rule}, {{"violations": set()}})\n',
    "extra": ('{rule} := object.union(_unmutated_{rule}, {{"violations": union({{_unmutated_{rule}.violations, '
              '{{lib.violation("mutant", "mutant", "a violation the check did not find")}}}})}})\n'),
}
CHECK_MODULES = ("checks", "examples/acme/checks")


def _tests_reaching(rule: str, tests: str) -> str:
    """`tests` with only the test rules that reach `rule`, directly or through the module's helpers
    (the others cannot kill its mutants; dropping them keeps the run short)."""
    starts = [m.start() for m in _BLOCK.finditer(tests)] + [len(tests)]
    blocks = [tests[a:b] for a, b in zip(starts, starts[1:], strict=False)]
    names = [_BLOCK.match(block).group(1) for block in blocks]
    reaching, grew = {rule}, True
    while grew:
        grew = False
        for name, block in zip(names, blocks, strict=True):
            if name not in reaching and any(re.search(rf"\b{r}\b", block) for r in reaching):
                reaching.add(name)
                grew = True
    kept = (block for name, block in zip(names, blocks, strict=True) if not name.startswith("test_") or name in reaching)
    return tests[:starts[0]] + "".join(kept)


def _mutants(module: Path, twin: Path):
    """(check id, mutation, package prefix, mutated module, its tests) for every check of `module`."""
    text, tests = module.read_text(encoding="utf-8"), twin.read_text(encoding="utf-8")
    package = _PACKAGE.search(text).group(1)
    for cid in _ID.findall(text):
        rule = cid.replace("-", "_")
        head = re.compile(rf"^{rule} :=", re.MULTILINE)
        assert len(head.findall(text)) == 1, f"{module.name}: no single rule {rule} for {cid}"
        for kind, definition in _MUTATIONS.items():
            prefix = f"mutants.{kind}_{rule.lower()}"
            mutated = _PACKAGE.sub(f"package {prefix}.{package}", head.sub(f"_unmutated_{rule} :=", text), count=1)
            mine = _PACKAGE.sub(lambda m, p=prefix: f"package {p}.{m.group(1)}", _tests_reaching(rule, tests), count=1)
            mine = re.sub(rf"\bdata\.{re.escape(package)}\b", f"data.{prefix}.{package}", mine)
            yield cid, kind, prefix, mutated + "\n" + definition.format(rule=rule), mine


def test_every_checks_unit_tests_see_it_fire_and_not_fire(opa_binary, tmp_path):
    mutants, untested = {}, []
    for folder in CHECK_MODULES:
        for module in sorted((REPO / folder).glob("*.rego")):
            twin = module.with_name(module.stem + "_test.rego")
            if module.name.endswith("_test.rego") or not _ID.search(module.read_text(encoding="utf-8")):
                continue
            if not twin.exists():
                untested.append(f"{folder}/{module.name}: no {twin.name} beside it")
                continue
            for cid, kind, prefix, mutated, tests in _mutants(module, twin):
                n = len(mutants)
                (tmp_path / f"m{n}.rego").write_text(mutated, encoding="utf-8")
                (tmp_path / f"m{n}_test.rego").write_text(tests, encoding="utf-8")
                mutants[prefix] = (f"{folder}/{module.name}", cid, kind)
    assert not untested, "\n".join(untested)
    declared, _, problems = catalogue(inspect(library_modules()))  # what OPA reads in the library's METADATA
    assert problems == [] and {cid for where, cid, _ in mutants.values() if where.startswith("checks/")} == set(declared)
    proc = subprocess.run([opa_binary, "test", str(REPO / "checks" / "lib.rego"), str(tmp_path), "--format", "json"],
                          capture_output=True, text=True, timeout=300)
    assert proc.stdout.strip().startswith("["), f"the mutants did not compile: {proc.stderr}"
    results = json.loads(proc.stdout)
    errors = [f"{r['package']}.{r['name']}: {r['error']}" for r in results if r.get("error")]
    assert not errors, "a mutant broke evaluation instead of changing the result:\n" + "\n".join(errors[:10])
    ran, killed = set(), set()
    for r in results:
        prefix = next(p for p in mutants if r["package"].startswith(f"data.{p}."))
        ran.add(prefix)
        if r.get("fail"):
            killed.add(prefix)
    why = {"never": "no test fails when it never fires", "extra": "no test fails when it reports a violation it did not find"}
    survivors = [f"{where}: {cid}: {why[kind]}" + ("" if prefix in ran else " (no test of its own)")
                 for prefix, (where, cid, kind) in sorted(mutants.items()) if prefix not in killed]
    assert not survivors, "\n".join(survivors)


def test_library_passes_strict_checks_and_is_formatted(opa_binary):
    """`opa check --strict` (unused args, shadowing, deprecated built-ins) and `opa fmt`."""
    strict = subprocess.run([opa_binary, "check", "--strict", "checks/", "examples/acme/checks/"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert strict.returncode == 0, strict.stdout + strict.stderr
    unformatted = subprocess.run([opa_binary, "fmt", "--list", "checks/", "examples/acme/checks/"], cwd=REPO,
                                 capture_output=True, text=True, timeout=120)
    assert unformatted.stdout.strip() == "", f"run `opa fmt -w` on: {unformatted.stdout}"
