"""Metamorphic: every corpus text re-laid-out as another PDF would lay it out gives the same prose figures.

The prose outside the tables is re-wrapped at several widths (a paragraph may break after any character but
inside a number), with NBSPs and form feeds at some breaks, a blank before some units, and in one variant
full-width digits. The cover, headings, numbered items and table rows keep their lines (a PDF starts them on
a new line too). The figures read from the prose — key, value, unit and codes —, the stated changes and the
counts must be the same; their spans move.
Seeded, so a failure names its variant.
"""

from __future__ import annotations

import hashlib
import random
import re

import pytest

from kg_publisher.extract.readers import read_source
from kg_publisher.extract.source import SourceText
from kg_publisher.records.model import AmountFact, Disclosure
from kg_publisher.records.parse import parse_disclosure
from kg_publisher.records.sections import find_sections

from .sources import CORPUS, DOCUMENTS

ALL = ("00_panjin-xinglongtai-zwfwzx-2022-budget", *DOCUMENTS)
#: A line that starts a heading or an item: a PDF starts it on a new line whatever the width.
_NUMERAL = "一二三四五六七八九十"
_STARTS_LINE = re.compile(rf"^\s*(?:第[{_NUMERAL}]+部分|[{_NUMERAL}]+、|[（(][{_NUMERAL}\d]+[）)]|"
                          r"[\d０-９]{1,2}\s*[.．、]|目\s*录|注[:：])")
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
VARIANTS = ((5, False), (7, False), (11, True), (16, False), (23, False), (33, True), (47, False), (71, False))


def _source(name: str) -> SourceText:
    path = CORPUS / f"{name}.txt"
    if name.startswith("00_"):
        from tests.conftest import SEED
        path = SEED
    return read_source(path)


def relayout(source: SourceText, width: int, full_width: bool, rng: random.Random) -> str:
    tables = [(s.span.start, s.span.end) for s in find_sections(source) if s.meaning == "tables"]
    sections = find_sections(source)
    headings = [(s.heading_span.start, s.heading_span.end) for s in sections]
    body = sections[0].span.start if sections else 0  # the cover keeps its lines (its own test is in tests/extract)
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(_wrap("".join(paragraph), width, full_width, rng))
            paragraph.clear()

    offset = 0
    for line in source.text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        fixed = (not stripped or start < body or any(a <= start < b for a, b in tables) or "\f" in line
                 or any(a < offset and start < b for a, b in headings))
        if fixed or _STARTS_LINE.match(line):
            flush()
        if fixed:
            out.append(line)
        else:
            paragraph.append(stripped)
            if stripped.endswith(("。", "：", ":")):
                flush()
    flush()
    return "\n".join(out)


def _wrap(text: str, width: int, full_width: bool, rng: random.Random) -> str:
    pieces: list[str] = []
    line = 0
    for position, char in enumerate(text):
        previous = text[position - 1] if position else ""
        in_number = (char.isdigit() or char in ".,") and (previous.isdigit() or previous in ".,")
        if line >= width and not in_number and char not in "%％":
            pieces.append(rng.choice(["\n", "\n", " \n", "\n\u00a0"]))
            line = 0
        pieces.append(char)
        line += 1
    wrapped = "".join(pieces)
    wrapped = re.sub(r"(?<=\d)万元", lambda m: rng.choice(["万元", "万元", " 万元", "\u00a0万元"]), wrapped)
    return wrapped.translate(FULL_WIDTH) if full_width else wrapped


def _prose(disclosure: Disclosure) -> dict[str, tuple[object, ...]]:
    def codes(fact: AmountFact) -> tuple[object, ...]:
        return (fact.amount.value, fact.amount.unit, fact.operation, fact.indicator, fact.fund_source,
                fact.expenditure_type, fact.functional, fact.economic, fact.item, fact.phase, fact.part_of)
    prose = {fact.key: codes(fact) for fact in disclosure.facts if not fact.context.startswith("table")}
    claims = {change.key: (change.about, change.compared_year, change.change and change.change.value,
                           change.percent and change.percent.value, change.amount_direction_words,
                           change.percent_direction_words) for change in disclosure.changes}
    counts = {count.key: (count.what, count.value) for count in disclosure.counts}
    return {**prose, **claims, **counts}


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize(("width", "full_width"), VARIANTS)
def test_prose_figures_do_not_depend_on_the_layout(name: str, width: int, full_width: bool) -> None:
    source = _source(name)
    expected = _prose(parse_disclosure(source))
    text = relayout(source, width, full_width, random.Random(f"{name}-{width}"))
    variant = SourceText(source.name, hashlib.sha256(text.encode()).hexdigest(), "text/plain", text)
    got = _prose(parse_disclosure(variant))
    missing = {k: v for k, v in expected.items() if got.get(k) != v}
    extra = {k: v for k, v in got.items() if k not in expected}
    assert not missing and not extra, (f"width {width}: lost or changed {missing}; new {extra}")
