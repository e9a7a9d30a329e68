"""Where reports go: `--format F[=PATH]` and `--output`, checked before anything
runs, then written all or nothing.

A run's reports are evidence that CI gates on and auditors sign, so a run that
fails leaves no report behind and no existing file changed: every report file
is first written to a temporary file beside its target (same directory, so
the rename is atomic), and only when all are complete are they renamed into
place, each folder's evidence.json after every report. Streams (stdout,
/dev/null, a pipe) cannot be taken back, so they come last; if one of them
fails, the renamed files are put back as they were. No file is written
through a symbolic link, nor where the run reads (_places.py).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Literal, Self

import click

from governance.cli._common import EXIT_ENGINE, exit_with, silence_stdout
from governance.cli._pack import pack_target, replaced, strangers
from governance.cli._places import (
    Reads,
    Refused,
    clean_leftovers,
    open_folder,
    real_folder,
    trusted_areas,
)
from governance.report import AUDIT_FORMAT, FORMATS, Rendered, evidence
from governance.result import BESIDE, temporary_name


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
    return [(path, content) for path, content in rendered if path is not None and not evidence.stream(path)]


def outputs(formats: tuple[str, ...], output: str | None, reads: Reads) -> list[tuple[str, str | None]]:
    """`--format json --output r.json` or `--format sarif=out/g.sarif` (repeatable), every target distinct.

    Every target is checked here, before anything runs: an empty path or a folder is a usage error, and
    a path that names stdout itself (/dev/stdout, or the very file or pipe stdout is) counts as stdout.
    So is a file that is a link, lies beyond a link out of the workspace and the current folder, or
    that the run reads (`reads`): see _places.py."""
    pairs: list[tuple[str, str | None]] = []
    for spec in formats or ("table",):
        name, eq, path = spec.partition("=")
        if name == AUDIT_FORMAT:  # a folder of files (_pack.py), never stdout or --output
            try:
                pairs.append((name, pack_target(spec, path, reads)))
            except Refused as exc:
                raise click.BadParameter(str(exc), param_hint="--format") from None
            continue
        if name not in FORMATS:
            raise click.BadParameter(f"unknown format {name!r} (known: {', '.join(sorted(FORMATS))}; "
                                     f"{AUDIT_FORMAT}=DIR for the audit pack)", param_hint="--format")
        if eq and not path:
            raise click.BadParameter(f"{spec}: the path after = is empty; give a file, or - for stdout",
                                     param_hint="--format")
        pairs.append((name, target(path, "--format", reads, f"{name}=") if path else None))
    unnamed = [i for i, (_, p) in enumerate(pairs) if p is None]
    if output is not None:
        if len(unnamed) != 1:
            raise click.BadParameter("--output goes with exactly one --format that has no =PATH", param_hint="--output")
        if not output:
            raise click.BadParameter("the path is empty; give a file, or - for stdout", param_hint="--output")
        pairs[unnamed[0]] = (pairs[unnamed[0]][0], target(output, "--output", reads))
    _refuse_collisions(pairs)
    return pairs


def packs(targets: list[tuple[str, str | None]]) -> list[str]:
    """The folders that receive an audit pack."""
    return [path for fmt, path in targets if fmt == AUDIT_FORMAT and path is not None]


# Names that are this process's stdout whatever it is connected to.
_STDOUT_NAMES = frozenset({"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})


def target(path: str, hint: str, reads: Reads, prefix: str = "") -> str:
    """A report target as given, `-` when it is stdout; a folder, a link, a path beyond a link out of
    the trusted areas, and a path the run reads are usage errors. A stream of the system (/dev/null,
    /dev/stderr) is written into where it is, never created or replaced; a link in a checkout to a
    device is a link like any other."""
    if _stdout(path) or _names_stdout(path):
        return "-"
    if path.endswith(("/", os.sep)) or os.path.isdir(path):
        raise click.BadParameter(f"{prefix}{path} is a folder; give the name of a file in it", param_hint=hint)
    if evidence.stream(path) and _system(path):
        return path  # /dev/null, /dev/stderr (a link to /proc/self/fd/2): the system's, not a checkout's
    try:
        real = real_folder(path, reads.trusted) / Path(path).name
        reads.refuse(real, path)
        if not evidence.stream(path) and os.path.islink(real.with_name(BESIDE)):  # the manifest written beside it
            raise Refused(f"{path}: {real.with_name(BESIDE)} beside it is a symbolic link; govern does not "
                          "write evidence through links")
    except Refused as exc:
        raise click.BadParameter(f"{prefix}{exc}", param_hint=hint) from None
    except (OSError, ValueError) as exc:  # an unreadable link, a NUL byte
        raise click.BadParameter(f"{prefix}{path} is not a usable path: {exc}", param_hint=hint) from None
    return path


def _system(path: str) -> bool:
    """A path in the system's own device and process folders, which no pull request can commit links into."""
    return os.path.abspath(path).startswith(("/dev/", "/proc/"))


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
    folders = {_where(path): f"{name}={path}" for name, path in pairs if name == AUDIT_FORMAT and path is not None}
    if len(folders) < len(packs(pairs)):
        raise click.BadParameter("two audit packs name the same folder", param_hint="--format")
    nested = [(inner, outer) for inner in folders for outer in folders if outer in inner.parents]
    if nested:
        raise click.BadParameter(f"{folders[nested[0][0]]} is inside the folder of {folders[nested[0][1]]}, which "
                                 "holds the audit pack alone", param_hint="--format")
    seen: dict[Path, str] = {}
    for name, path in pairs:
        if path is None or _stdout(path) or name == AUDIT_FORMAT:
            continue
        inside_pack = [pack for folder, pack in folders.items() if folder in (_where(path), *_where(path).parents)]
        if inside_pack:  # the pack's folder holds the pack and nothing else
            raise click.BadParameter(f"{name}={path} is inside the folder of {inside_pack[0]}, which holds the audit "
                                     "pack alone; write it elsewhere", param_hint="--format")
        where = _where(path)
        if where in seen:
            raise click.BadParameter(f"{seen[where]} and {name}={path} name the same file {where}", param_hint="--format")
        # evidence.beside writes evidence.json next to the reports; only the evidence format may take that name
        if where.name == BESIDE and name != "evidence" and not evidence.stream(path):
            raise click.BadParameter(f"{name}={path}: {BESIDE} is the evidence manifest govern writes beside "
                                     "the reports; give this report another name", param_hint="--format")
        seen[where] = f"{name}={path}"


def write_all(rendered: Rendered, nothing: str = "no report of this run was written",
              trusted: list[Path] | None = None, then: Callable[[], None] | None = None, packs: list[str] | None = None
              ) -> None:
    """Every report file in place, then the streams; on any failure no report is left changed (exit 3),
    and the error ends with `nothing` (what was not written, in the command's words). Each evidence.json
    is renamed into place after every report: a set interrupted on the way keeps the previous run's
    evidence, which then no longer matches the new reports, and `govern verify` says so.

    `trusted` are the areas a link above a target may lead into (as `outputs` checked them; a link that
    appeared since is an error here, never followed).

    `then` runs once every report file is in place and before any stream is sent (`check --record`
    records the run there); if it fails, the files are put back as they were and nothing is sent.

    `packs` are the folders that receive an audit pack (_pack.py): the files of a pack written there
    before that the new one does not write are removed with the write, and put back if it fails."""
    areas = trusted if trusted is not None else trusted_areas(None)
    files = on_disk(rendered)
    files.sort(key=lambda f: Path(f[0]).name == BESIDE)  # the evidence last
    streams = [(path, content) for path, content in rendered if evidence.stream(path)]
    streams.sort(key=lambda s: _stdout(s[0]))  # stdout last: once it shows a report, every file is in place
    targets = [_where(t) for t, _ in files] + [_where(p) for p, _ in streams if p is not None and not _stdout(p)]
    if sum(_stdout(p) for p, _ in streams) > 1 or len(set(targets)) != len(targets):
        raise RuntimeError("two reports share one target")  # outputs() refuses this; fail closed if it ever slips
    with _Transaction(nothing) as files_written:
        for path, content in files:
            files_written.stage(path, content, areas)
        for folder in packs or []:
            for name in _stale(folder, files, areas):
                files_written.retire(str(Path(folder) / name), areas)
        files_written.commit()
        if then is not None:
            then()
        for stream, sent in streams:
            _send(stream, sent)


def _stale(folder: str, files: list[tuple[str, str | bytes]], areas: list[Path]) -> list[str]:
    """The previous pack's files in `folder` that the new pack does not write; anything else that has
    appeared there since the run started is an error (nothing of the new pack is left)."""
    try:
        real = real_folder(Path(folder) / BESIDE, areas)
    except Refused as exc:
        raise OSError(errno.ELOOP, str(exc), folder) from None
    stranger = strangers(real)
    if stranger:
        raise OSError(errno.EEXIST, f"holds {stranger[0]}, which is no file of an audit pack", folder)
    return replaced(real, {Path(path).name for path, _ in files if _where(path).parent == real})


def _send(path: str | None, content: str | bytes) -> None:
    if path is not None and not _stdout(path):
        _write_stream(path, content.encode("utf-8") if isinstance(content, str) else content)
        return
    try:
        click.echo(content.decode("utf-8") if isinstance(content, bytes) else content, nl=False)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        raise OSError(0, "the program reading it stopped early", "stdout") from None


def _write_stream(path: str, data: bytes) -> None:
    """Into a stream that exists (/dev/null, a FIFO), never creating or truncating a file: one that has
    become a regular file since it was checked is an error."""
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    with os.fdopen(fd, "wb") as out:
        if stat.S_ISREG(os.fstat(out.fileno()).st_mode):
            raise OSError(errno.EEXIST, "is a file now, not the stream it was", path)
        out.write(data)


class _Transaction:
    """Stage files beside their targets, rename them all into place, and undo everything on failure.
    Every operation is relative to a descriptor of the target's real folder (_places.open_folder), so
    no link is followed once the folder is open."""

    def __init__(self, nothing: str) -> None:
        self.nothing = nothing
        self.folders: dict[Path, int] = {}  # real folder -> descriptor
        self.made: list[Path] = []  # folders created for reports, outermost first
        self.staged: list[tuple[int, str, str, str]] = []  # (folder, temporary, name, as given)
        self.kept: list[tuple[int, str, str | None]] = []  # (folder, name, second name of the file it replaced)
        self.retired: list[tuple[int, str, str]] = []  # (folder, name, as given): removed by the commit

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> Literal[False]:
        for folder, tmp, _, _ in self.staged:
            _quietly(os.unlink, tmp, dir_fd=folder)
        if exc is not None:
            self._undo()  # a previous file that cannot be put back keeps its hidden second name: never lost
        else:
            for folder, _, previous in self.kept:
                if previous is not None:
                    _quietly(os.unlink, previous, dir_fd=folder)
        for fd in self.folders.values():
            _quietly(os.close, fd)
        if isinstance(exc, OSError):
            where = exc.filename or "a report"
            exit_with(EXIT_ENGINE, [f"error: could not write {where}: {exc.strerror or exc}; {self.nothing}."])
        return False

    def stage(self, path: str, content: str | bytes, trusted: list[Path]) -> None:
        """Write `content` to a new hidden file beside `path`, flushed to disk."""
        name = Path(path).name
        try:
            try:
                folder = self._folder(real_folder(path, trusted))
            except Refused as exc:  # a link that appeared since the targets were checked
                raise OSError(errno.ELOOP, str(exc)) from None
            mode = _mode(folder, name)
            tmp = temporary_name(name, "tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=folder)
            self.staged.append((folder, tmp, name, path))
            with os.fdopen(fd, "wb") as out:
                os.fchmod(out.fileno(), mode)
                out.write(content.encode("utf-8") if isinstance(content, str) else content)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, path) from exc  # name the report, not the temporary

    def retire(self, path: str, trusted: list[Path]) -> None:
        """Remove the file `path` with the commit (a member of an audit pack that the new pack does not have)."""
        try:
            folder = self._folder(real_folder(path, trusted))
        except Refused as exc:
            raise OSError(errno.ELOOP, str(exc), path) from None
        self.retired.append((folder, Path(path).name, path))

    def commit(self) -> None:
        """Remove what is retired, then rename every staged file over its target; the folders are flushed
        before the first evidence.json."""
        for folder, name, path in self.retired:
            try:  # kept under its second name until the write is done, to be put back if it fails
                self.kept.append((folder, name, _second_name(folder, name)))
                os.unlink(name, dir_fd=folder)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, path) from exc
        flushed = False
        for folder, tmp, name, path in self.staged:
            try:
                if name == BESIDE and not flushed:
                    self._flush()
                    flushed = True
                self.kept.append((folder, name, _second_name(folder, name)))
                os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, path) from exc
        self._flush()

    def _flush(self) -> None:
        for fd in self.folders.values():
            os.fsync(fd)

    def _folder(self, real: Path) -> int:
        if real not in self.folders:
            fd = open_folder(real, self.made)
            self.folders[real] = fd
            clean_leftovers(fd)  # what a killed run left here
        return self.folders[real]

    def _undo(self) -> None:
        for folder, name, previous in reversed(self.kept):
            if previous is None:
                _quietly(os.unlink, name, dir_fd=folder)
            elif _same_file(folder, previous, name):  # its rename failed: rename(2) between two links does nothing
                _quietly(os.unlink, previous, dir_fd=folder)
            else:  # the very file that was there: same inode, same times
                _quietly(os.replace, previous, name, src_dir_fd=folder, dst_dir_fd=folder)
        for made in reversed(self.made):
            _quietly(os.rmdir, made)  # only when empty: never a folder that holds anything else


def _same_file(folder: int, one: str, other: str) -> bool:
    try:
        return os.path.samestat(os.stat(one, dir_fd=folder, follow_symlinks=False),
                                os.stat(other, dir_fd=folder, follow_symlinks=False))
    except OSError:
        return False


def _mode(folder: int, name: str) -> int:
    """The permissions a plain write would give: the existing file's, else 0666 less the umask.
    A folder, or a link (one that appeared since the targets were checked), is an error."""
    try:
        st = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory")
    if stat.S_ISLNK(st.st_mode):
        raise OSError(errno.ELOOP, "is a symbolic link; govern does not write reports through links")
    return st.st_mode & 0o777


def _second_name(folder: int, name: str) -> str | None:
    """A hard link to the file about to be replaced (a copy where links are not allowed), to put it back."""
    try:
        os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return None
    previous = temporary_name(name, "old")
    try:
        os.link(name, previous, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
    except OSError:
        _copy(folder, name, previous)
    return previous


def _copy(folder: int, name: str, copy: str) -> None:
    src = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder)
    with os.fdopen(src, "rb") as old:
        mode = os.fstat(old.fileno()).st_mode & 0o777
        dst = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=folder)
        with os.fdopen(dst, "wb") as new:
            shutil.copyfileobj(old, new)


def _quietly(action: Callable[..., object], *args: object, **kwargs: object) -> None:
    """Clean-up must not hide the error that made it necessary."""
    try:
        action(*args, **kwargs)
    except OSError:
        pass
