"""The corpus documents and the records each reader draws from them (shared by the corpus tests)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg_publisher.extract.readers import read_source
from kg_publisher.extract.source import SourceText
from kg_publisher.records.context import ReadingContext
from kg_publisher.records.final import read_final_statements
from kg_publisher.records.model import AmountFact, Disclosure
from kg_publisher.records.parse import parse_disclosure
from kg_publisher.records.sections import find_sections

from ..conftest import CORPUS
from .expectations import Expected, expectations, load_facts

DOCUMENTS = ("01_chongqing-jiaowei-2018-budget", "03_putuo-czj-2025-budget", "07_putuo-czj-2024-final",
             "12_putuo-wanli-2024-budget", "13_putuo-wanli-2025-budget")


@dataclass(frozen=True)
class Document:
    name: str
    source: SourceText
    disclosure: Disclosure
    expected: tuple[Expected, ...]

    @property
    def all_facts(self) -> tuple[AmountFact, ...]:
        """Every figure parse_disclosure publishes (prose, tables, 决算 statements, classified items)."""
        return self.disclosure.facts

    @property
    def final_facts(self) -> tuple[AmountFact, ...]:
        """What the 决算 statement reader alone reads (before parse_disclosure merges it with the prose)."""
        if self.disclosure.info.kind != "final":
            return ()
        info = self.disclosure.info
        ctx = ReadingContext(self.source, find_sections(self.source), info.year, info.kind)
        return tuple(read_final_statements(ctx).facts)

    @property
    def table_facts(self) -> tuple[AmountFact, ...]:
        """The published figures read from tables printed in the text."""
        return tuple(fact for fact in self.disclosure.facts if fact.context.startswith("table"))


@cache
def document(name: str) -> Document:
    source = read_source(CORPUS / f"{name}.txt")
    facts = load_facts(CORPUS / f"{name}.facts.json")
    return Document(name, source, parse_disclosure(source), tuple(expectations(facts)))
