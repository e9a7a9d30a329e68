"""Is an audit pack whole, and is every file of it rendered from its result.json? (`govern verify DIR/evidence.json`)

verify.py already holds each file the pack's evidence.json lists to its sha256, the pack's result.json
to the workspace, and the folder to the files listed (report_set.py, closed). This holds every member
to the result: each is rendered again from result.json, as the pack's writer rendered it, and must be
that file byte for byte; the evidence itself must be the one a pack of that result carries. So a
member taken from another run, or edited, is named even where a forger rewrote its sha256 in
evidence.json, and so is a result.json swapped for another run's.

Rendering belongs to governance.report, which this layer does not import: the CLI hands in `Members`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from governance.evaluate.report_set import run_named
from governance.result import BESIDE, PACK, PACK_RESULT, RunResult

if TYPE_CHECKING:
    from governance.evaluate.verify import Recorded

# (result, the pack's language, the sha256 of the result `govern report` re-rendered or None) -> every file a pack
# of that result holds, name -> bytes, its evidence.json unsigned (governance.report.audit_members)
Members = Callable[[RunResult, str, str | None], dict[str, bytes]]
# (result, file name -> bytes of each report a set lists) -> whether govern renders each from that result: True,
# False, or None when no result alone renders such a file (governance.report.reproduced)
Reproduce = Callable[[RunResult, dict[str, bytes]], dict[str, bool | None]]


def differences(evidence: Path, rec: Recorded, result: RunResult | None, members: Members) -> list[str]:
    """Every way the pack whose evidence.json is `evidence` is not one pack of its result.json."""
    if result is None:
        return [f"audit pack: {PACK_RESULT} is missing or is not the file {BESIDE} lists, so no member of the pack "
                "can be held to it"]
    pack = rec.pack or {}
    try:
        expected = members(result, str(pack.get("lang")), rec.rendered_from.result if rec.rendered_from else None)
    except ValueError as exc:
        return [f"audit pack: {BESIDE}: {PACK}.lang: {exc}"]
    listed = {f.path: f.sha256 for f in rec.reports}
    problems = [f"audit pack: {name} is missing: a pack of {PACK_RESULT} holds it, and {BESIDE} does not list it"
                for name in sorted(set(expected) - set(listed) - {BESIDE})]
    problems += [f"audit pack: {name} is listed by {BESIDE}, but a pack of {PACK_RESULT} holds no such file"
                 for name in sorted(set(listed) - set(expected))]
    run = result.run.started_at if result.run else None
    for name in sorted(set(expected) & set(listed)):
        problems += _member(evidence.parent / name, expected[name], listed[name], run)
    return problems + _evidence(evidence, expected[BESIDE], run)


def _member(path: Path, expected: bytes, listed: str, run: str | None) -> list[str]:
    """The member at `path` is what its result renders to (missing or changed against its listed sha256:
    verify names it already)."""
    if not path.resolve().is_relative_to(path.parent.resolve()):
        return []  # a link out of the pack's folder: verify names it, and never opens it
    try:
        data = path.read_bytes() if path.is_file() else None
    except OSError:
        data = None
    if data is None or hashlib.sha256(data).hexdigest() != listed or data == expected:
        return []
    other = run_named(path)
    if other is not None and other != run:
        return [f"audit pack: {path.name} is of run {other}, not of the run {run} of {PACK_RESULT}: it was not "
                f"rendered from {PACK_RESULT}"]
    return [f"audit pack: {path.name} was not rendered from {PACK_RESULT}: rendered from it again, it differs "
            f"from line {_first_difference(data, expected)}"]


def _first_difference(data: bytes, expected: bytes) -> int:
    lines, again = data.split(b"\n"), expected.split(b"\n")
    return next((i for i, (a, b) in enumerate(zip(lines, again, strict=False), 1) if a != b),
                min(len(lines), len(again)) + 1)


def _evidence(path: Path, expected: bytes, run: str | None) -> list[str]:
    """evidence.json is the one a pack of the result carries: the result's run, inputs, verdict, … and the
    members as that result renders them (its signature apart)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # read whole before this: a file that changed since is named by its sha256 elsewhere
    doc.pop("signature", None)
    want = json.loads(expected)
    problems = []
    for key in sorted(set(doc) | set(want)):
        if doc.get(key) == want.get(key):
            continue
        if key == "run":
            recorded = (doc.get("run") or {}).get("started_at") if isinstance(doc.get("run"), dict) else None
            problems.append(f"audit pack: {BESIDE} records run {recorded}, and {PACK_RESULT} is of run {run}")
        elif key == "reports":
            problems.append(f"audit pack: {BESIDE} does not list the members as {PACK_RESULT} renders them "
                            "(sha256, size or media type)")
        else:
            problems.append(f"audit pack: {BESIDE}'s `{key}` is not the one a pack of {PACK_RESULT} carries")
    return problems


def unrendered(folder: Path, rec: Recorded, result: RunResult, own: str | None,
               reproduce: Reproduce) -> tuple[list[str], list[str]]:
    """A report set that is no pack: each report it lists (the result `own` apart) rendered again from its
    JSON result, so a report edited with its sha256 rewritten in evidence.json is named, pack or not. Returns
    the problems, and the reports govern cannot render from a result alone (held to their sha256 only).
    A report missing, changed against its sha256 or outside the folder is named by verify and not read here."""
    inside, reports = folder.resolve(), {}
    for f in rec.reports:
        path = folder / f.path
        if f.path == own or Path(f.path).is_absolute() or not path.resolve().is_relative_to(inside):
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == f.sha256:
            reports[f.path] = data
    said = reproduce(result, reports)
    problems = [f"report {name} was not rendered from the result {own} ({BESIDE} lists both): "
                "rendered from it again, it differs" for name, same in sorted(said.items()) if same is False]
    return problems, sorted(name for name, same in said.items() if same is None)
