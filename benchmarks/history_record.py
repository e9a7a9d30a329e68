"""Recording a run into the history store against a raw bulk load of the same rows, side by side in one run.

For each size N (findings a run), on SQLite and on a throwaway PostgreSQL cluster:
1. a valid result of N findings is made from one real run of examples/acme: its findings copied onto
   N resources (each with its own fingerprint), resealed with govern's own functions (tests/history_support.py);
2. on a new store, the entity's first run is recorded, then a second run (a tenth of the findings
   resolved, as many new): the writing (`Store.record_valid`) is timed, and the validation that
   `Store.record` does before it (governance/evaluate/saved.py, shared with report, verify and aggregate)
   is timed apart and added;
3. the raw bulk load: the same N findings, one row each with everything the store keeps of a finding
   (run, fingerprint, check, resource kind and id, severity, status), into a table keyed like the store's
   observations, by the database's own bulk path (PostgreSQL COPY, SQLite executemany), in one transaction;
4. it prints each time (median of `--rounds`) and record / raw.

    GOVERN_OPA=$(cat .venv/.opa-path) .venv/bin/python benchmarks/history_record.py            # 1k 10k 50k 100k
    GOVERN_OPA=$(cat .venv/.opa-path) .venv/bin/python benchmarks/history_record.py 50000 --rounds 3

PostgreSQL runs as the `postgres` user in a temporary folder (root cannot run it), on a Unix socket only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import psycopg  # noqa: E402

from governance.evaluate.findings import fingerprint  # noqa: E402
from governance.evaluate.saved import read_result  # noqa: E402
from governance.history.store import open_store  # noqa: E402
from tests.history_support import PG_BIN, PORT, _as_postgres, new_database, resealed  # noqa: E402

RAW_COLUMNS = ("run_id", "fingerprint", "check_id", "resource_kind", "resource_id", "severity", "status")
RAW_TABLE = ("CREATE TABLE raw_findings (run_id INTEGER NOT NULL, fingerprint TEXT NOT NULL, check_id TEXT NOT NULL,"
             " resource_kind TEXT NOT NULL, resource_id TEXT NOT NULL, severity VARCHAR(8) NOT NULL,"
             " status VARCHAR(6) NOT NULL, PRIMARY KEY (run_id, fingerprint))")


def acme_result(folder: Path) -> dict:
    """One real run of examples/acme (exit 1: it has findings)."""
    out = folder / "acme.json"
    ran = subprocess.run([sys.executable, "-m", "governance", "check", str(REPO / "examples" / "acme"),
                          "--as-of", "2026-11-25", "--format", "json", "--output", str(out)],
                         capture_output=True, text=True, cwd=REPO)
    if ran.returncode != 1:
        sys.exit(f"govern check examples/acme ended {ran.returncode}: {ran.stderr}")
    return json.loads(out.read_text(encoding="utf-8"))


def sized(base: dict, n: int, *, as_of: str, offset: int = 0) -> bytes:
    """A valid result of `n` findings like `base`'s, each on a resource of its own (numbered from `offset`)."""
    doc = json.loads(json.dumps(base))
    doc["as_of"] = as_of
    doc["run"] = {"started_at": f"{as_of}T08:00:00Z", "finished_at": f"{as_of}T08:00:00Z"}
    model = base["findings"]
    findings = []
    for i in range(offset, offset + n):
        f = dict(model[i % len(model)])
        f["resource"] = {**f["resource"], "id": f"{f['resource']['id']}-{i}"}
        f["fingerprint"] = fingerprint(f["check"], f["resource"]["kind"], f["resource"]["id"])
        if f["status"] == "waived":  # a waiver names its resource: the copies on other resources fail
            f["status"], f["waiver"] = "fail", None
        findings.append(f)
    doc["findings"] = findings
    return (json.dumps(resealed(doc), indent=2, ensure_ascii=False) + "\n").encode()


def rows_of(data: bytes) -> list[tuple]:
    doc = json.loads(data)
    return [(1, f["fingerprint"], f["check"], f["resource"]["kind"], f["resource"]["id"], f["severity"], f["status"])
            for f in doc["findings"]]


def raw_sqlite(folder: Path, rows: list[tuple]) -> float:
    """executemany in one transaction into a new file, in WAL like the store."""
    path = folder / f"raw-{time.monotonic_ns()}.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(RAW_TABLE)
    start = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    db.executemany(f"INSERT INTO raw_findings ({', '.join(RAW_COLUMNS)}) VALUES ({', '.join('?' * 7)})", rows)
    db.execute("COMMIT")
    took = time.perf_counter() - start
    db.close()
    return took


def raw_postgres(url: str, rows: list[tuple]) -> float:
    """COPY in one transaction into a new table."""
    with psycopg.connect(_libpq(url)) as db:
        db.execute(RAW_TABLE)
        db.commit()
        start = time.perf_counter()
        with db.cursor() as cursor, cursor.copy(f"COPY raw_findings ({', '.join(RAW_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        db.commit()
        return time.perf_counter() - start


def _libpq(url: str) -> str:
    name, _, query = url.removeprefix("postgresql://postgres@/").partition("?")
    params = dict(p.split("=", 1) for p in query.split("&"))
    return f"host={params['host']} port={params['port']} user=postgres dbname={name}"


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@contextmanager
def cluster() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="govern-bench-pg-"))
    shutil.chown(folder, "postgres")
    data = folder / "data"
    made = _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                        "--no-sync")
    assert made.returncode == 0, made.stderr
    options = f"-k {folder} -p {PORT} -c listen_addresses=''"
    started = _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
                           "-w", "start")
    assert started.returncode == 0, started.stderr
    try:
        yield folder
    finally:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def measure(n: int, rounds: int, base: dict, work: Path, pg: Path | None) -> list[str]:
    first = sized(base, n, as_of="2026-11-25")
    # the next day: the first tenth resolved, as many new findings
    second = sized(base, n, as_of="2026-11-26", offset=n // 10)
    rows = rows_of(first)
    valid = [read_result("first.json", first), read_result("second.json", second)]
    check = statistics.median(timed(lambda: read_result("first.json", first)) for _ in range(rounds))
    lines = [f"{n} findings: validating the result {check:.2f} s (in `record`, before anything is written)"]
    databases: list[tuple[str, Callable[[], str], Callable[[], float]]] = [
        ("sqlite", lambda: f"sqlite:///{work}/s-{time.monotonic_ns()}.db", lambda: raw_sqlite(work, rows))]
    if pg is not None:
        databases.append(("postgresql", lambda: new_database(pg), lambda: raw_postgres(new_database(pg), rows)))
    for name, new_url, raw in databases:
        one, two, loads = [], [], []
        for _ in range(rounds):
            loads.append(raw())
            with open_store(new_url()) as store:
                one.append(timed(lambda: store.record_valid(first, valid[0])))
                two.append(timed(lambda: store.record_valid(second, valid[1])))
        w1, w2, b = statistics.median(one), statistics.median(two), statistics.median(loads)
        lines.append(f"  {name:10} raw bulk load {b:5.2f} s | writing: first run {w1:5.2f} s ({w1 / b:4.1f}x), "
                     f"second {w2:5.2f} s ({w2 / b:4.1f}x) | with validation: first {w1 + check:5.2f} s "
                     f"({(w1 + check) / b:4.1f}x), second {w2 + check:5.2f} s ({(w2 + check) / b:4.1f}x)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 50000, 100000])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-postgresql", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govern-bench-") as tmp:
        work = Path(tmp)
        base = acme_result(work)
        with (cluster() if not args.no_postgresql else _none()) as pg:
            for n in args.sizes:
                print("\n".join(measure(n, args.rounds, base, work, pg)), flush=True)


@contextmanager
def _none() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    main()
