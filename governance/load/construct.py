"""ruamel nodes → Python values, refusing what Python cannot hold or JSON cannot carry.

ruamel's SafeConstructor lets a plain `2026-02-30` escape as the ValueError of
`datetime.date`, a 5,000-digit integer as int()'s, and reads `.nan`, `.inf`
and `1e999` as floats that no JSON document (so no OPA input) can hold.
It also builds bytes (`!!binary`), sets, ordered maps and pairs, and tuples
from list keys: none of which JSON has, and some of which fail inside ruamel
with an AssertionError or a TypeError (`!!omap [a: 1, a: 2]`, `{[{a: 1}]: x}`).
Each becomes a `Refused` error marked with the value's position.
"""

from __future__ import annotations

import math
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import BaseConstructor, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from governance.load.limits import NON_FINITE, Refused

_YAML = "tag:yaml.org,2002:"
# What JSON can carry, plus dates (sent to OPA as text). A mapping's `<<` merge
# keys never reach construction: ruamel folds them into the mapping first.
ALLOWED_TAGS = {_YAML + kind for kind in ("null", "bool", "int", "float", "str", "seq", "map", "timestamp")}
ONLY_JSON = "a workspace holds only text, numbers, booleans, null, dates, lists and mappings"
KEY_NOT_SCALAR = "a mapping key must be a single value, not a list or a mapping"


class Constructor(SafeConstructor):
    def construct_non_recursive_object(self, node: Node, tag: Any = None) -> Any:
        _refuse_unknown_tag(node, tag)
        try:
            data = super().construct_non_recursive_object(node, tag)
        except MarkedYAMLError:
            raise
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            raise Refused(None, None, _cannot_read(node, exc), node.start_mark) from None
        if data.__class__ is float and not math.isfinite(data):
            raise Refused(None, None, NON_FINITE, node.start_mark)
        return data

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        # Checked after merging, so keys merged in by `<<` are held to it too;
        # ruamel runs this after the mapping was handed out, outside the guard above.
        if isinstance(node, MappingNode):
            self.flatten_mapping(node)
            for key_node, _ in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise Refused(None, None, KEY_NOT_SCALAR, key_node.start_mark)
        return BaseConstructor.construct_mapping(self, node, deep=deep)


def construct(node: Node) -> Any:
    # A YAML object of its own: ruamel then reads every value as YAML 1.2, the
    # version compose.py resolved the tags for.
    yaml = YAML(typ="safe")
    yaml.Constructor = Constructor
    yaml.allow_duplicate_keys = False
    return yaml.constructor.construct_document(node)


def _refuse_unknown_tag(node: Node, tag: Any) -> None:
    name = str(tag if tag is not None else node.tag)
    if name not in ALLOWED_TAGS:
        shown = "!!" + name[len(_YAML):] if name.startswith(_YAML) else name
        raise Refused(None, None, f"the YAML tag {shown} is not allowed: {ONLY_JSON}", node.start_mark)


def _cannot_read(node: Node, exc: Exception) -> str:
    kind = str(node.tag).rsplit(":", 1)[-1].replace("timestamp", "date")
    if not isinstance(node, ScalarNode):
        return f"not a valid {kind}"
    text = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    reason = f": {str(exc).split(';')[0]}" if isinstance(exc, ValueError) else ""  # not int()'s advice to call sys.*
    return f"{text!r} is not a valid {kind}{reason}"
