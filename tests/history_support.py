"""What the history tests share: a throwaway PostgreSQL cluster, a store URL on each database, and results
made from one real run of examples/acme (findings left out, waivers lifted, other dates and entities),
resealed with govern's own functions so each is a valid result.

The cluster: initdb in a temporary folder as the `postgres` user (PostgreSQL refuses to run as root),
listening only on a Unix socket in that folder (no port to collide on). pytest-xdist runs each worker in
a process of its own, so each worker starts its own cluster once, and stops it when its session ends.
Each test gets a database of its own in it.
"""

from __future__ import annotations

import itertools
import json
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from tests.conftest import AS_OF, EXAMPLE, check
from tests.results_support import resealed


def _pg_bin() -> Path:
    """Debian's PostgreSQL programs (`make postgresql` installs them), the newest version when several are."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return found[-1].parent if found else Path("/usr/lib/postgresql/missing/bin")


PG_BIN = _pg_bin()
PORT = 5432  # the socket's name only: the cluster listens on no TCP port
_DATABASES = itertools.count(1)


def _as_postgres(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def postgres_cluster():
    """The folder of a running cluster's socket; the cluster is stopped and removed at the end of the session."""
    assert (PG_BIN / "initdb").exists(), "PostgreSQL is not installed (`make postgresql`, part of `make test`)"
    pwd.getpwnam("postgres")  # Debian's package creates the user
    folder = Path(tempfile.mkdtemp(prefix="govern-pg-"))
    shutil.chown(folder, "postgres")
    data = folder / "data"
    made = _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                        "--no-sync")
    assert made.returncode == 0, made.stderr
    options = f"-k {folder} -p {PORT} -c listen_addresses='' -c fsync=off -c max_connections=100"
    started = _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
                           "-w", "start")
    assert started.returncode == 0, started.stderr + (folder / "log").read_text()
    try:
        yield folder
    finally:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def new_database(cluster: Path, password: str = "") -> str:
    """A URL of a new, empty database in the cluster (trust authentication: a password in the URL is ignored)."""
    name = f"govern_{os.getpid()}_{next(_DATABASES)}"
    with psycopg.connect(host=str(cluster), port=PORT, user="postgres", dbname="postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')  # a name made here, never from input
    user = f"postgres:{password}" if password else "postgres"
    return f"postgresql://{user}@/{name}?host={cluster}&port={PORT}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A URL of an empty store, on each database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/history.db"
    return new_database(request.getfixturevalue("postgres_cluster"))


# ---------------------------------------------------------------- results


@pytest.fixture(scope="session")
def acme_result(tmp_path_factory) -> dict:
    """One real run of examples/acme, as JSON."""
    out = tmp_path_factory.mktemp("acme") / "result.json"
    ran = check(EXAMPLE, "--format", "json", "--output", str(out))
    assert ran.returncode == 1, ran.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def variant(base: dict, *, entity: str = "acme", as_of: str = AS_OF, started: str | None = "2026-11-25T08:00:00Z",
            keep: set[str] | None = None, unwaive: set[str] = frozenset()) -> bytes:  # type: ignore[assignment]
    """The bytes of a valid result like `base`, of `entity` on `as_of`, reporting only the fingerprints in `keep`
    (all when None), with the waived findings in `unwaive` reported as failing instead."""
    doc = json.loads(json.dumps(base))
    doc["workspace"], doc["as_of"] = entity, as_of
    if started is None:
        doc["run"] = None
    else:
        doc["run"] = {"started_at": started, "finished_at": started}
    findings = [f for f in doc["findings"] if keep is None or f["fingerprint"] in keep]
    for f in findings:
        if f["fingerprint"] in unwaive and f["status"] == "waived":
            f["status"], f["waiver"] = "fail", None
    doc["findings"] = findings
    return (json.dumps(resealed(doc), indent=2, ensure_ascii=False) + "\n").encode()




def write(folder: Path, data: bytes, name: str | None = None) -> Path:
    import hashlib

    path = folder / (name or f"{hashlib.sha256(data).hexdigest()[:16]}.json")
    path.write_bytes(data)
    return path


