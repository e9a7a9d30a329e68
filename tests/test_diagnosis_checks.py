"""The DIA checks in a real run (real OPA): acme's diagnosis fires the checks it is written to fire,
DIA-007's finding is shown at the StrategyPolicy, and without a `diagnosis` section every DIA check is
not_applicable. The checks' readings at each boundary are their `opa test` units (checks/diagnosis*_test.rego)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import EXAMPLE, check

DIA = [f"DIA-00{n}" for n in range(1, 9)]


def _run(root: Path) -> dict:
    ran = check(root, "--format", "json")
    assert ran.returncode in (0, 1), ran.stderr
    result: dict = json.loads(ran.stdout)
    return result


def test_acme_fires_the_dia_checks_it_is_written_to_fire(opa_binary):
    result = _run(EXAMPLE)
    fired = sorted((f["check"], f["resource"]["id"]) for f in result["findings"] if f["check"].startswith("DIA-"))
    assert fired == [
        ("DIA-001", "vs-store-replenishment"),  # last mapped 2025-06-15
        ("DIA-002", "vs-store-replenishment"),  # purchase-order: no outputs, no minutes
        ("DIA-003", "vs-recruiting"),  # drawn without operations
        ("DIA-004", "vs-order-fulfilment"),  # dispatch, a second hand-off, in no pain point
        ("DIA-005", "pp-slow-hiring"),
        ("DIA-006", "rc-item-codes"),
        ("DIA-008", "prj-genai-lab"),
    ]
    status = {c["id"]: (c["status"], c["evaluated"]) for c in result["checks"] if c["id"] in DIA}
    assert status["DIA-007"] == ("pass", 1)  # Hema, studied 2026-02-01
    assert status["DIA-001"] == ("fail", 2)  # the two core streams
    handoffs = next(f for f in result["findings"] if f["check"] == "DIA-004")
    assert handoffs["location"] == {"file": "inventory/diagnosis.yaml", "line": 8, "column": 5}
    assert "dispatch" in handoffs["message"] and "人工交接" in handoffs["message_zh"]


def test_no_recent_benchmark_is_a_finding_on_the_portfolio_at_the_strategy_policy(opa_binary, example):
    diagnosis = example / "inventory" / "diagnosis.yaml"
    diagnosis.write_text(diagnosis.read_text(encoding="utf-8").replace("studied_at: 2026-02-01", "studied_at: 2025-02-01"),
                         encoding="utf-8")
    result = _run(example)
    [finding] = [f for f in result["findings"] if f["check"] == "DIA-007"]
    assert finding["resource"] == {"kind": "portfolio", "id": "benchmark"}
    assert finding["location"]["file"] == "policies/strategy.yaml"
    # Hema now dates from 2025-02-01: the latest study is Luckin's
    assert finding["message"] == ("the latest benchmark study, bm-luckin of 2025-04-10, is 594 days old, "
                                  "more than benchmark_interval_days 365")


def test_without_a_diagnosis_section_every_dia_check_is_not_applicable(opa_binary, example):
    strategy = example / "policies" / "strategy.yaml"
    strategy.write_text(strategy.read_text(encoding="utf-8").split("diagnosis:")[0], encoding="utf-8")
    result = _run(example)
    assert {c["id"]: c["status"] for c in result["checks"] if c["id"] in DIA} == dict.fromkeys(DIA, "not_applicable")
    assert not [f for f in result["findings"] if f["check"].startswith("DIA-")]

