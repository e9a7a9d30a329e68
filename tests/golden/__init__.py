"""Golden results: real `govern check --format json` runs, checked in, so that the renderer
tests and the unit tests of findings, gate and baseline need no OPA.

Each variant is examples/acme (or the minimal workspace of tests/conftest.py) with a recipe
applied, checked --as-of 2026-11-25 on the pinned OPA. `<name>.json` is the JSON result,
`exit-codes.json` the exit code of each run, and `acme.report.json` OPA's own answer to the
report query (`data.govern.main.report`) for examples/acme, as the engine receives it.

They go stale when examples/acme, the built-in checks or the result format change;
tests/test_golden.py then fails. Regenerate them with

    GOVERN_OPA=/path/to/opa .venv/bin/python -m tests.golden

and review the diff: it is what changed in every report.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import requests

from governance.evaluate.run import prepare
from governance.result import RunResult
from tests.conftest import AS_OF, EXAMPLE, check, make_workspace, shared_opa

HERE = Path(__file__).resolve().parent
REGENERATE = "GOVERN_OPA=/path/to/opa .venv/bin/python -m tests.golden"
REPORT = "acme.report.json"
EXIT_CODES = "exit-codes"  # name -> the exit code of its run (the verdict a report shows)

# the waiver the waiver variant adds: valid at AS_OF, with a pipe and Chinese in its justification
WAIVER_ID = "wv-test-001"
WAIVER_JUSTIFICATION = "供应商合同续签前的临时例外 | temporary until the vendor contract renews"
# … and one its requester approved (WAV-001): recorded, invalid, applied to nothing
SELF_APPROVED_ID = "wv-test-self"

EXPIRING_PROJECT = """\
projects:
  - id: prj-test-gpu
    name: 算力扩容
    owner: p-cdo
    phase: pilot
    start: 2026-10-01
    end: 2027-03-31
    budget_lines:
      - {id: bl-test-1, category: technology, amount: 20000000, owner: p-cdo}
"""
EXPIRING_WAIVER = """\
waivers:
  - id: wv-test-soon
    check: BUD-007
    resource: {kind: project, id: prj-test-gpu}
    justification: 分配决议将在下次委员会会议上审议
    requested_by: p-cto
    approved_by: p-ceo
    approved_at: 2026-11-01
    expires: 2026-12-10
"""
WAIVER_DECISIONS = "  # waivers granted"  # where acme's waiver decisions begin, after its others
ORPHAN_DATASET = ("datasets:\n  - {id: ds-test-orphan, name: 孤立数据, owner: p-cdo, grade: general-1, level: public,"
                  " classified_at: 2026-11-01}\n")


def waiver_yaml(waiver_id: str, finding: dict, justification: str, requested_by: str) -> str:
    return (f"  - id: {waiver_id}\n"
            f"    check: {finding['check']}\n"
            f"    resource: {{kind: {finding['resource']['kind']}, id: {finding['resource']['id']}}}\n"
            f"    justification: {json.dumps(justification, ensure_ascii=False)}\n"
            f"    requested_by: {requested_by}\n"
            "    approved_by: p-ceo\n"
            "    approved_at: 2026-11-01\n"
            "    expires: 2026-12-31\n")


def waivable_failures(result: dict) -> list[dict]:
    """The failing findings of waivable checks, in the result's order."""
    waivable = {c["id"] for c in result["checks"] if c["waivable"]}
    return [f for f in result["findings"] if f["status"] == "fail" and f["check"] in waivable]


# ---------------------------------------------------------------- the recipes: (workspace, golden so far) -> extra args

def _acme(ws: Path, done: dict) -> list[str]:
    return []


def _waivers(ws: Path, done: dict) -> list[str]:
    first, second = waivable_failures(done["acme"])[:2]
    (ws / "waivers" / "test.yaml").write_text(
        "waivers:\n" + waiver_yaml(WAIVER_ID, first, WAIVER_JUSTIFICATION, "p-cto")
        + waiver_yaml(SELF_APPROVED_ID, second, "requested and approved by one person", "p-ceo"), encoding="utf-8")
    return []


def _expiring(ws: Path, done: dict) -> list[str]:
    (ws / "inventory" / "test-budget.yaml").write_text(EXPIRING_PROJECT, encoding="utf-8")
    (ws / "waivers" / "test-soon.yaml").write_text(EXPIRING_WAIVER, encoding="utf-8")
    return []


def _changes(ws: Path, done: dict) -> list[str]:
    baseline = ws.parent / "baseline.json"
    # without its run times, so the baseline's bytes, and the digest the comparison names them by, are the same
    # in every live run
    baseline.write_text(json.dumps(without_run(done["acme"]), ensure_ascii=False), encoding="utf-8")
    (ws / "waivers" / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")  # its WAV findings go
    # … and the decisions that granted them, the last of acme's decisions: a decision's subject must exist
    records = ws / "inventory" / "governance-records.yaml"
    text = records.read_text(encoding="utf-8")
    records.write_text(text[:text.index(WAIVER_DECISIONS)], encoding="utf-8")
    (ws / "inventory" / "test-extra.yaml").write_text(ORPHAN_DATASET, encoding="utf-8")  # held by no system: new
    return ["--baseline", str(baseline)]


def _minimal(ws: Path, done: dict) -> list[str]:
    shutil.rmtree(ws)
    make_workspace(ws, {})
    return []


# name -> (recipe, what it is); in order: later recipes read earlier results
VARIANTS: dict[str, tuple[Callable[[Path, dict], list[str]], str]] = {
    "acme": (_acme, "examples/acme as it is"),
    "acme-waivers": (_waivers, f"plus a valid waiver {WAIVER_ID} and a self-approved one, {SELF_APPROVED_ID}"),
    "acme-expiring": (_expiring, "plus a pilot project far over its technology band, waived until 2026-12-10"),
    "acme-changes": (_changes, "without its waivers, plus an orphan dataset, --baseline the acme result"),
    "minimal": (_minimal, "the minimal workspace of tests/conftest.py: most checks not applicable"),
}


def path(name: str) -> Path:
    return HERE / f"{name}.json"


def data(name: str) -> dict:
    """A golden file as JSON."""
    return json.loads(path(name).read_text(encoding="utf-8"))


def result(name: str) -> RunResult:
    """A golden JSON result as the renderers get it."""
    return RunResult.model_validate_json(path(name).read_text(encoding="utf-8"))


def exit_code(name: str) -> int:
    """The exit code `govern check` gave on the variant: 1 when its findings fail the run."""
    return data(EXIT_CODES)[name]


def without_run(doc: dict) -> dict:
    """A JSON result without its run timestamps, the only part that differs between two runs."""
    return {k: v for k, v in doc.items() if k != "run"}


def workspace(name: str, root: Path, done: dict[str, dict] | None = None) -> tuple[Path, list[str]]:
    """The workspace of variant `name` under `root`, and the extra `govern check` arguments it runs with.
    Recipes that read earlier variants read `done`, else the golden files."""
    ws = root / "acme"
    shutil.copytree(EXAMPLE, ws)
    earlier = done if done is not None else {n: data(n) for n in VARIANTS if path(n).exists()}
    return ws, VARIANTS[name][0](ws, earlier)


def produce() -> dict[str, dict]:
    """Every golden file from live runs (`govern check` in this process, on its shared OPA): name -> JSON."""
    out: dict[str, dict] = {}
    codes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="govern-golden-") as tmp:
        for name in VARIANTS:
            ws, extra = workspace(name, Path(tmp) / name, out)
            proc = check(ws, "--format", "json", *extra)
            assert proc.returncode in (0, 1), f"{name}: exit {proc.returncode}: {proc.stderr}"
            out[name], codes[name] = json.loads(proc.stdout), proc.returncode
            if name == "acme":  # the server holds what this run loaded: ask it the report query again
                out[REPORT.removesuffix(".json")] = opa_report(ws)
    out[EXIT_CODES] = codes
    return out


def opa_report(workspace: Path) -> dict:
    """OPA's answer to the report query for `workspace`, from the shared server that has just evaluated it."""
    prepared = prepare(workspace, dt.date.fromisoformat(AS_OF))
    answer = requests.post(f"{shared_opa()}/v1/data/govern/main/report", data=b'{"input":' + prepared.input + b"}",
                           headers={"Content-Type": "application/json"}, timeout=60)
    answer.raise_for_status()
    return answer.json()


def write(files: dict[str, dict]) -> None:
    for name, doc in files.items():
        path(name).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
