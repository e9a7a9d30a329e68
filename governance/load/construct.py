"""ruamel nodes → Python values, refusing what Python cannot hold or JSON cannot carry.

ruamel's SafeConstructor lets a plain `2026-02-30` escape as the ValueError of
`datetime.date`, a 5,000-digit integer as int()'s, and reads `.nan`, `.inf`
and `1e999` as floats that no JSON document (so no OPA input) can hold.
Each becomes a `Refused` error marked with the value's position.
"""

from __future__ import annotations

import math
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import Node, ScalarNode

from governance.load.limits import NON_FINITE, Refused


class Constructor(SafeConstructor):
    def construct_non_recursive_object(self, node: Node, tag: Any = None) -> Any:
        try:
            data = super().construct_non_recursive_object(node, tag)
        except MarkedYAMLError:
            raise
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            raise Refused(None, None, _cannot_read(node, exc), node.start_mark) from None
        if data.__class__ is float and not math.isfinite(data):
            raise Refused(None, None, NON_FINITE, node.start_mark)
        return data


def construct(node: Node) -> Any:
    # A YAML object of its own: ruamel then reads every value as YAML 1.2, the
    # version compose.py resolved the tags for.
    yaml = YAML(typ="safe")
    yaml.Constructor = Constructor
    yaml.allow_duplicate_keys = False
    return yaml.constructor.construct_document(node)


def _cannot_read(node: Node, exc: Exception) -> str:
    kind = str(node.tag).rsplit(":", 1)[-1].replace("timestamp", "date")
    if not isinstance(node, ScalarNode):
        return f"not a valid {kind}"
    text = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    reason = f": {str(exc).split(';')[0]}" if isinstance(exc, ValueError) else ""  # not int()'s advice to call sys.*
    return f"{text!r} is not a valid {kind}{reason}"
