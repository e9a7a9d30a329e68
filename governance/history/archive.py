"""The archive `govern history prune` writes and `govern history record` loads back: a gzipped tar of
the archived results, each under its digest (`<digest>.json`), byte for byte as recorded.

An archive is read, never extracted: only regular members named like a result are read, each up to a
size limit, into memory; a name with a folder, a link or a device in it is refused.
"""

from __future__ import annotations

import io
import re
import tarfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from governance.history.errors import StoreInputError

MAX_MEMBER = 256 << 20  # as large as `govern history record` keeps validated results in memory: no real result is more
# An archive's results in all: JSON compresses some tenfold, never a thousandfold as a crafted (bomb) archive does.
MAX_RATIO = 64
_MEMBER = re.compile(r"[0-9a-f]{64}\.json")


def archived(results: Iterable[tuple[str, bytes]]) -> bytes:
    """The archive of `results` (digest, bytes), in the order given; the same results give the same bytes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
        for digest, data in results:
            info = tarfile.TarInfo(f"{digest}.json")
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def is_archive(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"  # gzip: no result (JSON text) starts with these bytes


def members(path: Path, data: bytes) -> Iterator[tuple[str, bytes]]:
    """Each archived result of the archive `data` (read from `path`): its name for messages, and its bytes.
    Read as a stream, each member's size bounded before it is read, and all of them together (exit 2 beyond)."""
    budget = max(MAX_MEMBER, MAX_RATIO * len(data))
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r|gz") as tar:
            for info in tar:
                if not info.isreg() or not _MEMBER.fullmatch(info.name):
                    raise StoreInputError(f"{path}: {info.name!r} is not an archived result (an archive of "
                                          "`govern history prune` holds only <digest>.json files)")
                budget -= info.size
                if info.size > MAX_MEMBER or budget < 0:
                    raise StoreInputError(f"{path}: {info.name!r} would decompress beyond what any archive of real "
                                          f"results holds ({MAX_MEMBER >> 20} MiB a result, {MAX_RATIO} times the "
                                          "archive's size in all): not read")
                handle = tar.extractfile(info)
                if handle is None:
                    raise StoreInputError(f"{path}: {info.name!r} cannot be read")
                yield f"{path}:{info.name}", handle.read()
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise StoreInputError(f"{path}: not an archive of `govern history prune`: {exc}") from None
