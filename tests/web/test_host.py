"""Absolute URLs come from configuration, never from a client's ``Host`` header (issue 7 §4).

With ``public_url`` set no response depends on ``Host``; without it the Host must be one of ``allowed_hosts``
(Flask's ``TRUSTED_HOSTS``), and the catalogue's access/download URLs point at where the catalogue was fetched
while data IRIs stay under the base IRI.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF, VOID
from werkzeug.test import TestResponse

from kg_publisher.publish.release import Release
from kg_publisher.web import create_app

from .conftest import make_settings
from .test_hostile_input import DATASET, ROUTES, check

PUBLIC = "https://data.example.org/kg/"
RELATIVE_IRI_QUERY = "/sparql?query=SELECT%20%28%3Cx%3E%20AS%20%3Fv%29%20%7B%7D"
#: Every route kind, plus a query whose answer resolves a relative IRI against the endpoint's base, an HTML
#: error page and a JSON one.
URLS = [*ROUTES.values(), RELATIVE_IRI_QUERY, f"{DATASET}.html", "/id/nothing-here", "/dumps/none.ttl"]
HOSTS = ("localhost", "evil.example:8443")
ACCEPTS = ["text/html", "text/turtle", "application/sparql-results+json", "*/*"]


def _app(release_dir: Path, **overrides: object) -> Iterator[Flask]:
    application = create_app(make_settings(build_dir=str(release_dir), query_workers=1, **overrides))
    yield application
    application.extensions["kg_publisher"].store.close()


@pytest.fixture(scope="module")
def public_client(release_dir: Path) -> Iterator[FlaskClient]:
    for application in _app(release_dir, public_url=PUBLIC):
        yield application.test_client()


@pytest.fixture(scope="module")
def listed_client(release_dir: Path) -> Iterator[FlaskClient]:
    for application in _app(release_dir, allowed_hosts="data.example.org,127.0.0.1"):
        yield application.test_client()


def _answer(response: TestResponse) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body; ``Date`` and ``Expires`` (the clock, not the request) are left out."""
    headers = sorted(h for h in response.headers.items() if h[0] not in ("Date", "Expires"))
    return response.status_code, headers, response.data


@pytest.mark.parametrize("url", URLS)
def test_with_public_url_no_response_depends_on_host(public_client: FlaskClient, url: str) -> None:
    for accept in ACCEPTS:
        answers = [_answer(public_client.get(url, headers={"Accept": accept, "Host": host}))
                   for host in (*HOSTS, "127.0.0.1:8000")]
        assert answers[0] == answers[1] == answers[2], (url, accept)
        assert b"evil.example" not in answers[1][2] and "evil.example" not in str(answers[1][1])


def test_with_public_url_posts_and_heads_do_not_depend_on_host(public_client: FlaskClient) -> None:
    form = {"query": "SELECT (<x> AS ?v) {}"}
    posts = [_answer(public_client.post("/sparql", data=form, headers={"Host": host})) for host in HOSTS]
    heads = [_answer(public_client.head("/catalog", headers={"Host": host, "Accept": "text/turtle"})) for host in HOSTS]
    assert posts[0] == posts[1] and heads[0] == heads[1]
    assert f"{PUBLIC}x".encode() in posts[0][2]


def test_with_public_url_every_absolute_url_starts_with_it(public_client: FlaskClient, release: Release) -> None:
    evil = {"Host": "evil.example"}
    assert f"Sitemap: {PUBLIC}sitemap.xml" in public_client.get("/robots.txt", headers=evil).get_data(as_text=True)
    sitemap = public_client.get("/sitemap.xml", headers=evil).get_data(as_text=True)
    assert f"<loc>{PUBLIC}</loc>" in sitemap and f"<loc>{PUBLIC}id/" in sitemap
    editor = public_client.get("/sparql", headers={**evil, "Accept": "text/html"}).get_data(as_text=True)
    assert f'endpoint: "{PUBLIC}sparql"' in editor and f'action="{PUBLIC}sparql"' in editor  # YASGUI, noscript
    sd = Graph().parse(data=public_client.get("/sparql.ttl", headers=evil).data, format="turtle")
    assert {str(o) for o in sd.objects(None, URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"))} \
        == {f"{PUBLIC}sparql"}
    dump = public_client.get("/dumps/all.nq", headers=evil)
    assert dump.headers["Link"] == f'<{PUBLIC}catalog>; rel="describedby"'
    catalogue = Graph().parse(data=public_client.get("/catalog.ttl", headers=evil).data, format="turtle")
    downloads = {str(o) for o in catalogue.objects(None, DCAT.downloadURL)}
    # the whole release's dumps are described gzip-compressed (the .gz is what is stored, as parts)
    assert {PUBLIC + (row["gzip"] if row["dataset"] == "all" else row)["path"] for row in release.manifest["dumps"]} \
        <= downloads
    assert all(url.startswith(PUBLIC) for url in downloads), sorted(downloads)[:5]
    answer = json.loads(public_client.get(RELATIVE_IRI_QUERY, headers=evil).data)
    assert answer["results"]["bindings"][0]["v"]["value"] == f"{PUBLIC}x"


@pytest.mark.parametrize("url", list(ROUTES.values()))
def test_without_public_url_a_host_not_allowed_is_a_400(client: FlaskClient, url: str) -> None:
    for accept in ("text/html", "application/json"):
        response = client.get(url, headers={"Host": "evil.example", "Accept": accept})
        assert response.status_code == 400 and check(response, url) is None
        assert "does not answer for the Host header" in response.get_data(as_text=True)
        assert "allowed_hosts" in response.get_data(as_text=True)


def test_the_default_allow_list_is_the_bound_host_and_loopback(client: FlaskClient) -> None:
    for host in ("localhost", "127.0.0.1", "127.0.0.1:8000", "localhost:5000"):
        robots = client.get("/robots.txt", headers={"Host": host})
        assert robots.status_code == 200 and f"Sitemap: http://{host}/sitemap.xml" in robots.get_data(as_text=True)
    for host in ("evil.example", "127.0.0.1.evil.example", "localhost.", "0.0.0.0", "[::1]:8000"):
        assert client.get("/robots.txt", headers={"Host": host}).status_code == 400, host


def test_allowed_hosts_replaces_the_default(listed_client: FlaskClient) -> None:
    assert listed_client.get("/robots.txt", headers={"Host": "data.example.org"}).status_code == 200
    assert listed_client.get("/robots.txt", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert listed_client.get("/robots.txt", headers={"Host": "localhost"}).status_code == 400


def test_served_on_loopback_the_catalogue_points_at_loopback(client: FlaskClient, release: Release) -> None:
    """Issue 7: served on 127.0.0.1, the download/access URLs pointed at the base IRI's host."""
    base = release.manifest["base_iri"]
    root = "http://127.0.0.1:8000/"
    response = client.get("/catalog", headers={"Host": "127.0.0.1:8000", "Accept": "text/turtle"})
    catalogue = Graph().parse(data=response.data, format="turtle")
    for prop in (DCAT.accessURL, DCAT.downloadURL, DCAT.endpointURL, VOID.dataDump, VOID.sparqlEndpoint):
        urls = {str(url) for url in catalogue.objects(None, prop)}
        assert urls and all(url.startswith(root) for url in urls), (prop, sorted(urls)[:3])
    for url in {str(url) for url in catalogue.objects(None, DCAT.downloadURL)}:
        assert client.get(url.removeprefix(root[:-1]), headers={"Host": "127.0.0.1:8000"}).status_code == 200
    # the things described keep their IRIs under the base IRI
    for cls in (DCAT.Dataset, DCAT.Distribution, DCAT.DataService, DCAT.Catalog):
        assert all(str(s).startswith(base) for s in catalogue.subjects(RDF.type, cls)), cls
    assert URIRef(base + "sparql") in set(catalogue.subjects(RDF.type, DCAT.DataService))
    assert f'href="{root}dumps/all.trig"' in client.get(
        "/catalog.html", headers={"Host": "127.0.0.1:8000"}).get_data(as_text=True)


@pytest.mark.parametrize("url", ["/catalog.ttl", "/catalog.jsonld", "/sparql.ttl", "/sparql.html", "/robots.txt",
                                 "/sitemap.xml", "/", "/catalog.html", DATASET + ".html", RELATIVE_IRI_QUERY])
def test_caches_do_not_leak_one_hosts_urls_to_another(client: FlaskClient, url: str) -> None:
    first = client.get(url, headers={"Host": "127.0.0.1:8000"})
    second = client.get(url, headers={"Host": "localhost:5000"})
    again = client.get(url, headers={"Host": "127.0.0.1:8000"})
    assert first.status_code == second.status_code == 200
    assert b"localhost:5000" in second.data and b"127.0.0.1:8000" not in second.data, url
    assert again.data == first.data and b"localhost:5000" not in again.data
    assert first.headers["ETag"] != second.headers["ETag"]
    # a conditional GET with another host's ETag is answered in full, never 304
    conditional = client.get(url, headers={"Host": "localhost:5000", "If-None-Match": first.headers["ETag"]})
    assert conditional.status_code == 200 and conditional.data == second.data


def test_a_bad_host_is_a_400_in_the_error_shape_with_public_url_too(public_client: FlaskClient) -> None:
    for accept in ("text/html", "application/json"):
        response = public_client.get("/", headers={"Host": "a" * 64 + ".example", "Accept": accept})
        assert response.status_code == 400 and check(response, "64-character label") is None
        assert "is not a host name" in response.get_data(as_text=True)
