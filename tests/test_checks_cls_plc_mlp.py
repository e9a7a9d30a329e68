"""Classification, placement and MLPS checks end to end: the real CLI on tiny
workspaces written here, evaluated by real OPA (in process, on the shared server).

The main workspace mixes entities that satisfy every CLS/PLC/MLP row with
entities that each break a known set of rows, so one run shows both what
fires and what does not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import check

AS_OF = "2026-11-25"
OURS = ("CLS-", "PLC-", "MLP-")

POLICIES = {
    "policies/classification.yaml": """\
kind: ClassificationPolicy
id: classification-2026
grades: [core, important, general-4, general-3, general-2, general-1]
levels: [restricted, confidential, internal, public]
min_level:
  {core: restricted, important: restricted, general-4: restricted,
   general-3: confidential, general-2: internal, general-1: public}
review_interval_days: {core: 180, important: 365, default: 730}
encryption_at_rest: {restricted: cmk, confidential: required}
important_data:
  grades: [core, important]
  risk_assessment_interval_days: 365
""",
    "policies/placement.yaml": """\
kind: PlacementPolicy
id: placement-2026
rules:
  - id: restricted-private-only
    match: {levels: [restricted]}
    allowed_deployments: [private, on_prem]
    allowed_jurisdictions: [CN]
  - id: personal-info-in-cn
    match: {personal_info: true}
    allowed_jurisdictions: [CN]
  - id: approved-regions
    match: {all: true}
    allowed_regions: [cn-north-1, cn-east-2, cn-bj-dc1, cn-sh-dc2]
cross_border:
  security_assessment: {grades: [core, important], subjects_at_least: 1000000, sensitive_subjects_at_least: 10000}
  contract_or_certification: {subjects_at_least: 100000}
""",
    "policies/authority.yaml": """\
kind: AuthorityMatrix
id: doa
reviewed_at: 2026-03-01
limits:
  waiver: {CEO: null}
max_waiver_days: 180
""",
}

PEOPLE = """\
people:
  - {id: p-ceo, name: 王伟, roles: [CEO]}
  - {id: p-cto, name: 李娜, roles: [HEAD_TECHNOLOGY]}
  - {id: p-sec, name: 赵磊, roles: [CISO]}
"""

PLATFORMS = """\
platforms:
  - {id: plat-dc, deployment: private, region: cn-bj-dc1, jurisdiction: CN, mlps_level: 4, dedicated_pool: true}
  - {id: plat-pub, deployment: public, region: cn-east-2, jurisdiction: CN, mlps_level: 3}
  - {id: plat-sg, deployment: public, region: ap-southeast-1, jurisdiction: SG, mlps_level: 2}
"""

DATASETS = """\
datasets:
  - id: ds-good
    grade: important
    level: restricted
    classified_at: 2026-06-01
    personal_info: {contains: true, sensitive: true, subjects: 2000000}
    pipia_ref: doc://pipia/1
    encryption_at_rest: cmk
    security_officer: p-sec
    last_risk_assessment: 2026-06-01
    flows: [{to: partner-sg, jurisdiction: SG, mechanism: security_assessment}]
  - {id: ds-stale, grade: general-2, level: internal, classified_at: 2024-11-24}
  - id: ds-no-pipia
    grade: general-3
    level: confidential
    classified_at: 2026-06-01
    personal_info: {contains: true, sensitive: true, subjects: 500}
    encryption_at_rest: required
  - {id: ds-core-bare, grade: core, level: restricted, classified_at: 2026-11-01, encryption_at_rest: required}
  - id: ds-export
    grade: general-3
    level: confidential
    classified_at: 2026-06-01
    personal_info: {contains: true, subjects: 150000}
    encryption_at_rest: required
    flows: [{to: us-analytics, jurisdiction: US, mechanism: none}]
  - {id: ds-orphan, grade: general-1, level: public, classified_at: 2026-06-01}
  - {id: ds-public-content, grade: general-2, level: public, classified_at: 2026-06-01}
"""

SYSTEMS = """\
systems:
  - id: sys-good
    platform: plat-dc
    deployment: private
    region: cn-bj-dc1
    jurisdiction: CN
    replicas: [{region: cn-sh-dc2, jurisdiction: CN}]
    datasets: [ds-good, ds-stale]
    ciio: true
    mlps_level: 4
    mlps_filing_id: "11010-1"
    mlps_last_assessment: 2026-09-01
    labels: {data_level: restricted}
  - id: sys-mislabelled
    platform: plat-dc
    deployment: private
    region: cn-bj-dc1
    jurisdiction: CN
    datasets: [ds-no-pipia]
    mlps_level: 3
    mlps_filing_id: "11010-2"
    mlps_last_assessment: 2026-01-01
    labels: {data_level: internal}
  - id: sys-public-restricted
    platform: plat-pub
    deployment: public
    region: cn-east-2
    jurisdiction: CN
    datasets: [ds-core-bare]
    mlps_level: 2
    mlps_filing_id: "31010-3"
    labels: {data_level: restricted}
  - id: sys-sg
    platform: plat-sg
    deployment: public
    region: ap-southeast-1
    jurisdiction: SG
    datasets: [ds-export]
    ciio: true
    mlps_level: 3
    mlps_filing_id: "31010-4"
    mlps_last_assessment: 2025-11-24
    labels: {data_level: confidential}
  - id: sys-replica
    platform: plat-dc
    deployment: private
    region: cn-bj-dc1
    jurisdiction: CN
    replicas: [{region: ap-southeast-1, jurisdiction: CN}]
    datasets: [ds-public-content]
    mlps_level: 2
    elastic: true
    labels: {data_level: public}
  - id: sys-misdeployed
    platform: plat-pub
    deployment: private
    region: cn-east-2
    jurisdiction: CN
    mlps_level: 4
    mlps_filing_id: "31010-6"
    mlps_last_assessment: 2026-09-01
"""

WAIVERS = """\
waivers:
  - {id: wv-mlp, check: MLP-002, resource: {kind: system, id: sys-sg}, justification: assessor booked for December,
     requested_by: p-cto, approved_by: p-ceo, approved_at: 2026-11-01, expires: 2027-01-31}
  - {id: wv-plc, check: PLC-004, resource: {kind: system, id: sys-sg}, justification: migration under way,
     requested_by: p-cto, approved_by: p-ceo, approved_at: 2026-11-01, expires: 2027-01-31}
"""

# (check, resource id) -> status: every CLS/PLC/MLP finding the main workspace must produce, and no other
EXPECTED = {
    ("CLS-001", "ds-public-content"): "fail",
    ("CLS-002", "ds-stale"): "fail",
    ("CLS-003", "ds-no-pipia"): "fail",
    ("CLS-004", "sys-mislabelled"): "fail",
    ("CLS-005", "ds-core-bare"): "fail",
    ("CLS-006", "ds-core-bare"): "fail",
    ("CLS-007", "ds-core-bare"): "fail",
    ("CLS-008", "ds-orphan"): "fail",
    ("PLC-001", "sys-public-restricted"): "fail",
    ("PLC-002", "sys-sg"): "fail",
    ("PLC-003", "sys-replica"): "fail",
    ("PLC-004", "sys-sg"): "fail",  # not waivable: wv-plc must not apply
    ("PLC-005", "sys-sg"): "fail",
    ("PLC-005", "sys-misdeployed"): "fail",
    ("PLC-006", "sys-misdeployed"): "fail",
    ("PLC-007", "ds-export"): "fail",
    ("PLC-008", "sys-misdeployed"): "fail",
    ("PLC-009", "sys-replica"): "fail",
    ("MLP-001", "sys-replica"): "fail",
    ("MLP-002", "sys-sg"): "waived",
    ("MLP-003", "sys-public-restricted"): "fail",
}


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in {"governance.yaml": "name: CLS-PLC-MLP\n", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def check_json(workspace: Path, as_of: str = AS_OF) -> dict:
    proc = check(workspace, "--format", "json", as_of=as_of)
    assert proc.returncode in (0, 1), f"exit {proc.returncode}: {proc.stderr}"
    return json.loads(proc.stdout)


def ours(result: dict) -> dict[tuple[str, str], dict]:
    return {(f["check"], f["resource"]["id"]): f for f in result["findings"] if f["check"].startswith(OURS)}


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture(scope="module")
def main_run(tmp_path_factory, opa_binary) -> dict:
    root = write(tmp_path_factory.mktemp("cls-plc-mlp"), {
        **POLICIES,
        "inventory/people.yaml": PEOPLE,
        "inventory/platforms.yaml": PLATFORMS,
        "inventory/datasets.yaml": DATASETS,
        "inventory/systems.yaml": SYSTEMS,
        "waivers/waivers.yaml": WAIVERS,
    })
    return check_json(root)


def test_exactly_the_planted_findings_appear(main_run):
    found = {key: f["status"] for key, f in ours(main_run).items()}
    assert found == EXPECTED


def test_every_check_evaluated_something(main_run):
    checks = {c["id"]: c for c in main_run["checks"] if c["id"].startswith(OURS)}
    expected_ids = {f"CLS-00{i}" for i in range(1, 9)} | {f"PLC-00{i}" for i in range(1, 10)} | {"MLP-001", "MLP-002", "MLP-003"}
    assert set(checks) == expected_ids
    assert all(c["evaluated"] >= 1 for c in checks.values()), checks
    assert checks["MLP-002"]["status"] == "pass" and checks["MLP-002"]["waived"] == 1
    assert checks["PLC-004"]["status"] == "fail"


def test_severities_follow_the_catalogue(main_run):
    sev = {key[0]: f["severity"] for key, f in ours(main_run).items()}
    assert sev["PLC-001"] == sev["PLC-004"] == sev["PLC-007"] == "critical"
    assert sev["CLS-002"] == sev["PLC-008"] == sev["MLP-003"] == "medium"
    assert sev["CLS-008"] == sev["PLC-009"] == "info"
    assert sev["CLS-004"] == sev["MLP-001"] == "high"


def test_exact_messages(main_run):
    found = ours(main_run)
    assert found[("PLC-001", "sys-public-restricted")]["message"] == (
        "system sys-public-restricted stores restricted dataset ds-core-bare on its public cloud deployment "
        "(rule restricted-private-only allows private cloud, on premises)")
    # held by a CIIO system: any flow of its personal information needs an assessment (CAC 2024 art. 7)
    assert found[("PLC-007", "ds-export")]["message"] == (
        "dataset ds-export flows abroad without the required security_assessment "
        "(personal information held by CIIO system sys-sg): to us-analytics (US) by none")
    assert found[("CLS-004", "sys-mislabelled")]["message"] == (
        "system sys-mislabelled is labelled data_level internal but holds confidential data (ds-no-pipia)")
    assert found[("MLP-002", "sys-sg")]["waiver"] == "wv-mlp"


def test_location_points_at_the_offending_system(main_run):
    loc = ours(main_run)[("CLS-004", "sys-mislabelled")]["location"]
    assert loc == {"file": "inventory/systems.yaml", "line": line_of(SYSTEMS, "id: sys-mislabelled"), "column": 5}
    loc = ours(main_run)[("PLC-007", "ds-export")]["location"]
    assert (loc["file"], loc["line"]) == ("inventory/datasets.yaml", line_of(DATASETS, "id: ds-export"))


BOUNDARY = {
    **POLICIES,
    "inventory/people.yaml": PEOPLE,
    "inventory/platforms.yaml": PLATFORMS,
    "inventory/datasets.yaml": """\
datasets:
  - id: ds-core
    grade: core
    level: restricted
    classified_at: 2026-05-29
    encryption_at_rest: cmk
    security_officer: p-sec
    last_risk_assessment: 2025-11-25
  - id: ds-at-contract
    grade: general-3
    level: confidential
    classified_at: 2026-06-01
    personal_info: {contains: true, subjects: 100000}
    encryption_at_rest: required
    flows: [{to: sg-crm, jurisdiction: SG, mechanism: contract}]
  - id: ds-at-million
    grade: general-3
    level: confidential
    classified_at: 2026-06-01
    personal_info: {contains: true, subjects: 1000000}
    encryption_at_rest: required
    flows: [{to: sg-crm, jurisdiction: SG, mechanism: contract}]
""",
    "inventory/systems.yaml": """\
systems:
  - id: sys-l3
    platform: plat-dc
    deployment: private
    region: cn-bj-dc1
    jurisdiction: CN
    datasets: [ds-core, ds-at-contract, ds-at-million]
    mlps_level: 3
    mlps_filing_id: "11010-1"
    mlps_last_assessment: 2025-11-25
    labels: {data_level: restricted}
  - id: sys-l4
    platform: plat-dc
    deployment: private
    region: cn-bj-dc1
    jurisdiction: CN
    mlps_level: 4
    mlps_filing_id: "11010-2"
    mlps_last_assessment: 2026-05-26
""",
}


@pytest.mark.parametrize("as_of, expected", [
    # every date exactly at its limit: within, so nothing fires but the one threshold
    ("2026-11-25", {("PLC-007", "ds-at-million")}),
    # one day later each lapses: CLS-002 (180 days), CLS-006 and MLP-002 (365), MLP-002 level 4 (183)
    ("2026-11-26", {("PLC-007", "ds-at-million"), ("CLS-002", "ds-core"), ("CLS-006", "ds-core"),
                    ("MLP-002", "sys-l3"), ("MLP-002", "sys-l4")}),
])
def test_boundaries(tmp_path, opa_binary, as_of, expected):
    result = check_json(write(tmp_path, BOUNDARY), as_of)
    assert set(ours(result)) == expected


def test_without_policies_policy_rows_are_not_applicable(tmp_path, opa_binary):
    root = write(tmp_path, {
        "inventory/people.yaml": PEOPLE,
        "inventory/platforms.yaml": PLATFORMS,
        "inventory/datasets.yaml": ("datasets:\n  - {id: ds-a, grade: core, level: restricted}\n"
                                    "  - {id: ds-b, grade: core, level: restricted}\n"),
        "inventory/systems.yaml": ("systems:\n"
                                   "  - {id: sys-a, platform: plat-pub, deployment: public, datasets: [ds-a], mlps_level: 2}\n"),
    })
    result = check_json(root)
    status = {c["id"]: c["status"] for c in result["checks"]}
    for cid in ("CLS-001", "CLS-002", "CLS-003", "CLS-004", "CLS-005", "CLS-006", "CLS-007",
                "PLC-001", "PLC-002", "PLC-003", "PLC-007", "MLP-003"):
        assert status[cid] == "not_applicable", cid
    assert set(ours(result)) == {("CLS-008", "ds-b"), ("MLP-001", "sys-a")}


# PLC-007 under the 2024 provisions (arts. 7-8), through `govern check`: sensitive personal
# information about fewer people than sensitive_subjects_at_least (but at least one) needs a
# contract, a certification or an assessment; under the threshold nothing else is asked.
SENSITIVE = """\
  - id: ds-test-sensitive
    name: 海外客服工单
    owner: p-cdo
    grade: general-2
    level: internal
    classified_at: 2026-11-01
    personal_info: {{contains: true, sensitive: true, subjects: {subjects}}}
    flows: [{{to: sg-support, jurisdiction: SG, mechanism: {mechanism}}}]
"""


@pytest.mark.parametrize(("subjects", "mechanism", "fires"), [
    (5000, "none", True),              # sensitive, 1 ≤ 5,000 < 10,000: a mechanism is needed
    (5000, "contract", False),         # … and a contract is enough
    (1, "none", True),                 # the boundary: one subject is enough to need one
    (10000, "contract", True),         # at the threshold: only a security assessment will do
    (10000, "security_assessment", False),
])
def test_plc_007_sensitive_personal_information_below_the_assessment_threshold(example, subjects, mechanism, fires):
    datasets = example / "inventory" / "datasets.yaml"
    datasets.write_text(datasets.read_text(encoding="utf-8") + SENSITIVE.format(subjects=subjects, mechanism=mechanism),
                        encoding="utf-8")
    found = [f for f in check_json(example)["findings"]
             if f["check"] == "PLC-007" and f["resource"]["id"] == "ds-test-sensitive"]
    assert bool(found) == fires, found
    if fires:
        assert found[0]["message_zh"] and "敏感个人信息" in found[0]["message_zh"]
