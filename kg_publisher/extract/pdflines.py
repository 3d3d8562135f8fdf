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
"""

from __future__ import annotations

from typing import Any

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


def page_text(page: Any) -> str:
    """``page.extract_text()`` (default options) over the page's characters with aligned line tops."""
    from pdfplumber.utils import chars_to_textmap

    chars = align_line_tops(list(page.chars))
    if not chars:
        return ""
    textmap = chars_to_textmap(chars, layout_bbox=page.bbox, layout_width=page.width, layout_height=page.height)
    return str(textmap.as_string)
