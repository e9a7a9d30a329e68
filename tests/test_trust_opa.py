"""The OPA that answers a run: the managed one answers govern alone,
a shared one cannot carry an earlier run's modules into this one, a stand-in
cannot pass off an incomplete report, and credentials never show.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from governance.engine import OPA_VERSION
from tests.conftest import AS_OF, govern, make_workspace, opa_server
from tests.runs_support import paused_with_its_opa, start_run


def _result(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    doc.pop("run")
    return doc


# ------------------------------------------------------------ the managed OPA answers govern alone

def _opa_port(pid: int) -> int:
    import time

    from governance.engine.server import listening_port

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        port = listening_port(pid)
        if port:
            return port
        time.sleep(0.02)
    pytest.fail("the managed OPA never listened")


def test_another_local_process_can_neither_read_nor_replace_modules_of_a_run(opa_binary, tmp_path):
    proc = start_run(["check", str(make_workspace(tmp_path, {})), "--as-of", AS_OF, "--format", "json"])
    try:
        with paused_with_its_opa(proc) as opa:
            _probe_while_the_run_holds_its_opa(opa)
    finally:
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err  # the run itself was not disturbed
    assert json.loads(out)["checks"]


def _probe_while_the_run_holds_its_opa(opa: int) -> None:
    """What another local process can do with the managed OPA of a run: nothing."""
    base = f"http://127.0.0.1:{_opa_port(opa)}"
    attempts = {
        "list policies": requests.get(f"{base}/v1/policies", timeout=5),
        "read data": requests.get(f"{base}/v1/data/govern/meta", timeout=5),
        "query": requests.post(f"{base}/v1/data/govern/main/report", json={"input": {}}, timeout=5),
        "replace a module": requests.put(f"{base}/v1/policies/govern/checks/budget.rego",
                                         data="package govern.checks.budget\n", timeout=5),
        "write data": requests.put(f"{base}/v1/data/govern/meta", json={"revision": "x"}, timeout=5),
        "guess a token": requests.get(f"{base}/v1/policies", headers={"Authorization": "Bearer guess"}, timeout=5),
    }
    assert {what: r.status_code for what, r in attempts.items()} == {what: 401 for what in attempts}
    # the token is nowhere another process could read it: not in OPA's arguments or environment
    cmdline = Path(f"/proc/{opa}/cmdline").read_bytes()
    assert b"Bearer" not in cmdline and b"token=" not in cmdline
    assert Path(f"/proc/{opa}/environ").read_bytes() == b""


def _finished(proc) -> None:
    """Let a run the test held (and has seen enough of) finish: it was held, never disturbed, so it completes
    its check (exit 0 on an empty workspace). A SIGTERM sent after the run resumed would race its end: the run
    can finish first (exit 0), or be past its handler (killed by the signal), so the test waits it out instead."""
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err


def test_the_managed_opa_gets_no_environment_from_the_runner(opa_binary, tmp_path):
    env = {**os.environ, "GOVERN_TEST_SECRET": "s3cr3t"}
    proc = start_run(["check", str(make_workspace(tmp_path, {})), "--as-of", AS_OF], env=env)
    try:
        with paused_with_its_opa(proc) as opa:
            assert b"GOVERN_TEST_SECRET" in Path(f"/proc/{proc.pid}/environ").read_bytes()  # the runner has it …
            assert b"s3cr3t" not in Path(f"/proc/{opa}/environ").read_bytes()  # … its OPA does not
    finally:
        _finished(proc)


# ------------------------------------------------------------ a shared OPA behind --opa-url

@pytest.fixture
def shared_server(running_opa):
    """An OPA server that other clients use too (this test's own: it writes to it)."""
    return running_opa


def _without_own_checks(example: Path, target: Path) -> Path:
    shutil.copytree(example, target)
    for module in (target / "checks").glob("*.rego"):
        module.unlink()
    (target / "controls" / "acme.yaml").unlink()
    return target


def test_an_earlier_runs_modules_and_data_on_a_shared_server_never_change_this_run(example, shared_server, tmp_path):
    plain = _without_own_checks(example, tmp_path / "plain")
    # an earlier run leaves its workspace module (ACME-001) on the server …
    assert govern("check", str(example), "--as-of", AS_OF, "--opa-url", shared_server).returncode == 1
    # … and another client leaves check-shaped data under govern
    forged = {"meta": {"title": "forged", "custom": {"id": "FORGED-1", "severity": "info", "waivable": True}},
              "evaluated": 1, "violations": []}
    assert requests.put(f"{shared_server}/v1/data/govern/checks/forged", json={"F": forged}, timeout=5).status_code == 204
    remote = _result(govern("check", str(plain), "--as-of", AS_OF, "--format", "json", "--opa-url", shared_server))
    managed = _result(govern("check", str(plain), "--as-of", AS_OF, "--format", "json"))
    assert "ACME-001" not in {c["id"] for c in remote["checks"]}
    assert remote == managed


def test_a_foreign_module_in_a_govern_package_on_the_server_is_refused(example, shared_server):
    module = "package govern.checks.foreign\n\nx := 1\n"
    assert requests.put(f"{shared_server}/v1/policies/someone/else.rego", data=module, timeout=5).status_code == 200
    proc = govern("check", str(example), "--as-of", AS_OF, "--format", "json", "--opa-url", shared_server)
    assert proc.returncode == 3 and proc.stdout == ""
    assert "holds module 'someone/else.rego' in package govern.checks.foreign" in proc.stderr


# ------------------------------------------------------------ a stand-in server

class StandIn(BaseHTTPRequestHandler):
    """Plays OPA: accepts every upload, answers a version and a report it is told to."""

    version = OPA_VERSION
    status = 200
    checks_kept: tuple[str, ...] = ("WAV-",)
    revision = None
    definitions = None
    vocabulary = None

    def log_message(self, *args):
        pass

    def _send(self, code: int, body: dict | None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):
        from urllib.parse import unquote

        if self.status != 200:
            return self._send(self.status, {"code": "x", "message": "no"})
        if self.path.startswith("/health"):
            return self._send(200, {})  # configured with no bundle, so every one is activated
        if self.path == "/v1/data/system/bundles":
            return self._send(200, {})  # it serves no bundle: OPA leaves data.system.bundles undefined
        held = type(self).policies
        if self.path.rstrip("/") != "/v1/policies":
            module_id = unquote(self.path.removeprefix("/v1/policies/"))
            return self._send(200, {"result": {"id": module_id, "raw": held[module_id]}})
        packages = {i: re.search(r"^package (\S+)", raw, re.MULTILINE).group(1) for i, raw in held.items()}
        listing = [{"id": i, "raw": raw, "ast": {"package": {"path": [{"value": "data"}] + [
            {"value": v} for v in packages[i].split(".")]}}} for i, raw in held.items()]
        self._send(200, {"result": listing})

    def do_DELETE(self):
        self._send(200, {})

    def do_PUT(self):
        from urllib.parse import unquote

        body = self._body()
        if self.path.startswith("/v1/policies/"):
            type(self).policies[unquote(self.path.removeprefix("/v1/policies/"))] = body.decode()
        if self.path == "/v1/data/govern":
            sent = json.loads(body)
            type(self).revision, type(self).definitions = sent["meta"]["revision"], sent["definitions"]
            type(self).vocabulary = sent["vocabulary"]
        self._send(204 if "/data/" in self.path else 200, None if "/data/" in self.path else {})

    def do_POST(self):
        self._body()
        if self.status != 200:
            return self._send(self.status, {"code": "unauthorized" if self.status == 401 else "internal_error",
                                            "message": "stand-in says no"})
        if self.path.startswith("/v1/query"):
            return self._send(200, {"result": [{"version": self.version}]})
        meta = {"title": "t", "custom": {"id": "", "severity": "high", "waivable": False}}
        checks = [{"meta": {**meta, "custom": {**meta["custom"], "id": f"WAV-00{i}"}}, "evaluated": 0, "violations": [],
                   "rule": ["waiver_checks", f"WAV_00{i}"]} for i in range(1, 7)]
        self._send(200, {"result": {"revision": type(self).revision, "definitions": type(self).definitions,
                                    "vocabulary": type(self).vocabulary, "checks": checks, "malformed": []}})


@pytest.fixture
def stand_in():
    def start(**attrs):
        handler = type("Handler", (StandIn,), {"policies": {}, **attrs})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        started.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    started: list = []
    yield start
    for server in started:
        server.shutdown()


def test_a_report_missing_checks_is_exit_3_not_a_pass(opa_binary, example, stand_in):
    url = stand_in()
    proc = govern("check", str(example), "--as-of", AS_OF, "--format", "json", "--opa-url", url)
    assert proc.returncode == 3 and proc.stdout == ""
    assert "OPA's report is not the evaluation of this run's policy: it lacks built-in checks (ACT-001" in proc.stderr


def test_a_server_of_another_opa_version_is_refused_unless_allowed(opa_binary, example, stand_in):
    url = stand_in(version="0.70.0")
    proc = govern("check", str(example), "--as-of", AS_OF, "--opa-url", url)
    assert proc.returncode == 3
    assert f"is version 0.70.0; govern is pinned to {OPA_VERSION}" in proc.stderr
    allowed = govern("check", str(example), "--as-of", AS_OF, "--opa-url", url, "--allow-opa-version", "0.70.0")
    assert allowed.returncode == 3 and "is version 0.70.0" not in allowed.stderr  # past the version, on to the next refusal


@pytest.mark.parametrize("status, says", [(401, "refused govern (401 unauthorized)"), (403, "refused govern (403 forbidden)"),
                                          (500, "answered a server error (500)"), (503, "answered a server error (503)")])
def test_http_errors_are_reported_as_what_they_are(opa_binary, example, stand_in, status, says):
    proc = govern("check", str(example), "--as-of", AS_OF, "--opa-url", stand_in(status=status))
    assert proc.returncode == 3
    assert says in proc.stderr and "compile" not in proc.stderr


# ------------------------------------------------------------ TLS and token against a real OPA

@pytest.fixture(scope="module")
def tls_opa(tmp_path_factory):
    import trustme

    from governance.engine.binary import find_opa

    root = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca.cert_pem.write_to_path(root / "ca.pem")
    cert.private_key_pem.write_to_path(root / "key.pem")
    cert.cert_chain_pems[0].write_to_path(root / "cert.pem")
    token = "t0ken-" + os.urandom(8).hex()
    (root / "authz.rego").write_text(
        "package system.authz\n\ndefault allow := false\n\n"
        f'allow if crypto.sha256(input.identity) == "{hashlib.sha256(token.encode()).hexdigest()}"\n')
    flags = ("--tls-cert-file", str(root / "cert.pem"), "--tls-private-key-file", str(root / "key.pem"),
             "--authentication", "token", "--authorization", "basic", str(root / "authz.rego"))
    with opa_server(find_opa(), *flags, scheme="https") as url:
        yield {"url": url, "ca": str(root / "ca.pem"), "token": token}


def test_a_tls_opa_with_token_authentication_gives_the_result_of_a_plain_server(example, tls_opa, acme_result):
    # a plain server gives the managed OPA's result (test_engine.py): so TLS and a token change nothing either
    args = ("check", str(example), "--as-of", AS_OF, "--format", "json", "--opa-url", tls_opa["url"])
    with_flag = govern(*args, "--opa-ca", tls_opa["ca"], "--opa-token", tls_opa["token"])
    from_env = govern(*args, "--opa-ca", tls_opa["ca"], env={**os.environ, "GOVERN_OPA_TOKEN": tls_opa["token"]})
    plain = acme_result  # on the shared plain server
    plain.pop("run")
    assert _result(with_flag) == _result(from_env) == plain
    for proc in (with_flag, from_env):
        assert tls_opa["token"] not in proc.stdout + proc.stderr


def test_a_tls_opa_without_the_token_or_the_ca_is_exit_3(example, tls_opa):
    args = ("check", str(example), "--as-of", AS_OF, "--opa-url", tls_opa["url"])
    no_token = govern(*args, "--opa-ca", tls_opa["ca"])
    assert no_token.returncode == 3 and "401 unauthorized" in no_token.stderr
    wrong = govern(*args, "--opa-ca", tls_opa["ca"], "--opa-token", "wrong")
    assert wrong.returncode == 3 and "401 unauthorized" in wrong.stderr and "wrong" not in wrong.stderr
    no_ca = govern(*args, "--opa-token", tls_opa["token"])
    assert no_ca.returncode == 3 and "certificate" in no_ca.stderr.lower()
    assert tls_opa["token"] not in no_ca.stderr


def test_credentials_in_the_url_are_refused_and_never_printed(example, tls_opa):
    url = tls_opa["url"].replace("https://", "https://admin:hunter2@")
    proc = govern("check", str(example), "--as-of", AS_OF, "--opa-url", url)
    assert proc.returncode == 2
    assert "hunter2" not in proc.stdout + proc.stderr and "--opa-token" in proc.stderr


# ------------------------------------------------------------ memory

HUNGRY = ("package govern.checks.hungry\n\nimport data.govern.lib\n\n# METADATA\n# title: Hungry\n# custom:\n"
          "#   id: HUNGRY-001\n#   severity: info\n#   waivable: true\n"
          "HUNGRY_001 := lib.check(rego.metadata.rule(), {1}, {v |\n"
          "\tcount(numbers.range(1, 200000000)) == 0\n\tv := lib.violation(\"system\", \"x\", \"never\")\n})\n")


def test_a_check_that_asks_for_all_memory_ends_opa_not_the_runner(opa_binary, tmp_path):
    from tests.conftest import make_workspace

    ws = make_workspace(tmp_path / "ws", {"governance.yaml": "checks: [checks]\n", "checks/hungry.rego": HUNGRY})
    out = tmp_path / "out" / "r.json"
    proc = govern("check", str(ws), "--as-of", AS_OF, "--format", f"json={out}",
                  env={**os.environ, "GOVERN_OPA_MEMORY": "256M"})
    assert proc.returncode == 3
    # Go says "out of memory", or (about 1 run in 10) its collector faults on the failed mmap
    assert "its limit is 256 MiB; set GOVERN_OPA_MEMORY to raise it" in proc.stderr, proc.stderr
    assert not out.exists()


def test_out_of_memory_names_the_smaller_inherited_limit_in_force(opa_binary, tmp_path):
    """govern runs under an operator's `ulimit -d` of 384 MiB, below GOVERN_OPA_MEMORY's 4G: OPA inherits it and
    dies at it, so the message names it, not govern's own 4096 MiB."""
    import resource

    from tests.conftest import make_workspace

    ws = make_workspace(tmp_path / "ws", {"governance.yaml": "checks: [checks]\n", "checks/hungry.rego": HUNGRY})
    out = tmp_path / "out" / "r.json"
    inherited = 384 << 20

    def ulimit() -> None:  # in govern's process, before it starts: as a shell's `ulimit -d` would
        resource.setrlimit(resource.RLIMIT_DATA, (inherited, resource.getrlimit(resource.RLIMIT_DATA)[1]))

    proc = subprocess.run([sys.executable, "-m", "governance", "check", str(ws), "--as-of", AS_OF, "--format", f"json={out}"],
                          capture_output=True, text=True, timeout=300, preexec_fn=ulimit,
                          env={**os.environ, "GOVERN_OPA_MEMORY": "4G"})
    assert proc.returncode == 3, proc.stderr
    assert ("its limit is 384 MiB, the inherited RLIMIT_DATA (ulimit -d), below govern's own 4096 MiB; "
            "raise that limit to give it more") in proc.stderr, proc.stderr
    assert "set GOVERN_OPA_MEMORY to raise it" not in proc.stderr and not out.exists()


def test_the_limit_in_force_is_the_smallest_of_govern_s_own_and_what_it_inherited(tmp_path):
    from governance.engine.server import cgroup_memory_limit, memory_in_force

    assert memory_in_force(256 << 20).told() == "its limit is 256 MiB; set GOVERN_OPA_MEMORY to raise it"
    # the cgroup's limit, read as the kernel lays it out (v2 unified; v1 per controller; "max": none)
    (tmp_path / "proc").write_text("0::/ci/job\n")
    (tmp_path / "ci" / "job").mkdir(parents=True)
    (tmp_path / "ci" / "job" / "memory.max").write_text("536870912\n")
    assert cgroup_memory_limit(tmp_path / "proc", tmp_path) == 512 << 20
    (tmp_path / "ci" / "job" / "memory.max").write_text("max\n")
    assert cgroup_memory_limit(tmp_path / "proc", tmp_path) is None
    (tmp_path / "proc").write_text("4:memory:/not/mounted/here\n0::/\n")
    (tmp_path / "memory").mkdir()
    (tmp_path / "memory" / "memory.limit_in_bytes").write_text("1073741824\n")
    assert cgroup_memory_limit(tmp_path / "proc", tmp_path) == 1 << 30  # the container's own root


GC_FAULT = """{"level":"warning","msg":"OPA running with uid or gid 0."}
SIGSEGV: segmentation violation
PC=0x439cbd m=7 sigcode=1 addr=0x0

goroutine 0 gp=0x154721682960 m=7 mp=0x1547216a6008 [idle]:
runtime.(*spanQueue).tryDrain(0x7f0800000800?, 0x43a7f1?, 0x2468e000?)
\t/usr/local/go/src/runtime/mgcmark_greenteagc.go:520 +0x5d
"""
PANIC = """{"level":"warning","msg":"x"}
panic: runtime error: index out of range [3] with length 3

goroutine 12 [running]:
github.com/open-policy-agent/opa/v1/topdown.(*eval).next(...)
"""


@pytest.mark.parametrize("stderr, says, not_says", [
    ("fatal error: runtime: out of memory\n", "OPA ran out of memory (its limit is 256 MiB", "crashed"),
    (GC_FAULT, "crashed in Go's runtime (SIGSEGV: segmentation violation), as it can when it reaches its memory limit",
     "ran out"),
    (PANIC, "exited unexpectedly (exit status 2): panic: runtime error: index out of range", "memory"),
])
def test_how_opa_died_is_told_from_its_stderr(tmp_path, stderr, says, not_says):
    from governance.engine.server import ManagedOpa

    opa = ManagedOpa.__new__(ManagedOpa)
    opa.memory, opa._dir = 256 << 20, tmp_path
    opa.process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(2)"])
    opa.process.wait()
    (tmp_path / "stderr.log").write_text(stderr)
    message = opa.died_message()
    assert says in message and not_says not in message


def test_the_managed_opa_port_is_the_one_the_kernel_gave_it_not_a_probe(opa_binary, tmp_path):
    """OPA binds port 0 and govern reads the port back from /proc, so no process can take a
    probed port first and pose as govern's OPA (a stand-in that answers every check passed)."""
    import socket

    from governance.engine.server import listening_port

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        assert listening_port(os.getpid()) == s.getsockname()[1]
    proc = start_run(["check", str(make_workspace(tmp_path, {})), "--as-of", AS_OF])
    try:
        with paused_with_its_opa(proc) as opa:
            assert b"127.0.0.1:0" in Path(f"/proc/{opa}/cmdline").read_bytes().split(b"\0")
    finally:
        _finished(proc)


def test_a_token_is_not_sent_in_clear_to_another_host(example):
    proc = govern("check", str(example), "--opa-url", "http://opa.example.com:8181", "--opa-token", "s3cr3t")
    assert proc.returncode == 2 and "https://" in proc.stderr and "s3cr3t" not in proc.stderr
