"""Renderers: one module per output format behind one interface.

A format module in this package defines `FORMAT = "<name>"` and
`render(result: RunResult, options: RenderOptions) -> str | bytes`; it is
found by name, so adding a format means adding a module and nothing else
(plus its labels in `_messages.py` if it shows words; docs/adding-a-format.md).
Modules whose name starts with `_` are helpers, not formats.
Renderers never run OPA or read the workspace: everything they show comes
from the `RunResult`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from governance.report import evidence  # a format like the others; also places its manifest beside reports
from governance.report._aggregate import GROUP_FORMATS, render_group  # the group report's formats (govern aggregate)
from governance.report._messages import DEFAULT_LANG, LANGS
from governance.report._paths import repository_prefix
from governance.result import RunResult

__all__ = ["DEFAULT_LANG", "FORMATS", "GROUP_FORMATS", "LANGS", "RenderOptions", "Rendered", "Renderer", "evidence", "render",
           "render_all", "render_group"]


@dataclass(frozen=True)
class RenderOptions:
    lang: str = DEFAULT_LANG  # one of LANGS (zh | en), for the reports people read
    color: bool = False
    width: int = 160
    # the workspace's folder from the repository root ('' when it is the root), put in front of the paths
    # that CI services read from the repository root (sarif, github, junit); normalised, or ValueError
    path_prefix: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "path_prefix", repository_prefix(self.path_prefix))


Renderer = Callable[[RunResult, RenderOptions], str | bytes]


def _discover() -> dict[str, Renderer]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        name = getattr(module, "FORMAT", None)
        if name:
            found[name] = module.render
    return found


FORMATS: dict[str, Renderer] = _discover()


def render(fmt: str, result: RunResult, options: RenderOptions | None = None) -> str | bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    return FORMATS[fmt](result, options or RenderOptions())


Rendered = list[tuple[str | None, str | bytes]]  # (path, None or "-" for stdout; content)


def render_all(targets: list[tuple[str, str | None]], result: RunResult, options: RenderOptions | None = None,
               *, step: Callable[[str], None] | None = None) -> Rendered:
    """Every requested report, in the order asked, then an `evidence.json` for each folder that
    receives a report file (evidence.beside). Writes nothing: the caller writes the lot only once
    every report rendered, so a renderer that fails leaves no report behind.

    `targets` is [(format, path or None for stdout)]; `step` is told "rendering <format>" before each."""
    rendered: Rendered = []
    for fmt, path in targets:
        if step is not None:
            step(f"rendering {fmt}")
        rendered.append((path, render(fmt, result, options)))
    return rendered + evidence.beside(result, rendered)
