"""Text of one PDF page with the characters of one printed line kept on one line, whatever their fonts.

pdfplumber's ``extract_text()`` puts two characters on one line when their *tops* differ by at most
3 pt. A character's top comes from its font's ascent, so a line that mixes fonts (Arial or Times New
Roman digits and quotes inside FangSong text) has several tops although every character stands on
the same baseline: by the 3 pt rule the digits fall onto a line of their own (``年度部门决算`` /
``2024``; a table row's label above its code and amounts).

The baseline is what makes a line: it is the vertical offset of the character's text matrix. Here
the characters whose baselines agree (within :data:`BASELINE_TOLERANCE`) are given the top and
bottom of the line's topmost character, and pdfplumber then lays the text out as usual (default
options: word spacing, left-to-right order). Lines set in one font already share their tops, so
their text is exactly what ``page.extract_text()`` gives.

Tables drawn with ruling lines are also read cell by cell (pdfplumber's ``find_tables``): a cell's
characters are given as their offsets in the page text, so the table reader knows each printed
number's column even where a row leaves cells empty, which the text alone cannot show.
"""

from __future__ import annotations

from typing import Any

from .source import CellPieces

#: Baselines closer than this (pt) are one printed line (renderers place text to 1/100 pt or better).
BASELINE_TOLERANCE = 0.5

Char = dict[str, Any]


def _baseline(char: Char) -> float | None:
    """Vertical position of an upright, unrotated character's baseline (PDF space, y upwards)."""
    a, b, c, d, _, f = char["matrix"]
    if not char.get("upright", True) or b or c or a <= 0 or d <= 0:
        return None  # rotated or mirrored text keeps pdfplumber's own reading
    return float(f)


def _lines(chars: list[Char]) -> list[list[int]]:
    """Indexes of the characters of each printed line (baselines chained within the tolerance)."""
    placed = sorted((baseline, index) for index, char in enumerate(chars)
                    if (baseline := _baseline(char)) is not None)
    lines: list[list[int]] = []
    previous: float | None = None
    for baseline, index in placed:
        if previous is None or baseline - previous > BASELINE_TOLERANCE:
            lines.append([])
        lines[-1].append(index)
        previous = baseline
    return lines


def align_line_tops(chars: list[Char]) -> list[Char]:
    """Copies of ``chars`` (same order) in which the characters of one printed line share top and bottom."""
    aligned = list(chars)
    for line in _lines(chars):
        top = min(chars[index]["top"] for index in line)
        bottom = max(chars[index]["bottom"] for index in line)
        for index in line:
            char = chars[index]
            if char["top"] == top and char["bottom"] == bottom:
                continue
            shift = top - char["top"]
            aligned[index] = {**char, "top": top, "bottom": bottom, "doctop": char["doctop"] + shift}
    return aligned


GridRows = tuple[tuple[CellPieces | None, ...], ...]


def read_page(page: Any) -> tuple[str, list[GridRows]]:
    """The page's text (``page.extract_text()`` with default options over the characters with aligned
    line tops) and its ruled tables, each cell given as the offsets of its pieces in that text."""
    from pdfplumber.utils import chars_to_textmap

    chars = list(page.chars)
    aligned = align_line_tops(chars)
    if not aligned:
        return "", []
    textmap = chars_to_textmap(aligned, layout_bbox=page.bbox, layout_width=page.width, layout_height=page.height)
    text = str(textmap.as_string)
    offset_of: dict[int, int] = {}
    for offset, (_, obj) in enumerate(textmap.tuples):
        if obj is not None:
            offset_of.setdefault(id(obj), offset)
    # Cells are matched on the characters' own boxes, not on the aligned copies.
    placed = [(chars[i], offset_of[id(copy)]) for i, copy in enumerate(aligned) if id(copy) in offset_of]
    return text, [_grid_rows(table, placed) for table in page.find_tables()]


def _grid_rows(table: Any, placed: list[tuple[Char, int]]) -> GridRows:
    rows = []
    for row in table.rows:
        _, top, _, bottom = row.bbox
        in_row = [(char, offset) for char, offset in placed if top <= (char["top"] + char["bottom"]) / 2 < bottom]
        cells: list[CellPieces | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            x0, cell_top, x1, cell_bottom = cell
            offsets = sorted(offset for char, offset in in_row
                             if x0 <= (char["x0"] + char["x1"]) / 2 < x1
                             and cell_top <= (char["top"] + char["bottom"]) / 2 < cell_bottom)
            cells.append(_runs(offsets))
        rows.append(tuple(cells))
    return tuple(rows)


def _runs(offsets: list[int]) -> CellPieces:
    """Consecutive offsets as (start, end) pieces."""
    pieces: list[tuple[int, int]] = []
    for offset in offsets:
        if pieces and pieces[-1][1] == offset:
            pieces[-1] = (pieces[-1][0], offset + 1)
        else:
            pieces.append((offset, offset + 1))
    return tuple(pieces)
