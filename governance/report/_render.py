"""Rendering: the options every format takes, the formats found by name, and one result rendered to many."""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from governance.report import evidence  # a format like the others; also places its manifest beside reports
from governance.report._paths import repository_prefix
from governance.result import RunResult
from governance.vocabulary import DEFAULT_LANG

if TYPE_CHECKING:
    from governance.history import ReportHistory

PACKAGE = Path(__file__).parent  # where the format modules are


@dataclass(frozen=True)
class RenderOptions:
    lang: str = DEFAULT_LANG  # one of LANGS (zh | en), for the reports people read
    color: bool = False
    width: int = 160
    # the workspace's folder from the repository root ('' when it is the root), put in front of the paths
    # that CI services read from the repository root (sarif, github, junit); normalised, or ValueError
    path_prefix: str = ""
    # `sha256:<hex>` of the saved result file `govern report` re-renders; its evidence says so (None: a run)
    rendered_from: str | None = None
    # with a history store (`--db`): the trend section of the HTML and Markdown reports (history/views.py)
    history: ReportHistory | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "path_prefix", repository_prefix(self.path_prefix))


Renderer = Callable[[RunResult, RenderOptions], str | bytes]


class _Formats(MutableMapping[str, Renderer]):
    """Format name -> renderer. A format's module bears its name (html.py is `html`; a `-` in the name is a `_`
    in the module's, oscal_poam.py is `oscal-poam`) and is imported the first time the format is asked for: a
    run that writes JSON does not pay for the HTML report's templates or the table's console."""

    def __init__(self) -> None:
        self._names = {format_name(info.name) for info in pkgutil.iter_modules([str(PACKAGE)])
                       if not info.name.startswith("_")}
        self._loaded: dict[str, Renderer] = {}

    def __getitem__(self, name: str) -> Renderer:
        if name not in self._loaded:
            if name not in self._names:
                raise KeyError(name)
            module = importlib.import_module(f"governance.report.{module_name(name)}")
            if getattr(module, "FORMAT", None) != name:
                raise LookupError(f"report module {name} must declare FORMAT = {name!r}")
            self._loaded[name] = module.render
        return self._loaded[name]

    def __setitem__(self, name: str, renderer: Renderer) -> None:
        self._names.add(name)
        self._loaded[name] = renderer

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._names))

    def __len__(self) -> int:
        return len(self._names)


def format_name(module: str) -> str:
    return module.replace("_", "-")


def module_name(fmt: str) -> str:
    return fmt.replace("-", "_")


FORMATS: MutableMapping[str, Renderer] = _Formats()


def shows_trend(fmt: str) -> bool:
    """Whether the format `fmt` draws a history store's trend section: its module says so (`TREND = True`), so a
    run reads the store's trend only for a report that shows it, and a new format that draws one is asked for it."""
    if fmt not in FORMATS:
        return False
    FORMATS[fmt]  # imports its module
    return getattr(sys.modules.get(f"governance.report.{module_name(fmt)}"), "TREND", False) is True


def render(fmt: str, result: RunResult, options: RenderOptions | None = None) -> str | bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    return FORMATS[fmt](result, options or RenderOptions())


Rendered = list[tuple[str | None, str | bytes]]  # (path, None or "-" for stdout; content)


def render_all(targets: list[tuple[str, str | None]], result: RunResult, options: RenderOptions | None = None,
               *, step: Callable[[str], None] | None = None, seal: Seal | None = None) -> Rendered:
    """Every requested report, in the order asked, then an `evidence.json` for each folder that
    receives a report file (evidence.beside). Writes nothing: the caller writes the lot only once
    every report rendered, so a renderer that fails leaves no report behind.

    `targets` is [(format, path or None for stdout)]; `step` is told "rendering <format>" before each;
    `seal` completes every evidence manifest rendered (its signature), once the manifest is whole.
    (The package's `render_all` is governance/report/_audit.py's, which adds the audit pack.)"""
    rendered: Rendered = []
    for fmt, path in targets:
        if step is not None:
            step(f"rendering {fmt}")
        rendered.append((path, render(fmt, result, options)))
    manifests = dict(evidence.beside(result, rendered, options.rendered_from if options else None))
    # a requested evidence.json among reports is the folder's manifest: it takes the list of its reports
    rendered = [(path, manifests.pop(path)) if path in manifests else (path, content) for path, content in rendered]
    rendered += list(manifests.items())
    if seal is None:
        return rendered
    sealed = {i for i, (fmt, _) in enumerate(targets) if fmt == evidence.FORMAT} | set(range(len(targets), len(rendered)))
    return [(path, sealed_manifest(content, seal)) if i in sealed else (path, content)
            for i, (path, content) in enumerate(rendered)]


Seal = Callable[[dict], dict]  # an evidence manifest -> the same, signed


def sealed_manifest(content: str | bytes, seal: Seal) -> str:
    return evidence.dump(seal(json.loads(content)))
