"""Scaling benchmark: a synthetic workspace with N systems, end to end on real OPA.

Prints, for each size, the wall time of loading (files → validated models, Rego compiled),
of evaluating every check on OPA, the peak memory of this process and of OPA,
and the time ratio against the previous size (≈ size ratio means linear).

    .venv/bin/python benchmarks/bench.py 1000 10000 100000   (govern installed, as `make install` does)
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from governance.evaluate.run import assemble, evaluate, now, prepare

REPO = Path(__file__).resolve().parents[1]  # for examples/acme, which the synthetic workspace reuses

AS_OF = dt.date(2026, 11, 25)


def synthesize(root: Path, n: int) -> None:
    """n systems, n datasets, n/10 projects with 3 lines each, 2n spend, n/100 decisions."""
    (root / "governance.yaml").write_text("name: bench\n", encoding="utf-8")  # a folder without one is no workspace
    shutil.copytree(REPO / "examples" / "acme" / "policies", root / "policies")
    shutil.copy(REPO / "examples" / "acme" / "inventory" / "people.yaml", root / "people.yaml")
    inv = root / "inventory"
    inv.mkdir()
    shutil.move(root / "people.yaml", inv / "people.yaml")
    grades = ["core", "important", "general-4", "general-3", "general-2", "general-1"]
    levels = ["restricted", "restricted", "restricted", "confidential", "internal", "public"]
    datasets = [{
        "id": f"ds-{i}", "owner": "p-cdo", "grade": grades[i % 6], "level": levels[i % 6],
        "classified_at": "2026-03-01", "encryption_at_rest": "cmk", "security_officer": "p-sec",
        "last_risk_assessment": "2026-05-01",
        "personal_info": {"contains": i % 3 == 0, "sensitive": i % 9 == 0, "subjects": (i * 7919) % 3_000_000},
        "pipia_ref": f"doc://pipia/{i}",
        "flows": [{"to": "partner", "jurisdiction": "SG", "mechanism": "contract"}] if i % 50 == 0 else [],
    } for i in range(n)]
    deployments = ["private", "public", "hybrid", "on_prem"]
    platforms = {"private": "plat-dc1", "public": "plat-pub", "hybrid": "plat-hybrid", "on_prem": "plat-dc2"}
    systems = [{
        "id": f"sys-{i}", "owner": "p-cto", "platform": platforms[deployments[i % 4]], "deployment": deployments[i % 4],
        "region": "cn-bj-dc1", "jurisdiction": "CN", "replicas": [{"region": "cn-sh-dc2", "jurisdiction": "CN"}],
        "datasets": [f"ds-{i}", {"id": f"ds-{(i + 1) % n}", "side": "public"}] if i % 4 == 2 else [f"ds-{i}"],
        "mlps_level": 3, "mlps_filing_id": f"F-{i}", "mlps_last_assessment": "2026-06-01",
        "labels": {"data_level": levels[i % 6]}, "tags": {"cost_center": "CC-1"},
    } for i in range(n)]
    projects = [{
        "id": f"prj-{p}", "owner": "p-cto", "phase": "scale_up", "start": "2026-01-01", "end": "2026-12-31",
        "budget_lines": [{"id": f"bl-{p}-{k}", "category": ["technology", "talent", "operations"][k], "amount": 100000,
                          "owner": "p-cto"} for k in range(3)],
    } for p in range(max(1, n // 10))]
    spend = [{"id": f"sp-{s}", "budget_line": f"bl-{s % len(projects)}-{s % 3}", "amount": 1000 + s % 500, "date": "2026-06-01",
              "tags": {"cost_center": "CC-1", "project": "x", "environment": "prod"}} for s in range(2 * n)]
    decisions = [{"id": f"dec-{p}", "type": "budget_allocation", "subject": {"kind": "project", "id": f"prj-{p}"},
                  "amount": 300000, "requested_by": "p-cto", "approved_by": ["p-ceo"], "date": "2026-01-10"}
                 for p in range(len(projects))]
    platforms = (REPO / "examples/acme/inventory/platforms.yaml").read_text(encoding="utf-8")
    (inv / "platforms.yaml").write_text(platforms, encoding="utf-8")
    kinds = {"systems": systems, "datasets": datasets, "projects": projects, "spend": spend, "decisions": decisions}
    for name, items in kinds.items():
        (inv / f"{name}.json").write_text(json.dumps({name: items}, indent=1), encoding="utf-8")


def opa_peak_kib(stop: threading.Event, out: list) -> None:
    """Sample the VmHWM of any opa child of this process (Linux)."""
    import os

    me = os.getpid()
    peak = 0
    while not stop.is_set():
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if "\nName:\topa\n" not in "\n" + text or f"\nPPid:\t{me}\n" not in text:
                continue
            for line in text.splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        time.sleep(0.2)
    out.append(peak)


def run(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        synthesize(root, n)
        started = now()
        t0 = time.perf_counter()
        prepared = prepare(root, AS_OF)  # the phases of `govern check`, as it runs them
        t1 = time.perf_counter()
        stop, peak = threading.Event(), []
        sampler = threading.Thread(target=opa_peak_kib, args=(stop, peak))
        sampler.start()
        try:
            t2 = time.perf_counter()
            engine = evaluate(prepared, timeout=1800)
            t3 = time.perf_counter()
        finally:
            stop.set()
            sampler.join()
        result = assemble(prepared, engine, started=started)
        t4 = time.perf_counter()
    return {"n": n, "load": t1 - t0, "opa": t3 - t2, "findings": t4 - t3, "count": len(result.findings),
            "py_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "opa_peak_mib": peak[0] / 1024}


def main(sizes: list[int]) -> None:
    print(f"{'systems':>8} {'load s':>8} {'opa s':>8} {'post s':>7} {'findings':>9} {'py MiB':>8} {'opa MiB':>8} {'ratio':>6}")
    previous = None
    for n in sizes:
        r = run(n)
        total = r["load"] + r["opa"] + r["findings"]
        ratio = f"{total / previous:.1f}" if previous else "-"
        print(f"{n:>8} {r['load']:>8.2f} {r['opa']:>8.2f} {r['findings']:>7.2f} {r['count']:>9} "
              f"{r['py_peak_mib']:>8.0f} {r['opa_peak_mib']:>8.0f} {ratio:>6}", flush=True)
        previous = total


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
