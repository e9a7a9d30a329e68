"""`--format github`: workflow-command annotations, read back the way the Actions runner reads them.

Rendered from golden results (tests/golden) and small hand-made ones: no OPA."""

from __future__ import annotations

import pytest

from governance.report import RenderOptions, render
from governance.result import CheckSummary, Engine, Finding, FindingLocation, Resource, RunResult, Summary, Tool
from tests import golden

COMMAND = {"critical": "error", "high": "error", "medium": "warning", "low": "warning", "info": "notice"}


def unescape_property(value: str) -> str:
    """The runner's own order (ActionCommand.UnescapeProperty): %25 last, so %253A stays %3A."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ",")):
        value = value.replace(code, char)
    return value.replace("%25", "%")


def unescape_data(value: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n")):
        value = value.replace(code, char)
    return value.replace("%25", "%")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """One line as the runner parses a command (ActionCommand.TryParseV2): `::name k=v,k=v::message`."""
    assert line.startswith("::"), line
    end = line.index("::", 2)
    info, message = line[2:end], line[end + 2:]
    command, _, listed = info.partition(" ")
    properties = {}
    for pair in filter(None, listed.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = unescape_property(value)
    return command, properties, unescape_data(message)


def annotations(result: RunResult, **options) -> list[tuple[str, dict[str, str], str]]:
    text = render("github", result, RenderOptions(**options))
    assert isinstance(text, str) and (text == "" or text.endswith("\n"))
    return [parse(line) for line in text.splitlines()]


def test_one_annotation_per_unwaived_finding_in_the_results_order():
    result = golden.result("acme-waivers")
    unwaived = [f for f in result.findings if f.status == "fail"]
    assert unwaived and len(unwaived) < len(result.findings)  # waived ones exist, and get no annotation
    titles = {c.id: c.title for c in result.checks}
    found = annotations(result, lang="en")
    assert len(found) == len(unwaived)
    for f, (command, properties, message) in zip(unwaived, found, strict=True):
        assert command == COMMAND[f.severity]
        assert message == f.message
        assert properties == {"file": f.location.file, "line": str(f.location.line), "col": str(f.location.column),
                              "title": f"{f.check} · {f.severity} · {titles[f.check]}"}
    assert {c for c, _, _ in found} >= {"error", "warning", "notice"}


def test_titles_speak_the_chosen_language_and_mark_new_findings():
    result = golden.result("acme-changes")  # compared with a baseline: one finding new
    zh = annotations(result)
    en = annotations(result, lang="en")
    new = [i for i, f in enumerate(f for f in result.findings if f.status == "fail") if f.baseline == "new"]
    assert new
    for i, ((_, p_zh, _), (_, p_en, _)) in enumerate(zip(zh, en, strict=True)):
        assert (" · 新增 · " in p_zh["title"]) == (" · new · " in p_en["title"]) == (i in new)
    assert zh[0][1]["title"].startswith("PLC-001 · 严重 · ") and en[0][1]["title"].startswith("PLC-001 · critical · ")
    # one language per annotation: the check's own Chinese title and message under zh
    unwaived = [f for f in result.findings if f.status == "fail"]
    titles_zh = {c.id: c.title_zh for c in result.checks}
    for f, (_, properties, message) in zip(unwaived, zh, strict=True):
        assert message == f.message_zh and properties["title"].endswith(f" · {titles_zh[f.check]}")


def test_paths_are_from_the_repository_root_with_a_prefix():
    result = golden.result("acme")
    plain, prefixed = annotations(result), annotations(result, path_prefix="./ops/governance/")
    assert [p["file"] for _, p, _ in prefixed] == [f"ops/governance/{p['file']}" for _, p, _ in plain]


def finding(message: str, *, severity="high", status="fail", location=None, check="ACME-001") -> Finding:
    return Finding(check=check, severity=severity, status=status, resource=Resource(kind="system", id="s-1"),
                   message=message, location=location, fingerprint="f1", waiver="wv-1" if status == "waived" else None)


def result_of(findings: list[Finding], title: str = "Production systems have an owner") -> RunResult:
    check = CheckSummary(id="ACME-001", title=title, severity="high", waivable=True, domain="acme", evaluated=1,
                         failed=1, waived=0, status="fail")
    return RunResult(workspace="w", as_of="2026-11-25", tool=Tool(version="0"),
                     engine=Engine(opa_version="1.20.2", policy_revision="sha256:x"), inputs=[], findings=findings,
                     checks=[check], summary=Summary(fail=len(findings), waived=0, by_severity={}))


def test_workflow_command_escaping_as_the_runner_expects():
    """%, CR and LF in the message; also : and , in a property (as @actions/core escapes them)."""
    hostile = finding("50% done\r\nnext: a, b", location=FindingLocation(file="inv/a:b,c%.yaml", line=3, column=7))
    text = render("github", result_of([hostile], title="t: x, y %"), RenderOptions(lang="en"))
    assert text == ("::error file=inv/a%3Ab%2Cc%25.yaml,line=3,col=7,title=ACME-001 · high · t%3A x%2C y %25"
                    "::50%25 done%0D%0Anext: a, b\n")
    (command, properties, message), = annotations(result_of([hostile], title="t: x, y %"), lang="en")
    assert properties["file"] == "inv/a:b,c%.yaml" and properties["title"] == "ACME-001 · high · t: x, y %"
    assert message == "50% done\r\nnext: a, b"


@pytest.mark.parametrize("message", [
    "x\n::add-mask::secret", "x\r::stop-commands::tok", "x\r\n::error file=README.md::forged", "done%0A::warning::forged",
])
def test_no_finding_can_start_a_command_of_its_own(message):
    text = render("github", result_of([finding(message, location=FindingLocation(file="a.yaml", line=1, column=1))]))
    lines = text.splitlines()
    assert len(lines) == 1 and lines[0].startswith("::error ")
    assert parse(lines[0])[2] == message  # shown to the reader as written


def test_a_title_or_path_cannot_add_a_property_or_end_the_list():
    located = FindingLocation(file="a.yaml,line=999,title=forged", line=2, column=1)
    (_, properties, message), = annotations(result_of([finding("m", location=located)], title="x::y,col=42"))
    assert properties == {"file": "a.yaml,line=999,title=forged", "line": "2", "col": "1",
                          "title": "ACME-001 · 高 · x::y,col=42"}
    assert message == "m"


def test_other_control_characters_are_written_out_not_sent_to_the_log():
    (_, properties, message), = annotations(result_of([finding("red \x1b[31m\u202e text")], title="a\x07b"))
    assert message == "red \\x1b[31m\\u202e text" and properties["title"].endswith("a\\x07b")


def test_a_finding_without_location_is_annotated_on_the_run_only():
    (command, properties, message), = annotations(result_of([finding("aggregate", severity="info")]))
    assert command == "notice" and set(properties) == {"title"} and message == "aggregate"


def test_nothing_to_annotate_prints_nothing():
    assert render("github", result_of([finding("accepted", status="waived")])) == ""
    assert render("github", result_of([])) == ""
