"""Waivers end to end: the real CLI on tiny workspaces, evaluated by real OPA
(in process, on the shared server).

The tiny workspace has one committee chaired by someone without the CEO role
(GOV-001, waivable) and one public system holding a dataset that placement
keeps private (PLC-001, not waivable). Each test adds waivers and reads the
JSON a user would get.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import conftest

AS_OF = "2026-06-01"

POLICIES = {
    "committee.yaml": {
        "kind": "Committee", "id": "board", "chair": "p-cto", "required_roles": ["CEO"],
        "members": [{"person": "p-ceo", "role": "CEO"}, {"person": "p-cto", "role": "HEAD_TECHNOLOGY"}],
    },
    "authority.yaml": {
        "kind": "AuthorityMatrix", "id": "doa", "reviewed_at": "2026-03-01",
        "limits": {"waiver": {"CEO": None, "HEAD_DATA": None}}, "max_waiver_days": 90,
    },
    # every policy present, so the run does not depend on how other checks treat a missing one
    "budget.yaml": {"kind": "BudgetPolicy", "id": "budget", "categories": ["technology"]},
    "classification.yaml": {
        "kind": "ClassificationPolicy", "id": "classification",
        "grades": ["general-2", "general-1"], "levels": ["internal", "public"],
        "min_level": {"general-2": "internal", "general-1": "public"},
    },
    "placement.yaml": {
        "kind": "PlacementPolicy", "id": "placement",
        "rules": [{"id": "private-only", "match": {"all": True}, "allowed_deployments": ["private"]}],
    },
}

INVENTORY = {
    "people": [
        {"id": "p-ceo", "name": "王伟", "roles": ["CEO"]},
        {"id": "p-cto", "name": "李娜", "roles": ["HEAD_TECHNOLOGY"]},
        {"id": "p-cdo", "name": "陈静", "roles": ["HEAD_DATA"]},
        {"id": "p-ops", "name": "孙杰", "roles": ["SRE_LEAD"]},
    ],
    "datasets": [{"id": "ds-a", "grade": "general-2", "level": "internal", "classified_at": "2026-01-10"}],
    "systems": [{"id": "sys-web", "owner": "p-cto", "deployment": "public", "datasets": ["ds-a"]}],
}


def waiver(id_="wv-1", check="GOV-001", kind="committee", rid="board", **fields) -> dict:
    """A valid waiver as of AS_OF unless a field says otherwise (60-day lifetime, max 90)."""
    return {"id": id_, "check": check, "resource": {"kind": kind, "id": rid},
            "justification": "new chair appointed next quarter", "requested_by": "p-cto",
            "approved_by": "p-ceo", "approved_at": "2026-05-01", "expires": "2026-06-30", **fields}


def _write(path: Path, doc: dict) -> None:
    # JSON is YAML: the files are read exactly as a user's YAML would be
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


def workspace(root: Path, waivers: list[dict], decisions: list[dict] | None = None,
              requires_decision: bool | None = None) -> Path:
    """The tiny workspace with these waivers, the inventory's `decisions`, and the
    AuthorityMatrix's `waiver_requires_decision` when given."""
    (root / "policies").mkdir(parents=True)
    for name, doc in POLICIES.items():
        if name == "authority.yaml" and requires_decision is not None:
            doc = {**doc, "waiver_requires_decision": requires_decision}
        _write(root / "policies" / name, doc)
    (root / "inventory").mkdir()
    _write(root / "inventory" / "inventory.yaml", {**INVENTORY, **({"decisions": decisions} if decisions else {})})
    (root / "waivers").mkdir()
    _write(root / "waivers" / "waivers.yaml", {"waivers": waivers})
    (root / "governance.yaml").write_text("name: tiny\n", encoding="utf-8")
    return root


def check(root: Path, *extra: str) -> tuple[int, dict]:
    proc = conftest.check(root, "--format", "json", *extra, as_of=AS_OF)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def finding(result: dict, check_id: str, resource_id: str) -> dict:
    matches = [f for f in result["findings"] if f["check"] == check_id and f["resource"]["id"] == resource_id]
    assert len(matches) == 1, f"expected one {check_id} finding on {resource_id}: {result['findings']}"
    return matches[0]


def summary(result: dict, check_id: str) -> dict:
    return next(c for c in result["checks"] if c["id"] == check_id)


def record(result: dict, waiver_id: str) -> dict:
    return next(w for w in result["waivers"] if w["id"] == waiver_id)


def wav_ids(result: dict, waiver_id: str) -> set[str]:
    return {f["check"] for f in result["findings"] if f["resource"] == {"kind": "waiver", "id": waiver_id}}


def test_without_a_waiver_the_finding_fails(opa_binary, tmp_path):
    _, result = check(workspace(tmp_path, []))
    f = finding(result, "GOV-001", "board")
    assert (f["status"], f["waiver"]) == ("fail", None)
    assert summary(result, "GOV-001")["status"] == "fail"
    assert not [f for f in result["findings"] if f["check"].startswith("WAV-")]


def test_a_valid_waiver_waives_its_finding(opa_binary, tmp_path):
    rc, result = check(workspace(tmp_path, [waiver()]), "--fail-on", "high")
    f = finding(result, "GOV-001", "board")
    assert (f["status"], f["waiver"]) == ("waived", "wv-1")
    gov = summary(result, "GOV-001")
    assert (gov["failed"], gov["waived"], gov["status"]) == (0, 1, "pass")
    assert result["summary"]["waived"] >= 1
    assert (record(result, "wv-1")["valid"], record(result, "wv-1")["applied"]) == (True, 1)
    assert wav_ids(result, "wv-1") == set()  # not stale: it matched a finding
    # the waived high finding no longer fails a run gated at high
    unwaived_high = [f for f in result["findings"] if f["status"] == "fail" and f["severity"] in ("critical", "high")]
    assert rc == (1 if unwaived_high else 0)
    assert not any(f["check"] == "GOV-001" for f in unwaived_high)


def test_a_waived_finding_keeps_its_fingerprint(opa_binary, tmp_path):
    _, before = check(workspace(tmp_path / "a", []))
    _, after = check(workspace(tmp_path / "b", [waiver()]))
    assert finding(before, "GOV-001", "board")["fingerprint"] == finding(after, "GOV-001", "board")["fingerprint"]


INVALID = {
    "WAV-001": waiver(requested_by="p-ceo", approved_by="p-ceo"),
    "WAV-002": waiver(approved_by="p-ops"),
    "WAV-003": waiver(approved_at="2026-04-01", expires="2026-07-01"),  # 91 days, max 90
    "WAV-005": waiver(approved_at="2026-04-01", expires="2026-05-31"),  # the day before as_of
    "WAV-007": waiver(approved_at="2199-12-01", expires="2199-12-31"),  # approved long after as_of
}


@pytest.mark.parametrize("wav", sorted(INVALID))
def test_an_invalid_waiver_is_reported_and_not_applied(opa_binary, tmp_path, wav):
    _, result = check(workspace(tmp_path, [INVALID[wav]]))
    f = finding(result, "GOV-001", "board")
    assert (f["status"], f["waiver"]) == ("fail", None)
    assert summary(result, "GOV-001")["status"] == "fail"
    problem = finding(result, wav, "wv-1")
    assert problem["status"] == "fail"
    assert problem["location"]["file"] == "waivers/waivers.yaml"
    assert problem["location"]["line"] >= 1
    assert wav_ids(result, "wv-1") == {wav}
    rec = record(result, "wv-1")
    assert (rec["valid"], rec["problems"], rec["applied"]) == (False, [wav], 0)


@pytest.mark.parametrize("boundary", [
    waiver(approved_at="2026-04-01", expires="2026-06-30"),  # lifetime exactly max_waiver_days
    waiver(approved_at="2026-04-01", expires=AS_OF),  # the expiry day itself
    waiver(approved_by="p-cdo"),  # another role listed under limits.waiver
], ids=["lifetime-equals-max", "expires-today", "other-waiver-role"])
def test_boundary_waivers_are_valid(opa_binary, tmp_path, boundary):
    _, result = check(workspace(tmp_path, [boundary]))
    assert finding(result, "GOV-001", "board")["status"] == "waived"
    assert wav_ids(result, "wv-1") == set()


def test_a_non_waivable_check_stays_failed(opa_binary, tmp_path):
    _, result = check(workspace(tmp_path, [waiver(check="PLC-001", kind="system", rid="sys-web")]))
    f = finding(result, "PLC-001", "sys-web")
    assert (f["status"], f["waiver"], f["severity"]) == ("fail", None, "critical")
    plc = summary(result, "PLC-001")
    assert (plc["failed"], plc["waived"], plc["status"]) == (1, 0, "fail")
    assert wav_ids(result, "wv-1") == {"WAV-004"}
    assert "PLC-001" in finding(result, "WAV-004", "wv-1")["message"]
    assert record(result, "wv-1")["valid"] is False


def test_a_waiver_matching_nothing_is_stale(opa_binary, tmp_path):
    # GOV-002 passes on this committee (its one required role is held)
    _, result = check(workspace(tmp_path, [waiver(check="GOV-002")]))
    stale = finding(result, "WAV-006", "wv-1")
    assert stale["severity"] == "low"
    assert "GOV-002" in stale["message"]
    assert wav_ids(result, "wv-1") == {"WAV-006"}
    # stale is not invalid: nothing else about the waiver is wrong
    assert record(result, "wv-1")["valid"] is True
    assert record(result, "wv-1")["applied"] == 0


def test_a_waiver_naming_an_unknown_check_is_stale(opa_binary, tmp_path):
    _, result = check(workspace(tmp_path, [waiver(check="GOV-999")]))
    assert "does not exist" in finding(result, "WAV-006", "wv-1")["message"]
    assert finding(result, "GOV-001", "board")["status"] == "fail"


def test_waiver_findings_cannot_be_waived(opa_binary, tmp_path):
    expired = INVALID["WAV-005"]
    meta = waiver(id_="wv-2", check="WAV-005", kind="waiver", rid="wv-1")
    _, result = check(workspace(tmp_path, [expired, meta]))
    assert finding(result, "WAV-005", "wv-1")["status"] == "fail"
    assert wav_ids(result, "wv-2") == {"WAV-004"}  # matched a finding, so not stale
    assert finding(result, "GOV-001", "board")["status"] == "fail"


def grant(id_="dec-w1", subject="wv-1", **fields) -> dict:
    """The decision that grants waiver(): of type waiver, approved by its approver the day it was approved."""
    return {"id": id_, "type": "waiver", "subject": {"kind": "waiver", "id": subject}, "amount": 0,
            "requested_by": "p-cto", "approved_by": ["p-ceo"], "date": "2026-05-01", **fields}


def assert_not_applied(result: dict, problems: list[str]) -> None:
    f = finding(result, "GOV-001", "board")
    assert (f["status"], f["waiver"]) == ("fail", None)
    assert summary(result, "GOV-001")["status"] == "fail"
    assert wav_ids(result, "wv-1") == set(problems)
    rec = record(result, "wv-1")
    assert (rec["valid"], rec["problems"], rec["applied"]) == (False, problems, 0)


def test_a_waiver_approved_in_2199_is_not_in_force(opa_binary, tmp_path):
    # a far-future approval used to be applied today, and kept its lifetime inside max_waiver_days forever
    rc, result = check(workspace(tmp_path, [waiver(approved_at="2199-01-01", expires="2199-03-31")]), "--fail-on", "high")
    assert_not_applied(result, ["WAV-007"])
    problem = finding(result, "WAV-007", "wv-1")
    assert (problem["severity"], problem["status"]) == ("high", "fail")
    assert "approved on 2199-01-01" in problem["message"] and "not yet in force" in problem["message"]
    assert "尚未生效" in problem["message_zh"]
    assert rc == 1


def test_a_waiver_expiring_the_day_before_its_approval_is_not_applied(opa_binary, tmp_path):
    _, result = check(workspace(tmp_path, [waiver(approved_at="2026-05-01", expires="2026-04-30")]))
    assert_not_applied(result, ["WAV-005", "WAV-008"])  # expired before as_of too: both say so
    assert "expires on 2026-04-30, 1 days before it was approved on 2026-05-01" in finding(result, "WAV-008", "wv-1")["message"]


def test_a_future_waiver_expiring_before_its_approval_fires_both_time_checks(opa_binary, tmp_path):
    _, result = check(workspace(tmp_path, [waiver(approved_at="2026-07-01", expires="2026-06-15")]))
    assert_not_applied(result, ["WAV-007", "WAV-008"])


@pytest.mark.parametrize("boundary", [
    waiver(approved_at=AS_OF, expires="2026-06-30"),  # approved on as_of: in force
    waiver(approved_at=AS_OF, expires=AS_OF),  # expires the day it was approved: a one-day waiver
], ids=["approved-on-as-of", "expires-on-approval-day"])
def test_time_boundary_waivers_are_valid(opa_binary, tmp_path, boundary):
    _, result = check(workspace(tmp_path, [boundary]))
    assert finding(result, "GOV-001", "board")["status"] == "waived"
    assert wav_ids(result, "wv-1") == set()
    assert record(result, "wv-1")["valid"] is True


def test_a_waiver_granted_by_its_decision_is_applied_where_decisions_are_required(opa_binary, tmp_path):
    root = workspace(tmp_path, [waiver(decision="dec-w1")], [grant()], requires_decision=True)
    _, result = check(root)
    assert (finding(result, "GOV-001", "board")["status"], finding(result, "GOV-001", "board")["waiver"]) == \
        ("waived", "wv-1")
    assert wav_ids(result, "wv-1") == set()
    assert record(result, "wv-1")["decision"] == "dec-w1"
    assert summary(result, "WAV-009")["evaluated"] == 1


def test_a_waiver_decision_earlier_than_the_waiver_grants_it(opa_binary, tmp_path):
    root = workspace(tmp_path, [waiver(decision="dec-w1")], [grant(date="2026-04-20")], requires_decision=True)
    _, result = check(root)
    assert finding(result, "GOV-001", "board")["status"] == "waived"


UNGRANTED = {
    "no-decision": ([waiver()], [grant()], "it names no decision"),
    "other-type": ([waiver(decision="dec-w1")], [grant(type="other", subject="wv-1")],
                   "decision dec-w1 is of type other, not waiver"),
    "approver-not-among-its-approvers": ([waiver(decision="dec-w1")], [grant(approved_by=["p-cdo"])],
                                         "decision dec-w1 was approved by 陈静 (p-cdo), "
                                         "not by the waiver's approver 王伟 (p-ceo)"),
    "dated-the-day-after": ([waiver(decision="dec-w1")], [grant(date="2026-05-02")],
                            "decision dec-w1 is dated 2026-05-02, after the waiver's approval on 2026-05-01"),
}


@pytest.mark.parametrize("case", sorted(UNGRANTED))
def test_a_waiver_not_granted_by_a_decision_is_not_applied_where_decisions_are_required(opa_binary, tmp_path, case):
    waivers, decisions, reason = UNGRANTED[case]
    _, result = check(workspace(tmp_path, waivers, decisions, requires_decision=True))
    assert_not_applied(result, ["WAV-009"])
    problem = finding(result, "WAV-009", "wv-1")
    assert (problem["severity"], problem["status"]) == ("high", "fail")
    assert problem["message"].endswith(reason)
    assert problem["location"]["file"] == "waivers/waivers.yaml"


@pytest.mark.parametrize("requires", [None, False])
def test_a_waiver_without_a_decision_is_applied_unless_decisions_are_required(opa_binary, tmp_path, requires):
    _, result = check(workspace(tmp_path, [waiver()], requires_decision=requires))
    assert finding(result, "GOV-001", "board")["status"] == "waived"
    wav = summary(result, "WAV-009")
    assert (wav["evaluated"], wav["status"]) == (0, "not_applicable")


def refused(root: Path) -> str:
    proc = conftest.check(root, "--format", "json", as_of=AS_OF)
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == ""
    return proc.stderr


def test_a_waiver_citing_an_unknown_decision_is_a_workspace_error(opa_binary, tmp_path):
    err = refused(workspace(tmp_path, [waiver(decision="dec-nowhere")]))
    assert "waivers/waivers.yaml:" in err and "waiver 'wv-1' refers to unknown decision 'dec-nowhere'" in err


def test_a_waiver_decision_naming_an_unknown_waiver_is_a_workspace_error(opa_binary, tmp_path):
    err = refused(workspace(tmp_path, [waiver()], [grant(subject="wv-nowhere")]))
    assert "inventory/inventory.yaml:" in err and "decision 'dec-w1' refers to unknown waiver 'wv-nowhere'" in err


def test_a_waiver_decision_about_something_else_is_a_workspace_error(opa_binary, tmp_path):
    decision = {**grant(), "subject": {"kind": "committee", "id": "board"}}
    err = refused(workspace(tmp_path, [waiver(decision="dec-w1")], [decision]))
    assert "inventory/inventory.yaml:" in err
    assert "decision 'dec-w1' is of type waiver, so its subject must be the waiver it grants" in err


def test_a_waiver_citing_the_grant_of_another_waiver_is_a_workspace_error(opa_binary, tmp_path):
    other = waiver(id_="wv-2", check="GOV-002")
    err = refused(workspace(tmp_path, [waiver(decision="dec-w1"), other], [grant(subject="wv-2")]))
    assert "waivers/waivers.yaml:" in err
    assert "waiver 'wv-1' cites decision 'dec-w1', which grants waiver 'wv-2', not this one" in err


def test_acme_shows_a_waiver_granted_by_a_committee_decision(opa_binary, example, tmp_path):
    out = tmp_path / "out"
    proc = conftest.check(example, "--format", f"json={out / 'result.json'}", "--format", f"markdown={out / 'report.md'}",
                          "--format", f"html={out / 'report.html'}", "--lang", "en")
    assert proc.returncode == 1, proc.stderr
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "| Granted by decision |" in markdown and "| 2026-10-22 | dec-2026-093 | 2027-03-31 |" in markdown
    assert "Granted by decision <code>dec-2026-093</code>" in (out / "report.html").read_text(encoding="utf-8")
    granted = record(result, "wv-2026-021")
    assert (granted["decision"], granted["valid"], granted["applied"]) == ("dec-2026-093", True, 1)
    assert not [f for f in result["findings"] if f["resource"]["kind"] == "decision"
                and f["resource"]["id"] in ("dec-2026-047", "dec-2026-093", "dec-2026-101")]
    assert summary(result, "WAV-009")["status"] == "not_applicable"  # acme does not require decisions


def test_acme_requiring_decisions_keeps_its_granted_waivers_and_refuses_one_that_loses_its_decision(opa_binary, example):
    authority = example / "policies" / "authority.yaml"
    authority.write_text(authority.read_text(encoding="utf-8") + "waiver_requires_decision: true\n", encoding="utf-8")
    result = json.loads(conftest.check(example, "--format", "json").stdout)
    assert [(w["id"], w["problems"], w["applied"]) for w in result["waivers"]] == \
        [("wv-2026-014", ["WAV-003", "WAV-005"], 0), ("wv-2026-021", [], 1), ("wv-2026-023", [], 1)]
    assert (summary(result, "WAV-009")["evaluated"], summary(result, "WAV-009")["status"]) == (3, "pass")

    waivers = example / "waivers" / "waivers.yaml"
    text = waivers.read_text(encoding="utf-8")
    waivers.write_text(text.replace("    decision: dec-2026-101", "", 1), encoding="utf-8")  # its decision stays
    result = json.loads(conftest.check(example, "--format", "json").stdout)
    assert record(result, "wv-2026-023")["problems"] == ["WAV-009"]
    assert "names no decision" in finding(result, "WAV-009", "wv-2026-023")["message"]
    assert [f["status"] for f in result["findings"] if f["check"] == "MLP-002"] == ["fail"]
