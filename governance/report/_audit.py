"""`--format audit=DIR`: the audit pack, every file an auditor is handed, rendered from one result.

A pack is a folder that holds the run's JSON result, the reports made from it and an
`evidence.json` that hashes each of them (sha256, size, media type) and binds the result: the
result file's sha256 and its verdict digest (`pack.result`). Its members are declared once, in
`MEMBERS` below: adding a member is one line there, and the writer, the evidence and `govern
verify` all follow from it.

Every member is rendered from the result alone, in the pack's language, without a history
store's trend: so `govern verify` can render each one again from the pack's result.json and
hold the file to it byte for byte (`audit_members`). A member made from another run, or edited after
the pack was written, is then named even where its sha256 in evidence.json was rewritten to
match. The folder holds the pack and nothing else (docs/audit.md, "The audit pack").
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from governance import frameworks
from governance.report import _render, evidence
from governance.report._controls import render_controls
from governance.report._render import Rendered, RenderOptions, Seal, render
from governance.result import BESIDE, PACK, PACK_RESULT, RunResult
from governance.vocabulary import LANGS, messages

AUDIT_FORMAT = "audit"  # `--format audit=DIR`: a folder, not one file, so not among the single-file FORMATS
RESULT = PACK_RESULT  # the member every other is rendered from; verify reads it back
JSON, MARKDOWN, CSV = "application/json", "text/markdown; charset=utf-8", "text/csv; charset=utf-8"

Files = list[tuple[str, bytes]]  # (file name in the pack, its bytes)
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}")  # a file in the pack's folder, never a path or hidden


@dataclass(frozen=True)
class Member:
    """One kind of file in the pack: `files` renders its file(s) from the result (one, or one per framework)."""

    media_type: str
    files: Callable[[RunResult, RenderOptions], Files]


def single(name: str, fmt: str, media_type: str) -> Member:
    """The file `name`, the result rendered in the single-file format `fmt`."""
    return Member(media_type, lambda result, options: [(name, _bytes(render(fmt, result, options)))])


def per_framework(pattern: str, view: Callable[[RunResult, RenderOptions, str], str | bytes], media_type: str) -> Member:
    """One file per framework the result's controls cite (their `references` keys), named by `pattern`
    (`controls-{framework}.md`), each the view `view` renders of the result for that framework."""
    return Member(media_type, lambda result, options: [
        (pattern.format(framework=key), _bytes(view(result, options, key))) for key in cited(result)])


def framework(fmt: str) -> Callable[[RunResult, RenderOptions, str], str]:
    """One framework's view of the catalogue as the run recorded it (`govern controls --framework F --result R`),
    in `fmt`."""
    return lambda result, options, key: render_controls(
        fmt, frameworks.framework_view(frameworks.recorded_view(result), key), options)


def cited(result: RunResult) -> list[str]:
    """The frameworks the result's controls cite, by their reference key, sorted."""
    return sorted({str(key) for control in result.controls for key in control.references})


# The pack: (file name, renderer) in one list. The result first: every other member is rendered from it.
MEMBERS: tuple[Member, ...] = (
    single(RESULT, "json", JSON),
    single("oscal.json", "oscal", JSON),
    single("poam.json", "oscal-poam", JSON),
    per_framework("controls-{framework}.md", framework("markdown"), MARKDOWN),
    per_framework("controls-{framework}.csv", framework("csv"), CSV),
    single("report.md", "markdown", MARKDOWN),
)


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _options(lang: str) -> RenderOptions:
    """What a member is rendered with: the pack's language and nothing a result does not hold (no trend,
    no terminal), so the same result renders the same pack again."""
    return RenderOptions(lang=lang)


def _rendered(result: RunResult, lang: str) -> list[tuple[str, bytes, str]]:
    options = _options(lang)
    return [(name, data, member.media_type) for member in MEMBERS for name, data in member.files(result, options)]


def manifest(result: RunResult, files: Iterable[tuple[str, bytes, str]], lang: str,
             rendered_from: str | None) -> dict:
    """The pack's evidence.json (unsigned): the run's manifest, the pack (its language, the result it binds)
    and every member with its sha256, size and media type."""
    listed = sorted(files, key=lambda f: f[0])
    data = dict((name, content) for name, content, _ in listed)
    doc = evidence.manifest(result, rendered_from)
    doc[PACK] = {"format": AUDIT_FORMAT, "lang": lang, "result": {
        "path": RESULT, "sha256": hashlib.sha256(data[RESULT]).hexdigest(),
        "verdict": result.verdict.digest if result.verdict else None}}
    doc["reports"] = [{"path": name, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content),
                       "media_type": media} for name, content, media in listed]
    return doc


def pack(result: RunResult, folder: str, lang: str, rendered_from: str | None = None) -> list[tuple[str, bytes]]:
    """Every file of the pack for `folder`, as (path, bytes), evidence.json last and unsigned."""
    files = _rendered(result, lang)
    names = [name for name, _, _ in files]
    if len(set(names)) != len(names) or BESIDE in names:
        raise RuntimeError(f"the audit pack's members name one file twice: {sorted(names)}")  # a MEMBERS mistake
    # a name made from the result (a framework's key) is the workspace's word: never a path out of the folder
    unsafe = [name for name in names if not _FILE_NAME.fullmatch(name)]
    if unsafe:
        raise RuntimeError(f"the audit pack would hold {unsafe[0]!r}, which is not a plain file name")
    doc = manifest(result, files, lang, rendered_from)
    return [(str(Path(folder) / name), data) for name, data, _ in files] + \
        [(str(Path(folder) / BESIDE), _bytes(evidence.dump(doc)))]


def render_all(targets: list[tuple[str, str | None]], result: RunResult, options: RenderOptions | None = None,
               *, step: Callable[[str], None] | None = None, seal: Seal | None = None) -> Rendered:
    """Every requested report (governance/report/_render.py) and, for each `audit=DIR` target, the audit
    pack into DIR, its evidence.json completed by `seal` (signed) as the other manifests are."""
    options = options or RenderOptions()
    rendered = _render.render_all([(fmt, path) for fmt, path in targets if fmt != AUDIT_FORMAT], result, options,
                                  step=step, seal=seal)
    for folder in (path for fmt, path in targets if fmt == AUDIT_FORMAT and path is not None):
        if step is not None:
            step("rendering the audit pack")
        files: Rendered = list(pack(result, folder, options.lang, options.rendered_from))
        if seal is not None:
            files[-1] = (files[-1][0], _render.sealed_manifest(files[-1][1], seal))
        rendered += files
    return rendered


def audit_members(result: RunResult, lang: str, rendered_from: str | None) -> dict[str, bytes]:
    """What a pack of `result` holds, file name -> bytes, its evidence.json unsigned: what `govern verify`
    holds a pack's files to. A language govern does not write is a ValueError."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not one govern writes ({', '.join(LANGS)})")
    files = _rendered(result, lang)
    return {**{name: data for name, data, _ in files},
            BESIDE: _bytes(evidence.dump(manifest(result, files, lang, rendered_from)))}


def is_audit_pack(doc: object) -> bool:
    """Whether a parsed evidence.json is an audit pack's."""
    return isinstance(doc, dict) and doc.get("kind") == evidence.KIND and isinstance(doc.get(PACK), dict)


def audit_listing(path: Path) -> list[str] | None:
    """The files the pack whose evidence.json is `path` lists, or None when `path` is no pack's evidence."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not is_audit_pack(doc):
        return None
    return [str(r.get("path")) for r in doc.get("reports") or [] if isinstance(r, dict)]


# A single-file report govern renders from a result alone, by the suffix of its file name: what `govern verify`
# renders again for a report of any set. SARIF, JUnit and GitHub are not among them: `--path-prefix` shapes them
# and no evidence records it, so they are held to their sha256 alone.
_BY_SUFFIX = {".md": ("markdown",), ".html": ("html",)}
# a JSON report by its top-level key, as each format writes it first: SARIF, an evidence manifest, … are none
_JSON_MARKS = (('"plan-of-action-and-milestones"', "oscal-poam"), ('"assessment-results"', "oscal"),
               ('"schema_version"', "json"))


def _formats(name: str, data: bytes) -> tuple[str, ...]:
    suffix = Path(name).suffix.lower()
    if suffix != ".json":
        return _BY_SUFFIX.get(suffix, ())
    head = data[:64].decode("utf-8", "replace")  # the first key: a result's is schema_version, an evidence's kind
    return next(((fmt,) for mark, fmt in _JSON_MARKS if mark in head), ())


def reproduced(result: RunResult, reports: dict[str, bytes]) -> dict[str, bool | None]:
    """For each report (file name -> bytes) whether govern renders it from `result` in one of its languages:
    True, False, or None when govern renders no such file from a result alone (a table, SARIF, …). A pack's
    members are known by name (audit_members), any other report by its suffix; a Markdown report's trend
    section (read from a history store, not from the result) is set apart before comparing, so a report
    written with `--db` is held to everything else it says."""
    langs = {lang: {name: data for name, data in audit_members(result, lang, None).items() if name != BESIDE}
             for lang in LANGS}
    said: dict[str, bool | None] = {}
    for name, data in reports.items():
        formats = _formats(name, data)
        if name not in langs[LANGS[0]] and not formats:
            said[name] = None
            continue
        same = any(_same(name, data, members, formats, result, lang) for lang, members in langs.items())
        # an HTML report written with `--db` holds a trend no result holds: held to its sha256 alone
        said[name] = same or (None if "html" in formats and _has_trend(data) else False)
    return said


def _has_trend(data: bytes) -> bool:
    text = data.decode("utf-8", "replace")
    return any(messages(lang).text("history.section") in text for lang in LANGS)


def _same(name: str, data: bytes, members: dict[str, bytes], formats: tuple[str, ...], result: RunResult,
          lang: str) -> bool:
    if members.get(name) == data:
        return True
    options = _options(lang)
    return any(_bytes(render(fmt, result, options)) == _trendless(fmt, data, lang) for fmt in formats)


def _trendless(fmt: str, data: bytes, lang: str) -> bytes:
    """A Markdown report without its trend section (`## <history.section>` up to the next `## `)."""
    if fmt != "markdown":
        return data
    heading = f"## {messages(lang).text('history.section')}"
    lines, kept, inside = data.decode("utf-8", "replace").split("\n"), [], False
    for line in lines:
        if line == heading or (inside and line.startswith("## ")):
            inside = line == heading
        if not inside:
            kept.append(line)
    return "\n".join(kept).encode("utf-8")
