"""The JSON position scanner agrees with ruamel's composer on every key and item."""

from __future__ import annotations

import json

import pytest

from governance.load import WorkspaceErrors
from governance.load.json_positions import json_positions
from governance.load.json_tree import parse_json
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


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_inventory_read_item_by_item_locates_as_the_full_scan(name):
    """parse_json reads an object of lists item by item, recording keys and where items start only;
    every position it gives, deeper ones included (found by scanning their item on demand), is the full scan's."""
    text = TEXTS[name]()
    data, sources = parse_json(text, "f.json")
    full = json_positions(text, "f.json")
    assert data == json.loads(text)
    assert set(sources._positions) == {(), ("systems",)}  # nothing below a key was recorded yet
    assert sources.locate(("systems", 0)) == full.locate(("systems", 0))
    assert set(sources._positions) == {(), ("systems",)}  # an item's own position needs no scan
    for path in full._positions:
        assert sources.locate(path) == full.locate(path)
    assert sources.locate(("systems", 0, "no-such-field")) == full.locate(("systems", 0))
    for beyond in (("systems", 1), ("systems", -1), ("systems", False, "id"), ("elsewhere", 0)):
        assert sources.locate(beyond) == full.locate(beyond)  # the nearest ancestor that was written


@pytest.mark.parametrize(("text", "error"), [
    ('{"a": [1, 2,]}', "1:13: JSON syntax error"),
    ('{"a": [1], "a": [2]}', "1:12: duplicate key"),
    ('{"a": [NaN]}', "1:8:"),
    ('{"a": [1e999]}', "1:8:"),
    ('{"a": [1]} x', "1:12: JSON syntax error"),
])
def test_faults_in_an_object_of_lists_are_named_where_they_are(text, error):
    """A fault met while reading item by item sends the text to the full reading, which names it."""
    with pytest.raises(WorkspaceErrors) as caught:
        parse_json(text, "f.json")
    assert error in str(caught.value)


@pytest.mark.parametrize("text", ['[1, 2]', '{"a": {"b": 1}}', '{"a": "x"}', '{}', ' {"a": []} '])
def test_other_shapes_are_read_whole(text):
    data, sources = parse_json(text, "f.json")
    assert data == json.loads(text)
    assert sources.locate(()) == json_positions(text, "f.json").locate(())
