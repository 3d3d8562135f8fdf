"""The numbers of rows that leave cells empty, placed by the sums a classified table holds.

A text drops empty cells, so ``2010602 一般行政管理事务 100,000.00 100,000.00`` under 合计 / 基本支出 /
项目支出 does not show whether its second number is 基本 or 项目 (:mod:`.tables` leaves it unplaced).
The table itself often does: a row's amounts are the sums of its sub-rows' (类 = Σ 款, 款 = Σ 项, 合计 = Σ 类),
column by column, and amounts are never negative. So

* a column a row leaves empty is empty in every row below it (行政事业单位医疗 under a 卫生健康支出 with
  no 项目支出 has none either);
* a column whose amount in a row is exactly the sum of what its sub-rows already place there is empty
  in its other sub-rows (201's 项目支出 6,093,114.80 is all in 2010601 … so 2010602's amount is 基本支出 —
  or, in 03's table, the 合计's 项目支出 is all 201's, so 208's single amount is 基本支出);

and a row left with as many columns as unplaced numbers gets them in column order. Where the table's 合计
row itself leaves cells empty, another table of the document may say which: a summary table's row named
as the column (二、事业收入 for the column 事业收入) that prints no amount, while no row so named prints one,
is an empty column (:func:`empty_columns`; 收入支出决算总表 → 收入决算表). Nothing is assumed
beyond that: a table with a negative amount, a printed zero among the unplaced numbers, or a row whose
numbers could then go nowhere is left as it was, and so is the whole table when, once placed, a row's
sub-rows do not add up to it (within the rounding of the printed decimals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from .source import SourceText, Span
from .tables import _ENUM, TOTAL_COLUMNS, PrintedNumber, TableCell, TableRow, TextTable, UnalignedRow, _key

_TOTAL_LABELS = ("合计", "总计")


@dataclass(eq=False)  # rows are told apart by identity (dictionary keys)
class _Row:
    index: int
    code: str | None
    #: Part column → amount, where certain.
    placed: dict[str, Decimal]
    #: The row's numbers not yet placed (in printed order) with their spans.
    open: list[tuple[PrintedNumber, Span]] = field(default_factory=list)
    #: Columns the open numbers may still stand in.
    candidates: set[str] = field(default_factory=set)
    #: The numbers placed here: (column, number, span).
    cells: list[tuple[str, PrintedNumber, Span]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.open

    def may_hold(self) -> set[str]:
        """Columns that can hold an amount in this row."""
        return set(self.placed) | (self.candidates if self.open else set())


def row_names(table: TextTable) -> dict[str, bool]:
    """The table's uncoded rows by label key (enumerator dropped) → whether any row so named prints an amount."""
    printed = {(row.span.start, row.span.end) for row in table.unaligned}
    names: dict[str, bool] = {}
    for row in table.rows:
        if not row.code:
            key = _key(_ENUM.sub("", row.label))
            names[key] = names.get(key, False) or bool(row.cells) or (row.span.start, row.span.end) in printed
    return names


def empty_columns(table: TextTable, others: list[dict[str, bool]]) -> frozenset[str]:
    """The columns of ``table`` that rows of other tables (their :func:`row_names`) named as the column leave
    empty, while none so named prints an amount."""
    empty = set()
    for column in (column for side in table.sides for column in side.columns):
        filled = {names[_key(column)] for names in others if _key(column) in names}
        if filled == {False}:
            empty.add(column)
    return frozenset(empty)


def place_by_column_sums(source: SourceText, table: TextTable, empty: frozenset[str] = frozenset()) -> TextTable:
    """``table`` with the unplaced numbers its sums place with certainty (see the module docstring); ``empty``:
    columns known to be empty in the table's 合计 row (:func:`empty_columns`)."""
    if len(table.sides) != 1 or not table.unaligned:
        return table
    side = table.sides[0]
    columns = side.columns
    if not side.columns_certain or len(columns) < 3 or columns[0] not in TOTAL_COLUMNS:
        return table
    parts = columns[1:]
    unaligned = {(row.span.start, row.span.end): row for row in table.unaligned}
    rows: list[_Row] = []
    for index, row in enumerate(table.rows):
        if any(cell.value < 0 for cell in row.cells):
            return table
        total = row.cell(columns[0])
        if total is None:
            continue
        state = _Row(index, row.code if row.code else _root(row), {c.column: c.value for c in row.cells
                                                                    if c.column != columns[0]})
        if not row.complete:
            numbers = _open_numbers(source, row, unaligned.get((row.span.start, row.span.end)), total)
            if numbers is None:
                continue  # unplaced for another reason: not used
            if any(number.value <= 0 for number, _ in numbers):
                return table
            state.open = numbers
            state.candidates = set(parts) - set(state.placed) - (set(empty) if state.code == "" else set())
            if sum((n.value for n, _ in numbers), sum(state.placed.values(), Decimal(0))) != total.value:
                continue
        rows.append(state)
    children = _children(rows)
    printed = _printed_children(table)
    if not children or not any(not row.complete for row in rows):
        return table
    changed = True
    while changed:
        changed = False
        for parent, kids in children.items():
            for kid in kids:
                if kid.open and not kid.candidates <= parent.may_hold():
                    kid.candidates &= parent.may_hold()
                    changed = True
            if not parent.complete:
                continue
            for column, amount in parent.placed.items():
                if sum((kid.placed.get(column, Decimal(0)) for kid in kids), Decimal(0)) != amount:
                    continue
                for kid in kids:
                    if kid.open and column in kid.candidates:
                        kid.candidates.discard(column)
                        changed = True
        for state in rows:
            if state.open and len(state.candidates) < len(state.open):
                return table  # the sums leave a number nowhere: the table is not what the rules assume
            if state.open and len(state.candidates) == len(state.open):
                ordered = [column for column in parts if column in state.candidates]
                state.cells = [(column, number, span)
                               for column, (number, span) in zip(ordered, state.open, strict=True)]
                state.placed.update({column: number.value for column, number, _ in state.cells})
                state.candidates, state.open = set(), []
                changed = True
    if not _sums_hold(children, printed, table):
        return table
    return _with_placed(table, rows, columns)


def _root(row: TableRow) -> str | None:
    """The total row (合计) stands above the 类 rows."""
    return "" if any(_key(row.label).endswith(word) for word in _TOTAL_LABELS) else None


def _open_numbers(source: SourceText, row: TableRow, unplaced: UnalignedRow | None,
                  total: TableCell) -> list[tuple[PrintedNumber, Span]] | None:
    """The row's unplaced numbers with their spans: the printed chunks equal to them, in order, after the total."""
    if unplaced is None or not unplaced.numbers:
        return None
    found: list[tuple[PrintedNumber, Span]] = []
    wanted = list(unplaced.numbers)
    for match in re.finditer(r"\S+", row.span.text):
        start = row.span.start + match.start()
        if start <= total.span.start or not wanted:
            continue
        if match.group().replace("−", "-") == wanted[0].printed:
            found.append((wanted.pop(0), source.span(start, row.span.start + match.end())))
    return found if not wanted else None


def _children(rows: list[_Row]) -> dict[_Row, list[_Row]]:
    """Each row's sub-rows by code (201 → 20106 → 2010601; the 合计 row above every 类)."""
    by_code = {row.code: row for row in rows if row.code is not None}
    if len(by_code) != sum(1 for row in rows if row.code is not None):
        return {}  # a code printed twice (a repeated page): which sums hold is not clear
    out: dict[_Row, list[_Row]] = {}
    for row in rows:
        if not row.code:
            continue
        parent_code = "" if len(row.code) == 3 else row.code[:-2]
        parent = by_code.get(parent_code)
        if parent is not None:
            out.setdefault(parent, []).append(row)
    return out


def _printed_children(table: TextTable) -> dict[str, int]:
    """How many sub-rows the table prints under each code ("" for the 合计 row)."""
    counts: dict[str, int] = {}
    for row in table.rows:
        if row.code:
            parent = "" if len(row.code) == 3 else row.code[:-2]
            counts[parent] = counts.get(parent, 0) + 1
    return counts


def _sums_hold(children: dict[_Row, list[_Row]], printed: dict[str, int], table: TextTable) -> bool:
    """Every complete row whose sub-rows are all read and complete is their sum, column by column (within
    rounding); a row some of whose sub-rows could not be read is not checked."""
    decimals = max((cell.number.decimals for row in table.rows for cell in row.cells), default=0)
    for parent, kids in children.items():
        if not parent.complete or not all(kid.complete for kid in kids) or len(kids) != printed.get(
                parent.code or "", 0):
            continue
        tolerance = Decimal(5).scaleb(-1 - decimals) * len(kids)
        for column in {*parent.placed, *(c for kid in kids for c in kid.placed)}:
            total = sum((kid.placed.get(column, Decimal(0)) for kid in kids), Decimal(0))
            if abs(total - parent.placed.get(column, Decimal(0))) > tolerance:
                return False
    return True


def _with_placed(table: TextTable, rows: list[_Row], columns: tuple[str, ...]) -> TextTable:
    new_rows = list(table.rows)
    resolved: set[tuple[int, int]] = set()
    for state in rows:
        if not state.cells:
            continue
        row = table.rows[state.index]
        extra = [TableCell(column, number, span) for column, number, span in state.cells]
        cells = sorted((*row.cells, *extra), key=lambda cell: columns.index(cell.column))
        new_rows[state.index] = replace(row, cells=tuple(cells), complete=True)
        resolved.add((row.span.start, row.span.end))
    if not resolved:
        return table
    return replace(table, rows=tuple(new_rows), unaligned=tuple(
        row for row in table.unaligned if (row.span.start, row.span.end) not in resolved))
