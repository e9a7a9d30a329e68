"""The committee's action items: what an action may address, and the ACT checks agreeing with the
run on which findings are unwaived (the run applies waivers in Python, governance/evaluate/findings.py;
checks/actions.rego derives the same from the `invalidates_waiver` marker)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from governance.evaluate import policy as policy_
from governance.evaluate.run import load
from tests.conftest import AS_OF, EXAMPLE, REPO, check, govern

ACTIONS = "inventory/actions.yaml"


def _actions(ws: Path, actions: list[dict[str, Any]]) -> None:
    """acme's actions replaced by `actions`, one to a line (JSON is YAML)."""
    lines = ["actions:"] + [f"  - {json.dumps(a, ensure_ascii=False)}" for a in actions]
    (ws / ACTIONS).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _committee(ws: Path, required_at: str | None) -> None:
    """acme's committee with `actions.required_at` set to `required_at`, or without `actions`."""
    path = ws / "policies" / "committee.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("actions:")]
    if required_at:
        lines.append(f"actions: {{required_at: {required_at}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _action(id_: str, addresses: list[tuple[str, str, str]], status: str = "open") -> dict[str, Any]:
    return {"id": id_, "title": "t", "owner": "p-cto", "due": "2027-01-31", "status": status,
            "addresses": [{"check": c, "resource": {"kind": k, "id": i}} for c, k, i in addresses]}


def _result(ws: Path) -> dict[str, Any]:
    ran = check(ws, "--format", "json")
    assert ran.returncode == 1, ran.stderr
    result: dict[str, Any] = json.loads(ran.stdout)
    return result


# ---------------------------------------------------------------- what an action may address


def test_an_action_addressing_an_unknown_check_is_exit_2_at_its_line(opa_binary, example):
    _actions(example, [_action("act-1", [("PLC-001", "system", "sys-payment-center"), ("PLC-999", "system", "sys-crm")])])
    for ran in (govern("validate", str(example)), check(example)):
        assert ran.returncode == 2 and ran.stdout == "", ran.stderr
        assert f"{ACTIONS}:" in ran.stderr and "action act-1 addresses unknown check PLC-999" in ran.stderr
        assert "Traceback" not in ran.stderr
    line = next(i for i, text in enumerate((example / ACTIONS).read_text().splitlines(), 1) if "PLC-999" in text)
    assert f"{ACTIONS}:{line}:" in govern("validate", str(example)).stderr


def test_an_action_addressing_an_action_check_is_exit_2(opa_binary, example):
    _actions(example, [_action("act-1", [("ACT-002", "action", "act-1")])])
    ran = govern("validate", str(example))
    assert ran.returncode == 2
    assert "action act-1 addresses ACT-002, an action check" in ran.stderr


def test_an_action_may_address_a_workspace_check_that_does_not_fire(opa_binary, example):
    _actions(example, [_action("act-1", [("ACME-001", "system", "sys-crm")])])
    assert govern("validate", str(example)).returncode == 0
    stale = [f for f in _result(example)["findings"] if f["check"] == "ACT-004"]
    assert [f["resource"]["id"] for f in stale] == ["act-1"]


def test_an_action_naming_an_unknown_owner_or_meeting_is_exit_2(opa_binary, example):
    action = _action("act-1", [("PLC-001", "system", "sys-payment-center")]) | {"owner": "p-gone", "meeting": "mtg-gone"}
    _actions(example, [action])
    ran = govern("validate", str(example))
    assert ran.returncode == 2
    for gone in ("unknown person 'p-gone'", "unknown meeting 'mtg-gone'"):
        assert f"action 'act-1' refers to {gone}" in ran.stderr


def test_an_action_addressing_a_resource_that_is_gone_is_act_004s_business(opa_binary, example):
    """The resource of a finding may be gone (the fix was to delete it): the action is stale, not invalid."""
    _actions(example, [_action("act-1", [("PLC-001", "system", "sys-gone")])])
    assert govern("validate", str(example)).returncode == 0
    stale = [f for f in _result(example)["findings"] if f["check"] == "ACT-004"]
    assert [f["resource"]["id"] for f in stale] == ["act-1"]
    assert "PLC-001 on system sys-gone" in stale[0]["message"]


def test_a_workspace_check_cannot_take_an_act_or_wav_id(opa_binary, example):
    for cid in ("ACT-900", "WAV-900"):
        (example / "checks" / "evil.rego").write_text(
            "package govern.checks.evil\n\nimport data.govern.lib\n\n"
            f"# METADATA\n# title: Critical thing\n# custom:\n#   id: {cid}\n#   severity: critical\n"
            "#   waivable: true\n#   resource: system\n"
            f"{cid.replace('-', '_')} := lib.check(rego.metadata.rule(), {{\"sys-crm\"}}, "
            "{lib.violation(\"system\", \"sys-crm\", \"bad\")})\n", encoding="utf-8")
        for ran in (govern("validate", str(example)), check(example)):
            assert ran.returncode == 2 and ran.stdout == "", ran.stderr
            assert f"checks/evil.rego:5:1: METADATA custom.id '{cid}': the prefix {cid[:3]}- is reserved" in ran.stderr
            assert "Traceback" not in ran.stderr


def test_a_skipped_check_feeds_no_act_check(opa_binary, example):
    """A skipped check has no findings this run: no ACT check holds an action or a resource to it."""
    _committee(example, "medium")
    def named(*args: str) -> set[str]:
        ran = check(example, "--format", "json", *args)
        assert ran.returncode in (0, 1), ran.stderr
        findings = json.loads(ran.stdout)["findings"]
        return {f["check"] for f in findings if f["check"].startswith("ACT-") and "CLS-001" in f["message"]}
    assert named() == {"ACT-001", "ACT-003"}  # what the skip takes away
    assert named("--skip", "CLS-001") == set()


def test_an_action_on_a_skipped_check_is_not_called_stale(opa_binary, example):
    """A skipped check's finding was not looked at, so it is not gone: ACT-004 does not judge the action."""
    _actions(example, [_action("act-1", [("PLC-001", "system", "sys-payment-center")]),
                       _action("act-2", [("PLC-001", "system", "sys-gone")])])
    ran = check(example, "--format", "json", "--skip", "PLC-001")
    act_004 = next(c for c in json.loads(ran.stdout)["checks"] if c["id"] == "ACT-004")
    assert (act_004["status"], act_004["evaluated"]) == ("not_applicable", 0)


def test_a_skipped_check_feeds_no_act_check_on_the_runs_own_opa(opa_binary, example):
    """The run's own OPA was given the input while the workspace loaded, before the skips were known."""
    ran = govern("check", str(example), "--as-of", AS_OF, "--skip", "CLS-001", "--format", "json")
    assert ran.returncode == 1, ran.stderr
    findings = json.loads(ran.stdout)["findings"]
    assert not [f for f in findings if f["check"].startswith("ACT-") and "CLS-001" in f["message"]]
    assert any(f["check"] == "ACT-002" for f in findings)  # the ACT checks ran


def test_the_act_prefix_is_the_action_checks_package_in_python_and_in_rego():
    assert policy_.RESERVED_PREFIXES["ACT-"] == policy_.ACTION_CHECKS == ("govern", "action_checks")
    assert 'action_check_prefix := "ACT-"' in (REPO / "checks" / "lib.rego").read_text(encoding="utf-8")
    declared = policy_.compile_policy(load(EXAMPLE)).checks.values()
    for prefix, root in policy_.RESERVED_PREFIXES.items():
        assert {d.id for d in declared if d.rule[:2] == root} == {d.id for d in declared if d.id.startswith(prefix)}


def test_a_waiver_of_an_act_check_is_refused_by_wav_004(opa_binary, example):
    waiver = {"id": "wv-act", "check": "ACT-002", "resource": {"kind": "action", "id": "act-2026-07-01"},
              "justification": "j", "requested_by": "p-cto", "approved_by": "p-ceo",
              "approved_at": "2026-11-01", "expires": "2026-12-31"}
    with (example / "waivers" / "waivers.yaml").open("a", encoding="utf-8") as f:
        f.write(f"\n  - {json.dumps(waiver)}\n")
    result = _result(example)
    record = next(w for w in result["waivers"] if w["id"] == "wv-act")
    assert "WAV-004" in record["problems"] and record["applied"] == 0
    overdue = next(f for f in result["findings"] if f["check"] == "ACT-002")
    assert overdue["status"] == "fail"


# ---------------------------------------------------------------- the run and the ACT checks agree


def _held(finding: dict[str, Any]) -> bool:
    return not finding["check"].startswith(("WAV-", "ACT-"))


def test_act_001_names_exactly_the_resources_the_run_leaves_unwaived(opa_binary, example):
    """At `info`, with no actions, ACT-001 names each resource with a finding the run calls `fail`
    (acme has applied waivers, an expired one and one over max_waiver_days), and none other."""
    _committee(example, "info")
    (example / ACTIONS).unlink()
    result = _result(example)
    failing = {(f["resource"]["kind"], f["resource"]["id"]) for f in result["findings"] if _held(f) and f["status"] == "fail"}
    waived = {(f["resource"]["kind"], f["resource"]["id"]) for f in result["findings"] if f["status"] == "waived"}
    named = {(f["resource"]["kind"], f["resource"]["id"]) for f in result["findings"] if f["check"] == "ACT-001"}
    assert waived and waived - failing  # some resource has only waived findings
    assert named == failing


def test_act_003_names_exactly_the_findings_the_run_leaves_unwaived(opa_binary, example):
    """One done action per finding of the run: ACT-003 fires on those whose finding is `fail`."""
    findings = [f for f in _result(example)["findings"] if not f["check"].startswith("ACT-")]
    keys = [(f["check"], f["resource"]["kind"], f["resource"]["id"]) for f in findings]
    _actions(example, [_action(f"act-{i}", [key], status="done") for i, key in enumerate(keys)])
    result = _result(example)
    done_on_paper = {f["resource"]["id"] for f in result["findings"] if f["check"] == "ACT-003"}
    assert {f["status"] for f in findings} == {"fail", "waived"}
    assert done_on_paper == {f"act-{i}" for i, f in enumerate(findings) if f["status"] == "fail"}


def test_act_001_is_not_applicable_without_required_at(opa_binary, example):
    _committee(example, None)
    act_001 = next(c for c in _result(example)["checks"] if c["id"] == "ACT-001")
    assert (act_001["status"], act_001["evaluated"]) == ("not_applicable", 0)


def test_acme_tells_the_committee_about_its_actions(opa_binary, example):
    result = _result(example)
    fired = {(f["check"], f["resource"]["id"]) for f in result["findings"] if f["check"].startswith("ACT-")}
    assert ("ACT-002", "act-2026-07-01") in fired  # overdue
    assert ("ACT-003", "act-2026-07-02") in fired  # done on paper
    assert not any(c == "ACT-001" and r == "sys-payment-center" for c, r in fired)  # an open action addresses it
    assert not any(c == "ACT-001" and r == "sys-order-mgmt" for c, r in fired)  # its MLP-002 finding is waived
    zh = next(f["message_zh"] for f in result["findings"] if f["check"] == "ACT-002")
    assert "黄丽（p-dpo）" in zh
