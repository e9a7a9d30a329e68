"""`govern test`: run the workspace's Rego unit tests with the built-in library on the pinned OPA.

Exit 0: every test passed (and coverage reached --threshold); 1: a test failed
or erred, no test was found, or coverage is under the threshold; 2: the
workspace is invalid, its tests included (a refused builtin such as
http.send is named at its line); 3: OPA is missing or failed.
"""

from __future__ import annotations

import sys
from itertools import groupby

import click

from governance.cli._common import EXIT_FINDINGS, EXIT_OK, Guard
from governance.cli._group import main
from governance.cli._progress import progress
from governance.evaluate import OUTCOMES, UnitTestReport, run_unit_tests
from governance.report import visible

RULE = "-" * 80


@main.command("test")
@click.argument("workspace", default=".", type=click.Path(file_okay=False))
@click.option("--coverage", is_flag=True, help="Also report the line coverage of the workspace's own checks.")
@click.option("--threshold", type=click.FloatRange(0, 100), metavar="PERCENT",
              help="Exit 1 when that coverage is below PERCENT (implies --coverage).")
def unit_tests(workspace: str, coverage: bool, threshold: float | None) -> None:
    """Run the workspace's *_test.rego files with the built-in library, under check's builtin restrictions."""
    measure = coverage or threshold is not None
    with Guard(), progress() as step:
        step("running the workspace's tests on OPA")
        report = run_unit_tests(workspace, coverage=measure)
    lines, ok = verdict(report, measure, threshold)
    click.echo(visible("\n".join(lines)))  # file names too come from the workspace
    sys.exit(EXIT_OK if ok else EXIT_FINDINGS)


def verdict(report: UnitTestReport, measure: bool, threshold: float | None) -> tuple[list[str], bool]:
    """What `govern test` prints, and whether the run passed."""
    if not report.tests:  # a run that tested nothing must not read as a pass
        where = ", ".join(report.files) or "no *_test.rego file under the manifest's checks: folders"
        return [f"no tests found ({where}): nothing was tested"], False
    lines = results(report) + [RULE] + counts(report)
    if not measure:
        return lines, report.passed
    if not report.passed:
        return lines + ["coverage: not measured, as a test did not pass"], False
    covered, enough = coverage_lines(report, threshold)
    return lines + covered, enough


def results(report: UnitTestReport) -> list[str]:
    """Per test file, OPA's verbose line for each test (`data.pkg.test_x: PASS (1.2ms)`), with what explains a failure."""
    lines: list[str] = []
    for module, tests in groupby(report.tests, key=lambda t: t.module):
        lines.append(f"{module}:")
        for test in tests:
            lines.append(f"  {test.package}.{test.name}: {test.outcome} ({test.duration_ns / 1e6:.3f}ms)")
            if test.outcome == OUTCOMES[0]:
                continue
            lines.append(f"    at {module}:{test.row}")
            lines += [f"    {visible(test.error)}"] if test.error else []
            lines += [f"    | {visible(line)}" for line in test.output.rstrip("\n").split("\n") if test.output]
    return lines


def counts(report: UnitTestReport) -> list[str]:
    total = len(report.tests)
    return [f"{outcome}: {n}/{total}" for outcome in OUTCOMES
            if (n := sum(1 for t in report.tests if t.outcome == outcome)) or outcome == OUTCOMES[0]]


def coverage_lines(report: UnitTestReport, threshold: float | None) -> tuple[list[str], bool]:
    percent = report.percent()
    files = report.coverage or {}
    if percent is None:
        return ["coverage: the workspace has no checks of its own to cover"], True
    lines = sum(c.covered + c.not_covered for c in files.values())
    enough = threshold is None or percent >= threshold
    against = "" if threshold is None else f" (threshold {threshold:g}%{'' if enough else ': NOT MET'})"
    out = [f"coverage: {percent:.1f}% of {lines} lines in the workspace's checks{against}"]
    for name, c in files.items():
        total = c.covered + c.not_covered
        missed = f"; lines not covered: {', '.join(map(str, c.missed_rows))}" if c.missed_rows else ""
        out.append(f"  {name}: {100.0 * c.covered / total if total else 100.0:.1f}% ({c.covered}/{total} lines{missed})")
    return out, enough
