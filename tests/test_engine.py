"""Fail closed: every way OPA can fail ends in exit 3 and no report; OPA never outlives a run."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from pathlib import Path

import pytest

from governance.engine import OPA_VERSION
from tests.checks_support import SLOW_CHECK, slow_workspace
from tests.conftest import AS_OF, check, govern, make_workspace
from tests.runs_support import alive, is_server, opa_children, start_run, wait_for_opa

EMPTY_INPUT = b'{"as_of": "%s", "inventory": {}, "waivers": {}}' % AS_OF.encode()  # as a run sends it: serialised


def _wait_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_opa_missing_exits_3_with_install_hint(tmp_path):
    root = make_workspace(tmp_path, {})
    env = {**os.environ, "GOVERN_OPA": str(tmp_path / "no-such-opa")}
    proc = govern("check", str(root), "--as-of", AS_OF, "--format", "json", env=env)
    assert proc.returncode == 3
    assert f"OPA v{OPA_VERSION} not found" in proc.stderr and "make opa" in proc.stderr
    assert proc.stdout == ""


def test_wrong_opa_version_is_refused(tmp_path):
    fake = tmp_path / "opa"
    fake.write_text("#!/bin/sh\necho 'Version: 0.99.0'\n")
    fake.chmod(0o755)
    proc = govern("check", str(make_workspace(tmp_path / "ws", {})), "--as-of", AS_OF,
                  env={**os.environ, "GOVERN_OPA": str(fake)})
    assert proc.returncode == 3
    assert "version 0.99.0" in proc.stderr


def test_a_workspace_rego_syntax_error_is_exit_2_naming_the_file(tmp_path, opa_binary):
    root = make_workspace(tmp_path, {"governance.yaml": "checks: [checks]\n",
                                      "checks/broken.rego": "package govern.checks.broken\n\nx := {\n"})
    proc = check(root, "--format", "json")
    assert proc.returncode == 2
    assert "checks/broken.rego:3:6: rego_parse_error" in proc.stderr or "checks/broken.rego:4:" in proc.stderr
    assert proc.stdout == ""


def test_runtime_error_in_a_workspace_check_is_exit_2(tmp_path, opa_binary):
    rego = SLOW_CHECK.replace("some i in numbers.range(1, 3000)\n\tsome j in numbers.range(1, 3000)\n\ti * j == -1",
                               'x := to_number("not a number")\n\tx == 1')
    root = make_workspace(tmp_path, {"governance.yaml": "checks: [checks]\n", "checks/slow.rego": rego})
    proc = check(root, "--format", "json")
    assert proc.returncode == 2, proc.stderr
    assert "checks/slow.rego:12:7: eval_builtin_error: to_number" in proc.stderr and proc.stdout == ""


def test_a_broken_library_module_is_exit_3(tmp_path, opa_binary, monkeypatch):
    """The library is ours: an error in it is an evaluation that could not be done, not the workspace's fault."""
    from governance.engine import EngineError, Module
    from governance.evaluate import policy
    from governance.evaluate.run import load

    real = policy.library_modules
    extra = Module(id="govern/checks/zz.rego", path=Path("zz.rego"), text="package govern.checks.zz\n\nx := http.send({})\n")
    monkeypatch.setattr(policy, "library_modules", lambda: real() + [extra])
    with pytest.raises(EngineError, match="govern/checks/zz.rego:3:6: builtin http.send is not allowed"):
        policy.compile_policy(load(make_workspace(tmp_path, {})))


def test_unexpected_shape_from_a_workspace_check_is_exit_2(tmp_path, opa_binary):
    rego = SLOW_CHECK.replace("#   severity: info\n", "#   severity: urgent\n")
    root = make_workspace(tmp_path, {"governance.yaml": "checks: [checks]\n", "checks/slow.rego": rego})
    proc = check(root)
    assert proc.returncode == 2
    assert "SLOW-001" in proc.stderr and "custom.severity" in proc.stderr


def test_timeout_exits_3(tmp_path, opa_binary):
    # 2 s: past any module upload even on a loaded machine, far short of the slow check's evaluation
    proc = govern("check", str(slow_workspace(tmp_path)), "--as-of", AS_OF, "--timeout", "2", "--format", "json")
    assert proc.returncode == 3
    assert "timed out" in proc.stderr and proc.stdout == ""


def test_opa_killed_during_a_run_exits_3_not_a_pass(tmp_path, opa_binary):
    proc = start_run(["check", str(slow_workspace(tmp_path)), "--as-of", AS_OF, "--format", "json"])
    wait_for_opa(proc)
    time.sleep(0.5)  # let it get into the evaluation
    killed = 0
    # the server (the run also starts `opa check` and `opa inspect` beside it while OPA starts early)
    for pid in [p for p in opa_children(proc.pid) if is_server(p)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
            killed += 1
    assert killed, "no OPA was running to kill"
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, err
    assert out == ""
    assert "OPA exited unexpectedly" in err or "cannot reach OPA" in err


def test_interrupt_stops_opa(tmp_path, opa_binary):
    proc = start_run(["check", str(slow_workspace(tmp_path)), "--as-of", AS_OF])
    opa = wait_for_opa(proc)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 3 and "interrupted" in err
    assert out == ""
    assert _wait_gone(opa), "OPA outlived an interrupted run"


def test_sigterm_stops_opa(tmp_path, opa_binary):
    proc = start_run(["check", str(slow_workspace(tmp_path)), "--as-of", AS_OF])
    opa = wait_for_opa(proc)
    proc.terminate()
    proc.communicate(timeout=30)
    assert proc.returncode == 3
    assert _wait_gone(opa), "OPA outlived a terminated run"


def test_opa_dies_with_a_crashed_parent(tmp_path, opa_binary):
    proc = start_run(["check", str(slow_workspace(tmp_path)), "--as-of", AS_OF])
    opa = wait_for_opa(proc)
    proc.kill()  # SIGKILL: no finally block runs; the kernel must take OPA down
    proc.communicate(timeout=30)
    assert _wait_gone(opa), "OPA outlived a killed parent"


def test_no_opa_left_after_a_normal_run(tmp_path, opa_binary):
    proc = start_run(["check", str(make_workspace(tmp_path, {})), "--as-of", AS_OF])
    seen = set()
    while proc.poll() is None:
        seen.update(opa_children(proc.pid))
        time.sleep(0.01)
    proc.communicate()
    assert proc.returncode == 0
    assert all(_wait_gone(pid) for pid in seen)


def test_opa_url_uses_a_running_server_and_gives_the_same_result(example, acme_result):
    import json

    managed = govern("check", str(example), "--as-of", AS_OF, "--format", "json")
    assert managed.returncode == 1, managed.stderr
    # acme_result: the same check with --opa-url on this process's plain server (conftest.acme_checked, exit 1)
    a, b = json.loads(managed.stdout), acme_result
    a.pop("run"), b.pop("run")
    assert a == b


def test_unreachable_opa_url_exits_3(tmp_path):
    with socket.socket() as taken:  # a port of our own, bound but never listening: connecting to it is refused
        taken.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{taken.getsockname()[1]}"
        proc = govern("check", str(make_workspace(tmp_path, {})), "--as-of", AS_OF, "--opa-url", url)
    assert proc.returncode == 3
    assert f"cannot reach OPA at {url}" in proc.stderr


def test_policy_revision_changed_under_the_run_exits_3(running_opa, tmp_path):
    """Another client rewrites the server's data while our modules load: the run must not report."""
    from governance.engine import OPA_VERSION, EngineError, policy_revision
    from governance.engine.client import OpaSession, client_for
    from governance.engine.protocol import _run
    from governance.evaluate.policy import library_modules

    class RacedSession(OpaSession):
        raced = False

        def load_module(self, module_id, text):
            super().load_module(module_id, text)
            if not self.raced:  # once, after the first module: every later write would recompile what is loaded
                self.raced = True
                self.client.update_or_create_data({"revision": "sha256:someone-else"}, "govern/meta")  # the other client

    modules = library_modules()
    session = RacedSession(client_for(running_opa, 60), running_opa)
    with pytest.raises(EngineError, match="policy revision mismatch"):
        _run(session, modules, {}, EMPTY_INPUT, policy_revision(modules, {}), (OPA_VERSION,))


def test_definitions_changed_under_the_run_exit_3_even_with_the_revision_left_alone(running_opa, tmp_path):
    """Another client empties the definitions on a shared server mid-run, leaving the revision:
    the report echoes the definitions it evaluated, and they are not this run's."""
    from governance.engine import OPA_VERSION, EngineError, policy_revision
    from governance.engine.client import OpaSession, client_for
    from governance.engine.protocol import _run
    from governance.evaluate.policy import library_modules

    definitions = {"budget_policy": {"id": "bp"}}

    class RacedSession(OpaSession):
        raced = False

        def load_module(self, module_id, text):
            super().load_module(module_id, text)
            if not self.raced:  # once, after the first module (as above)
                self.raced = True
                self.client.update_or_create_data({}, "govern/definitions")  # the other client

    modules = library_modules()
    session = RacedSession(client_for(running_opa, 60), running_opa)
    with pytest.raises(EngineError, match="definitions OPA evaluated are not the ones this run loaded"):
        _run(session, modules, definitions, EMPTY_INPUT,
             policy_revision(modules, definitions), (OPA_VERSION,))
