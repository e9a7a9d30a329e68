"""The JSON position scanner agrees with ruamel's composer on every key and item."""

from __future__ import annotations

import json

import pytest

from governance.load.json_positions import json_positions
from governance.load.tree import parse_yaml
from tests.conftest import EXAMPLE

DOCS = {
    "systems": json.dumps({"systems": [{"id": "a", "datasets": ["x", {"id": "y", "side": "public"}],
                                        "tags": {"k": "v \"quoted\" \\ {brace} [x], y: z"}, "n": -1.5e3, "ok": True,
                                        "none": None, "名称": "支付中心", "nested": [[1, 2], [], {}]}]},
                          indent=2, ensure_ascii=False),
}


def _acme_as_json() -> str:
    data, _ = parse_yaml((EXAMPLE / "inventory" / "systems.yaml").read_text(encoding="utf-8"), "x")
    return json.dumps(data, default=str, indent=1, ensure_ascii=False)


TEXTS = {  # made when the test runs: a missing example fails that case, not the collection of the module
    "indented": lambda: DOCS["systems"],
    "compact": lambda: json.dumps(json.loads(DOCS["systems"])),
    "acme-systems": _acme_as_json,
}


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_scanner_matches_ruamel(name):
    text = TEXTS[name]()
    ours = json_positions(text, "f.json")
    _, theirs = parse_yaml(text, "f.json", construct=False)
    assert ours._positions == theirs._positions
    assert len(ours._positions) > 10
