"""OPA's input is serialised once, entity by entity, and sent as those bytes: it must be the
same document as the models' dumps, and the request body must carry it unchanged."""

from __future__ import annotations

import json
from pathlib import Path

from governance.engine.client import _InputBody
from governance.model import load_workspace
from tests.conftest import EXAMPLE, make_workspace


def documents(ws) -> tuple[dict, dict]:
    sent = json.loads(ws.input_json("2026-11-25"))
    dumped = {"as_of": "2026-11-25", "inventory": ws.inventory_input(), "waivers": ws.waivers_input()}
    return sent, dumped


def test_the_serialised_input_is_the_dumped_input_for_the_example():
    sent, dumped = documents(load_workspace(EXAMPLE))
    assert sent == dumped
    assert sent["inventory"]["budget_lines"] and sent["waivers"]  # the spliced parts are there, not just empty


def test_the_serialised_input_keeps_non_ascii_text_and_key_order(tmp_path: Path):
    goals = "goals:\n  - {id: \"g-\u6570\\\"\", tier: strategic, statement: \u5168\u9762\u63d0\u5347}\n"
    ws = load_workspace(make_workspace(tmp_path / "ws", {"inventory/goals.yaml": goals}))
    sent, dumped = documents(ws)
    assert sent == dumped
    assert list(sent["inventory"]) == list(dumped["inventory"])
    assert sent["inventory"]["goals"]['g-\u6570"']["statement"] == "\u5168\u9762\u63d0\u5347"


def test_the_request_body_wraps_the_input_byte_for_byte():
    body = _InputBody(b'{"a":[1,2,3]}')
    assert len(body) == len(b'{"input":{"a":[1,2,3]}}')
    blocks = []
    while block := body.read(4):
        blocks.append(block)
    assert b"".join(blocks) == b'{"input":{"a":[1,2,3]}}'
    assert body.read(4) == b""
    assert _InputBody(b"[]").read() == b'{"input":[]}'
