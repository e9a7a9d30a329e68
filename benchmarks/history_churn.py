"""Recording an entity's next run when its store already knows many more findings than the run reports.

A year of daily runs with churn leaves an entity's `findings` (every finding any of its runs ever reported) far
larger than one run: 50,000 findings a run and 5,000 new a day make some 1.8 million after a year. This records
a first run of N findings, adds EXTRA identities of findings earlier runs reported (rows written straight into
the store's `findings`, as that year would have left them), then times the second run (`Store.record_valid`: a
tenth resolved, as many new), its main thread's CPU time and its wall time, on SQLite, best of `--rounds`.

    GOVERN_OPA=$(cat .venv/.opa-path) .venv/bin/python benchmarks/history_churn.py 50000 500000 --rounds 3
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from history_record import acme_result, sized  # noqa: E402

from governance.evaluate.saved import read_result  # noqa: E402
from governance.history.store import open_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("findings", type=int)
    parser.add_argument("extra", type=int)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govern-bench-") as tmp:
        work = Path(tmp)
        base = acme_result(work)
        files = [sized(base, args.findings, as_of="2026-11-25"),
                 sized(base, args.findings, as_of="2026-11-26", offset=args.findings // 10)]
        valid = [read_result("run.json", data) for data in files]
        gc.collect()
        cpu, wall = [], []
        for _ in range(args.rounds):
            path = work / f"s-{time.monotonic_ns()}.db"
            with open_store(f"sqlite:///{path}") as store:
                store.record_valid(files[0], valid[0])
                db = sqlite3.connect(path)
                key = db.execute("SELECT order_key FROM runs").fetchone()[0]
                db.executemany("INSERT INTO findings VALUES (?, ?, 'X', 'k', 'r', 'low', ?)",
                               [(valid[0].workspace, f"earlier-{i:056d}", key) for i in range(args.extra)])
                db.commit()
                db.close()
                thread, start = time.thread_time(), time.perf_counter()
                store.record_valid(files[1], valid[1])
                cpu.append(time.thread_time() - thread)
                wall.append(time.perf_counter() - start)
        print(f"{args.findings} findings, {args.extra} more known: second run main-thread CPU {min(cpu):.3f} s, "
              f"wall {min(wall):.3f} s")


if __name__ == "__main__":
    main()
