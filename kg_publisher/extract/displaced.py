"""Put back the digits a text extractor drew onto a line of their own.

An extractor that makes lines out of characters whose *tops* agree (pdfplumber's default
``extract_text()``, and tools built the same way) splits a printed line whose digits are set in another
font than its words (Arial digits in FangSong text): the words stay on the line, with one blank where
each number stood, and the numbers follow on a line of their own, left to right::

    上海市普陀区财政局 年度收入支出总计 万元。与 年度相比，收入
    2024 2995.39 2023

Our own PDF reader never does this (:mod:`.pdflines` groups characters by baseline); a text someone
drew with such a tool is repaired here, before any reading, so the repaired text is the text every
span points into (as a PDF's text is the one we draw from it).

Only what is certain is repaired. The text must show the pattern (units standing without their number,
``总计 万元``, at least :data:`MIN_ORPHAN_UNITS` times and for at least half of its 万元), and a line of numbers
(and the quotation marks set in the digits' font) goes back into the line
above only where their counts fit: one number per blank between words, plus possibly one at the
line's start and one at its end. When one number more than blanks is printed, it stands at the start
if the line begins with what follows a number (万元, %, 年, ；…), else at its end (a table row: label
first, amount last); a lone integer is put at a line's start only (年度…, 、…: a page number stays), and
nothing else is changed.
"""

from __future__ import annotations

import re

#: The text shows the split when at least this many units (万元, 元, %) stand after a blank with no number.
MIN_ORPHAN_UNITS = 3

_UNIT = re.compile(r"万元|亿元")
#: A unit after a blank that follows a word, not a number ("总计 万元"; "单位： 万元" and "（ 万元）" are no sign).
_ORPHAN_UNIT = re.compile(r"(?<![\d.,%：:（(\s])[ \t]+(?:万元|亿元)")
#: What is drawn away: numbers, and the quotation marks set in the same font (“三公”).
_TOKEN = r"(?:[-−]?\d[\d,]*(?:\.\d+)?%?|[“”‘’\"'])"
_NUMBERS_LINE = re.compile(rf"^{_TOKEN}(?: {_TOKEN})*$")
_QUOTE = frozenset("“”‘’\"'")
_OPENING = frozenset("“‘")
_LONE_INTEGER = re.compile(r"^\d+$")
#: Blanks between two printed characters of a line of words: where a number stood (one blank, or a run of them
#: in a layout-keeping text).
_HOLE = re.compile(r"(?<=\S) +(?=\S)")
#: What a line starts with when the number printed before it was drawn away (万元, 年度, %, closing marks).
_FOLLOWS_A_NUMBER = re.compile(r"^(?:万元|亿元|元|%|个|人|辆|家|；|，|。|、|）|\)|:|：|\.)")
#: A year drawn away from the 年 after it (2024 / 年度部门决算).
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
#: Sentence marks and units: the line is prose, whose numbers were printed without blanks around them.
_PROSE = re.compile(r"[，。；：]|万元|%")
_WIDE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
#: A line padded with blanks to keep the page's columns (pdfplumber ``layout=True``, ``pdftotext -layout``).
_LAYOUT = re.compile(r"\S {3,}\S")


def _overlay(words: str, numbers: str) -> str | None:
    """A layout-keeping text puts every character at its column: the numbers go where the line of words has
    blanks, character for character; None when any of them would cover a printed character."""
    width = max(len(words), len(numbers))
    merged = list(words.ljust(width))
    for column, char in enumerate(numbers):
        if char == " ":
            continue
        if merged[column] != " ":
            return None
        merged[column] = char
    return "".join(merged).rstrip() + words[len(words.rstrip()):] if len(numbers) <= len(words) else "".join(merged)


def shows_displaced_digits(text: str) -> bool:
    """Most units stand without their number (a few blanks left in an unfilled sentence are not the split)."""
    orphans = len(_ORPHAN_UNIT.findall(text))
    return orphans >= MIN_ORPHAN_UNITS and orphans * 2 >= len(_UNIT.findall(text))


def restore_displaced_digits(text: str) -> str:
    """``text`` with each line of numbers put back into the line of words above it, where certain; the
    text unchanged when it does not show the split (most texts)."""
    if not shows_displaced_digits(text):
        return text
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None:
            merged = _merge(line, following.rstrip())
            if merged is not None:
                out.append(merged)
                index += 2
                continue
        out.append(line)
        index += 1
    return "\n".join(out)


def _merge(words: str, numbers: str) -> str | None:
    """The line of words with the numbers put where they were printed; None when that is not certain."""
    if not _WIDE.search(words) or not _NUMBERS_LINE.match(" ".join(numbers.split())) \
            or _NUMBERS_LINE.match(" ".join(words.split())):
        return None
    if _LAYOUT.search(words) and (overlaid := _overlay(words, numbers)) is not None:
        return overlaid
    numbers = " ".join(numbers.split())
    tokens = numbers.split(" ")
    stripped = words.strip()
    lead = words[:len(words) - len(words.lstrip())]
    holes = [(match.start(), match.end()) for match in _HOLE.finditer(stripped)]
    extra = len(tokens) - len(holes)
    if extra == 0:
        at_start = at_end = False
    elif extra == 2:
        at_start = at_end = True
    elif extra == 1:
        at_start = (tokens[0] in _OPENING or bool(_FOLLOWS_A_NUMBER.match(stripped))
                    or (stripped.startswith("年") and bool(_YEAR.match(tokens[0]))))
        at_end = not at_start
    else:
        return None
    if at_end and len(tokens) == 1 and _LONE_INTEGER.match(tokens[0]):
        return None  # a page number or a count: where it stood is not shown
    # a table row's amounts stand apart from its label (the table reader splits cells at blanks); prose and
    # quotation marks were printed against their words
    blank = "" if _PROSE.search(stripped) else " "
    queue = [(token, "" if token in _QUOTE else blank) for token in tokens]
    pieces: list[str] = []
    if at_start:
        token, join = queue.pop(0)
        pieces.append(token + join)
    position = 0
    for start, end in holes:
        token, join = queue.pop(0)
        pieces += [stripped[position:start], join, token, join]
        position = end
    pieces.append(stripped[position:])
    if at_end:
        token, join = queue.pop(0)
        pieces += [join, token]
    return lead + "".join(pieces)
