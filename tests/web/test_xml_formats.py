"""XML 1.0 cannot carry U+000C, the page break between PDF pages in our source texts, so quotes of spans across
pages reach XML clients (SPARQLWrapper asks for XML results by default) as a line feed; every other format
carries the text exactly."""

from __future__ import annotations

import io
import json

from flask.testing import FlaskClient
from rdflib import Graph
from rdflib.query import Result

from kg_publisher.publish.formats import xml_safe

PAGE_BREAK_QUOTES = """
    PREFIX oa: <http://www.w3.org/ns/oa#>
    SELECT ?quote ?exact WHERE { ?quote oa:exact ?exact . FILTER (CONTAINS(?exact, "\\f")) } ORDER BY ?quote LIMIT 3"""


def test_xml_safe_maps_only_what_xml_cannot_carry() -> None:
    assert xml_safe("第1页\f第2页") == "第1页\n第2页"
    assert xml_safe("a\tb\nc\rd") == "a\tb\nc\rd"
    assert xml_safe("bell\x07") == "bell\ufffd"


def test_select_results_in_xml_parse_and_json_stays_exact(client: FlaskClient) -> None:
    exact = client.get("/sparql", query_string={"query": PAGE_BREAK_QUOTES, "format": "json"})
    rows = json.loads(exact.data)["results"]["bindings"]
    assert rows and all("\f" in row["exact"]["value"] for row in rows)
    xml = client.get("/sparql", query_string={"query": PAGE_BREAK_QUOTES, "format": "xml"})
    assert xml.status_code == 200
    parsed = list(Result.parse(io.BytesIO(xml.data), format="xml"))
    assert [str(row[1]) for row in parsed] == [xml_safe(row["exact"]["value"]) for row in rows]  # type: ignore[index]


def test_construct_in_rdf_xml_parses(client: FlaskClient) -> None:
    construct = PAGE_BREAK_QUOTES.replace("SELECT ?quote ?exact WHERE", "CONSTRUCT { ?quote oa:exact ?exact } WHERE")
    construct = construct.replace("ORDER BY ?quote LIMIT 3", "")
    response = client.get("/sparql", query_string={"query": construct}, headers={"Accept": "application/rdf+xml"})
    assert response.status_code == 200 and response.mimetype == "application/rdf+xml"
    graph = Graph().parse(data=response.data, format="xml")
    assert len(graph) >= 3 and not any("\f" in str(o) for o in graph.objects())
