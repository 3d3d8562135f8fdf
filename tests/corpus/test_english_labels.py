"""Every concept a corpus document makes us mint has an English label: its glossary terms (the definitions stay
Chinese, as printed), the lines it prints without a code, its duties, and the classification codes of its year
with those it prints. A document with a term or line we cannot name in English fails here: add the word to
``ENGLISH_NAMES`` (records/lexicon.py) or the code, with its English name, to data/codelists/."""

from __future__ import annotations

import pytest
from rdflib.namespace import SKOS

from kg_publisher.iris import IriMinter
from kg_publisher.rdf import disclosure_graph
from kg_publisher.rdf.codelists import classification_graph, printed_codes
from kg_publisher.registry import Registry
from kg_publisher.vocab import BGT

from ..core.test_english_labels import without_english
from .sources import DOCUMENTS, document


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_concept_minted_for_a_document_has_an_english_label(name: str) -> None:
    disclosure = document(name).disclosure
    graph = disclosure_graph(disclosure, IriMinter("https://w3id.org/cn-budget-kg/"),
                             Registry.load().resolve(disclosure.info.department), "test")
    graph += classification_graph(disclosure.info.year, printed_codes(graph))
    assert without_english(graph) == []
    terms = set(graph.subjects(SKOS.inScheme, None)) & set(graph.subjects(None, BGT.GlossaryTerm))
    assert len(terms) == len(disclosure.glossary)
    for term in terms:  # the definitions as printed, in Chinese only
        assert {getattr(d, "language", None) for d in graph.objects(term, SKOS.definition)} <= {"zh"}
