"""Recovered tables (:class:`~kg_publisher.extract.tables.TextTable`) → :class:`AmountFact` records.

Each certain cell becomes one observation; its codes come from three places, read in this order:

* the **table title**: fund scope (一般公共预算 / 政府性基金 / 国有资本经营 / 财政拨款), operation (收入 / 支出),
  indicator (“三公”经费), and 基本支出 for tables of basic expenditure only;
* the **column** label: fund source (财政拨款收入, 事业收入 …), expenditure type (基本支出, 人员经费 …),
  phase (预算数, 年初预算数, 全年预算数, 决算数), 三公 item, balances (年初/年末结转和结余);
* the **row**: its printed code (支出功能分类 类/款/项 → ``functional``, 部门预算支出经济分类 → ``economic``),
  or, on label-only rows (summary tables), what the label names (fund lines, 类 names, totals, balances).

``part_of`` follows the rows: 项 → 款 → 类 → the 合计 row, enumerated sub-lines ("1. 一般公共预算资金")
→ their line ("一、财政拨款收入"), lines → the side's total, balances and 本年合计 → 总计. A cell whose
column or row cannot be given codes is not published: it becomes an :class:`UnparsedSpan`, as do the
rows the table reader could not align (``TextTable.unaligned``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..extract.source import Span
from ..extract.tables import TableRow, TextTable
from .classification import PrintedCodes, scheme_of_table
from .context import ReadingContext
from .lexicon import BALANCES, EXPENDITURE_TYPES, FUND_SCOPES, PHASE_COLUMNS, REVENUE_KINDS, SANGONG_COLUMNS, code_of
from .model import Amount, AmountFact, Readings, Section, TextDefect, UnparsedSpan

_EXPENDITURE_COLUMNS = dict(EXPENDITURE_TYPES)
#: Columns about another year or about changes: kept out of this year's observations.
_OTHER_YEAR = ("上年", "增减")
_TOTAL_LABEL = re.compile(r"^(?:本年)?(?:收入|支出)?(?:合计|总计)$|^总计$|^合计$")
_ENUMERATED = re.compile(r"^(?:(?P<top>[一二三四五六七八九十]+)[、.．]|(?P<sub>\d{1,2})[、.．]|[（(]\S+?[）)])\s*")


@dataclass
class _Cell:
    """A certain cell with its codes, before keys and ``part_of`` are settled."""

    row_index: int
    row: TableRow
    column: str
    codes: dict[str, str]
    amount: Amount
    fact_key: str = ""
    parent: tuple[int, str] | None = None  # (row index of the parent row, column)


class _TableReader:
    def __init__(self, table: TextTable, context: str, phase: str, codes: PrintedCodes) -> None:
        self.table = table
        self.context = context
        self.printed = codes
        self.default_phase = phase
        title = table.title
        self.scheme = scheme_of_table(table.span.text)
        self.fund = code_of(title, FUND_SCOPES) or "_T"
        self.indicator = "SANGONG" if "三公" in title else "TOTAL"
        revenue, expenditure = "收入" in title, "支出" in title
        self.operation = "revenue" if revenue and not expenditure else "expenditure" if expenditure and not revenue \
            else "expenditure" if self.indicator == "SANGONG" and not revenue else None
        self.basic_only = "基本支出" in title
        self.out = Readings()

    def unparsed(self, row: TableRow, reason: str) -> None:
        self.out.unparsed.append(UnparsedSpan(row.span, reason, self.context))

    # -- codes -----------------------------------------------------------------------------
    def side_operation(self, row: TableRow) -> str | None:
        if row.side:
            if "收入" in row.side:
                return "revenue"
            if "支出" in row.side:
                return "expenditure"
        return self.operation

    def column_codes(self, column: str, operation: str) -> dict[str, str] | None:
        """Codes a column adds, or None when the column holds nothing this model can say."""
        if any(word in column for word in _OTHER_YEAR):
            return None
        codes: dict[str, str] = {}
        phase = code_of(column, PHASE_COLUMNS)
        if phase is None and "预算" in column and column.endswith("数"):
            phase = "approved"
        if phase:
            codes["phase"] = phase
        if self.indicator == "SANGONG" or "机关运行经费" in column:
            if "机关运行经费" in column:
                return {**codes, "indicator": "ORG_RUNNING_COST", "item": "_T"}
            return {**codes, "item": code_of(column, SANGONG_COLUMNS) or "_T"}
        if column in _EXPENDITURE_COLUMNS:
            return {**codes, "expenditure_type": _EXPENDITURE_COLUMNS[column]}
        balance = code_of(column, BALANCES[:2]) if "结转" in column else None
        if balance:
            return {**codes, "item": balance}
        fund = code_of(column, FUND_SCOPES) or (code_of(column, REVENUE_KINDS) if "收入" in column else None)
        if fund:
            return {**codes, "fund_source": fund}
        if phase or any(word in column for word in ("合计", "小计", "总计", "金额", "本年收入", "本年支出")):
            return codes
        return None

    def label_codes(self, label: str, operation: str, balance: str | None) -> dict[str, str] | None:
        """Codes of a row that prints no classification code (summary tables)."""
        name = _ENUMERATED.sub("", label).strip()
        if _TOTAL_LABEL.match(name):
            return {}
        for word, kind in (("人员经费", "PERSONNEL"), ("公用经费", "PUBLIC_OPERATING")):
            if name.startswith(word) and name.endswith("合计"):
                return {"expenditure_type": kind}
        if "结转" in name or "结余" in name:
            item = code_of(name, BALANCES)
            return {"item": item} if item else None
        fund = code_of(name, FUND_SCOPES) or code_of(name, REVENUE_KINDS)
        codes: dict[str, str] = {"item": balance} if balance else {}
        if operation == "revenue" or balance:
            return {**codes, "fund_source": fund} if fund else None
        functional = self.printed.code_of("functional", [name])
        if functional:
            return {**codes, "functional": functional}
        if fund and name.endswith(("拨款", "预算", "资金")):
            return {**codes, "fund_source": fund}
        return None

    # -- reading ---------------------------------------------------------------------------
    def read(self) -> Readings:
        cells: list[_Cell] = []
        rows = list(self.table.rows)
        totals: dict[tuple[str | None, str], int] = {}  # (side, kind) → row index of 合计/本年合计/总计
        balance_by_side: dict[str | None, str | None] = {}
        line_parent: dict[str | None, int] = {}
        parents: dict[int, int | None] = {}
        year_total_sides = {row.side for row in rows if "本年" in row.label and _TOTAL_LABEL.match(row.label)}
        for index, row in enumerate(rows):
            if not row.cells and row.complete:
                continue  # nothing printed, nothing to publish (an empty cell is not a 0)
            operation = self.side_operation(row)
            if operation is None:
                self.unparsed(row, f"cannot tell whether {row.label!r} in {self.table.title!r} is revenue or "
                                   "expenditure")
                continue
            name = _ENUMERATED.sub("", row.label).strip()
            is_total = bool(_TOTAL_LABEL.match(name))
            row_codes: dict[str, str] | None
            if not row.code and not name:
                row_codes = {}  # the one value row of a table without a stub column: its columns say it all
            elif row.code:
                row_codes = {self.scheme: row.code}
                parent_code = row.code[:-2] if len(row.code) > 3 else None
                parents[index] = next((i for i, r in enumerate(rows) if parent_code and r.code == parent_code), None)
                if parents[index] is None:
                    parents[index] = -1  # settled below: the table's 合计 row
            else:
                if is_total:
                    grand = "总计" in name and row.side in year_total_sides
                    row_codes = {"item": "GRAND_TOTAL"} if grand else {}
                    totals[(row.side, "grand" if grand else "total")] = index
                    balance_by_side[row.side] = None
                else:
                    row_codes = self.label_codes(row.label, operation, balance_by_side.get(row.side))
                    if row_codes is not None and row_codes.get("item") in ("YEAR_START_BALANCE", "YEAR_END_BALANCE") \
                            and "fund_source" not in row_codes:
                        balance_by_side[row.side] = row_codes["item"]
                        line_parent[row.side] = index
                        parents[index] = -2  # a balance: part of the grand total
                    elif row_codes is not None:
                        enumerated = _ENUMERATED.match(row.label)
                        if enumerated and enumerated.group("sub") and row.side in line_parent:
                            parents[index] = line_parent[row.side]
                        elif balance_by_side.get(row.side):
                            parents[index] = line_parent.get(row.side)
                        else:
                            parents[index] = -1
                            if enumerated and enumerated.group("top"):
                                line_parent[row.side] = index
            if row_codes is None:
                self.unparsed(row, f"row {row.label!r} of {self.table.title!r} names no fund, classification or "
                                   "total this model knows")
                continue
            for cell in row.cells:
                column_codes = self.column_codes(cell.column, operation)
                if column_codes is None:
                    self.out.unparsed.append(UnparsedSpan(
                        cell.span, f"column {cell.column!r} of {self.table.title!r} has no code in this model",
                        self.context))
                    continue
                codes = {"operation": operation, "indicator": self.indicator, "fund_source": self.fund,
                         "phase": self.default_phase,
                         "expenditure_type": ("BASIC" if self.basic_only else "_T") if operation == "expenditure"
                         else "_Z", **column_codes, **row_codes}
                cells.append(_Cell(index, row, cell.column, codes,
                                   Amount.parse(cell.number.printed, self.table.unit)))
            if not row.complete:
                self.unparsed(row, f"some numbers of row {row.label!r} could not be tied to a column")
        for unaligned in self.table.unaligned:
            self.out.unparsed.append(UnparsedSpan(unaligned.span, unaligned.reason, self.context))
        return self.publish(cells, rows, parents, totals)

    def publish(self, cells: list[_Cell], rows: list[TableRow], parents: dict[int, int | None],
                totals: dict[tuple[str | None, str], int]) -> Readings:
        by_position: dict[tuple[int, str], _Cell] = {}
        seen: dict[tuple[tuple[str, str], ...], str] = {}
        for cell in cells:
            row_key = cell.row.code or f"r{cell.row_index + 1}"
            column_key = f"c{self.table.columns.index(cell.column) + 1}" if cell.column in self.table.columns \
                else "c0"
            cell.fact_key = f"{self.context}.{row_key}.{column_key}"
            identity = tuple(sorted(cell.codes.items()))
            if identity in seen:
                self.out.unparsed.append(UnparsedSpan(
                    cell.row.span, f"{cell.row.label!r} / {cell.column!r} has the same codes as {seen[identity]}",
                    self.context))
                continue
            seen[identity] = cell.fact_key
            by_position[(cell.row_index, cell.column)] = cell
        def parent_of(index: int) -> int | None:
            parent_row = parents.get(index)
            side = rows[index].side
            if parent_row == -1:
                return totals.get((side, "total"))
            if parent_row == -2:
                return totals.get((side, "grand"))
            if parent_row is None and index == totals.get((side, "total")):
                return totals.get((side, "grand"))
            return parent_row

        # A parent's breakdown is complete only if no part row lost numbers to alignment.
        partial = {(parent_of(index), column) for index, row in enumerate(rows) if not row.complete
                   for column in self.table.columns if (index, column) not in by_position}
        for cell in by_position.values():
            parent_row = parent_of(cell.row_index)
            parent = by_position.get((parent_row, cell.column)) if parent_row is not None else None
            # Any: the codes fill str fields only, which mypy cannot tell from the keys.
            fields: dict[str, Any] = {k: v for k, v in cell.codes.items() if k in AmountFact.__dataclass_fields__}
            self.out.facts.append(AmountFact(
                key=cell.fact_key, label=f"{cell.row.label} / {cell.column}" if cell.row.label else cell.column,
                amount=cell.amount,
                span=self.source_span(cell), context=self.context,
                part_of=parent.fact_key if parent and parent is not cell else None,
                breakdown_complete=(cell.row_index, cell.column) not in partial, **fields))
        return self.out

    def source_span(self, cell: _Cell) -> Span:
        printed = cell.row.cell(cell.column)
        assert printed is not None
        return printed.span


def _context(table: TextTable, sections: tuple[Section, ...], number: int) -> str:
    for section in sections:
        if section.code.startswith("table") and section.span.start <= table.title_span.start < section.span.end:
            return section.code
    return f"table-{number}"


def read_table_facts(ctx: ReadingContext, tables: Sequence[TextTable]) -> Readings:
    """Observations of every certain table cell of ``tables`` (those printed in the text), and what could not be
    published."""
    source = ctx.source
    out = Readings()
    for number, table in enumerate(tables, start=1):
        part = _TableReader(table, _context(table, ctx.sections, number), ctx.phase, ctx.printed_codes).read()
        out.facts += part.facts
        out.unparsed += part.unparsed
        out.defects += [TextDefect("stray-characters", row.span, (
            f"the code of row {row.label!r} is printed as '{row.short_code}' (a level lost its leading zero; "
            f"read as {row.code})")) for row in table.rows if row.short_code]
        # the note stands inside the table or on the line right after it (blank lines aside: a layout-keeping
        # extractor pads the page with them)
        empty = _EMPTY_NOTE.search(source.text, table.span.start, table.span.end + 2000)
        # whether or not its cells could be read: the numbers printed in the table's rows
        nonzero = [token for row in table.rows for token in row.span.text.split()
                   if _PRINTED_NUMBER.match(token) and token.strip("0.,")]
        between = source.text[table.span.end:empty.start()].split("\n")[1:-1] if empty else []
        if empty and nonzero and not any(line.strip() for line in between):
            out.defects.append(TextDefect("template-residue", source.span(empty.start(), empty.end()), (
                f"the note under table '{table.title}' says the table is empty, but it prints "
                f"{len(nonzero)} non-zero figure(s): {' '.join(nonzero[:8])}")))
    return out


_PRINTED_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
#: A table's note saying it has nothing to show ("注:本部门2024年无“三公”经费…预算，故本表为空表。").
_EMPTY_NOTE = re.compile(r"注[:：][^\n]*(?:本表为空表|故本表无数据)[^\n]*")
