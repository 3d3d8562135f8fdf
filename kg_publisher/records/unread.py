"""What a disclosure holds that no reader read, kept as records so the product says what it did not read.

* an ``incomplete`` :class:`TextDefect` naming the parts the table of contents lists but the text does not hold
  (or, without a table of contents, the summary and "三公" chapters every disclosure has);
* an :class:`UnparsedSpan` for each table section holding no table printed in the text, each duty or unit
  section that gave no numbered item, and each sentence outside the tables holding a money figure that no
  record covers. The graph shows them as one note (``sh:Info``) per section: our limit, not the source's fault.
"""

from __future__ import annotations

import re

from ..extract.source import SourceText
from .model import Section, TextDefect, UnparsedSpan
from .patterns import AMOUNT, strip_span
from .sections import innermost, meaning_of


def missing_parts(source: SourceText, sections: tuple[Section, ...],
                   contents: list[tuple[int, int, str]]) -> list[TextDefect]:
    """An ``incomplete`` defect naming what the table of contents lists but the text does not hold; without a
    table of contents, the summary and "三公" chapters every disclosure has."""
    headings = [_squeezed(section.heading) for section in sections]
    if contents:
        missing = [(start, end, title) for start, end, title in contents
                   if not any(_squeezed(title) in heading or (heading and heading in _squeezed(title))
                              for heading in headings)
                   and not any(section.meaning == meaning_of(title) not in ("other", "narrative", "tables")
                               for section in sections)]
        if not missing:
            return []
        names = "、".join(title for _, _, title in missing[:12]) + (" …" if len(missing) > 12 else "")
        return [TextDefect("incomplete", source.span(missing[0][0], missing[-1][1]), (
            f"the table of contents lists {len(missing)} part(s) the text does not hold: {names}"))]
    wanted = [name for name, topic in (("收支总体情况说明", "budget-summary"), ("“三公”经费说明", "sangong"))
              if not any(section.meaning == topic for section in sections)]
    if not wanted or not sections:
        return []
    last = sections[-1].span
    return [TextDefect("incomplete", last, f"the text has no {' / '.join(wanted)}: parts of a disclosure missing")]


def _squeezed(text: str) -> str:
    return re.sub(r"\s|\d+年度?|（部门）|部门|的|情况", "", text)


def unread_sections(source: SourceText, sections: tuple[Section, ...], have_duties: bool,
                     have_units: bool, table_starts: list[int]) -> list[UnparsedSpan]:
    """Table sections holding no readable table (e.g. "详见附件"), and duty/unit sections that gave nothing."""
    unread = []
    for section in sections:
        nested = any(other.meaning == "tables" and other.level > section.level
                     and section.span.start <= other.span.start < section.span.end for other in sections)
        holds_table = any(section.span.start <= start < section.span.end for start in table_starts)
        if section.meaning == "tables" and not nested and not holds_table:
            unread.append(UnparsedSpan(section.span, "table section: no table printed in the text (attached "
                                       "elsewhere or not recognised)", section.code))
        elif (section.meaning == "duties" and not have_duties) or (section.meaning == "units" and not have_units):
            unread.append(UnparsedSpan(section.span, f"{section.meaning} section: no numbered items found",
                                       section.code))
    return unread


_THRESHOLD = re.compile(r"\s*[（(]含[）)]\s*以上|\s*以上")


def unread_figures(source: SourceText, sections: tuple[Section, ...],
                    covered: list[tuple[int, int]]) -> list[UnparsedSpan]:
    """Sentences outside tables holding a money figure that no record covers."""
    seen: set[tuple[int, int]] = set()
    unread = []
    for match in AMOUNT.finditer(source.text):
        if any(start <= match.start() and match.end() <= end for start, end in covered):
            continue
        if _THRESHOLD.match(source.text, match.end()) or source.text.endswith("单价", 0, match.start()):
            continue  # "单价100万元（含）以上设备": a threshold, not a figure
        section = innermost(sections, match.start())
        if section is not None and section.meaning == "tables":
            continue
        start = max(source.text.rfind(mark, 0, match.start()) for mark in "。；;\n") + 1
        stop = re.compile(r"[。；;\n]").search(source.text, match.end())
        start, end = strip_span(source, start, stop.end() if stop else len(source.text))
        if (start, end) in seen or end <= start:
            continue
        seen.add((start, end))
        unread.append(UnparsedSpan(source.span(start, end), "money figure not read into a record",
                                   section.code if section else "front-matter"))
    return unread
