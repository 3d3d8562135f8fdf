"""The SPARQL endpoint over the release: request forms, formats, negotiation, limits and refusals."""

from __future__ import annotations

import csv
import io
import json

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.query import Result

from kg_publisher.publish.release import Release
from kg_publisher.vocab import OA, PROV, QB, SD

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SPANS = """
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX spdx: <http://spdx.org/rdf/terms#>
SELECT ?obs ?start ?end ?exact ?sha WHERE {
  ?obs a qb:Observation ; prov:wasDerivedFrom ?span .
  ?span oa:hasSource/spdx:checksum/spdx:checksumValue ?sha ;
        oa:hasSelector ?position .
  ?position oa:start ?start ; oa:end ?end .
  OPTIONAL { ?span oa:hasSelector/oa:exact ?exact }
} ORDER BY ?obs
"""


def _json(client: FlaskClient, query: str, **kwargs: object) -> dict:
    response = client.get("/sparql", query_string={"query": query, **kwargs},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.data
    return json.loads(response.data)


def _count(client: FlaskClient) -> int:
    return int(_json(client, COUNT)["results"]["bindings"][0]["n"]["value"])


def test_get_post_form_and_direct_post_give_the_same_answer(client: FlaskClient) -> None:
    by_get = _json(client, COUNT)
    by_form = client.post("/sparql", data={"query": COUNT}, headers={"Accept": "application/sparql-results+json"})
    by_body = client.post("/sparql", data=COUNT.encode(), content_type="application/sparql-query",
                          headers={"Accept": "application/sparql-results+json"})
    assert json.loads(by_form.data) == by_get == json.loads(by_body.data)
    assert int(by_get["results"]["bindings"][0]["n"]["value"]) > 100  # the union of all graphs


def test_default_graph_is_the_union_of_named_graphs(client: FlaskClient, release: Release) -> None:
    total = _count(client)
    named = _json(client, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    # The union removes triples repeated across graphs, so it can only be smaller or equal.
    assert 0 < total <= int(named["results"]["bindings"][0]["n"]["value"]) == release.manifest["triples"]


@pytest.mark.parametrize("media_type", ["application/sparql-results+json", "application/sparql-results+xml",
                                        "text/csv", "text/tab-separated-values"])
def test_select_formats_parse_to_the_same_rows(client: FlaskClient, media_type: str) -> None:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    if media_type == "text/csv":
        rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8"))))
        graphs = [row["g"] for row in rows]
    else:
        fmt = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
               "text/tab-separated-values": "tsv"}[media_type]
        result = Result.parse(io.BytesIO(response.data), format=fmt)
        graphs = [str(row[0]).strip("<>") for row in result]
    assert any(graph.endswith("/graph/catalog") for graph in graphs)
    assert len(graphs) == len(set(graphs)) >= 3


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_formats_parse(client: FlaskClient, accept: str, fmt: str) -> None:
    query = "CONSTRUCT { ?d a ?t } WHERE { ?d a ?t . FILTER(?t = <http://www.w3.org/ns/dcat#Dataset>) }"
    response = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    graph = Graph().parse(data=response.data, format=fmt)
    assert len(graph) >= 2 and all(o == URIRef("http://www.w3.org/ns/dcat#Dataset") for o in graph.objects())


def test_describe_returns_the_resource(client: FlaskClient, release: Release) -> None:
    dataset = release.manifest["datasets"][0]["dataset"]
    response = client.get("/sparql", query_string={"query": f"DESCRIBE <{dataset}>"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    assert (URIRef(dataset), None, None) in graph


def test_ask_json_and_xml(client: FlaskClient) -> None:
    assert _json(client, "ASK { ?s a <http://www.w3.org/ns/dcat#Catalog> }")["boolean"] is True
    xml = client.get("/sparql", query_string={"query": "ASK { <urn:x:none> ?p ?o }", "format": "xml"})
    assert xml.mimetype == "application/sparql-results+xml" and b"<boolean>false</boolean>" in xml.data


def test_q_values_and_format_parameter(client: FlaskClient) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    response = client.get("/sparql", query_string={"query": query},
                          headers={"Accept": "application/sparql-results+json;q=0.5, text/csv"})
    assert response.mimetype == "text/csv"
    response = client.get("/sparql", query_string={"query": query, "format": "tsv"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.mimetype == "text/tab-separated-values"
    browser = client.get("/sparql", query_string={"query": query},
                         headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert browser.status_code == 200 and browser.mimetype == "application/xml"  # XML results, per its Accept
    refused = client.get("/sparql", query_string={"query": query}, headers={"Accept": "image/png"})
    assert refused.status_code == 406 and refused.get_json()["error"]["hint"]


def test_syntax_error_is_400_with_the_parser_message(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["type"] == "QuerySyntaxError" and "error at 1:" in error["message"] and error["hint"]


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", query_string={"update": "CLEAR ALL"}),
    lambda c: c.post("/sparql", data={"update": "DROP ALL"}),
    lambda c: c.post("/sparql", data=b"CLEAR ALL", content_type="application/sparql-update"),
    lambda c: c.get("/sparql", query_string={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    lambda c: c.post("/sparql", data=b"PREFIX x: <urn:x:> DELETE WHERE { ?s ?p ?o }",
                     content_type="application/sparql-query"),
    lambda c: c.post("/sparql", data={"query": "LOAD <http://example.org/data.ttl>"}),
])
def test_every_update_form_is_refused_and_changes_nothing(client: FlaskClient, send: object) -> None:
    before = _count(client)
    response = send(client)  # type: ignore[operator]
    assert response.status_code == 403
    assert response.get_json()["error"]["type"] == "UpdateForbidden"
    assert _count(client) == before


def test_service_and_remote_from_never_reach_the_network(client: FlaskClient, listener: object) -> None:
    port, hits = listener  # type: ignore[misc]
    remote = f"http://127.0.0.1:{port}/sparql"
    for query in (f"SELECT * WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}",
                  f"SELECT * WHERE {{ SERVICE SILENT <{remote}> {{ ?s ?p ?o }} }}",
                  f"SELECT * FROM <{remote}> WHERE {{ ?s ?p ?o }}",
                  f"SELECT * FROM NAMED <{remote}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 403, query
        assert response.get_json()["error"]["type"] == "RemoteAccessForbidden"
    refused = client.get("/sparql", query_string={"query": "ASK {}", "default-graph-uri": remote})
    assert refused.status_code == 400 and refused.get_json()["error"]["type"] == "DatasetNotAvailable"
    assert hits == []


def test_keywords_inside_strings_and_iris_are_not_refused(client: FlaskClient) -> None:
    query = 'SELECT ?service WHERE { BIND("SERVICE <x> FROM <y> INSERT" AS ?service) } # DELETE'
    assert _json(client, query)["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")


def test_from_a_graph_we_hold_is_allowed(client: FlaskClient, release: Release) -> None:
    graph = release.manifest["catalog_graph"]
    answer = _json(client, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}")
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == release.manifest["graphs"][graph]


def test_row_cap_is_flagged_in_header_and_body(client: FlaskClient) -> None:
    # The app under test has max_rows = 50.
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json"})
    body = json.loads(response.data)
    assert len(body["results"]["bindings"]) == 50
    assert response.headers["X-Result-Truncated"].startswith("true")
    assert body["head"]["link"] == ["urn:kg-publisher:result-truncated"]
    xml = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "xml"})
    assert b"result-truncated" in xml.data and len(list(Result.parse(io.BytesIO(xml.data), format="xml"))) == 50
    turtle = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert turtle.data.startswith(b"# Result truncated at 50 triples")
    assert len(Graph().parse(data=turtle.data, format="turtle")) == 50
    small = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert "X-Result-Truncated" not in small.headers


def test_query_size_limit(client: FlaskClient, app: object) -> None:
    limit = app.extensions["kg_publisher"].settings.max_query_bytes  # type: ignore[attr-defined]
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * limit
    response = client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
    assert response.status_code == 413 and response.get_json()["error"]["type"] == "QueryTooLarge"


def test_service_description_by_negotiation(client: FlaskClient, release: Release) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    service = URIRef("http://localhost/sparql")
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    names = {str(name) for name in graph.objects(None, SD.name)}
    assert names == set(release.manifest["graphs"])
    assert set(graph.objects(service, SD.resultFormat)) >= {
        URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON"), URIRef("http://www.w3.org/ns/formats/Turtle")}
    page = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.mimetype == "text/html" and b"vendor/yasgui/yasgui.min.js" in page.data
    assert b"cdn" not in page.data.lower()
    script = client.get("/static/vendor/yasgui/yasgui.min.js")
    assert script.status_code == 200 and len(script.data) > 100_000


def test_observations_are_reachable_with_their_spans(client: FlaskClient, release: Release) -> None:
    rows = _json(client, SPANS)["results"]["bindings"]
    assert rows, "no observation with a source span"
    for row in rows:
        text = release.source_text(row["sha"]["value"].lower())
        assert text is not None
        start, end = int(row["start"]["value"]), int(row["end"]["value"])
        if "exact" in row:
            assert text[start:end] == row["exact"]["value"]
        assert 0 <= start < end <= len(text)
    graph = Graph().parse(data=client.get("/sparql", query_string={
        "query": f"DESCRIBE <{rows[0]['obs']['value']}>"}).data, format="turtle")
    assert (URIRef(rows[0]["obs"]["value"]), RDF.type, QB.Observation) in graph
    assert any(graph.objects(URIRef(rows[0]["obs"]["value"]), PROV.wasDerivedFrom))
    assert OA.hasSelector is not None and Literal  # vocabularies used above


def test_answers_have_cors_and_a_version_etag(client: FlaskClient, release: Release) -> None:
    response = client.get("/sparql", query_string={"query": "ASK {}"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["ETag"].strip('"').startswith(release.version)
    again = client.get("/sparql", query_string={"query": "ASK {}"},
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    preflight = client.options("/sparql", headers={"Origin": "https://example.org",
                                                   "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200 and "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_bad_requests(client: FlaskClient) -> None:
    assert client.put("/sparql", data="ASK {}").status_code == 405
    assert client.post("/sparql", data=b"ASK {}", content_type="text/plain").status_code == 415
    two = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert two.status_code == 400 and "exactly one" in two.get_json()["error"]["message"]


def test_format_xml_means_rdfxml_for_graphs_and_repeated_formats_are_read(client: FlaskClient) -> None:
    """What SPARQLWrapper sends: ``format=xml`` (XML), or ``format=rdf+xml&format=application/rdf+xml`` (RDFXML)
    beside ``Accept: application/rdf+xml``; for a graph result that is RDF/XML, for a result set SPARQL XML."""
    construct = "CONSTRUCT { ?c a ?t } WHERE { ?c a ?t . FILTER(?t = <http://www.w3.org/ns/dcat#Catalog>) }"
    for params in ([("format", "xml")], [("format", "rdf+xml"), ("format", "application/rdf+xml")],
                   [("format", "rdf+xml"), ("output", "rdf+xml"), ("results", "rdf+xml")]):
        response = client.get("/sparql", query_string=[("query", construct), *params],
                              headers={"Accept": "application/rdf+xml"})
        assert response.status_code == 200 and response.mimetype == "application/rdf+xml", params
        assert len(Graph().parse(data=response.data, format="xml")) == 1
    ask = client.get("/sparql", query_string={"query": "ASK {}", "format": "xml"})
    assert ask.mimetype == "application/sparql-results+xml"
    unknown = client.get("/sparql", query_string=[("query", construct), ("format", "nonsense")])
    assert unknown.status_code == 406 and "nonsense" in unknown.get_json()["error"]["message"]
