"""Renderers: one module per output format behind one interface.

A format module in this package defines `FORMAT = "<name>"` and
`render(result: RunResult, options: RenderOptions) -> str | bytes`; it is
found by name, so adding a format means adding a module and nothing else.
Renderers never run OPA or read the workspace: everything they show comes
from the `RunResult`.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable, Union

from governance.result import RunResult


@dataclass(frozen=True)
class RenderOptions:
    lang: str = "zh"  # zh | en, for reports people read
    color: bool = False
    width: int = 160


Renderer = Callable[[RunResult, RenderOptions], Union[str, bytes]]


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


def render(fmt: str, result: RunResult, options: RenderOptions | None = None) -> Union[str, bytes]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    return FORMATS[fmt](result, options or RenderOptions())
