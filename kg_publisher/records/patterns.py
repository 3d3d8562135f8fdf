"""Text patterns shared by the record readers: amounts, percentages, numerals, list markers.

Everything here works on NFC text and returns offsets into it; nothing here knows which
section a pattern is used in.

>>> m = AMOUNT.search("收入预算3,121.42万元，")
>>> m.group("number"), m.group("unit")
('3,121.42', '万元')
>>> chinese_number("十二"), chinese_number("二十一"), chinese_number("１２")
(12, 21, 12)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..extract.source import SourceText, Span
from .flow import TextView
from .model import Amount, Percent

#: A printed number: digits (ASCII or full-width), thousands separators allowed, a decimal point or not:
#: 1,708.03 / 1708.03 / 96282213.44 / 0 / 0.00 / １７０８．０３.
NUMBER = r"\d{1,3}(?:[,，]\d{3})+(?:[.．]\d+)?|\d+(?:[.．]\d+)?"
#: A money unit; the layout may break or space it ("万\n元").
UNIT = r"万\s*元|亿\s*元|元"
#: A number and its unit as groups ``number`` and ``unit``, blanks (a space, a line break, NBSP) between.
MONEY = rf"(?P<number>{NUMBER})\s*(?P<unit>{UNIT})"
#: The one money pattern: a printed figure and its unit. The look-behind keeps "2022年…" digits and list
#: numbers ("1.") from being read as part of it.
AMOUNT = re.compile(rf"(?<![\d.,，．]){MONEY}")
#: A printed percentage (ASCII or full-width percent sign).
PERCENT_NUMBER = r"\d+(?:[.．]\d+)?"
PERCENT = re.compile(rf"(?<![\d.．])(?P<number>{PERCENT_NUMBER})\s*[%％]")
#: A count of things ("4个", "0辆", "2台").
COUNT = re.compile(r"(?<![\d.])(?P<number>\d+)\s*(?P<unit>个|辆|家|台|项|人)")

CJK = r"\u4e00-\u9fff"
CHINESE_DIGITS = "零一二三四五六七八九十百"
#: Direction words of a year-over-year change, longest first so 持平 is not read as 平.
DIRECTION_WORDS = ("增加", "增长", "上升", "提高", "减少", "下降", "降低", "持平", "一致", "不变")
DIRECTION = re.compile("|".join(DIRECTION_WORDS))
#: Sentence ends inside a paragraph.
SENTENCE_END = "。；;"


def chinese_number(text: str) -> int | None:
    """Value of a list numeral: 一 … 九十九, or (full- or half-width) digits; None if it is neither."""
    text = text.strip()
    if text and all(ch.isdigit() for ch in text):
        return int(text)
    if not text or any(ch not in CHINESE_DIGITS for ch in text):
        return None
    digits = {ch: i for i, ch in enumerate("零一二三四五六七八九")}
    if "十" not in text:
        return digits[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    value = (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    return value


def unwrap(text: str) -> str:
    """Join lines broken by the layout (PDF text wraps mid-sentence); Chinese needs no space between them."""
    return re.sub(r"\s*\n\s*", "", text.strip())


@dataclass(frozen=True)
class Found:
    """A pattern match turned into a span of the source."""

    span: Span
    match: re.Match[str]


def find_all(source: SourceText, pattern: re.Pattern[str], start: int = 0, end: int | None = None) -> Iterator[Found]:
    """Matches of ``pattern`` inside ``source.text[start:end]`` with absolute spans."""
    end = len(source.text) if end is None else end
    for match in pattern.finditer(source.text, start, end):
        if match.end() > match.start():
            yield Found(source.span(match.start(), match.end()), match)


def amount_of(match: re.Match[str], prefix: str = "") -> Amount:
    """The :class:`Amount` of a match of :data:`AMOUNT` (or of a pattern with its group names, prefixed)."""
    return Amount.parse(match.group(prefix + "number"), match.group(prefix + "unit"))


def percent_of(match: re.Match[str], group: str = "number") -> Percent:
    return Percent.parse(match.group(group))


def strip_span(source: TextView, start: int, end: int, chars: str = "") -> tuple[int, int]:
    """Narrow ``[start, end)`` so it neither starts nor ends with whitespace (or any of ``chars``)."""
    text = source.text
    while start < end and (text[start].isspace() or text[start] in chars):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1
    return start, end


def line_bounds(text: str, offset: int) -> tuple[int, int]:
    """Start and end (without the newline) of the line holding ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


#: Words allowed between a label and its number ("预算支出安排", "预算数为"), as group ``filler``.
FILLER = r"(?P<filler>(?:(?!增加|减少|增长|下降|持平|比|较)[^\d，。；：:、\n,;（）()]){0,14}?)"
#: One labelled item of a list ("办公费12.5万元"), as groups ``label``, ``number`` and ``unit``.
LIST_ITEM = re.compile(rf"(?<![{CJK}）)”])(?P<label>[{CJK}（）()“”\n]{{2,30}}?){AMOUNT.pattern}")


def first(pattern: re.Pattern[str], view: TextView, start: int, end: int) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``view.text[start:end]``."""
    return pattern.search(view.text, start, end)
