"""Small things a reader trips over: named graphs resolve as the README says, VoID opens as a page in a browser,
the error page's hint paths are links, the site has an icon."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from rdflib import Graph

from kg_publisher.publish.release import Release

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
KEY = "shanghai-putuo-czj-2025-budget"


def test_named_graphs_resolve(client: FlaskClient, release: Release) -> None:
    row = release.dataset(KEY)
    assert row is not None
    for name in (row["graph"], row["quality_graph"]):
        path = name.removeprefix(release.manifest["base_iri"][:-1])
        page = client.get(path, headers=BROWSER)
        assert page.status_code == 200 and page.mimetype == "text/html"
        soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
        assert f"{release.manifest['graphs'][name]} triples" in soup.get_text()
        assert soup.find("a", href=lambda h: bool(h) and h.endswith(f"/id/dataset/{KEY}")) is not None
        turtle = client.get(path, headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200 and turtle.headers["Content-Location"] == f"{path}.ttl"
        assert len(Graph().parse(data=turtle.get_data(as_text=True), format="turtle")) == \
            release.manifest["graphs"][name]
        assert client.get(f"{path}.nt").mimetype == "application/n-triples"
    assert client.get("/graph/no-such-graph", headers=BROWSER).status_code == 404


def test_void_opens_as_a_page_in_a_browser_and_as_turtle_for_machines(client: FlaskClient) -> None:
    page = client.get("/.well-known/void", headers=BROWSER)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert client.get("/.well-known/void", headers={"Accept": "text/turtle"}).mimetype == "text/turtle"
    assert client.get("/.well-known/void").mimetype == "text/turtle"  # no Accept: the data


def test_the_404_hint_links_its_paths(client: FlaskClient) -> None:
    page = client.get("/id/nothing-here", headers=BROWSER)
    assert page.status_code == 404
    hint = BeautifulSoup(page.get_data(as_text=True), "html.parser").find("p", class_="hint")
    assert hint is not None
    assert {a["href"] for a in hint.find_all("a")} >= {"/catalog", "/sparql"}


def test_pages_have_an_icon(client: FlaskClient) -> None:
    soup = BeautifulSoup(client.get("/", headers=BROWSER).get_data(as_text=True), "html.parser")
    icon = soup.find("link", rel="icon")
    assert icon is not None
    served = client.get(str(icon["href"]).removeprefix("http://localhost"))
    assert served.status_code == 200 and b"<svg" in served.data
