"""Where an audit pack goes (`--format audit=DIR`): a folder that holds one pack and nothing else.

An auditor handed DIR must never get a mix of two runs, nor a file govern did not write taken for
part of the pack. So DIR is new, or empty, or holds a previous pack and nothing else (the files its
evidence.json lists, and what an interrupted write of govern left); then the new pack replaces the
old one whole: members the new pack does not have are removed with the rest of the write, and put
back if it fails. A folder holding anything else is refused (exit 2) and left as it is.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from governance.cli._places import Reads, Refused, inside, real_folder
from governance.report import audit_listing
from governance.result import BESIDE, leftovers


def pack_target(spec: str, path: str, reads: Reads) -> str:
    """DIR of `audit=DIR` as given, or `Refused` saying why the pack cannot go there."""
    if not path:
        raise Refused(f"{spec}: the audit pack is a folder of files; give audit=DIR")
    if path == "-" or path.startswith(("/dev/", "/proc/")):
        raise Refused(f"{spec}: the audit pack is a folder of files, not a stream; give audit=DIR")
    if os.path.islink(path.rstrip("/") or "/"):
        raise Refused(f"{spec}: {path} is a symbolic link; govern does not write the pack through links "
                      "(name the folder it points to)")
    if os.path.exists(path) and not os.path.isdir(path):
        raise Refused(f"{spec}: {path} is a file, not a folder")
    try:
        folder = real_folder(Path(path) / BESIDE, reads.trusted)
    except (OSError, ValueError) as exc:
        raise Refused(f"{spec}: {path} is not a usable path: {exc}") from None
    reads.refuse(folder, path)
    given = [f for f in reads.files if inside(f, folder)]
    if given:  # replaced with the old pack, a pack's own result.json given back to `govern report`, say
        raise Refused(f"{spec}: {path} holds {given[0]}, one of this run's inputs; a pack must not replace what it "
                      "was made from: write it into another folder")
    try:
        stranger = strangers(folder)
    except (OSError, ValueError) as exc:
        raise Refused(f"{spec}: {path} cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    if stranger:
        raise Refused(f"{spec}: {path} holds {stranger[0]}, which is no file of an audit pack; the pack goes into a "
                      "new or empty folder, or replaces a pack written there before (a folder holding anything "
                      "else is left as it is)")
    return path


def _listing(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except FileNotFoundError:
        return []


def _plain_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def strangers(folder: Path) -> list[str]:
    """What in `folder` is neither a file of the pack written there before (listed by its evidence.json, or
    that evidence.json) nor what an interrupted write of govern left."""
    names = _listing(folder)
    listed = audit_listing(folder / BESIDE) if BESIDE in names else None
    ours = {BESIDE, *listed} if listed is not None else set()
    left = {entry for entry, _, _ in leftovers(names)}
    return [name for name in names if name not in left and not (name in ours and _plain_file(folder / name))]


def replaced(folder: Path, written: set[str]) -> list[str]:
    """The files of the previous pack in `folder` that the new one (`written`, file names) does not write:
    removed with the write, so that no member of the old pack stays beside the new one."""
    names = _listing(folder)
    listed = audit_listing(folder / BESIDE) if BESIDE in names else None
    return sorted(name for name in names if name in set(listed or ()) - written and _plain_file(folder / name))
