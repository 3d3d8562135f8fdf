"""The lexicon's notations are the code lists' (ontology/codelists.ttl), and each topic's synonyms are read as
that topic."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SKOS

from kg_publisher.records import lexicon
from kg_publisher.records.sections import meaning_of
from kg_publisher.records.topics import PART_TOPICS, TOPICS, Topic

CODELISTS = Path(__file__).resolve().parents[2] / "ontology" / "codelists.ttl"
CODE = "https://w3id.org/cn-budget-kg/code/"
#: The OBEU budget phases (not ours: http://data.openbudgets.eu/resource/codelist/budget-phase/).
OBEU_PHASES = {"approved", "revised", "executed"}


def _notations(scheme: str) -> set[str]:
    graph = Graph().parse(CODELISTS)
    return {str(graph.value(concept, SKOS.notation)) for concept in graph.subjects(SKOS.inScheme, None)
            if str(concept).startswith(f"{CODE}{scheme}/")}


@pytest.mark.parametrize(("scheme", "words"), lexicon.CODED, ids=[f"{s}-{n}" for n, (s, _) in enumerate(lexicon.CODED)])
def test_every_notation_is_in_its_code_list(scheme: str, words: lexicon.Words) -> None:
    known = OBEU_PHASES if scheme == "budget-phase" else _notations(scheme)
    assert known, scheme
    assert {code for _, code in words} <= known


def test_sangong_whole_names_the_three_items() -> None:
    items = _notations("item")
    assert {code for code, parts, _ in lexicon.SANGONG_WHOLE for code in (code, *parts)} <= items
    assert [lexicon.code_of(name, lexicon.SANGONG_ITEMS) for _, _, name in lexicon.SANGONG_WHOLE] == [
        code for code, _, _ in lexicon.SANGONG_WHOLE]


@pytest.mark.parametrize("words", [lexicon.FUND_SOURCES, lexicon.SANGONG_ITEMS, lexicon.SANGONG_COLUMNS,
                                   lexicon.PHASE_COLUMNS, lexicon.EXPENDITURE_TYPES, lexicon.BALANCES,
                                   lexicon.SME_PROCUREMENT, lexicon.VEHICLE_TYPES, lexicon.PERFORMANCE_STAGES,
                                   lexicon.PERFORMANCE_RATINGS])
def test_no_word_is_shadowed_by_an_earlier_one(words: lexicon.Words) -> None:
    """Most specific first: a word containing an earlier word would never be reached (unless it means the same)."""
    for position, (word, code) in enumerate(words):
        for earlier, earlier_code in words[:position]:
            assert earlier not in word or earlier_code == code, (word, earlier)


@pytest.mark.parametrize("topic", TOPICS, ids=[t.name for t in TOPICS])
def test_every_synonym_names_its_topic(topic: Topic) -> None:
    for keyword in topic.keywords:
        heading = f"三、{keyword}" if topic.name != "narrative" else f"三、其他重要事项的{keyword}"
        assert meaning_of(heading) in {topic.name, *(t.name for t in TOPICS[:TOPICS.index(topic)])}, keyword
    first = meaning_of(f"三、{topic.keywords[0]}")
    assert first == topic.name


def test_glossary_synonyms_of_parts_and_chapters() -> None:
    for heading in ("名词解释", "专业名词解释", "专业性名词解释"):
        assert meaning_of(f"四、{heading}") == "glossary"
        assert meaning_of(f"第四部分 {heading}", part=True) == "glossary"
    assert {t.name for t in PART_TOPICS} == {"glossary", "overview", "tables", "narrative"}
