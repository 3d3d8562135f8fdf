"""``GET /sparql?query=…`` is answered in front of Flask (``web/sparql.py``: ``DirectAnswers``): the same status,
headers (but ``Date``) and body as the Flask view gives, on real queries of the release in every format; and
every request it does not take (other parameters, compression, conditional GETs, other methods, errors) gets
what the Flask app alone gives."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from werkzeug.test import Client, TestResponse

from kg_publisher.publish.release import Release
from kg_publisher.web.sparql import DirectAnswers

ACCEPTS = [None, "*/*", "application/sparql-results+json", "application/json", "application/sparql-results+xml",
           "text/csv", "text/tab-separated-values", "text/turtle", "application/ld+json", "application/n-triples",
           "application/rdf+xml", "application/sparql-results+json, text/turtle;q=0.9"]


def queries(release: Release) -> list[str]:
    dataset = release.manifest["datasets"][0]
    return [
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20",  # written by the engine
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",  # cut at max_rows
        f"SELECT ?p ?o WHERE {{ <{dataset['dataset']}> ?p ?o }}",  # a lookup in the serving process
        f"DESCRIBE <{dataset['organization']}>",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT 5 # {dataset['key']}",
        "ASK { ?s ?p ?o }",
    ]


def _compare(app: Flask, path: str, headers: dict[str, str], method: str = "GET",
             data: bytes | None = None) -> tuple[TestResponse, bool]:
    """(the response through DirectAnswers, whether it answered it itself), after checking it equals the Flask
    app's own response to the same request."""
    direct = app.wsgi_app
    assert isinstance(direct, DirectAnswers)
    handed: list[int] = []
    inner: Callable[..., Iterable[bytes]] = direct.app

    def counting(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        handed.append(1)
        return inner(environ, start_response)

    direct.app = counting
    try:
        ours = Client(direct).open(path, method=method, headers=headers, data=data)
    finally:
        direct.app = inner
    theirs = Client(inner).open(path, method=method, headers=headers, data=data)
    assert ours.status == theirs.status, path
    assert _headers(ours) == _headers(theirs), path
    assert ours.get_data() == theirs.get_data(), path
    return ours, not handed


def _headers(response: TestResponse) -> list[tuple[str, str]]:
    return sorted((name, value) for name, value in response.headers.items() if name != "Date")


def test_plain_queries_are_answered_directly_as_flask_answers_them(app: Flask, release: Release) -> None:
    answered = 0
    for text in queries(release):
        for accept in ACCEPTS:
            headers = {"Accept": accept} if accept else {"Accept-Encoding": "identity"}  # http.client's default
            response, direct = _compare(app, "/sparql?" + _encoded(text), headers)
            if response.status_code == 200:
                assert direct, (text, accept)
                answered += 1
            assert response.headers.get("Date"), (text, accept)
    assert answered >= 50
    cut, _ = _compare(app, "/sparql?" + _encoded(queries(release)[1]), {"Accept": "application/sparql-results+json"})
    assert cut.headers["X-Result-Truncated"] == "true; max_rows=50"


@pytest.mark.parametrize(("label", "path", "headers", "method"), [
    ("compressed", "QUERY", {"Accept-Encoding": "gzip"}, "GET"),
    ("conditional", "QUERY", {"If-None-Match": '"x"'}, "GET"),
    ("another parameter", "QUERY&format=json", {}, "GET"),
    ("two queries", "QUERY&query=ASK%20%7B%7D", {}, "GET"),
    ("language", "QUERY&lang=en", {}, "GET"),
    ("HEAD", "QUERY", {}, "HEAD"),
    ("a syntax error", "query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%7D", {}, "GET"),
    ("an update", "query=INSERT%20DATA%20%7B%20%3Ca%3Ab%3E%20%3Ca%3Ac%3E%201%20%7D", {}, "GET"),
    ("SERVICE", "query=SELECT%20*%20%7B%20SERVICE%20%3Chttp%3A%2F%2F127.0.0.1%3A9%2F%3E%20%7B%7D%20%7D", {}, "GET"),
    ("not acceptable", "QUERY", {"Accept": "image/png"}, "GET"),
    ("a host not allowed", "QUERY", {"Host": "evil.example"}, "GET"),
    ("no query", "", {"Accept": "text/turtle"}, "GET"),
])
def test_what_it_does_not_take_gets_the_flask_answer(app: Flask, label: str, path: str, headers: dict[str, str],
                                                     method: str) -> None:
    target = "/sparql?" + path.replace("QUERY", _encoded("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"))
    response, direct = _compare(app, target, headers, method)
    assert not direct, label
    if label in ("a syntax error", "an update", "SERVICE", "not acceptable", "a host not allowed"):
        assert 400 <= response.status_code < 500, (label, response.status_code)


def _encoded(text: str) -> str:
    return urlencode({"query": text})
