"""Scaling benchmark: `govern check` against raw `opa eval` on the same Rego, data and input.

For each size N it generates a synthetic JSON workspace (N systems, N datasets, N/10
projects with 3 budget lines each, N/2 spend, 200 people), writes out the exact Rego
modules, data and input that govern sends to OPA, then times, alternately and repeatedly:

- `govern check WS --format json` (the real CLI, with its managed OPA), and
- `opa eval --format json --strict-builtin-errors -d REGO -d data.json -i input.json data.govern.main.report`,
- and, if conftest is installed (`--conftest PATH`, or `conftest` on PATH or in ~/go/bin), `conftest test
  input.json` with the same modules and data and one more module whose `deny` rule is every violation
  of the same report (what a platform team running the same Rego with conftest would time).

Memory is the peak resident size of each side's whole process tree (govern and its OPA
child), sampled from /proc. Both sides must report the same findings and the same
`evaluated` counts, or the benchmark stops. It ends with the 10k → 100k time ratio
(linearity) and the wall time of `govern check examples/acme`.

    .venv/bin/python benchmarks/bench.py                  # 1k and 10k, 3 rounds each
    .venv/bin/python benchmarks/bench.py 100000 --rounds 1
    GOVERN_OPA=... selects the OPA binary, as for govern itself.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]  # for examples/acme, which the synthetic workspace reuses
AS_OF = "2026-11-25"
GOVERN = Path(sys.executable).with_name("govern")
PEOPLE = 200


def synthesize(root: Path, n: int) -> None:
    """The synthetic workspace: acme's policies and platforms, generated JSON inventory."""
    (root / "governance.yaml").write_text("name: bench\n", encoding="utf-8")  # a folder without one is no workspace
    shutil.copytree(REPO / "examples" / "acme" / "policies", root / "policies")
    inv = root / "inventory"
    inv.mkdir()
    shutil.copy(REPO / "examples" / "acme" / "inventory" / "platforms.yaml", inv / "platforms.yaml")
    people = YAML(typ="safe").load((REPO / "examples" / "acme" / "inventory" / "people.yaml").read_text("utf-8"))["people"]
    people += [{"id": f"p-{i}", "name": f"person {i}", "roles": ["ENGINEER"]} for i in range(PEOPLE - len(people))]
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
    spend = [{"id": f"sp-{s}", "budget_line": f"bl-{s % len(projects)}-{s % 3}", "amount": 1000 + s % 500,
              "date": "2026-06-01", "tags": {"cost_center": "CC-1", "project": "x", "environment": "prod"}}
             for s in range(n // 2)]
    decisions = [{"id": f"dec-{p}", "type": "budget_allocation", "subject": {"kind": "project", "id": f"prj-{p}"},
                  "amount": 300000, "requested_by": "p-cto", "approved_by": ["p-ceo"], "date": "2026-01-10"}
                 for p in range(len(projects))]
    kinds = {"people": people, "systems": systems, "datasets": datasets, "projects": projects, "spend": spend,
             "decisions": decisions}
    for name, items in kinds.items():
        (inv / f"{name}.json").write_text(json.dumps({name: items}, indent=1), encoding="utf-8")


def capture(workspace: Path, out: Path) -> None:
    """Write the modules, data and input govern sends to OPA for `workspace` (run in a child
    process, so this one stays small while the two sides are measured)."""
    import datetime as dt

    from governance.engine import policy_revision
    from governance.evaluate.run import prepare
    from governance.vocabulary import vocabulary

    prepared = prepare(workspace, dt.date.fromisoformat(AS_OF))
    definitions = prepared.workspace.definitions()
    for module in prepared.policy.modules:
        path = out / "rego" / module.id
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(module.text, encoding="utf-8")
    # the vocabulary too: govern's OPA holds it as data, and the checks' messages name values from it
    data = {"govern": {"definitions": definitions, "vocabulary": vocabulary(),
                       "meta": {"revision": policy_revision(prepared.policy.modules, definitions)}}}
    (out / "data.json").write_text(json.dumps(data), encoding="utf-8")
    (out / "input.json").write_bytes(prepared.input)


@dataclass
class Sample:
    seconds: float
    peak_mib: float
    stdout: bytes


def _tree_rss_kib(root: int) -> int:
    """Resident KiB of `root` and all its descendants right now (Linux /proc)."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        pending += [int(c) for c in children]
    return total


def measure(cmd: list[str], ok: set[int], env: dict[str, str] | None = None) -> Sample:
    """Run `cmd`, timing it and sampling its process tree's resident size every 20 ms."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
        peak, done = 0, threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss_kib(proc.pid))
                done.wait(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        _, err = proc.communicate()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        if proc.returncode not in ok:
            raise SystemExit(f"{cmd[0]} exited {proc.returncode}: {err.decode(errors='replace')[-2000:]}")
        out.seek(0)
        return Sample(seconds, peak / 1024, out.read())


def govern_findings(stdout: bytes) -> tuple[Counter, dict[str, int]]:
    doc = json.loads(stdout)
    found = Counter((f["check"], f["resource"]["kind"], f["resource"]["id"], f["message"]) for f in doc["findings"])
    return found, {c["id"]: c["evaluated"] for c in doc["checks"]}


def opa_findings(stdout: bytes) -> tuple[Counter, dict[str, int]]:
    report = json.loads(stdout)["result"][0]["expressions"][0]["value"]
    found: Counter = Counter()
    for check in report["checks"]:
        cid = check["meta"]["custom"]["id"]
        found.update((cid, v["resource"]["kind"], v["resource"]["id"], v["message"]) for v in check["violations"])
    return found, {c["meta"]["custom"]["id"]: c["evaluated"] for c in report["checks"]}


# conftest evaluates deny rules, not a query: this one is every violation of govern's report.
CONFTEST_POLICY = """package bench

deny contains json.marshal([c.meta.custom.id, v.resource.kind, v.resource.id, v.message]) if {
	some c in data.govern.main.report.checks
	some v in c.violations
}
"""


def conftest_findings(stdout: bytes) -> Counter:
    found: Counter = Counter()
    for result in json.loads(stdout):
        found.update(tuple(json.loads(f["msg"])) for f in result.get("failures") or [])
    return found


def conftest_binary(given: str | None) -> str | None:
    if given:
        return given
    found = shutil.which("conftest")
    home = Path.home() / "go" / "bin" / "conftest"
    return found or (str(home) if home.exists() else None)


def opa_binary() -> str:
    sys.path.insert(0, str(REPO))
    from governance.engine.binary import find_opa

    return find_opa()


def bench(n: int, rounds: int, opa: str, conftest: str | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="govern-bench-") as tmp:
        ws, sent = Path(tmp) / "ws", Path(tmp) / "sent"
        ws.mkdir()
        sent.mkdir()
        synthesize(ws, n)
        subprocess.run([sys.executable, __file__, "--capture", str(ws), str(sent)], check=True)
        govern_cmd = [str(GOVERN), "check", str(ws), "--as-of", AS_OF, "--format", "json", "--timeout", "3600"]
        opa_cmd = [opa, "eval", "--format", "json", "--strict-builtin-errors", "-d", str(sent / "rego"),
                   "-d", str(sent / "data.json"), "-i", str(sent / "input.json"), "data.govern.main.report"]
        (sent / "conftest").mkdir()
        (sent / "conftest" / "bench.rego").write_text(CONFTEST_POLICY, encoding="utf-8")
        conftest_cmd = [conftest or "conftest", "test", "--no-color", "--output", "json", "--namespace", "bench",
                        "--policy", str(sent / "rego"), "--policy", str(sent / "conftest"), "--data", str(sent / "data.json"),
                        str(sent / "input.json")]
        env = {**os.environ, "GOVERN_OPA": opa}
        govern_runs, opa_runs, conftest_runs = [], [], []
        for _ in range(rounds):  # alternately, so both sides see the same machine load
            govern_runs.append(measure(govern_cmd, {0, 1}, env))
            opa_runs.append(measure(opa_cmd, {0}))
            if conftest:
                conftest_runs.append(measure(conftest_cmd, {0, 1}))
        mine, theirs = govern_findings(govern_runs[-1].stdout), opa_findings(opa_runs[-1].stdout)
        if mine != theirs:
            raise SystemExit(f"at {n} systems govern and opa eval disagree: "
                             f"{len(mine[0])} vs {len(theirs[0])} findings")
        if conftest_runs and conftest_findings(conftest_runs[-1].stdout) != Counter(
                {(c, k, i, m): 1 for (c, k, i, m) in mine[0]}):
            raise SystemExit(f"at {n} systems govern and conftest disagree")
    extra = {"conftest_s": statistics.median(s.seconds for s in conftest_runs),
             "conftest_mib": max(s.peak_mib for s in conftest_runs)} if conftest_runs else {}
    return {"n": n, "findings": sum(mine[0].values()), **extra,
            "govern_s": statistics.median(s.seconds for s in govern_runs),
            "govern_mib": max(s.peak_mib for s in govern_runs),
            "opa_s": statistics.median(s.seconds for s in opa_runs),
            "opa_mib": max(s.peak_mib for s in opa_runs)}


def acme_wall(rounds: int, opa: str) -> float:
    cmd = [str(GOVERN), "check", str(REPO / "examples" / "acme"), "--as-of", AS_OF, "--format", "json"]
    return statistics.median(measure(cmd, {0, 1}, {**os.environ, "GOVERN_OPA": opa}).seconds for _ in range(rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each side per size; medians are reported")
    parser.add_argument("--conftest", metavar="PATH", help="conftest binary (default: on PATH or in ~/go/bin, if there)")
    parser.add_argument("--capture", nargs=2, metavar=("WORKSPACE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.capture:
        capture(Path(args.capture[0]), Path(args.capture[1]))
        return
    opa, conftest = opa_binary(), conftest_binary(args.conftest)
    print(f"{'systems':>8} | {'findings':>8} | {'govern s':>8} {'MiB':>6} | {'opa eval s':>10} {'MiB':>6} | "
          f"{'time ×':>6} | {'mem ×':>5}" + (f" | {'conftest s':>10} {'MiB':>6} | {'vs conftest':>11}" if conftest else ""),
          flush=True)
    results = {}
    for n in args.sizes:
        r = results[n] = bench(n, args.rounds, opa, conftest)
        side = (f" | {r['conftest_s']:>10.2f} {r['conftest_mib']:>6.0f} | {r['govern_s'] / r['conftest_s']:>10.2f}×"
                if conftest else "")
        print(f"{n:>8} | {r['findings']:>8} | {r['govern_s']:>8.2f} {r['govern_mib']:>6.0f} | {r['opa_s']:>10.2f} "
              f"{r['opa_mib']:>6.0f} | {r['govern_s'] / r['opa_s']:>6.2f} | {r['govern_mib'] / r['opa_mib']:>5.2f}{side}",
              flush=True)
    if 10000 in results and 100000 in results:
        print(f"linearity, govern 10k → 100k: {results[100000]['govern_s'] / results[10000]['govern_s']:.1f}×")
    print(f"govern check examples/acme: {acme_wall(args.rounds, opa):.2f} s wall (median of {args.rounds})")


if __name__ == "__main__":
    main()
