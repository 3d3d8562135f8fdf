"""Tables whose header prints one label in two pieces (事业单位 above, 经营收入 below the other labels) are read by
the template's column order (extract/tables.py: TEMPLATE_ORDERS): 12's and 13's 收入预算总表 give every column of
every row, and its totals are the revenue parts facts.json lists (万元 in the prose, 元 in the table)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from .sources import CORPUS, document, load_facts

pytestmark = pytest.mark.needs_shared("corpus")

REVENUE_TABLE_COLUMNS = {"_T": "合计", "FISCAL": "财政拨款收入", "BUSINESS": "事业收入",
                         "OPERATING": "事业单位经营收入", "OTHER": "其他收入"}


@pytest.mark.parametrize("name", ["12_putuo-wanli-2024-budget", "13_putuo-wanli-2025-budget"])
def test_the_split_revenue_header_is_read_in_the_template_order(name: str) -> None:
    doc = document(name)
    table = [fact for fact in doc.disclosure.facts if fact.context == "table-2"]
    rows: dict[str, dict[str, Decimal]] = {}
    for fact in table:
        rows.setdefault(fact.functional, {})[fact.fund_source] = fact.amount.value
    assert len(rows) > 30 and all(set(row) == set(REVENUE_TABLE_COLUMNS) for row in rows.values())
    assert all(row["_T"] == sum(v for k, v in row.items() if k != "_T") for row in rows.values())
    expected = load_facts(CORPUS / f"{name}.facts.json")
    total = rows["_T"]
    assert total["_T"] == Decimal(expected["total_revenue"]["table_value"])
    labels = {fact.fund_source: fact.label for fact in table if fact.functional == "_T"}
    for part in expected["revenue_parts"]:
        code = next(c for c, label in REVENUE_TABLE_COLUMNS.items() if label == part["label"])
        assert labels[code].endswith(part["label"])
        assert abs(total[code] / 10000 - Decimal(str(part["value"]))) <= Decimal("0.005"), part
