"""Every citation of the handbook names a section of its outline (docs/handbook.md): a control's
`references.handbook`, and every `§x.y` in code, Rego, policies, controls, docs and the files
`govern init` writes. The budget's split across technology, talent and operations is §1.3.2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from governance.load import read_document
from tests.conftest import REPO, govern

OUTLINE = REPO / "docs" / "handbook.md"
SECTION = re.compile(r"§\s?(\d+(?:\.\d+)*)")
CHAPTER = {"第一章": "1", "第二章": "2", "第三章": "3", "第四章": "4", "第五章": "5"}
SCANNED = ("governance", "checks", "controls", "policies", "docs", "examples", "tests", "README.md")
TEXT = {".py", ".rego", ".yaml", ".yml", ".md", ".j2", ".txt", ".json", ".csv"}


def outline() -> set[str]:
    """The section numbers of the outline's table (a chapter by its number)."""
    rows = [line.split("|")[1].strip() for line in OUTLINE.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith("| §")]
    return {CHAPTER.get(row, row) for row in rows}


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in TEXT and "golden" not in p.parts)


def cited_in_text(paths: list[Path], base: Path) -> list[tuple[str, str]]:
    return [(f"{p.relative_to(base)}:{n}", m) for p in paths
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) for m in SECTION.findall(line)]


def cited_by_controls(paths: list[Path], base: Path) -> list[tuple[str, str]]:
    out = []
    for p in paths:
        doc = load(p)
        for control in doc.get("controls", []) if isinstance(doc, dict) else []:
            refs = (control.get("references") or {}).get("handbook")
            for section in refs if isinstance(refs, list) else [refs] if refs is not None else []:
                out.append((f"{p.relative_to(base)} {control['id']}", str(section)))
    return out


def load(path: Path) -> dict:
    data = read_document(path.parent, path).data
    return data if isinstance(data, dict) else {}


def control_files(base: Path) -> list[Path]:
    return sorted(p for p in base.rglob("*.yaml") if "controls" in p.relative_to(base).parts)


def test_the_outline_is_in_the_repository_with_its_sections():
    sections = outline()
    assert {"1", "1.1.1", "1.2.2", "1.3.1", "1.3.2", "2", "2.1", "2.1.1", "2.1.2"} <= sections
    assert "the handbook's outline" in OUTLINE.read_text(encoding="utf-8").lower()


def test_every_citation_in_the_repository_names_a_section_of_the_outline():
    paths = [p for name in SCANNED for p in ([REPO / name] if (REPO / name).is_file() else files(REPO / name))]
    cited = cited_in_text(paths, REPO) + cited_by_controls(control_files(REPO), REPO)
    assert len(cited) > 40  # the scan finds the citations at all
    sections = outline()
    assert [(where, s) for where, s in cited if s not in sections] == []


def test_the_policies_govern_init_writes_cite_the_outline(tmp_path):
    proc = govern("init", str(tmp_path / "ws"))
    assert proc.returncode == 0, proc.stderr
    written = files(tmp_path / "ws")
    cited = cited_in_text(written, tmp_path) + cited_by_controls(control_files(tmp_path), tmp_path)
    assert cited, "init's policies cite the handbook"
    sections = outline()
    assert [(where, s) for where, s in cited if s not in sections] == []
    budget = (tmp_path / "ws" / "policies" / "budget.yaml").read_text(encoding="utf-8")
    assert SECTION.findall(budget)[0] == "1.3.2"  # the budget split, not §2.1 technology architecture


@pytest.mark.parametrize(("prefix", "section"), [("BUD-", "1.3.2"), ("GOV-", "1.3.2"), ("WAV-", "1.3.2")])
def test_budget_and_committee_controls_cite_the_committee_and_resources_section(prefix, section):
    controls = [c for p in sorted((REPO / "controls").glob("*.yaml")) for c in load(p)["controls"]
                if all(check.startswith(prefix) for check in c["checks"])]
    assert controls and {str(c["references"]["handbook"]) for c in controls} == {section}


def test_placement_cites_the_cloud_deployment_section_and_residency_the_laws_only():
    placement = load(REPO / "controls" / "placement.yaml")["controls"]
    cited = {c["id"]: c["references"].get("handbook") for c in placement}
    assert {s for s in cited.values() if s} == {"2.1.1"}
    residency = next(c for c in placement if "PLC-002" in c["checks"])
    assert "handbook" not in residency["references"]  # the outline: residency comes from the laws, not the handbook
