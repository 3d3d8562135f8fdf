"""The W3C SPARQL 1.1 Protocol tests that apply to a read-only endpoint, replayed from their manifest.

Query tests must pass as written. Update tests are turned around: every update request must be refused with a
4xx, and the data must be unchanged afterwards (follow-up requests that check an update's effect are skipped).
"""

from __future__ import annotations

import json

import pytest
from flask import Flask
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from .conftest import PROTOCOL_DIR, PROTOCOL_PARTS

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

MANIFEST = Graph().parse(PROTOCOL_DIR / "manifest.ttl", format="turtle") if PROTOCOL_DIR.is_dir() else Graph()
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"
pytestmark = pytest.mark.needs_shared(*PROTOCOL_PARTS)


def _tests() -> list[str]:
    head = next(MANIFEST.objects(None, MF.entries), None)
    return [str(entry)[len(BASE):] for entry in Collection(MANIFEST, head)] if head is not None else []


def _requests(name: str) -> list[dict[str, object]]:
    action = MANIFEST.value(URIRef(BASE + name), MF.action)
    out = []
    for request in Collection(MANIFEST, MANIFEST.value(action, HT.requests)):
        headers = {}
        header_list = MANIFEST.value(request, HT.headers)
        if header_list is not None:
            for header in Collection(MANIFEST, header_list):
                headers[str(MANIFEST.value(header, HT.fieldName))] = str(MANIFEST.value(header, HT.fieldValue))
        body_node = MANIFEST.value(request, HT.body)
        body = None
        if body_node is not None:
            encoding = str(MANIFEST.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(MANIFEST.value(body_node, CNT.chars)).encode(encoding.lower().replace("utf-16", "utf-16"))
        response = MANIFEST.value(request, HT.resp)
        out.append({
            "method": str(MANIFEST.value(request, HT.methodName)),
            "path": str(MANIFEST.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
            "headers": headers, "body": body,
            "status": {str(s)[len(str(HTS)):] for s in MANIFEST.objects(response, MF.expectedStatus)},
            "boolean": MANIFEST.value(response, MF.expectedBoolean),
            "format": MANIFEST.value(response, MF.expectedFormat),
        })
    return out


def _is_update(request: dict[str, object]) -> bool:
    headers = request["headers"]
    body = request["body"] or b""
    assert isinstance(headers, dict) and isinstance(body, bytes)
    return ("sparql-update" in headers.get("content-type", "") or body.startswith(b"update=")
            or "update=" in str(request["path"]))


def _quad_count(app: Flask) -> int:
    response = app.test_client().get("/sparql", query_string={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"})
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("name", _tests())
def test_protocol(kasei_app: Flask, name: str) -> None:
    client = kasei_app.test_client()
    before = _quad_count(kasei_app)
    refusing = name.startswith(("update_", "bad_update"))
    for request in _requests(name):
        if refusing and not _is_update(request):
            continue  # checks the effect of an update that was (rightly) refused
        response = client.open(str(request["path"]), method=str(request["method"]), headers=request["headers"],
                               data=request["body"])
        if refusing:
            assert 400 <= response.status_code < 500, (response.status_code, response.data)
            continue
        expected = request["status"]
        assert isinstance(expected, set)
        assert f"StatusCode{response.status_code // 100}xx" in expected, (response.status_code, response.data)
        if request["boolean"] is not None:
            answer = json.loads(response.data) if "json" in response.mimetype else None
            if answer is None:  # XML boolean result
                assert b"<boolean>true</boolean>" in response.data
            else:
                assert answer["boolean"] is request["boolean"].toPython()
        if request["format"] is not None and str(request["format"]) == "RDF":
            assert len(Graph().parse(data=response.data, format=response.mimetype)) >= 0
        if request["format"] is not None and str(request["format"]) == "tabular":
            assert response.mimetype in ("application/sparql-results+json", "application/sparql-results+xml",
                                         "text/csv", "text/tab-separated-values")
    assert _quad_count(kasei_app) == before


def test_manifest_was_read() -> None:
    assert len(_tests()) == 34
    assert RDF.type in set(MANIFEST.predicates())
