"""The Rego modules a run loads: the built-in library, then the workspace's own checks."""

from __future__ import annotations

import re

from governance import library
from governance.engine import Module
from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.files import relative
from governance.model.workspace import Workspace

# Custom checks live one level under govern.checks so the report query finds them.
_PACKAGE = re.compile(r"^package\s+(\S+)\s*$", re.MULTILINE)
_ALLOWED = re.compile(r"^govern\.checks\.[A-Za-z_][A-Za-z0-9_]*$")


def library_modules() -> list[Module]:
    root = library.library_root()
    paths = library.rego_modules()
    # lib.rego defines the functions every check calls, so OPA must see it first
    paths.sort(key=lambda p: (p.name != "lib.rego", p.as_posix()))
    return [Module(id=f"govern/{relative(root, p)}", path=p, text=p.read_text(encoding="utf-8")) for p in paths]


def workspace_modules(ws: Workspace) -> list[Module]:
    modules, errors = [], []
    for path in ws.rego_files:
        rel = relative(ws.root, path)
        text = path.read_text(encoding="utf-8")
        match = _PACKAGE.search(text)
        if not match or not _ALLOWED.match(match.group(1)):
            line = text.count("\n", 0, match.start()) + 1 if match else 1
            errors.append(WorkspaceError(Location(rel, line, 1),
                                         "a workspace check must declare `package govern.checks.<name>` (one segment under govern.checks)"))
            continue
        modules.append(Module(id=f"workspace/{rel}", path=path, text=text))
    if errors:
        raise WorkspaceErrors(errors)
    return modules
