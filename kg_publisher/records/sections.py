"""Find the sections of a disclosure by what their headings say, not by their numbering.

Headings come in three forms across the Ministry of Finance template's layouts:

* parts: ``第三部分`` (title on the same or the next line), level 1;
* numbered chapters: ``一、收支预算的总体情况说明`` (level 2 inside a part, else level 1);
* plain headings: ``主要职责``, ``名词解释``, ``2025年部门预算编制说明``, a table title.

A table of contents (``目录``) is skipped. Numbered chapters must count upwards inside their
part, so table rows such as ``二、事业收入`` are not taken for chapters. Inside a chapter of
no particular topic (``其他重要事项的情况说明``), numbered sub-headings that name a topic with figures
of its own — ``（一）机关运行经费支出情况`` on its own line, or ``１.政府采购情况。`` running into its first
sentence — are sections one level deeper, coded ``<chapter code>-<n>``; any other ``（一）``-level
line (a duty, a list item) is none. Each section gets a
meaning from keywords and a stable code used as the ``context`` of the facts printed in it:
``part-N`` for parts, ``narr-N-M`` for chapter M of narrative part N (``part-N-M`` in other parts,
``sec-M`` without parts), ``glossary``, the meaning for plain headings, ``table-K`` for tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..extract.source import SourceText
from .model import Section
from .patterns import AMOUNT, chinese_number
from .topics import SUB_SECTION_TOPICS, topic_of

_NUMERAL = "一二三四五六七八九十"
_PART = re.compile(rf"^第([{_NUMERAL}]+)部分\s*(.*)$")
_CHAPTER = re.compile(rf"^([{_NUMERAL}]+)、\s*(\S.*)$")
_TOC = re.compile(r"^目\s*录$")
_DOT_LEADER = re.compile(r"[…．.]{3,}|…")
_DECIMAL = re.compile(r"\d[\d,]*\.\d")
_SENTENCE_PUNCTUATION = re.compile(r"[，。；：:！？,;]")
#: Endings of headings that carry no number (the template's fixed section names).
_PLAIN_ENDINGS = ("主要职责", "主要职能", "机构设置", "名词解释", "部门概况", "概况", "编制说明", "情况说明")
_TABLE_TITLE = re.compile(r"(预算|决算).*表$")
#: A numbered sub-heading: （一） / (一) / １. / 1、, its title up to the end of the line or the first 。.
_SUB_HEADING = re.compile(
    rf"^(?:[（(](?P<cjk>[{_NUMERAL}]+)[）)]|(?P<digits>[0-9０-９]{{1,2}})[.．、])\s*(?P<title>[^。\n]+)")
#: Chapters whose sub-headings may be sections: the template's catch-all "other matters" chapters.
_CATCH_ALL = ("narrative", "other")
def meaning_of(heading: str, part: bool = False) -> str:
    """What a heading is about.

    >>> meaning_of("二、“三公”经费预算安排使用情况说明")
    'sangong'
    >>> meaning_of("第三部分 盘锦市兴隆台区政务服务中心2022年度部门预算情况说明", part=True)
    'narrative'
    """
    if not part and _TABLE_TITLE.search(heading):
        return "tables"
    return topic_of(heading, part) or "other"


@dataclass
class _Line:
    start: int
    end: int
    text: str  # stripped

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass
class _Heading:
    start: int
    end: int
    level: int
    form: str  # part | chapter | plain | sub
    number: int | None
    meaning: str


def _lines(text: str) -> list[_Line]:
    lines = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        start = offset + lead
        lines.append(_Line(start, start + len(stripped), stripped))
        offset += len(raw) + 1
    return lines


def _toc_lines(lines: list[_Line]) -> set[int]:
    """Indexes of table-of-contents lines (after 目录, up to the first heading printed again)."""
    skipped: set[int] = set()
    for index, line in enumerate(lines):
        if not _TOC.match(line.text.replace("\u3000", " ")):
            continue
        skipped.add(index)
        entries = [i for i in range(index + 1, len(lines)) if not lines[i].blank]
        if not entries:
            break
        first = lines[entries[0]].text
        if _DOT_LEADER.search(first):
            for i in entries:
                if not _DOT_LEADER.search(lines[i].text):
                    break
                skipped.add(i)
        else:
            marker = re.match(rf"第[{_NUMERAL}]+部分|[{_NUMERAL}]+、", first)
            for n, i in enumerate(entries):
                if n and marker and lines[i].text.startswith(marker.group(0)):
                    break
                skipped.add(i)
        break
    return skipped


def toc_entries(source: SourceText) -> list[tuple[int, int, str]]:
    """The entries a table of contents lists: (start, end, title without numbering and dot leaders)."""
    lines = _lines(source.text)
    entries = []
    for index in sorted(_toc_lines(lines)):
        line = lines[index]
        title = _DOT_LEADER.split(line.text)[0]
        title = re.sub(rf"^(?:第[{_NUMERAL}]+部分|[{_NUMERAL}]+、|[0-9０-９]+\s*[.．、])\s*", "", title).strip()
        if title and not _TOC.match(line.text.replace("\u3000", " ")):
            entries.append((line.start, line.end, title))
    return entries


def _title_like(text: str, limit: int) -> bool:
    return (0 < len(text) <= limit and not _SENTENCE_PUNCTUATION.search(text)
            and not _DECIMAL.search(text) and not AMOUNT.search(text))


def _headings(source: SourceText) -> list[_Heading]:
    lines = _lines(source.text)
    toc = _toc_lines(lines)
    headings: list[_Heading] = []
    in_parts = False
    last_chapter = 0
    container = "other"  # meaning of the part (or level-1 section) numbered chapters sit in
    chapter_meaning: str | None = None  # meaning of the chapter sub-headings sit in (None: not in one)
    last_sub = 0
    first_line = next((i for i, line in enumerate(lines) if not line.blank), -1)
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.blank or index - 1 in toc:
            continue
        part = _PART.match(line.text)
        if part:
            end = line.end
            title = part.group(2).strip()
            if not title:
                following = next((i for i in range(index, len(lines)) if not lines[i].blank), None)
                if following is not None and _title_like(lines[following].text, 60) and not (
                        _PART.match(lines[following].text) or _CHAPTER.match(lines[following].text)):
                    end = lines[following].end
                    title = lines[following].text
                    index = following + 1
            meaning = meaning_of(title or line.text, part=True)
            headings.append(_Heading(line.start, end, 1, "part", chinese_number(part.group(1)), meaning))
            in_parts, last_chapter, container, chapter_meaning = True, 0, meaning, None
            continue
        level = 2 if in_parts else 1
        chapter = _CHAPTER.match(line.text)
        if chapter and _title_like(chapter.group(2), 40) and " " not in chapter.group(2):
            number = chinese_number(chapter.group(1)) or 0
            if container != "tables" and number > last_chapter:
                last_chapter = number
                headings.append(_Heading(line.start, line.end, level, "chapter", number,
                                         meaning_of(chapter.group(2))))
                chapter_meaning, last_sub = headings[-1].meaning, 0
            continue
        sub = _sub_heading(line, level + 1, last_sub) if chapter_meaning in _CATCH_ALL else None
        if sub is not None:
            headings.append(sub)
            last_sub = sub.number or 0
            continue
        if index - 1 == first_line or line.text.startswith("（"):
            continue  # the document title and （一）-level sub-headings are no sections of their own
        if _title_like(line.text, 40) and (line.text.endswith(_PLAIN_ENDINGS) or _TABLE_TITLE.search(line.text)):
            meaning = meaning_of(line.text)
            headings.append(_Heading(line.start, line.end, level, "plain", None, meaning))
            if level == 1:
                last_chapter, container = 0, meaning
            chapter_meaning = None
    return headings


def _sub_heading(line: _Line, level: int, last_number: int) -> _Heading | None:
    """A numbered sub-heading naming a topic with figures of its own, counting upwards, or None."""
    match = _SUB_HEADING.match(line.text)
    if match is None:
        return None
    number = chinese_number(match.group("cjk") or match.group("digits"))
    title = match.group("title").strip()
    meaning = meaning_of(title)
    if number is None or number <= last_number or meaning not in SUB_SECTION_TOPICS or not _title_like(title, 24):
        return None
    return _Heading(line.start, line.start + match.end("title") - len(match.group("title")) + len(title.rstrip()),
                    level, "sub", number, meaning)


def find_sections(source: SourceText) -> tuple[Section, ...]:
    """The sections of ``source`` in document order (parts before the chapters they hold)."""
    headings = _headings(source)
    text = source.text
    text_end = len(text.rstrip())
    sections: list[Section] = []
    used: set[str] = set()
    part_number: int | None = None
    part_meaning = "other"
    tables = 0
    chapter_code = ""
    for position, heading in enumerate(headings):
        end = next((h.start for h in headings[position + 1:] if h.level <= heading.level), text_end)
        while end > heading.end and text[end - 1].isspace():
            end -= 1
        if heading.form == "part":
            part_number, part_meaning = heading.number, heading.meaning
        if heading.meaning == "glossary":
            code = "glossary"
        elif heading.form == "part":
            code = f"part-{heading.number}"
        elif heading.form == "chapter":
            if part_number is None:
                code = f"sec-{heading.number}"
            else:
                code = f"{'narr' if part_meaning == 'narrative' else 'part'}-{part_number}-{heading.number}"
        elif heading.form == "sub":
            code = f"{chapter_code}-{heading.number}"
        elif heading.meaning == "tables":
            tables += 1
            code = f"table-{tables}"
        else:
            code = heading.meaning
        code = _unique(code, used)
        if heading.form == "chapter":
            chapter_code = code
        heading_span = source.span(heading.start, heading.end)
        sections.append(Section(
            code=code,
            meaning=heading.meaning,
            heading=" ".join(heading_span.text.split()),
            heading_span=heading_span,
            span=source.span(heading.start, max(end, heading.end)),
            level=heading.level,
        ))
    return tuple(sections)


def _unique(code: str, used: set[str]) -> str:
    candidate, n = code, 1
    while candidate in used:
        n += 1
        candidate = f"{code}-{n}"
    used.add(candidate)
    return candidate


def innermost(sections: tuple[Section, ...], offset: int) -> Section | None:
    """The deepest section containing ``offset``."""
    found = None
    for section in sections:
        if section.span.start <= offset < section.span.end and (found is None or section.level >= found.level):
            found = section
    return found
