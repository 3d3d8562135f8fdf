"""The compiled validator the build uses reports exactly what pyshacl (the reference) reports with the published
shapes: same focus nodes, paths, values, source shapes and constraints, constraint components, severities and
messages, result for result — on every shape test case, every corpus document and generated disclosures."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from rdflib import Graph

from kg_publisher.build import document_graphs
from kg_publisher.extract.readers import read_source
from kg_publisher.ntriples import graph_ntriples
from kg_publisher.validate import ValidationOutcome, comparable_results, validate_graph

from ..conftest import CORPUS, ROOT

HERE = Path(__file__).resolve().parent
CASES = sorted((HERE / "valid").glob("*.ttl")) + sorted((HERE / "invalid").glob("*.ttl"))
DISCLOSURES = sorted((ROOT / "data" / "disclosures").glob("*.txt"))


def assert_same_results(data: Graph, vocabulary: Sequence[Graph] | None = None) -> ValidationOutcome:
    reference = validate_graph(data, vocabulary, engine="pyshacl")
    compiled = validate_graph(data, vocabulary, engine="compiled")
    expected, found = comparable_results(reference), comparable_results(compiled)
    assert found == expected, (f"missing {list((expected - found).elements())[:3]}; "
                               f"extra {list((found - expected).elements())[:3]}")
    assert compiled.rows == reference.rows
    assert (compiled.violations, compiled.warnings, compiled.infos) == (
        reference.violations, reference.warnings, reference.infos)
    # as the build calls it: the SPARQL constraints query the N-Triples of the cache entry
    given = validate_graph(data, vocabulary, engine="compiled", ntriples=graph_ntriples(data))
    assert comparable_results(given) == found and given.rows == compiled.rows
    return compiled


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_shape_case_gives_pyshacl_results(path: Path) -> None:
    graph = Graph().parse(HERE / "base.ttl", format="turtle")
    graph.parse(path, format="turtle")
    outcome = assert_same_results(graph)
    if path.parent.name == "invalid":
        assert outcome.rows, "an invalid case must have findings to compare"


@pytest.mark.parametrize("path", DISCLOSURES, ids=lambda p: p.stem)
def test_disclosure_gives_pyshacl_results(path: Path) -> None:
    outcome = assert_same_results(*document_graphs(path))
    assert outcome.warnings > 0


@pytest.mark.needs_shared("corpus")
def test_shared_corpus_gives_pyshacl_results() -> None:
    ours = {read_source(p).sha256 for p in DISCLOSURES}
    others = [p for p in sorted(CORPUS.glob("*.txt")) if read_source(p).sha256 not in ours]
    assert others, "the shared corpus holds documents besides data/disclosures"
    for path in others:
        assert_same_results(*document_graphs(path))


def test_unknown_engine_is_a_shapes_error() -> None:
    from kg_publisher.errors import ShapesError

    with pytest.raises(ShapesError, match="unknown validation engine"):
        validate_graph(Graph(), engine="fast")


def test_generated_disclosures_give_pyshacl_results(tmp_path: Path) -> None:
    from bench.generate import generate

    for path in generate(4, tmp_path, seed=11, error_share=1.0):
        assert_same_results(*document_graphs(path))


def test_vocabulary_given_apart_or_united_and_graph_in_any_store_give_the_same_results() -> None:
    """The build hands the vocabulary and the year's schemes apart (indexed once, not copied); a graph that
    shares its store with others is read triple by triple rather than from the store's own index."""
    from rdflib import Dataset, URIRef

    data, (vocabulary, classifications) = document_graphs(DISCLOSURES[0])
    apart = validate_graph(data, (vocabulary, classifications), engine="compiled")
    united = validate_graph(data, vocabulary + classifications, engine="compiled")
    dataset = Dataset()
    shared = dataset.graph(URIRef("urn:example:disclosure"))
    for triple in data:
        shared.add(triple)
    other = dataset.graph(URIRef("urn:example:other"))
    other.add((URIRef("urn:example:a"), URIRef("urn:example:b"), URIRef("urn:example:c")))
    in_dataset = validate_graph(shared, (vocabulary, classifications), engine="compiled")
    assert apart.warnings > 0
    assert comparable_results(apart) == comparable_results(united) == comparable_results(in_dataset)
    assert apart.rows == united.rows == in_dataset.rows


def test_shapes_compiled_with_what_an_earlier_compilation_found_give_the_same_results(tmp_path: Path) -> None:
    """The build keeps what each SPARQL constraint matches in its cache and compiles the shapes with it (no rdflib
    parse of every query); the constraints whose messages rdflib computes are parsed when first needed."""
    from bench.generate import generate
    from kg_publisher.compiled_shapes import CompiledShapes
    from kg_publisher.validate import compiled_shapes

    parsed = compiled_shapes()
    known = parsed.predicates_by_query()
    assert known and any(value is not None for value in known.values())
    reused = CompiledShapes(parsed.graph, known)
    assert reused.predicates_by_query() == known
    for path in [DISCLOSURES[0], *generate(2, tmp_path, seed=5, error_share=1.0)]:
        data, vocabularies = document_graphs(path)
        first, second = parsed.validate(data, vocabularies), reused.validate(data, vocabularies)
        assert first and [(r.focus, r.shape.node, r.component, r.value, r.messages) for r in first] == \
            [(r.focus, r.shape.node, r.component, r.value, r.messages) for r in second]
