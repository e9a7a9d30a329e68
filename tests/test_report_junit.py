"""JUnit XML: checks as testcases, failures listing findings, counts CI can trust.

Rendered from golden results (tests/golden): no OPA."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from governance.report import RenderOptions, render
from tests import golden


def junit(name: str) -> tuple[dict, ET.Element]:
    """A golden result as JSON and its JUnit rendering, parsed."""
    xml = render("junit", golden.result(name))
    return golden.data(name), ET.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml)


def cases(root) -> dict[str, ET.Element]:
    return {c.get("name").split(" ", 1)[0]: c for c in root.iter("testcase")}


def test_one_testcase_per_check_with_domain_and_title():
    result, root = junit("acme")
    found = cases(root)
    assert sorted(found) == sorted(c["id"] for c in result["checks"])
    for check in result["checks"]:
        case = found[check["id"]]
        assert case.get("classname") == check["domain"]
        assert case.get("name") == f"{check['id']} {check['title']}"
    for suite in root.iter("testsuite"):
        assert {c.get("classname") for c in suite.iter("testcase")} == {suite.get("name").removeprefix("govern.")}


def test_counts_agree_with_the_result_at_every_level():
    result, root = junit("acme")
    status = [c["status"] for c in result["checks"]]
    advice = [c for c in result["checks"] if c["status"] == "fail" and c["severity"] == "info"]
    assert result["fail_on"] != "info" and advice  # an advisory is not a failure
    assert int(root.get("tests")) == len(status)
    assert int(root.get("failures")) == status.count("fail") - len(advice) > 0
    assert int(root.get("skipped")) == status.count("not_applicable")
    assert root.get("errors") == "0"
    for suite in root.iter("testsuite"):
        members = suite.findall("testcase")
        assert int(suite.get("tests")) == len(members)
        assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in members)
        assert int(suite.get("skipped")) == sum(c.find("skipped") is not None for c in members)
    assert sum(int(s.get("tests")) for s in root.iter("testsuite")) == int(root.get("tests"))


def test_failure_lists_every_unwaived_finding_and_waived_ones_go_to_system_out():
    result, root = junit("acme-waivers")
    found = cases(root)
    for check in result["checks"]:
        failure = found[check["id"]].find("failure")
        assert (failure is not None) == (check["status"] == "fail" and check["severity"] != "info")
    for f in result["findings"]:
        case = found[f["check"]]
        where = f"{f['location']['file']}:{f['location']['line']}"
        if f["status"] == "fail" and f["severity"] == "info":  # an advisory: shown, never a failure
            assert case.find("failure") is None and f"advisory: {where}" in case.find("system-out").text
        elif f["status"] == "fail":
            assert f["message"] in case.find("failure").text and where in case.find("failure").text
        else:
            assert f["message"] in case.find("system-out").text and f["waiver"] in case.find("system-out").text
    waived = next(f for f in result["findings"] if f["waiver"] == golden.WAIVER_ID)
    assert golden.WAIVER_ID in found[waived["check"]].find("system-out").text


def test_not_applicable_checks_are_skipped():
    # the minimal workspace, only a committee and people: most checks have nothing to evaluate
    result, root = junit("minimal")
    not_applicable = {c["id"] for c in result["checks"] if c["status"] == "not_applicable"}
    assert not_applicable, "the minimal workspace should leave some check with nothing to evaluate"
    found = cases(root)
    for cid, case in found.items():
        assert (case.find("skipped") is not None) == (cid in not_applicable)
    assert int(root.get("skipped")) == len(not_applicable)


# ---------------------------------------------------------------- what GitLab's test report reads: file and time

def first_file(findings: list[dict], check_id: str) -> str | None:
    """Where GitLab should point for a check: its first unwaived finding's file, else its first waived one's."""
    mine = [f for f in findings if f["check"] == check_id and f["location"]]
    ordered = [f for f in mine if f["status"] == "fail"] + [f for f in mine if f["status"] == "waived"]
    return ordered[0]["location"]["file"] if ordered else None


@pytest.mark.parametrize("prefix", ["", "governance/acme"])
def test_testcase_file_is_where_the_checks_findings_are_from_the_repository_root(prefix):
    result = golden.data("acme-waivers")
    root = ET.fromstring(render("junit", golden.result("acme-waivers"), RenderOptions(path_prefix=prefix)).encode("utf-8"))
    lead = f"{prefix}/" if prefix else ""
    found = cases(root)
    assert any(first_file(result["findings"], c) for c in found) and any(not first_file(result["findings"], c) for c in found)
    waived_only = {f["check"] for f in result["findings"] if f["status"] == "waived"} - {
        f["check"] for f in result["findings"] if f["status"] == "fail"}
    assert waived_only, "acme-waivers should have a check whose only finding is waived"
    for cid, case in found.items():
        expected = first_file(result["findings"], cid)
        assert case.get("file") == (lead + expected if expected else None), cid
    # the paths listed in the failure and system-out text are the same repository paths
    for f in result["findings"]:
        failure = f["status"] == "fail" and f["severity"] != "info"  # an advisory is listed in system-out
        text = found[f["check"]].find("failure" if failure else "system-out").text
        assert f"{lead}{f['location']['file']}:{f['location']['line']}: " in text


def seconds(element: ET.Element) -> float:
    """As GitLab reads it (`time.to_f`): seconds, a decimal."""
    return float(element.get("time"))


def test_testcase_time_shares_the_runs_duration_so_gitlabs_totals_add_up():
    result, root = junit("acme")
    run = result["run"]
    duration = (dt.datetime.fromisoformat(run["finished_at"]) - dt.datetime.fromisoformat(run["started_at"])).total_seconds()
    assert duration > 0
    times = [seconds(c) for c in root.iter("testcase")]
    assert len(times) == len(result["checks"]) and all(t > 0 for t in times)
    assert max(times) - min(times) <= 0.001 + 1e-9  # equal shares, to the millisecond
    assert round(sum(times), 3) == duration  # what GitLab adds up is the run's duration, exactly
    for suite in root.iter("testsuite"):
        assert round(sum(seconds(c) for c in suite.iter("testcase")), 3) == seconds(suite)
    assert seconds(root) == duration


def test_a_result_without_run_times_gives_zero_times():
    plain = golden.result("acme").model_copy(update={"run": None})
    root = ET.fromstring(render("junit", plain).encode("utf-8"))
    assert {c.get("time") for c in root.iter("testcase")} == {"0.000"}
    assert root.get("time") == "0.000"
