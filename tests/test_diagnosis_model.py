"""The diagnosis's model (handbook §1.1): value streams with their steps, pain points, root causes,
benchmarks, a project's `root_causes` and `technologies`, and the StrategyPolicy's `diagnosis`
section load, and every rule about them fails at file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.load import WorkspaceErrors
from governance.model import load_workspace
from tests.conftest import make_workspace

PEOPLE = """\
people:
  - {id: p-ceo, name: 王伟, roles: [CEO]}
  - {id: p-cto, name: 李娜, roles: [HEAD_TECHNOLOGY]}
  - {id: p-biz, name: 张敏, roles: [HEAD_BUSINESS]}
  - {id: p-ops, name: 孙杰, roles: [SRE_LEAD]}
"""

STRATEGY = """\
kind: StrategyPolicy
id: strategy-2026
diagnosis:
  map_interval_days: 365
  max_manual_steps: 1
  benchmark_interval_days: 365
"""

STREAMS = """\
value_streams:
  - id: vs-order
    name: 线上订单履约
    core: true
    owner: p-biz
    mapped_at: 2026-03-10
    team: {business: p-biz, technology: p-cto, operations: p-ops}
    steps:
      - id: intake
        owner: p-biz
        inputs: [订单]
        outputs: [已确认订单]
        minutes: 5
      - id: inventory-check
        name: 库存查询
        owner: p-ops
        inputs: [已确认订单]
        outputs: [可用库存]
        minutes: 40
        error_rate: 0.15
        manual: true
        systems: [sys-oms, sys-wms]
  - id: vs-returns
    owner: p-ops
    steps:
      - {id: intake}
"""

DIAGNOSIS = """\
pain_points:
  - id: pp-handoffs
    value_stream: vs-order
    steps: [inventory-check]
    statement: 人工对接3个系统，平均耗时2小时，错误率15%
    root_causes: [rc-no-integration]
root_causes:
  - id: rc-no-integration
    category: architecture
    method: five_whys
    statement: 订单、库存、物流系统之间没有接口
benchmarks:
  - id: bm-hema
    peer: 盒马鲜生
    practice: 线上线下一体化供应链
    studied_at: 2026-02-01
    adopted_by: [prj-oms]
"""

SYSTEMS = """\
systems:
  - {id: sys-oms, deployment: private}
  - {id: sys-wms, deployment: private}
"""

PROJECTS = """\
projects:
  - id: prj-oms
    start: 2026-01-01
    end: 2026-12-31
    root_causes: [rc-no-integration]
    technologies: [iot, ml]
"""

FULL = {"policies/strategy.yaml": STRATEGY, "inventory/people.yaml": PEOPLE, "inventory/streams.yaml": STREAMS,
        "inventory/diagnosis.yaml": DIAGNOSIS, "inventory/systems.yaml": SYSTEMS, "inventory/projects.yaml": PROJECTS}


def workspace(tmp_path: Path, files: dict[str, str | None]) -> Path:
    merged = {**FULL, **files}
    return make_workspace(tmp_path, {k: v for k, v in merged.items() if v is not None})


def errors(root: Path) -> list[str]:
    with pytest.raises(WorkspaceErrors) as caught:
        load_workspace(root)
    return [str(e) for e in caught.value.errors]


# ---------------------------------------------------------------- the happy path

def test_the_diagnosis_loads_and_reaches_opa(tmp_path):
    ws = load_workspace(workspace(tmp_path, {}))
    sp = ws.strategy_policy
    assert sp and sp.diagnosis and (sp.diagnosis.map_interval_days, sp.diagnosis.max_manual_steps) == (365, 1)
    assert ws.definitions()["strategy_policy"]["diagnosis"] == {
        "map_interval_days": 365, "max_manual_steps": 1, "benchmark_interval_days": 365}
    given = ws.inventory_input()
    order = given["value_streams"]["vs-order"]
    assert order["core"] is True and order["team"] == {"business": "p-biz", "technology": "p-cto", "operations": "p-ops"}
    assert order["steps"][1] == {"id": "inventory-check", "name": "库存查询", "owner": "p-ops", "inputs": ["已确认订单"],
                                 "outputs": ["可用库存"], "minutes": 40, "error_rate": 0.15, "manual": True,
                                 "systems": ["sys-oms", "sys-wms"]}
    # defaults: not core, a step not manual, no inputs or outputs (DIA-002 reads an empty list as lacking)
    assert given["value_streams"]["vs-returns"] == {
        "id": "vs-returns", "core": False, "owner": "p-ops",
        "steps": [{"id": "intake", "inputs": [], "outputs": [], "manual": False, "systems": []}]}
    assert given["pain_points"]["pp-handoffs"]["steps"] == ["inventory-check"]
    assert given["root_causes"]["rc-no-integration"]["method"] == "five_whys"
    assert given["benchmarks"]["bm-hema"] == {"id": "bm-hema", "peer": "盒马鲜生", "practice": "线上线下一体化供应链",
                                              "studied_at": "2026-02-01", "adopted_by": ["prj-oms"]}
    assert given["projects"]["prj-oms"]["root_causes"] == ["rc-no-integration"]
    assert given["projects"]["prj-oms"]["technologies"] == ["iot", "ml"]
    assert str(ws.declared_at("value_stream", "vs-order")) == "inventory/streams.yaml:2:5"
    assert str(ws.declared_at("benchmark", "bm-hema")) == "inventory/diagnosis.yaml:13:5"


def test_a_step_id_may_repeat_in_another_stream(tmp_path):
    # vs-order and vs-returns both have a step `intake`: unique within the stream is enough
    ws = load_workspace(workspace(tmp_path, {}))
    assert [s.id for s in ws.inventory.value_streams["vs-returns"].steps] == ["intake"]


def test_without_a_diagnosis_section_the_policy_loads(tmp_path):
    ws = load_workspace(workspace(tmp_path, {"policies/strategy.yaml": "kind: StrategyPolicy\nid: s\n"}))
    assert ws.strategy_policy and ws.strategy_policy.diagnosis is None
    assert "diagnosis" not in ws.definitions()["strategy_policy"]


# ---------------------------------------------------------------- steps within their stream

def test_a_step_id_twice_in_one_stream_is_an_error_at_the_second(tmp_path):
    root = workspace(tmp_path, {"inventory/streams.yaml": STREAMS.replace("- id: inventory-check", "- id: intake"),
                                "inventory/diagnosis.yaml": DIAGNOSIS.replace("[inventory-check]", "[intake]")})
    assert errors(root) == ["inventory/streams.yaml:14:9: value_stream 'vs-order' has a second step 'intake' "
                            "(first at inventory/streams.yaml:9:9)"]


def test_a_pain_point_naming_a_step_of_another_stream_is_an_error_at_that_step(tmp_path):
    streams = STREAMS.replace("      - {id: intake}\n", "      - {id: intake}\n      - {id: refund}\n")
    diagnosis = DIAGNOSIS.replace("steps: [inventory-check]", "steps: [inventory-check, refund]")
    root = workspace(tmp_path, {"inventory/streams.yaml": streams, "inventory/diagnosis.yaml": diagnosis})
    assert errors(root) == ["inventory/diagnosis.yaml:4:30: pain_point 'pp-handoffs' names step 'refund', "
                            "which is not a step of value_stream 'vs-order'"]


def test_a_pain_point_of_an_unknown_stream_is_one_error_at_its_stream(tmp_path):
    root = workspace(tmp_path, {"inventory/diagnosis.yaml": DIAGNOSIS.replace("value_stream: vs-order", "value_stream: vs-x")})
    assert errors(root) == ["inventory/diagnosis.yaml:3:5: pain_point 'pp-handoffs' refers to unknown value_stream 'vs-x'"]


def test_a_step_id_is_held_to_what_an_id_may_be(tmp_path):
    root = workspace(tmp_path, {"inventory/streams.yaml": STREAMS.replace("- {id: intake}", "- {id: 'intake '}")})
    assert errors(root) == ["inventory/streams.yaml:26:10: step id 'intake ' begins or ends with a space, "
                            "which would let it pass for another"]


# ---------------------------------------------------------------- references

@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("inventory/streams.yaml", "owner: p-biz\n    mapped_at", "owner: p-x\n    mapped_at",
     "inventory/streams.yaml:5:5: value_stream 'vs-order' refers to unknown person 'p-x'"),
    ("inventory/streams.yaml", "operations: p-ops}", "operations: p-x}",
     "inventory/streams.yaml:7:48: value_stream 'vs-order' refers to unknown person 'p-x'"),
    ("inventory/streams.yaml", "owner: p-ops\n        inputs", "owner: p-x\n        inputs",
     "inventory/streams.yaml:16:9: value_stream 'vs-order' refers to unknown person 'p-x'"),
    ("inventory/streams.yaml", "[sys-oms, sys-wms]", "[sys-oms, sys-x]",
     "inventory/streams.yaml:22:28: value_stream 'vs-order' refers to unknown system 'sys-x'"),
    ("inventory/diagnosis.yaml", "root_causes: [rc-no-integration]", "root_causes: [rc-x]",
     "inventory/diagnosis.yaml:6:19: pain_point 'pp-handoffs' refers to unknown root_cause 'rc-x'"),
    ("inventory/diagnosis.yaml", "adopted_by: [prj-oms]", "adopted_by: [prj-x]",
     "inventory/diagnosis.yaml:17:18: benchmark 'bm-hema' refers to unknown project 'prj-x'"),
    ("inventory/projects.yaml", "root_causes: [rc-no-integration]", "root_causes: [rc-x]",
     "inventory/projects.yaml:5:19: project 'prj-oms' refers to unknown root_cause 'rc-x'"),
])
def test_every_diagnosis_reference_must_resolve(tmp_path, file, old, new, message):
    assert errors(workspace(tmp_path, {file: FULL[file].replace(old, new)})) == [message]


# ---------------------------------------------------------------- fields

@pytest.mark.parametrize(("file", "old", "new", "where", "message"), [
    ("inventory/streams.yaml", "      - {id: intake}\n", "      []\n", "25:5",
     "steps: List should have at least 1 item after validation, not 0"),
    ("inventory/streams.yaml", "    owner: p-ops\n    steps", "    steps", "23:5", "missing required field 'owner'"),
    ("inventory/streams.yaml", "error_rate: 0.15", "error_rate: 1.5", "20:9",
     "steps.1.error_rate: Input should be less than or equal to 1 (got 1.5)"),
    ("inventory/streams.yaml", "minutes: 40", "minutes: -1", "19:9",
     "steps.1.minutes: Input should be greater than or equal to 0 (got -1)"),
    ("inventory/streams.yaml", "team: {business", "team: {finance: p-ceo, business", "7:12",
     "unknown field 'team.finance'"),
    ("inventory/streams.yaml", "mapped_at: 2026-03-10", "mapped_at: 2026-02-30", "6:16",
     "'2026-02-30' is not a valid date: day is out of range for month"),
    ("inventory/diagnosis.yaml", "category: architecture", "category: people", "9:5",
     "category: Input should be 'architecture', 'data_standards', 'coordination' or 'other' (got 'people')"),
    ("inventory/diagnosis.yaml", "method: five_whys", "method: gut", "10:5",
     "method: Input should be 'fishbone' or 'five_whys' (got 'gut')"),
    ("inventory/diagnosis.yaml", "    studied_at: 2026-02-01\n", "", "13:5", "missing required field 'studied_at'"),
    ("inventory/diagnosis.yaml", "    statement: 人工对接3个系统，平均耗时2小时，错误率15%\n", "", "2:5",
     "missing required field 'statement'"),
    ("policies/strategy.yaml", "max_manual_steps: 1", "max_manual_steps: -1", "5:3",
     "diagnosis.max_manual_steps: Input should be greater than or equal to 0 (got -1)"),
    ("policies/strategy.yaml", "map_interval_days: 365", "map_interval_days: 0", "4:3",
     "diagnosis.map_interval_days: Input should be greater than or equal to 1 (got 0)"),
    ("policies/strategy.yaml", "  benchmark_interval_days: 365\n", "", "3:1",
     "missing required field 'diagnosis.benchmark_interval_days'"),
])
def test_diagnosis_fields_are_checked(tmp_path, file, old, new, where, message):
    root = workspace(tmp_path, {file: FULL[file].replace(old, new)})
    assert errors(root) == [f"{file}:{where}: {message}"]
