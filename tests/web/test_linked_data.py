"""Linked-data pages: content negotiation, suffixes, HTML with labels, links and highlighted source spans."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from rdflib import Graph, URIRef

from kg_publisher.publish.release import Release
from kg_publisher.web import create_app

from .conftest import make_settings

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
           "application/rdf+xml": "xml"}


def _path(release: Release, iri: str) -> str:
    base = release.manifest["base_iri"]
    assert iri.startswith(base)
    return "/" + iri[len(base):]


def _an_observation(client: FlaskClient) -> str:
    response = client.get("/sparql", query_string={"query": (
        "SELECT ?o WHERE { ?o a <http://purl.org/linked-data/cube#Observation> ; "
        "<http://www.w3.org/ns/prov#wasDerivedFrom> ?s } ORDER BY ?o LIMIT 1")},
        headers={"Accept": "application/sparql-results+json"})
    return json.loads(response.data)["results"]["bindings"][0]["o"]["value"]


@pytest.mark.parametrize("accept", list(FORMATS))
def test_negotiated_rdf_is_200_with_content_location_and_vary(client: FlaskClient, release: Release,
                                                             accept: str) -> None:
    dataset = release.manifest["datasets"][0]["dataset"]
    path = _path(release, dataset)
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    assert "Accept" in response.headers["Vary"]
    location = response.headers["Content-Location"]
    assert location.startswith(path + ".")
    graph = Graph().parse(data=response.data, format=FORMATS[accept])
    assert len(list(graph.triples((URIRef(dataset), None, None)))) >= 1
    by_suffix = client.get(location)
    assert by_suffix.status_code == 200 and by_suffix.mimetype == accept and by_suffix.data == response.data
    assert 'rel="alternate"' in response.headers["Link"] and 'rel="license"' in response.headers["Link"]


def test_jsonld_embeds_its_context(client: FlaskClient, release: Release) -> None:
    dataset = release.manifest["datasets"][0]["dataset"]
    document = json.loads(client.get(_path(release, dataset) + ".jsonld").data)
    assert "@context" in document and document["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"


def test_browsers_get_html_never_rdf_xml(client: FlaskClient, release: Release) -> None:
    path = _path(release, release.manifest["datasets"][0]["dataset"])
    for accept in (BROWSER, "text/html", "text/html;q=0.9, application/xml;q=0.8"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == "text/html", accept
    assert client.get(path, headers={"Accept": "text/html;q=0.5, text/turtle"}).mimetype == "text/turtle"
    assert client.get(path).mimetype == "text/turtle"  # no Accept: the documented default
    assert client.get(path, headers={"Accept": "image/png"}).status_code == 406


def test_unknown_iris_are_404(client: FlaskClient) -> None:
    for path in ("/id/org/no-such-org", "/id/dataset/nothing.ttl", "/nowhere"):
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 404
        assert response.get_json()["error"]["type"] == "NotFound"
    page = client.get("/id/org/no-such-org", headers={"Accept": BROWSER})
    assert page.status_code == 404 and page.mimetype == "text/html" and b"NotFound" in page.data


def test_head_matches_get(client: FlaskClient, release: Release) -> None:
    path = _path(release, release.manifest["datasets"][0]["dataset"])
    get = client.get(path, headers={"Accept": "text/turtle"})
    head = client.head(path, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["ETag"] == get.headers["ETag"]


def test_observation_page_shows_labels_links_and_the_highlighted_span(client: FlaskClient,
                                                                      release: Release) -> None:
    observation = _an_observation(client)
    page = client.get(_path(release, observation), headers={"Accept": BROWSER})
    assert page.status_code == 200
    soup = BeautifulSoup(page.data, "html.parser")
    assert soup.h1.get_text(strip=True)
    marks = soup.select("section.evidence mark")
    assert marks, "no highlighted source span"
    turtle = Graph().parse(data=client.get(_path(release, observation) + ".ttl").data, format="turtle")
    exact = [str(o) for o in turtle.objects(None, URIRef("http://www.w3.org/ns/oa#exact"))]
    if not exact:  # selectors described on the span's own page
        span = next(turtle.objects(URIRef(observation), URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
        quoted = client.get("/sparql", query_string={
            "query": f"SELECT ?e WHERE {{ <{span}> <http://www.w3.org/ns/oa#hasSelector>/"
                     "<http://www.w3.org/ns/oa#exact> ?e }"}, headers={"Accept": "application/sparql-results+json"})
        exact = [b["e"]["value"] for b in json.loads(quoted.data)["results"]["bindings"]]
    if exact:
        assert marks[0].get_text() in exact
    # Every link to one of our IRIs points at this server and works.
    local = [a["href"] for a in soup.select("table.properties a") if a["href"].startswith("http://localhost/")]
    assert local
    for href in local[:10]:
        assert client.get(href.removeprefix("http://localhost"), headers={"Accept": BROWSER}).status_code == 200


def test_organisation_page_has_incoming_links(client: FlaskClient, release: Release) -> None:
    organization = release.manifest["datasets"][0]["organization"]
    page = client.get(_path(release, organization), headers={"Accept": BROWSER})
    soup = BeautifulSoup(page.data, "html.parser")
    assert page.status_code == 200 and soup.select("table.incoming tr")
    assert "zh" in soup.h1.get("lang", "")


def test_public_url_rewrites_links(release: Release, release_dir: object) -> None:
    app = create_app(make_settings(build_dir=str(release_dir), public_url="http://data.example.org/kg/",
                                   query_workers=1))
    try:
        path = _path(release, release.manifest["datasets"][0]["dataset"])
        page = app.test_client().get(path, headers={"Accept": BROWSER})
        hrefs = [a["href"] for a in BeautifulSoup(page.data, "html.parser").select("a")]
        assert any(h.startswith("http://data.example.org/kg/id/") for h in hrefs)
        assert not any(h.startswith(release.manifest["base_iri"] + "id/") for h in hrefs)
    finally:
        app.extensions["kg_publisher"].store.close()


def test_an_observation_page_shows_the_quality_findings_about_it(client: FlaskClient) -> None:
    """The seed's 支出预算 819.82 ≠ 623.44 + 150.94: a reader of that figure's page is told, in zh and en."""
    page = client.get("/id/dataset/panjin-xinglongtai-zwfwzx-2022-budget/obs/expenditure-total",
                      headers={"Accept": "text/html"})
    assert page.status_code == 200
    findings = BeautifulSoup(page.get_data(as_text=True), "html.parser").find("section", id="findings")
    assert findings is not None and findings.h2.get_text() == "质量问题"
    section = findings.get_text(" ")
    assert "774.38" in section and "819.82" in section and "警告" in section
    assert "is not the sum" in section  # the English message too
    clean = client.get("/id/dataset/panjin-xinglongtai-zwfwzx-2022-budget/obs/expenditure-basic",
                       headers={"Accept": "text/html"}).get_data(as_text=True)
    assert BeautifulSoup(clean, "html.parser").find("section", id="findings") is None


def test_a_dataset_page_lists_its_figures_in_document_order(client: FlaskClient) -> None:
    page = client.get("/id/dataset/panjin-xinglongtai-zwfwzx-2022-budget", headers={"Accept": "text/html"})
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    section = soup.find("section", class_="figures")
    assert section is not None
    # columns: No., item, amount as printed, code, section
    rows = [[cell.get_text(strip=True) for cell in row.find_all("td")[1:]] for row in section.find_all("tr")[1:]]
    assert len(rows) == 45  # the seed's 45 printed figures
    items = [row[0] for row in rows]
    # as printed: 收入预算 before its lines, 支出预算 before 基本支出, 资产总额 late in the document
    assert items.index("收入预算") < items.index("一般公共预算收入") < items.index("支出预算") < items.index("基本支出")
    assert items.index("基本支出") < items.index("资产总额")
    assert ["支出预算", "819.82万元"] == rows[items.index("支出预算")][:2]
    # the page also holds the disclosure's whole quality report (37 warnings and 1 note for the seed)
    findings = soup.find("section", class_="findings")
    assert findings is not None and len(findings.find_all("li")) == 38
    assert "774.38" in findings.get_text()
    # an observation's page has no figures table
    obs = client.get("/id/dataset/panjin-xinglongtai-zwfwzx-2022-budget/obs/expenditure-basic",
                     headers={"Accept": "text/html"})
    assert 'class="figures"' not in obs.get_data(as_text=True)
