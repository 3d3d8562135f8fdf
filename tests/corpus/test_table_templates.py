"""Tables whose header prints one label in two pieces (事业单位 above, 经营收入 below the other labels) are read by
the template's column order (extract/tables.py: TEMPLATE_ORDERS): 12's and 13's 收入预算总表 give every column of
every row, and its totals are the revenue parts facts.json lists (万元 in the prose, 元 in the table)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg_publisher.extract.tables import find_tables
from kg_publisher.records.model import AmountFact

from .sources import CORPUS, document, load_facts

WANLI = ["12_putuo-wanli-2024-budget", "13_putuo-wanli-2025-budget"]

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


@pytest.mark.parametrize("name", WANLI)
def test_fiscal_summary_table_puts_the_second_number_in_the_funded_column(name: str) -> None:
    doc = document(name)
    table = [fact for fact in doc.disclosure.facts if fact.context == "table-4"]
    spending = [fact for fact in table if fact.operation == "expenditure"]
    by_row: dict[str, dict[str, AmountFact]] = {}
    for fact in spending:
        by_row.setdefault(fact.label.split(" / ")[0], {})[fact.fund_source] = fact
    assert len(by_row) == 10 and all(set(row) == {"FISCAL", "GENERAL_PUBLIC"} for row in by_row.values())
    for label, row in by_row.items():  # both numbers as printed on the row's line, and equal
        line = next(line for line in doc.source.text.splitlines() if line.endswith(row["FISCAL"].span.text + " "
                                                                                  + row["GENERAL_PUBLIC"].span.text))
        assert label in line and row["FISCAL"].amount.value == row["GENERAL_PUBLIC"].amount.value
    expected = load_facts(CORPUS / f"{name}.facts.json")["total_expenditure"]
    assert by_row["支出总计"]["GENERAL_PUBLIC"].amount.value == Decimal(expected["table_value"])
    parts = [row["GENERAL_PUBLIC"] for label, row in by_row.items() if label != "支出总计"]
    assert {fact.part_of for fact in parts} == {by_row["支出总计"]["GENERAL_PUBLIC"].key}
    assert sum(fact.amount.value for fact in parts) == Decimal(expected["table_value"])
    assert [u for u in doc.disclosure.unparsed if u.context == "table-4"] == []


SANGONG_COLUMNS = (("total", "SANGONG", "_T"), ("outbound", "SANGONG", "OVERSEAS_TRAVEL"),
                   ("reception", "SANGONG", "OFFICIAL_RECEPTION"), ("vehicle_total", "SANGONG", "OFFICIAL_VEHICLES"),
                   ("vehicle_purchase", "SANGONG", "VEHICLE_PURCHASE"),
                   ("vehicle_operation", "SANGONG", "VEHICLE_OPERATION"))


@pytest.mark.parametrize("name", WANLI)
def test_sangong_table_with_a_year_in_its_header_and_no_row_label(name: str) -> None:
    doc = document(name)
    expected = load_facts(CORPUS / f"{name}.facts.json")
    context = next(s.code for s in doc.disclosure.sections if s.code.startswith("table") and "三公" in s.heading)
    table = {(fact.indicator, fact.item): fact for fact in doc.disclosure.facts if fact.context == context}
    assert len(table) == 7
    for key, indicator, item in SANGONG_COLUMNS:
        fact = table[(indicator, item)]
        assert (fact.amount.value, fact.amount.unit, fact.phase) == (Decimal(str(expected["sangong"][key])), "万元",
                                                                     "approved"), key
    running = table[("ORG_RUNNING_COST", "_T")]
    assert running.amount.value == Decimal(str(expected["jiguan_yunxing_jingfei"]["value"]))
    printed = " ".join(table[(i, c)].span.text for _, i, c in SANGONG_COLUMNS) + " " + running.span.text
    assert printed == expected["sangong"].get("table_evidence", printed)
    assert printed in doc.source.text
    assert [u for u in doc.disclosure.unparsed if u.context == context] == []


def test_labels_are_joined_only_where_the_pieces_make_no_labels() -> None:
    """07's 收入决算表 / 支出决算表 print one cell per line, labels wrapped inside their cells: their pieces make known
    labels as they stand, so none is joined with a piece further on (that would lose the columns' order)."""
    tables = {table.title: table for table in find_tables(document("07_putuo-czj-2024-final").source)}
    revenue, spending = tables["收入决算表"], tables["支出决算表"]
    assert revenue.sides[0].columns == ("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                                        "附属单位上缴收入", "其他收入")
    assert spending.sides[0].columns == ("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
                                         "对附属单位补助支出")
    first = [sum(1 for row in table.rows for cell in row.cells if cell.column == table.columns[0])
             for table in (revenue, spending)]
    assert first == [20, 20]
    # the 收入决算表's other cells are placed by the 收入支出决算总表's empty rows and the table's own sums
    # (extract/columnsums.py); the 支出决算表's 合计 row prints two parts for five columns no table says are empty
    assert [sum(len(row.cells) for row in table.rows) for table in (revenue, spending)] == [45, 20]
