"""`--format evidence`: the evidence manifest an auditor keeps beside the reports.

It states what was evaluated and by what: the tool and OPA versions, the
policy revision, `as_of`, the UTC start and end of the run, the sha256 of
every workspace input file and every built-in library module, and the
selection (the checks skipped, each with who asked: cli, env or manifest). These are
the same keys the JSON result carries at its top level, so `govern verify`
accepts either document.

`govern check` also writes `evidence.json` into every folder it writes a
report to; that copy adds the sha256 of each report in the folder, binding
the reports to the inputs they were made from, and is renamed into place
after them (governance/evaluate/report_set.py reads a folder's set back).

The manifest binds the verdict too (`verdict.digest`, over the findings, the
checks and the summary) and, in a git repository, the workspace's commit.
Evidence that `govern report` writes re-renders a saved result rather than
recording a run: it says so (`rendered_from`, the sha256 of the result file
it read), and `govern verify` proves such a verdict only by evaluating again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from governance.report._escape import json_document
from governance.result import BESIDE as BESIDE  # re-exported: the writer and tests name it here
from governance.result import EVIDENCE_KIND, RunResult

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "evidence"
KIND = EVIDENCE_KIND


def manifest(result: RunResult, rendered_from: str | None = None) -> dict:
    """`rendered_from`: the sha256 of the saved result file this manifest re-renders (`govern report`);
    None for the evidence of a run."""
    doc = {
        "kind": KIND,
        "schema_version": result.schema_version,
        "workspace": result.workspace,
        "as_of": result.as_of,
        "run": result.run.model_dump() if result.run else None,
        "tool": result.tool.model_dump(),
        "engine": result.engine.model_dump(),
        "inputs": [f.model_dump() for f in result.inputs],
        "library": [f.model_dump() for f in result.library],
        "selection": result.selection.model_dump(),  # which checks were skipped, and who asked
        "outcome": {"fail_on": result.fail_on, **result.summary.model_dump()},
        "verdict": result.verdict.model_dump() if result.verdict else None,
        "git": result.git.model_dump() if result.git else None,
    }
    if rendered_from is not None:  # absent from a run's evidence: nothing there can be mistaken for it
        doc["rendered_from"] = {"result": rendered_from}
    return doc


def _dump(doc: dict) -> str:
    return json_document(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"  # machine data, as the JSON result


def render(result: RunResult, options: RenderOptions) -> str:
    return _dump(manifest(result, options.rendered_from))


def stream(path: str | None) -> bool:
    """Stdout (None or "-"), or a path that exists and is not a plain file or folder (/dev/null, a FIFO):
    something reports are sent into, not a file in a folder, so no manifest goes beside it."""
    if path is None or path == "-":
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _digest(content: str | bytes) -> str:
    return hashlib.sha256(content.encode("utf-8") if isinstance(content, str) else content).hexdigest()


def beside(result: RunResult, written: list[tuple[str | None, str | bytes]],
           rendered_from: str | None = None) -> list[tuple[str, str]]:
    """One `evidence.json` for each folder that receives a report file, listing every report of the
    folder with its sha256: the set a run leaves there.

    `written` holds (path, content) of every report about to be written
    (path None or "-" is stdout); streams (stdout, /dev/null, a pipe) get no
    manifest. Where the user asked for a file named evidence.json among the
    reports, it is that file, as given, that gets the folder's list.
    `rendered_from`: as for `manifest`.
    """
    folders: dict[Path, tuple[str, list[tuple[str, str]]]] = {}  # resolved -> (manifest as given, reports)
    for path, content in written:
        if path is None or stream(path):
            continue
        target = Path(path)
        key = target.parent.resolve()
        here = folders.setdefault(key, (str(target.parent / BESIDE), []))
        if target.name == BESIDE:
            folders[key] = (path, here[1])
        else:
            here[1].append((target.name, _digest(content)))
    out = []
    for manifest_path, reports in folders.values():
        if not reports:
            continue  # a requested manifest alone in its folder stays as rendered
        doc = manifest(result, rendered_from)
        doc["reports"] = [{"path": name, "sha256": digest} for name, digest in sorted(reports)]
        out.append((manifest_path, _dump(doc)))
    return out


def dump(doc: dict) -> str:
    """A manifest as govern writes it, for what completes one after rendering (its signature: evaluate/signature.py)."""
    return _dump(doc)
