"""GOV and BUD checks end to end: tiny workspaces written here, the real
`govern check` CLI (in process, on the shared real OPA). Each test reads the JSON a user would get."""

from __future__ import annotations

import json

import pytest

from tests.conftest import AS_OF, check, make_workspace

PEOPLE = """\
people:
  - {id: p-ceo, name: 王伟, roles: [CEO]}
  - {id: p-cto, name: 李娜, roles: [HEAD_TECHNOLOGY]}
  - {id: p-cdo, name: 陈静, roles: [HEAD_DATA]}
  - {id: p-ops, name: 孙杰, roles: [SRE_LEAD]}
"""

COMMITTEE = """\
kind: Committee
id: board
chair: p-ceo
required_roles: [CEO, HEAD_TECHNOLOGY, HEAD_DATA]
members:
  - {person: p-ceo, role: CEO}
  - {person: p-cto, role: HEAD_TECHNOLOGY}
  - {person: p-cdo, role: HEAD_DATA}
quorum: {min_present: 3, chair_or_delegate_required: true}
max_meeting_gap_days: 90
"""


# The budget workspaces keep no meeting records, so their committee sets no meeting gap.
BUDGET_COMMITTEE = COMMITTEE.replace("max_meeting_gap_days: 90\n", "")


def authority(reviewed_at: str) -> str:
    return f"""\
kind: AuthorityMatrix
id: doa
reviewed_at: {reviewed_at}
limits:
  budget_allocation: {{CEO: null, HEAD_TECHNOLOGY: 2000000}}
  waiver: {{CEO: null}}
committee_required_above: 5000000
max_waiver_days: 180
"""


BUDGET_POLICY = """\
kind: BudgetPolicy
id: budget-2026
categories: [technology, talent, operations]
tolerance_pp: 10
phases:
  - {id: pilot,    months: [1, 6],   target_share: {technology: 0.60}}
  - {id: scale_up, months: [7, 18],  target_share: {talent: 0.30, operations: 0.30}}
  - {id: deepen,   months: [19, 36], target_share: {}}
line_overspend_tolerance: 0.05
required_cost_tags: [cost_center, project, environment]
tag_compliance_min: 0.95
"""

# Every GOV check but GOV-001/002 has something to say here.
GOV_FIRING = {
    "inventory/people.yaml": PEOPLE,
    "policies/committee.yaml": COMMITTEE,
    "policies/authority.yaml": authority("2025-11-24"),  # 366 days before AS_OF
    "inventory/records.yaml": """\
meetings:
  - {id: m-1, committee: board, date: 2026-08-01, present: [p-cto, p-cdo]}
decisions:
  - {id: d-quorum, type: other, requested_by: p-cdo, approved_by: [p-cto], meeting: m-1}
  - {id: d-self, type: budget_allocation, amount: 100000, requested_by: p-cto, approved_by: [p-cto, p-ceo]}
  - {id: d-limit, type: budget_allocation, amount: 3000000, requested_by: p-ops, approved_by: [p-cto]}
  - {id: d-big, type: budget_allocation, amount: 6000000, requested_by: p-ops, approved_by: [p-ceo]}
  - {id: d-absent, type: other, requested_by: p-ops, approved_by: [p-ceo], meeting: m-1}
""",
}

# Every GOV check evaluates something and every boundary sits exactly on its limit.
GOV_CLEAN = {
    "inventory/people.yaml": PEOPLE,
    "policies/committee.yaml": COMMITTEE,
    "policies/authority.yaml": authority("2025-11-25"),  # exactly 365 days
    "inventory/records.yaml": """\
meetings:
  - {id: m-1, committee: board, date: 2026-08-27, present: [p-ceo, p-cto, p-cdo]}
decisions:
  - {id: d-1, type: budget_allocation, amount: 8000000, requested_by: p-ops, approved_by: [p-ceo, p-cto], meeting: m-1}
  - {id: d-2, type: budget_allocation, amount: 2000000, requested_by: p-ops, approved_by: [p-cto]}
  - {id: d-3, type: budget_allocation, amount: 5000000, requested_by: p-ops, approved_by: [p-ceo]}
""",
}

BUD_FIRING = {
    "inventory/people.yaml": PEOPLE,
    "policies/committee.yaml": BUDGET_COMMITTEE,
    "policies/budget.yaml": BUDGET_POLICY,
    "inventory/projects.yaml": """\
projects:
  - id: prj-a
    phase: pilot
    start: 2026-01-01
    end: 2027-01-01
    budget_lines:
      - {id: bl-1, category: technology, amount: 200000, owner: p-cto}
      - {id: bl-2, category: marketing, amount: 165000}
  - id: prj-b
    phase: scale_up
    start: 2025-12-01
    end: 2027-12-31
    budget_lines:
      - {id: bl-3, category: talent, amount: 100000, owner: p-cto}
      - {id: bl-4, category: technology, amount: 900000, owner: p-cto}
""",
    "inventory/spend.csv": """\
id,budget_line,amount,date,tags.cost_center,tags.project,tags.environment
sp-1,bl-1,328001,2026-10-01,CC-1,prj-a,prod
sp-2,bl-4,100000,2026-10-01,,,
""",
    "inventory/records.yaml": """\
decisions:
  - {id: d-a, type: budget_allocation, subject: {kind: project, id: prj-a}, amount: 300000, approved_by: [p-ceo]}
  - {id: d-b, type: budget_allocation, subject: {kind: project, id: prj-b}, amount: 1000000, approved_by: [p-ceo]}
""",
}

BUD_CLEAN = {
    "inventory/people.yaml": PEOPLE,
    "policies/committee.yaml": BUDGET_COMMITTEE,
    "policies/budget.yaml": BUDGET_POLICY,
    "inventory/projects.yaml": """\
projects:
  - id: prj-a
    phase: pilot
    start: 2026-06-01
    end: 2027-05-31
    budget_lines:
      - {id: bl-1, category: technology, amount: 700, owner: p-cto}
      - {id: bl-2, category: talent, amount: 300, owner: p-cto}
""",
    "inventory/spend.csv": """\
id,budget_line,amount,date,tags.cost_center,tags.project,tags.environment
sp-1,bl-1,95,2026-10-01,CC-1,prj-a,prod
sp-2,bl-2,5,2026-10-01,CC-1,prj-a,
""",
    "inventory/records.yaml": """\
decisions:
  - {id: d-a, type: budget_allocation, subject: {kind: project, id: prj-a}, amount: 1000, approved_by: [p-ceo]}
""",
}

GOV = [f"GOV-00{n}" for n in range(3, 10)]
BUD = ["BUD-001", "BUD-002", "BUD-004", "BUD-005", "BUD-006", "BUD-007"]


def run(tmp_path, files, as_of=AS_OF):
    root = make_workspace(tmp_path, {"governance.yaml": "name: GOV-BUD\n", **files}, base=None)
    proc = check(root, "--format", "json", as_of=as_of)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def fired(result, prefix):
    """(check, resource kind, resource id, status) of every finding of one domain."""
    return {(f["check"], f["resource"]["kind"], f["resource"]["id"], f["status"])
            for f in result["findings"] if f["check"].startswith(prefix)}


def summaries(result):
    return {c["id"]: c for c in result["checks"]}


def message(result, check, rid):
    [f] = [f for f in result["findings"] if f["check"] == check and f["resource"]["id"] == rid]
    return f["message"]


def test_governance_findings(tmp_path, opa_binary):
    rc, result = run(tmp_path, GOV_FIRING)
    assert rc == 1
    assert fired(result, "GOV") == {
        ("GOV-003", "decision", "d-quorum", "fail"),
        ("GOV-003", "decision", "d-absent", "fail"),
        ("GOV-004", "decision", "d-self", "fail"),
        ("GOV-005", "decision", "d-limit", "fail"),
        ("GOV-006", "decision", "d-big", "fail"),
        ("GOV-007", "authority_matrix", "doa", "fail"),
        ("GOV-008", "committee", "board", "fail"),
        ("GOV-009", "decision", "d-absent", "fail"),
    }
    assert message(result, "GOV-003", "d-quorum") == (
        "decision d-quorum was taken at meeting m-1 (2026-08-01) of board with 2 present, below the quorum of 3"
        " and without the chair 王伟 (p-ceo) present (the chair names no delegate)")
    assert message(result, "GOV-005", "d-limit") == (
        "decision d-limit (budget allocation of 3,000,000) was taken outside a meeting and no approver's"
        " authority covers it: 李娜 (p-cto) (HEAD_TECHNOLOGY up to 2,000,000)")
    assert message(result, "GOV-008", "board") == "committee board last met on 2026-08-01, 116 days ago (allowed gap 90 days)"
    gov = summaries(result)
    assert gov["GOV-004"]["severity"] == "critical" and gov["GOV-004"]["waivable"] is False
    assert (gov["GOV-005"]["evaluated"], gov["GOV-005"]["failed"]) == (3, 1)  # decisions outside a meeting


def test_governance_clean_on_every_boundary(tmp_path, opa_binary):
    rc, result = run(tmp_path, GOV_CLEAN)
    assert fired(result, "GOV") == set()
    assert rc == 0
    gov = summaries(result)
    for cid in GOV:
        assert gov[cid]["status"] == "pass" and gov[cid]["evaluated"] >= 1, gov[cid]


def test_review_and_meeting_age_move_by_one_day(tmp_path, opa_binary):
    _, result = run(tmp_path, GOV_CLEAN, as_of="2026-11-26")
    assert fired(result, "GOV") == {
        ("GOV-007", "authority_matrix", "doa", "fail"),
        ("GOV-008", "committee", "board", "fail"),
    }


def test_budget_findings(tmp_path, opa_binary):
    rc, result = run(tmp_path, BUD_FIRING)
    assert rc == 1
    assert fired(result, "BUD") == {
        ("BUD-001", "budget_line", "bl-2", "fail"),
        ("BUD-002", "phase", "scale_up", "fail"),
        ("BUD-003", "budget_line", "bl-1", "fail"),
        ("BUD-004", "project", "prj-a", "fail"),
        ("BUD-005", "portfolio", "spend", "fail"),
        ("BUD-006", "project", "prj-a", "fail"),
        ("BUD-007", "project", "prj-a", "fail"),
    }
    assert message(result, "BUD-004", "prj-a") == (
        "project prj-a spent 328,001 in 328 of its 365 days; at that rate it reaches 365,001 by 2027-01-01,"
        " above its budget lines' total 365,000")
    assert message(result, "BUD-002", "scale_up") == (
        "the scale-up phase allocates 1,000,000 over 2 budget lines off target:"
        " operations 0.0% (target 30.0% ± 10 pp); talent 10.0% (target 30.0% ± 10 pp)")
    assert message(result, "BUD-001", "bl-2") == (
        "budget line bl-2 of project prj-a has category marketing, not one of technology, talent, operations"
        " and has no owner")
    # aggregate resources point at the policy that sets their rule
    locations = {f["check"]: f["location"] for f in result["findings"]}
    assert locations["BUD-002"]["file"] == "policies/budget.yaml"
    assert locations["BUD-005"]["file"] == "policies/budget.yaml"


def test_budget_clean_on_every_boundary(tmp_path, opa_binary):
    rc, result = run(tmp_path, BUD_CLEAN)
    assert fired(result, "BUD") == set()
    assert rc == 0
    bud = summaries(result)
    for cid in BUD:
        assert bud[cid]["status"] == "pass" and bud[cid]["evaluated"] >= 1, bud[cid]


def test_without_policies_the_policy_checks_are_not_applicable(tmp_path, opa_binary):
    """No AuthorityMatrix, no BudgetPolicy: OPA must not stop (strict builtin
    errors), and checks that need a policy report not_applicable."""
    files = {
        "inventory/people.yaml": PEOPLE,
        "policies/committee.yaml": COMMITTEE,
        "inventory/projects.yaml": """\
projects:
  - id: prj-a
    start: 2026-01-01
    end: 2027-01-01
    budget_lines: [{id: bl-1, category: marketing, amount: 100}]
""",
        "inventory/spend.csv": "id,budget_line,amount,date\nsp-1,bl-1,50,2026-03-01\n",
        "inventory/records.yaml": """\
decisions:
  - {id: d-1, type: other, amount: 9000000, requested_by: p-cto, approved_by: [p-cto]}
""",
    }
    _, result = run(tmp_path, files)
    status = {cid: c["status"] for cid, c in summaries(result).items()}
    for cid in ("GOV-005", "GOV-006", "GOV-007", "BUD-001", "BUD-002", "BUD-003", "BUD-005", "BUD-006"):
        assert status[cid] == "not_applicable", cid
    # the rules that need no policy still hold
    assert ("GOV-004", "decision", "d-1", "fail") in fired(result, "GOV")
    assert ("BUD-007", "project", "prj-a", "fail") in fired(result, "BUD")
    assert status["BUD-004"] == "pass"


@pytest.mark.parametrize("check,kind,rid,expected", [
    ("BUD-007", "project", "prj-a", "waived"),  # waivable
    ("GOV-004", "decision", "d-self", "fail"),  # not waivable: the waiver is not applied
])
def test_waivers_on_gov_and_bud_findings(tmp_path, opa_binary, check, kind, rid, expected):
    files = {**BUD_FIRING, **{"inventory/records.yaml": BUD_FIRING["inventory/records.yaml"] + """\
  - {id: d-self, type: other, requested_by: p-cto, approved_by: [p-cto]}
"""}, "policies/authority.yaml": authority("2026-03-01"), "waivers/waivers.yaml": f"""\
waivers:
  - id: wv-1
    check: {check}
    resource: {{kind: {kind}, id: {rid}}}
    justification: second allocation goes to the committee in December
    requested_by: p-cto
    approved_by: p-ceo
    approved_at: 2026-11-01
    expires: 2026-12-31
"""}
    _, result = run(tmp_path, files)
    [f] = [f for f in result["findings"] if f["check"] == check and f["resource"]["id"] == rid]
    assert f["status"] == expected
