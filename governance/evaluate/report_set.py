"""Is a folder of reports one run's set? (`govern verify` of any file in it)

`govern check` writes its reports into a folder and then, last, an `evidence.json` that lists each
of them with its sha256. A run interrupted on the way (a SIGKILL during the renames) leaves some new
reports beside the previous run's evidence; a later run that writes fewer formats leaves the older
reports beside its own. Either way the folder no longer holds one run's set, and this says so,
naming the run each file comes from where the file names one (its start time: `run.started_at` in
the JSON result and evidence, SARIF's `startTimeUtc`, the HTML and Markdown run line, the JUnit
property `run_started`, OSCAL's `start`, the POA&M's `run-started` prop; CSV carries none, and is bound by its sha256 alone).

Every line says what is wrong with the set; none means the folder is whole (or holds no evidence).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from governance.result import BESIDE, PACK, leftovers
from governance.result import EVIDENCE_KIND as KIND

MAX_SNIFFED = 64 * 1024 * 1024  # a report larger than this is not searched for its run (its sha256 still binds it)
HEAD = 4096  # enough of a file to tell a govern result or evidence from a report of another format

_TIME = r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(?:Z|[+-][0-9:]+)?)"  # a run's start: nothing else is taken for one
# Where each format names its run's start; the first that matches a govern report names it.
_RUN_MARKS = [re.compile(p.replace("TIME", _TIME), re.MULTILINE) for p in (
    r'"started_at":\s*"TIME"',  # json, evidence
    r'"startTimeUtc":\s*"TIME"',  # sarif
    r'data-evidence="started">TIME<',  # html
    r'name="run_started" value="TIME"',  # junit
    r'^- [^:\n]+: TIME – ',  # markdown: its run line, "- <label>: start – end", in either language
    r'"name":\s*"run-started",\s*"ns":\s*"[^"]*",\s*"value":\s*"TIME"',  # oscal-poam: before its risk logs' starts
    r'"start":\s*"TIME"',  # oscal
)]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run_named(path: Path) -> str | None:
    """The start of the run a govern report names, or None (not a govern report, or one that names none)."""
    try:
        if path.stat().st_size > MAX_SNIFFED:
            return None
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if "govern" not in text:
        return None
    for mark in _RUN_MARKS:
        found = mark.search(text)
        if found:
            return found.group(1)
    return None


def _is_record(path: Path) -> bool:
    """A govern JSON result or evidence manifest, by its first keys (both are written with them first)."""
    try:
        with path.open("rb") as f:
            head = f.read(HEAD).decode("utf-8", "replace")
    except OSError:
        return True  # let the reader say what is wrong with it
    return '"schema_version"' in head or f'"{KIND}"' in head


def record_for(path: Path) -> Path:
    """What verify reads for `path`: the file itself, or, for a report of another format (SARIF, HTML, …)
    and for any file of an audit pack (its result.json too: a pack is verified whole), the evidence.json
    of its folder."""
    beside = path.parent / BESIDE
    if path.name != BESIDE and beside.is_file() and (not _is_record(path) or in_pack(path)):
        return beside
    return path


def in_pack(path: Path) -> bool:
    """Whether `path` is in the folder of an audit pack: its evidence.json says it is a pack's."""
    try:
        doc = json.loads((path.parent / BESIDE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and doc.get("kind") == KIND and isinstance(doc.get(PACK), dict)


def pack_without_pack(evidence: Path) -> list[str]:
    """An evidence that has an audit pack's shape (its reports listed with their size and media type, as only a
    pack's evidence lists them, or a framework's view of the pack among them) and no `pack`: refused, for
    without `pack` its folder would be verified as an ordinary set."""
    try:
        doc = json.loads(evidence.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(doc, dict) or doc.get("kind") != KIND or PACK in doc:
        return []
    entries = [r for r in doc.get("reports") or [] if isinstance(r, dict)]
    shaped = any("media_type" in r or "size" in r for r in entries) or any(
        _PACK_VIEW.fullmatch(str(r.get("path"))) for r in entries)
    return [f"audit pack: {BESIDE} lists its files as an audit pack's evidence does, and carries no `{PACK}`: "
            "a pack's evidence without it is refused (verified as an ordinary set, its members would not be "
            "held to its result)"] if shaped else []


_PACK_VIEW = re.compile(r"controls-[^/]+\.(md|csv)")  # a framework's view: only an audit pack holds one


def differences(path: Path, *, closed: bool = False) -> list[str]:
    """Why the folder of `path` (any file of a report set) does not hold one run's set: a report the
    evidence lists that another run wrote, a govern report it does not list, what an interrupted write
    left behind. The sha256 of the listed reports themselves is compared by verify (`reports`).

    A `closed` set (an audit pack) holds what its evidence lists and nothing else: every other entry of
    the folder is named, a govern report or not, a file or not."""
    folder = path.parent
    problems = [f"report set: {name} was left by an interrupted write of {target} (the next run into "
                f"{folder} removes it)" for name, target, _ in leftovers(_names(folder))]
    evidence = folder / BESIDE
    if not evidence.is_file():
        return problems
    try:
        data = json.loads(evidence.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [*problems, f"report set: {evidence} cannot be read as JSON"]
    if not isinstance(data, dict) or data.get("kind") != KIND:
        return problems  # someone else's evidence.json: not a set of ours
    run = (data.get("run") or {}).get("started_at") if isinstance(data.get("run"), dict) else None
    of_run = f"run {run}" if run else "a run without times"
    listed = {r.get("path"): r.get("sha256") for r in data.get("reports") or [] if isinstance(r, dict)}
    if "reports" not in data and path != evidence:
        problems.append(f"report set: {BESIDE} beside {path.name} lists no reports, so it binds none of them")
    for name, sha in listed.items():
        report = folder / str(name)
        if Path(str(name)).is_absolute() or not report.resolve().is_relative_to(folder.resolve()):
            continue  # never opened: verify names a report outside the evidence's folder
        if report.is_file() and _sha256(report) != sha:
            other = run_named(report)
            if other is not None and other != run:
                problems.append(f"report set: {name} is of run {other}, not of the {of_run} that {BESIDE} lists it for")
            elif path != evidence:  # given the evidence itself, verify names the changed report already
                problems.append(f"report set: {name} is not the file {BESIDE} ({of_run}) lists: another run wrote it")
        elif not report.is_file() and path != evidence:
            problems.append(f"report set: {name}, listed by {BESIDE} ({of_run}), is missing")
    left = {entry for entry, _, _ in leftovers(_names(folder))}  # named above
    for name in _names(folder):
        if closed and name != BESIDE and name not in listed and name not in left:
            problems.append(f"audit pack: {name} is in {folder}, and {BESIDE} does not list it (a pack holds the "
                            "files its evidence lists and nothing else)")
            continue
        if name == BESIDE or name in listed or name.startswith(".") or not (folder / name).is_file():
            continue
        if not (folder / name).resolve().is_relative_to(folder.resolve()):
            problems.append(f"report set: {name} is a link out of {folder} (not read)")
            continue
        other = run_named(folder / name)
        if other is not None or folder / name == path:
            named = f"of run {other}" if other else "a report"
            problems.append(f"report set: {name} ({named}) is beside {BESIDE} of {of_run}, which does not list it")
    return problems


def _names(folder: Path) -> list[str]:
    try:
        return sorted(p.name for p in folder.iterdir())
    except OSError:
        return []
