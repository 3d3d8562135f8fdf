"""Nothing published that is not printed: every figure's digits are in its span, at its offsets."""

from __future__ import annotations

import pytest

from kg_publisher.extract.tables import find_tables
from kg_publisher.records.context import ReadingContext
from kg_publisher.records.nonestated import read_none_statements
from kg_publisher.records.sections import find_sections

from .sources import DOCUMENTS, document


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_fact_is_printed_where_it_points(name: str) -> None:
    doc = document(name)
    for fact in doc.all_facts:
        assert doc.source.text[fact.span.start:fact.span.end] == fact.span.text, fact.key
        assert fact.amount.printed in fact.span.text, fact.key
    assert len({fact.key for fact in doc.all_facts}) == len(doc.all_facts)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_unaligned_table_numbers_are_not_published(name: str) -> None:
    """A number the table reader could not tie to a column never becomes an observation."""
    doc = document(name)
    published = {(f.span.start, f.span.end) for f in doc.table_facts}
    for table in find_tables(doc.source):
        placed = {(cell.span.start, cell.span.end) for row in table.rows for cell in row.cells}
        for row in table.unaligned:
            inside = {span for span in published if row.span.start <= span[0] < row.span.end}
            assert inside <= placed, row.label


def test_table_parts_sum_to_their_parents() -> None:
    """03's tables are internally consistent: a parent equals the sum of its published parts when its
    breakdown is complete, and is not less than it otherwise."""
    doc = document("03_putuo-czj-2025-budget")
    by_key = {fact.key: fact for fact in doc.table_facts}
    children: dict[str, list] = {}
    for fact in doc.table_facts:
        if fact.part_of:
            children.setdefault(fact.part_of, []).append(fact)
    assert any(by_key[key].breakdown_complete for key in children)
    for key, parts in children.items():
        parent, total = by_key[key], sum(p.amount.value for p in parts)
        assert total == parent.amount.value if parent.breakdown_complete else total <= parent.amount.value, key


def test_none_statements_and_copied_table_note() -> None:
    doc = document("03_putuo-czj-2025-budget")
    found = read_none_statements(ReadingContext(doc.source, find_sections(doc.source), 2025, "budget"))
    assert {(s.fund_source, s.context) for s in found.none_stated} >= {("GOV_FUND", "table-6")}
    assert [d.kind for d in found.defects] == ["template-residue"]
    assert "国有资本经营" in found.defects[0].message
    final = document("07_putuo-czj-2024-final")
    statements = read_none_statements(ReadingContext(final.source, find_sections(final.source), 2024,
                                                     "final")).none_stated
    assert {(s.indicator, s.fund_source, s.phase) for s in statements} >= {
        ("SANGONG", "FISCAL", "executed"), ("TOTAL", "GOV_FUND", "executed"), ("TOTAL", "STATE_CAPITAL", "executed")}
    assert not any(f.amount.value == 0 and f.fund_source in ("GOV_FUND", "STATE_CAPITAL") for f in final.all_facts)
