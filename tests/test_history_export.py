"""`govern history export`: a recorded run's result given back byte for byte, so a past verdict can be
re-rendered (`govern report`) and proved (`govern verify`) from the store alone."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib

from tests.conftest import AS_OF, EXAMPLE, check, govern
from tests.history_support import acme_result, postgres_cluster, store_url, variant, write  # noqa: F401


def test_an_exported_run_is_the_recorded_bytes_and_verifies_against_its_workspace(store_url, tmp_path):
    result = tmp_path / "result.json"
    ran = check(EXAMPLE, "--format", f"json={result}", "--record", "--db", store_url)
    assert ran.returncode == 1, ran.stderr  # acme has findings on purpose
    digest = hashlib.sha256(result.read_bytes()).hexdigest()
    exported = tmp_path / "out" / "exported.json"
    (tmp_path / "out").mkdir()
    back = govern("history", "export", f"sha256:{digest}", "--output", str(exported), "--db", store_url)
    assert back.returncode == 0, back.stderr
    assert exported.read_bytes() == result.read_bytes()
    proved = govern("verify", str(exported), str(EXAMPLE))
    assert proved.returncode == 0, proved.stdout + proved.stderr
    assert json.loads(exported.read_bytes())["as_of"] == AS_OF


def test_export_to_stdout_and_the_refusals(store_url, acme_result, tmp_path):
    path = write(tmp_path, variant(acme_result))
    assert govern("history", "record", str(path), "--db", store_url).returncode == 0
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    shown = govern("history", "export", digest, "--db", store_url)
    assert shown.returncode == 0 and shown.stdout == path.read_text(encoding="utf-8"), shown.stderr
    unknown = govern("history", "export", "0" * 64, "--db", store_url)
    assert unknown.returncode == 2 and "no recorded run has digest" in unknown.stderr
    assert "no result was written" in unknown.stderr and unknown.stdout == ""
    malformed = govern("history", "export", "abc", "--db", store_url)
    assert malformed.returncode == 2 and "is not a run's digest" in malformed.stderr


def test_a_store_whose_bytes_do_not_hash_to_the_digest_gives_nothing(acme_result, tmp_path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    path = write(tmp_path, variant(acme_result))
    assert govern("history", "record", str(path), "--db", url).returncode == 0
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with sqlite3.connect(tmp_path / "h.db") as db:  # someone with write access to the store changes a result
        db.execute("UPDATE results SET data = ?", (zlib.compress(path.read_bytes() + b" "),))
    out = tmp_path / "x.json"
    tampered = govern("history", "export", digest, "--output", str(out), "--db", url)
    assert tampered.returncode == 3 and "whose sha256 is not its digest" in tampered.stderr
    assert not out.exists()
