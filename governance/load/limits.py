"""What the loader refuses to read, however well-formed: workspace files arrive
in pull requests, so their size in memory and depth must stay bounded.

The limits are far above anything a governance record needs (the deepest
entity is five levels), and low enough that every walk over a tree, recursive
or not, is safe and a few kilobytes cannot stand for gigabytes.
"""

from __future__ import annotations

from ruamel.yaml.error import MarkedYAMLError

MAX_DEPTH = 64  # nested lists and mappings, counted after aliases are expanded
ALIAS_BUDGET = 10_000  # nodes that aliases may add to one YAML document
MAX_REGO_BYTES = 1 << 20  # one workspace Rego module; OPA's parse of it with positions is ~1000x larger

TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"
ALIASES_TOO_LARGE = f"aliases expand this document by more than {ALIAS_BUDGET:,} nodes"
NON_FINITE = "NaN and infinity are not allowed (JSON has neither, so OPA could not be sent them)"


class Refused(MarkedYAMLError):
    """A YAML value the loader will not read; the mark says where it was written."""
