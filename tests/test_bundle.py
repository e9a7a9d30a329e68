"""`govern bundle`: the workspace's policy as a standard OPA bundle, served by a plain
`opa run -b`, and `govern check --opa-url` against such a server, which uploads nothing and
refuses a bundle of another revision. Real OPA throughout.
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import subprocess
import tarfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from governance.vocabulary import vocabulary
from tests.conftest import AS_OF, govern, opa_server


def _bundle(workspace: Path, out: Path, *args: str) -> Path:
    proc = govern("bundle", str(workspace), "--output", str(out), *args)
    assert proc.returncode == 0, proc.stderr
    return out


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name.lstrip("/"): tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def _result(ran) -> dict:
    assert ran.returncode in (0, 1), ran.stderr
    return _timeless(json.loads(ran.stdout))


def _timeless(doc: dict) -> dict:
    doc.pop("run")
    return doc


def _policy_ids(url: str) -> list[str]:
    return sorted(p["id"] for p in requests.get(f"{url}/v1/policies", timeout=5).json()["result"])


def _keys(root: Path, kind: str = "rsa") -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if kind == "rsa" else ec.generate_private_key(
        ec.SECP256R1())
    private, public = root / f"{kind}-key.pem", root / f"{kind}-pub.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public


def _stale(example: Path) -> Path:
    """The example with one definition changed: another policy revision."""
    committee = example / "policies" / "committee.yaml"
    committee.write_text(committee.read_text(encoding="utf-8").replace("max_meeting_gap_days: 90",
                                                                       "max_meeting_gap_days: 91"), encoding="utf-8")
    return example


# ------------------------------------------------------------ what the bundle holds

def test_the_bundle_holds_the_runs_modules_and_data_under_govern_with_the_policy_revision(example, tmp_path, acme_result):
    members = _members(_bundle(example, tmp_path / "acme.tar.gz"))
    ran = _timeless(acme_result)
    manifest = json.loads(members[".manifest"])
    assert manifest["revision"] == ran["engine"]["policy_revision"]
    assert manifest["roots"] == ["govern"]
    data = json.loads(members["data.json"])
    assert set(data) == {"govern"} and data["govern"]["meta"] == {"revision": manifest["revision"]}
    assert set(data["govern"]["definitions"]) >= {"committees", "budget_policy", "placement_policy"}
    assert data["govern"]["vocabulary"] == vocabulary()  # the product's words, which the checks' messages read
    rego = {name for name in members if name.endswith(".rego")}
    assert "govern/checks/lib.rego" in rego and "workspace/checks/ownership.rego" in rego
    assert not {name for name in rego if name.endswith("_test.rego")}  # tests are not policy
    assert members["workspace/checks/ownership.rego"] == (example / "checks" / "ownership.rego").read_bytes()


def test_the_same_workspace_gives_the_same_bytes_wherever_it_lies(example, tmp_path):
    elsewhere = shutil.copytree(example, tmp_path / "deeper" / "acme-copy")
    first = _bundle(example, tmp_path / "a.tar.gz").read_bytes()
    second = _bundle(example, tmp_path / "b.tar.gz").read_bytes()
    moved = _bundle(elsewhere, tmp_path / "c.tar.gz").read_bytes()
    assert first == second == moved
    with tarfile.open(tmp_path / "a.tar.gz", "r:gz") as tar:
        assert {(m.mtime, m.uid, m.gid) for m in tar.getmembers()} == {(0, 0, 0)}
    changed = _bundle(_stale(example), tmp_path / "d.tar.gz").read_bytes()
    assert changed != first


# ------------------------------------------------------------ served by a plain OPA

def test_a_plain_opa_serving_the_bundle_gives_the_findings_and_revision_of_a_managed_run(opa_binary, example, tmp_path):
    path = _bundle(example, tmp_path / "acme.tar.gz")
    managed = _result(govern("check", str(example), "--as-of", AS_OF, "--format", "json"))
    with opa_server(opa_binary, "--bundle", str(path)) as url:
        served = _policy_ids(url)
        remote = govern("check", str(example), "--as-of", AS_OF, "--format", "json", "--opa-url", url)
        assert _policy_ids(url) == served  # nothing uploaded, nothing removed
    assert remote.returncode == 1  # the example's findings, as a managed run exits
    assert _result(remote) == managed
    assert all(i.startswith(f"{path}/") for i in served)


def test_a_changed_workspace_against_a_stale_bundle_exits_3_and_writes_nothing(opa_binary, example, tmp_path):
    path = _bundle(example, tmp_path / "acme.tar.gz")
    built = json.loads(_members(path)[".manifest"])["revision"]
    out = tmp_path / "out" / "result.json"
    with opa_server(opa_binary, "--bundle", str(path)) as url:
        proc = govern("check", str(_stale(example)), "--as-of", AS_OF, "--format", f"json={out}", "--opa-url", url)
    assert proc.returncode == 3 and proc.stdout == ""
    assert f"the server's bundle {path} is revision {built}, this workspace is sha256:" in proc.stderr
    assert "rebuild the bundle" in proc.stderr
    assert not out.exists() and not out.parent.exists()


def _unpacked(path: Path, folder: Path) -> Path:
    for name, content in _members(path).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    return folder


def test_the_bundle_unpacked_in_a_folder_serves_the_same(opa_binary, example, tmp_path, acme_result):
    """OPA names a folder bundle's modules with the folder twice over; govern still knows them as its own."""
    folder = _unpacked(_bundle(example, tmp_path / "acme.tar.gz"), tmp_path / "unpacked")
    with opa_server(opa_binary, "--bundle", str(folder)) as url:
        remote = govern("check", str(example), "--as-of", AS_OF, "--format", "json", "--opa-url", url)
    assert _result(remote) == _timeless(acme_result)


def test_a_bundle_with_the_right_revision_but_other_modules_is_refused(opa_binary, example, tmp_path):
    """The manifest's revision is a claim: the modules the server holds are compared too."""
    forged = _unpacked(_bundle(example, tmp_path / "acme.tar.gz"), tmp_path / "forged")
    module = forged / "workspace" / "checks" / "ownership.rego"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited after the build\n", encoding="utf-8")
    with opa_server(opa_binary, "--bundle", str(forged)) as url:
        proc = govern("check", str(example), "--as-of", AS_OF, "--format", "json", "--opa-url", url)
    assert proc.returncode == 3 and proc.stdout == ""
    assert "carries this workspace's revision but other modules" in proc.stderr


def test_a_bundle_with_the_right_revision_and_modules_but_other_definitions_is_refused(opa_binary, example, tmp_path):
    """The definitions are data, not modules: a bundle whose data was edited after the build (a meeting
    gap of ten years, so GOV checks pass) is refused by the definitions the report query reads back."""
    forged = _unpacked(_bundle(example, tmp_path / "acme.tar.gz"), tmp_path / "forged")
    data = json.loads((forged / "data.json").read_text(encoding="utf-8"))
    committees = data["govern"]["definitions"]["committees"]
    assert committees and all("max_meeting_gap_days" in c for c in committees.values())
    for committee in committees.values():
        committee["max_meeting_gap_days"] = 3650
    (forged / "data.json").write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out" / "result.json"
    with opa_server(opa_binary, "--bundle", str(forged)) as url:
        proc = govern("check", str(example), "--as-of", AS_OF, "--format", f"json={out}", "--opa-url", url)
    assert proc.returncode == 3 and proc.stdout == ""
    assert "the definitions OPA evaluated are not the ones this run loaded" in proc.stderr
    assert "revision and modules but other data: it was not built by `govern bundle`" in proc.stderr
    assert not out.exists()


def test_a_bundle_with_the_right_revision_and_modules_but_other_words_is_refused(opa_binary, example, tmp_path):
    """The vocabulary is data too: a bundle whose words were edited after the build (a public deployment
    called private in the Chinese messages) is refused by the vocabulary the report query reads back."""
    forged = _unpacked(_bundle(example, tmp_path / "acme.tar.gz"), tmp_path / "forged")
    data = json.loads((forged / "data.json").read_text(encoding="utf-8"))
    data["govern"]["vocabulary"]["names"]["deployments"]["public"]["zh"] = "私有云"
    (forged / "data.json").write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out" / "result.json"
    with opa_server(opa_binary, "--bundle", str(forged)) as url:
        proc = govern("check", str(example), "--as-of", AS_OF, "--format", f"json={out}", "--opa-url", url)
    assert proc.returncode == 3 and proc.stdout == ""
    assert "the vocabulary OPA's messages were written from is not govern's" in proc.stderr
    assert "revision and modules but other words: it was not built by `govern bundle`" in proc.stderr
    assert not out.exists()


@pytest.mark.parametrize("packed", [True, False], ids=["tarball", "folder"])
def test_an_evaluation_error_in_a_workspace_check_is_exit_2_at_its_file_as_in_a_managed_run(opa_binary, tmp_path, packed):
    from tests.checks_support import SLOW_CHECK
    from tests.conftest import make_workspace

    rego = SLOW_CHECK.replace("some i in numbers.range(1, 3000)\n\tsome j in numbers.range(1, 3000)\n\ti * j == -1",
                              'x := to_number("not a number")\n\tx == 1')
    ws = make_workspace(tmp_path / "ws", {"governance.yaml": "checks: [checks]\n", "checks/slow.rego": rego})
    path = _bundle(ws, tmp_path / "ws.tar.gz")
    served = path if packed else _unpacked(path, tmp_path / "unpacked")
    with opa_server(opa_binary, "--bundle", str(served)) as url:
        proc = govern("check", str(ws), "--as-of", AS_OF, "--opa-url", url)
    assert proc.returncode == 2, proc.stderr
    assert "checks/slow.rego:12:7: eval_builtin_error: to_number" in proc.stderr and proc.stdout == ""


def test_a_server_still_takes_uploads_when_its_bundles_own_no_part_of_govern(opa_binary, example, tmp_path, acme_result):
    other = tmp_path / "other"
    other.mkdir()
    (other / ".manifest").write_text('{"revision": "r1", "roots": ["payments"]}')
    (other / "p.rego").write_text("package payments\n\nallow := true\n")
    with opa_server(opa_binary, "--bundle", str(other)) as url:
        remote = govern("check", str(example), "--as-of", AS_OF, "--format", "json", "--opa-url", url)
    assert _result(remote) == _timeless(acme_result)  # as on a server without bundles


def test_a_foreign_bundle_owning_all_of_data_is_refused_not_written_to(opa_binary, example, tmp_path):
    """A bundle without a manifest owns every path, data.govern included: OPA would refuse govern's uploads,
    and its revision is not this workspace's."""
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "p.rego").write_text("package payments\n\nallow := true\n")
    with opa_server(opa_binary, "--bundle", str(foreign)) as url:
        proc = govern("check", str(example), "--as-of", AS_OF, "--opa-url", url)
        ids = _policy_ids(url)
    assert len(ids) == 1 and ids[0].endswith("/p.rego")  # nothing uploaded
    assert proc.returncode == 3 and f"the server's bundle {foreign} is revision (none)" in proc.stderr


# ------------------------------------------------------------ signing

def test_a_signed_bundle_is_verified_by_a_plain_opa_and_a_wrong_key_is_refused(opa_binary, example, tmp_path, acme_result):
    private, public = _keys(tmp_path)
    path = _bundle(example, tmp_path / "signed.tar.gz", "--signing-key", str(private))
    assert ".signatures.json" in _members(path)
    assert _bundle(example, tmp_path / "again.tar.gz", "--signing-key", str(private)).read_bytes() == path.read_bytes()
    with opa_server(opa_binary, "--verification-key", str(public), "--bundle", str(path)) as url:
        remote = govern("check", str(example), "--as-of", AS_OF, "--format", "json", "--opa-url", url)
    assert _result(remote) == _timeless(acme_result)
    (tmp_path / "stranger").mkdir()
    _, stranger = _keys(tmp_path / "stranger")
    refused = subprocess.run([opa_binary, "run", "--server", "--addr", "127.0.0.1:0", "--verification-key", str(stranger),
                              "--bundle", str(path)], capture_output=True, text=True, timeout=30, env={})
    assert refused.returncode != 0 and "failed to verify JWT signature" in refused.stdout + refused.stderr
    unsigned = _bundle(example, tmp_path / "plain.tar.gz")
    missing = subprocess.run([opa_binary, "run", "--server", "--addr", "127.0.0.1:0", "--verification-key", str(public),
                              "--bundle", str(unsigned)], capture_output=True, text=True, timeout=30, env={})
    assert missing.returncode != 0 and "bundle missing .signatures.json" in missing.stdout + missing.stderr


def test_an_ecdsa_key_signs_with_es256(opa_binary, example, tmp_path, acme_result):
    private, public = _keys(tmp_path, "ec")
    path = _bundle(example, tmp_path / "ec.tar.gz", "--signing-key", str(private), "--signing-alg", "ES256")
    [token] = json.loads(_members(path)[".signatures.json"])["signatures"]
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["alg"] == "ES256", header
    # OPA verifies with the algorithm it is told (RS256 unless --signing-alg says otherwise): it activates the
    # bundle only if the signature is good, and the run on it is the run on the shared server
    with opa_server(opa_binary, "--verification-key", str(public), "--signing-alg", "ES256", "--bundle", str(path)) as url:
        remote = govern("check", str(example), "--as-of", AS_OF, "--format", "json", "--opa-url", url)
        assert _policy_ids(url) == sorted(f"{path}/{name}" for name in _members(path) if name.endswith(".rego"))  # the bundle's
    assert remote.returncode == 1, remote.stderr
    assert _result(remote) == _timeless(acme_result)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _bundle_server(folder: Path):
    """A plain HTTP server of `folder`: a bundle server is no more than that."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Quiet(*a, directory=str(folder)))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def _activated(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while requests.get(f"{url}/health?bundles", timeout=5).status_code != 200:
        assert time.monotonic() < deadline, "the OPA never activated its bundle"
        time.sleep(0.1)


def test_an_opa_pulling_the_signed_bundle_from_a_bundle_server_reports_its_revision(opa_binary, example, tmp_path, acme_result):
    """As docs/scale.md runs it: OPA's bundle plugin downloads and verifies the bundle, the status API names
    its revision, and `govern check --opa-url` evaluates on it (the bundle's name, govern, starts its module ids)."""
    private, public = _keys(tmp_path)
    served = tmp_path / "served"
    path = _bundle(example, served / "north.tar.gz", "--signing-key", str(private))
    revision = json.loads(_members(path)[".manifest"])["revision"]
    key = "".join(f"      {line}\n" for line in public.read_text().splitlines())
    with _bundle_server(served) as bundles:
        config = tmp_path / "opa.yaml"
        config.write_text(f"services:\n  bundles:\n    url: {bundles}\n"
                          "bundles:\n  govern:\n    service: bundles\n    resource: north.tar.gz\n"
                          "    signing:\n      keyid: govern\n"
                          f"keys:\n  govern:\n    algorithm: RS256\n    key: |\n{key}"
                          "status:\n  console: true\n")
        with opa_server(opa_binary, "--config-file", str(config)) as url:
            _activated(url)
            status = requests.get(f"{url}/v1/status", timeout=5).json()["result"]["bundles"]["govern"]
            remote = govern("check", str(example), "--as-of", AS_OF, "--format", "json", "--opa-url", url)
            ids = _policy_ids(url)
    assert status["active_revision"] == revision
    assert ids and all(i.startswith(("govern/govern/", "govern/workspace/")) for i in ids)
    assert _result(remote) == _timeless(acme_result)


@pytest.mark.parametrize("which, alg, says", [
    ("public", None, "holds a public key or certificate: signing needs the private key"),
    ("private", "ES256", "ES256"),  # an RSA key cannot sign ES256
])
def test_a_key_that_cannot_sign_is_exit_2_and_writes_nothing(example, tmp_path, which, alg, says):
    private, public = _keys(tmp_path)
    out = tmp_path / "b.tar.gz"
    args = ["--signing-key", str(public if which == "public" else private)] + (["--signing-alg", alg] if alg else [])
    proc = govern("bundle", str(example), "--output", str(out), *args)
    assert proc.returncode == 2 and says in proc.stderr and "no bundle was written" in proc.stderr
    assert not out.exists()


def test_a_bundle_that_cannot_be_written_is_exit_3_and_says_so(example, tmp_path):
    (tmp_path / "taken").write_text("a file, where a folder is needed")
    proc = govern("bundle", str(example), "--output", str(tmp_path / "taken" / "b.tar.gz"))
    assert proc.returncode == 3 and proc.stderr.rstrip().endswith("no bundle was written.")
    assert "report of this run" not in proc.stderr


# ------------------------------------------------------------ refusals before anything is built

def test_an_invalid_workspace_is_exit_2_at_its_file_and_writes_nothing(example, tmp_path):
    (example / "checks" / "ownership.rego").write_text("package govern.checks.acme\n\nbroken :=\n", encoding="utf-8")
    out = tmp_path / "b.tar.gz"
    proc = govern("bundle", str(example), "--output", str(out))
    assert proc.returncode == 2 and "checks/ownership.rego:" in proc.stderr
    assert not out.exists()


def test_opa_missing_is_exit_3_and_writes_nothing(example, tmp_path):
    import os

    out = tmp_path / "b.tar.gz"
    proc = govern("bundle", str(example), "--output", str(out), env={**os.environ, "GOVERN_OPA": str(tmp_path / "no-opa")})
    assert proc.returncode == 3 and "not found" in proc.stderr
    assert not out.exists()


@pytest.mark.parametrize("args, says", [
    ([], "Missing option '--output'"),
    (["--output", "-"], "give the name of a file"),
    (["--output", "OUT", "--signing-alg", "RS256"], "--signing-alg goes with --signing-key"),
    (["--output", "OUT", "--signing-key", "KEY", "--signing-alg", "HS256"], "'HS256' is not one of"),
])
def test_bad_command_lines_are_exit_2(example, tmp_path, args, says):
    (tmp_path / "key.pem").write_text("x")
    args = [a.replace("OUT", str(tmp_path / "b.tar.gz")).replace("KEY", str(tmp_path / "key.pem")) for a in args]
    proc = govern("bundle", str(example), *args)
    assert proc.returncode == 2 and says in proc.stderr
    assert not (tmp_path / "b.tar.gz").exists()


def test_the_bundle_file_is_replaced_whole(example, tmp_path):
    out = tmp_path / "b.tar.gz"
    out.write_bytes(b"previous")
    _bundle(example, out)
    assert ".manifest" in _members(out)


# ------------------------------------------------------------ a server that does not serve the bundle it was given

def _refusing_server_config(tmp_path: Path, example: Path, served: Path, bundles: str, *, status: bool) -> Path:
    """An OPA configuration pulling a bundle signed with one key and verified with another: OPA refuses it."""
    private, _ = _keys(tmp_path)
    (tmp_path / "stranger").mkdir()
    _, stranger = _keys(tmp_path / "stranger")
    _bundle(example, served / "north.tar.gz", "--signing-key", str(private))
    key = "".join(f"      {line}\n" for line in stranger.read_text().splitlines())
    config = tmp_path / "opa.yaml"
    config.write_text(f"services:\n  bundles:\n    url: {bundles}\n"
                      "bundles:\n  govern:\n    service: bundles\n    resource: north.tar.gz\n"
                      "    signing:\n      keyid: govern\n"
                      f"keys:\n  govern:\n    algorithm: RS256\n    key: |\n{key}"
                      + ("status:\n  console: false\n" if status else ""))
    return config


def _refused_once(url: str, seconds: float = 20) -> None:
    """Wait until OPA has tried its bundle and says why it refused it (its status API)."""
    deadline = time.monotonic() + seconds
    while not requests.get(f"{url}/v1/status", timeout=5).json()["result"]["bundles"]["govern"].get("code"):
        assert time.monotonic() < deadline, "the OPA never tried its bundle"
        time.sleep(0.1)


@pytest.mark.parametrize("status", [True, False], ids=["status-plugin", "health-only"])
def test_a_server_that_refused_its_configured_bundle_is_not_uploaded_over(opa_binary, example, tmp_path, status):
    """With a wrong verification key the server activates nothing, so govern's uploads would succeed and the run
    would evaluate govern's own policy, while the bundle the operator meant to serve is not served. govern refuses:
    exit 3 naming the bundle's error (from OPA's status API when it has one), nothing uploaded, nothing written."""
    served = tmp_path / "served"
    out = tmp_path / "out" / "result.json"
    with _bundle_server(served) as bundles:
        config = _refusing_server_config(tmp_path, example, served, bundles, status=status)
        with opa_server(opa_binary, "--config-file", str(config)) as url:
            if status:
                _refused_once(url)
            assert requests.get(f"{url}/health?bundles", timeout=5).status_code == 500
            proc = govern("check", str(example), "--as-of", AS_OF, "--format", f"json={out}", "--opa-url", url)
            uploaded = _policy_ids(url)
    assert proc.returncode == 3 and proc.stdout == "", proc.stderr
    assert f"OPA at {url} does not serve a bundle it is configured with (" in proc.stderr
    assert "govern uploads nothing over it" in proc.stderr
    if status:
        assert "bundle govern: bundle_error: failed to verify JWT signature" in proc.stderr
    else:
        assert "its health API says: one or more bundles are not activated" in proc.stderr
    assert uploaded == [] and not out.exists()
