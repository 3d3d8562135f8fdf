"""The corpus documents and the records each reader draws from them (shared by the corpus tests)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg_publisher.extract.readers import read_source
from kg_publisher.extract.source import SourceText
from kg_publisher.extract.tables import find_tables
from kg_publisher.records.final import read_final_statements
from kg_publisher.records.items import read_classified_items
from kg_publisher.records.model import AmountFact, Disclosure
from kg_publisher.records.parse import parse_disclosure
from kg_publisher.records.sections import find_sections
from kg_publisher.records.tables import read_table_facts

from .expectations import Expected, expectations, load_facts

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
DOCUMENTS = ("01_chongqing-jiaowei-2018-budget", "03_putuo-czj-2025-budget", "07_putuo-czj-2024-final")


@dataclass(frozen=True)
class Document:
    name: str
    source: SourceText
    disclosure: Disclosure
    table_facts: tuple[AmountFact, ...]
    final_facts: tuple[AmountFact, ...]
    item_facts: tuple[AmountFact, ...]
    expected: tuple[Expected, ...]

    @property
    def all_facts(self) -> tuple[AmountFact, ...]:
        """What a disclosure holds once the table, 决算 and item readers are wired in: the text parser's
        facts, the table facts, and the 决算/item facts whose printed number no text-parser fact covers."""
        if self.disclosure.facts and any(f.context.startswith("table") for f in self.disclosure.facts):
            return self.disclosure.facts  # already wired into parse_disclosure
        ends = {fact.span.end for fact in self.disclosure.facts}
        extra = tuple(fact for fact in (*self.final_facts, *self.item_facts) if fact.span.end not in ends)
        return (*self.disclosure.facts, *self.table_facts, *extra)


@cache
def document(name: str) -> Document:
    source = read_source(CORPUS / f"{name}.txt")
    disclosure = parse_disclosure(source)
    sections = find_sections(source)
    kind = disclosure.info.kind
    tables = read_table_facts(source, find_tables(source), sections, kind)
    final = read_final_statements(source, sections).facts if kind == "final" else []
    items = read_classified_items(source, sections, kind).facts
    facts = load_facts(CORPUS / f"{name}.facts.json")
    return Document(name, source, disclosure, tuple(tables.facts), tuple(final), tuple(items),
                    tuple(expectations(facts)))
