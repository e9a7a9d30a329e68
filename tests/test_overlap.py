"""One object owns what a run does while its workspace loads (evaluate/overlap.py): the loader child,
the OPA launched early, the input's writer and the compilation. Whatever way the run ends, none of it
outlives the run, and the compilation is stopped before the evaluation."""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from pathlib import Path

import pytest

from governance.engine import EngineError
from governance.engine import compile as compile_
from governance.evaluate import apart as apart_
from governance.evaluate import overlap as overlap_
from governance.evaluate import policy as policy_
from governance.evaluate import run as run_
from governance.load import WorkspaceErrors
from tests.conftest import AS_OF

TODAY = run_.dt.date.fromisoformat(AS_OF)


def _children() -> set[int]:
    """This process's child processes still running (a zombie not yet reaped counts: it was left behind)."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == os.getpid():
                found.add(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """A temporary folder of this test's own, for the folders OPA's compilation and server stage modules in;
    and nothing remembered of earlier compilations, so that OPA is asked again."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setattr(compile_, "_INSPECTED", compile_._Remembered(8))
    monkeypatch.setattr(compile_, "_PARSED", compile_._Remembered(64))
    return folder


@pytest.fixture
def left_behind(private_tmp):
    """After the test: the children, threads and staged folders the run left (all must be none)."""
    children, threads = _children(), set(threading.enumerate())

    def left() -> tuple[set[int], set[str], list[str]]:
        return (_children() - children, {t.name for t in set(threading.enumerate()) - threads},
                sorted(p.name for p in private_tmp.iterdir()))
    return left


def test_the_compilation_is_stopped_before_the_evaluation(opa_binary, example, private_tmp, monkeypatch):
    """The evaluation may fork a fresh OPA with code to run before its exec: no thread of the compilation may run
    then, and none of its processes or folders is kept for nothing while OPA evaluates."""
    seen = []
    real = policy_.evaluate

    def evaluate(*args, **kwargs):
        seen.append(({t.name for t in threading.enumerate()}, sorted(p.name for p in private_tmp.glob("govern-rego-*"))))
        return real(*args, **kwargs)

    monkeypatch.setattr(policy_, "evaluate", evaluate)
    result = run_.run_check(example, TODAY)
    assert result.findings and len(seen) == 1
    threads, folders = seen[0]
    assert "govern-opa-check" not in threads
    assert folders == []


def _large(monkeypatch) -> None:
    monkeypatch.setattr(apart_, "LARGE", 0)  # acme loads apart: the child, the writer and the early OPA all run


def test_nothing_outlives_an_invalid_workspace(opa_binary, example, left_behind, monkeypatch):
    _large(monkeypatch)
    systems = example / "inventory" / "systems.yaml"
    systems.write_text(systems.read_text(encoding="utf-8").replace("owner: p-crm", "owner: p-nobody", 1), encoding="utf-8")
    with pytest.raises(WorkspaceErrors):
        run_.run_check(example, TODAY)
    assert left_behind() == (set(), set(), [])


def test_nothing_outlives_a_bug_while_compiling(opa_binary, example, left_behind, monkeypatch):
    _large(monkeypatch)

    def compile_policy(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(policy_, "compile_policy", compile_policy)
    with pytest.raises(RuntimeError, match="a bug"):
        run_.run_check(example, TODAY)
    assert left_behind() == (set(), set(), [])


def test_an_early_opa_that_dies_during_the_run_fails_it_and_nothing_outlives_it(opa_binary, example, left_behind,
                                                                                  monkeypatch):
    """OPA's death is exit 3 (EngineError), never a verdict nor a silent retry."""
    _large(monkeypatch)
    real = policy_.evaluate

    def evaluate(*args, **kwargs):
        launched = kwargs["launched"]
        assert launched is not None and launched.process is not None
        launched.ready()
        os.kill(launched.process.pid, signal.SIGKILL)
        return real(*args, **kwargs)

    monkeypatch.setattr(policy_, "evaluate", evaluate)
    with pytest.raises(EngineError, match="OPA"):
        run_.run_check(example, TODAY)
    assert left_behind() == (set(), set(), [])


def test_nothing_outlives_an_interrupted_evaluation(opa_binary, example, left_behind, monkeypatch):
    _large(monkeypatch)

    def evaluate(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(policy_, "evaluate", evaluate)
    with pytest.raises(KeyboardInterrupt):
        run_.run_check(example, TODAY)
    assert left_behind() == (set(), set(), [])


def test_a_step_that_fails_to_start_stops_the_steps_started_before_it(opa_binary, example, left_behind, monkeypatch):
    _large(monkeypatch)

    def compiling_ahead(expected):
        raise KeyboardInterrupt  # the last step: the child, OPA and the writer run by now

    monkeypatch.setattr(policy_, "compiling_ahead", compiling_ahead)
    overlap = overlap_.Overlap(example, run_.load, as_of=AS_OF, opa=True)
    with pytest.raises(KeyboardInterrupt):
        overlap.start()
    assert (overlap.apart, overlap.launched, overlap.written, overlap.compiling) == (None, None, None, None)
    assert left_behind() == (set(), set(), [])


def test_a_run_that_succeeds_leaves_nothing_running(opa_binary, example, left_behind, monkeypatch):
    _large(monkeypatch)
    assert run_.run_check(example, TODAY).findings
    assert left_behind() == (set(), set(), [])
