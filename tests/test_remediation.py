"""A check says how to fix what it finds (METADATA `custom.remediation`, zh and en): the catalogue
reads it, the result carries it on the check, and a workspace check may say it or not, but never
malformed (exit 2 at its METADATA block). Evaluated on real OPA."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.result import CheckSummary, RunResult
from tests.conftest import EXAMPLE, check

HEAD = "package govern.checks.fixing\n\nimport data.govern.lib\n\n"
RULE = 'FIX_001 := lib.check(rego.metadata.rule(), {"sys-x"}, {lib.violation("system", "sys-x", "no owner")})\n'


def declared(remediation: str = "") -> str:
    """A workspace check FIX-001 whose METADATA ends with `remediation` (YAML lines, as written under custom)."""
    return (HEAD + "# METADATA\n# title: Every system names its owner\n# custom:\n#   id: FIX-001\n"
            "#   severity: low\n#   waivable: true\n#   resource: system\n" + remediation + RULE)


def run(example: Path, text: str):
    (example / "checks" / "fixing.rego").write_text(text, encoding="utf-8")
    return check(example, "--format", "json")


def summary(proc, cid: str) -> CheckSummary:
    return next(c for c in RunResult.model_validate_json(proc.stdout).checks if c.id == cid)


def test_a_workspace_checks_remediation_reaches_the_result_on_one_line(opa_binary, example):
    proc = run(example, declared("#   remediation:\n#     zh: 为系统填写负责人。\n#     en: >-\n"
                                 "#       Name the system's owner\n#       in its file.\n"))
    assert proc.returncode == 1, proc.stderr
    assert summary(proc, "FIX-001").remediation == {"zh": "为系统填写负责人。", "en": "Name the system's owner in its file."}


def test_a_workspace_check_may_say_it_in_one_language_or_not_at_all(opa_binary, example):
    proc = run(example, declared("#   remediation:\n#     en: Name the owner.\n"))
    assert proc.returncode == 1, proc.stderr
    assert summary(proc, "FIX-001").remediation == {"en": "Name the owner."}
    proc = run(example, declared())
    assert proc.returncode == 1, proc.stderr
    assert summary(proc, "FIX-001").remediation == {}


@pytest.mark.parametrize("lines", [
    "#   remediation: Name the owner.\n",
    "#   remediation:\n#     fr: Nommez le responsable.\n",
    "#   remediation:\n#     en: 3\n",
    '#   remediation:\n#     en: "  "\n',
    "#   remediation: {}\n",
], ids=["text", "unknown-language", "not-text", "blank", "empty"])
def test_a_malformed_remediation_is_exit_2_at_the_metadata_block(opa_binary, example, lines):
    text = declared(lines)
    proc = run(example, text)
    metadata = text.splitlines().index("# METADATA") + 1
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    assert f"checks/fixing.rego:{metadata}:1: METADATA custom.remediation must map zh and/or en to text" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_builtin_checks_remediation_reaches_the_result(opa_binary):
    proc = check(EXAMPLE, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    fix = summary(proc, "MLP-001").remediation
    assert set(fix) == {"zh", "en"} and "mlps_filing_id" in fix["zh"] and "mlps_filing_id" in fix["en"]


def test_a_result_saved_before_checks_declared_remediation_still_loads():
    saved = {"id": "OLD-001", "title": "Old", "severity": "low", "waivable": True, "domain": "custom",
             "evaluated": 1, "failed": 0, "waived": 0, "status": "pass"}
    assert CheckSummary.model_validate(saved).remediation == {}
