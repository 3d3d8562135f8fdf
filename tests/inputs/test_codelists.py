"""Code lists: the CSVs, the printed-code extension, the glossary matcher and the SKOS/XKOS schemes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from kg_publisher.codelists import CodeList, match_glossary_term
from kg_publisher.extract.source import SourceText
from kg_publisher.extract.tables import TextTable
from kg_publisher.iris import code, code_scheme
from kg_publisher.rdf.codelists import classification_graph
from kg_publisher.vocab import XKOS

_GLOSSARY_ITEM = re.compile(r"^\s*(\d+)\.([^：\n]+)：", re.MULTILINE)


@pytest.mark.parametrize("scheme", ["func", "econ-dept"])
def test_csv_codes_are_well_formed(scheme: str) -> None:
    codes = CodeList.load(scheme).codes
    assert codes
    for item in codes.values():
        assert re.fullmatch(r"\d{3}(\d{2}){0,2}", item.code)
        assert item.certainty in ("confirmed", "name-seen", "uncertain")
        if len(item.code) > 3:
            assert item.parent == item.code[:-2] and item.parent in codes
        else:
            assert item.parent is None


def test_glossary_terms_9_to_13_of_the_seed_name_their_codes(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    terms = {int(number): term.strip() for number, term in _GLOSSARY_ITEM.findall(text)}
    matched = {number: match_glossary_term(terms[number], 2022) for number in range(9, 14)}
    assert matched == {9: "2080501", 10: "2080502", 11: "2101101", 12: "2101102", 13: "2210201"}
    # Terms that name no 类/款/项 chain match nothing.
    assert match_glossary_term(terms[1], 2022) is None
    assert match_glossary_term("住房保障（类）行政运行（项）", 2022) is None


def test_matcher_reads_the_wording_of_03(budget_03: SourceText) -> None:
    """03's narrative writes items as “类（类）款（款）项（项）”; each names a code its tables print."""
    items = re.findall(r"“([^”]+（项）)\s*”", budget_03.text.replace("\n", ""))
    assert len(items) >= 11
    assert {match_glossary_term(item, 2025) for item in items} >= {"2010601", "2080505", "2080599", "2210203"}
    assert None not in {match_glossary_term(item, 2025) for item in items}


def test_printed_codes_extend_the_list(tables_03: list[TextTable]) -> None:
    printed = [(row.code, row.label) for table in tables_03 for row in table.rows
               if row.code and len(row.code) in (3, 5, 7) and row.code.startswith("2")]
    assert printed
    func = CodeList.load("func").extend_with_printed([*printed, ("2010699", "其他财政事务支出")])
    assert all(func.get(code_) is not None for code_, _ in printed)
    added = func.get("2010699")
    assert added is not None and added.certainty == "printed" and added.parent == "20106"
    graph = classification_graph(2025, {"func": [("2010699", "其他财政事务支出")]})
    assert (code("func-2025", "2010699"), SKOS.broader, code("func-2025", "20106")) in graph


@pytest.fixture(scope="module")
def graph_2025() -> Graph:
    return classification_graph(2025)


@pytest.mark.parametrize("key", ["func", "econ-dept"])
def test_skos_schemes_are_well_formed(graph_2025: Graph, key: str) -> None:
    scheme = code_scheme(f"{key}-2025")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph_2025
    special = {code(f"{key}-2025", "_T"), code(f"{key}-2025", "_Z")}  # SDMX total / not applicable
    concepts = set(graph_2025.subjects(SKOS.inScheme, scheme)) - set(graph_2025.subjects(RDF.type,
                                                                                       XKOS.ClassificationLevel))
    assert special <= concepts
    for concept in special:
        assert {label.language for label in graph_2025.objects(concept, SKOS.prefLabel)} == {"zh", "en"}
        assert (code_scheme(key), SKOS.member, concept) in graph_2025
    concepts -= special
    assert len(concepts) == len(CodeList.load(key).for_year(2025).codes)
    for concept in concepts:
        assert (concept, RDF.type, SKOS.Concept) in graph_2025
        labels = sorted(graph_2025.objects(concept, SKOS.prefLabel), key=lambda label: label.language)
        assert [label.language for label in labels] == ["en", "zh"]  # one name in each
        notations = list(graph_2025.objects(concept, SKOS.notation))
        assert len(notations) == 1 and re.fullmatch(r"\d{3}(\d{2}){0,2}", str(notations[0]))
        notation = str(notations[0])
        assert concept == code(f"{key}-2025", notation)
        broader = list(graph_2025.objects(concept, SKOS.broader))
        if len(notation) == 3:
            assert broader == [] and (concept, SKOS.topConceptOf, scheme) in graph_2025
        else:
            assert broader == [code(f"{key}-2025", notation[:-2])]
            assert (concept, SKOS.topConceptOf, scheme) not in graph_2025
        depth = (len(notation) - 1) // 2
        levels = [level for level in graph_2025.subjects(SKOS.member, concept)
                  if (level, RDF.type, XKOS.ClassificationLevel) in graph_2025]
        assert len(levels) == 1 and (levels[0], XKOS.depth, Literal(depth)) in graph_2025
        assert (code_scheme(key), SKOS.member, concept) in graph_2025  # the cross-year collection


def test_levels_are_named_and_listed(graph_2025: Graph) -> None:
    levels = {str(label): int(depth) for level, depth in graph_2025.subject_objects(XKOS.depth)
              for label in graph_2025.objects(level, SKOS.prefLabel)
              if (level, SKOS.inScheme, code_scheme("func-2025")) in graph_2025}
    assert levels == {"类": 1, "款": 2, "项": 3, "category": 1, "class": 2, "item": 3}


def test_uncertain_codes_say_so(graph_2025: Graph) -> None:
    uncertain = code("func-2025", "2101103")  # ◐ in the modelling guide
    assert any(str(note).startswith("uncertain") for note in graph_2025.objects(uncertain, SKOS.editorialNote))
    assert not list(graph_2025.objects(code("func-2025", "2210201"), SKOS.editorialNote))
