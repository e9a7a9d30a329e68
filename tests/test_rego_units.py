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
# module are made, and the tests of its package (the `_test.rego` twins of the package's
# modules) must fail on each:
#   never - the check reports no violation at all (a test must see it fire);
#   extra - the check reports one violation it did not find (a test must see exactly what it
#           finds, so also where it does not fire).
# Each mutant lives under a package of its own (data.mutants.<kind>_<rule>.<package>) with
# copies of the package's other modules and of its tests renamed to match, so one `opa test`
# run says which mutant each failure kills. A domain may span several files of one package
# (the guide to writing checks in docs/): they share helpers and test fixtures, so they are mutated together.

_ID = re.compile(r"^#\s+id:\s*([A-Z]+-\d+)", re.MULTILINE)
_PACKAGE = re.compile(r"^package\s+(\S+)", re.MULTILINE)
_BLOCK = re.compile(r"^(?!else\b)([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)  # a top-level statement or rule
_MUTATIONS = {
    "never": '{rule} := object.union(_unmutated_{rule}, {{"violations": set()}})\n',
    "extra": ('{rule} := object.union(_unmutated_{rule}, {{"violations": union({{_unmutated_{rule}.violations, '
              '{{lib.violation("mutant", "mutant", "a violation the check did not find")}}}})}})\n'),
}
CHECK_MODULES = ("checks", "examples/acme/checks")


def _tests_reaching(rule: str, tests: list[str]) -> list[str]:
    """`tests` (the files of one test package) with only the test rules that reach `rule`, directly
    or through the package's helpers (the others cannot kill its mutants; dropping them keeps the run short)."""
    files = []
    for text in tests:
        starts = [m.start() for m in _BLOCK.finditer(text)] + [len(text)]
        blocks = [text[a:b] for a, b in zip(starts, starts[1:], strict=False)]
        files.append((text[:starts[0]], [(_BLOCK.match(block).group(1), block) for block in blocks]))
    named = [pair for _, pairs in files for pair in pairs]
    reaching, grew = {rule}, True
    while grew:
        grew = False
        for name, block in named:
            if name not in reaching and any(re.search(rf"\b{r}\b", block) for r in reaching):
                reaching.add(name)
                grew = True
    return [head + "".join(block for name, block in pairs if not name.startswith("test_") or name in reaching)
            for head, pairs in files]


def _package_of(module: Path) -> str:
    return _PACKAGE.search(module.read_text(encoding="utf-8")).group(1)


def _mutants(module: Path, siblings: list[Path], twins: list[Path]):
    """(check id, mutation, package prefix, mutated modules, their tests) for every check of `module`;
    `siblings` are the other modules of its package, `twins` the tests of all of them."""
    text, tests = module.read_text(encoding="utf-8"), [t.read_text(encoding="utf-8") for t in twins]
    package = _PACKAGE.search(text).group(1)
    for cid in _ID.findall(text):
        rule = cid.replace("-", "_")
        head = re.compile(rf"^{rule} :=", re.MULTILINE)
        assert len(head.findall(text)) == 1, f"{module.name}: no single rule {rule} for {cid}"
        for kind, definition in _MUTATIONS.items():
            prefix = f"mutants.{kind}_{rule.lower()}"

            def moved(source: str, p: str = prefix) -> str:
                return _PACKAGE.sub(lambda m: f"package {p}.{m.group(1)}", source, count=1)

            mutated = moved(head.sub(f"_unmutated_{rule} :=", text)) + "\n" + definition.format(rule=rule)
            others = [moved(s.read_text(encoding="utf-8")) for s in siblings]
            mine = [re.sub(rf"\bdata\.{re.escape(package)}\b", f"data.{prefix}.{package}", moved(t))
                    for t in _tests_reaching(rule, tests)]
            yield cid, kind, prefix, [mutated, *others], mine


def test_every_checks_unit_tests_see_it_fire_and_not_fire(opa_binary, tmp_path):
    mutants, untested = {}, []
    for folder in CHECK_MODULES:
        modules = [m for m in sorted((REPO / folder).glob("*.rego")) if not m.name.endswith("_test.rego")]
        packages = {m: _package_of(m) for m in modules}
        for module in modules:
            twin = module.with_name(module.stem + "_test.rego")
            if not _ID.search(module.read_text(encoding="utf-8")):
                continue
            if not twin.exists():
                untested.append(f"{folder}/{module.name}: no {twin.name} beside it")
                continue
            siblings = [m for m in modules if m != module and packages[m] == packages[module]]
            twins = [t for m in [module, *siblings] if (t := m.with_name(m.stem + "_test.rego")).exists()]
            for cid, kind, prefix, mutated, tests in _mutants(module, siblings, twins):
                n = len(mutants)
                for k, text in enumerate(mutated):
                    (tmp_path / f"m{n}_{k}.rego").write_text(text, encoding="utf-8")
                for k, text in enumerate(tests):
                    (tmp_path / f"m{n}_{k}_test.rego").write_text(text, encoding="utf-8")
                mutants[prefix] = (f"{folder}/{module.name}", cid, kind)
    assert not untested, "\n".join(untested)
    declared, _, problems = catalogue(inspect(library_modules()))  # what OPA reads in the library's METADATA
    assert problems == [] and {cid for where, cid, _ in mutants.values() if where.startswith("checks/")} == set(declared)
    # what every check and test reads: the library, the shared test helpers, the product's words (data.govern.vocabulary)
    shared = [str(REPO / "checks" / name) for name in ("lib.rego", "testing_test.rego", "vocabulary.json")]
    proc = subprocess.run([opa_binary, "test", *shared, str(tmp_path), "--format", "json"],
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


# ---------------------------------------------------------------- functions take what they read

def _names_in(node: object, found: set[str]) -> None:
    """The dotted heads of every reference in a parsed Rego node (`lib.people`, `input.as_of`)."""
    if isinstance(node, dict):
        if node.get("type") == "ref" and node["value"] and node["value"][0].get("type") == "var":
            parts = [node["value"][0]["value"]]
            for term in node["value"][1:]:
                if term.get("type") != "string":
                    break
                parts.append(term["value"])
            found.add(".".join(parts[:2]))
        for value in node.values():
            _names_in(value, found)
    elif isinstance(node, list):
        for value in node:
            _names_in(value, found)


def _reaching_functions(opa_binary: str, module: Path) -> list[str]:
    """`name: what` for each function of `module` that reads `input`, `data` or a rule of lib (its
    inventory, policies, indexes, vocabulary) in its body instead of taking it as an argument."""
    lib = _parsed(opa_binary, REPO / "checks" / "lib.rego")
    lib_rules = {f"lib.{r['head']['ref'][0]['value']}" for r in lib["rules"] if not r["head"].get("args")}
    reaching = []
    for rule in _parsed(opa_binary, module)["rules"]:
        if rule["head"].get("args"):
            found: set[str] = set()
            _names_in([rule.get("body"), rule["head"].get("value"), rule.get("else")], found)
            read = sorted(n for n in found if n.split(".")[0] in {"input", "data"} or n in lib_rules)
            if read:
                reaching.append(f"{rule['head']['ref'][0]['value']}: {', '.join(read)}")
    return reaching


def _parsed(opa_binary: str, module: Path) -> dict:
    ran = subprocess.run([opa_binary, "parse", "--format", "json", str(module)], capture_output=True, text=True, check=True)
    return json.loads(ran.stdout)


def test_every_library_function_takes_what_it_reads_as_arguments(opa_binary):
    """A helper reads what it is given (lib.people, lib.names.<category>, input.as_of, an index), so what
    a check depends on reads at its call; lib's own date helpers read the run's as_of."""
    modules = [p for p in sorted((REPO / "checks").glob("*.rego")) if not p.name.endswith("_test.rego")]
    reaching = {p.name: r for p in modules if (r := _reaching_functions(opa_binary, p))}
    assert reaching == {}, reaching


def test_the_reading_sees_a_function_that_reaches_for_what_it_reads(opa_binary, tmp_path):
    planted = tmp_path / "planted.rego"
    planted.write_text("package govern.checks.planted\n\nimport data.govern.lib\n\n"
                       "_named(id) := lib.people[id].name\n\n_late(d) if d < input.as_of\n\n_fine(people, id) := people[id]\n",
                       encoding="utf-8")
    assert _reaching_functions(opa_binary, planted) == ["_named: lib.people", "_late: input.as_of"]
