"""Where reports go: `--format F[=PATH]` and `--output`, checked before anything
runs, then written all or nothing.

A run's reports are evidence that CI gates on and auditors sign, so a run that
fails leaves no report behind and no existing file changed: every report file
is first written to a temporary file beside its target (same directory, so
the rename is atomic), and only when all are complete are they renamed into
place. Streams (stdout, /dev/null, a pipe) cannot be taken back, so they come
last; if one of them fails, the renamed files are put back as they were.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Literal, Self

import click

from governance.cli._common import EXIT_ENGINE, exit_with, silence_stdout
from governance.report import FORMATS, Rendered
from governance.report.evidence import BESIDE
from governance.report.evidence import stream as _stream


def _stdout(path: str | None) -> bool:
    return path is None or path == "-"


def _where(path: str) -> Path:
    """The file a path names, as the OS sees it: relative, `..` and symlinked spellings of one file compare equal."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # symlink loop, NUL byte
        raise click.BadParameter(f"{path!r} is not a usable path: {exc}", param_hint="--format") from None


def on_disk(rendered: Rendered) -> list[tuple[str, str | bytes]]:
    """The reports that become files in a folder (those that get an evidence.json beside them)."""
    return [(path, content) for path, content in rendered if path is not None and not _stream(path)]


def outputs(formats: tuple[str, ...], output: str | None) -> list[tuple[str, str | None]]:
    """`--format json --output r.json` or `--format sarif=out/g.sarif` (repeatable), every target distinct.

    Every target is checked here, before anything runs: an empty path or a folder is a usage error, and
    a path that names stdout itself (/dev/stdout, or the very file or pipe stdout is) counts as stdout."""
    pairs: list[tuple[str, str | None]] = []
    for spec in formats or ("table",):
        name, eq, path = spec.partition("=")
        if name not in FORMATS:
            raise click.BadParameter(f"unknown format {name!r} (known: {', '.join(sorted(FORMATS))})", param_hint="--format")
        if eq and not path:
            raise click.BadParameter(f"{spec}: the path after = is empty; give a file, or - for stdout",
                                     param_hint="--format")
        pairs.append((name, _target(path, f"{name}=", "--format") if path else None))
    unnamed = [i for i, (_, p) in enumerate(pairs) if p is None]
    if output is not None:
        if len(unnamed) != 1:
            raise click.BadParameter("--output goes with exactly one --format that has no =PATH", param_hint="--output")
        if not output:
            raise click.BadParameter("the path is empty; give a file, or - for stdout", param_hint="--output")
        pairs[unnamed[0]] = (pairs[unnamed[0]][0], _target(output, "", "--output"))
    _refuse_collisions(pairs)
    return pairs


# Names that are this process's stdout whatever it is connected to.
_STDOUT_NAMES = frozenset({"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})


def _target(path: str, prefix: str, hint: str) -> str:
    """A report target as given, `-` when it is stdout; a folder is a usage error (a report is a file)."""
    if _stdout(path) or _names_stdout(path):
        return "-"
    if path.endswith(("/", os.sep)) or os.path.isdir(path):
        raise click.BadParameter(f"{prefix}{path} is a folder; give the name of a file in it", param_hint=hint)
    return path


def _names_stdout(path: str) -> bool:
    """`path` is stdout: by name, or (when stdout is a file, pipe, socket or terminal) the same file as stdout.
    /dev/null is left alone: two reports may both be thrown away."""
    try:
        if os.path.normpath(os.path.abspath(path)) in _STDOUT_NAMES:
            return True
    except (ValueError, OSError):  # NUL byte, vanished working folder: _where reports it
        return False
    try:
        fd = sys.stdout.fileno()
        out = os.fstat(fd)
        interactive = os.isatty(fd)
    except (AttributeError, OSError, ValueError):  # closed, or not a real file (a test runner's buffer)
        return False
    if not (stat.S_ISREG(out.st_mode) or stat.S_ISFIFO(out.st_mode) or stat.S_ISSOCK(out.st_mode) or interactive):
        return False
    for spelling in (path, _resolved(path)):  # as given (a /proc link to a pipe), and as it would be written
        if spelling is None:  # did not resolve
            continue
        try:
            st = os.stat(spelling)
        except (OSError, ValueError, TypeError):
            continue
        if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
            return True
    return False


def _resolved(path: str) -> Path | None:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def _refuse_collisions(pairs: list[tuple[str, str | None]]) -> None:
    """Two reports in one place would leave only the last, or interleave on stdout."""
    shown = [name for name, path in pairs if _stdout(path)]
    if len(shown) > 1:
        raise click.BadParameter(f"{' and '.join(shown)} would both go to stdout; give all but one of them =PATH",
                                 param_hint="--format")
    seen: dict[Path, str] = {}
    for name, path in pairs:
        if path is None or _stdout(path):
            continue
        where = _where(path)
        if where in seen:
            raise click.BadParameter(f"{seen[where]} and {name}={path} name the same file {where}", param_hint="--format")
        # evidence.beside writes evidence.json next to the reports; only the evidence format may take that name
        if where.name == BESIDE and name != "evidence" and not _stream(path):
            raise click.BadParameter(f"{name}={path}: {BESIDE} is the evidence manifest govern writes beside "
                                     "the reports; give this report another name", param_hint="--format")
        seen[where] = f"{name}={path}"


def write_all(rendered: Rendered, nothing: str = "no report of this run was written") -> None:
    """Every report file in place, then the streams; on any failure no report is left changed (exit 3),
    and the error ends with `nothing` (what was not written, in the command's words)."""
    files = [(_where(path), content) for path, content in on_disk(rendered)]
    streams = [(path, content) for path, content in rendered if _stream(path)]
    streams.sort(key=lambda s: _stdout(s[0]))  # stdout last: once it shows a report, every file is in place
    targets = [t for t, _ in files] + [_where(p) for p, _ in streams if p is not None and not _stdout(p)]
    if sum(_stdout(p) for p, _ in streams) > 1 or len(set(targets)) != len(targets):
        raise RuntimeError("two reports share one target")  # outputs() refuses this; fail closed if it ever slips
    with _Transaction(nothing) as files_written:
        for target, content in files:
            files_written.stage(target, content)
        files_written.commit()
        for path, content in streams:
            _send(path, content)


def _send(path: str | None, content: str | bytes) -> None:
    if path is not None and not _stdout(path):
        with open(path, "wb") as out:
            out.write(content.encode("utf-8") if isinstance(content, str) else content)
        return
    try:
        click.echo(content.decode("utf-8") if isinstance(content, bytes) else content, nl=False)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        raise OSError(0, "the program reading it stopped early", "stdout") from None


class _Transaction:
    """Stage files beside their targets, rename them all into place, and undo everything on failure."""

    def __init__(self, nothing: str) -> None:
        self.nothing = nothing
        self.made: list[Path] = []  # folders created for reports, outermost first
        self.staged: list[tuple[Path, Path]] = []  # (temporary, target)
        self.kept: list[tuple[Path, Path | None]] = []  # (target, second name of the file it replaced)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> Literal[False]:
        for tmp, _ in self.staged:
            _quietly(tmp.unlink, missing_ok=True)
        if exc is not None:
            self._undo()  # a previous file that cannot be put back keeps its hidden second name: never lost
        else:
            for _, previous in self.kept:
                if previous is not None:
                    _quietly(previous.unlink, missing_ok=True)
        if isinstance(exc, OSError):
            where = exc.filename or "a report"
            exit_with(EXIT_ENGINE, [f"error: could not write {where}: {exc.strerror or exc}; {self.nothing}."])
        return False

    def stage(self, target: Path, content: str | bytes) -> None:
        """Write `content` to a new hidden file beside `target`, flushed to disk."""
        try:
            self._make_folder(target.parent)
            if target.is_dir():
                raise IsADirectoryError(21, "Is a directory")
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            self.staged.append((Path(name), target))
            with os.fdopen(fd, "wb") as out:
                os.fchmod(out.fileno(), _mode(target))
                out.write(content.encode("utf-8") if isinstance(content, str) else content)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(target)) from exc  # name the report, not the temporary

    def commit(self) -> None:
        for tmp, target in self.staged:
            try:
                self.kept.append((target, _second_name(target)))
                os.replace(tmp, target)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(target)) from exc

    def _make_folder(self, folder: Path) -> None:
        missing = []
        while not folder.exists() and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir()
            self.made.append(path)

    def _undo(self) -> None:
        for target, previous in reversed(self.kept):
            if previous is None:
                _quietly(target.unlink, missing_ok=True)
            else:
                _quietly(os.replace, previous, target)  # the very file that was there: same inode, same times
        for folder in reversed(self.made):
            _quietly(folder.rmdir)  # only when empty: never a folder that holds anything else


def _mode(target: Path) -> int:
    """The permissions a plain write would give: the existing file's, else 0666 less the umask."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _second_name(target: Path) -> Path | None:
    """A hard link to the file about to be replaced (a copy where links are not allowed), to put it back."""
    if not target.exists():
        return None
    previous = target.with_name(f".{target.name}.{secrets.token_hex(6)}.old")
    try:
        os.link(target, previous)
    except OSError:
        shutil.copy2(target, previous)
    return previous


def _quietly(action: Callable[..., object], *args: object, **kwargs: object) -> None:
    """Clean-up must not hide the error that made it necessary."""
    try:
        action(*args, **kwargs)
    except OSError:
        pass
