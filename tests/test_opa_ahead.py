"""The managed OPA is launched before the workspace is loaded, with the modules expected then
(issue 11: its start overlaps the loading). What it evaluates is still exactly the loaded policy."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
from pathlib import Path

import pytest

from governance.engine import EngineError, Module, starting_opa
from governance.evaluate import policy
from governance.evaluate.run import assemble, evaluate, now, prepare
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
