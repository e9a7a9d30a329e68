"""The audit pack (`--format audit=DIR`, docs/audit.md "The audit pack"): one run's result, the reports made
from it and an evidence.json hashing each, written whole or not at all, into a folder that holds nothing
else; `govern verify DIR/evidence.json` holds every file to its hash and to the result, and names the file
that is wrong. Real runs on the shared OPA; verify evaluates again on the managed one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from governance.cli import _output
from governance.evaluate import read_result
from governance.report import _audit, audit_members
from governance.result import RunResult
from tests.conftest import EXAMPLE, check, govern

MEMBERS = ["oscal.json", "report.md", "result.json"]  # members every pack holds (the declared list may add more)
OTHER_RUN = "2026-01-01T00:00:00Z"


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def evidence_of(folder: Path) -> dict:
    return json.loads((folder / "evidence.json").read_text(encoding="utf-8"))


def rewrite_evidence(folder: Path, change=lambda doc: None) -> None:
    """What a careful forger does after changing a member: list every file's sha256 and size as it is now."""
    doc = evidence_of(folder)
    change(doc)
    for entry in doc["reports"]:
        data = (folder / entry["path"]).read_bytes() if (folder / entry["path"]).is_file() else b""
        entry["sha256"], entry["size"] = hashlib.sha256(data).hexdigest(), len(data)
    doc["pack"]["result"]["sha256"] = hashlib.sha256((folder / "result.json").read_bytes()).hexdigest()
    (folder / "evidence.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def declared(folder: Path) -> list[str]:
    """The files a pack of the result in `folder` holds, evidence.json among them, as the declared members say."""
    result = read_result(folder / "result.json")
    return sorted(audit_members(result, evidence_of(folder)["pack"]["lang"], None))


def verify(path: Path, workspace: Path, *args: str):
    return govern("verify", str(path), str(workspace), *args)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, opa_binary) -> Path:
    ws = tmp_path_factory.mktemp("pack") / "acme"
    shutil.copytree(EXAMPLE, ws)
    return ws


@pytest.fixture(scope="module")
def made(workspace, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("made") / "audit"
    ran = check(workspace, "--format", f"audit={folder}")
    assert ran.returncode == 1, ran.stderr  # acme has findings: exit 1 is a complete run
    return folder


@pytest.fixture
def pack(made, tmp_path) -> Path:
    """A private copy of the pack that a test may tamper with."""
    return Path(shutil.copytree(made, tmp_path / "audit"))


# ---------------------------------------------------------------- what the pack holds


def test_the_pack_holds_its_members_and_an_evidence_that_hashes_each_and_binds_the_result(made):
    assert listing(made) == declared(made) and set(MEMBERS) < set(listing(made))
    doc = evidence_of(made)
    types = {".json": "application/json", ".md": "text/markdown; charset=utf-8", ".csv": "text/csv; charset=utf-8"}
    for entry in doc["reports"]:
        data = (made / entry["path"]).read_bytes()
        assert entry == {"path": entry["path"], "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                         "media_type": types[Path(entry["path"]).suffix]}
    assert [e["path"] for e in doc["reports"]] == [name for name in listing(made) if name != "evidence.json"]
    result = json.loads((made / "result.json").read_text(encoding="utf-8"))
    assert doc["pack"] == {"format": "audit", "lang": "zh", "result": {
        "path": "result.json", "sha256": hashlib.sha256((made / "result.json").read_bytes()).hexdigest(),
        "verdict": result["verdict"]["digest"]}}
    assert doc["run"] == result["run"] and doc["verdict"] == result["verdict"]
    assert json.loads((made / "oscal.json").read_text(encoding="utf-8"))["assessment-results"]["results"][0]["start"] \
        == result["run"]["started_at"]


@pytest.mark.parametrize(("framework", "fmt", "name"), [("mlps", "markdown", "controls-gbt22239.md"),
                                                      ("pipl", "csv", "controls-pipl.csv")])
def test_a_frameworks_view_in_the_pack_is_what_govern_controls_shows_of_the_packs_result(made, workspace, framework,
                                                                                          fmt, name):
    shown = govern("controls", str(workspace), "--result", str(made / "result.json"), "--framework", framework,
                   "--format", fmt)
    assert shown.returncode == 0, shown.stderr
    # the subprocess's stdout is read as text (universal newlines): the CSV's \r\n arrives as \n
    assert shown.stdout == (made / name).read_bytes().decode("utf-8").replace("\r\n", "\n")


def test_the_pack_has_a_view_for_each_framework_its_controls_cite_and_the_plan_of_action(made):
    result = json.loads((made / "result.json").read_text(encoding="utf-8"))
    cited = {key for control in result["controls"] for key in control["references"]}
    assert {"gbt22239", "pipl"} <= cited
    assert {n for n in listing(made) if n.startswith("controls-")} == \
        {f"controls-{key}.{suffix}" for key in cited for suffix in ("md", "csv")}
    poam = json.loads((made / "poam.json").read_text(encoding="utf-8"))["plan-of-action-and-milestones"]
    assert len(poam["poam-items"]) == sum(1 for f in result["findings"]
                                          if f["status"] == "fail" and f["severity"] != "info")


@pytest.mark.parametrize("name", ["evidence.json", "result.json", "report.md"])
def test_a_whole_pack_verifies_whichever_of_its_files_is_named(made, workspace, name):
    ran = verify(made / name, workspace)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "verify: OK, " in ran.stdout
    files = len(listing(made)) - 1
    assert f"the audit pack's {files} file(s), each rendered from its result.json, and policy revision" in ran.stdout


def test_report_writes_a_pack_of_a_saved_result_that_says_it_was_re_rendered(made, workspace, tmp_path):
    folder = tmp_path / "again"
    ran = govern("report", str(made / "result.json"), "--format", f"audit={folder}", "--lang", "en")
    assert ran.returncode == 0, ran.stderr
    assert listing(folder) == declared(folder) and set(MEMBERS) < set(listing(folder))
    doc = evidence_of(folder)
    assert doc["rendered_from"] == {"result": "sha256:" + hashlib.sha256((made / "result.json").read_bytes()).hexdigest()}
    assert doc["pack"]["lang"] == "en" and (folder / "result.json").read_bytes() == (made / "result.json").read_bytes()
    assert "Findings" in (folder / "report.md").read_text(encoding="utf-8")
    ran = verify(folder / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 0, ran.stdout
    assert "re-rendered by `govern report`" in ran.stdout


# ---------------------------------------------------------------- verify names the file that is wrong


def _tamper(folder: Path, name: str) -> None:
    path = folder / name
    if name == "result.json":  # a location is in no digest: the result still agrees with itself
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["findings"][0]["location"]["line"] += 1
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("PLC-001", "PLC-00I", 1), encoding="utf-8")


@pytest.mark.parametrize("name", MEMBERS)
def test_a_member_edited_after_the_pack_was_written_is_named(pack, workspace, name):
    _tamper(pack, name)
    ran = verify(pack / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1, ran.stdout
    assert f"changed report: {name}" in ran.stdout


@pytest.mark.parametrize("name", MEMBERS)
def test_a_member_edited_with_its_sha256_rewritten_in_the_evidence_is_still_named(pack, workspace, name):
    _tamper(pack, name)
    rewrite_evidence(pack)
    ran = verify(pack / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1, ran.stdout
    if name == "result.json":  # the others are no longer what it renders to
        assert "audit pack: oscal.json was not rendered from result.json" in ran.stdout
        assert "audit pack: report.md was not rendered from result.json" in ran.stdout
    else:
        assert f"audit pack: {name} was not rendered from result.json: rendered from it again, it differs" in ran.stdout


def test_a_result_edited_where_no_member_shows_it_is_named_by_evaluating_again(pack, workspace):
    """A check's title is in no digest and no member of the pack shows it: rewritten with its sha256, only
    verify's evaluation (not --inputs-only) tells the result from the run's."""
    doc = json.loads((pack / "result.json").read_text(encoding="utf-8"))
    title = doc["checks"][0]["title"]
    doc["checks"][0]["title"] = "Nothing to see here"
    (pack / "result.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    rewrite_evidence(pack)
    assert verify(pack / "evidence.json", workspace, "--inputs-only").returncode == 0
    ran = verify(pack / "evidence.json", workspace)
    assert ran.returncode == 1, ran.stdout
    assert f"checks[0].title: recorded 'Nothing to see here', re-evaluation {title!r}" in ran.stdout


def test_an_edited_evidence_is_named(pack, workspace):
    doc = evidence_of(pack)
    doc["as_of"] = "2026-11-24"
    (pack / "evidence.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    ran = verify(pack / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1, ran.stdout
    assert "audit pack: evidence.json's `as_of` is not the one a pack of result.json carries" in ran.stdout


def test_a_pack_in_a_language_govern_does_not_write_is_named(pack, workspace):
    rewrite_evidence(pack, lambda doc: doc["pack"].update(lang="fr"))
    ran = verify(pack / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1, ran.stdout
    assert "audit pack: evidence.json: pack.lang: language 'fr' is not one govern writes (zh, en)" in ran.stdout


def test_a_missing_member_is_named_listed_or_not(pack, workspace):
    (pack / "oscal.json").unlink()
    ran = verify(pack / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1 and "missing report: oscal.json" in ran.stdout, ran.stdout
    rewrite_evidence(pack, lambda doc: doc.update(reports=[r for r in doc["reports"] if r["path"] != "oscal.json"]))
    ran = verify(pack / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1, ran.stdout
    assert "audit pack: oscal.json is missing: a pack of result.json holds it, and evidence.json does not list it" \
        in ran.stdout


@pytest.mark.parametrize("added", ["notes.txt", ".hidden", "sub/"])
def test_a_file_added_to_the_pack_is_named(pack, workspace, added):
    if added.endswith("/"):
        (pack / added).mkdir()
    else:
        (pack / added).write_text("not part of the run\n", encoding="utf-8")
    ran = verify(pack / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1, ran.stdout
    assert f"audit pack: {added.rstrip('/')} is in {pack}, and evidence.json does not list it" in ran.stdout


def test_a_file_listed_that_no_pack_holds_is_named(pack, workspace):
    (pack / "extra.md").write_text("# An extra\n", encoding="utf-8")
    rewrite_evidence(pack, lambda doc: doc["reports"].append({"path": "extra.md", "sha256": "", "size": 0,
                                                              "media_type": "text/markdown; charset=utf-8"}))
    ran = verify(pack / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1, ran.stdout
    assert "audit pack: extra.md is listed by evidence.json, but a pack of result.json holds no such file" in ran.stdout


@pytest.fixture(scope="module")
def other_run(made, workspace, tmp_path_factory) -> Path:
    """A pack of the same inputs by another run (another start, to the second): its verdict digest is the same."""
    folder = tmp_path_factory.mktemp("other") / "audit"
    for _ in range(3):
        ran = check(workspace, "--format", f"audit={folder}")
        assert ran.returncode == 1, ran.stderr
        if evidence_of(folder)["run"]["started_at"] != evidence_of(made)["run"]["started_at"]:
            return folder
        time.sleep(1)
    pytest.fail("three runs started in the same second as the pack")


def test_a_result_swapped_for_another_runs_is_named_with_both_runs(pack, other_run, workspace):
    shutil.copyfile(other_run / "result.json", pack / "result.json")
    rewrite_evidence(pack)
    ours, theirs = evidence_of(pack)["run"]["started_at"], evidence_of(other_run)["run"]["started_at"]
    assert ours != theirs and evidence_of(pack)["verdict"] == evidence_of(other_run)["verdict"]
    ran = verify(pack / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1, ran.stdout
    assert f"audit pack: evidence.json records run {ours}, and result.json is of run {theirs}" in ran.stdout
    assert f"audit pack: oscal.json is of run {ours}, not of the run {theirs} of result.json" in ran.stdout
    assert f"audit pack: report.md is of run {ours}, not of the run {theirs} of result.json" in ran.stdout


def test_a_member_from_another_run_is_named_with_its_run(pack, other_run, workspace):
    shutil.copyfile(other_run / "oscal.json", pack / "oscal.json")
    rewrite_evidence(pack)
    ours, theirs = evidence_of(pack)["run"]["started_at"], evidence_of(other_run)["run"]["started_at"]
    ran = verify(pack / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1, ran.stdout
    assert f"audit pack: oscal.json is of run {theirs}, not of the run {ours} of result.json" in ran.stdout


# ---------------------------------------------------------------- where a pack may go, whole or not at all


def test_a_folder_holding_anything_else_is_refused_and_left_as_it_is(workspace, tmp_path):
    folder = tmp_path / "audit"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    ran = check(workspace, "--format", f"audit={folder}")
    assert ran.returncode == 2, ran.stderr
    assert f"{folder} holds notes.txt, which is no file of an audit pack" in ran.stderr
    assert listing(folder) == ["notes.txt"]


def test_a_previous_pack_is_replaced_whole(made, workspace, tmp_path):
    folder = Path(shutil.copytree(made, tmp_path / "audit"))
    (folder / "controls-old.md").write_text("# a member the new pack does not have\n", encoding="utf-8")
    rewrite_evidence(folder, lambda doc: doc["reports"].append({"path": "controls-old.md", "sha256": "", "size": 0,
                                                                "media_type": "text/markdown; charset=utf-8"}))
    ran = check(workspace, "--format", f"audit={folder}")
    assert ran.returncode == 1, ran.stderr
    assert listing(folder) == listing(made)  # the old member went with the old pack
    assert verify(folder / "evidence.json", workspace, "--inputs-only").returncode == 0


def test_a_write_that_fails_leaves_the_previous_pack_as_it_was(made, workspace, tmp_path, monkeypatch):
    folder = Path(shutil.copytree(made, tmp_path / "audit"))
    (folder / "controls-old.md").write_text("# old\n", encoding="utf-8")
    rewrite_evidence(folder, lambda doc: doc["reports"].append({"path": "controls-old.md", "sha256": "", "size": 0,
                                                                "media_type": "text/markdown; charset=utf-8"}))
    before = {name: (folder / name).read_bytes() for name in listing(folder)}
    real = os.replace

    def fails_at_the_report(src, dst, **folders):
        if dst == "report.md" and str(src).endswith(".tmp"):  # the write, not the undo
            raise PermissionError(13, "Permission denied")
        return real(src, dst, **folders)

    monkeypatch.setattr(_output.os, "replace", fails_at_the_report)
    ran = check(workspace, "--format", f"audit={folder}")
    assert ran.returncode == 3, ran.stderr
    assert "could not write" in ran.stderr
    assert {name: (folder / name).read_bytes() for name in listing(folder)} == before


def test_a_write_that_fails_leaves_no_pack(workspace, tmp_path, monkeypatch):
    folder = tmp_path / "new" / "audit"
    real = os.replace

    def fails_at_the_evidence(src, dst, **folders):
        if dst == "evidence.json" and str(src).endswith(".tmp"):
            raise PermissionError(13, "Permission denied")
        return real(src, dst, **folders)

    monkeypatch.setattr(_output.os, "replace", fails_at_the_evidence)
    ran = check(workspace, "--format", f"audit={folder}")
    assert ran.returncode == 3, ran.stderr
    assert not folder.exists() and listing(tmp_path) == []


def test_opa_failing_leaves_no_pack(workspace, tmp_path):
    folder = tmp_path / "audit"
    ran = govern("check", str(workspace), "--as-of", "2026-11-25", "--opa-url", "http://127.0.0.1:9",
                 "--format", f"audit={folder}")
    assert ran.returncode == 3, ran.stderr
    assert listing(tmp_path) == []


@pytest.mark.parametrize(("spec", "says"), [
    ("audit", "the audit pack is a folder of files; give audit=DIR"),
    ("audit=-", "not a stream"),
    ("audit={tmp}/file.txt", "is a file, not a folder"),
    ("audit={ws}/inventory", "which the workspace reads"),
    ("audit={tmp}/file.txt/audit", "cannot be read"),
    ("audit={tmp}/a\0b", "is not a usable path"),
])
def test_where_a_pack_cannot_go_is_a_usage_error(workspace, tmp_path, spec, says):
    (tmp_path / "file.txt").write_text("x\n", encoding="utf-8")
    ran = check(workspace, "--format", spec.format(tmp=tmp_path, ws=workspace))
    assert ran.returncode == 2, ran.stderr
    assert says in ran.stderr


def test_a_pack_never_replaces_the_result_it_is_made_from(made, tmp_path):
    folder = Path(shutil.copytree(made, tmp_path / "audit"))
    before = {name: (folder / name).read_bytes() for name in listing(folder)}
    ran = govern("report", str(folder / "result.json"), "--format", f"audit={folder}")
    assert ran.returncode == 2, ran.stderr
    assert "one of this run's inputs; a pack must not replace what it was made from" in ran.stderr
    assert {name: (folder / name).read_bytes() for name in listing(folder)} == before


@pytest.mark.parametrize("other", ["sarif=audit/g.sarif", "sarif=audit", "audit=audit/inner"])
def test_no_other_report_goes_into_the_packs_folder(workspace, tmp_path, other):
    fmt, path = other.split("=")
    ran = check(workspace, "--format", f"audit={tmp_path / 'audit'}", "--format", f"{fmt}={tmp_path / path}")
    assert ran.returncode == 2, ran.stderr
    assert "which holds the audit pack alone" in ran.stderr
    assert listing(tmp_path) == []


def test_a_link_as_the_packs_folder_is_refused(workspace, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "audit").symlink_to(tmp_path / "real")
    ran = check(workspace, "--format", f"audit={tmp_path / 'audit'}")
    assert ran.returncode == 2 and "is a symbolic link" in ran.stderr, ran.stderr


def test_a_signed_pack_verifies_with_its_key_and_an_edited_one_does_not(workspace, tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    private, public = tmp_path / "key.pem", tmp_path / "key.pub.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    folder = tmp_path / "audit"
    ran = check(workspace, "--format", f"audit={folder}", "--signing-key", str(private), "--signing-alg", "ES256")
    assert ran.returncode == 1, ran.stderr
    assert evidence_of(folder)["signature"]["alg"] == "ES256"
    ran = verify(folder / "report.md", workspace, "--inputs-only", "--verification-key", str(public))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "signature: OK" in ran.stdout
    _tamper(folder, "oscal.json")
    rewrite_evidence(folder)  # keeps the signature, which no longer matches
    ran = verify(folder / "evidence.json", workspace, "--inputs-only", "--verification-key", str(public))
    assert ran.returncode == 1 and "verify: FAILED: signature: " in ran.stdout, ran.stdout


# ---------------------------------------------------------------- a member is one line


def _framework_view(result: RunResult, options, framework: str) -> str:
    """A stand-in per-framework view: the controls citing `framework`, one per line."""
    cited = [c.id for c in result.controls if framework in c.references]
    return f"# {framework}\n\n" + "".join(f"- {c}\n" for c in cited)


def test_a_member_named_after_a_workspace_word_never_leaves_the_folder(example, tmp_path, monkeypatch):
    """A framework key is the workspace's word: made into a member's name, it is a file name or nothing is written."""
    (example / "controls" / "escape.yaml").write_text(
        "controls:\n  - id: CTL-ESC-01\n    title: {zh: 逃逸, en: Escape}\n    domain: acme\n    checks: [ACME-001]\n"
        "    references:\n      ../../escaped: '1'\n", encoding="utf-8")
    monkeypatch.setattr(_audit, "MEMBERS", (*_audit.MEMBERS, _audit.per_framework("cited-{framework}.md",
                                                                                    _framework_view, _audit.MARKDOWN)))
    ran = check(example, "--format", f"audit={tmp_path / 'out' / 'audit'}")
    assert ran.returncode in (2, 3), ran.stderr  # refused where the catalogue is read, or where the pack is made
    assert "Traceback" not in ran.stderr
    assert sorted(p.name for p in tmp_path.rglob("*") if "acme" not in p.parts) == []


def test_a_member_declared_in_one_line_is_written_hashed_and_verified(workspace, tmp_path, monkeypatch):
    monkeypatch.setattr(_audit, "MEMBERS", (*_audit.MEMBERS,
                                            _audit.per_framework("cited-{framework}.md", _framework_view,
                                                                 _audit.MARKDOWN)))
    folder = tmp_path / "audit"
    ran = check(workspace, "--format", f"audit={folder}")
    assert ran.returncode == 1, ran.stderr
    views = [name for name in listing(folder) if name.startswith("cited-")]
    assert {"cited-gbt22239.md", "cited-pipl.md"} <= set(views)
    assert "- CTL-MLP-02\n" in (folder / "cited-gbt22239.md").read_text(encoding="utf-8")
    assert {r["path"] for r in evidence_of(folder)["reports"]} == set(listing(folder)) - {"evidence.json"}
    assert verify(folder / "evidence.json", workspace, "--inputs-only").returncode == 0
    (folder / "cited-pipl.md").write_text("# pipl\n\n- CTL-NONE\n", encoding="utf-8")
    rewrite_evidence(folder)
    ran = verify(folder / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1 and "audit pack: cited-pipl.md was not rendered from result.json" in ran.stdout


# ---------------------------------------------------------------- a pack whose evidence no longer says it is one


def strip_pack(folder: Path, *, ordinary: bool = False) -> None:
    """What a forger does after editing a member: rewrite its sha256 and drop `pack`, so the folder reads as an
    ordinary report set; `ordinary` also drops what only a pack's evidence lists (sizes, media types, the
    frameworks' views), files and all."""
    doc = evidence_of(folder)
    del doc["pack"]
    if ordinary:
        for entry in [e for e in doc["reports"] if e["path"].startswith("controls-")]:
            (folder / entry["path"]).unlink()
        doc["reports"] = [{"path": e["path"], "sha256": e["sha256"]} for e in doc["reports"]
                          if not e["path"].startswith("controls-")]
    for entry in doc["reports"]:
        entry["sha256"] = hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest()
        if "size" in entry:
            entry["size"] = (folder / entry["path"]).stat().st_size
    (folder / "evidence.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.mark.parametrize("inputs_only", [True, False])
def test_a_pack_with_pack_deleted_from_its_evidence_is_refused(pack, workspace, inputs_only):
    _tamper(pack, "report.md")
    strip_pack(pack)
    ran = verify(pack / "evidence.json", workspace, *(["--inputs-only"] if inputs_only else []))
    assert ran.returncode == 1, ran.stdout
    assert "lists its files as an audit pack's evidence does, and carries no `pack`" in ran.stdout
    assert "report report.md was not rendered from the result result.json" in ran.stdout


@pytest.mark.parametrize("name", ["report.md", "oscal.json", "poam.json"])
def test_a_report_edited_in_a_set_that_no_longer_looks_like_a_pack_is_named_by_rendering_it_again(pack, workspace,
                                                                                                   name):
    _tamper(pack, name)
    strip_pack(pack, ordinary=True)
    ran = verify(pack / "evidence.json", workspace)
    assert ran.returncode == 1, ran.stdout
    assert "carries no `pack`" not in ran.stdout
    assert f"report {name} was not rendered from the result result.json" in ran.stdout


def test_a_pack_stripped_of_pack_but_untouched_verifies_as_a_set_whose_reports_are_rendered_again(pack, workspace):
    strip_pack(pack, ordinary=True)
    ran = verify(pack / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 0, ran.stdout
    assert "by their sha256 only" not in ran.stdout


def test_a_signed_pack_verified_without_its_key_says_the_signature_was_not_checked(workspace, tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    private = tmp_path / "signing.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    folder = tmp_path / "audit"
    assert check(workspace, "--format", f"audit={folder}", "--signing-key", str(private),
                 "--signing-alg", "ES256").returncode == 1
    ran = verify(folder / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 0, ran.stdout
    assert "the evidence's signature was not checked (no --verification-key)" in ran.stdout.splitlines()[-1]


def test_a_rendered_from_that_names_another_result_is_named(made, workspace, tmp_path):
    folder = tmp_path / "again"
    assert govern("report", str(made / "result.json"), "--format", f"audit={folder}").returncode == 0
    doc = evidence_of(folder)
    doc["rendered_from"] = {"result": "sha256:00"}
    (folder / "evidence.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    ran = verify(folder / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1, ran.stdout
    assert "rendered_from: the evidence says it was rendered from result sha256:00, and the result it lists, " \
           "result.json, is sha256:" in ran.stdout


def test_the_inputs_only_ok_line_says_what_it_did_not_prove(made, workspace):
    ran = verify(made / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 0, ran.stdout
    assert "the findings, actions, budget, strategy and diagnosis sections are not proven" in ran.stdout


def test_a_member_linked_out_of_the_pack_is_named_and_never_opened(pack, other_run, workspace):
    (pack / "oscal.json").unlink()
    (pack / "oscal.json").symlink_to(other_run / "oscal.json")
    rewrite_evidence(pack)
    theirs = evidence_of(other_run)["run"]["started_at"]
    ran = verify(pack / "evidence.json", workspace, "--inputs-only")
    assert ran.returncode == 1, ran.stdout
    assert "outside the evidence's folder: report oscal.json (not read)" in ran.stdout
    assert theirs not in ran.stdout  # reading it is the only way to learn its run
