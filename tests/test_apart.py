"""A large workspace loads in a forked child (evaluate/apart.py): the same result as loading it
here, the same errors, and a child that dies or fails is never a verdict."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
from pathlib import Path

import pytest
import requests

from governance.engine import StoredInput
from governance.engine.errors import EngineError
from governance.engine.server import ManagedOpa, managed_opa
from governance.evaluate import apart as apart_
from governance.evaluate import run as run_
from governance.load import Location, WorkspaceError, WorkspaceErrors
from governance.load.tree import parse_yaml
from governance.model import inventory_bytes
from tests.conftest import AS_OF, EXAMPLE, govern, shared_opa

TODAY = run_.dt.date.fromisoformat(AS_OF)


def _result(monkeypatch: pytest.MonkeyPatch, path: Path, large: int, opa_url: str | None = None) -> dict:
    monkeypatch.setattr(apart_, "LARGE", large)
    result = json.loads(run_.run_check(path, TODAY, opa_url=opa_url).model_dump_json())
    result.pop("run")  # its start and end times
    return result


def test_acme_loaded_apart_gives_the_result_it_gives_loaded_here(monkeypatch):
    assert 0 < inventory_bytes(EXAMPLE) < apart_.LARGE, "acme loads here by default: this test forces the child"
    here = _result(monkeypatch, EXAMPLE, apart_.LARGE)
    apart = _result(monkeypatch, EXAMPLE, 0)
    assert apart == here
    assert here["findings"], "a result with findings, so that their positions are compared"
    # and with the summaries, which read the inventory kinds kept after the input (apart.KEPT)
    assert here["budget"]["phases"] and here["strategy"]["latest"] and any(g["owner_name"] for g in here["strategy"]["goals"])


def test_the_child_sends_back_the_input_and_the_workspace_without_what_only_the_input_needed():
    loading = apart_.Apart(EXAMPLE, AS_OF, run_.load)
    ws, input_json = loading.collect()
    here = run_.load(EXAMPLE)
    assert input_json == here.input_json(AS_OF)
    assert ws.inventory.projects == here.inventory.projects and ws.inventory.goals == here.inventory.goals
    assert ws.declared_at("system", "sys-crm") == here.declared_at("system", "sys-crm") is not None
    with pytest.raises(RuntimeError, match="the inventory's systems went to OPA in the input and was not kept"):
        list(ws.inventory.systems)
    with pytest.raises(RuntimeError, match="not kept"):  # a kind left out is never read as an empty kind
        dict(ws.inventory.kinds())
    with pytest.raises(RuntimeError, match="the budget lines"):
        len(ws.budget_lines)


def test_an_invalid_workspace_loaded_apart_has_the_errors_it_has_loaded_here(tmp_path: Path):
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    systems = ws / "inventory" / "systems.yaml"
    systems.write_text(systems.read_text(encoding="utf-8").replace("owner: p-crm", "owner: p-nobody", 1), encoding="utf-8")
    with pytest.raises(WorkspaceErrors) as here:
        run_.load(ws)
    with pytest.raises(WorkspaceErrors) as apart:
        apart_.Apart(ws, AS_OF, run_.load).collect()
    assert apart.value.errors == here.value.errors
    assert any("p-nobody" in e.message for e in apart.value.errors)


def test_workspace_errors_pickle_as_their_errors():
    errors = WorkspaceErrors([WorkspaceError(Location("a.yaml", 3, 5), "bad"), WorkspaceError(Location("a.yaml", 1, 1), "worse")])
    again = pickle.loads(pickle.dumps(errors))
    assert again.errors == errors.errors and str(again) == str(errors)


def _killed(path: Path | str, on_kind=None):
    os.kill(os.getpid(), signal.SIGKILL)


def _failing(path: Path | str, on_kind=None):
    raise KeyError("a bug")


def test_a_child_killed_while_loading_fails_the_run_and_says_how():
    with pytest.raises(EngineError, match=r"was killed by signal 9 \(SIGKILL\) \(the system may have run out of memory\)"):
        apart_.Apart(EXAMPLE, AS_OF, _killed).collect()


def test_a_child_that_fails_while_loading_is_a_bug_reported_as_one():
    with pytest.raises(RuntimeError, match="while loading the workspace apart: KeyError: 'a bug'") as bug:
        apart_.Apart(EXAMPLE, AS_OF, _failing).collect()
    assert "in _failing" in bug.value.__notes__[0]  # the child's traceback, for GOVERN_DEBUG=1


def test_a_child_not_collected_is_stopped_and_reaped():
    loading = apart_.Apart(EXAMPLE, AS_OF, run_.load)
    pid = loading._pid
    loading.close()
    with pytest.raises(ChildProcessError):  # reaped: no zombie is left behind
        os.waitpid(pid, os.WNOHANG)


def test_only_a_large_inventory_loads_apart(tmp_path: Path, monkeypatch):
    assert not apart_.worth_it(EXAMPLE)
    monkeypatch.setattr(apart_, "LARGE", inventory_bytes(EXAMPLE))
    assert apart_.worth_it(EXAMPLE)  # the boundary: from LARGE bytes on
    (tmp_path / "governance.yaml").write_text("inventory: [\n", encoding="utf-8")
    assert inventory_bytes(tmp_path) == 0  # a faulty manifest: loaded here, where its error is reported


def test_govern_check_of_an_invalid_workspace_loaded_apart_exits_2_at_the_line(tmp_path: Path, monkeypatch):
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    systems = ws / "inventory" / "systems.yaml"
    systems.write_text(systems.read_text(encoding="utf-8").replace("owner: p-crm", "owner: p-nobody", 1), encoding="utf-8")
    monkeypatch.setattr(apart_, "LARGE", 0)
    ran = govern("check", str(ws), "--as-of", AS_OF)
    assert ran.returncode == 2, ran.stderr
    assert "inventory/systems.yaml:25:5: " in ran.stderr and "p-nobody" in ran.stderr


# ---------------------------------------------------------------- the input written to OPA while the workspace loads


def _stored(opa: ManagedOpa) -> object:
    answer = requests.get(f"{opa.url}/v1/data/govern_input", headers={"Authorization": f"Bearer {opa.token}"}, timeout=30)
    answer.raise_for_status()
    return answer.json()["result"]


def test_each_kind_is_told_once_after_its_last_file_and_only_while_the_workspace_is_valid(tmp_path: Path):
    told: list[str] = []
    ws = run_.load(EXAMPLE, lambda plural, ws: told.append(plural))
    assert sorted(told) == sorted(plural for plural, _ in ws.inventory.kinds())
    bad = tmp_path / "ws"
    shutil.copytree(EXAMPLE, bad)
    (bad / "inventory" / "aaa.yaml").write_text("people:\n  - {id: p-x}\n", encoding="utf-8")  # read first, invalid
    told.clear()
    with pytest.raises(WorkspaceErrors):
        run_.load(bad, lambda plural, ws: told.append(plural))
    assert told == []


def _split_systems(tmp_path: Path) -> Path:
    """acme with its systems in two files, read one first and one last: the kind is whole only after the last."""
    ws = tmp_path / "split"
    shutil.copytree(EXAMPLE, ws)
    text = (ws / "inventory" / "systems.yaml").read_text(encoding="utf-8")
    head, first, rest = text.partition("\n  - id: ")
    second = rest.index("\n  - id: ")
    (ws / "inventory" / "systems.yaml").unlink()
    (ws / "inventory" / "a-systems.yaml").write_text(head + first + rest[:second] + "\n", encoding="utf-8")
    (ws / "inventory" / "zz-systems.yaml").write_text("systems:" + rest[second:], encoding="utf-8")
    return ws


def test_a_kind_written_in_two_files_is_told_once_the_last_is_validated(tmp_path: Path):
    ws_path = _split_systems(tmp_path)
    told: list[tuple[str, int]] = []
    ws = run_.load(ws_path, lambda plural, ws: told.append((plural, len(ws.inventory.of(plural)))))
    assert ("systems", len(ws.inventory.systems)) in told and len(ws.inventory.systems) > 2
    assert [p for p, _ in told].count("systems") == 1
    assert apart_.Apart(ws_path, AS_OF, run_.load).collect()[1] == ws.input_json(AS_OF)


def _inventory_written(written: StoredInput, ws) -> StoredInput:
    """`written` given every inventory part of `ws`, as the loader sends them."""
    for plural, _ in ws.inventory.kinds():
        written.put(plural, ws.kind_json(plural))
    written.put("budget_lines", ws.budget_lines_json())
    return written


def test_the_parts_written_while_loading_make_the_input_itself(opa_binary):
    ws = run_.load(EXAMPLE)
    with managed_opa(opa_binary) as opa:
        written = _inventory_written(StoredInput(opa, AS_OF, 30), ws)
        assert not written.holds(opa), "not finished: never taken for the whole input"
        written.put("waivers", ws.waivers_json())
        written.finish()
        assert written.holds(opa)
        assert _stored(opa) == json.loads(ws.input_json(AS_OF))


def test_writes_that_failed_or_went_to_another_server_are_never_taken_for_the_input(opa_binary):
    with managed_opa(opa_binary) as opa, managed_opa(opa_binary) as other:
        written = StoredInput(opa, AS_OF, 30)
        written.finish()
        assert written.holds(opa) and not written.holds(other)
        opa.stop()  # it dies before anything is written
        dead = StoredInput(opa, AS_OF, 30)
        dead.finish()
        assert not dead.holds(opa)


def test_a_run_loaded_apart_evaluates_on_the_input_written_while_it_loaded(monkeypatch):
    answers: list[bool] = []
    holds = StoredInput.holds
    monkeypatch.setattr(StoredInput, "holds", lambda self, opa: answers.append(holds(self, opa)) or answers[-1])
    here = _result(monkeypatch, EXAMPLE, apart_.LARGE)
    assert answers == []  # a small workspace loads here and writes its input whole
    assert _result(monkeypatch, EXAMPLE, 0) == here and answers == [True]


def test_a_run_whose_writes_while_loading_failed_writes_the_input_whole(monkeypatch):
    here = _result(monkeypatch, EXAMPLE, apart_.LARGE)
    monkeypatch.setattr(StoredInput, "_write_all", lambda self: setattr(self, "_stopped", True))
    assert _result(monkeypatch, EXAMPLE, 0) == here


def test_a_workspace_loaded_apart_and_checked_on_a_given_server_gives_the_same_result(monkeypatch):
    # no OPA is launched ahead: nothing is written while loading, the input goes with the query
    assert _result(monkeypatch, EXAMPLE, 0, shared_opa()) == _result(monkeypatch, EXAMPLE, apart_.LARGE)


def test_a_json_inventory_loaded_apart_places_its_findings_where_they_are_written(tmp_path: Path, monkeypatch):
    # JSON files keep their text for positions worked out late (json_tree._LazyJsonMap): it must travel back too
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    for name in ("systems", "datasets"):
        data, _ = parse_yaml((ws / "inventory" / f"{name}.yaml").read_text(encoding="utf-8"), name)
        (ws / "inventory" / f"{name}.json").write_text(json.dumps(data, indent=2, default=str, ensure_ascii=False),
                                                        encoding="utf-8")
        (ws / "inventory" / f"{name}.yaml").unlink()
    here = _result(monkeypatch, ws, apart_.LARGE)
    placed = {f["location"]["file"] for f in here["findings"] if f.get("location")}
    assert {"inventory/systems.json", "inventory/datasets.json"} <= placed
    assert _result(monkeypatch, ws, 0) == here


def test_a_write_that_fails_midway_is_never_taken_for_the_whole_input(opa_binary, monkeypatch, capfd):
    from governance.engine.client import OpaSession

    put = OpaSession.put_json

    def failing(self, path, value_json, what):
        if path.endswith("/systems"):
            raise MemoryError  # not an EngineError: any failure counts
        put(self, path, value_json, what)

    monkeypatch.setattr(OpaSession, "put_json", failing)
    ws = run_.load(EXAMPLE)
    with managed_opa(opa_binary) as opa:
        written = _inventory_written(StoredInput(opa, AS_OF, 30), ws)
        written.put("waivers", ws.waivers_json())
        written.finish()
        assert not written.holds(opa)
    assert capfd.readouterr().err == ""  # the writer's thread prints nothing
