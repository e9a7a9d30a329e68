"""A saved result handed back to govern (`report`, `verify`, `aggregate`, `check --baseline`) is
validated first: real dates, counts that are not negative, words from the vocabulary, and a
result that agrees with itself. A bad one is exit 2 at file:line:col and nothing is written.

Each bad result is a real run (the golden acme result, tests/golden) with one thing changed, as
a hand edit or a forgery would change it; the good one is a fresh `govern check` on real OPA.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from governance.evaluate.findings import fingerprint
from governance.evaluate.saved import MAX_SHOWN
from governance.result import RunResult, sealed, summarize
from tests import golden
from tests.conftest import check, govern
from tests.results_support import resealed

Edit = Callable[[dict], tuple[str, str | None]]  # changes a result; returns the text at the problem and what precedes it


def _as_of(doc: dict) -> tuple[str, str | None]:
    doc["as_of"] = "2026-02-30"
    return '"as_of": "2026-02-30"', None


def _waiver_date(doc: dict) -> tuple[str, str | None]:
    doc["waivers"][0]["expires"] = "2027-02-29"
    return '"expires": "2027-02-29"', None


def _run_time(doc: dict) -> tuple[str, str | None]:
    doc["run"]["started_at"] = "2026-12-03T25:61:00Z"
    return '"started_at"', None


def _run_time_elsewhere(doc: dict) -> tuple[str, str | None]:
    doc["run"]["started_at"] = "2026-12-03T10:00:00+08:00"  # a real time, but not in the one form a run writes
    return '"started_at"', None


def _run_backwards(doc: dict) -> tuple[str, str | None]:
    doc["run"]["finished_at"] = "2026-12-01T00:00:00Z"
    return '"finished_at"', None


def _negative_evaluated(doc: dict) -> tuple[str, str | None]:
    doc["checks"][0]["evaluated"] = -1
    return '"evaluated": -1', None


def _negative_summary(doc: dict) -> tuple[str, str | None]:
    doc["summary"]["advisories"] = -2
    return '"advisories": -2', None


def _findings_deleted(doc: dict) -> tuple[str, str | None]:
    """The forgery: every failing finding deleted, and the checks and controls they failed made to pass,
    so the summary is what gives it away (and is not lost past the problems a refusal lists)."""
    doc["findings"] = [f for f in doc["findings"] if f["status"] != "fail"]
    for emptied in doc["checks"]:
        if emptied["failed"]:
            emptied["failed"], emptied["status"] = 0, "pass"
    for control in doc["controls"]:
        if control["status"] == "fail":
            control["status"] = "pass"
    return '"fail"', '"summary"'


def _check_count(doc: dict) -> tuple[str, str | None]:
    failing = next(c for c in doc["checks"] if c["failed"])
    failing["failed"] += 1
    return '"failed"', f'"id": "{failing["id"]}"'


def _check_status(doc: dict) -> tuple[str, str | None]:
    failing = next(c for c in doc["checks"] if c["failed"])
    failing["status"] = "pass"
    return '"status": "pass"', f'"id": "{failing["id"]}"'


def _severity(doc: dict) -> tuple[str, str | None]:
    doc["findings"][0]["severity"] = "urgent"
    return '"severity": "urgent"', None


def _finding_status(doc: dict) -> tuple[str, str | None]:
    doc["findings"][0]["status"] = "ok"
    return '"status": "ok"', None


def _check_vocabulary(doc: dict) -> tuple[str, str | None]:
    doc["checks"][0]["status"] = "green"
    return '"status": "green"', None


def _fail_on(doc: dict) -> tuple[str, str | None]:
    doc["fail_on"] = "sometimes"
    return '"fail_on": "sometimes"', None


def _unknown_check(doc: dict) -> tuple[str, str | None]:
    finding = doc["findings"][0]
    finding["check"] = "ZZZ-999"
    finding["fingerprint"] = fingerprint("ZZZ-999", finding["resource"]["kind"], finding["resource"]["id"])
    return '"check": "ZZZ-999"', None


def _unknown_waiver(doc: dict) -> tuple[str, str | None]:
    waived = next(f for f in doc["findings"] if f["status"] == "waived")
    waived["waiver"] = "wv-nowhere"
    return '"waiver": "wv-nowhere"', None


def _waived_without_waiver_listed(doc: dict) -> tuple[str, str | None]:
    """A failing finding turned waived, citing a waiver invented for it."""
    finding = next(f for f in doc["findings"] if f["status"] == "fail" and f["severity"] == "critical")
    finding.update(status="waived", waiver="wv-invented")
    return '"waiver": "wv-invented"', None


def _finding_twice(doc: dict) -> tuple[str, str | None]:
    """A finding listed twice, its check's counts and the summary made to agree, the digest resealed."""
    twin = dict(doc["findings"][0])
    doc["findings"].insert(1, twin)
    check = next(c for c in doc["checks"] if c["id"] == twin["check"])
    check["failed"] += 1
    r = RunResult.model_validate(doc)
    r = r.model_copy(update={"summary": summarize(r.findings, r.checks, r.fail_on)})
    doc.clear()
    doc.update(json.loads(sealed(r).to_json()))
    return f'"fingerprint": "{twin["fingerprint"]}"', '"baseline"'  # the second of the two


def _stale_digest(doc: dict) -> tuple[str, str | None]:
    """The digest a run wrote, kept after a finding's message was reworded."""
    doc["findings"][0]["message"] = "reworded after the run"
    return '"digest"', '"verdict"'


def _dressed_as_evidence(doc: dict) -> tuple[str, str | None]:
    """A result claiming to be an evidence manifest, so that a reader would ignore its findings."""
    doc["kind"] = "govern-evidence"
    return '"kind": "govern-evidence"', None


def _action_due(doc: dict) -> tuple[str, str | None]:
    doc["actions"][0]["due"] = "2026-02-30"
    return '"due": "2026-02-30"', None


def _action_status(doc: dict) -> tuple[str, str | None]:
    doc["actions"][0]["status"] = "closed"
    return '"status": "closed"', '"actions"'


BAD: dict[str, tuple[Edit, str]] = {
    "a finding listed twice": (_finding_twice, "finding listed more than once: "),
    "a stale verdict digest": (_stale_digest, "verdict.digest: recorded sha256:"),
    "a result dressed up as evidence": (_dressed_as_evidence, "kind: a result has no `kind`"),
    "impossible as_of": (_as_of, "as_of: '2026-02-30' is not a real date"),
    "impossible waiver date": (_waiver_date, "waivers[0].expires: '2027-02-29' is not a real date"),
    "impossible run time": (_run_time, "run.started_at: '2026-12-03T25:61:00Z' is not a time"),
    "run time in another zone": (_run_time_elsewhere, "run.started_at: '2026-12-03T10:00:00+08:00' is not a UTC time"),
    "run ending before it starts": (_run_backwards, "run.finished_at: the run finished (2026-12-01T00:00:00Z) before"),
    "negative check count": (_negative_evaluated, "checks[0].evaluated: Input should be greater than or equal to 0"),
    "negative summary count": (_negative_summary, "summary.advisories: Input should be greater than or equal to 0"),
    "failing findings deleted": (_findings_deleted, "summary.fail: 35, but the findings make it 0"),
    "check count against its findings": (_check_count, "failed is"),
    "check status against its counts": (_check_status, "status pass, but evaluated"),
    "severity outside the vocabulary": (_severity, "findings[0].severity: Input should be 'critical'"),
    "finding status outside the vocabulary": (_finding_status, "findings[0].status: Input should be 'fail' or 'waived'"),
    "check status outside the vocabulary": (_check_vocabulary, "checks[0].status: Input should be 'pass'"),
    "fail_on outside the vocabulary": (_fail_on, "fail_on: Input should be 'critical'"),
    "finding of a check not listed": (_unknown_check, "a finding of check ZZZ-999, which the result's checks do not list"),
    "waived by a waiver not listed": (_unknown_waiver, "waived by wv-nowhere, which the result's waivers do not list"),
    "waived by an invented waiver": (_waived_without_waiver_listed, "waived by wv-invented, which the result's waivers"),
    "impossible action due date": (_action_due, "actions[0].due: '2026-02-30' is not a real date"),
    "action status outside the vocabulary": (_action_status, "actions[0].status: Input should be 'open'"),
}


def position(text: str, needle: str, after: str | None) -> str:
    """line:col (1-based) of `needle` in `text`, the first one after `after` if given."""
    offset = text.index(needle, text.index(after) if after else 0)
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def bad_result(tmp_path: Path, edit: Edit, workspace: str = "Acme") -> tuple[Path, str]:
    """The golden acme result (a real run) with `edit` applied, saved; and where the edit is in it."""
    doc = golden.data("acme")
    doc["workspace"] = workspace
    needle, after = edit(doc)
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    return path, f"{path}:{position(text, needle, after)}:"


def refused(proc, where: str, message: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    [line] = [ln for ln in proc.stderr.splitlines() if message in ln]
    assert line.removeprefix("error: ").startswith(where), (where, proc.stderr)


def _severity_of_its_check(doc: dict) -> tuple[str, str | None]:
    doc["findings"][0]["severity"] = "info"  # a critical finding of a critical check, lowered below any --fail-on
    return '"severity": "info"', None


def _fingerprint(doc: dict) -> tuple[str, str | None]:
    doc["findings"][0]["fingerprint"] = "0" * 32
    return '"fingerprint": "' + "0" * 32, None


def _waived(doc: dict) -> dict:
    return next(f for f in doc["findings"] if f["status"] == "waived")


def _waiver_of(doc: dict, finding: dict) -> dict:
    return next(w for w in doc["waivers"] if w["id"] == finding["waiver"])


def _applied(doc: dict) -> tuple[str, str | None]:
    waiver = _waiver_of(doc, _waived(doc))
    waiver["applied"] = 7
    return '"applied": 7', None


def _invalid_waiver_applied(doc: dict) -> tuple[str, str | None]:
    finding = _waived(doc)
    _waiver_of(doc, finding).update(valid=False, problems=["WAV-001"])
    return f'"waiver": "{finding["waiver"]}"', None


def _waiver_of_another_finding(doc: dict) -> tuple[str, str | None]:
    finding = _waived(doc)
    _waiver_of(doc, finding)["resource"]["id"] = "something-else"
    return f'"waiver": "{finding["waiver"]}"', None


def _unwaived_naming_a_waiver(doc: dict) -> tuple[str, str | None]:
    finding = next(f for f in doc["findings"] if f["status"] == "fail")
    finding["waiver"] = "wv-2026-021"
    return '"waiver": "wv-2026-021"', None


def _unwaivable(doc: dict) -> tuple[str, str | None]:
    finding = _waived(doc)
    check = next(c for c in doc["checks"] if c["id"] == finding["check"])
    check["waivable"] = False
    return '"status": "waived"', None


def _control_status(doc: dict) -> tuple[str, str | None]:
    control = next(c for c in doc["controls"] if c["status"] == "fail")
    control["status"] = "pass"
    return '"status": "pass"', f'"id": "{control["id"]}"'


def _selection(doc: dict) -> tuple[str, str | None]:
    doc["selection"]["skipped"] = [{"check": doc["checks"][0]["id"], "sources": ["cli"]}]
    return f'"check": "{doc["checks"][0]["id"]}"', '"selection"'


def _action_twice(doc: dict) -> tuple[str, str | None]:
    before = doc["actions"][-1]["id"]
    doc["actions"].append(dict(doc["actions"][0]))
    return f'"id": "{doc["actions"][0]["id"]}"', f'"id": "{before}"'


def _action_of_no_check(doc: dict) -> tuple[str, str | None]:
    doc["actions"][0]["addresses"][0]["check"] = "ZZZ-999"
    return '"check": "ZZZ-999"', None


def _citing(doc: dict, references: dict) -> str:
    """The first control that cites anything made to cite `references`, the result resealed; its id."""
    control = next(c for c in doc["controls"] if c["references"])
    control["references"] = references
    doc.update(resealed(doc))
    return control["id"]


def _cites_an_unknown_framework(doc: dict) -> tuple[str, str | None]:
    """A framework key is a file name in the audit pack (controls-<framework>.md): one that climbs out of it."""
    return '"../evil"', f'"id": "{_citing(doc, {"../evil": ["1"]})}"'


def _cites_no_clause(doc: dict) -> tuple[str, str | None]:
    return '"zzz"', f'"id": "{_citing(doc, {"pipl": ["art. 51", "zzz"]})}"'


INCOHERENT: dict[str, tuple[Edit, str]] = {
    "a finding's severity against its check's": (_severity_of_its_check, "severity info, but check"),
    "a forged fingerprint": (_fingerprint, "findings[0].fingerprint: not the fingerprint of check"),
    "a waiver's applied count": (_applied, "applied is 7, but it waives 1 finding(s)"),
    "waived by an invalid waiver": (_invalid_waiver_applied, "which the result lists as invalid"),
    "waived by a waiver of another finding": (_waiver_of_another_finding, "not this finding"),
    "an unwaived finding naming a waiver": (_unwaived_naming_a_waiver, "an unwaived finding (status fail) names waiver"),
    "waived though its check is not waivable": (_unwaivable, "is not waivable"),
    "a control's status against its checks'": (_control_status, "status pass, but its checks make it fail"),
    "a selection against the checks": (_selection, "but its status is"),
    "an action listed twice": (_action_twice, "is listed twice in actions"),
    "an action addressing a check not listed": (_action_of_no_check, "addresses check ZZZ-999, which the result's checks"),
    "a control citing a framework govern does not know": (_cites_an_unknown_framework, "unknown framework '../evil'"),
    "a control citing what is no clause": (_cites_no_clause, "pipl: 'zzz' is not a clause of pipl; write"),
}


@pytest.mark.parametrize("case", sorted(INCOHERENT))
def test_a_result_that_contradicts_itself_is_refused_at_the_contradiction(tmp_path, case):
    edit, message = INCOHERENT[case]
    path, where = bad_result(tmp_path, edit)
    refused(govern("report", str(path), "--format", "json"), where, message)


@pytest.mark.parametrize("edit, message", [
    (_cites_an_unknown_framework, "unknown framework '../evil'"),  # was an internal error (exit 3)
    (_cites_no_clause, "'zzz' is not a clause of pipl"),  # was written as a requirement met: | pipl zzz | 已满足 |
])
def test_a_control_citing_nothing_govern_knows_is_refused_before_an_audit_pack(tmp_path, edit, message):
    path, where = bad_result(tmp_path, edit)
    out = tmp_path / "pack"
    proc = govern("report", str(path), "--format", f"audit={out}", "--format", f"markdown={tmp_path / 'r.md'}")
    refused(proc, where, message)
    assert proc.stdout == "" and not out.exists() and not (tmp_path / "r.md").exists()


def test_baseline_counts_must_be_those_of_the_marks(tmp_path):
    doc = golden.data("acme-changes")  # a real run against a baseline
    doc["summary"]["baseline"]["resolved"] += 1
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    path = tmp_path / "changes.json"
    path.write_text(text, encoding="utf-8")
    where = position(text, '"resolved"', '"baseline": {')
    refused(govern("report", str(path)), f"{path}:{where}:", "summary.baseline.resolved:")


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_result_is_refused_by_report_at_its_place_and_nothing_is_written(tmp_path, case):
    edit, message = BAD[case]
    path, where = bad_result(tmp_path, edit)
    out = tmp_path / "out"
    proc = govern("report", str(path), "--format", f"html={out / 'report.html'}", "--format", f"json={out / 'r.json'}")
    refused(proc, where, message)
    assert proc.stdout == "" and not out.exists()


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_result_is_refused_by_verify(tmp_path, case):
    edit, message = BAD[case]
    path, where = bad_result(tmp_path, edit)
    refused(govern("verify", str(path), str(tmp_path)), where, message)


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_result_is_refused_by_aggregate_and_nothing_is_written(tmp_path, case):
    edit, message = BAD[case]
    path, where = bad_result(tmp_path, edit)
    good = tmp_path / "good.json"
    doc = golden.data("acme-waivers")
    doc["workspace"] = "Acme South"
    good.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "group.html"
    proc = govern("aggregate", str(good), str(path), "--format", "html", "--output", str(out))
    refused(proc, where, message)
    assert not out.exists()


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_baseline_is_refused_before_anything_runs(example, tmp_path, case):
    edit, message = BAD[case]
    path, where = bad_result(tmp_path, edit)
    out = tmp_path / "out"
    proc = check(example, "--baseline", str(path), "--format", f"json={out / 'r.json'}")
    refused(proc, where, message)
    assert not out.exists()


def test_html_of_an_impossible_date_was_an_internal_error_and_is_now_exit_2(tmp_path):
    path, where = bad_result(tmp_path, _as_of)
    target = tmp_path / "out.html"
    proc = govern("report", str(path), "--format", f"html={target}")
    refused(proc, where, "is not a real date")
    assert not target.exists()


@pytest.mark.parametrize("edits", [(_as_of, _severity, _negative_evaluated),  # each value in its type
                                   (_unknown_check, _unknown_waiver, _run_backwards)])  # the result against itself
def test_every_problem_is_listed_each_at_its_place(tmp_path, edits):
    doc = golden.data("acme")
    needles = [edit(doc)[0] for edit in edits]
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    proc = govern("report", str(path), "--format", "json")
    assert proc.returncode == 2 and proc.stdout == ""
    for needle in needles:
        assert f"{path}:{position(text, needle, None)}: " in proc.stderr, needle


def test_a_result_wrong_everywhere_lists_the_first_problems_and_counts_the_rest(tmp_path):
    doc = golden.data("acme")
    for c in doc["checks"]:
        c["evaluated"] = -1
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    proc = govern("report", str(path), "--format", "json")
    assert proc.returncode == 2
    listed = [ln for ln in proc.stderr.splitlines() if "checks[" in ln]
    assert len(listed) == MAX_SHOWN
    assert f"and {len(doc['checks']) - MAX_SHOWN} more problem(s)" in proc.stderr


@pytest.mark.parametrize("text, where, message", [
    ('{"schema_version": 1, "schema_version": 1}', "1:23", 'found duplicate key "schema_version"'),
    ('{\n  "schema_version": 1,\n  "as_of": NaN\n}', "3:12", "NaN and infinity are not allowed"),
    ('{\n  "schema_version": 0,\n  "findings": []\n}', "2:3", "schema_version 0 is not supported"),
    ('{\n  "schema_version": true,\n  "findings": []\n}', "2:3", "schema_version True is not supported"),
    # a problem's place is scanned for; the scan stops at the first list too deep, as for a workspace file
    ('{"schema_version": 1, "findings": [], "x": ' + "[" * 70 + "]" * 70 + "}", "1:107", "nested more than 64 levels"),
])
def test_json_is_read_as_strictly_as_a_workspace_file(tmp_path, text, where, message):
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    for args in (("report", str(path)), ("verify", str(path), str(tmp_path))):
        proc = govern(*args)
        assert proc.returncode == 2 and f"{path}:{where}: " in proc.stderr and message in proc.stderr, proc.stderr


# ------------------------------------------------------------ evidence manifests (verify)

def _manifest_as_of(doc: dict) -> tuple[str, str | None]:
    doc["as_of"] = "2025-02-29"
    return '"as_of": "2025-02-29"', None


def _manifest_negative(doc: dict) -> tuple[str, str | None]:
    doc["outcome"]["waived"] = -1
    return '"waived": -1', None


def _manifest_sum(doc: dict) -> tuple[str, str | None]:
    doc["outcome"]["fail"] = 0  # a clean outcome, while by_severity still counts the failing findings
    return '"fail": 0', None


def _manifest_fail_on(doc: dict) -> tuple[str, str | None]:
    doc["outcome"]["fail_on"] = "whenever"
    return '"fail_on": "whenever"', None


def _manifest_severity(doc: dict) -> tuple[str, str | None]:
    doc["outcome"]["by_severity"]["severe"] = 1
    return '"severe": 1', None


def _manifest_run(doc: dict) -> tuple[str, str | None]:
    doc["run"]["finished_at"] = "2026-02-30T00:00:00Z"
    return '"finished_at"', None


@pytest.fixture(scope="module")
def evidence(tmp_path_factory) -> dict:
    """A real evidence manifest, of a real run's result re-rendered."""
    folder = tmp_path_factory.mktemp("evidence")
    source = folder / "acme.json"
    source.write_bytes(golden.path("acme").read_bytes())
    proc = govern("report", str(source), "--format", f"evidence={folder / 'manifest.json'}")
    assert proc.returncode == 0, proc.stderr
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _manifest_without_verdict(doc: dict) -> tuple[str, str | None]:
    del doc["verdict"], doc["outcome"]  # what the run concluded, stripped: nothing would be compared
    return "{", None


def _manifest_with_findings(doc: dict) -> tuple[str, str | None]:
    doc["summary"] = {"fail": 0}  # a result's key in a manifest: a result in disguise
    return '"summary"', None


@pytest.mark.parametrize("edit, message", [
    (_manifest_without_verdict, "verdict: Field required"),
    (_manifest_without_verdict, "outcome: Field required"),
    (_manifest_with_findings, "summary: `summary` is a result's"),
    (_manifest_as_of, "as_of: '2025-02-29' is not a real date"),
    (_manifest_negative, "outcome.waived: Input should be greater than or equal to 0"),
    (_manifest_sum, "outcome.fail: 0 unwaived finding(s), but by_severity counts 35"),
    (_manifest_fail_on, "outcome.fail_on: Input should be 'critical'"),
    (_manifest_severity, "outcome.by_severity.severe: Input should be 'critical'"),
    (_manifest_run, "run.finished_at: '2026-02-30T00:00:00Z' is not a time"),
], ids=lambda v: v.__name__ if callable(v) else "")
def test_verify_validates_what_an_evidence_manifest_has(tmp_path, evidence, edit, message):
    doc = json.loads(json.dumps(evidence))
    needle, after = edit(doc)
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    path = tmp_path / "evidence.json"
    path.write_text(text, encoding="utf-8")
    refused(govern("verify", str(path), str(tmp_path)), f"{path}:{position(text, needle, after)}:", message)


# ------------------------------------------------------------ a real result stays accepted

def test_a_real_result_and_its_evidence_are_accepted_by_every_reader(example, tmp_path):
    out = tmp_path / "out"
    proc = check(example, "--format", f"json={out / 'result.json'}", "--format", f"markdown={out / 'report.md'}")
    assert proc.returncode in (0, 1), proc.stderr
    result = out / "result.json"
    rendered = govern("report", str(result), "--format", f"html={tmp_path / 'again' / 'report.html'}")
    assert rendered.returncode == 0, rendered.stderr
    assert (tmp_path / "again" / "report.html").exists()
    for given in (result, out / "evidence.json"):
        proc = govern("verify", str(given), str(example))
        assert proc.returncode == 0 and "verify: OK" in proc.stdout, proc.stdout + proc.stderr
    proc = govern("aggregate", str(result))
    assert proc.returncode == 1 and "Acme Retail Group" in proc.stdout, proc.stderr  # acme fails at the group's low
    proc = check(example, "--baseline", str(result), "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    again = json.loads(proc.stdout)
    assert again["summary"]["baseline"]["new"] == 0
    (tmp_path / "baselined.json").write_text(proc.stdout, encoding="utf-8")  # with its baseline marks, still coherent
    assert govern("report", str(tmp_path / "baselined.json"), "--format", "json").returncode == 0


@pytest.mark.parametrize("command", ["report", "verify", "aggregate"])
def test_a_lone_surrogate_in_a_saved_result_is_exit_2_at_its_string(tmp_path, command):
    """UTF-8 cannot write a lone surrogate: rendering one was an internal error (exit 3). An emoji
    written as a pair of escapes is one character and stays readable."""
    doc = golden.data("acme")
    doc["findings"][0]["message"] += " \ud800"
    doc["findings"][1]["message"] += " \U0001f600"
    text = json.dumps(doc, indent=2)  # ASCII: the surrogate as the escape a JSON file can hold
    path = tmp_path / "lone.json"
    path.write_text(text, encoding="utf-8")
    at = position(text, '"message"', '"findings"')
    where = f"{path}:{at}:"
    out = tmp_path / "out.json"
    args = {"report": ("report", str(path), "--format", f"json={out}"), "verify": ("verify", str(path), str(tmp_path)),
            "aggregate": ("aggregate", str(path), "--format", "json", "--output", str(out))}[command]
    refused(govern(*args), where, "findings[0].message: holds a lone surrogate")
    assert not out.exists()
