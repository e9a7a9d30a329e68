"""History store benchmark: recording and reading runs, on SQLite and PostgreSQL, side by side.

Three figures, each measured in one process on both databases:

1. **Recording against a raw bulk load.** `Store.record` of one result of N findings (50,000 by default),
   into a store that already holds the entity's previous run, against a raw bulk load of the same rows
   (one row per finding: entity, fingerprint, check, resource kind and id, severity, status) into a bare
   table: PostgreSQL `COPY`, SQLite `executemany` in one transaction. The ratio is the cost of what
   recording adds (validation, the result's compressed bytes, counts, lifecycles); target at most 2x.
2. **Trend.** `Store.trend` over 365 daily runs of 20 entities (7,300 runs): it reads the counts each
   run stored when it was recorded, never a finding; target under 1 s on both.
3. **Scaling.** Recording and reading (`trend` of the entity, `finding`, `oldest_open`) from 1k to 100k
   findings a run.

The results are synthetic: tests/golden/acme.json with its findings multiplied over new resources, the
summary and checks counted again and the verdict sealed, so each is a result `govern history record`
accepts. PostgreSQL is a throwaway cluster of this run's own (initdb in a temporary folder, a private
socket, stopped at the end); without PostgreSQL's binaries its columns say so.

    .venv/bin/python benchmarks/history.py                          # 50k ratio, 365 x 20 trend, 1k/10k/100k
    .venv/bin/python benchmarks/history.py --findings 10000 --scale 1000 10000 --days 30
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import governance.cli  # noqa: E402,F401  (the store's URL rules live beside the CLI's: imported first, as govern does)
from governance.evaluate.findings import fingerprint  # noqa: E402
from governance.evaluate.saved import read_result  # noqa: E402
from governance.history.store import open_store  # noqa: E402
from governance.report import render  # noqa: E402
from governance.result import RunResult, sealed, summarize  # noqa: E402

BASE = REPO / "tests" / "golden" / "acme.json"
PG_BINARIES = [Path("/usr/lib/postgresql/15/bin"), *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]


# ---------------------------------------------------------------- synthetic results

def synthetic(n: int, *, entity: str = "Bench Group", as_of: str = "2026-11-25", started: str = "2026-11-25T09:00:00Z",
              shift: int = 0) -> tuple[bytes, RunResult]:
    """A valid result of `n` findings: acme's findings repeated over resources `sys-<i>` (`shift` moves the
    window of resources, so two runs share some findings and differ in others)."""
    base = _base()
    models = [f for f in base.findings if f.status == "fail"]  # a waived one names its waiver's own resource
    findings = []
    for i in range(n):
        model = models[i % len(models)]
        rid = f"sys-{i + shift:07d}"
        findings.append(model.model_copy(update={
            "resource": model.resource.model_copy(update={"id": rid}),
            "fingerprint": fingerprint(model.check, model.resource.kind, rid), "baseline": None}))
    failed = {c.id: sum(1 for f in findings if f.check == c.id and f.status == "fail") for c in base.checks}
    waived = {c.id: sum(1 for f in findings if f.check == c.id and f.status == "waived") for c in base.checks}
    checks = [c.model_copy(update={"failed": failed[c.id], "waived": waived[c.id],
                                   "evaluated": max(c.evaluated, failed[c.id] + waived[c.id])}) for c in base.checks]
    run = base.run.model_copy(update={"started_at": started, "finished_at": started}) if base.run else None
    waivers = [w.model_copy(update={"applied": 0}) for w in base.waivers]
    result = base.model_copy(update={"workspace": entity, "as_of": as_of, "run": run, "findings": findings,
                                     "checks": checks, "waivers": waivers, "resolved": None})
    result = result.model_copy(update={"summary": summarize(findings, checks, result.fail_on)})
    result = sealed(result)
    data = render("json", result).encode("utf-8")
    return data, read_result(Path(f"{entity}-{as_of}.json"), data)  # validated as `history record` reads it


@functools.cache
def _base() -> RunResult:
    return read_result(BASE)


def rows_of(result: RunResult) -> list[tuple[str, str, str, str, str, str, str]]:
    return [(result.workspace, f.fingerprint, f.check, f.resource.kind, f.resource.id, f.severity, f.status)
            for f in result.findings]


# ---------------------------------------------------------------- databases

@contextlib.contextmanager
def postgres() -> Iterator[Callable[[str], str] | None]:
    """A throwaway PostgreSQL cluster (None when its binaries are missing): a function giving the URL of a
    fresh database in it."""
    bindir = next((b for b in PG_BINARIES if (b / "initdb").exists()), None)
    if bindir is None:
        yield None
        return
    root = Path(tempfile.mkdtemp(prefix="govern-bench-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: the cluster runs as the postgres user
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        os.chown(sock, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    owner = "postgres" if as_user else pwd.getpwuid(os.geteuid()).pw_name
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", owner, "-A", "trust"], check=True,
                   capture_output=True)
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"), "-o",
                    f"-k {sock} -c listen_addresses='' -c fsync=on", "start"], check=True, capture_output=True)
    count = 0

    def fresh(name: str) -> str:
        nonlocal count
        count += 1
        db = f"{name}_{count}"
        subprocess.run([*as_user, str(bindir / "createdb"), "-h", str(sock), "-U", owner, db], check=True)
        return f"postgresql://{owner}@/{db}?host={sock}"

    try:
        yield fresh
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


class Databases:
    """Fresh stores of both kinds: `url(kind, name)`; SQLite files in a temporary folder."""

    def __init__(self, folder: Path, pg: Callable[[str], str] | None) -> None:
        self.folder, self.pg = folder, pg
        self.count = 0

    def kinds(self) -> list[str]:
        return ["sqlite", "postgresql"] if self.pg else ["sqlite"]

    def url(self, kind: str, name: str) -> str:
        self.count += 1
        if kind == "sqlite":
            return f"sqlite:///{self.folder / f'{name}-{self.count}.db'}"
        assert self.pg is not None
        return self.pg(name)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


# ---------------------------------------------------------------- the raw bulk loads

RAW = "CREATE TABLE raw_findings (entity text, fingerprint text, check_id text, kind text, id text, severity text, status text)"


def raw_sqlite(url: str, rows: list[tuple]) -> float:
    path = url.removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(RAW)
    connection.commit()
    start = time.perf_counter()
    with connection:  # one transaction
        connection.executemany("INSERT INTO raw_findings VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def raw_postgres(url: str, rows: list[tuple]) -> float:
    import psycopg

    with psycopg.connect(url.replace("postgresql://", "postgresql://", 1)) as connection:
        connection.execute(RAW)
        connection.commit()
        start = time.perf_counter()
        with connection.cursor() as cursor, cursor.copy("COPY raw_findings FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        connection.commit()
        return time.perf_counter() - start


def record_time(url: str, data: bytes, previous: bytes) -> float:
    """Seconds to record `data` into a store that holds the entity's previous run already."""
    with open_store(url) as store:
        store.record(previous, "previous.json")
        return timed(lambda: store.record(data, "result.json"))


# ---------------------------------------------------------------- the three figures

def ratio(dbs: Databases, n: int) -> None:
    print(f"\n## Recording {n:,} findings against a raw bulk load of the same rows\n")
    previous, _ = synthetic(n, as_of="2026-11-24", started="2026-11-24T09:00:00Z", shift=n // 10)
    data, result = synthetic(n)
    rows = rows_of(result)
    print("| database | record (s) | raw bulk load (s) | ratio (target <= 2) |")
    print("|---|---:|---:|---:|")
    for kind in dbs.kinds():
        recorded = record_time(dbs.url(kind, "ratio"), data, previous)
        raw = (raw_sqlite if kind == "sqlite" else raw_postgres)(dbs.url(kind, "raw"), rows)
        bulk = "executemany, one transaction" if kind == "sqlite" else "COPY"
        print(f"| {kind} ({bulk}) | {recorded:.2f} | {raw:.2f} | {recorded / raw:.1f}x |")


def trend(dbs: Databases, days: int, entities: int, findings: int) -> None:
    print(f"\n## Trend over {days} daily runs of {entities} entities ({days * entities:,} runs)\n")
    import datetime as dt

    start = dt.date(2026, 1, 1)
    runs = []
    for e in range(entities):
        for d in range(days):
            day = (start + dt.timedelta(days=d)).isoformat()
            runs.append(synthetic(findings, entity=f"Entity {e:02d}", as_of=day, started=f"{day}T09:00:00Z",
                                  shift=d % 7))
    print("| database | filling (s) | trend of every entity (s) | trend of one entity (s) | target |")
    print("|---|---:|---:|---:|---|")
    for kind in dbs.kinds():
        with open_store(dbs.url(kind, "trend")) as store:
            filled = timed(lambda: [store.record_valid(data, result) for data, result in runs])  # noqa: B023
            every = min(timed(lambda: store.trend()) for _ in range(3))  # noqa: B023
            one = min(timed(lambda: store.trend(["Entity 07"])) for _ in range(3))  # noqa: B023
        print(f"| {kind} | {filled:.1f} | {every:.3f} | {one:.3f} | < 1 s |")


def scaling(dbs: Databases, sizes: list[int]) -> None:
    print("\n## Scaling: recording and reading, per run size\n")
    print("| database | findings | record (s) | per 1k findings (ms) | trend (s) | finding (s) | oldest_open (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind in dbs.kinds():
        for n in sizes:
            previous, _ = synthetic(n, as_of="2026-11-24", started="2026-11-24T09:00:00Z", shift=n // 10)
            data, result = synthetic(n)
            with open_store(dbs.url(kind, "scale")) as store:
                store.record(previous, "previous.json")
                recorded = timed(lambda: store.record(data, "result.json"))  # noqa: B023
                read = timed(lambda: store.trend([result.workspace]))  # noqa: B023
                one = timed(lambda: store.finding(result.findings[n // 2].fingerprint))  # noqa: B023
                oldest = timed(lambda: store.oldest_open(result.workspace, result.as_of, 10))  # noqa: B023
            print(f"| {kind} | {n:,} | {recorded:.2f} | {recorded / n * 1e6:.1f} | {read:.3f} | {one:.3f} | {oldest:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--findings", type=int, default=50_000, help="findings of the recorded result (ratio)")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--entities", type=int, default=20)
    parser.add_argument("--trend-findings", type=int, default=20, help="findings of each run of the trend")
    parser.add_argument("--scale", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--only", choices=["ratio", "trend", "scaling"], action="append")
    args = parser.parse_args()
    only = set(args.only or ["ratio", "trend", "scaling"])
    with postgres() as pg, tempfile.TemporaryDirectory(prefix="govern-bench-") as folder:
        dbs = Databases(Path(folder), pg)
        if pg is None:
            print("PostgreSQL's binaries were not found (apt-get install postgresql): SQLite only.")
        if "ratio" in only:
            ratio(dbs, args.findings)
        if "trend" in only:
            trend(dbs, args.days, args.entities, args.trend_findings)
        if "scaling" in only:
            scaling(dbs, args.scale)


if __name__ == "__main__":
    main()
