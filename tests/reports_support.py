"""Helpers for the report tests.

Renderer tests read a golden result (tests/golden: real `govern check` runs, kept
fresh by tests/test_golden.py) and need no OPA; tests about the whole pipeline
run `govern check` on a copy of examples/acme. Either way the example's findings
change as checks evolve, so tests derive what they expect from the JSON result
they render instead of hard-coding it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from governance.result import RunResult
from tests import golden
from tests.conftest import AS_OF, EXAMPLE, check


def run_json(workspace: Path, *args: str, name: str = "result.json") -> tuple[dict, Path]:
    """Run `govern check` (shared OPA) with a JSON report (plus any other `--format` in args); return it and its path."""
    out = workspace.parent / name
    proc = check(workspace, "--format", f"json={out}", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(out.read_text(encoding="utf-8")), out


def saved(name: str, folder: Path) -> Path:
    """The golden result `name` as a saved file in `folder`, for `govern report` or `--baseline`."""
    target = folder / f"{name}.json"
    target.write_bytes(golden.path(name).read_bytes())
    return target


def add_valid_waiver(workspace: Path, waiver_id: str = "wv-test-001",
                     justification: str = "供应商合同续签前的临时例外 (temporary until the vendor contract renews)") -> dict:
    """Waive the first failing finding of a waivable check with a waiver valid at AS_OF; return that finding."""
    result, _ = run_json(workspace)
    failing = golden.waivable_failures(result)
    assert failing, "examples/acme has no failing finding of a waivable check to waive"
    (workspace / "waivers" / f"{waiver_id}.yaml").write_text(
        "waivers:\n" + golden.waiver_yaml(waiver_id, failing[0], justification, "p-cto"), encoding="utf-8")
    return failing[0]


HOSTILE = ("<script>alert(1)</script> ![t](http://tracker/x.png) [x](javascript:alert(1)) | col "
           "*em* _em_ `code` ~~s~~ <img src=x onerror=alert(2)> &amp; # h \x1b[31m")


def string_fields(node, keys: set[str], path=""):
    """Every string value under one of `keys` anywhere in a JSON document, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys and isinstance(value, str):
                yield f"{path}.{key}", value
            else:
                yield from string_fields(value, keys, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from string_fields(value, keys, f"{path}[{i}]")


def hostile_check_result() -> RunResult:
    """A result whose check and finding carry HOSTILE text: every format must show it inert."""
    from governance.result import CheckSummary, ControlRecord, Engine, Finding, FindingLocation, Resource, Summary, Tool

    check = CheckSummary(id="ACME-001", title=HOSTILE, description=HOSTILE, severity="high", waivable=True,
                         domain="acme|<b>x</b>", resource="system | ![r](http://tracker/r.png)", evaluated=1,
                         failed=1, waived=0, status="fail", controls=["CTL-X"])
    finding = Finding(check="ACME-001", severity="high", resource=Resource(kind="system", id="s-1"), message=HOSTILE,
                      location=FindingLocation(file="governance.yaml", line=1, column=1), controls=["CTL-X"],
                      status="fail", fingerprint="f1")
    return RunResult(workspace="w", as_of="2026-11-25", tool=Tool(version="0.0.0"),
                     engine=Engine(opa_version="1.20.2", policy_revision="sha256:x"), inputs=[],
                     findings=[finding], checks=[check],
                     controls=[ControlRecord(id="CTL-X", title={"en": HOSTILE}, checks=["ACME-001"], status="fail")],
                     summary=Summary(fail=1, waived=0, by_severity={"high": 1}, checks={"fail": 1}))


@dataclass(frozen=True)
class AcmeBudget:
    """examples/acme's plan and spend, counted from its YAML and CSV without govern: what the reports'
    budget section must show. Spend counts when dated on or before AS_OF."""

    planned: dict[str, float]  # category -> the budget lines' amounts
    spent: dict[str, float]  # category -> spend
    phase_planned: dict[str, float]  # phase -> ...
    phase_spent: dict[str, float]
    running: dict[str, tuple[float, float, int, int]]  # running project -> (lines, spent, elapsed days, days)
    overspent: list[tuple[str, float, float]]  # (line, amount, spent) of the lines spent above their amount, by id


def acme_budget() -> AcmeBudget:
    projects = YAML(typ="safe").load((EXAMPLE / "inventory" / "projects.yaml").read_text(encoding="utf-8"))["projects"]
    with (EXAMPLE / "inventory" / "spend.csv").open(encoding="utf-8") as f:
        every = list(csv.DictReader(f))
    on_line: dict[str, float] = {}  # spend dated on or before as_of
    ever: dict[str, float] = {}  # all spend whatever its date: BUD-003's basis, and the overspent lines'
    for row in every:
        ever[row["budget_line"]] = ever.get(row["budget_line"], 0) + float(row["amount"])
        if row["date"] <= AS_OF:
            on_line[row["budget_line"]] = on_line.get(row["budget_line"], 0) + float(row["amount"])
    planned: dict[str, float] = {}
    spent: dict[str, float] = {}
    phase_planned: dict[str, float] = {}
    phase_spent: dict[str, float] = {}
    running = {}
    day = dt.date.fromisoformat(AS_OF)
    for p in projects:
        for line in p.get("budget_lines", []):
            cat, amount, used = line["category"], line["amount"], on_line.get(line["id"], 0)
            planned[cat], spent[cat] = planned.get(cat, 0) + amount, spent.get(cat, 0) + used
            phase_planned[p["phase"]] = phase_planned.get(p["phase"], 0) + amount
            phase_spent[p["phase"]] = phase_spent.get(p["phase"], 0) + used
        if p.get("budget_lines") and p["start"] < day < p["end"]:  # running as BUD-004 has it, with a budget to burn
            running[p["id"]] = (sum(line["amount"] for line in p.get("budget_lines", [])),
                                sum(on_line.get(line["id"], 0) for line in p.get("budget_lines", [])),
                                (day - p["start"]).days, (p["end"] - p["start"]).days)
    overspent = sorted((line["id"], line["amount"], ever[line["id"]]) for p in projects for line in p.get("budget_lines", [])
                       if ever.get(line["id"], 0) > line["amount"])
    return AcmeBudget(planned, spent, phase_planned, phase_spent, running, overspent)


def uuids(node: object) -> list[str]:
    """Every `uuid` an OSCAL document gives, in document order (the same one given twice is listed twice)."""
    if isinstance(node, dict):
        own = [node["uuid"]] if isinstance(node.get("uuid"), str) else []
        return own + [u for value in node.values() for u in uuids(value)]
    if isinstance(node, list):
        return [u for value in node for u in uuids(value)]
    return []
