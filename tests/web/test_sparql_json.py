"""SPARQL JSON results written term by term (the query process's fast path) are the very bytes ``json.dumps``
writes from the result dictionaries: on the release's own triples and on terms of every kind."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg_publisher.publish.release import Release
from kg_publisher.publish.sparql import QueryJob, _solutions_json, _solutions_json_bytes, answer

QUERIES = (
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5000",
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }",
    "SELECT ?unbound ?n WHERE { BIND (1 AS ?n) OPTIONAL { ?unbound <urn:example:none> ?x } }",
    'SELECT ?b ?text ?tagged ?typed WHERE { BIND (BNODE() AS ?b) BIND ("a\\"b\\\\c\\n\\t\\u0001 中 \\u2028" AS ?text) '
    'BIND ("早"@zh-Hans AS ?tagged) BIND ("1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> AS ?typed) }',
    "SELECT * WHERE { } LIMIT 0",
)


@pytest.mark.parametrize("query", QUERIES)
def test_direct_json_is_what_json_dumps_writes(release: Release, query: str) -> None:
    store = ox.Store.read_only(str(release.store_path))
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    variables = [variable.value for variable in result.variables]
    rows = list(result)
    if query.startswith("SELECT ?s ?p"):
        assert len(rows) > 1000
    for truncated in (False, True):
        expected = json.dumps(_solutions_json(variables, rows, truncated), ensure_ascii=False).encode("utf-8")
        assert _solutions_json_bytes(variables, rows, truncated) == expected


@pytest.mark.parametrize("query", QUERIES)
def test_answers_the_engine_writes_read_as_ours(release: Release, query: str) -> None:
    """A query whose own LIMIT keeps it within ``max_rows`` is written by the engine (native code): the same
    results, rows and no truncation as the term-by-term writer gives for the query without the bound."""
    store = ox.Store.read_only(str(release.store_path))
    bounded = query if "LIMIT" in query else query + " LIMIT 100"
    ours = answer(store.query(bounded), QueryJob(query=bounded, max_rows=10_000))
    native = answer(store.query(bounded), QueryJob(query=bounded, max_rows=10_000, row_limit=5000))
    assert native.body != ours.body  # the engine's compact JSON, not ours
    assert _labels_blanked(native.body) == _labels_blanked(ours.body)
    assert (native.kind, native.media_type, native.rows, native.truncated) == \
        (ours.kind, ours.media_type, ours.rows, False)


def _labels_blanked(body: bytes) -> object:
    """The parsed answer with blank node labels dropped (BNODE() makes new ones on every evaluation)."""
    document = json.loads(body)
    for row in document["results"]["bindings"]:
        for cell in row.values():
            if cell["type"] == "bnode":
                cell["value"] = ""
    return document
