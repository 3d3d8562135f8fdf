"""The compiled validator the build uses reports exactly what pyshacl (the reference) reports with the published
shapes: same focus nodes, paths, values, source shapes and constraints, constraint components, severities and
messages, result for result — on every shape test case, every corpus document and generated disclosures."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import SH
from rdflib.term import Node

from kg_publisher import __version__
from kg_publisher.extract.readers import read_source
from kg_publisher.iris import IriMinter
from kg_publisher.rdf import disclosure_graph, vocabulary_graph
from kg_publisher.rdf.codelists import classification_graph, printed_codes
from kg_publisher.records.parse import parse_disclosure
from kg_publisher.registry import Registry
from kg_publisher.validate import ValidationOutcome, validate_graph

from ..conftest import CORPUS, ROOT

HERE = Path(__file__).resolve().parent
CASES = sorted((HERE / "valid").glob("*.ttl")) + sorted((HERE / "invalid").glob("*.ttl"))
DISCLOSURES = sorted((ROOT / "data" / "disclosures").glob("*.txt"))
Row = tuple[object, ...]


def _term(node: Node | None) -> object:
    """Blank nodes compare as blank (pyshacl copies them into its report under new labels)."""
    if isinstance(node, BNode):
        return "_:blank"
    if isinstance(node, Literal):
        return (str(node), node.language, node.datatype)
    return node


def _rows(outcome: ValidationOutcome) -> Counter[Row]:
    results = outcome.results
    rows: Counter[Row] = Counter()
    for result in results.subjects(SH.resultSeverity, None):
        fields = [_term(results.value(result, p)) for p in (
            SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraint,
            SH.sourceConstraintComponent, SH.resultSeverity)]
        rows[(*fields, tuple(sorted(str(m) for m in results.objects(result, SH.resultMessage))))] += 1
    return rows


def assert_same_results(data: Graph, vocabulary: Graph | None = None) -> ValidationOutcome:
    reference = validate_graph(data, vocabulary, engine="pyshacl")
    compiled = validate_graph(data, vocabulary, engine="compiled")
    expected, found = _rows(reference), _rows(compiled)
    assert found == expected, (f"missing {list((expected - found).elements())[:3]}; "
                               f"extra {list((found - expected).elements())[:3]}")
    assert compiled.rows == reference.rows
    assert (compiled.violations, compiled.warnings, compiled.infos) == (
        reference.violations, reference.warnings, reference.infos)
    return compiled


@cache
def _vocabulary() -> Graph:
    return vocabulary_graph()


def document_graphs(path: Path) -> tuple[Graph, Graph]:
    """A disclosure's graph and the vocabulary it is validated with, as the build makes them."""
    disclosure = parse_disclosure(read_source(path))
    org = Registry.load().resolve(disclosure.info.department)
    graph = disclosure_graph(disclosure, IriMinter("https://w3id.org/cn-budget-kg/"), org, __version__)
    return graph, _vocabulary() + classification_graph(disclosure.info.year, printed_codes(graph))


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
