"""`govern verify` proves the verdict: the result agrees with itself, and evaluating the workspace
again (real OPA) gives the same findings. Each forgery of a result, careless or careful, fails."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from governance.engine import OPA_VERSION
from governance.evaluate.findings import fingerprint
from governance.result import RunResult, Verdict, verdict_digest
from tests import conftest
from tests.conftest import AS_OF, EXAMPLE, Ran, govern
from tests.results_support import resealed


@pytest.fixture(scope="module")
def checked_once(tmp_path_factory, opa_binary) -> Path:
    """examples/acme checked once, its JSON result, a report and evidence.json in out/."""
    ws = tmp_path_factory.mktemp("verdict") / "acme"
    shutil.copytree(EXAMPLE, ws)
    proc = conftest.check(ws, "--format", f"json={ws / 'out' / 'result.json'}",
                          "--format", f"markdown={ws / 'out' / 'report.md'}")
    assert proc.returncode == 1, proc.stderr  # acme has failing findings: what a forger would hide
    return ws


@pytest.fixture
def ws(checked_once: Path, tmp_path: Path) -> Path:
    target = tmp_path / "acme"
    shutil.copytree(checked_once, target)
    return target


def verify(ws: Path, doc: Path, *args: str, env: dict[str, str] | None = None) -> Ran:
    return govern("verify", str(doc), str(ws), *args, env=env)


def result_doc(ws: Path) -> dict:
    return json.loads((ws / "out" / "result.json").read_text(encoding="utf-8"))


def save(ws: Path, doc: dict, name: str = "forged.json") -> Path:
    """An edited result, in a folder of its own: beside the run's reports it would also be a file
    of another run in that report set."""
    path = ws / "edited" / name
    (ws / "edited").mkdir(exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


reseal = resealed  # what a careful forger does after editing findings


def failing(doc: dict) -> list[dict]:
    return [f for f in doc["findings"] if f["status"] == "fail"]


def named(f: dict) -> str:
    return f"{f['check']} {f['resource']['kind']}/{f['resource']['id']}"


def assert_failed(proc: Ran, *needles: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "verify: FAILED" in proc.stdout and "verify: OK" not in proc.stdout
    for needle in needles:
        assert needle in proc.stdout, (needle, proc.stdout)


def invalid(proc: Ran, path: Path, *needles: str) -> None:
    """A result that contradicts itself is refused before anything is compared: exit 2 at its file:line:col."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith(f"error: {path}:") and "verify: OK" not in proc.stdout
    for needle in needles:
        assert needle in proc.stderr, (needle, proc.stderr)


def self_consistent(proc: Ran) -> bool:
    """No line of the self-consistency check: only evaluating again found the forgery."""
    return not any(word in proc.stdout for word in ("counts ", "summary ", "verdict digest: recorded",
                                                     "contradicts", "names no waiver"))


# ---------------------------------------------------------------- the verdict digest

def test_the_result_and_its_evidence_carry_one_verdict_digest(ws):
    doc = result_doc(ws)
    evidence = json.loads((ws / "out" / "evidence.json").read_text(encoding="utf-8"))
    digest = doc["verdict"]["digest"]
    assert digest.startswith("sha256:") and len(digest) == len("sha256:") + 64
    assert evidence["verdict"] == doc["verdict"]
    assert verdict_digest(RunResult.model_validate(doc)) == digest
    assert "rendered_from" not in evidence  # the evidence of a run says nothing of re-rendering


def test_the_verdict_digest_ignores_the_clock_and_follows_the_findings(ws):
    r = RunResult.model_validate(result_doc(ws))
    later = r.model_copy(update={"run": r.run.model_copy(update={"started_at": "2030-01-01T00:00:00Z"})})
    assert verdict_digest(later) == verdict_digest(r)
    fewer = r.model_copy(update={"findings": r.findings[1:]})
    assert verdict_digest(fewer) != verdict_digest(r)
    reworded = r.model_copy(update={"findings": [r.findings[0].model_copy(update={"message": "all good"}),
                                                 *r.findings[1:]]})
    assert verdict_digest(reworded) != verdict_digest(r)


# ---------------------------------------------------------------- a faithful result

@pytest.mark.parametrize("doc", ["result.json", "evidence.json"])
def test_a_faithful_result_verifies_by_evaluating_again(ws, doc):
    proc = verify(ws, ws / "out" / doc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"evaluated again at {AS_OF} on OPA {OPA_VERSION}, the verdict is the same" in proc.stdout
    assert "not re-evaluated" not in proc.stdout


def test_a_result_with_checks_skipped_on_the_command_line_verifies(example, tmp_path, opa_binary):
    out = tmp_path / "skipped.json"
    proc = conftest.check(example, "--skip", "PLC-001", "--fail-on", "critical", "--format", f"json={out}")
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [s["check"] for s in doc["selection"]["skipped"]] == ["PLC-001"] and doc["fail_on"] == "critical"
    proc = verify(example, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # what the workspace cannot vouch for is named on the OK line: it was taken from the record
    [ok] = [line for line in proc.stdout.splitlines() if line.startswith("verify: OK")]
    assert ok.endswith("; taken from the record: PLC-001 skipped (cli), fail_on critical (the workspace manifest "
                       "says low)"), ok


def test_a_result_compared_with_a_baseline_verifies(ws, tmp_path):
    """A CI run with --baseline marks findings new or existing: that is no part of the verdict."""
    out = tmp_path / "compared.json"
    proc = conftest.check(ws, "--baseline", str(ws / "out" / "result.json"), "--format", f"json={out}")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["summary"]["baseline"]["existing"] == len(doc["findings"])
    assert doc["verdict"] == result_doc(ws)["verdict"]
    proc = verify(ws, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_inputs_only_says_the_findings_were_not_evaluated_again_and_needs_no_opa(ws, tmp_path):
    env = {**os.environ, "GOVERN_OPA": str(tmp_path / "no-opa-here")}
    proc = verify(ws, ws / "out" / "result.json", "--inputs-only", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1].startswith("verify: OK (inputs only)")
    assert "findings were not re-evaluated" in proc.stdout


# ---------------------------------------------------------------- forgeries

def test_a_deleted_finding_fails_even_when_the_result_is_made_to_agree_with_itself(ws):
    doc = result_doc(ws)
    victim = failing(doc)[0]
    doc["findings"].remove(victim)
    proc = verify(ws, save(ws, reseal(doc)))
    assert_failed(proc, f"finding not in the result: {named(victim)} (re-evaluation fail")
    assert self_consistent(proc)


def test_a_deleted_finding_alone_contradicts_its_check_and_summary(ws):
    doc = result_doc(ws)
    victim = failing(doc)[0]
    doc["findings"].remove(victim)
    path = save(ws, doc)
    invalid(verify(ws, path, "--inputs-only"), path, f"check {victim['check']}: failed is", "summary.fail: ")


def test_a_finding_flipped_to_waived_fails(ws):
    doc = result_doc(ws)
    victim = failing(doc)[0]
    victim.update(status="waived", waiver="wv-forged")
    doc["waivers"].append({**doc["waivers"][0], "id": "wv-forged", "check": victim["check"], "valid": True,
                           "problems": [], "resource": victim["resource"]})  # a careful forger lists the waiver too
    next(c for c in doc["checks"] if c["id"] == victim["check"])["waivable"] = True
    proc = verify(ws, save(ws, reseal(doc)))
    assert_failed(proc, f"status differs: {named(victim)}: recorded waived, re-evaluation fail",
                  f"waiver differs: {named(victim)}: recorded {victim['waiver']}, re-evaluation none")
    assert self_consistent(proc)


def test_a_finding_waived_without_a_waiver_contradicts_itself(ws):
    doc = result_doc(ws)
    failing(doc)[0]["status"] = "waived"
    path = save(ws, reseal(doc))
    invalid(verify(ws, path, "--inputs-only"), path, "a waived finding names no waiver")


def test_a_changed_severity_fails(ws):
    doc = result_doc(ws)
    victim = next(f for f in failing(doc) if f["severity"] != "info")
    was = victim["severity"]
    for f in doc["findings"]:
        if f["check"] == victim["check"]:
            f["severity"] = "info"
    for c in doc["checks"]:
        if c["id"] == victim["check"]:
            c["severity"] = "info"
    proc = verify(ws, save(ws, reseal(doc)))
    assert_failed(proc, f"severity differs: {named(victim)}: recorded info, re-evaluation {was}",
                  f"check {victim['check']} severity differs: recorded info")
    assert self_consistent(proc)


def test_a_finding_severity_unlike_its_checks_contradicts_itself(ws):
    doc = result_doc(ws)
    victim = next(f for f in failing(doc) if f["severity"] != "info")
    victim["severity"] = "info"
    path = save(ws, doc)
    invalid(verify(ws, path, "--inputs-only"), path, f"severity info, but check {victim['check']} is")


def test_a_summary_contradicting_the_findings_fails(ws):
    doc = result_doc(ws)
    doc["summary"]["fail"] = 0
    doc["summary"]["by_severity"] = {}
    doc["verdict"]["digest"] = verdict_digest(RunResult.model_validate(doc))  # even with the digest made to match
    path = save(ws, doc)
    invalid(verify(ws, path, "--inputs-only"), path, "summary.fail: 0, but the findings make it",
            "unwaived critical finding(s), but the findings hold")


def test_an_edited_check_count_fails(ws):
    doc = result_doc(ws)
    target = next(c for c in doc["checks"] if c["failed"])
    target["failed"] -= 1
    path = save(ws, doc)
    invalid(verify(ws, path, "--inputs-only"), path, f"check {target['id']}: failed is {target['failed']}, but")


def test_an_edited_evaluated_count_fails_on_evaluating_again(ws):
    doc = result_doc(ws)
    target = next(c for c in doc["checks"] if c["status"] == "pass")
    target["evaluated"] += 5
    proc = verify(ws, save(ws, reseal(doc)))
    assert_failed(proc, f"check {target['id']} evaluated differs: recorded {target['evaluated']}, "
                        f"re-evaluation {target['evaluated'] - 5}")
    assert self_consistent(proc)


def test_a_finding_the_workspace_does_not_give_fails(ws):
    doc = result_doc(ws)
    extra = {**failing(doc)[0], "check": "PLC-001", "resource": {"kind": "system", "id": "sys-invented"},
             "severity": "critical", "fingerprint": fingerprint("PLC-001", "system", "sys-invented")}
    doc["findings"].insert(0, extra)
    proc = verify(ws, save(ws, reseal(doc)))
    assert_failed(proc, "finding missing on re-evaluation: PLC-001 system/sys-invented (recorded fail, critical)")
    assert self_consistent(proc)


def test_an_edited_verdict_digest_is_refused_when_read(ws):
    doc = result_doc(ws)
    doc["verdict"]["digest"] = "sha256:" + "0" * 64
    path = save(ws, doc)
    invalid(verify(ws, path), path, f"verdict.digest: recorded sha256:{'0' * 64}, but the result's findings")


def test_a_waivers_people_carry_their_names_and_the_digest_covers_them(ws):
    """The reports show a waiver's requester and approver by name: the names are the run's, bound by its
    digest, so a name edited into a saved result is refused when read, and one resealed fails verify."""
    doc = result_doc(ws)
    people = {p["id"]: p["name"] for p in _people()}
    assert doc["waivers"]
    for w in doc["waivers"]:
        assert (w["requested_by_name"], w["approved_by_name"]) == (people[w["requested_by"]], people[w["approved_by"]])
    doc["waivers"][0]["approved_by_name"] = "董事会"
    path = save(ws, doc)
    invalid(verify(ws, path), path, "verdict.digest: recorded")
    proc = verify(ws, save(ws, reseal(doc), "resealed.json"))
    assert_failed(proc, "waivers[0].approved_by_name: recorded '董事会', re-evaluation")


def test_a_result_whose_waivers_carry_no_names_keeps_the_digest_it_had(ws):
    """A result saved before waivers carried names: its digest is over what it has, and it still reads."""
    result = RunResult.model_validate(result_doc(ws))
    nameless = result.model_copy(update={"waivers": [w.model_copy(update={"requested_by_name": None,
                                                                          "approved_by_name": None})
                                                     for w in result.waivers]})
    assert verdict_digest(nameless) != verdict_digest(result)
    # saved before names, so before the digest covered the committee's sections too (coverage 1)
    doc = json.loads(nameless.model_copy(update={"verdict": Verdict(digest=verdict_digest(nameless, 1))}).to_json())
    for w in doc["waivers"]:
        del w["requested_by_name"], w["approved_by_name"]
    proc = govern("report", str(save(ws, doc, "old.json")), "--format", "markdown")
    assert proc.returncode == 0, proc.stderr


def _committee_edits() -> list[tuple[str, Callable[[dict], None]]]:
    """What the committee reads beside the verdict, each edited as a forger would, without resealing."""
    def message_zh(doc: dict) -> None:
        next(f for f in doc["findings"] if f.get("message_zh"))["message_zh"] = "一切正常"

    def spent(doc: dict) -> None:
        doc["budget"]["phases"][0]["spent_total"] += 1

    def progress(doc: dict) -> None:
        goal = next(g for g in doc["strategy"]["goals"] if g.get("progress"))
        goal["progress"]["behind"] = not goal["progress"]["behind"]

    def cadence(doc: dict) -> None:
        doc["cadence_days"] += 30

    def action(doc: dict) -> None:  # the plan of action and milestones reads the action items
        next(a for a in doc["actions"] if a["status"] == "open")["due"] = "2027-06-30"

    def hand_off(doc: dict) -> None:  # the report draws each core stream's hand-offs
        step = next(s for s in doc["diagnosis"]["streams"][0]["steps"] if s["hand_off"])
        step["hand_off"] = False

    return [("message_zh", message_zh), ("budget", spent), ("strategy", progress), ("cadence_days", cadence),
            ("actions", action), ("diagnosis", hand_off)]


@pytest.mark.parametrize("edit", [e for _, e in _committee_edits()], ids=[n for n, _ in _committee_edits()])
def test_the_digest_covers_what_the_committee_reads(ws, edit):
    """Chinese messages, the budget and strategy sections, cadence_days, the action items and the diagnosis are what the committee
    reads: one edited after the run is refused when read, even by verify --inputs-only, which evaluates nothing
    again."""
    doc = result_doc(ws)
    assert doc["verdict"]["covers"] == 3
    edit(doc)
    path = save(ws, doc)
    invalid(verify(ws, path, "--inputs-only"), path, "verdict.digest: recorded")
    proc = govern("report", str(path), "--format", "markdown")
    assert proc.returncode == 2 and "verdict.digest: recorded" in proc.stderr, proc.stderr


def test_a_result_whose_digest_covers_the_verdict_alone_keeps_verifying(ws):
    """A result saved before the digest covered the committee's sections records no coverage: it reads with the
    digest it had, and its committee's sections are not bound (the digest is no signature anyway)."""
    doc = result_doc(ws)
    del doc["verdict"]["covers"]
    doc["verdict"]["digest"] = verdict_digest(RunResult.model_validate(doc), 1)
    proc = verify(ws, save(ws, doc, "old.json"))  # evaluated again: the digest compared on what it covers
    assert proc.returncode == 0 and "verify: OK" in proc.stdout, proc.stdout + proc.stderr
    doc["cadence_days"] += 30
    proc = govern("report", str(save(ws, doc, "old-edited.json")), "--format", "markdown")
    assert proc.returncode == 0, proc.stderr


def test_an_action_edited_and_resealed_is_caught_by_evaluating_again(ws):
    """A careful forger moves an open action's due date and reseals the digest: the result agrees with itself,
    but the workspace, evaluated again, records another date, and verify names the field."""
    doc = result_doc(ws)
    i, action = next((i, a) for i, a in enumerate(doc["actions"]) if a["status"] == "open")
    recorded = action["due"]
    action["due"] = "2027-06-30"
    assert_failed(verify(ws, save(ws, reseal(doc))),
                  f"actions[{i}].due: recorded '2027-06-30', re-evaluation '{recorded}'")


def test_a_result_saved_before_it_recorded_actions_keeps_verifying(ws):
    """A result whose digest covers the committee's sections but not the action items nor the diagnosis
    (coverage 2, no `actions`, no `diagnosis`) reads and verifies with the digest it had: the re-evaluation's
    action items and diagnosis are not held against it."""
    doc = result_doc(ws)
    assert doc["actions"] and all(a["owner_name"] for a in doc["actions"])  # acme's, with their owners' names
    assert doc["diagnosis"]["streams"]
    del doc["actions"], doc["diagnosis"]
    doc["verdict"] = {"digest": verdict_digest(RunResult.model_validate(doc), 2), "covers": 2}
    proc = verify(ws, save(ws, doc, "old.json"))
    assert proc.returncode == 0 and "verify: OK" in proc.stdout, proc.stdout + proc.stderr


def test_an_action_naming_a_check_the_result_does_not_list_is_refused(ws):
    doc = result_doc(ws)
    doc["actions"][0]["addresses"][0]["check"] = "NOPE-001"
    path = save(ws, reseal(doc))
    invalid(verify(ws, path, "--inputs-only"), path, "addresses check NOPE-001, which the result's checks do not list")


def _people() -> list[dict]:
    return YAML(typ="safe").load((EXAMPLE / "inventory" / "people.yaml").read_text(encoding="utf-8"))["people"]


def test_a_clean_result_dressed_as_evidence_with_the_real_digest_is_refused(ws):
    """Failing findings deleted, counts made to agree, the run's own digest kept and `kind` claimed: read
    as a manifest its findings were ignored, and verify said OK; report rendered it (exit 0)."""
    doc = result_doc(ws)
    digest = doc["verdict"]["digest"]
    doc["findings"] = [f for f in doc["findings"] if f["status"] != "fail"]
    doc = reseal(doc)
    doc["verdict"]["digest"] = digest
    doc["kind"] = "govern-evidence"
    path = save(ws, doc)
    invalid(verify(ws, path), path, "kind: a result has no `kind`", "verdict.digest: recorded " + digest)
    proc = govern("report", str(path), "--format", "markdown")
    assert proc.returncode == 2 and "kind: a result has no `kind`" in proc.stderr, proc.stderr


def test_a_manifest_stripped_of_its_verdict_is_refused_not_the_same_verdict(ws):
    evidence = json.loads((ws / "out" / "evidence.json").read_text(encoding="utf-8"))
    for key in ("verdict", "outcome", "reports"):
        del evidence[key]
    path = save(ws, evidence, "evidence.json")
    proc = verify(ws, path)
    invalid(proc, path, "verdict: Field required", "outcome: Field required")
    assert "the verdict is the same" not in proc.stdout


def _moved_location(doc: dict) -> str:
    doc["findings"][3]["location"]["line"] += 2
    return f"findings[3].location.line: recorded {doc['findings'][3]['location']['line']}, re-evaluation"


def _check_title(doc: dict) -> str:
    doc["checks"][2]["title"] = "Cosmetic"
    return "checks[2].title: recorded 'Cosmetic', re-evaluation"


def _waiver_words(doc: dict) -> str:
    doc["waivers"][0]["justification"] = "approved by the board"
    doc["waivers"][0]["approved_by"] = "p-auditor"
    return "waivers[0].justification: recorded 'approved by the board', re-evaluation"


def _budget_share(doc: dict) -> str:
    doc["budget"]["phases"][0]["shares"]["technology"] = 0.5
    return "budget.phases[0].shares.technology: recorded 0.5, re-evaluation"


def _message_without_digest(doc: dict) -> str:
    doc["findings"][0]["message"] = "Minor cosmetic issue, accepted by the auditor"
    doc["verdict"] = None  # a result "from before govern recorded a digest": only the fields themselves tell
    return "findings[0].message: recorded 'Minor cosmetic issue, accepted by the auditor', re-evaluation"


@pytest.mark.parametrize("edit", [_moved_location, _check_title, _waiver_words, _budget_share, _message_without_digest],
                         ids=lambda e: e.__name__.strip("_"))
def test_every_field_of_the_result_is_compared_with_the_re_evaluation(ws, edit):
    """Fields outside the verdict digest (titles, locations, waivers' words, budget shares), and every field
    of a result without a digest, were taken on trust: verify said OK."""
    doc = result_doc(ws)
    needle = edit(doc)
    if doc["verdict"] is not None:
        doc = reseal(doc)
    proc = verify(ws, save(ws, doc))
    assert_failed(proc, needle)


def test_an_evidence_manifest_alone_is_compared_field_by_field(ws):
    evidence = json.loads((ws / "out" / "evidence.json").read_text(encoding="utf-8"))
    evidence["workspace"] = "Someone else"
    del evidence["reports"]  # no result beside it: the manifest alone
    proc = verify(ws, save(ws, evidence, "evidence.json"))
    assert_failed(proc, "workspace: recorded 'Someone else', re-evaluation ")


def test_an_unknown_severity_in_the_summary_is_named(ws):
    doc = result_doc(ws)
    doc["summary"]["by_severity"]["catastrophic"] = 1
    path = save(ws, doc)
    invalid(verify(ws, path, "--inputs-only"), path, "summary.by_severity.catastrophic: Input should be 'critical'")


# ---------------------------------------------------------------- govern report never mints a run's evidence

@pytest.mark.parametrize("careful", [False, True], ids=["as-edited", "made-to-agree"])
def test_a_forged_clean_result_re_rendered_by_report_fails_verify(ws, careful):
    doc = result_doc(ws)
    hidden = failing(doc)
    doc["findings"] = [f for f in doc["findings"] if f["status"] != "fail"]
    forged = save(ws, reseal(doc) if careful else doc, "../forged.json")
    rendered = ws / "rendered"
    proc = govern("report", str(forged), "--format", f"json={rendered / 'result.json'}",
                  "--format", f"markdown={rendered / 'report.md'}")
    if not careful:  # a result that contradicts itself is not re-rendered at all: nothing to verify
        assert proc.returncode == 2 and not rendered.exists()
        # the first contradictions listed: each emptied check's count against its findings (the summary's
        # comes after them, past the problems a refusal lists once acme fails enough checks)
        first = next(c for c in doc["checks"] if c["failed"])
        assert f"check {first['id']}: failed is {first['failed']}, but 0 of its findings are unwaived" in proc.stderr
        return
    assert proc.returncode == 0, proc.stderr
    evidence = json.loads((rendered / "evidence.json").read_text(encoding="utf-8"))
    assert evidence["rendered_from"] == {"result": "sha256:" + hashlib.sha256(forged.read_bytes()).hexdigest()}

    proc = verify(ws, rendered / "evidence.json")
    assert_failed(proc, "re-rendered by `govern report` from result sha256:")
    # only evaluating again tells: the findings it gives that the result hides
    assert self_consistent(proc)
    assert f"finding not in the result: {named(hidden[0])}" in proc.stdout
    assert sum(line.startswith("finding not in the result") for line in proc.stdout.splitlines()) >= min(len(hidden), 10)


def test_report_evidence_on_stdout_says_it_was_re_rendered(ws):
    source = ws / "out" / "result.json"
    proc = govern("report", str(source), "--format", "evidence")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["rendered_from"]["result"] == "sha256:" + hashlib.sha256(source.read_bytes()).hexdigest()


def test_inputs_only_on_re_rendered_evidence_says_only_evaluating_again_proves_it(ws):
    rendered = ws / "rendered"
    assert govern("report", str(ws / "out" / "result.json"), "--format", f"json={rendered / 'r.json'}").returncode == 0
    proc = verify(ws, rendered / "evidence.json", "--inputs-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "only evaluating again (without --inputs-only) proves its verdict" in proc.stdout
    proc = verify(ws, rendered / "evidence.json")  # a faithful result re-rendered: evaluating again agrees
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "the verdict is the same" in proc.stdout


# ---------------------------------------------------------------- the engine

def test_a_result_of_another_opa_version_is_not_evaluated_again(ws):
    doc = result_doc(ws)
    doc["engine"]["opa_version"] = "0.99.0"
    path = save(ws, doc)
    proc = verify(ws, path)
    assert_failed(proc, f"OPA version: the result was evaluated on OPA 0.99.0, this govern evaluates on OPA {OPA_VERSION}; "
                        "findings not re-evaluated")
    assert verify(ws, path, "--inputs-only").returncode == 0


def test_opa_failing_while_evaluating_again_is_exit_3(ws, tmp_path):
    env = {**os.environ, "GOVERN_OPA": str(tmp_path / "no-opa-here")}
    proc = verify(ws, ws / "out" / "result.json", env=env)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "evaluation could not be completed" in proc.stderr
    assert "verify: OK" not in proc.stdout


def test_changed_inputs_are_not_evaluated_again(ws):
    path = ws / "inventory" / "systems.yaml"
    path.write_bytes(path.read_bytes() + b"\n")
    proc = verify(ws, ws / "out" / "result.json")
    assert_failed(proc, "changed input: inventory/systems.yaml",
                  "findings not re-evaluated: the inputs or the library differ from the record")


# ---------------------------------------------------------------- the library as evaluated

def test_the_library_is_hashed_as_it_was_evaluated_not_as_it_is_after_the_run(tmp_path, monkeypatch, opa_binary):
    """A library file changed while the run evaluates (an upgrade, a `git pull` into an editable install)
    does not change what the evidence records: the bytes read and sent to OPA."""
    import datetime as dt

    from governance import library
    from governance.evaluate.run import run_check

    copy = tmp_path / "library"
    for folder in ("checks", "controls"):
        shutil.copytree(library.library_root() / folder, copy / folder)
    monkeypatch.setattr(library, "library_root", lambda: copy)
    module = copy / "checks" / "placement.rego"
    control = sorted((copy / "controls").rglob("*.yaml"))[0]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (module, control)}

    def upgrade_midway(step: str) -> None:
        if step == "evaluating on OPA":  # every module read and compiled; OPA about to evaluate them
            for p in (module, control):
                p.write_bytes(p.read_bytes() + b"\n# upgraded during the run\n")

    result = run_check(EXAMPLE, dt.date.fromisoformat(AS_OF), opa_url=conftest.shared_opa(), progress=upgrade_midway)
    recorded = {f.path: f.sha256 for f in result.library}
    for p, digest in before.items():
        rel = p.relative_to(copy).as_posix()
        assert recorded[rel] == digest, rel
        assert hashlib.sha256(p.read_bytes()).hexdigest() != digest  # the file did change


# ---------------------------------------------------------------- the workspace's git commit

def _git(ws: Path, *args: str) -> str:
    import subprocess

    env = {"PATH": os.environ["PATH"], "HOME": str(ws.parent), "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=ws, env=env,
                          check=True, capture_output=True, text=True).stdout.strip()


def test_the_evidence_records_the_workspace_commit_and_whether_its_inputs_were_committed(example, tmp_path):
    _git(example, "init", "-q")
    _git(example, "add", "-A")
    _git(example, "commit", "-q", "-m", "governance as committed")
    head = _git(example, "rev-parse", "HEAD")
    out = tmp_path / "out"
    conftest.check(example, "--format", f"json={out / 'clean.json'}")
    doc = json.loads((out / "clean.json").read_text(encoding="utf-8"))
    evidence = json.loads((out / "evidence.json").read_text(encoding="utf-8"))
    assert doc["git"] == evidence["git"] == {"commit": head, "dirty": False}

    (example / "waivers" / "late.yaml").write_text("waivers: []\n", encoding="utf-8")  # read, never committed
    conftest.check(example, "--format", f"json={out / 'dirty.json'}")
    assert json.loads((out / "dirty.json").read_text(encoding="utf-8"))["git"] == {"commit": head, "dirty": True}
    proc = verify(example, out / "dirty.json", "--inputs-only")
    assert f"note: the inputs were git commit {head}, with changes not committed" in proc.stdout


def test_outside_git_the_evidence_names_no_commit(ws):
    assert result_doc(ws)["git"] is None
    assert json.loads((ws / "out" / "evidence.json").read_text(encoding="utf-8"))["git"] is None


@pytest.mark.parametrize("where", ["../secret.txt", "/ABSOLUTE/secret.txt"], ids=["dotdot", "absolute"])
def test_a_recorded_path_outside_the_workspace_is_a_difference_and_never_read(ws, where):
    secret = ws.parent / "secret.txt"
    secret.write_text("not the workspace's", encoding="utf-8")
    path = where.replace("/ABSOLUTE", str(ws.parent))
    doc = result_doc(ws)
    doc["inputs"].append({"path": path, "sha256": hashlib.sha256(secret.read_bytes()).hexdigest()})
    proc = verify(ws, save(ws, doc))
    assert_failed(proc, f"outside the workspace: input {path} (not read)")


def test_a_listed_report_outside_the_evidence_folder_is_a_difference(ws):
    evidence = json.loads((ws / "out" / "evidence.json").read_text(encoding="utf-8"))
    outside = ws / "outside.md"
    outside.write_text("elsewhere", encoding="utf-8")
    evidence["reports"].append({"path": "../outside.md", "sha256": hashlib.sha256(outside.read_bytes()).hexdigest()})
    (ws / "out" / "evidence.json").write_text(json.dumps(evidence, indent=2), encoding="utf-8")
    assert_failed(verify(ws, ws / "out" / "evidence.json"), "outside the evidence's folder: report ../outside.md")


# ---------------------------------------------------------------- the digest's serialisation

def _digest_by_dumps(result: RunResult, covers: int | None = None) -> str:
    """The verdict digest as json.dumps writes the concluded values, one dict per finding: what verdict_digest's
    templates must give, byte for byte (results sealed before them must still verify). With coverage 2, also
    what the committee reads: each finding's message_zh, the budget and strategy sections, cadence_days; with 3,
    also the action items and the diagnosis. Coverage by default the result's own, as verdict_digest's."""
    if covers is None:
        covers = result.verdict.covers if result.verdict else 3
    concluded: dict = {
        "as_of": result.as_of, "fail_on": result.fail_on,
        "findings": [{"check": f.check, "resource": {"kind": f.resource.kind, "id": f.resource.id}, "status": f.status,
                      "severity": f.severity, "waiver": f.waiver, "fingerprint": f.fingerprint, "message": f.message}
                     for f in result.findings],
        "checks": [{"id": c.id, "severity": c.severity, "status": c.status, "evaluated": c.evaluated, "failed": c.failed,
                    "waived": c.waived} for c in result.checks],
        "summary": {"fail": result.summary.fail, "waived": result.summary.waived,
                    "advisories": result.summary.advisories, "by_severity": result.summary.by_severity,
                    "checks": result.summary.checks}}
    people = [{"id": w.id, "requested_by": w.requested_by, "requested_by_name": w.requested_by_name,
               "approved_by": w.approved_by, "approved_by_name": w.approved_by_name}
              for w in result.waivers if w.requested_by_name is not None or w.approved_by_name is not None]
    if people:  # the waivers' people, where their records name them
        concluded["waiver_people"] = people
    if covers >= 3:
        concluded["actions"] = None if result.actions is None else [a.model_dump(mode="json") for a in result.actions]
        concluded["diagnosis"] = None if result.diagnosis is None else result.diagnosis.model_dump(mode="json")
    if covers >= 2:
        for finding, f in zip(concluded["findings"], result.findings, strict=True):
            finding["message_zh"] = f.message_zh
        concluded["budget"] = None if result.budget is None else result.budget.model_dump(mode="json")
        concluded["strategy"] = None if result.strategy is None else result.strategy.model_dump(mode="json")
        concluded["cadence_days"] = result.cadence_days
    canonical = json.dumps(concluded, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)  # any code point, surrogates too


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.tuples(_TEXT, _TEXT, _TEXT, _TEXT, st.none() | _TEXT), min_size=0, max_size=4))
def test_the_verdict_digest_is_json_dumps_of_what_the_run_concluded_whatever_the_text(texts, acme_doc):
    """Quotes, backslashes, control characters, non-ASCII text, emoji and lone surrogates in any string a finding
    carries serialise as json.dumps serialises them."""
    doc = json.loads(json.dumps(acme_doc))
    model = doc["findings"][0]
    doc["findings"] = [{**model, "check": check, "resource": {"kind": kind, "id": id_}, "message": message,
                        "waiver": waiver, "status": "waived" if waiver is not None else "fail"}
                       for check, kind, id_, message, waiver in texts] + doc["findings"]
    result = RunResult.model_validate(doc)
    assert verdict_digest(result) == _digest_by_dumps(result)
    assert verdict_digest(result, 1) == _digest_by_dumps(result, 1)
    assert verdict_digest(result, 3) == _digest_by_dumps(result, 3)


def test_the_verdict_digest_of_a_real_run_is_json_dumps_of_what_it_concluded(acme_doc):
    result = RunResult.model_validate(acme_doc)
    assert result.verdict is not None and verdict_digest(result) == _digest_by_dumps(result) == result.verdict.digest


@pytest.fixture(scope="module")
def acme_doc(checked_once: Path) -> dict:
    return json.loads((checked_once / "out" / "result.json").read_text(encoding="utf-8"))
