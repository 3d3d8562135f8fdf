"""Year-over-year statements ("比2021年度增加/减少0万元/与上年持平，增长/下降0%") kept as claims.

A statement is read from its comparison word (比, 较, 与, 同) to the end of its clause (。；（ or
主要原因). A clause whose amount or percentage a line or page break of the source runs through is not read
(records/context.py: certainty). Direction words are kept as printed and split by what they stand next to: words in
front of the amount and in the ``/`` alternatives after it belong to the amount; words in the
comma-separated part holding the percentage belong to the percentage. Two words for one number
("增加/减少") are kept both: the template was not filled in, and validation says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..extract.source import Span
from .flow import TextView
from .model import Amount, ChangeStatement, Percent
from .patterns import AMOUNT, DIRECTION, PERCENT, amount_of, percent_of, strip_span, unwrap

_COMPARISON = re.compile(r"[ \t]*[，,]?[ \t]*(?:比|较|与|同|相比)")
_CLAUSE_END = re.compile(r"[。；;（(]|主要原因|原因是|主要是|主要用于|其中")
_PREVIOUS_YEAR = re.compile(r"上年|上一年|去年|上预算")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_REASON = re.compile(r"[ \t]*[，,。]?[ \t]*(?:[^\d，。；\n]{0,8}?的)?(?:主要原因|原因)(?:是|为|主要是)?[:：]?[ \t]*")
#: A reason ends with its sentence, or where the text goes on to what the money is used for.
_REASON_END = re.compile(r"[。；;（(]|\n\s*\n|[，,]\s*主要用于")
_SEGMENT_BREAK = re.compile(r"[，,、]")
#: Line and page breaks of the source: digits joined across one were not printed together.
_BREAKS = frozenset("\n\r\f")


@dataclass(frozen=True)
class ReadChange:
    """What a change clause says, before it is tied to a fact key."""

    span: Span
    compared_year: int | None
    change: Amount | None
    percent: Percent | None
    amount_words: tuple[str, ...]
    percent_words: tuple[str, ...]
    end: int


def compared_year(text: str, year: int) -> int | None:
    """The year a clause compares with: 上年 → year − 1, a printed year other than ``year`` → that year.

    >>> compared_year("比2021年度增加/减少0万元", 2022), compared_year("2022年预算同上年比较", 2022)
    (2021, 2021)
    """
    if _PREVIOUS_YEAR.search(text):
        return year - 1
    for match in _YEAR.finditer(text):
        if int(match.group(1)) != year:
            return int(match.group(1))
    return None


def read_clause(source: TextView, start: int, limit: int, year: int, *,
                needs_comparison: bool = True, context_year: int | None = None) -> ReadChange | None:
    """Read a change clause starting at ``start`` (right after a figure), or None if there is none."""
    text = source.text
    if needs_comparison:
        marker = _COMPARISON.match(text, start, limit)
        if marker is None:
            return None
        start = marker.end() - len(marker.group(0).lstrip(" \t，,"))
    stop = _CLAUSE_END.search(text, start, limit)
    end = stop.start() if stop else limit
    amount = AMOUNT.search(text, start, end)
    percent = PERCENT.search(text, start, end)
    words = list(DIRECTION.finditer(text, start, end))
    if amount is None and percent is None and not words:
        return None
    if any(_BREAKS.intersection(source.span(*match.span("number")).text) for match in (amount, percent) if match):
        return None  # a number a line or page break runs through (a page number run into it): not read with certainty
    amount_words: list[str] = []
    percent_words: list[str] = []
    for word in words:
        if percent is None or (amount is not None and word.start() < amount.start()):
            amount_words.append(word.group(0))
        elif amount is None or word.start() > percent.start():
            percent_words.append(word.group(0))
        elif _SEGMENT_BREAK.search(text, word.end(), percent.start()):
            amount_words.append(word.group(0))  # an alternative printed with the amount ("/与上年持平，")
        else:
            percent_words.append(word.group(0))
    last = max([m.end() for m in (amount, percent, *words) if m is not None])
    span_start, span_end = strip_span(source, start, last)
    head = text[start:(amount or percent or words[0]).start()]
    year_compared = compared_year(head, year)
    if year_compared is None:
        year_compared = context_year
    return ReadChange(
        span=source.span(span_start, span_end),
        compared_year=year_compared,
        change=amount_of(amount) if amount else None,
        percent=percent_of(percent) if percent else None,
        amount_words=tuple(amount_words),
        percent_words=tuple(percent_words),
        end=span_end,
    )


def read_reason(source: TextView, start: int, limit: int) -> Span | None:
    """The reason printed right after a change (主要原因是……), as a span, or None."""
    intro = _REASON.match(source.text, start, limit)
    if intro is None:
        return None
    stop = _REASON_END.search(source.text, intro.end(), limit)
    reason_start, reason_end = strip_span(source, intro.end(), stop.start() if stop else limit)
    return source.span(reason_start, reason_end) if reason_end > reason_start else None


def to_statement(key: str, about: str, read: ReadChange, reason: Span | None) -> ChangeStatement:
    return ChangeStatement(
        key=key,
        about=about,
        span=read.span,
        compared_year=read.compared_year,
        change=read.change,
        percent=read.percent,
        amount_direction_words=read.amount_words,
        percent_direction_words=read.percent_words,
        reason=unwrap(reason.text) if reason else None,  # layout line breaks are no part of the reason
        reason_span=reason,
    )
