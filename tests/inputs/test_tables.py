"""Tables printed in the text: the cells of the corpus' facts files, tree sums, and what stays unaligned."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from kg_publisher.extract.source import SourceText
from kg_publisher.extract.tables import TextTable, find_tables


def _table(tables: list[TextTable], title_part: str) -> TextTable:
    found = [table for table in tables if table.title == title_part] or [
        table for table in tables if title_part in table.title]
    assert len(found) == 1, f"{title_part}: {[t.title for t in tables]}"
    return found[0]


def _facts(corpus_dir: Path, name: str) -> dict:
    return json.loads((corpus_dir / name).read_text(encoding="utf-8"))


def _value(table: TextTable, label: str, column: str, code: str | None = None) -> Decimal:
    row = table.row(code=code) if code else table.row(label=label)
    assert row is not None, f"{table.title}: no row {code or label}"
    cell = row.cell(column)
    assert cell is not None, f"{table.title} / {row.label}: no certain cell {column}"
    return cell.value


def test_every_attachment_table_of_03_is_found_with_its_unit(tables_03: list[TextTable]) -> None:
    assert [t.title for t in tables_03] == [
        "2025年部门财务收支预算总表", "2025年部门收入预算总表", "2025年部门支出预算总表",
        "2025年部门财政拨款收支预算总表", "2025年部门一般公共预算支出功能分类预算表",
        "2025年部门政府性基金预算支出功能分类预算表", "2025年部门国有资本经营预算支出功能分类预算表",
        "2025年部门一般公共预算基本支出部门预算经济分类预算表", "2025年部门“三公”经费和机关运行经费预算表"]
    assert [t.unit for t in tables_03] == ["元"] * 8 + ["万元"]


def test_03_cells_of_the_facts_file(tables_03: list[TextTable], corpus_dir: Path) -> None:
    facts = _facts(corpus_dir, "03_putuo-czj-2025-budget.facts.json")
    overview = _table(tables_03, "财务收支预算总表")
    assert overview.sides[0].name == "本年收入"
    total = overview.row(label="收入总计")
    assert total is not None and total.side == "本年收入"
    assert total.cell("预算数").value == Decimal(str(facts["total_revenue"]["table_value"]))
    assert _value(overview, "支出总计", "预算数") == Decimal(str(facts["total_expenditure"]["table_value"]))
    spending = _table(tables_03, "部门支出预算总表")
    assert spending.unit == facts["basic_expenditure"]["unit"]
    assert _value(spending, "合计", "基本支出") == Decimal(str(facts["basic_expenditure"]["value"]))
    assert _value(spending, "合计", "项目支出") == Decimal(str(facts["project_expenditure"]["value"]))
    assert _value(spending, "", "合计", code="2010601") == Decimal("16231840.80")
    # The item the narrative misprints (887.36 万元): the tables say 873,617.00 元.
    general = _table(tables_03, "一般公共预算支出功能分类")
    assert _value(general, "", "合计", code="2080506") == Decimal("873617.00")
    economic = _table(tables_03, "经济分类预算表")
    assert _value(economic, "合计", "公用经费") == Decimal("2294335.00")  # = 229.43 万元 机关运行经费
    assert _value(economic, "", "合计", code="30201") == Decimal("170000.00")


def test_03_sangong_row_is_reported_not_guessed(tables_03: list[TextTable]) -> None:
    sangong = _table(tables_03, "三公")
    assert sangong.unit == "万元"
    assert all(not row.cells for row in sangong.rows)
    assert [[n.printed for n in u.numbers] for u in sangong.unaligned] == [["0.95", "0.95", "229.43"]]


def test_07_cells_of_the_facts_file(tables_07: list[TextTable], corpus_dir: Path) -> None:
    facts = _facts(corpus_dir, "07_putuo-czj-2024-final.facts.json")
    assert {t.unit for t in tables_07} == {facts["units"]["tables"]}
    overview = _table(tables_07, "收入支出决算总表")
    assert not overview.row_wise
    assert _value(overview, facts["total_revenue"]["label"], "决算数") == Decimal(str(facts["total_revenue"]["value"]))
    assert _value(overview, facts["total_expenditure"]["label"], "决算数") == Decimal(
        str(facts["total_expenditure"]["value"]))
    assert _value(overview, "总计", "决算数") == Decimal(str(facts["total_revenue"]["grand_total"]))
    assert _value(overview, "年初结转和结余", "决算数") == Decimal("49.14")
    # The inconsistency the facts file names: 326.71 here, 326.72 in the other tables.
    assert _value(overview, "八、社会保障和就业支出", "决算数") == Decimal("326.71")
    general = _table(tables_07, "一般公共预算财政拨款支出决算表")
    assert _value(general, "", "合计", code="208") == Decimal("326.72")
    assert _value(general, "合计", "基本支出") == Decimal(str(facts["basic_expenditure"]["value"]))
    assert _value(general, "合计", "项目支出") == Decimal(str(facts["project_expenditure"]["value"]))
    assert _value(general, "", "项目支出", code="2010601") == Decimal("8.37")
    basic = _table(tables_07, "基本支出决算表")
    assert _value(basic, "人员经费合计", "决算数") == Decimal("2152.26")
    assert _value(basic, "公用经费合计", "决算数") == Decimal(str(facts["jiguan_yunxing_jingfei"]["value"]))
    # Wrapped labels are joined; codes of the two interleaved halves stay with their rows.
    assert basic.row(code="30212").label == "因公出国（境）费用"
    assert _value(basic, "", "决算数", code="30299") == Decimal("11.53")
    assert basic.row(code="30299").label == "其他商品和服务支出"


def test_07_sangong_and_empty_tables(tables_07: list[TextTable]) -> None:
    sangong = _table(tables_07, "三公")
    assert not any(row.cells for row in sangong.rows)
    assert [[n.printed for n in u.numbers] for u in sangong.unaligned] == [["0.95", "0.95"]]
    for title in ("政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款收入支出决算表"):
        table = _table(tables_07, title)
        assert not any(row.cells for row in table.rows) and not table.unaligned
        assert table.notes and "无数据" in table.notes[0].text


@pytest.mark.needs_shared("corpus")  # the fixtures it asks for by name read the corpus
@pytest.mark.parametrize("fixture", ["budget_03", "final_07"])
def test_spans_point_at_what_was_printed(fixture: str, request: pytest.FixtureRequest) -> None:
    source: SourceText = request.getfixturevalue(fixture)
    tables = find_tables(source)
    assert tables
    for table in tables:
        assert table.title_span.text == table.title
        assert table.unit in table.unit_span.text
        for row in table.rows:
            for cell in row.cells:
                assert cell.span.text == cell.number.printed
                assert row.span.start <= cell.span.start < cell.span.end <= row.span.end
                assert Decimal(cell.number.printed.replace(",", "")) == cell.value


def _tree_mismatches(tables: list[TextTable]) -> tuple[int, list[tuple[str, str | None, str, Decimal]]]:
    """类 = Σ 款 = Σ 项 and 合计 = Σ 类, per column, wherever all the parts' cells are certain."""
    checked, mismatches = 0, []
    for table in tables:
        if len(table.sides) != 1:
            continue  # two-sided tables split their 类 rows over both sides
        coded = [row for row in table.rows if row.code]
        total_row = table.row(label="合计")
        for column in table.columns:
            cells = {row.code: row.cell(column) for row in coded}
            children: dict[str | None, list[str]] = defaultdict(list)
            for row_code in cells:
                assert row_code is not None
                children[row_code[:-2] if len(row_code) > 3 else None].append(row_code)
            for parent, parts in children.items():
                whole = cells.get(parent) if parent else (total_row.cell(column) if total_row else None)
                if whole is None or any(cells[part] is None for part in parts):
                    continue
                checked += 1
                difference = whole.value - sum(cells[part].value for part in parts)  # type: ignore[union-attr]
                if difference:
                    mismatches.append((table.title, parent, column, difference))
    return checked, mismatches


def test_03_rows_sum_to_their_parents(tables_03: list[TextTable]) -> None:
    checked, mismatches = _tree_mismatches(tables_03)
    assert checked >= 20 and mismatches == []


def test_07_rows_sum_to_their_parents_but_for_its_known_rounding(tables_07: list[TextTable], corpus_dir: Path) -> None:
    """07's facts file: 社会保障和就业支出 is 326.71 in one table and 326.72 in the others, so its
    类 rows add up to 0.01 more than the printed 合计; everything below the 合计 adds up."""
    assert any("326.71" in note for note in _facts(corpus_dir, "07_putuo-czj-2024-final.facts.json")["inconsistencies"])
    checked, mismatches = _tree_mismatches(tables_07)
    assert checked >= 20
    assert mismatches and all(parent is None and difference == Decimal("-0.01")
                              for _, parent, _, difference in mismatches)


@pytest.mark.needs_shared("corpus")  # the fixtures it asks for by name read the corpus
@pytest.mark.parametrize("fixture", ["tables_03", "tables_07"])
def test_unaligned_rows_are_reported_and_publish_nothing_uncertain(fixture: str,
                                                                   request: pytest.FixtureRequest) -> None:
    tables: list[TextTable] = request.getfixturevalue(fixture)
    unaligned = [u for table in tables for u in table.unaligned]
    assert unaligned, "both layouts drop empty cells, so some rows cannot be aligned"
    for table in tables:
        rows_by_span = {(row.span.start, row.span.end): row for row in table.rows}
        for item in table.unaligned:
            assert item.reason and item.numbers
            row = rows_by_span[(item.span.start, item.span.end)]
            assert not row.complete
            # Each printed amount of the row is either a certain cell or listed as unplaced, never both.
            printed = re.findall(r"\d[\d,]*\.\d+", row.span.text)
            assert len(row.cells) + len(item.numbers) == len(printed)
            assert sorted([c.number.printed for c in row.cells] + [n.printed for n in item.numbers]) == sorted(printed)


def test_pdfplumber_07_agrees_with_the_twin(pdf_07: SourceText, tables_07: list[TextTable]) -> None:
    """pdfplumber lays 07's tables out in a third way (labels above their code lines): every cell both
    readings align must have the same printed value."""
    def cells(tables: list[TextTable]) -> dict[tuple[str, str, str | None, str], str]:
        return {(t.title, row.code or row.label, row.side, cell.column): cell.number.printed
                for t in tables for row in t.rows for cell in row.cells}

    twin, plumber = cells(tables_07), cells(find_tables(pdf_07))
    common = twin.keys() & plumber.keys()
    assert len(common) >= 20
    assert {key: plumber[key] for key in common} == {key: twin[key] for key in common}
