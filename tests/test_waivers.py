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


def workspace(root: Path, waivers: list[dict]) -> Path:
    (root / "policies").mkdir(parents=True)
    for name, doc in POLICIES.items():
        _write(root / "policies" / name, doc)
    (root / "inventory").mkdir()
    _write(root / "inventory" / "inventory.yaml", INVENTORY)
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
