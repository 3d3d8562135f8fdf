"""The W3C SPARQL 1.0 and 1.1 query test suites, sent through ``/sparql`` exactly as a client would send them.

Every data file of the suites is loaded once into one store, as a named graph called by its published IRI; a
test's dataset is then chosen per request with the protocol's ``default-graph-uri`` (its ``qt:data``) and
``named-graph-uri`` (its ``qt:graphData``) — or by the query's own FROM clauses. Each evaluation test is asked
four ways (GET for SPARQL JSON or Turtle; POST ``application/sparql-query`` for SPARQL XML or N-Triples; a POSTed
form for ``application/json`` or RDF/XML; GET for JSON-LD), the CSV/TSV format tests once in their format; syntax
tests are POSTed as forms over an empty dataset (negative → 400, positive → anything else short of 5xx).

When an answer differs from the expected one, the same query is put to pyoxigraph in-process: if our HTTP answer
differs from pyoxigraph's own, the fault is ours (serialisers, negotiation, protocol) and the failure says ENDPOINT.

Results are pinned: ``w3c_expected_failures.txt`` lists the tests known to fail with one reason each. A suite's
test fails on a failure not listed there and on a listed test that now passes, so the list stays true. The
pass/run figures and runtime of each suite are printed on every run (not captured).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from kg_publisher.publish.remote import RemoteStore
from kg_publisher.publish.store import OxigraphStore, Store
from kg_publisher.web import create_app

from .conftest import make_settings
from .oxigraph_server import oxigraph_server
from .w3c_query_cases import (
    EVALUATION,
    NEGATIVE,
    POSITIVE,
    SUITES_DIR,
    Answer,
    Case,
    as_csv,
    difference,
    engine_answer,
    expected_answer,
    from_iris,
    local_path,
    order_variables,
    read_manifest,
    response_answer,
)

EXPECTED_FAILURES = Path(__file__).with_name("w3c_expected_failures.txt")
#: The default graph of tests that have no ``qt:data``.
EMPTY_GRAPH = "urn:kg-publisher:test:empty-graph"
_SYNTAX = (POSITIVE, NEGATIVE)

#: Suite name → (manifest, kinds of test it counts).
SUITES: dict[str, tuple[str, tuple[str, ...]]] = {
    "SPARQL 1.1 query evaluation": ("sparql11/manifest-sparql11-query.ttl", (EVALUATION,)),
    "SPARQL 1.1 query syntax": ("sparql11/manifest-sparql11-query.ttl", _SYNTAX),
    "SPARQL 1.1 result formats": ("sparql11/manifest-sparql11-results.ttl", (EVALUATION,)),
    "SPARQL 1.0 evaluation": ("sparql10/manifest-evaluation.ttl", (EVALUATION,)),
    "SPARQL 1.0 syntax": ("sparql10/manifest-syntax.ttl", _SYNTAX),
}

pytestmark = pytest.mark.needs_shared("standards", "sparql")

_RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".rdf": ox.RdfFormat.RDF_XML, ".nt": ox.RdfFormat.N_TRIPLES}
_GET_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
_POST_ACCEPT = "application/sparql-results+xml, application/n-triples;q=0.9"
#: The alias application/json for SPARQL JSON (TSV is left to the format tests: rdflib's TSV reader drops the empty
#: lines that stand for all-unbound rows, and reads no booleans).
_FORM_ACCEPT = "application/json, application/rdf+xml;q=0.9"
#: Names graph formats only: result sets then come in our default (JSON), graphs as JSON-LD.
_GRAPH_ONLY_ACCEPT = "application/ld+json"
_TABULAR_ACCEPT = {".csv": "text/csv", ".tsv": "text/tab-separated-values"}


@cache
def suite_cases(suite: str) -> tuple[Case, ...]:
    manifest, kinds = SUITES[suite]
    return tuple(case for case in read_manifest(SUITES_DIR / manifest) if case.kind in kinds)


def read_expected_failures() -> dict[str, str]:
    """Test id → reason, from lines ``<test id> <reason>`` (``#`` starts a comment line)."""
    pinned: dict[str, str] = {}
    for line in EXPECTED_FAILURES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            test_id, _, reason = line.strip().partition(" ")
            pinned[test_id] = reason.strip()
    return pinned


def _graphs_to_load() -> set[str]:
    iris: set[str] = set()
    for suite in SUITES:
        for case in suite_cases(suite):
            if case.kind == EVALUATION:
                iris.update(case.data, case.graph_data,
                            (iri for iri in from_iris(case) if local_path(iri).is_file()))
    return iris


@dataclass(frozen=True)
class SuiteApp:
    """The app under test; the same store opened directly (to ask pyoxigraph itself); data files that failed."""

    app: Flask
    engine: ox.Store
    unloadable: dict[str, str]


@pytest.fixture(scope="module", params=["embedded", "remote"])
def suite_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SuiteApp]:
    """An app over every data file of the suites, one named graph each: on the embedded store, and on the same
    store served by Oxigraph server (``store_url``), with the same pinned failures."""
    path = tmp_path_factory.mktemp("w3c-query") / "store"
    store = ox.Store(str(path))
    unloadable: dict[str, str] = {}
    for iri in sorted(_graphs_to_load()):
        file = local_path(iri)
        try:
            store.load(path=str(file), format=_RDF_FORMATS[file.suffix], base_iri=iri, to_graph=ox.NamedNode(iri))
        except (SyntaxError, OSError, KeyError) as exc:
            unloadable[iri] = f"{type(exc).__name__}: {exc}"
        store.add_graph(ox.NamedNode(iri))  # an empty file is still a graph the tests name
    store.add_graph(ox.NamedNode(EMPTY_GRAPH))
    store.flush()
    del store
    settings = make_settings(query_workers=1)
    if request.param == "embedded":
        suite_store: Store = OxigraphStore(path, settings, query_workers=1)
        yield SuiteApp(create_app(settings, suite_store), ox.Store.read_only(str(path)), unloadable)
        suite_store.close()
        return
    with oxigraph_server(path, read_only=True) as url:
        remote = settings.replace(store_url=f"{url}/query")
        suite_store = RemoteStore(remote.store_url, remote)
        yield SuiteApp(create_app(remote, suite_store), ox.Store.read_only(str(path)), unloadable)
        suite_store.close()


def _error(response: TestResponse) -> str:
    try:
        return str(response.get_json()["error"]["message"])[:160]
    except (TypeError, KeyError, ValueError):
        return response.get_data(as_text=True)[:160]


def _dataset(case: Case) -> dict[str, list[str]]:
    """Protocol parameters naming the test's dataset; none when the query chooses it with FROM."""
    if from_iris(case):
        return {}
    return {"default-graph-uri": list(case.data) or [EMPTY_GRAPH], "named-graph-uri": list(case.graph_data)}


def _run_syntax(client: FlaskClient, case: Case) -> str | None:
    # Over an empty dataset: only whether the text parses is tested.
    response = client.post("/sparql", data={"query": case.query_text(), "default-graph-uri": EMPTY_GRAPH},
                           headers={"Accept": "application/sparql-results+json"})
    status = response.status_code
    if case.kind == NEGATIVE:
        return None if status == 400 else f"HTTP {status} for an invalid query, expected 400"
    if status == 400 or status >= 500:
        return f"HTTP {status}: {_error(response)}"
    return None


def _engine_disagrees(suite: SuiteApp, case: Case, ours: Answer, order: list[str] | None, csv: bool) -> bool:
    """Whether our HTTP answer differs from the one pyoxigraph gives in-process (then the fault is ours)."""
    if from_iris(case):
        kwargs: dict[str, object] = {}
    else:
        kwargs = {"default_graph": [ox.NamedNode(iri) for iri in case.data or (EMPTY_GRAPH,)],
                  "named_graphs": [ox.NamedNode(iri) for iri in case.graph_data]}
    try:
        direct = engine_answer(suite.engine.query(case.query_text(), **kwargs))  # type: ignore[arg-type]
    except (SyntaxError, OSError, RuntimeError, ValueError):
        return True
    if csv:
        direct = as_csv(direct)
    return difference(ours, direct, order, lax=False) is not None


def _run_evaluation(client: FlaskClient, case: Case, suite: SuiteApp) -> str | None:
    unloadable = suite.unloadable
    for iri in (*case.data, *case.graph_data):
        if iri in unloadable:
            return f"data {iri.rsplit('/', 1)[-1]} does not load: {unloadable[iri][:120]}"
    assert case.result is not None, case.id
    try:
        expected = expected_answer(case.result)
    except Exception as exc:  # the suite's own file; rdflib may not read every one
        return f"expected result unreadable: {type(exc).__name__}: {str(exc)[:120]}"
    query = case.query_text()
    dataset = _dataset(case)
    suffix = local_path(case.result).suffix
    if suffix in _TABULAR_ACCEPT:
        requests = [("GET", _TABULAR_ACCEPT[suffix])]
    else:
        requests = [("GET", _GET_ACCEPT), ("POST", _POST_ACCEPT), ("FORM", _FORM_ACCEPT),
                    ("GET", _GRAPH_ONLY_ACCEPT)]
    order = order_variables(query)
    engine_deviation: str | None = None
    for method, accept in requests:
        if method == "GET":
            response = client.get("/sparql", query_string={"query": query, **dataset}, headers={"Accept": accept})
        elif method == "POST":
            response = client.post("/sparql", query_string=dataset, data=query.encode("utf-8"),
                                   headers={"Accept": accept, "Content-Type": "application/sparql-query"})
        else:
            response = client.post("/sparql", data={"query": query, **dataset}, headers={"Accept": accept})
        label = f"{method} {response.mimetype or accept.split(',')[0]}"
        if response.status_code != 200:
            return f"{label}: HTTP {response.status_code}: {_error(response)}"
        try:
            ours = response_answer(response.data, response.mimetype)
        except Exception as exc:  # our response must parse; say why it did not
            return f"{label}: response does not parse: {type(exc).__name__}: {str(exc)[:120]}"
        problem = difference(ours, expected, order, case.lax)
        if problem is None:
            continue
        # Only our own faults are fixed here; the engine's are pinned, and the other formats still have to
        # carry the engine's answer faithfully.
        if _engine_disagrees(suite, case, ours, order, csv=response.mimetype == "text/csv"):
            return f"{label}: {problem}; ENDPOINT differs from pyoxigraph's own answer"
        engine_deviation = engine_deviation or f"{label}: {problem}; as pyoxigraph answers"
    return engine_deviation


def run_suite(suite_app: SuiteApp, suite: str) -> dict[str, str]:
    """Test id → why it failed, for every failing test of ``suite``."""
    client = suite_app.app.test_client()
    failures: dict[str, str] = {}
    for case in suite_cases(suite):
        problem = (_run_evaluation(client, case, suite_app) if case.kind == EVALUATION
                   else _run_syntax(client, case))
        if problem is not None:
            failures[case.id] = problem
    return failures


@pytest.mark.parametrize("suite", list(SUITES))
def test_w3c_suite(suite_app: SuiteApp, suite: str, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.perf_counter()
    failures = run_suite(suite_app, suite)
    elapsed = time.perf_counter() - started
    cases = suite_cases(suite)
    ids = {case.id for case in cases}
    pinned = {test_id: reason for test_id, reason in read_expected_failures().items() if test_id in ids}
    with capsys.disabled():
        print(f"\n{suite}: {len(cases) - len(failures)}/{len(cases)} pass, {len(failures)} fail "
              f"({len(pinned)} pinned) in {elapsed:.1f} s")
    new = {test_id: why for test_id, why in failures.items() if test_id not in pinned}
    now_passing = sorted(set(pinned) - set(failures))
    assert not new and not now_passing, (
        "The W3C suite's outcome changed. New failures (fix them, or pin them in "
        f"{EXPECTED_FAILURES.name} with a reason):\n"
        + "".join(f"  {test_id}  {why}\n" for test_id, why in sorted(new.items()))
        + f"Pinned failures that now pass (remove them from {EXPECTED_FAILURES.name}):\n"
        + "".join(f"  {test_id}\n" for test_id in now_passing))


def test_every_pinned_failure_names_a_test() -> None:
    known = {case.id for suite in SUITES for case in suite_cases(suite)}
    pinned = read_expected_failures()
    assert not set(pinned) - known, f"{EXPECTED_FAILURES.name} names tests no suite has: {set(pinned) - known}"
    assert all(pinned.values()), "every pinned failure needs a reason"


def test_suites_were_read() -> None:
    counts = {suite: len(suite_cases(suite)) for suite in SUITES}
    assert counts["SPARQL 1.1 query evaluation"] >= 220, counts
    assert counts["SPARQL 1.1 query syntax"] >= 100, counts
    assert counts["SPARQL 1.1 result formats"] >= 9, counts
    assert counts["SPARQL 1.0 evaluation"] >= 275, counts
    assert counts["SPARQL 1.0 syntax"] >= 190, counts


def test_relative_from_is_resolved_against_base(suite_app: SuiteApp) -> None:
    """FROM <relative> names the graph its resolved IRI names: served when held, refused naming that IRI if not."""
    client = suite_app.app.test_client()
    base = "http://www.w3.org/2001/sw/DataAccess/tests/data-r2/dataset/"
    held = client.get("/sparql", query_string={"query": f"BASE <{base}> SELECT * FROM <data-g1.ttl> {{ ?s ?p ?o }}"},
                      headers={"Accept": "application/sparql-results+json"})
    assert held.status_code == 200, held.get_json()
    assert held.get_json()["results"]["bindings"]
    missing = client.get("/sparql", query_string={"query": f"BASE <{base}> SELECT * FROM <absent.ttl> {{ ?s ?p ?o }}"},
                         headers={"Accept": "application/sparql-results+json"})
    assert missing.status_code == 403
    assert f"{base}absent.ttl" in missing.get_json()["error"]["message"]
