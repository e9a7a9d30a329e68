"""Recording a run into the history store against a raw bulk load of the same rows, side by side in one run.

For each size N (findings a run), on SQLite and on a throwaway PostgreSQL cluster:
1. a valid result of N findings is made from one real run of examples/acme: its findings copied onto
   N resources (each with its own fingerprint), resealed with govern's own functions (tests/history_support.py);
2. on a new store, the entity's first run is recorded, then a second run (a tenth of the findings
   resolved, as many new): the writing (`Store.record_valid`) is timed, and the validation that
   `Store.record` does before it (governance/evaluate/saved.py, shared with report, verify and aggregate)
   is timed apart;
3. the raw bulk load, by the database's own bulk path (PostgreSQL COPY, SQLite executemany), in one
   transaction into a new database (SQLite in WAL, as the store), of the rows read from the same result file.
   What "the same rows" are can be read two ways, and both are measured:
   - `one row`: one row per finding with everything the store keeps of it (run, fingerprint, check, resource
     kind and id, severity, status), in one table keyed like the store's observations;
   - `same rows`: exactly the finding rows govern writes for that run, into tables shaped, keyed and indexed
     like the store's (`findings`' index on the fingerprint included; neither side has a foreign key): one
     observation per finding, and the identity of each finding no earlier run reported (every finding on the
     entity's first run, the new tenth on the second);
   the lifecycle events, the run's row, its counts and its compressed bytes are govern's own work, on no raw
   side; the raw side is handed its rows in key order (sorted untimed), govern sorts its own;
4. the parse of the file belongs on both sides or neither: `writing` compares `Store.record_valid` (the result
   already validated) with the load alone, `recording` compares validation and writing (`Store.record`) with
   json.loads of the file, the rows taken from it and the load;
5. after the second run, the entity's ten oldest open findings (`Store.oldest_open`, the report's trend
   section) are read and timed;
6. each timing is taken three ways: wall time, this process's CPU time (every thread: hashing and compressing
   run in threads), and on PostgreSQL the server's CPU time (the cluster's processes, read from /proc); the
   ratios are given for wall time and for CPU on both sides of the socket. Govern's writing and the raw loads
   run in turns, round after round, and each figure is the best of `--rounds` (on a machine shared with other
   jobs the best is the least disturbed: a median still moves by half with the load).

    GOVERN_OPA=$(cat .venv/.opa-path) .venv/bin/python benchmarks/history_record.py            # 1k 10k 50k 100k
    GOVERN_OPA=$(cat .venv/.opa-path) .venv/bin/python benchmarks/history_record.py 50000 --rounds 3

PostgreSQL runs as the `postgres` user in a temporary folder (root cannot run it), on a Unix socket only.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import psycopg  # noqa: E402

from governance.evaluate.findings import fingerprint  # noqa: E402
from governance.evaluate.saved import read_result  # noqa: E402
from governance.history.store import open_store  # noqa: E402
from tests.history_support import PG_BIN, PORT, _as_postgres, new_database, resealed  # noqa: E402

# (table, its columns, its key, its other indexes): the one-row-per-finding table, and tables shaped, keyed and
# indexed like the store's (`findings` has an index on the fingerprint alone; no foreign key on either side)
ONE_ROW = ("raw_findings", ("run_id", "fingerprint", "check_id", "resource_kind", "resource_id", "severity", "status"),
           ("run_id", "fingerprint"), ())
OBSERVATIONS = ("raw_observations", ("run_id", "fingerprint", "severity", "status"), ("run_id", "fingerprint"), ())
IDENTITIES = ("raw_identities", ("entity", "fingerprint", "check_id", "resource_kind", "resource_id", "severity",
                                 "first_key"), ("entity", "fingerprint"), (("fingerprint",),))
Table = tuple[str, tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]
Load = list[tuple[Table, list[tuple]]]


def create(table: Table) -> list[str]:
    name, columns, key, indexes = table
    typed = ", ".join(f"{c} {'INTEGER' if c == 'run_id' else 'TEXT'} NOT NULL" for c in columns)
    return [f"CREATE TABLE {name} ({typed}, PRIMARY KEY ({', '.join(key)}))",
            *(f"CREATE INDEX ix_{name}_{i} ON {name} ({', '.join(index)})" for i, index in enumerate(indexes))]


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


def one_row(data: bytes) -> Load:
    """One row per finding with everything the store keeps of it, read from the result file."""
    doc = json.loads(data)
    return [(ONE_ROW, [(1, f["fingerprint"], f["check"], f["resource"]["kind"], f["resource"]["id"], f["severity"],
                        f["status"]) for f in doc["findings"]])]


def same_rows(data: bytes, earlier: set[str]) -> Load:
    """The finding rows govern writes for the run, read from the result file: an observation per finding, and the
    identity of each finding not in `earlier` (the fingerprints of the entity's earlier runs)."""
    doc = json.loads(data)
    key = "2026-11-25 2026-11-25T08:00:00Z " + "0" * 64  # an order key's length
    return [(OBSERVATIONS, [(1, f["fingerprint"], f["severity"], f["status"]) for f in doc["findings"]]),
            (IDENTITIES, [(doc["workspace"], f["fingerprint"], f["check"], f["resource"]["kind"], f["resource"]["id"],
                           f["severity"], key) for f in doc["findings"] if f["fingerprint"] not in earlier])]


def in_key_order(load: Load) -> Load:
    """The raw side gets its rows in the order of each table's key, untimed (govern sorts its own, timed)."""
    return [(t, sorted(rows, key=lambda r, t=t: tuple(r[t[1].index(c)] for c in t[2]))) for t, rows in load]


class Took(NamedTuple):
    """One timing: wall seconds, this process's CPU seconds (every thread), the database server's CPU seconds
    (PostgreSQL's processes; 0 for SQLite, which runs in this process)."""
    wall: float
    cpu: float
    server: float

    @property
    def work(self) -> float:  # CPU on both sides of the socket
        return self.cpu + self.server


def took(action: Callable[[], object], server: Callable[[], float]) -> Took:
    s0, c0, w0 = server(), time.process_time(), time.perf_counter()
    action()
    w1, c1 = time.perf_counter(), time.process_time()
    time.sleep(0.2)  # a backend whose connection just closed is reaped by the postmaster, its CPU counted there
    return Took(w1 - w0, c1 - c0, server() - s0)


def fastest(takes: list[Took]) -> Took:
    """The least disturbed of several: each figure's own minimum."""
    return Took(*(min(t[i] for t in takes) for i in range(3)))


def no_server() -> float:
    return 0.0


def postgres_cpu(folder: Path) -> Callable[[], float]:
    """CPU seconds spent so far by the cluster in `folder`: the postmaster, its children alive, and those it reaped
    (a backend ends with its connection)."""
    postmaster = int((folder / "data" / "postmaster.pid").read_text().split()[0])
    tick = os.sysconf("SC_CLK_TCK")

    def spent() -> float:
        total = 0
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(proc.name) == postmaster:  # its own, and its reaped children's
                total += sum(int(f) for f in fields[11:15])
            elif int(fields[1]) == postmaster:
                total += int(fields[11]) + int(fields[12])
        return total / tick
    return spent


def raw_sqlite(folder: Path, load: Load) -> Took:
    """executemany in one transaction into a new file, in WAL like the store."""
    path = folder / f"raw-{time.monotonic_ns()}.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    for table, _ in load:
        for sql in create(table):
            db.execute(sql)

    def bulk() -> None:
        db.execute("BEGIN IMMEDIATE")
        for (name, columns, _, _), rows in load:
            db.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                           rows)
        db.execute("COMMIT")
    done = took(bulk, no_server)
    db.close()
    return done


def raw_postgres(url: str, load: Load, server: Callable[[], float]) -> Took:
    """COPY in one transaction into new tables."""
    with psycopg.connect(_libpq(url)) as db:
        for table, _ in load:
            for sql in create(table):
                db.execute(sql)
        db.commit()

        def bulk() -> None:
            with db.cursor() as cursor:
                for (name, columns, _, _), rows in load:
                    with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            db.commit()
        return took(bulk, server)


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


def ratio(ours: Took, raw: Took) -> str:
    """Ours against the raw load's: wall time, and CPU on both sides of the socket (client and server)."""
    return f"wall {ours.wall / raw.wall:4.1f}x, CPU {ours.work / raw.work:4.1f}x"


def shown(t: Took) -> str:
    return f"{t.wall:5.2f} s wall, {t.cpu:5.2f} s CPU" + (f" + {t.server:5.2f} s server" if t.server else "")


def measure(n: int, rounds: int, base: dict, work: Path, pg: Path | None) -> list[str]:
    files = [sized(base, n, as_of="2026-11-25"),
             sized(base, n, as_of="2026-11-26", offset=n // 10)]  # the next day: a tenth resolved, as many new
    valid = [read_result("first.json", data) for data in files]
    gc.collect()
    check = [fastest([took(lambda data=data: read_result("run.json", data), no_server) for _ in range(rounds)])
             for data in files]
    first_prints = {f.fingerprint for f in valid[0].findings}
    loads = {"one row": [lambda: one_row(files[0]), lambda: one_row(files[1])],
             "same rows": [lambda: same_rows(files[0], set()), lambda: same_rows(files[1], first_prints)]}
    parse = {way: [fastest([took(make, no_server) for _ in range(rounds)]) for make in makes]
             for way, makes in loads.items()}
    rows = {way: [in_key_order(make()) for make in makes] for way, makes in loads.items()}
    lines = [f"{n} findings: validating the result {shown(check[0])} / {shown(check[1])} (first / second run); "
             f"json.loads and rows: one row {shown(parse['one row'][0])}, same rows {shown(parse['same rows'][0])}"]
    databases: list[tuple[str, Callable[[], str], Callable[[Load], Took], Callable[[], float]]] = [
        ("sqlite", lambda: f"sqlite:///{work}/s-{time.monotonic_ns()}.db", lambda load: raw_sqlite(work, load),
         no_server)]
    if pg is not None:
        server = postgres_cpu(pg)
        databases.append(("postgresql", lambda: new_database(pg),
                          lambda load: raw_postgres(new_database(pg), load, server), server))
    for name, new_url, raw, server in databases:
        written: list[list[Took]] = [[], []]
        loaded: dict[str, list[list[Took]]] = {way: [[], []] for way in rows}
        oldest: list[float] = []
        for _ in range(rounds):  # govern's writing and the raw loads in turns, so that both meet the same load
            with open_store(new_url()) as store:
                for i in (0, 1):
                    written[i].append(took(lambda i=i: store.record_valid(files[i], valid[i]), server))
                oldest.append(timed(lambda: store.oldest_open(valid[1].workspace, valid[1].as_of, 10)))
            for way in rows:
                for i in (0, 1):
                    loaded[way][i].append(raw(rows[way][i]))
        for i, which in enumerate(("first run", "second run")):
            w = fastest(written[i])
            lines.append(f"  {name:10} {which:10} writing {shown(w)}")
            for way in rows:
                b = fastest(loaded[way][i])
                whole = Took(w.wall + check[i].wall, w.cpu + check[i].cpu, w.server)
                raw_whole = Took(b.wall + parse[way][i].wall, b.cpu + parse[way][i].cpu, b.server)
                lines.append(f"    {way:9}: raw load {shown(b)}; writing {ratio(w, b)}; "
                             f"recording (validation + writing against json.loads + rows + load) {ratio(whole, raw_whole)}")
        lines.append(f"  {name:10} oldest_open (10 of {n}) {min(oldest):6.3f} s")
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
