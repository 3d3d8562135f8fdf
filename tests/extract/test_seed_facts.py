"""Every figure of the seed against a table written by reading the text (expected_seed.csv)."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kg_publisher.extract.source import Span
from kg_publisher.iris import check_key
from kg_publisher.records.model import Disclosure

EXPECTED = list(csv.DictReader((Path(__file__).parent / "expected_seed.csv").open(encoding="utf-8")))


@pytest.mark.parametrize("row", EXPECTED, ids=[row["key"] for row in EXPECTED])
def test_fact_as_printed(seed: Disclosure, row: dict[str, str]) -> None:
    fact = seed.fact(row["key"])
    assert fact.amount.printed == row["value"]
    assert fact.amount.value == Decimal(row["value"])
    assert fact.amount.unit == row["unit"]
    assert fact.span.text == row["span_text"]
    assert fact.context == row["context"]
    assert fact.part_of == (row["part_of"] or None)
    assert fact.phase == "approved"


def test_no_other_facts(seed: Disclosure) -> None:
    assert sorted(f.key for f in seed.facts) == sorted(row["key"] for row in EXPECTED)


def _spans(value: Any) -> list[Span]:
    if isinstance(value, Span):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) if f.name != "source" for s in _spans(getattr(value, f.name))]
    if isinstance(value, tuple | list):
        return [s for item in value for s in _spans(item)]
    return []


def test_every_span_quotes_the_source(seed: Disclosure) -> None:
    spans = _spans(seed)
    assert len(spans) > 150  # every record type contributes
    for span in spans:
        assert seed.source.text[span.start:span.end] == span.text


def test_keys_unique_and_ascii(seed: Disclosure) -> None:
    keys = [r.key for r in (*seed.facts, *seed.changes, *seed.counts, *seed.ratios)]
    assert len(keys) == len(set(keys))
    for key in keys:
        check_key(key)


def test_dimensions(seed: Disclosure) -> None:
    sources = [seed.fact(f"revenue-{n:02d}").fund_source for n in range(1, 11)]
    assert sources == ["GENERAL_PUBLIC", "GOV_FUND", "STATE_CAPITAL", "SPECIAL_ACCOUNT", "BUSINESS", "OPERATING",
                       "HIGHER_SUBSIDY", "SUBORDINATE", "OTHER", "CARRY_OVER"]
    assert {f.operation for f in seed.facts if f.key.startswith("revenue")} == {"revenue"}
    assert seed.fact("expenditure-basic").expenditure_type == "BASIC"
    assert seed.fact("expenditure-project").expenditure_type == "PROJECT"
    assert seed.fact("running-cost-30201").economic == "30201"
    assert seed.fact("running-cost-30201").indicator == "ORG_RUNNING_COST"
    assert seed.fact("sangong-vehicle-operation").item == "VEHICLE_OPERATION"
    assert seed.fact("procurement-line-1").indicator == "PROCUREMENT"
    assert seed.fact("purchased-services-line-2").item == "line-2"
    assert seed.fact("debt-total").indicator == "DEBT"
    assert seed.fact("performance-funds").indicator == "PERFORMANCE_FUNDS"
    assert seed.fact("assets-total").operation == "_Z"


def test_breakdown_completeness(seed: Disclosure) -> None:
    # 主要包括 (running cost) and 其中 (assets) introduce incomplete lists; 包括： and the 三公 items are complete.
    assert seed.fact("running-cost-total").breakdown_complete is False
    assert seed.fact("assets-total").breakdown_complete is False
    assert seed.fact("assets-fixed").breakdown_complete is False
    assert seed.fact("revenue-total").breakdown_complete is True
    assert seed.fact("expenditure-total").breakdown_complete is True
    assert seed.fact("sangong-total").breakdown_complete is True


def test_asset_date(seed: Disclosure) -> None:
    assert {f.as_of for f in seed.facts if f.indicator == "ASSETS"} == {date(2021, 12, 31)}
    assert seed.fact("revenue-total").as_of is None
