"""`--format junit`: JUnit XML, so CI test dashboards list checks as tests.

One testsuite per domain, one testcase per check. A check that failed carries
a <failure> listing its unwaived findings; a check with nothing to evaluate
is <skipped/>; waived findings are listed in <system-out> so the exception
stays visible without failing the test.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from governance.report._escape import visible
from governance.result import CheckSummary, Finding, RunResult

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

    root = ET.Element("testsuites", name=f"govern · {result.workspace}")
    for domain in sorted(by_domain):
        suite = ET.SubElement(root, "testsuite", name=f"govern.{domain}")
        _properties(suite, result)
        for check in sorted(by_domain[domain], key=lambda c: c.id):
            _testcase(suite, check, by_check.get(check.id, []))
        _count(suite, suite.findall("testcase"))
    _count(root, root.findall("testsuite/testcase"))
    _xml_safe(root)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _properties(suite: ET.Element, result: RunResult) -> None:
    props = ET.SubElement(suite, "properties")
    for name, value in (("as_of", result.as_of), ("fail_on", result.fail_on),
                        ("opa_version", result.engine.opa_version),
                        ("policy_revision", result.engine.policy_revision)):
        ET.SubElement(props, "property", name=name, value=value)


def _testcase(suite: ET.Element, check: CheckSummary, findings: list[Finding]) -> None:
    case = ET.SubElement(suite, "testcase", classname=check.domain, name=f"{check.id} {check.title}")
    failing = [f for f in findings if f.status == "fail"]
    waived = [f for f in findings if f.status == "waived"]
    if failing:
        failure = ET.SubElement(case, "failure", type=check.severity,
                                message=f"{len(failing)} unwaived {check.severity} finding(s) of {check.evaluated} evaluated")
        failure.text = "\n".join(_line(f) for f in failing)
    elif check.status == "not_applicable":
        ET.SubElement(case, "skipped", message="not applicable: nothing to evaluate")
    elif check.status == "skipped":
        ET.SubElement(case, "skipped", message="skipped by this run's selection (--skip or the manifest's skip:): "
                      "its findings are not reported")
    if waived:
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(f"waived by {f.waiver}: {_line(f)}" for f in waived)


def _line(f: Finding) -> str:
    where = f"{f.location.file}:{f.location.line}" if f.location else "-"
    new = " [new]" if f.baseline == "new" else ""
    return f"{where}: {f.resource.kind}/{f.resource.id}: {f.message}{new}"


def _count(element: ET.Element, cases: list[ET.Element]) -> None:
    element.set("tests", str(len(cases)))
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
