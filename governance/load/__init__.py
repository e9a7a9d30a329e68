"""Files → plain trees that remember where every node came from.

Nothing here knows the domain: it turns YAML, JSON and CSV files into Python
values plus a `SourceMap` (path inside the document → line and column), and
reports syntax problems as `WorkspaceError`s that name file:line:col.
"""

from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.files import Document, discover, read_document

__all__ = ["Document", "Location", "WorkspaceError", "WorkspaceErrors", "discover", "read_document"]
