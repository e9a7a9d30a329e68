"""`--format evidence`: the evidence manifest an auditor keeps beside the reports.

It states what was evaluated and by what: the tool and OPA versions, the
policy revision, `as_of`, the UTC start and end of the run, the sha256 of
every workspace input file and every built-in library module, and the
selection (the checks skipped, each with who asked: cli, env or manifest). These are
the same keys the JSON result carries at its top level, so `govern verify`
accepts either document.

`govern check` also writes `evidence.json` into every folder it writes a
report to; that copy adds the sha256 of each report in the folder, binding
the reports to the inputs they were made from.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from governance.report._escape import json_document
from governance.result import RunResult

if TYPE_CHECKING:  # the package imports its formats
    from governance.report import RenderOptions

FORMAT = "evidence"
KIND = "govern-evidence"
BESIDE = "evidence.json"


def manifest(result: RunResult) -> dict:
    return {
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
    }


def _dump(doc: dict) -> str:
    return json_document(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"  # machine data, as the JSON result


def render(result: RunResult, options: RenderOptions) -> str:
    return _dump(manifest(result))


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


def beside(result: RunResult, written: list[tuple[str | None, str | bytes]]) -> list[tuple[str, str]]:
    """One `evidence.json` for each folder that receives a report file.

    `written` holds (path, content) of every report about to be written
    (path None or "-" is stdout); streams (stdout, /dev/null, a pipe) get no
    manifest. A folder where the user already asked for a file named
    evidence.json gets none, so a requested manifest is never overwritten.
    """
    folders: dict[Path, tuple[Path, list[tuple[str, str]]]] = {}  # resolved -> (as given, reports)
    taken: set[Path] = set()
    for path, content in written:
        if path is None or stream(path):
            continue
        target = Path(path)
        key = target.parent.resolve()
        if target.name == BESIDE:
            taken.add(key)
            continue
        folders.setdefault(key, (target.parent, []))[1].append((target.name, _digest(content)))
    out = []
    for key, (folder, reports) in folders.items():
        if key in taken:
            continue
        doc = manifest(result)
        doc["reports"] = [{"path": name, "sha256": digest} for name, digest in sorted(reports)]
        out.append((str(folder / BESIDE), _dump(doc)))
    return out
