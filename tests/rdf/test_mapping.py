"""The RDF mapping of the seed disclosure: golden graph, determinism, provenance to the character."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS, XSD

from kg_publisher.errors import ShapesError
from kg_publisher.iris import code, code_scheme
from kg_publisher.rdf import vocabulary_graph
from kg_publisher.records import model
from kg_publisher.vocab import BGT, OA, OBEU_MEASURE, QB, SDMX_ATTR, SPDX

from .seed import GOLDEN, build_seed_graph, seed_disclosure, seed_graph


def _sorted_ntriples(graph: Graph) -> list[str]:
    return sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())


def test_seed_graph_matches_golden_graph() -> None:
    golden = Graph().parse(GOLDEN, format="turtle")
    built = build_seed_graph("golden")
    assert isomorphic(built, golden), (
        "the seed graph changed; if intended, regenerate with `.venv/bin/python -m tests.rdf.seed --write-golden`\n"
        + "\n".join(sorted(str(t) for t in (to_isomorphic(built) ^ to_isomorphic(golden))))[:3000]
    )


def test_two_builds_give_identical_sorted_ntriples() -> None:
    assert _sorted_ntriples(build_seed_graph()) == _sorted_ntriples(build_seed_graph())


def test_no_blank_nodes() -> None:
    assert not [t for t in seed_graph() for term in t if isinstance(term, BNode)]


def _span_text(graph: Graph, span: URIRef) -> tuple[int, int, str]:
    (start, end, exact), = graph.query(
        "SELECT ?s ?e ?x WHERE { ?span oa:hasSelector ?p, ?q . ?p oa:start ?s ; oa:end ?e . ?q oa:exact ?x }",
        initNs={"oa": OA}, initBindings={"span": span})
    return int(start), int(end), str(exact)


def test_every_observation_quotes_the_source_at_its_offsets() -> None:
    graph, text = seed_graph(), seed_disclosure().source.text
    observations = set(graph.subjects(RDF.type, QB.Observation))
    assert len(observations) == len(seed_disclosure().facts) > 0
    for obs in observations:
        spans = list(graph.objects(obs, PROV.wasDerivedFrom))
        assert spans, obs
        for span in spans:
            start, end, exact = _span_text(graph, span)
            assert exact == text[start:end], (obs, start, end)
            assert str(span).endswith(f"/span/{start}-{end}")


@pytest.mark.parametrize("cls", [QB.Observation, BGT.ChangeStatement, BGT.CountStatement, BGT.RatioStatement,
                                 BGT.Duty, ORG.OrganizationalUnit, BGT.GlossaryTerm, BGT.OrganizationMention,
                                 BGT.TextDefect])
def test_every_record_is_derived_from_a_span(cls: URIRef) -> None:
    graph = seed_graph()
    nodes = set(graph.subjects(RDF.type, cls))
    assert nodes, f"the seed should yield some {cls}"
    for node in nodes:
        assert any((span, RDF.type, OA.SpecificResource) in graph for span in graph.objects(node, PROV.wasDerivedFrom))


def test_amounts_are_canonical_decimals_with_printed_form() -> None:
    graph = seed_graph()
    for fact in seed_disclosure().facts:
        obs = next(o for o in graph.subjects(RDF.type, QB.Observation) if str(o).endswith(f"/obs/{fact.key}"))
        amount = graph.value(obs, OBEU_MEASURE.amount)
        assert isinstance(amount, Literal) and amount.datatype == XSD.decimal
        assert re.fullmatch(r"-?(0|[1-9][0-9]*)\.([0-9]*[1-9]|0)", str(amount)), str(amount)
        assert Decimal(str(amount)) == fact.amount.value
        assert graph.value(obs, BGT.printedValue) == Literal(fact.amount.printed)
        assert graph.value(obs, BGT.printedUnit) == Literal(fact.amount.unit)
        assert graph.value(obs, SDMX_ATTR.unitMult) == Literal(fact.amount.unit_multiplier)
        assert graph.value(obs, SDMX_ATTR.decimals) == Literal(fact.amount.decimals)


def test_source_document_is_pinned_by_its_checksum() -> None:
    graph, source = seed_graph(), seed_disclosure().source
    (checksum,) = graph.subjects(SPDX.checksumValue, Literal(source.sha256, datatype=XSD.hexBinary))
    (document,) = graph.subjects(SPDX.checksum, checksum)
    assert str(document).endswith(source.sha256[:16])
    dataset = next(graph.subjects(RDF.type, QB.DataSet))
    assert graph.value(dataset, DCTERMS.source) == document
    assert Literal("盘锦市兴隆台区政务服务中心2022年部门预算", lang="zh") in set(graph.objects(dataset, DCTERMS.title))


def test_classification_codes_carry_their_notation_in_the_graph() -> None:
    graph = seed_graph()
    for concept in set(graph.objects(None, BGT.economicClassification)):
        assert graph.value(concept, SKOS.notation) is not None, concept


def _docstring_codes(field: str) -> set[str]:
    """Codes listed for ``field`` in the records model's docstring (the contract with the parser)."""
    doc = model.__doc__ or ""
    block = doc.split(f"``{field}``", 1)[1].split("\n``", 1)[0]
    return {c for c in re.findall(r"``([A-Za-z_][A-Za-z0-9_-]*)``", block) if c not in (field, "line-N")}


@pytest.mark.parametrize(("field", "scheme"), [("operation", "operation"), ("indicator", "indicator"),
                                               ("fund_source", "fund-source"),
                                               ("expenditure_type", "expenditure-type"), ("item", "item")])
def test_code_lists_hold_every_code_of_the_records_model(field: str, scheme: str) -> None:
    vocabulary = vocabulary_graph()
    codes = _docstring_codes(field)
    assert codes
    missing = {c for c in codes if (code(scheme, c), SKOS.inScheme, code_scheme(scheme)) not in vocabulary}
    assert not missing, f"ontology/codelists.ttl lacks {scheme} codes {sorted(missing)}"


def test_vocabulary_labels_own_terms_in_zh_and_en() -> None:
    vocabulary = vocabulary_graph()
    own = {s for s in vocabulary.subjects() if isinstance(s, URIRef) and str(s).startswith(str(BGT))
           and (s, RDF.type, QB.ComponentSpecification) not in vocabulary}
    assert len(own) > 40
    for term in own:
        languages = {getattr(label, "language", None) for label in vocabulary.objects(term, URIRef(
            "http://www.w3.org/2000/01/rdf-schema#label"))}
        assert {"zh", "en"} <= languages, term


def test_every_own_term_the_graph_uses_is_defined() -> None:
    vocabulary, graph = vocabulary_graph(), seed_graph()
    used = {term for triple in graph for term in (triple[1], triple[2] if triple[1] == RDF.type else None)
            if isinstance(term, URIRef) and str(term).startswith(str(BGT))}
    assert used and not {term for term in used if (term, RDF.type, None) not in vocabulary}


def test_broken_ontology_file_raises_shapes_error(tmp_path: Path) -> None:
    (tmp_path / "broken.ttl").write_text("@prefix : <http://x/> .\n:a :b ", encoding="utf-8")
    with pytest.raises(ShapesError, match=r"broken\.ttl"):
        vocabulary_graph(tmp_path)
