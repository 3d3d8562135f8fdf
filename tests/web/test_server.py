"""The real server (`kg-publisher serve`: granian on 127.0.0.1), queried with SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import os
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import GET, JSON, JSONLD, POST, RDFXML, TURTLE, XML, SPARQLWrapper

from kg_publisher.publish.release import Release
from kg_publisher.web.server import drop_request_variables

from .oxigraph_server import free_port, running


@contextmanager
def serving(target: Path, environment: dict[str, str] | None = None, **settings: str) -> Iterator[str]:
    """`kg-publisher serve TARGET` on a free loopback port; yields its base URL once it answers. ``settings``
    are passed as KGP_<NAME> variables, ``environment`` as it is."""
    port = free_port()
    env = {**os.environ, "KGP_WORKERS": "1", "KGP_QUERY_WORKERS": "1", "KGP_SETTINGS_FILE": "",
           **{f"KGP_{name.upper()}": value for name, value in settings.items()}, **(environment or {})}
    command = [sys.executable, "-m", "kg_publisher", "serve", str(target), "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/"
    with running(command, url + "robots.txt", "kg-publisher serve", env=env):
        yield url


@pytest.fixture(scope="module")
def server(release_dir: Path) -> Iterator[str]:
    with serving(release_dir) as url:
        yield url

def test_sparqlwrapper_queries_the_served_endpoint(server: str, release: Release) -> None:
    client = SPARQLWrapper(server + "sparql")
    client.setQuery("SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }")
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert {row["d"]["value"] for row in rows} >= {d["dataset"] for d in release.manifest["datasets"]}


def test_rdflib_sparqlstore_queries_the_served_endpoint(server: str, release: Release) -> None:
    graph = Graph(store=SPARQLStore(server + "sparql", returnFormat="json"))
    count = next(iter(graph.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))[0]
    assert int(count) == release.manifest["triples"]
    constructed = graph.query("CONSTRUCT { ?c a ?t } WHERE { ?c a ?t . "
                              "FILTER(?t = <http://www.w3.org/ns/dcat#Catalog>) }")
    assert len(constructed.graph) == 1  # type: ignore[arg-type]


def test_served_pages_are_gzip_compressed(server: str) -> None:
    request = urllib.request.Request(server + "catalog", headers={"Accept": "text/turtle",
                                                                  "Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_new_build_is_served_once_complete_without_a_restart(seed_path: Path, tmp_path: Path) -> None:
    """`serve DIR` follows DIR/current: a build that completes switches the served release (workers are
    reloaded gracefully); until then the old release keeps answering."""
    from kg_publisher.build import build
    from kg_publisher.settings import load_settings

    out = tmp_path / "build"
    first = build([seed_path], out, load_settings(environ={}, overrides={"base_iri": "https://one.example/kg/"}))
    assert first.release_dir is not None
    with serving(out) as base:

        def served_version() -> str | None:
            try:
                with urllib.request.urlopen(base + "robots.txt", timeout=2) as response:
                    return response.headers["X-Data-Version"]
            except OSError:  # a worker being replaced; the next look will tell
                return None

        assert served_version() == first.manifest["version"]
        second = build([seed_path], out, load_settings(environ={}, overrides={"base_iri": "https://two.example/kg/"}))
        assert second.manifest["version"] != first.manifest["version"]
        deadline = time.monotonic() + 60
        while served_version() != second.manifest["version"]:
            assert time.monotonic() < deadline, f"still serving {served_version()}"
            time.sleep(0.5)


@pytest.mark.parametrize("return_format", [XML, RDFXML, TURTLE, JSONLD])
@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_construct_in_every_graph_format(server: str, return_format: str, method: str) -> None:
    """SPARQLWrapper repeats the format in ``format``, ``output`` and ``results`` (for RDF/XML, JSON-LD also as a
    media type) beside its Accept header; for a graph result ``format=xml`` means RDF/XML (Fuseki, Virtuoso)."""
    client = SPARQLWrapper(server + "sparql")
    client.setQuery("CONSTRUCT { ?c a ?t } WHERE { ?c a ?t . FILTER(?t = <http://www.w3.org/ns/dcat#Catalog>) }")
    client.setReturnFormat(return_format)
    client.setMethod(method)
    result = client.query()
    expected = {XML: "application/rdf+xml", RDFXML: "application/rdf+xml", TURTLE: "text/turtle",
                JSONLD: "application/ld+json"}[return_format]
    assert result.response.headers["Content-Type"].split(";")[0] == expected
    graph = result.convert()
    if not isinstance(graph, Graph):
        graph = Graph().parse(data=graph, format={TURTLE: "turtle", JSONLD: "json-ld"}[return_format])
    assert len(graph) == 1


def test_sparqlwrapper_select_and_ask_as_xml(server: str) -> None:
    client = SPARQLWrapper(server + "sparql")
    client.setQuery("ASK { ?s ?p ?o }")
    client.setReturnFormat(XML)
    document = client.queryAndConvert()
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]


def test_expensive_queries_are_admitted_per_server_not_per_worker(release_dir: Path) -> None:
    """Two server workers share one expensive slot: of four cartesian products sent at once, one runs (and is
    stopped at the limit) and the others are refused with 503 and Retry-After (at once, or after waiting for the
    slot within their limit), whichever worker got them. Counted per worker, two would run, one per worker, each
    burning a core."""
    import json
    import threading
    import urllib.error
    import urllib.parse

    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with serving(release_dir, workers="2", query_workers="2", expensive_queries="1", query_timeout="3") as base:
        outcomes: list[tuple[int, str, float]] = []
        lock = threading.Lock()

        def send(number: int) -> None:
            started = time.monotonic()
            url = base + "sparql?" + urllib.parse.urlencode({"query": f"{runaway} # {number}"})
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    status, kind = response.status, ""
            except urllib.error.HTTPError as error:
                status, kind = error.code, json.loads(error.read())["error"]["type"]
            with lock:
                outcomes.append((status, kind, time.monotonic() - started))

        # Which worker accepts a connection is the kernel's choice: several rounds give both workers some.
        rounds = 4
        for _ in range(rounds):
            threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
        stopped = [o for o in outcomes if o[1] == "QueryTimeout"]
        refused = [o for o in outcomes if o[1] == "QueryOverload"]
        assert len(outcomes) == 4 * rounds and all(o[0] == 503 for o in outcomes), outcomes
        assert len(stopped) <= rounds and len(refused) >= 3 * rounds, outcomes  # one at a time, server-wide
        # Refused at once (no room to wait), or after waiting for the slot within the limit, never twice it.
        assert all(o[2] < 3 + 1.0 for o in refused), outcomes


def test_the_servers_environment_does_not_stand_in_for_a_header_the_request_lacks(release_dir: Path) -> None:
    """granian starts a request's WSGI environ as a copy of the process environment: a variable ``HTTP_ACCEPT``
    would be the Accept header of every request that sends none. `serve` drops such variables."""
    with serving(release_dir, environment={"HTTP_ACCEPT": "text/html", "HTTP_X_FORWARDED_HOST": "x.example"}) as base:
        with urllib.request.urlopen(base, timeout=10) as response:  # urllib sends no Accept: the default, Turtle
            assert response.headers["Content-Type"].startswith("text/turtle")
        request = urllib.request.Request(base, headers={"Accept": "text/html"})
        with urllib.request.urlopen(request, timeout=10) as response:  # a header the request sends counts
            assert response.headers["Content-Type"].startswith("text/html")


def test_request_shaped_variables_are_dropped_and_an_outgoing_proxy_is_kept_lowercase() -> None:
    environment = {"HTTP_HOST": "a.example", "HTTP_PROXY": "http://proxy.example:3128", "CONTENT_LENGTH": "9",
                   "PATH": "/usr/bin", "HTTPS_PROXY": "http://proxy.example:3128", "KGP_PORT": "8000"}
    assert drop_request_variables(environment) == ["CONTENT_LENGTH", "HTTP_HOST", "HTTP_PROXY"]
    assert environment == {"PATH": "/usr/bin", "HTTPS_PROXY": "http://proxy.example:3128", "KGP_PORT": "8000",
                           "http_proxy": "http://proxy.example:3128"}
