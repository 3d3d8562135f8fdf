"""SKOS checks: planted faults (negative control), a clean glossary and the upstream VocPub examples
(positive controls), skosify's own checks as a second opinion, then the gate on the seed's published
glossary, duties and code-list schemes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import skosify.check
from rdflib import Dataset, Graph, URIRef

from kg_publisher.standards.graphs import union_copy
from kg_publisher.standards.skos import SkosResult, check_skos, concepts_per_scheme, own_schemes
from kg_publisher.vocab import CODE

from .conftest import FIXTURES

TEST_SCHEME = URIRef("https://example.org/glossary/scheme")
G = "https://example.org/glossary/"

#: check → the resources planted in skos-broken.ttl to break it (see the comments there)
PLANTED = {
    "S9": {"resource=g:fees"},
    "S13": {'resource=g:basic first=skos:prefLabel second=skos:altLabel label="基本支出"@zh'},
    "S14": {'resource=g:revenue label="财政拨款"@zh', 'resource=g:revenue label="财政拨款收入"@zh'},
    "S27": {"concept=g:personnel related=g:basic"},
    "S37": {"resource=g:levels"},
    "S46": {"concept=g:running match=<https://example.org/code/running>"},
    "cycles": {"concept=g:office", "concept=g:public"},
    "own-prefLabel-zh": {"scheme=g:scheme concept=g:funds"},
    "own-definition-or-notation": {"scheme=g:scheme concept=g:other"},
}


def by_check(results: list[SkosResult]) -> dict[str, SkosResult]:
    return {result.check: result for result in results}


def skosify_warnings(graph: Graph, caplog: pytest.LogCaptureFixture) -> list[str]:
    """skosify's checks with fix=False; each finding is a logged WARNING (it never raises)."""
    copy = union_copy(graph)  # preflabel_uniqueness rewrites labels under any policy but "all"
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        skosify.check.hierarchy_cycles(copy, fix=False)
        skosify.check.disjoint_relations(copy, fix=False)
        skosify.check.label_overlap(copy, fix=False)
        skosify.check.preflabel_uniqueness(copy, policy="shortest")
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]


@pytest.fixture(scope="module")
def broken() -> Graph:
    return Graph().parse(FIXTURES / "skos-broken.ttl", format="turtle")


@pytest.fixture(scope="module")
def good() -> Graph:
    return Graph().parse(FIXTURES / "skos-good.ttl", format="turtle")


@pytest.mark.parametrize("check", sorted(PLANTED))
def test_each_planted_fault_is_found_and_named(broken: Graph, check: str) -> None:
    result = by_check(check_skos(broken, schemes=[TEST_SCHEME]))[check]
    assert not result.passed
    assert set(result.offenders) == PLANTED[check], result.message


def test_clean_glossary_passes(good: Graph) -> None:
    results = check_skos(good, schemes=[TEST_SCHEME])
    assert [r.message for r in results if not r.passed] == []
    assert "1 schemes, 4 concepts" in by_check(results)["own-prefLabel-zh"].message


def test_skosify_finds_the_same_faults(broken: Graph, caplog: pytest.LogCaptureFixture) -> None:
    warnings = skosify_warnings(broken, caplog)
    # skosify names cycle ends by local name, other findings by full IRI
    expected = {
        "Hierarchy cycle": "office", "skos:related": f"{G}personnel", "as both prefLabel and altLabel": f"{G}basic",
        "more than one prefLabel@zh": f"{G}revenue",
    }
    for what, resource in expected.items():
        assert any(what in message and resource in message for message in warnings), (what, warnings)


def test_skosify_is_silent_on_the_clean_glossary(good: Graph, caplog: pytest.LogCaptureFixture) -> None:
    assert skosify_warnings(good, caplog) == []


@pytest.mark.parametrize("name", ["01-valid.ttl", "01-invalid.ttl", "04-valid-multilang.ttl"])
def test_vocpub_examples_break_only_the_hierarchy(standards_dir: Path, name: str,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    # All three upstream examples state `da:protected skos:broader da:protected` (01-invalid differs in
    # VocPub's own rules, which are not SKOS integrity conditions); skosify sees the same loop.
    path = standards_dir / "skos" / "vocpub" / "examples" / name
    graph = Graph().parse(path, format="turtle")
    failed = [result for result in check_skos(graph) if not result.passed]
    loops = [s for s, o in graph.subject_objects(URIRef("http://www.w3.org/2004/02/skos/core#broader")) if s == o]
    if loops:
        assert [(r.check, len(r.offenders)) for r in failed] == [("cycles", len(loops))]
        local_name = str(loops[0]).rsplit("/", 1)[-1]
        assert any(f"Hierarchy cycle detected at {local_name} -> {local_name}" in message
                   for message in skosify_warnings(graph, caplog))
    else:
        assert failed == []


# ---- the gate on the published seed ---------------------------------------------------------------


@pytest.fixture(scope="module")
def published_union(published: Dataset) -> Graph:
    return union_copy(published)


def test_published_schemes_cover_glossary_duties_and_code_lists(published_union: Graph) -> None:
    schemes = [str(scheme) for scheme in own_schemes(published_union)]
    assert any(scheme.endswith("/glossary") for scheme in schemes)
    assert any(scheme.endswith("/duties") for scheme in schemes)
    assert any(scheme.startswith(str(CODE) + "func-") for scheme in schemes)
    assert any(scheme.startswith(str(CODE) + "econ-dept-") for scheme in schemes)
    assert str(CODE) + "indicator" in schemes


def test_published_graph_passes_every_skos_check(published: Dataset) -> None:
    results = check_skos(published)
    assert [result.message for result in results if not result.passed] == []


def test_each_published_scheme_has_concepts_to_check(published_union: Graph) -> None:
    # per scheme, so an empty glossary or duties scheme cannot pass the gate vacuously
    counts = concepts_per_scheme(published_union, own_schemes(published_union))
    assert [scheme for scheme, count in counts.items() if count == 0] == []


def test_skosify_is_silent_on_the_published_graph(published_union: Graph, caplog: pytest.LogCaptureFixture) -> None:
    assert skosify_warnings(published_union, caplog) == []
