"""The PDF originals give the facts and claims of their text twins (issue: "The two PDFs in originals/ must
give the same facts as their text twins").

A twin is the text a tool once drew from the PDF (03: pdfplumber, 07: PyMuPDF, one cell per line). The
PDF reader also sees the drawn table cells, so it can place numbers the twin's text leaves ambiguous
(empty cells are not printed): the PDF's facts are the twin's facts plus such cells. Every extra cell is
checked against the twin: its number is printed in the same row of the same table there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from functools import cache

import pytest

from kg_publisher.extract.readers import read_source
from kg_publisher.extract.source import Span
from kg_publisher.extract.tables import TextTable, _key, find_tables
from kg_publisher.records.model import AmountFact, Disclosure
from kg_publisher.records.parse import parse_disclosure

from .expectations import score
from .sources import CORPUS, document

PAIRS = ("03_putuo-czj-2025-budget", "07_putuo-czj-2024-final")
DIMENSIONS = ("operation", "indicator", "fund_source", "expenditure_type", "economic", "functional", "item", "phase")

Fact = tuple[tuple[str, ...], Decimal]


@cache
def pdf(name: str) -> Disclosure:
    return parse_disclosure(read_source(CORPUS / "originals" / f"{name}.pdf"))


def twin(name: str) -> Disclosure:
    return document(name).disclosure


def published(facts: tuple[AmountFact, ...]) -> dict[Fact, AmountFact]:
    """Each fact as (dimension values, amount in yuan)."""
    return {(tuple(getattr(f, d) for d in DIMENSIONS), f.amount.value.scaleb(f.amount.unit_multiplier).normalize()): f
            for f in facts}


def claims(disclosure: Disclosure) -> set[tuple[object, ...]]:
    """Stated changes (about which figure), counts and ratios, without their spans."""
    by_key = {fact.key: fact for fact in disclosure.facts}

    def about(key: str) -> object:
        fact = by_key.get(key)
        return tuple(getattr(fact, d) for d in DIMENSIONS) if fact else key

    return ({("change", about(c.about), c.compared_year, c.change and c.change.value, c.percent and c.percent.value,
              c.amount_direction_words, c.percent_direction_words) for c in disclosure.changes}
            | {("count", c.what, c.value) for c in disclosure.counts}
            | {("ratio", r.what, r.percent.value, about(r.numerator), about(r.denominator)) for r in disclosure.ratios})


def spans(value: object) -> Iterator[Span]:
    if isinstance(value, Span):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            if item.name != "source":
                yield from spans(getattr(value, item.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from spans(item)


def _table_of(tables: list[TextTable], fact: AmountFact) -> TextTable | None:
    return next((t for t in tables if t.span.start <= fact.span.start < t.span.end), None)


def printed_in_twin_row(name: str, fact: AmountFact) -> bool:
    """The fact's number is printed in the twin's table of the same title, in the row of the same code/label."""
    pdf_table = _table_of(find_tables(pdf(name).source), fact)
    assert pdf_table is not None, f"{fact.key}: an extra PDF fact must come from a table"
    row = next(r for r in pdf_table.rows for c in r.cells if c.span == fact.span)
    twin_tables = [t for t in find_tables(twin(name).source) if _key(t.title) == _key(pdf_table.title)]
    for table in twin_tables:
        for twin_row in table.rows:
            same = twin_row.code == row.code if row.code else _key(twin_row.label) == _key(row.label)
            if same and fact.amount.printed in twin_row.span.text.split():
                return True
    return False


@pytest.mark.parametrize("name", PAIRS)
def test_pdf_gives_every_fact_of_its_twin(name: str) -> None:
    from_pdf, from_twin = published(pdf(name).facts), published(twin(name).facts)
    missing = sorted(set(from_twin) - set(from_pdf), key=str)
    assert missing == [], [from_twin[fact].label for fact in missing]


@pytest.mark.parametrize("name", PAIRS)
def test_extra_pdf_facts_are_cells_the_twin_prints_in_the_same_row(name: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from_pdf, from_twin = published(pdf(name).facts), published(twin(name).facts)
    extra = [from_pdf[fact] for fact in sorted(set(from_pdf) - set(from_twin), key=str)]
    with capsys.disabled():
        print(f"\n{name}: PDF {len(from_pdf)} facts, twin {len(from_twin)}, extra PDF table cells {len(extra)}")
    assert all(fact.context.startswith("table") for fact in extra)
    assert [fact.key for fact in extra if not printed_in_twin_row(name, fact)] == []


@pytest.mark.parametrize("name", PAIRS)
def test_pdf_gives_the_claims_of_its_twin(name: str) -> None:
    assert claims(pdf(name)) == claims(twin(name))


@pytest.mark.parametrize("name", PAIRS)
def test_pdf_facts_have_no_wrong_value_and_no_lower_recall(name: str) -> None:
    expected = list(document(name).expected)
    from_pdf, from_twin = score(pdf(name).facts, expected), score(twin(name).facts, expected)
    assert from_pdf.wrong == []
    assert from_pdf.recall >= from_twin.recall


@pytest.mark.parametrize("name", PAIRS)
def test_every_pdf_span_has_its_page_and_matches_the_pdf_text(name: str) -> None:
    disclosure = pdf(name)
    source = disclosure.source
    found = list(spans(disclosure))
    assert len(found) > 300
    for span in found:
        assert span.text == source.text[span.start:span.end]
        assert span.page is not None and span.page == source.page_of(span.start)
