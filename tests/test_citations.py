"""Comments, docstrings and docs cite only what is in the repository: a page of `docs/`, a check's METADATA,
a file of the tree. A citation of a file that is not here, or of an issue number, sends a reader nowhere."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PYTHON = sorted([*(ROOT / "governance").rglob("*.py"), *(ROOT / "tests").rglob("*.py")])
DOCS = sorted([*(ROOT / "docs").rglob("*.md"), ROOT / "README.md"])
MARKDOWN_FILE = re.compile(r"(?<![\w./-])((?:\.\./|[\w-]+/)*[\w-]+\.md)\b(?![\w-])")
NOWHERE = [
    re.compile(r"\bissues? ?#?\d+", re.IGNORECASE),  # an issue number: it names a tracker the repository does not hold
    re.compile(r"share[d]/spec|\.\./share[d]\b"),  # the product contract is outside the repository
]


def _prose(path: Path) -> str:
    """What a reader reads as prose: a page of docs without its code (a command's `reports/report.md` is a file
    it writes), a Python file's comments and docstrings (its other strings are data, for the same reason)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return re.sub(r"`[^`\n]*`", "", re.sub(r"^```.*?^```", "", text, flags=re.M | re.S))
    comments = [t.string for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.COMMENT]
    documented = (n for n in ast.walk(ast.parse(text))
                  if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef))
    return "\n".join(comments + [doc for n in documented if (doc := ast.get_docstring(n))])


def _cited(text: str) -> list[str]:
    return [m.group(1) for m in MARKDOWN_FILE.finditer(text)]


def _exists(citation: str, near: Path) -> bool:
    """Where a reader would look: beside the citing file, at the repository's root, in docs/."""
    return any((place / citation).is_file() for place in (near.parent, ROOT, ROOT / "docs"))


@pytest.mark.parametrize("path", PYTHON + DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_cited_page_is_in_the_repository(path):
    if path == Path(__file__):
        return  # its own examples
    text = _prose(path)
    assert [c for c in _cited(text) if not _exists(c, path)] == []
    assert [m.group() for pattern in NOWHERE for m in pattern.finditer(text)] == []


def test_a_citation_of_a_page_not_here_is_found():
    here = ROOT / "governance" / "x.py"
    contract, developers, model = (f"{name}.md" for name in ("checks", "DEVELOPERS", "model"))  # pages not here
    reference = f"docs/reference/{contract}"
    assert _cited(f"see {contract} of the contract, {reference} and {developers}") == [contract, reference, developers]
    assert [c for c in [contract, reference, developers, model] if not _exists(c, here)] == [contract, developers, model]
    assert _cited('messages["checks.md_title"]') == []
