"""The managed OPA is launched before the workspace is loaded, with the modules expected then
(its start overlaps the loading). What it evaluates is still exactly the loaded policy."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import tempfile
import time
from pathlib import Path

import pytest

from governance import engine
from governance.engine import EngineError, Module, starting_opa
from governance.engine import compile as compile_
from governance.evaluate import policy
from governance.evaluate.run import assemble, evaluate, load, now, prepare
from governance.load import WorkspaceErrors
from tests.conftest import AS_OF, govern_process


def _findings(workspace: Path, launched_with: list[Module] | None) -> list[tuple[str, str]]:
    prepared = prepare(workspace, dt.date.fromisoformat(AS_OF))
    if launched_with is None:
        result = evaluate(prepared)
    else:
        with starting_opa(launched_with) as launched:
            assert launched is not None
            result = evaluate(prepared, launched=launched)
    run = assemble(prepared, result, started=now())
    return sorted((f.check, f.resource.id) for f in run.findings)


def _acme_check(modules: list[Module]) -> Module:
    (module,) = [m for m in modules if m.id.startswith(policy.WORKSPACE)]
    return module


def test_a_check_changed_after_the_launch_is_evaluated_as_loaded(opa_binary, example):
    expected = policy.expected_modules(example)
    ours = _acme_check(expected)
    # the launched OPA holds a version of the check that finds nothing; the file, as loaded, finds
    stale = Module(id=ours.id, path=ours.path, text=ours.text.replace('== "prod"}', '== "never"}'))
    assert stale.text != ours.text
    findings = _findings(example, [*expected[:-1], stale])
    assert findings == _findings(example, None)
    assert any(check == "ACME-001" for check, _ in findings)


def test_a_launch_with_a_module_that_does_not_compile_falls_back_to_a_fresh_opa(opa_binary, example):
    expected = policy.expected_modules(example)
    ours = _acme_check(expected)
    broken = Module(id=ours.id, path=ours.path, text=ours.text + "\nthis is not rego (\n")
    assert _findings(example, [*expected[:-1], broken]) == _findings(example, None)


def test_a_launch_with_fewer_modules_uploads_the_rest(opa_binary, example):
    assert _findings(example, policy.library_modules()) == _findings(example, None)


def test_a_faulty_workspace_leaves_no_opa_behind(opa_binary, example, tmp_path):
    (example / "inventory" / "systems.yaml").write_text("systems: [\n", encoding="utf-8")
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(private_tmp), "GOVERN_OPA": opa_binary}
    proc = govern_process("check", str(example), "--as-of", AS_OF, "--format", "json", env=env)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "inventory/systems.yaml:" in proc.stderr
    assert list(private_tmp.glob("govern-opa-*")) == []  # the launched OPA's folder: removed as it was stopped
    assert list(private_tmp.glob("govern-rego-*")) == []  # the early compilation's, too


def test_the_expected_modules_are_the_loaded_ones(example):
    prepared = prepare(example, dt.date.fromisoformat(AS_OF))
    assert [(m.id, m.text) for m in policy.expected_modules(example)] == [(m.id, m.text) for m in prepared.policy.modules]
    assert json.loads(prepared.input)["as_of"] == AS_OF


def test_an_early_opa_that_dies_with_exactly_this_runs_modules_fails_the_run(opa_binary, example):
    """A fresh start is only for a launch whose modules changed since; an OPA that was given exactly
    this run's modules and died has crashed, and a crash is exit 3, never a silent retry."""
    prepared = prepare(example, dt.date.fromisoformat(AS_OF))
    with starting_opa(policy.expected_modules(example)) as launched:
        assert launched is not None and launched.process is not None
        os.kill(launched.process.pid, signal.SIGKILL)
        launched.process.wait()
        with pytest.raises(EngineError, match="OPA failed to start"):
            evaluate(prepared, launched=launched)


# ---------------------------------------------------------------- the compilation, started ahead too

def _children(subcommand: str) -> list[int]:
    """This process's running `opa <subcommand>` children."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and argv[1:2] == [subcommand.encode()]:
            found.append(int(entry.name))
    return found


def _started(subcommand: str, seconds: float = 20) -> list[int]:
    """The `opa <subcommand>` children once there is one (`opa check` is started once OPA told its capabilities)."""
    deadline = time.monotonic() + seconds
    while not (found := _children(subcommand)) and time.monotonic() < deadline:
        time.sleep(0.005)
    return found


@pytest.fixture
def nothing_remembered(monkeypatch):
    """A process that compiled these modules before asks OPA nothing again: forget, so that OPA is asked."""
    monkeypatch.setattr(compile_, "_INSPECTED", compile_._Remembered(8))
    monkeypatch.setattr(compile_, "_PARSED", compile_._Remembered(64))


def _compiling_ahead(modules: list[Module]):
    return engine.compiling_ahead(modules, [m for m in modules if m.id.startswith(policy.WORKSPACE)])


def test_a_compilation_ahead_of_exactly_the_loaded_modules_is_the_one_used(opa_binary, example, nothing_remembered,
                                                                             monkeypatch):
    with _compiling_ahead(policy.expected_modules(example)) as ahead:
        assert ahead is not None
        # from here on, any other compilation or parse fails the test
        monkeypatch.setattr(compile_, "_Compiling", None)
        monkeypatch.setattr(compile_, "_Parsing", None)
        compiled = policy.compile_policy(load(example), ahead)
    assert "ACME-001" in compiled.checks and compiled.checks["ACME-001"].module.startswith(policy.WORKSPACE)


def test_a_check_changed_after_the_compilation_started_is_compiled_as_loaded(opa_binary, example, nothing_remembered):
    """The early compilation saw a version that reads outside data.govern; the file as loaded does not."""
    expected = policy.expected_modules(example)
    ours = _acme_check(expected)
    stale = Module(id=ours.id, path=ours.path, text=ours.text + "\nelsewhere := data.elsewhere.x\n")
    with _compiling_ahead([*expected[:-1], stale]) as ahead:
        compiled = policy.compile_policy(load(example), ahead)
    assert "ACME-001" in compiled.checks


def test_a_fault_written_after_the_compilation_started_is_found(opa_binary, example, nothing_remembered):
    with _compiling_ahead(policy.expected_modules(example)) as ahead:
        source = example / "checks" / "ownership.rego"
        source.write_text(source.read_text(encoding="utf-8") + "\nelsewhere := data.elsewhere.x\n", encoding="utf-8")
        with pytest.raises(WorkspaceErrors) as caught:
            policy.compile_policy(load(example), ahead)
    assert [str(e.location).rsplit(":", 2)[0] for e in caught.value.errors] == ["checks/ownership.rego"]
    assert "data.elsewhere" in caught.value.errors[0].message


def test_a_compile_error_in_a_check_is_exit_2_at_its_place(opa_binary, example):
    source = example / "checks" / "ownership.rego"
    lines = source.read_text(encoding="utf-8").splitlines()
    source.write_text("\n".join([*lines, "broken if no_such_function(1)"]) + "\n", encoding="utf-8")
    proc = govern_process("check", str(example), "--as-of", AS_OF, "--format", "json",
                          env={**os.environ, "GOVERN_OPA": opa_binary})
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"checks/ownership.rego:{len(lines) + 1}:11: " in proc.stderr and "no_such_function" in proc.stderr


def test_an_opa_check_killed_ahead_fails_the_run(opa_binary, example, nothing_remembered):
    """A compilation of exactly this run's modules that was killed says nothing of the Rego: exit 3."""
    with _compiling_ahead(policy.expected_modules(example)) as ahead:
        (pid,) = _started("check")
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(EngineError, match="opa check was killed"):
            policy.compile_policy(load(example), ahead)


def test_leaving_early_stops_the_compilation_and_removes_its_folders(opa_binary, example, nothing_remembered,
                                                                     monkeypatch, tmp_path):
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    with pytest.raises(KeyboardInterrupt), _compiling_ahead(policy.expected_modules(example)):
        started = _started("check") + _started("inspect") + _started("parse")
        assert len(started) == 3
        raise KeyboardInterrupt
    assert [pid for pid in started if Path(f"/proc/{pid}").exists()] == []
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize(("limit", "environment"), [(compile_.GC_FREE_REGO, {"GOGC": "off", "GOMEMLIMIT": "1GiB"}), (0, {})])
def test_the_compilation_gets_no_environment_but_the_collector_setting(opa_binary, example, nothing_remembered,
                                                                      monkeypatch, limit, environment):
    """A small policy compiles without Go's collector, a large one (here: over a limit of 0) with it;
    nothing of the runner's environment reaches OPA either way."""
    monkeypatch.setenv("GOVERN_TEST_SECRET", "s3cr3t")
    monkeypatch.setattr(compile_, "GC_FREE_REGO", limit)
    with _compiling_ahead(policy.expected_modules(example)):
        (pid,) = _started("check")
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    assert dict(item.split("=", 1) for item in raw.decode().split("\0") if item) == environment


def test_work_started_on_a_binary_that_is_not_the_pinned_opa_is_not_used(opa_binary, example, tmp_path):
    """OPA starts before its version is asked: the first candidate (the cache's) is of another version,
    the pinned OPA is the one on PATH; the run uses that one alone."""
    other = tmp_path / "cache" / "opa" / engine.OPA_VERSION / "opa"
    other.parent.mkdir(parents=True)
    asked = tmp_path / "asked"
    other.write_text(f"#!/bin/sh\necho \"$1\" >> {asked}\necho 'Version: 0.99.0'\n")
    other.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key != "GOVERN_OPA"}
    env |= {"GOVERN_CACHE": str(tmp_path / "cache"), "PATH": f"{Path(opa_binary).parent}:{env.get('PATH', '')}"}
    proc = govern_process("check", str(example), "--as-of", AS_OF, "--format", "json", env=env)
    assert proc.returncode == 1, proc.stderr
    result = json.loads(proc.stdout)
    assert result["engine"]["opa_version"] == engine.OPA_VERSION and result["summary"]["fail"] > 0
    assert {"version", "inspect", "run"} <= set(asked.read_text().split())  # it was started ahead, and asked
