"""The golden results (tests/golden) are what live runs give, and what the engine's answer becomes.

One test runs the variants live on the real OPA and fails when a golden file is stale.
The others start from OPA's recorded answer for examples/acme and test, without an
OPA evaluation, how findings are built from it (waivers applied or refused, order,
fail closed), the gate that picks exit 1, and the comparison with a baseline.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random

import pytest

from governance.engine import OPA_VERSION, EngineError, EngineResult
from governance.engine.outcome import parse_report
from governance.evaluate.baseline import compare
from governance.evaluate.findings import build
from governance.evaluate.run import assemble, prepare
from governance.history.views import compared, digest_of
from governance.result import SEVERITIES, RunResult, gate
from tests import golden
from tests.conftest import AS_OF, EXAMPLE

WAIVER_CHECKS = {"WAV-001", "WAV-002", "WAV-003", "WAV-004", "WAV-005", "WAV-007", "WAV-008", "WAV-009"}


def test_the_golden_results_are_what_live_runs_give(opa_binary):
    live = golden.produce()
    assert set(live) == {*golden.VARIANTS, golden.REPORT.removesuffix(".json"), golden.EXIT_CODES}
    stale = [name for name, doc in live.items()
             if not golden.path(name).exists() or golden.without_run(doc) != golden.without_run(golden.data(name))]
    assert not stale, (f"stale golden file(s) {', '.join(f'tests/golden/{n}.json' for n in stale)}: a live run of "
                       f"`govern check` no longer gives them. Regenerate with `{golden.REGENERATE}` and review the diff.")


# ---------------------------------------------------------------- from OPA's recorded answer, without an evaluation

@pytest.fixture(scope="module")
def prepared(opa_binary):
    """examples/acme loaded and its policy compiled (the pinned `opa` binary compiles; nothing evaluates)."""
    return prepare(EXAMPLE, dt.date.fromisoformat(AS_OF))


@pytest.fixture
def answer() -> dict:
    """OPA's answer to the report query for examples/acme, a private copy a test may edit."""
    return golden.data(golden.REPORT.removesuffix(".json"))


def outcomes(answer: dict):
    return parse_report(answer).checks


def findings_of(prepared, answer: dict):
    return build(prepared.workspace, outcomes(answer), prepared.policy.checks)


def drop_violations(answer: dict, check_id: str, resource_id: str) -> None:
    for check in answer["result"]["checks"]:
        if check["meta"]["custom"]["id"] == check_id:
            check["violations"] = [v for v in check["violations"] if v["resource"]["id"] != resource_id]


def add_violation(answer: dict, check_id: str, kind: str, resource_id: str, message: str) -> None:
    [check] = [c for c in answer["result"]["checks"] if c["meta"]["custom"]["id"] == check_id]
    check["violations"].append({"resource": {"kind": kind, "id": resource_id}, "message": message})


def test_the_recorded_answer_assembles_into_the_golden_result(prepared, answer):
    """The answer OPA gave the acme run, assembled with the workspace, is that run's result."""
    report = parse_report(answer)
    expected = golden.data("acme")
    assert report.revision == expected["engine"]["policy_revision"] and report.malformed == []
    engine = EngineResult(opa_version=OPA_VERSION, revision=report.revision, checks=report.checks, malformed=[])
    result = assemble(prepared, engine, started=expected["run"]["started_at"])
    assert golden.without_run(json.loads(result.to_json())) == golden.without_run(expected)


def test_a_waiver_is_applied_once_no_invalidating_check_fires_on_it(prepared, answer):
    # the example's wv-2026-014 has lapsed (WAV-005) and lived too long (WAV-003): its finding fails …
    findings, _, waivers = findings_of(prepared, answer)
    record = next(w for w in waivers if w.id == "wv-2026-014")
    assert (record.valid, record.problems, record.applied) == (False, ["WAV-003", "WAV-005"], 0)
    [target] = [f for f in findings if (f.check, f.resource.kind, f.resource.id) == (record.check, record.resource.kind,
                                                                                      record.resource.id)]
    assert (target.status, target.waiver) == ("fail", None)
    # … and without those two violations the same waiver is valid and waives it
    for check in ("WAV-003", "WAV-005"):
        drop_violations(answer, check, "wv-2026-014")
    findings, checks, waivers = findings_of(prepared, answer)
    record = next(w for w in waivers if w.id == "wv-2026-014")
    assert (record.valid, record.problems, record.applied) == (True, [], 1)
    [target] = [f for f in findings if f.fingerprint == target.fingerprint]
    assert (target.status, target.waiver) == ("waived", "wv-2026-014")
    summary = next(c for c in checks if c.id == record.check)
    assert summary.waived >= 1 and summary.failed == sum(f.status == "fail" for f in findings if f.check == record.check)


@pytest.mark.parametrize("check_id", sorted(WAIVER_CHECKS))
def test_any_invalidating_check_firing_on_a_waiver_unwaives_its_finding(prepared, answer, check_id):
    add_violation(answer, check_id, "waiver", "wv-2026-021", "recorded answer, edited by the test")
    findings, checks, waivers = findings_of(prepared, answer)
    record = next(w for w in waivers if w.id == "wv-2026-021")
    assert (record.valid, record.problems, record.applied) == (False, [check_id], 0)
    [acme] = [f for f in findings if f.check == "ACME-001"]
    assert (acme.status, acme.waiver) == ("fail", None)
    summary = next(c for c in checks if c.id == "ACME-001")
    assert (summary.failed, summary.waived, summary.status) == (1, 0, "fail")


def test_a_stale_waiver_finding_does_not_invalidate_the_waiver(prepared, answer):
    add_violation(answer, "WAV-006", "waiver", "wv-2026-021", "said to waive nothing: a finding, not a reason to refuse it")
    findings, _, waivers = findings_of(prepared, answer)
    assert next(w for w in waivers if w.id == "wv-2026-021").valid
    assert next(f for f in findings if f.check == "ACME-001").status == "waived"


def test_a_check_that_is_not_waivable_keeps_its_finding(prepared, answer):
    for check in answer["result"]["checks"]:
        if check["meta"]["custom"]["id"] == "MLP-002":
            check["meta"]["custom"]["waivable"] = False
    findings, _, waivers = findings_of(prepared, answer)
    waiver = next(w for w in waivers if w.check == "MLP-002")
    assert waiver.applied == 0
    assert all(f.status == "fail" for f in findings if f.check == "MLP-002")


def test_an_answer_without_a_waiver_check_fails_closed(prepared, answer):
    answer["result"]["checks"] = [c for c in answer["result"]["checks"] if c["meta"]["custom"]["id"] != "WAV-002"]
    with pytest.raises(EngineError, match="lacks waiver check.*WAV-002"):
        findings_of(prepared, answer)


def test_findings_come_out_in_the_specified_order_whatever_order_opa_answers_in(prepared, answer):
    expected = findings_of(prepared, answer)
    shuffled = copy.deepcopy(answer)
    rng = random.Random(7)
    rng.shuffle(shuffled["result"]["checks"])
    for check in shuffled["result"]["checks"]:
        rng.shuffle(check["violations"])
    assert findings_of(prepared, shuffled) == expected
    order = list(SEVERITIES)
    keys = [(order.index(f.severity), f.check, f.resource.kind, f.resource.id) for f in expected[0]]
    assert keys == sorted(keys) and len(set(keys)) == len(keys) > 3


def test_a_violation_on_an_unknown_resource_has_no_location(prepared, answer):
    add_violation(answer, "GOV-001", "committee", "no-such-committee", "a committee the workspace does not declare")
    findings, _, _ = findings_of(prepared, answer)
    [ghost] = [f for f in findings if f.resource.id == "no-such-committee"]
    assert ghost.location is None and ghost.status == "fail"
    known = next(f for f in findings if f.location is not None)
    assert (prepared.workspace.root / known.location.file).is_file()


# ---------------------------------------------------------------- the gate

def worst_failing(result: RunResult) -> int:
    return min(SEVERITIES.index(f.severity) for f in result.findings if f.status == "fail")


def test_the_gate_opens_at_the_worst_unwaived_severity_and_not_above():
    result = golden.result("acme")
    worst = worst_failing(result)
    for rank, severity in enumerate(SEVERITIES):
        assert gate(result, severity) == (rank >= worst), severity
    assert gate(result, "never") is False
    assert gate(result, result.fail_on) == (golden.exit_code("acme") == 1)


def test_waived_findings_never_fail_the_run():
    result = golden.result("acme")
    waived = [f.model_copy(update={"status": "waived", "waiver": "wv-x"}) for f in result.findings]
    assert not gate(result.model_copy(update={"findings": waived}), SEVERITIES[-1])
    # one of them unwaived again fails it, at its severity
    one = [waived[0].model_copy(update={"status": "fail", "waiver": None}), *waived[1:]]
    assert gate(result.model_copy(update={"findings": one}), waived[0].severity)


def test_with_new_only_just_the_new_findings_count():
    result = golden.result("acme-changes")
    new = [f for f in result.findings if f.baseline == "new" and f.status == "fail"]
    assert new, "the acme-changes variant adds a new failing finding"
    newest = min(SEVERITIES.index(f.severity) for f in new)
    for rank, severity in enumerate(SEVERITIES):
        assert gate(result, severity, new_only=True) == (rank >= newest), severity
    assert gate(result, SEVERITIES[newest - 1] if newest else "never", new_only=True) is False
    assert gate(result, SEVERITIES[worst_failing(result)])  # without new_only the existing ones count
    assert gate(result, result.fail_on, new_only=False) == (golden.exit_code("acme-changes") == 1)


# ---------------------------------------------------------------- the baseline

def unmarked(result: RunResult) -> RunResult:
    """A result as a run without --baseline gives it."""
    return result.model_copy(update={"findings": [f.model_copy(update={"baseline": None}) for f in result.findings],
                                     "resolved": None,
                                     "summary": result.summary.model_copy(update={"baseline": None})})


def test_compare_marks_what_the_cli_marked():
    """The acme-changes run, compared by hand with the acme run, is what `check --baseline` gave, naming
    the baseline file (the acme run without its run times) by its digest."""
    written = json.dumps(golden.without_run(golden.data("acme")), ensure_ascii=False).encode("utf-8")
    marked = compared(unmarked(golden.result("acme-changes")), golden.result("acme"), digest_of(written), "file")
    assert golden.without_run(json.loads(marked.to_json())) == golden.without_run(golden.data("acme-changes"))


def test_compare_with_itself_is_all_existing_and_nothing_resolved():
    result = golden.result("acme")
    marked = compare(result, result)
    assert {f.baseline for f in marked.findings} == {"existing"} and marked.resolved == []
    assert marked.summary.baseline == {"new": 0, "existing": len(result.findings), "resolved": 0}
    assert not gate(marked, SEVERITIES[-1], new_only=True)


def test_compare_matches_by_fingerprint_not_by_place_or_message():
    before = golden.result("acme")
    moved = [f.model_copy(update={"location": None, "message": f.message + " (reworded)"}) for f in before.findings]
    marked = compare(before.model_copy(update={"findings": moved}), before)
    assert {f.baseline for f in marked.findings} == {"existing"} and marked.resolved == []
    # a finding whose fingerprint is gone is resolved; one the baseline lacks is new
    gone, *rest = before.findings
    marked = compare(before.model_copy(update={"findings": rest}), before)
    assert [f.fingerprint for f in marked.resolved] == [gone.fingerprint] and marked.resolved[0].baseline is None
    marked = compare(before, before.model_copy(update={"findings": rest}))
    assert [f.fingerprint for f in marked.findings if f.baseline == "new"] == [gone.fingerprint]
