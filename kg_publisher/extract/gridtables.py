"""A text table's rows read again from the ruled cells of its PDF pages (:attr:`SourceText.grids`).

The text of a table drops its empty cells, so a row that prints fewer numbers than the table has
columns does not show which columns the numbers belong to. A ruled table does: every drawn cell
is a position, empty or not. Where a text table's body is covered by grids, its columns are read
from the grid's header cells (each column's pieces joined top to bottom, read with the vocabulary
of :mod:`kg_publisher.extract.tables`) and each row's numbers are placed by the cell they are
printed in. Nothing is guessed: a grid whose header does not give every column a known role (code,
label or one known column label per side) is not used, and the table keeps its text reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .source import CellPieces, Grid, SourceText
from .tables import (
    _NUMBER,
    _PLACEHOLDER,
    STUB_LABELS,
    PrintedNumber,
    TableCell,
    TableRow,
    TableSide,
    TextTable,
    _is_header_fragment,
    _key,
    _segment,
)

_STUB_KEYS = {_key(label) for label in STUB_LABELS}
_CODE_HEADS = ("编码", "类", "款", "项")
_CODE_CELL = re.compile(r"^\d{2,3}$")
_DECIMAL = re.compile(r"\.\d")


@dataclass(frozen=True)
class _Column:
    #: "code", "label" or "value".
    role: str
    side: int
    #: Column label (value columns) or side name (label columns).
    name: str | None = None


def _cell_text(source: SourceText, cell: CellPieces | None, sep: str = "") -> str:
    return sep.join(source.text[start:end] for start, end in cell or ())


def _label(source: SourceText, cell: CellPieces) -> str:
    """Pieces on one printed line are separated by a space, pieces on following lines are joined."""
    text = ""
    for number, (start, end) in enumerate(cell):
        if number:
            text += "" if "\n" in source.text[cell[number - 1][1]:start] else " "
        text += source.text[start:end]
    return text


def _is_data_row(source: SourceText, row: tuple[CellPieces | None, ...]) -> bool:
    """A row printing an amount, or text that is no piece of a column heading (a continuation page's rows)."""
    texts = [_cell_text(source, cell) for cell in row if cell]
    return any(_DECIMAL.search(text) and _NUMBER.match(text.replace("−", "-")) for text in texts) or any(
        not _is_header_fragment(source.text[start:end]) for cell in row if cell for start, end in cell)


def _is_stub(piece: str) -> bool:
    key = _key(piece)
    return key in _STUB_KEYS or "编码" in key or key.endswith("名称")


def _columns(source: SourceText, header: list[tuple[CellPieces | None, ...]]) -> list[_Column] | None:
    """Each grid column's role from the header cells above it; None when any column is unclear.

    A side is a run of code columns, one label column and value columns (two-sided tables print two).
    """
    columns: list[_Column] = []
    side = 0
    for index in range(len(header[0])):
        pieces = [_cell_text(source, row[index]) for row in header if row[index]]
        stubs = [piece for piece in pieces if _is_stub(piece)]
        role = ("code" if any("编码" in _key(p) or _key(p) in _CODE_HEADS for p in pieces) else "label") \
            if stubs or (pieces and all(_key(p) in _CODE_HEADS for p in pieces)) else "value"
        if role != "value" and columns and columns[-1].role == "value":
            side += 1  # codes or a label after values: the next side begins
        if role == "label":
            columns.append(_Column("label", side, "".join(p for p in pieces if p not in stubs) or None))
        elif role == "code":
            columns.append(_Column("code", side))
        else:
            found, unknown = _segment(pieces)
            if unknown or not found:
                return None
            columns.append(_Column("value", side, found[-1]))
    return columns


def _sides(columns: list[_Column]) -> tuple[TableSide, ...] | None:
    count = max(column.side for column in columns) + 1
    sides = []
    for side in range(count):
        labels = [c for c in columns if c.side == side and c.role == "label"]
        values = tuple(c.name for c in columns if c.side == side and c.role == "value" and c.name)
        # A 小计 after the first column sits under a group heading (本年支出 | 小计 基本支出 …) that
        # the records would not see: such a header is left to the text reading, as there.
        if len(labels) != 1 or len(set(values)) != len(values) or not values or "小计" in values[1:]:
            return None
        sides.append(TableSide(labels[0].name if count == 2 else None, values))
    return tuple(sides) if count <= 2 else None


def _grids_in(source: SourceText, start: int, stop: int) -> list[Grid]:
    def first_offset(grid: Grid) -> int | None:
        offsets = [piece[0] for row in grid.rows for cell in row if cell for piece in cell]
        return min(offsets) if offsets else None

    return [grid for grid in source.grids if (first := first_offset(grid)) is not None and start <= first < stop]


def read_grid_rows(source: SourceText, table: TextTable, stop: int) -> TextTable | None:
    """``table`` with rows, sides and unaligned rows read from the grids printed between its unit line
    and ``stop`` (a text offset); None when no grid there can be read with certainty."""
    grids = _grids_in(source, table.unit_span.end, stop)
    if not grids:
        return None
    columns: list[_Column] | None = None
    rows: list[TableRow] = []
    for grid in grids:
        body_start = next((i for i, row in enumerate(grid.rows) if _is_data_row(source, row)), len(grid.rows))
        header = [row for row in grid.rows[:body_start] if any(row)]
        if header:
            # 类/款/项 may share the first data row (类 款 项 合计 2,946.25 …): they head their columns.
            first = grid.rows[body_start] if body_start < len(grid.rows) else ()
            heads = tuple(cell if _cell_text(source, cell) in _CODE_HEADS else None for cell in first)
            grid_columns = _columns(source, [*header, heads] if any(heads) else header)
            if grid_columns is None or (columns is not None and grid_columns != columns):
                return None  # an unreadable or different header: keep the text reading
            columns = grid_columns
        if columns is None or any(len(row) != len(columns) for row in grid.rows):
            return None  # a continuation page without a header of its own needs the columns seen before
        for row in grid.rows[body_start:]:
            read = _read_row(source, row, columns)
            if read is None:
                return None
            rows += read
    if columns is None or not rows:
        return None
    sides = _sides(columns)
    if sides is None:
        return None
    names = [side.name for side in sides]
    named: list[TableRow] = []
    for table_row in rows:
        assert table_row.side is not None  # _read_row keeps the side's index there
        named.append(replace(table_row, side=names[int(table_row.side)] if len(sides) == 2 else None))
    rows = named
    end = max(table.span.end, *(row.span.end for row in rows))
    return replace(table, sides=sides, rows=tuple(rows), unaligned=(),
                   span=source.span(table.span.start, end))


def _read_row(source: SourceText, row: tuple[CellPieces | None, ...],
              columns: list[_Column]) -> list[TableRow] | None:
    """One :class:`TableRow` per side that prints anything (``side`` holds the side's index for now)."""
    out: list[TableRow] = []
    for side in sorted({column.side for column in columns}):
        code_parts: list[str] = []
        label = ""
        cells: list[TableCell] = []
        pieces: list[tuple[int, int]] = []
        for column, cell in zip(columns, row, strict=True):
            if column.side != side or not cell:
                continue
            pieces += cell
            text = _cell_text(source, cell)
            if column.role == "code":
                if _CODE_CELL.match(text):
                    code_parts.append(text)
                elif text not in _CODE_HEADS and not label:
                    label = _label(source, cell)  # a label cell merged over the code columns (合计)
                # 类/款/项 in a data row's code cells head their columns: not part of the row.
            elif column.role == "label":
                label = _label(source, cell)
            elif text in _PLACEHOLDER:
                continue
            elif len(cell) == 1 and _NUMBER.match(text.replace("−", "-")):
                assert column.name is not None
                start, end = cell[0]
                cells.append(TableCell(column.name, PrintedNumber.parse(text.replace("−", "-")),
                                       source.span(start, end)))
            else:
                return None  # a value cell holding text other than one number: not a table we can read
        if not pieces:
            continue
        span = source.span(min(p[0] for p in pieces), max(p[1] for p in pieces))
        code = "".join(code_parts) or None
        if code is not None and len(code) not in (3, 5, 7):
            return None
        if cells or label or code:
            out.append(TableRow(code, label, tuple(cells), span, str(side)))
    return out


