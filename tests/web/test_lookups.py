"""Single-pattern lookups (``SELECT ?p ?o WHERE { <iri> ?p ?o }``) are answered where the request is served, not
in a query process (issue 7 §6: in the soak they waited behind aggregates for a process and were the slowest
requests). They must give exactly what a query process gives: same rows, same bytes, in every results format,
with the row cap; and an IRI with no triples gives an empty result, not an error. ``DESCRIBE <iri>`` likewise."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask

from kg_publisher.publish.formats import GRAPH_SYNTAXES, RESULTS_SYNTAXES, RdfSyntax
from kg_publisher.publish.query_analysis import analyse
from kg_publisher.publish.release import Release
from kg_publisher.publish.sparql import QueryJob
from kg_publisher.publish.store import OxigraphStore
from kg_publisher.web import create_app

from .conftest import make_settings, wait_until_ready

MAX_ROWS = 7


@pytest.fixture(scope="module")
def store(release_dir: Path) -> Iterator[OxigraphStore]:
    application: Flask = create_app(make_settings(build_dir=str(release_dir)))
    wait_until_ready(application)
    found = application.extensions["kg_publisher"].store
    assert isinstance(found, OxigraphStore)
    yield found
    found.close()


def lookups(release: Release) -> list[str]:
    dataset = release.manifest["datasets"][0]["dataset"]
    return [
        f"SELECT ?p ?o WHERE {{ <{dataset}> ?p ?o }}",
        f"SELECT * WHERE {{ <{dataset}> a ?type }}",
        f"SELECT ?observation WHERE {{ ?observation <http://purl.org/linked-data/cube#dataSet> <{dataset}> }} "
        "LIMIT 5 OFFSET 3",
        f"PREFIX qb: <http://purl.org/linked-data/cube#> SELECT DISTINCT ?p WHERE {{ ?s ?p <{dataset}> }}",
        "SELECT ?p ?o WHERE { <http://example.org/no-such-thing> ?p ?o }",
    ]


@pytest.mark.parametrize("syntax", RESULTS_SYNTAXES, ids=lambda syntax: syntax.name)
def test_a_lookup_answered_in_process_equals_the_query_process_answer(store: OxigraphStore, release: Release,
                                                                      syntax: object) -> None:
    for text in lookups(release):
        assert analyse(text).lookup_text is not None, text  # each is answered in the serving process
        job = QueryJob(text, max_rows=MAX_ROWS, results_media_type=syntax.media_type)  # type: ignore[attr-defined]
        served = store.query(job)
        shape = analyse(text)  # what the store hands a query process with the job
        evaluated = store._pool.run(replace(job, engine_text=shape.text, row_limit=shape.limit))
        assert served == evaluated, text
    first = store.query(QueryJob(lookups(release)[0], max_rows=MAX_ROWS))
    assert first.rows == MAX_ROWS and first.truncated  # the dataset has more triples than the cap


def describes(release: Release) -> list[str]:
    dataset = release.manifest["datasets"][0]
    return [
        f"DESCRIBE <{dataset['organization']}>",
        f"PREFIX d: <{dataset['dataset']}/> DESCRIBE d:obs\\/expenditure-total # a prefixed name, escaped",
        f"BASE <{dataset['dataset']}> DESCRIBE <>",
        "DESCRIBE <http://example.org/no-such-thing>",
    ]


@pytest.mark.parametrize("syntax", GRAPH_SYNTAXES, ids=lambda syntax: syntax.name)
def test_a_describe_answered_in_process_equals_the_query_process_answer(store: OxigraphStore, release: Release,
                                                                        syntax: RdfSyntax) -> None:
    """``DESCRIBE <iri>`` (one IRI, nothing else) is a lookup too: its work is the IRI's triples and the blank
    nodes they reach, and it runs as ``DESCRIBE <absolute IRI>`` written by us."""
    for text in describes(release):
        shape = analyse(text)
        assert shape.lookup_text is not None and shape.lookup_text.startswith("DESCRIBE <"), text
        job = QueryJob(text, max_rows=MAX_ROWS, graph_media_type=syntax.media_type)
        served = store.query(job)
        evaluated = store._pool.run(replace(job, engine_text=shape.text, row_limit=shape.limit))
        assert served == evaluated, text
    first = store.query(QueryJob(describes(release)[2], max_rows=MAX_ROWS))
    assert first.kind == "graph" and first.rows == MAX_ROWS and first.truncated
    nothing = store.query(QueryJob(describes(release)[3], max_rows=MAX_ROWS))
    assert nothing.rows == 0 and not nothing.truncated
