"""What the loader refuses to read, however well-formed: workspace files arrive
in pull requests, so their size in memory and depth must stay bounded.

The limits are far above anything a governance record needs (the deepest
entity is five levels), and low enough that every walk over a tree, recursive
or not, is safe and a few kilobytes cannot stand for gigabytes.
"""

from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError

MAX_DEPTH = 64  # nested lists and mappings, counted after aliases are expanded
ALIAS_BUDGET = 10_000  # nodes that aliases may add to one YAML document
MAX_REGO_BYTES = 1 << 20  # one workspace Rego module; OPA's parse of it with positions is ~1000x larger

# Text: ids, names and free text each have a bound far above any real one, so that no value can
# stall what shows it (a table cell, a terminal line) or stand for megabytes in every report.
MAX_ID_CHARS = 256  # an entity's id, a check's id
MAX_NAME_CHARS = 1_000  # a name or title: the workspace's, a person's, a system's, a check's
MAX_TEXT_CHARS = 64 * 1024  # any other text: a description, a justification, a check's description
# A check id is printable ASCII, upper-case words of letters and digits joined by hyphens, as the
# built-in PLC-001: no look-alike (a Unicode hyphen) or invisible character can make one pass for another.
CHECK_ID = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")

TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"
ALIASES_TOO_LARGE = f"aliases expand this document by more than {ALIAS_BUDGET:,} nodes"
TEXT_TOO_LONG = f"text may be at most {MAX_TEXT_CHARS:,} characters"
NON_FINITE = "NaN and infinity are not allowed (JSON has neither, so OPA could not be sent them)"


class Refused(MarkedYAMLError):
    """A YAML value the loader will not read; the mark says where it was written."""
