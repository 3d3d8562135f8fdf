"""English labels for the concepts we mint from our own lists: every code of the classification CSVs has an
English name, and every concept, scheme and level of the shipped code lists and of the year's classifications
carries a ``skos:prefLabel`` in English beside the Chinese one. (What disclosures print — glossary terms, lines
without a code — is checked over the corpus: tests/corpus/test_english_labels.py.)"""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from kg_publisher.codelists import CodeList, english_path, printed_name
from kg_publisher.rdf.codelists import classification_graph
from kg_publisher.rdf.vocabulary import vocabulary_graph
from kg_publisher.vocab import XKOS


def without_english(graph: Graph) -> list[str]:
    """Concepts, concept schemes and classification levels of ``graph`` with no English ``skos:prefLabel``."""
    kinds = (SKOS.Concept, SKOS.ConceptScheme, XKOS.ClassificationLevel)
    things = {s for kind in kinds for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    return sorted(str(s) for s in things
                  if not any(getattr(label, "language", None) == "en" for label in graph.objects(s, SKOS.prefLabel)))


@pytest.mark.parametrize("scheme", ["func", "econ-dept"])
def test_every_code_of_the_lists_has_an_english_name(scheme: str) -> None:
    codes = CodeList.load(scheme).codes.values()
    assert len(codes) > 50
    assert [c.code for c in codes if not c.name_en or c.name_en == c.name] == []


def test_the_shipped_code_lists_are_labelled_in_english() -> None:
    vocabulary = vocabulary_graph()
    assert len(set(vocabulary.subjects(RDF.type, SKOS.Concept))) > 70
    assert without_english(vocabulary) == []


@pytest.mark.parametrize("year", [2018, 2022, 2024, 2025])
def test_the_classifications_of_a_year_are_labelled_in_english(year: int) -> None:
    graph = classification_graph(year)
    finance = URIRef(f"https://w3id.org/cn-budget-kg/code/func-{year}/20106")
    assert {(label.language, str(label)) for label in graph.objects(finance, SKOS.prefLabel)} == {
        ("zh", "财政事务"), ("en", "public finance affairs")}
    assert without_english(graph) == []


def test_a_printed_code_we_do_not_hold_is_named_without_its_column_and_has_no_invented_english() -> None:
    graph = classification_graph(2025, {"func": [("2130599", "其他农业农村支出 / 合计"),
                                                 ("2130599", "其他农业农村支出 / 基本支出")]})
    concept = URIRef("https://w3id.org/cn-budget-kg/code/func-2025/2130599")
    assert [(label.language, str(label)) for label in graph.objects(concept, SKOS.prefLabel)] == [
        ("zh", "其他农业农村支出")]
    assert without_english(graph) == [str(concept)]  # no English name until the list holds the code
    assert printed_name("公共法律服务（项）") == "公共法律服务"


def test_a_classification_path_in_english() -> None:
    assert english_path("2080505", 2025) == (
        "social security and employment (category) · pensions of administrative and public institutions (class) · "
        "basic pension insurance contributions of government agencies and public institutions (item)")
    assert english_path("2999999", 2025) is None
