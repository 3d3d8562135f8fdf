"""The app over a SPARQL engine it does not run: a release loaded into Oxigraph server with `kg-publisher load`,
served by fronts with ``store_url`` set. Answers match the embedded store's; the refusals, the row cap and the
time limit hold on this path too; two fronts on one engine answer alike and one keeps answering when the other
is gone."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph
from rdflib.compare import isomorphic

from kg_publisher.errors import QueryTimeout
from kg_publisher.publish.release import Release
from kg_publisher.publish.remote import RemoteStore
from kg_publisher.publish.sparql import QueryJob
from kg_publisher.queries import example_queries
from kg_publisher.web import create_app

from .conftest import make_settings
from .oxigraph_server import oxigraph_server
from .test_server import serving

OBSERVATION = "/id/dataset/panjin-xinglongtai-zwfwzx-2022-budget/obs/expenditure-basic"
QUERY_MIX = [
    *(example.text for example in example_queries()),
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "ASK { ?s a <http://purl.org/linked-data/cube#Observation> }",
    "SELECT ?label WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> ?label } "
    "ORDER BY ?label",
]


def _load(release_dir: Path, store_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg_publisher", "load", str(release_dir), "--store-url", store_url],
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def engine(release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A writable Oxigraph server holding the release, loaded by the CLI; yields its query endpoint."""
    with oxigraph_server(tmp_path_factory.mktemp("engine") / "db", read_only=False) as url:
        loaded = _load(release_dir, f"{url}/query")
        assert loaded.returncode == 0, loaded.stderr
        assert "every graph as in the manifest" in loaded.stdout
        yield f"{url}/query"


@pytest.fixture(scope="module")
def remote_app(release_dir: Path, engine: str) -> Iterator[Flask]:
    application = create_app(make_settings(build_dir=str(release_dir), max_rows=50, store_url=engine))
    assert isinstance(application.extensions["kg_publisher"].store, RemoteStore)
    yield application
    application.extensions["kg_publisher"].store.close()


def _json(client: FlaskClient, query: str) -> object:
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.get_data())


def test_load_refuses_an_unreachable_engine(release_dir: Path) -> None:
    failed = _load(release_dir, "http://127.0.0.1:9/query")
    assert failed.returncode == 2 and "cannot be reached" in failed.stderr and "Traceback" not in failed.stderr


@pytest.mark.parametrize("query", QUERY_MIX)
def test_remote_answers_as_the_embedded_store(client: FlaskClient, remote_app: Flask, query: str) -> None:
    assert _json(remote_app.test_client(), query) == _json(client, query)


def test_pages_and_documents_alike(client: FlaskClient, remote_app: Flask) -> None:
    remote = remote_app.test_client()
    for accept in ("text/turtle", "application/ld+json", "application/rdf+xml"):
        ours, theirs = (c.get(OBSERVATION, headers={"Accept": accept}) for c in (client, remote))
        assert ours.status_code == theirs.status_code == 200
        syntax = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml"}[accept]
        assert isomorphic(Graph().parse(data=ours.data, format=syntax), Graph().parse(data=theirs.data, format=syntax))
    page = remote.get(OBSERVATION, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "基本支出" in page.get_data(as_text=True)
    assert remote.get("/id/dataset/no-such-thing", headers={"Accept": "text/turtle"}).status_code == 404


def test_refusals_and_row_cap_hold_on_the_remote_path(remote_app: Flask) -> None:
    remote = remote_app.test_client()
    service = remote.post("/sparql", data={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert service.status_code == 403
    update = remote.post("/sparql", data="INSERT DATA { <a:b> <a:c> 1 }",
                         content_type="application/sparql-update")
    assert update.status_code == 403
    capped = remote.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"})
    assert capped.headers["X-Result-Truncated"].startswith("true")
    assert len(json.loads(capped.data)["results"]["bindings"]) == 50


def test_time_limit_holds_on_the_remote_path(release_dir: Path, engine: str) -> None:
    """The engine was started with a 60 s limit: the front's own 1 s limit is the one that counts."""
    store = RemoteStore(engine, make_settings(store_url=engine, query_timeout=1.0), Release.open(release_dir))
    started = time.monotonic()
    try:
        with pytest.raises(QueryTimeout):
            store.query(QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", max_rows=10))
        assert time.monotonic() - started < 5
        lookup = store.query(QueryJob("ASK { ?s ?p ?o }", max_rows=10))
        assert lookup.body and b"true" in lookup.body
    finally:
        store.close()


def _fetch(base: str, query: str) -> object:
    url = base + "sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _etag(url: str, if_none_match: str = "") -> tuple[int, str]:
    """(status, ETag) of a GET, as gzip-accepting clients send it."""
    headers = {"Accept-Encoding": "gzip", **({"If-None-Match": if_none_match} if if_none_match else {})}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
            return response.status, response.headers.get("ETag", "")
    except urllib.error.HTTPError as answer:  # urllib treats 304 as an error
        return answer.code, answer.headers.get("ETag", "")


#: Answers whose ETags two fronts must agree on: pages, the catalogue, a SPARQL answer, dumps, the releases page.
ETAG_PATHS = ("catalog", OBSERVATION.lstrip("/"), "sparql?query=ASK%7B%7D", "dumps/all.nq", "releases")


def test_two_fronts_on_one_engine_answer_alike_and_survive_one_another(release_dir: Path, engine: str) -> None:
    version = Release.open(release_dir).version
    # Behind one proxy, as docs/DEPLOYMENT.md has it: both fronts write the proxy's address into what they serve.
    public_url = "https://data.example.org/kg/"
    with serving(release_dir, store_url=engine, public_url=public_url) as first:
        with serving(release_dir, store_url=engine, public_url=public_url) as second:
            for query in QUERY_MIX:
                assert _fetch(first, query) == _fetch(second, query)
            # ETags are the release version (plus what was asked) or the file's SHA-256, never a process's own:
            # a client revalidating at the other front is answered 304.
            for path in ETAG_PATHS:
                (status, tag), (status_2, tag_2) = _etag(first + path), _etag(second + path)
                assert status == status_2 == 200 and tag == tag_2 != "", path
                assert tag.strip('"').startswith(version) or path.startswith("dumps/"), (path, tag)
                assert _etag(second + path, tag) == (304, tag), path
        # The second front is gone (its process ended); the first keeps answering.
        for query in QUERY_MIX:
            assert _fetch(first, query)


def test_referenced_by_pages_alike(app: Flask, remote_app: Flask) -> None:
    """The pages of links to a department (``incoming`` with an offset) hold, on the remote path, the triples the
    embedded store holds: every one once, none lost between pages."""
    organisation = "https://w3id.org/cn-budget-kg/id/org/shanghai-putuo-czj"
    ours = app.extensions["kg_publisher"].store.incoming(organisation, 10**6)
    remote = remote_app.extensions["kg_publisher"].store
    paged = [t for offset in range(0, len(ours) + 200, 200) for t in remote.incoming(organisation, 200, offset)]
    assert len(ours) > 400 and len(paged) == len(set(paged)) and set(paged) == set(ours)
