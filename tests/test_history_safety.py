"""What a command taking --db never does (docs/history.md): write a report over the store or the files SQLite
keeps beside it, put a store inside a workspace or behind a link, use a path that is not a regular file, or
show a password; and what it refuses to read (an archive that would decompress beyond any real result)."""

from __future__ import annotations

import gzip
import io
import os
import tarfile

import pytest

from governance.history.archive import members
from governance.history.errors import StoreInputError
from tests.conftest import check, govern
from tests.history_support import acme_result, variant, write  # noqa: F401  (acme_result is a fixture)


def recorded(tmp_path, acme_result, name: str = "s.db") -> tuple[str, bytes]:  # noqa: F811
    db = tmp_path / name
    url = f"sqlite:///{db}"
    assert govern("history", "record", str(write(tmp_path, variant(acme_result))), "--db", url).returncode == 0
    return url, db.read_bytes()


# ---------------------------------------------------------------- no output over the store's files


@pytest.mark.parametrize("sibling", ["", "-wal", "-shm", "-journal"])
def test_no_report_replaces_the_store_or_a_file_sqlite_keeps_beside_it(tmp_path, acme_result, sibling):  # noqa: F811
    url, before = recorded(tmp_path, acme_result)
    over = str(tmp_path / f"s.db{sibling}")
    result = str(write(tmp_path, variant(acme_result)))
    runs = [
        ("history", "trend", "--db", url, "--format", "html", "-o", over),
        ("report", result, "--db", url, "--format", "markdown", "-o", over),
        ("aggregate", "--db", url, "--as-of", "2026-12-01", "--format", "json", "-o", over),
        ("history", "export", "0" * 64, "--db", url, "-o", over),
        ("history", "prune", "--before", "2026-01-01", "--archive", over, "--db", url),
    ]
    for args in runs:
        ran = govern(*args)
        assert ran.returncode == 2 and "inputs" in ran.stderr, (args, ran.stdout, ran.stderr)
        assert (tmp_path / "s.db").read_bytes() == before
        assert sibling == "" or not os.path.exists(over)


def test_check_writes_no_report_over_its_store(tmp_path, example):
    db = tmp_path / "s4.db"
    ran = check(example, "--db", f"sqlite:///{db}", "--format", f"json={db}")
    assert ran.returncode == 2 and "inputs" in ran.stderr, ran.stdout + ran.stderr
    assert not db.exists()


# ---------------------------------------------------------------- where a store may be


def test_check_record_refuses_a_store_inside_the_workspace_or_behind_a_link(tmp_path, example):
    inside = example / "inventory" / "h.db"
    ran = check(example, "--record", "--db", f"sqlite:///{inside}", "--format", "json", "-o", str(tmp_path / "r.json"))
    assert ran.returncode == 2 and "which the workspace reads" in ran.stderr, ran.stdout + ran.stderr
    assert not inside.exists()
    real = tmp_path / "real.db"
    real.write_bytes(b"")
    link = tmp_path / "link.db"
    link.symlink_to(real)
    for args in (("check", str(example), "--record", "--db", f"sqlite:///{link}"),
                 ("report", str(tmp_path / "r.json"), "--db", f"sqlite:///{link}"),
                 ("aggregate", "--db", f"sqlite:///{link}")):
        ran = govern(*args)
        assert ran.returncode == 2 and "symbolic link" in ran.stderr, (args, ran.stdout, ran.stderr)
    assert real.read_bytes() == b""


def test_a_store_path_that_is_not_a_regular_file_is_refused(tmp_path):
    ran = govern("history", "list", "--db", "sqlite:////dev/null")
    assert ran.returncode == 2 and "not a regular file" in ran.stderr, ran.stdout + ran.stderr
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    ran = govern("history", "list", "--db", f"sqlite:///{fifo}")
    assert ran.returncode == 2 and "not a regular file" in ran.stderr, ran.stdout + ran.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo.db"]  # no journal made beside it


def test_aggregate_of_files_ignores_govern_db(tmp_path, acme_result):  # noqa: F811
    result = write(tmp_path, variant(acme_result))
    env = {**os.environ, "GOVERN_DB": f"sqlite:///{tmp_path}/never.db"}
    ran = govern("aggregate", str(result), "--format", "json", env=env)
    assert ran.returncode in (0, 1) and '"entities"' in ran.stdout, ran.stdout + ran.stderr
    both = govern("aggregate", str(result), "--db", f"sqlite:///{tmp_path}/never.db")
    assert both.returncode == 2 and "not both" in both.stderr
    assert not (tmp_path / "never.db").exists()


# ---------------------------------------------------------------- passwords


def test_a_password_with_an_unescaped_at_is_refused_before_any_driver_sees_it():
    ran = govern("history", "list", "--db", "postgresql://ci:pa@ss@127.0.0.1:1/govern")
    assert ran.returncode == 2 and "%40" in ran.stderr, ran.stdout + ran.stderr
    assert "pa@ss" not in ran.stdout + ran.stderr and "ss@127" not in ran.stdout + ran.stderr
    escaped = govern("history", "list", "--db", "postgresql://ci:pa%40ss@127.0.0.1:1/govern")
    assert escaped.returncode == 3 and "pa@ss" not in escaped.stderr and "pa%40ss" not in escaped.stderr


def test_a_driver_message_quoting_the_url_or_the_password_is_scrubbed():
    from sqlalchemy.engine import make_url

    from governance.history.url import scrubbed

    url = make_url("postgresql+psycopg://ci:hunter22@db:5432/govern")
    said = scrubbed(f"auth failed for {url.render_as_string(hide_password=False)} (password hunter22 rejected)", url)
    assert "hunter22" not in said and "db:5432/govern" in said


# ---------------------------------------------------------------- what is refused rather than done


def test_upgrade_refuses_a_store_that_does_not_exist(tmp_path):
    ran = govern("history", "upgrade", "--db", f"sqlite:///{tmp_path}/typo.db")
    assert ran.returncode == 2 and "nothing to upgrade" in ran.stderr, ran.stdout + ran.stderr
    assert not (tmp_path / "typo.db").exists()


def _archive(path, sizes: list[int]) -> None:
    """A gzipped tar of members named like results, each `size` zero bytes, written as a stream."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as gz, \
            tarfile.open(fileobj=gz, mode="w|") as tar:
        for i, size in enumerate(sizes):
            info = tarfile.TarInfo(f"{i:064x}.json")
            info.size = size
            tar.addfile(info, _Zeros(size))


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return bytes(n)


def test_record_refuses_an_empty_archive_and_one_that_would_decompress_beyond_any_real_result(tmp_path):
    url = f"sqlite:///{tmp_path}/h.db"
    empty = tmp_path / "empty.tar.gz"
    _archive(empty, [])
    ran = govern("history", "record", str(empty), "--db", url)
    assert ran.returncode == 2 and "holds no result" in ran.stderr, ran.stdout + ran.stderr
    big = tmp_path / "big.tar.gz"
    _archive(big, [257 << 20])
    ran = govern("history", "record", str(big), "--db", url)
    assert ran.returncode == 2 and "would decompress beyond" in ran.stderr, ran.stdout + ran.stderr
    many = tmp_path / "many.tar.gz"  # each member within bounds, all of them not
    _archive(many, [200 << 20, 200 << 20])
    read = members(many, many.read_bytes())
    assert len(next(read)[1]) == 200 << 20
    with pytest.raises(StoreInputError, match="would decompress beyond"):
        next(read)


def test_a_failing_store_says_it_failed_once(tmp_path):
    for args in (("history", "list"), ("aggregate",)):
        ran = govern(*args, "--db", "postgresql://ci@127.0.0.1:1/govern")
        assert ran.returncode == 3 and ran.stderr.count("history store") == 1, ran.stderr
