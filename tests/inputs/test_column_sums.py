"""Numbers of rows that leave cells empty are placed by the sums of a classified table
(kg_publisher.extract.columnsums), and only when those sums leave one place for them."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from kg_publisher.extract.source import SourceText
from kg_publisher.extract.tables import TextTable, find_tables

#: 03's 支出预算总表 as pdfplumber prints it (empty cells dropped).
PRINTED = """2025年部门支出预算总表
单位：元
功能分类科目编码 功能分类科目名称 合计 基本支出 项目支出
类 款 项
201 一般公共服务支出 22,186,440.80 16,093,326.00 6,093,114.80
201 06 财政事务 22,186,440.80 16,093,326.00 6,093,114.80
201 06 01 行政运行 16,231,840.80 16,093,326.00 138,514.80
201 06 02 一般行政管理事务 100,000.00 100,000.00
201 06 08 财政委托业务支出 5,854,600.00 5,854,600.00
208 社会保障和就业支出 3,508,644.00 3,508,644.00
208 05 行政事业单位养老支出 3,508,644.00 3,508,644.00
208 05 01 行政单位离退休 877,080.00 877,080.00
208 05 05 机关事业单位基本养老保险缴费支出 2,631,564.00 2,631,564.00
合计 25,695,084.80 19,601,970.00 6,093,114.80
"""


def table(text: str) -> TextTable:
    source = SourceText("t.txt", hashlib.sha256(text.encode()).hexdigest(), "text/plain", text)
    (found,) = find_tables(source)
    return found


def cells(found: TextTable, code: str) -> dict[str, Decimal]:
    row = found.row(code=code)
    assert row is not None
    return {cell.column: cell.value for cell in row.cells}


def test_the_sums_place_every_number() -> None:
    found = table(PRINTED)
    assert found.unaligned == ()
    # 2010601's 基本支出 is all of 20106's, so the other 项 have none: their amount is 项目支出
    assert cells(found, "2010602") == {"合计": Decimal("100000.00"), "项目支出": Decimal("100000.00")}
    assert cells(found, "2010608") == {"合计": Decimal("5854600.00"), "项目支出": Decimal("5854600.00")}
    # the 合计's 项目支出 is all 201's: 208 and everything under it is 基本支出
    for code in ("208", "20805", "2080501", "2080505"):
        assert set(cells(found, code)) == {"合计", "基本支出"}, code


@pytest.mark.parametrize(("change", "why"), [
    # the 项 no longer add up to their 款 once placed: nothing is placed
    (("5,854,600.00 5,854,600.00", "5,854,600.00 5,854,600.00\n201 06 09 其他 1.00 1.00"), "a sub-row more"),
    # a zero among the unplaced numbers could stand in any column
    (("100,000.00 100,000.00", "0.00 0.00"), "a printed zero"),
])
def test_nothing_is_placed_when_the_sums_do_not_decide(change: tuple[str, str], why: str) -> None:
    found = table(PRINTED.replace(*change))
    assert found.row(code="2010602") is not None
    assert set(cells(found, "2010602")) == {"合计"}, why


def test_a_summary_table_says_which_columns_are_empty(final_07: SourceText, budget_03: SourceText) -> None:
    """07's 收入决算表 (one cell per line) prints 合计 2,946.25 2,940.05 6.20 under seven columns; its 收入支出决算总表
    prints 上级补助收入, 事业收入, 经营收入 and 附属单位上缴收入 without an amount: the two numbers are 财政拨款收入 and
    其他收入, and the sums place every row below. Same for 03's 收入预算总表 (二、事业收入 … 四、其他收入 empty)."""
    income = next(t for t in find_tables(final_07) if t.title == "收入决算表")
    assert income.unaligned == ()
    assert cells(income, "2010607") == {"本年收入合计": Decimal("135.25"), "财政拨款收入": Decimal("135.25")}
    assert cells(income, "2010602") == {"本年收入合计": Decimal("16.19"), "财政拨款收入": Decimal("10.00"),
                                        "其他收入": Decimal("6.19")}
    revenue = next(t for t in find_tables(budget_03) if t.title == "2025年部门收入预算总表")
    assert revenue.unaligned == ()
    assert cells(revenue, "2010601") == {"合计": Decimal("16231840.80"), "财政拨款收入": Decimal("16231840.80")}


def test_a_wrapped_label_with_its_numbers_on_the_next_line_is_one_row() -> None:
    """pypdfium2 prints a cell's wrapped label on two lines with the row's numbers on the second (centred)."""
    printed = PRINTED.replace("208 05 05 机关事业单位基本养老保险缴费支出 2,631,564.00 2,631,564.00",
                              "208 05 05 机关事业单位基本养老保险\n缴费支出 2,631,564.00 2,631,564.00")
    found = table(printed)
    row = found.row(code="2080505")
    assert row is not None and row.label == "机关事业单位基本养老保险缴费支出"
    assert cells(found, "2080505") == {"合计": Decimal("2631564.00"), "基本支出": Decimal("2631564.00")}
    assert found.unaligned == ()
