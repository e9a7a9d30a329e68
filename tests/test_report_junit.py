"""JUnit XML: checks as testcases, failures listing findings, counts CI can trust."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.conftest import make_workspace
from tests.reports_support import add_valid_waiver, run_json


def junit_run(workspace):
    xml = workspace.parent / "out" / "govern.xml"
    result, _ = run_json(workspace, "--format", f"junit={xml}")
    return result, ET.parse(xml).getroot()


def cases(root) -> dict[str, ET.Element]:
    return {c.get("name").split(" ", 1)[0]: c for c in root.iter("testcase")}


def test_one_testcase_per_check_with_domain_and_title(example, opa_binary):
    result, root = junit_run(example)
    found = cases(root)
    assert sorted(found) == sorted(c["id"] for c in result["checks"])
    for check in result["checks"]:
        case = found[check["id"]]
        assert case.get("classname") == check["domain"]
        assert case.get("name") == f"{check['id']} {check['title']}"
    for suite in root.iter("testsuite"):
        assert {c.get("classname") for c in suite.iter("testcase")} == {suite.get("name").removeprefix("govern.")}


def test_counts_agree_with_the_result_at_every_level(example, opa_binary):
    result, root = junit_run(example)
    status = [c["status"] for c in result["checks"]]
    assert int(root.get("tests")) == len(status)
    assert int(root.get("failures")) == status.count("fail") > 0
    assert int(root.get("skipped")) == status.count("not_applicable")
    assert root.get("errors") == "0"
    for suite in root.iter("testsuite"):
        members = suite.findall("testcase")
        assert int(suite.get("tests")) == len(members)
        assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in members)
        assert int(suite.get("skipped")) == sum(c.find("skipped") is not None for c in members)
    assert sum(int(s.get("tests")) for s in root.iter("testsuite")) == int(root.get("tests"))


def test_failure_lists_every_unwaived_finding_and_waived_ones_go_to_system_out(example, opa_binary):
    waived = add_valid_waiver(example)
    result, root = junit_run(example)
    found = cases(root)
    for check in result["checks"]:
        failure = found[check["id"]].find("failure")
        assert (failure is not None) == (check["status"] == "fail")
    for f in result["findings"]:
        case = found[f["check"]]
        where = f"{f['location']['file']}:{f['location']['line']}"
        if f["status"] == "fail":
            assert f["message"] in case.find("failure").text and where in case.find("failure").text
        else:
            assert f["message"] in case.find("system-out").text and f["waiver"] in case.find("system-out").text
    waived_case = found[waived["check"]]
    assert "wv-test-001" in waived_case.find("system-out").text


def test_not_applicable_checks_are_skipped(tmp_path, opa_binary):
    # a workspace with only a committee and people: most checks have nothing to evaluate
    workspace = make_workspace(tmp_path / "tiny", {})
    result, root = junit_run(workspace)
    not_applicable = {c["id"] for c in result["checks"] if c["status"] == "not_applicable"}
    assert not_applicable, "the tiny workspace should leave some check with nothing to evaluate"
    found = cases(root)
    for cid, case in found.items():
        assert (case.find("skipped") is not None) == (cid in not_applicable)
    assert int(root.get("skipped")) == len(not_applicable)
