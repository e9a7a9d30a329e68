"""`--format junit`: JUnit XML, so CI test dashboards list checks as tests.

One testsuite per domain, one testcase per check. A check that failed carries
a <failure> listing its unwaived findings; a check with nothing to evaluate
is <skipped/>; advisories (unwaived info findings, which never fail the run:
`governance.result.advisory`) and waived findings are listed in <system-out>,
so they stay visible without failing the test.

GitLab's test report reads two more testcase attributes. `file` is where to
look: the file of the check's first unwaived finding (else its first waived
one), from the repository root (`--path-prefix`, as are the paths listed in
<failure> and <system-out>); a check that found nothing has none. `time` is
in seconds: OPA evaluates every check in one query, so no check has a time
of its own, and the run's duration is shared out equally (to the
millisecond, the remainder to the first testcases) so that GitLab's totals,
which it adds up from the testcases, come to the run's; a result without run
times gives 0.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from governance.report._escape import visible
from governance.report._paths import in_repository
from governance.result import CheckSummary, Finding, RunResult, advisory

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "junit"


def render(result: RunResult, options: RenderOptions) -> str:
    by_check: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_check[f.check].append(f)
    by_domain: dict[str, list[CheckSummary]] = defaultdict(list)
    for check in result.checks:
        by_domain[check.domain].append(check)
    shares = iter(_shares_ms(_duration_ms(result), len(result.checks)))

    root = ET.Element("testsuites", name=f"govern · {result.workspace}")
    run_ms = 0
    for domain in sorted(by_domain):
        suite = ET.SubElement(root, "testsuite", name=f"govern.{domain}")
        _properties(suite, result)
        suite_ms = 0
        for check in sorted(by_domain[domain], key=lambda c: c.id):
            ms = next(shares)
            _testcase(suite, check, by_check.get(check.id, []), ms, options.path_prefix, result.fail_on)
            suite_ms += ms
        _count(suite, suite.findall("testcase"), suite_ms)
        run_ms += suite_ms
    _count(root, root.findall("testsuite/testcase"), run_ms)
    _xml_safe(root)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _duration_ms(result: RunResult) -> int:
    """The run's duration, from its start and end (0 for a result without them, or with unreadable ones)."""
    if result.run is None:
        return 0
    try:
        started = dt.datetime.fromisoformat(result.run.started_at)
        finished = dt.datetime.fromisoformat(result.run.finished_at)
        return max(0, round((finished - started).total_seconds() * 1000))
    except (TypeError, ValueError):  # a hand-edited saved result: naive and aware times, or not times at all
        return 0


def _shares_ms(total: int, cases: int) -> list[int]:
    """`total` milliseconds in `cases` equal whole shares that add up to it exactly."""
    if cases == 0:
        return []
    share, rest = divmod(total, cases)
    return [share + (1 if i < rest else 0) for i in range(cases)]


def _seconds(ms: int) -> str:
    return f"{ms // 1000}.{ms % 1000:03d}"


def _properties(suite: ET.Element, result: RunResult) -> None:
    props = ET.SubElement(suite, "properties")
    run = (("run_started", result.run.started_at),) if result.run else ()  # names the run (a report set's check)
    for name, value in (("as_of", result.as_of), ("fail_on", result.fail_on),
                        ("opa_version", result.engine.opa_version),
                        ("policy_revision", result.engine.policy_revision), *run):
        ET.SubElement(props, "property", name=name, value=value)


def _testcase(suite: ET.Element, check: CheckSummary, findings: list[Finding], ms: int, prefix: str,
              fail_on: str) -> None:
    case = ET.SubElement(suite, "testcase", classname=check.domain, name=f"{check.id} {check.title}")
    advice = [f for f in findings if advisory(f, fail_on)]
    failing = [f for f in findings if f.status == "fail" and not advisory(f, fail_on)]
    waived = [f for f in findings if f.status == "waived"]
    located = next((f.location for f in failing + advice + waived if f.location), None)
    if located is not None:
        case.set("file", in_repository(prefix, located.file))
    case.set("time", _seconds(ms))
    if failing:
        failure = ET.SubElement(case, "failure", type=check.severity,
                                message=f"{len(failing)} unwaived {check.severity} finding(s) of {check.evaluated} evaluated")
        failure.text = "\n".join(_line(f, prefix) for f in failing)
    elif check.status == "not_applicable":
        ET.SubElement(case, "skipped", message="not applicable: nothing to evaluate")
    elif check.status == "skipped":
        ET.SubElement(case, "skipped", message="skipped by this run's selection (--skip or the manifest's skip:): "
                      "its findings are not reported")
    if advice or waived:
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join([f"advisory: {_line(f, prefix)}" for f in advice]
                             + [f"waived by {f.waiver}: {_line(f, prefix)}" for f in waived])


def _line(f: Finding, prefix: str) -> str:
    where = f"{in_repository(prefix, f.location.file)}:{f.location.line}" if f.location else "-"
    new = " [new]" if f.baseline == "new" else ""
    return f"{where}: {f.resource.kind}/{f.resource.id}: {f.message}{new}"


def _count(element: ET.Element, cases: list[ET.Element], ms: int) -> None:
    element.set("tests", str(len(cases)))
    element.set("time", _seconds(ms))
    element.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    element.set("errors", "0")
    element.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))


def _xml_safe(root: ET.Element) -> None:
    """XML 1.0 has no control characters: ElementTree would write them raw and CI could not parse
    the file. Workspace text may hold them, so they are written out as escapes (e.g. \\x1b)."""
    for element in root.iter():
        if element.text:
            element.text = visible(element.text)
        for key, value in list(element.attrib.items()):
            element.set(key, visible(value))
