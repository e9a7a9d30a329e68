"""Files → plain trees that remember where every node came from.

Nothing here knows the domain: it turns YAML, JSON and CSV files into Python
values plus a `SourceMap` (path inside the document → line and column), reads
the workspace's Rego as text, and reports every problem as a `WorkspaceError`
that names file:line:col. Workspace files are untrusted (they arrive in pull
requests): paths stay inside the workspace (paths.py), and nesting, aliases
and values stay within `limits`.
"""

from governance.load.characters import id_problem, problems_in
from governance.load.errors import Location, WorkspaceError, WorkspaceErrors
from governance.load.files import SUFFIXES, Document, discover, read_document, relative
from governance.load.json_positions import json_positions
from governance.load.json_tree import json_values
from governance.load.limits import CHECK_ID, MAX_ID_CHARS, MAX_NAME_CHARS
from governance.load.paths import MISSING, PathProblem, resolve
from governance.load.rego import RegoSource, is_check, read_rego
from governance.load.tree import Path_, SourceMap, collector_paused

__all__ = ["CHECK_ID", "Document", "Location", "MAX_ID_CHARS", "MAX_NAME_CHARS", "MISSING", "PathProblem", "Path_",
           "RegoSource", "SUFFIXES", "SourceMap", "WorkspaceError", "WorkspaceErrors", "collector_paused", "discover",
           "id_problem", "is_check", "json_positions", "json_values", "problems_in", "read_document", "read_rego",
           "relative", "resolve"]
