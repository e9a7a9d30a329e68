"""A bounded fuzz of the whole command on mutated workspaces.

Hypothesis mutates a copy of examples/acme — hostile scalars (NaN, impossible
dates, aliases, deep nesting, huge numbers, markup), deleted, duplicated or
swapped lines, stray text, truncation — and runs `govern validate` and
`govern check` in-process on each, asserting that:

- no traceback and no "internal error" ever reaches the user;
- the exit codes are only 0, 1 and 2 (OPA is there, so 3 would be a bug);
- `validate` and `check` agree on validity: validate's 0 is check's 0 or 1,
  validate's 2 is check's 2.

`check` evaluates on the real OPA server this pytest process shares
(conftest.shared_opa: `--opa-url`, the same pipeline as the managed OPA but
without a start per example). Both commands run whole, but on one load of the
example's workspace (`_LoadedOnce`): loading is most of either command's time.

The examples (GOVERN_FUZZ_EXAMPLES; 2,000 in CI, fewer in a developer's run:
conftest.depth) are split into GOVERN_FUZZ_CHUNKS runs of their own Hypothesis
seed, which pytest-xdist spreads over its workers; each run holds both sides of
the agreement to the same minimum share as the whole.
"""

from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from governance.cli import main
from governance.evaluate import run
from governance.model import Workspace
from tests.conftest import AS_OF, EXAMPLE, chunk_share, depth, shared_opa

EXAMPLES = depth("GOVERN_FUZZ_EXAMPLES", ci=2000, local=100)
CHUNKS = max(1, min(EXAMPLES, int(os.environ.get("GOVERN_FUZZ_CHUNKS", "10" if EXAMPLES >= 1000 else "2"))))
SUFFIXES = {".yaml", ".yml", ".json", ".csv"}

HOSTILE = [
    ".nan", ".inf", "-.inf", "1e999", "NaN", "2026-02-30", "0000-00-00", "9999-12-31", "1899-12-31",
    "20261125", "-1", "0", "1.5", "''", "null", "~", "[]", "{}", "true", "&a [x, y]", "*a", "*undefined",
    "!!binary aGk=", "!!python/object:os.system x", "../../etc/passwd", "/etc/passwd", "<script>x</script>",
    "[bold]x[/]", "'|a|b|'", "\"\\u0000\"", "x" * 5000, "9" * 5000, "[" * 200 + "]" * 200,
    "{a: {a: {a: {a: {a: 1}}}}}", "数据驱动型组织", "\"\\ud800\"", "2026-11-25T10:00:00", "%YAML 1.1",
    "? complex\n: key", "- a\n- b", "key: [unclosed",
]


def _mutate(text: str, data: st.DataObject) -> str:
    lines = text.split("\n")
    kind = data.draw(st.sampled_from(["value", "delete", "duplicate", "swap", "insert", "truncate"]))
    i = data.draw(st.integers(0, max(len(lines) - 1, 0)))
    if kind == "value" and ":" in lines[i]:
        key, _, _ = lines[i].partition(":")
        value = data.draw(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30), st.integers().map(str)))
        lines[i] = f"{key}: {value}"
    elif kind == "value" and "," in lines[i]:  # a CSV row
        cells = lines[i].split(",")
        j = data.draw(st.integers(0, len(cells) - 1))
        cells[j] = data.draw(st.one_of(st.sampled_from(["nan", "inf", "2026-02-30", "", "1e999", "-5"]), st.text(max_size=10)))
        lines[i] = ",".join(cells)
    elif kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = data.draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "insert":
        lines.insert(i, data.draw(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))))
    else:
        cut = data.draw(st.integers(0, len(text)))
        return text[:cut]
    return "\n".join(lines)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    out = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"escaped the guard: {result.exception!r}\n{out}"
    assert "Traceback" not in out and "internal error" not in out, out
    return result.exit_code, out


class _LoadedOnce:
    """`governance.evaluate.run.load`, which `validate` and `check` both load through, loading each
    example's workspace once: the first command loads it, the second is handed the same workspace, or
    the same refusal. Loading (YAML above all) is most of either command's time, and the same bytes
    load the same; everything after the load (compilation, the manifest's skips, the input, OPA,
    the report) still runs in both commands."""

    def __init__(self, load) -> None:
        self._load = load
        self._outcome: Workspace | Exception | None = None
        self.calls = 0

    def forget(self) -> None:
        """Before the next example."""
        self._outcome, self.calls = None, 0

    def __call__(self, path, on_kind=None):
        self.calls += 1
        if self._outcome is None:
            try:
                self._outcome = self._load(path, on_kind)
            except Exception as exc:  # noqa: BLE001 — handed to both commands, each turns it into its exit code
                self._outcome = exc
        if isinstance(self._outcome, Exception):
            raise self._outcome
        return self._outcome


# Outcomes by workspace content, for the whole pytest process: Hypothesis often draws a workspace
# already run (a no-op mutation gives the example itself back, and each chunk begins with the
# simplest draws). Running the same bytes through the same commands again would add nothing.
_OUTCOMES: dict[tuple[tuple[str, str], ...], tuple[int, int]] = {}


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_mutated_workspaces_never_crash_and_validate_agrees_with_check(opa_binary, tmp_path, monkeypatch, chunk):
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    pristine = {p.relative_to(ws).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(ws.rglob("*")) if p.is_file() and p.suffix in SUFFIXES}
    assert pristine, f"{EXAMPLE} holds no data file to mutate"
    files = sorted(pristine)
    url = shared_opa()
    examples = chunk_share(EXAMPLES, CHUNKS, chunk)
    # The pristine example first, as it is: valid. This process then remembers the compilation of its
    # Rego (which no example mutates), as it does after any valid example; without it, every invalid
    # example before a chunk's first valid one started that compilation early and threw it away unfinished
    # (most examples are invalid: that was half of a chunk's time). An early compilation stopped unfinished
    # is tested in tests/test_opa_ahead.py (leaving early stops it and removes its folders).
    warm, out = _run("validate", str(ws))
    assert warm == 0, out
    loaded = _LoadedOnce(run.load)
    monkeypatch.setattr(run, "load", loaded)
    counts = {"valid": 0, "invalid": 0, "already run": 0}

    @seed(chunk)  # each chunk its own examples, the same ones on every run
    @settings(max_examples=examples)
    @given(data=st.data())
    def one(data):
        now: dict[str, str] = {}
        try:
            for _ in range(data.draw(st.integers(1, 3))):
                rel = data.draw(st.sampled_from(files))
                path = ws / rel
                now[rel] = _mutate(path.read_text(encoding="utf-8"), data)
                path.write_text(now[rel], encoding="utf-8")
            workspace = tuple(sorted((rel, text) for rel, text in now.items() if text != pristine[rel]))
            if workspace in _OUTCOMES:
                validate, check = _OUTCOMES[workspace]
                counts["already run"] += 1
            else:
                loaded.forget()
                validate, vout = _run("validate", str(ws))
                assert validate in (0, 2), vout
                check, cout = _run("check", str(ws), "--as-of", AS_OF, "--format", "json", "--opa-url", url)
                assert check in (0, 1, 2), cout
                assert loaded.calls == 2, f"validate and check loaded the workspace {loaded.calls} times in all, not once each"
                assert (validate == 2) == (check == 2), f"validate {validate}, check {check}:\n{vout}\n{cout}"
                _OUTCOMES[workspace] = validate, check
            counts["valid" if validate == 0 else "invalid"] += 1
        finally:  # back to the example for the next one: only what this one changed
            for rel in now:
                (ws / rel).write_text(pristine[rel], encoding="utf-8")

    one()
    # the mutations must exercise both sides, or the agreement says nothing
    assert counts["valid"] + counts["invalid"] == examples, counts
    assert counts["valid"] >= examples // 20 and counts["invalid"] >= examples // 5, counts
