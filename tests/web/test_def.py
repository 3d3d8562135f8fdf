"""``/def`` for people: the vocabulary as an HTML reference (classes, properties, comments in both languages,
working ``#anchors``, the code lists of the coded dimensions, the example queries); for machines, still RDF."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from kg_publisher.queries import example_queries

DEF = "https://w3id.org/cn-budget-kg/def#"
USED = f"""
SELECT DISTINCT ?term WHERE {{
  {{ ?s ?term ?o }} UNION {{ ?s a ?term }} UNION {{ ?s ?p ?term }}
  FILTER (isIRI(?term) && STRSTARTS(STR(?term), "{DEF}") && STR(?term) != "{DEF}")
}}"""


def _soup(client: FlaskClient, path: str) -> BeautifulSoup:
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200, path
    return BeautifulSoup(page.get_data(as_text=True), "html.parser")


def test_every_term_the_data_uses_has_its_anchor(client: FlaskClient) -> None:
    answer = client.get("/sparql", query_string={"query": USED}, headers={"Accept": "application/sparql-results+json"})
    used = {b["term"]["value"] for b in json.loads(answer.data)["results"]["bindings"]}
    assert len(used) > 40 and DEF + "amountInYuan" in used
    soup = _soup(client, "/def")
    missing = sorted(term for term in used if soup.find(id=term.removeprefix(DEF)) is None)
    assert missing == []
    amount = soup.find("section", id="amountInYuan")
    assert amount is not None and "金额（元）" in amount.get_text() and "amount in yuan" in amount.get_text()
    facts = {dt.get_text(strip=True): dd.get_text(strip=True) for dt, dd in zip(amount.select("dt"),
                                                                                 amount.select("dd"), strict=True)}
    assert facts == {"rdfs:domain": "qb:Observation", "rdfs:range": "xsd:decimal"}


def test_links_to_terms_on_other_pages_land_on_their_anchor(client: FlaskClient) -> None:
    figure = _soup(client, "/id/dataset/panjin-xinglongtai-zwfwzx-2022-budget/obs/expenditure-basic")
    anchors = {a["href"].split("#", 1)[1] for a in figure.select("a[href]") if "/def#" in a["href"]}
    assert "amountInYuan" in anchors
    reference = _soup(client, "/def")
    assert [anchor for anchor in sorted(anchors) if reference.find(id=anchor) is None] == []
    own = [a["href"][1:] for a in reference.select('main a[href^="#"]')]  # the page's own index
    assert own and [anchor for anchor in own if reference.find(id=anchor) is None] == []


def test_classes_and_properties_in_both_languages(app: Flask, client: FlaskClient) -> None:
    soup = _soup(client, "/def")
    classes = soup.select("#classes ~ section.term")
    ontology = Graph()
    ontology.parse(data=client.get("/def", headers={"Accept": "text/turtle"}).data, format="turtle")
    ours = {str(c) for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(DEF)}
    assert {s["id"] for s in soup.find_all("section", class_="term")} >= {c.removeprefix(DEF) for c in ours}
    duty = soup.find("section", id="Duty")
    assert duty is not None and duty.find(lang="zh") is not None and duty.find(lang="en") is not None
    assert len(classes) >= len(ours) and (URIRef(DEF + "Duty"), RDF.type, OWL.Class) in ontology
    english = BeautifulSoup(app.test_client().get("/def?lang=en", headers={"Accept": "text/html"})
                            .get_data(as_text=True), "html.parser")
    assert english.h1.span["lang"] == "en" and english.find("h2", id="classes").get_text() == "Classes"


def test_code_lists_and_example_queries_link_where_they_say(client: FlaskClient) -> None:
    soup = _soup(client, "/def")
    codes = _soup(client, "/codes")
    rows = {tr.td.get_text(strip=True): tr for tr in soup.select("table.code-lists tbody tr")}
    assert rows["bgt:functionalClassification"].select("td")[1].get_text(strip=True) == \
        "https://w3id.org/cn-budget-kg/code/func"
    anchors = [a["href"].split("#", 1)[1] for a in soup.select("table.code-lists a[href*='/codes#']")]
    assert "func" in anchors and "fund-source" in anchors
    assert [anchor for anchor in anchors if codes.find(id=anchor) is None] == []
    sparql = _soup(client, "/sparql")
    for example in example_queries():
        section = soup.find("section", id=f"example-{example.key}")
        assert section is not None and example.title_en in section.get_text()
        assert section.pre.get_text() == example.text
        assert sparql.find(id=f"example-{example.key}") is not None
