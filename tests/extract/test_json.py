"""Disclosure.to_json(): JSON with Decimals (and dates) as strings, no full text."""

from __future__ import annotations

import json

from kg_publisher.records.model import Disclosure


def test_json_round_trip(seed: Disclosure) -> None:
    data = json.loads(seed.to_json())
    assert "text" not in data["source"]
    facts = {fact["key"]: fact for fact in data["facts"]}
    assert facts["revenue-total"]["amount"] == {"value": "819.82", "unit": "万元", "printed": "819.82"}
    assert facts["running-cost-30209"]["amount"]["printed"] == "5.00"
    assert facts["assets-total"]["as_of"] == "2021-12-31"
    assert data["info"]["department"] == "盘锦市兴隆台区政务服务中心"
    changes = {change["key"]: change for change in data["changes"]}
    assert changes["running-cost-total-change"]["percent"] == {"value": "8", "printed": "8"}
    assert len(data["glossary"]) == 13
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
