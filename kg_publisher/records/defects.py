"""Faults of the source text itself, recorded where they are and never fixed.

Kinds: ``duplicated-paragraph`` (a run of lines printed twice in a row), ``unfilled-alternative``
(the template's "增加/减少", "增长/下降", or "与上年持平" printed beside a number), ``doubled-phrase``
("主要职责有主要职责有"), ``stray-characters`` ("0%0") and ``template-residue`` (placeholders such as
"主要原因是0", "XX", or the template's instruction to the department left in the text).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..extract.source import SourceText
from .flow import Flowed, TextView
from .lexicon import LEVELS
from .model import TextDefect
from .patterns import CJK

_DIRECTIONS = "增加|减少|增长|下降|上升|降低|提高"
_ALTERNATIVE_WORDS = re.compile(rf"(?:{_DIRECTIONS})(?:\s*/\s*(?:{_DIRECTIONS}))+")
_UNCHANGED_BESIDE_NUMBER = re.compile(r"(?<=[\d元%])\s*/\s*(?P<alt>与(?:上年|\d{4}年度?)?(?:预算)?持平)")
_DOUBLED = re.compile(rf"([{CJK}]{{3,}})\1")
_STRAY = re.compile(r"(?<![\d.])\d+(?:\.\d+)?[%％]\d+")
#: Placeholders: phrases (looked for on the flowed text too, like the other phrase defects) …
_PLACEHOLDERS = (
    (re.compile(r"(?:主要)?原因(?:是|为)[:：]?[ \t]*(?:[0０](?![\d.%])|(?=[。；]))"), "the reason is a placeholder"),
    (re.compile(r"(?<![A-Za-z])(?:XX|ＸＸ|××|＊＊)(?![A-Za-z])"), "a template placeholder was not filled in"),
)
#: … and the template's instruction, a printed line (or sentence) of its own.
_RESIDUE = (
    (re.compile(r"[^。\n]*部门应根据实际情况[^。\n]*。?"), "the template's instruction to the department was printed"),
)
#: Longest run of lines compared when looking for a doubled paragraph.
_MAX_BLOCK_LINES = 60
_MIN_BLOCK_CJK = 8


def find_defects(source: SourceText, tables: Sequence[tuple[int, int]] = (),
                 flowed: Flowed | None = None) -> tuple[TextDefect, ...]:
    """All defects of ``source`` in text order.

    Repeated lines inside ``tables`` (start, end) are not doubled paragraphs: column headers of
    a two-column table layout legitimately repeat. With the ``flowed`` text, the phrase defects a line or
    page break runs through (主要职责有⏎主要职责有, 增加/⏎减少) are found too, outside the tables.
    """
    defects: list[TextDefect] = [
        defect for defect in _duplicated_paragraphs(source)
        if not any(start <= defect.span.start < end for start, end in tables)
    ]
    printed = _phrase_defects(source)
    defects += printed
    if flowed is not None:  # what a line or page break hid from the printed lines
        defects += [d for d in _phrase_defects(flowed) if _BREAKS.intersection(d.span.text)
                    and not any(start <= d.span.start < end for start, end in tables)
                    and not any(p.kind == d.kind and p.span.start < d.span.end and d.span.start < p.span.end
                                for p in printed)]
    defects += _template_residue(source, _RESIDUE)
    defects += _other_level(source)
    return tuple(sorted(defects, key=lambda d: (d.span.start, d.span.end, d.kind)))


_BREAKS = frozenset("\n\r\f")


def _phrase_defects(view: TextView) -> list[TextDefect]:
    """Unfilled alternatives, doubled phrases and stray characters in ``view`` (the printed or the flowed text)."""
    text = view.text
    defects = []
    for match in _ALTERNATIVE_WORDS.finditer(text):
        defects.append(TextDefect("unfilled-alternative", view.span(match.start(), match.end()),
                                  f"template alternatives '{match.group(0)}' printed instead of one word"))
    for match in _UNCHANGED_BESIDE_NUMBER.finditer(text):
        defects.append(TextDefect("unfilled-alternative", view.span(match.start("alt"), match.end("alt")),
                                  f"'{match.group('alt')}' printed beside a stated change: template alternative "
                                  "left in"))
    for match in _DOUBLED.finditer(text):
        defects.append(TextDefect("doubled-phrase", view.span(match.start(), match.end()),
                                  f"'{match.group(1)}' printed twice in a row"))
    for match in _STRAY.finditer(text):
        defects.append(TextDefect("stray-characters", view.span(match.start(), match.end()),
                                  f"stray characters after a percentage in '{match.group(0)}'"))
    return defects + _template_residue(view, _PLACEHOLDERS)


def _template_residue(view: TextView, patterns: Sequence[tuple[re.Pattern[str], str]]) -> list[TextDefect]:
    text = view.text
    defects = []
    for pattern, message in patterns:
        for match in pattern.finditer(text):
            start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
            if match.end() > start:
                defects.append(TextDefect("template-residue", view.span(start, match.end()),
                                          f"{message}: '{match.group(0).strip()}'"))
    return defects


#: The government level a disclosure's title names ("上海市普陀区2024年区级部门预算").
_TITLE_LEVEL = re.compile(rf"(?P<level>[{LEVELS}])级(?:部门|单位)?(?:预算|决算)")
#: The level named by the template's fixed wording ("市级预算主管部门", "使用市级财政拨款").
_LEVEL_WORDING = re.compile(rf"(?P<level>[{LEVELS}])级(?=预算主管部门|财政)")


def _other_level(source: SourceText) -> list[TextDefect]:
    """Template wording of another government level than the title's (市级 in a 区级 budget): one defect,
    at the first such phrase, counting them all."""
    title = _TITLE_LEVEL.search(source.text, 0, 400)
    if title is None:
        return []
    other = [m for m in _LEVEL_WORDING.finditer(source.text) if m.group("level") != title.group("level")]
    if not other:
        return []
    first = other[0]
    phrase = source.text[first.start():first.end() + 6]
    return [TextDefect("template-residue", source.span(first.start(), first.end() + 6), (
        f"the text speaks of {first.group('level')}级 ('{phrase}', {len(other)} time(s)) in a "
        f"{title.group('level')}级 disclosure: wording of another level's template"))]


def _duplicated_paragraphs(source: SourceText) -> list[TextDefect]:
    """Runs of non-blank lines printed twice in a row (blank lines and indentation ignored)."""
    lines: list[tuple[int, int, str]] = []
    offset = 0
    for raw in source.text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = offset + len(raw) - len(raw.lstrip())
            lines.append((start, start + len(stripped), stripped))
        offset += len(raw) + 1
    # where each line's text occurs: a copy can only start at a later line with the same text
    at: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        at.setdefault(line[2], []).append(index)
    found: list[TextDefect] = []
    i = 0
    while i < len(lines):
        same = at[lines[i][2]]
        later = same[bisect_right(same, i):bisect_right(same, min(len(lines) - 1, i + _MAX_BLOCK_LINES))]
        for j in reversed(later):  # the longest block first, as before
            size = j - i
            if j + size > len(lines):
                continue
            first, second = lines[i:j], lines[j:j + size]
            if [line[2] for line in first] != [line[2] for line in second]:
                continue
            if sum(len(re.findall(f"[{CJK}]", line[2])) for line in first) < _MIN_BLOCK_CJK:
                continue
            span = source.span(second[0][0], second[-1][1])
            found.append(TextDefect(
                "duplicated-paragraph", span,
                f"{size} line(s) printed twice in a row (first copy at {first[0][0]}–{first[-1][1]})",
            ))
            i = j + size - 1
            break
        i += 1
    return found
