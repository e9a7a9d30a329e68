"""Files → plain trees that remember where every node came from.

Nothing here knows the domain: it turns YAML, JSON and CSV files into Python
values plus a `SourceMap` (path inside the document → line and column), reads
the workspace's Rego as text, and reports every problem as a `WorkspaceError`
that names file:line:col. Workspace files are untrusted (they arrive in pull
requests): paths stay inside the workspace (paths.py), and nesting, aliases
and values stay within `limits`.
"""

from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.files import Document, discover, read_document
from governance.load.rego import RegoSource, read_rego

__all__ = ["Document", "Location", "RegoSource", "WorkspaceError", "WorkspaceErrors", "discover", "read_document",
           "read_rego"]
