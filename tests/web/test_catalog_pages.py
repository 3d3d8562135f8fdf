"""The served catalogue in pages (issue 9 §6: no response grows with the number of disclosures): with
``catalog_page_size`` items a page, every page is a DCAT-AP catalogue of its own, the pages together hold every
triple of the release's catalogue exactly, they are chained by a Hydra partial collection view that ckanext-dcat's
harvester follows to the last page, and bad page numbers are a 400 or a 404."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF

from kg_publisher.publish.catalog_pages import (
    PAGES_DIR,
    CataloguePages,
    write_catalogue_pages,
    written_page,
    written_page_bytes,
    written_pages,
)
from kg_publisher.publish.release import CATALOG_NT, Release
from kg_publisher.vocab import DCAT3, HYDRA
from kg_publisher.web import create_app

from .conftest import dcat_ap_violations, make_settings
from .test_harvest import HARVEST_PYTHON, ROOT

SIZE = 3  # items a page: a series with its members shares one, so pages hold 1 to 3


@pytest.fixture(scope="module")
def paged(release_dir: Path) -> Iterator[Flask]:
    """A server set to pages of SIZE items over the release, which the build wrote pages of 100 for: it groups the
    whole catalogue itself."""
    application = create_app(make_settings(build_dir=str(release_dir), catalog_page_size=SIZE))
    yield application
    application.extensions["kg_publisher"].store.close()


@pytest.fixture(scope="module")
def paged_from_files(release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The same server over a copy of the release (hard links) holding pages of SIZE items, as a build set to that
    page size writes them: it reads the page asked for."""
    copy = tmp_path_factory.mktemp("paged") / "release"
    shutil.copytree(release_dir, copy, copy_function=os.link)
    write_catalogue_pages(copy, SIZE)
    application = create_app(make_settings(build_dir=str(copy), catalog_page_size=SIZE))
    yield application
    application.extensions["kg_publisher"].store.close()


@pytest.fixture(scope="module")
def paged_client(paged: Flask) -> FlaskClient:
    return paged.test_client()


def _whole(release: Release) -> list[ox.Triple]:
    return list(release.catalog_triples())


def _page(client: FlaskClient, path: str) -> Graph:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return Graph().parse(data=response.data, format="turtle")


def _pages(client: FlaskClient) -> list[Graph]:
    """Every page, reached from /catalog by hydra:next alone."""
    graphs, path = [], "/catalog"
    while path:
        graph = _page(client, path)
        graphs.append(graph)
        following = list(graph.objects(None, HYDRA.next))
        assert len(following) <= 1
        path = (urlsplit(str(following[0])).path + "?" + urlsplit(str(following[0])).query) if following else ""
        assert len(graphs) < 100
    return graphs


def test_the_pages_hold_the_catalogue_exactly(release: Release) -> None:
    whole = _whole(release)
    pages = CataloguePages(whole)
    seen: set[ox.Triple] = set()
    for number in range(1, pages.count(SIZE) + 1):
        triples = pages.page(number, SIZE, lambda n: f"http://localhost/catalog?page={n}")
        seen |= {t for t in triples if not t.subject.value.startswith("http://localhost/catalog?")}
    assert seen == set(whole)
    assert pages.count(SIZE) >= -(-len(pages.items) // SIZE) and pages.count(SIZE) > 1
    assert pages.count(10_000) == 1  # and with one page no paging triples are added
    assert set(pages.page(1, 10_000, lambda n: "http://localhost/catalog")) == set(whole)


def test_served_pages_are_chained_and_each_is_a_catalogue(paged_client: FlaskClient, release: Release) -> None:
    graphs = _pages(paged_client)
    items = CataloguePages(_whole(release)).items
    assert len(graphs) == CataloguePages(_whole(release)).count(SIZE) > 1
    listed = []
    for number, graph in enumerate(graphs, start=1):
        catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
        assert len(catalogues) == 1
        on_page = sorted(str(o) for o in graph.objects(catalogues[0], DCAT.dataset))
        assert 1 <= len(on_page) <= SIZE
        listed += on_page
        for dataset in on_page:  # every distribution and series a page names is described on that page
            for distribution in graph.objects(URIRef(dataset), DCAT.distribution):
                assert (distribution, RDF.type, DCAT.Distribution) in graph
            for series in graph.objects(URIRef(dataset), DCAT3.inSeries):
                assert str(series) in on_page
        view = next(graph.subjects(RDF.type, HYDRA.PartialCollectionView))
        assert str(view).endswith(f"catalog?page={number}")
        assert int(graph.value(view, HYDRA.totalItems)) == len(items)  # type: ignore[arg-type]
        assert str(graph.value(view, HYDRA.last)).endswith(f"page={len(graphs)}")
    assert sorted(listed) == sorted(item.value for item in items) and len(listed) == len(items)


def test_the_build_writes_its_pages_and_they_are_served_as_computed(release: Release, paged_client: FlaskClient,
                                                                     paged_from_files: Flask) -> None:
    written = written_pages(release.path, 100)  # the build's catalog_page_size
    assert written is not None
    assert {key: written[key] for key in ("size", "pages", "items")} == {
        "size": 100, "pages": 1, "items": len(CataloguePages(_whole(release)).items)}
    assert set(written_page(release.path, 100, 1)) == set(_whole(release))
    from_files = paged_from_files.test_client()
    count = CataloguePages(_whole(release)).count(SIZE)
    for number in range(1, count + 1):
        for accept in ("text/turtle", "application/n-triples"):
            computed = paged_client.get(f"/catalog?page={number}", headers={"Accept": accept})
            read = from_files.get(f"/catalog?page={number}", headers={"Accept": accept})
            assert read.status_code == computed.status_code == 200
            assert read.data == computed.data, number
    assert from_files.get(f"/catalog?page={count + 1}", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.mark.parametrize("size", [1, 2, SIZE, 100])
def test_pages_written_from_the_file_are_the_grouped_pages_byte_for_byte(release: Release, tmp_path: Path,
                                                                         size: int) -> None:
    """The build writes the pages from catalog.nt read by subject; a server set to another size groups the whole
    catalogue (CataloguePages): both give the same bytes, at sizes of one page and of several."""
    os.link(release.path / CATALOG_NT, tmp_path / CATALOG_NT)
    index = write_catalogue_pages(tmp_path, size)
    pages = CataloguePages(_whole(release))
    assert index == {"size": size, "pages": pages.count(size), "items": len(pages.items)}
    assert (index["pages"] > 1) == (size < len(pages.items))
    for number in range(1, index["pages"] + 1):
        expected = ox.serialize(pages.page_triples(number, size), format=ox.RdfFormat.N_TRIPLES)
        assert written_page_bytes(tmp_path, size, number) == expected, (size, number)


def test_pages_the_release_before_holds_are_hard_links(release: Release, tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    os.link(release.path / CATALOG_NT, before / CATALOG_NT)
    write_catalogue_pages(before, SIZE)
    # one figure of one disclosure's description changed: only that disclosure's page is written again
    lines = (release.path / CATALOG_NT).read_bytes().splitlines(keepends=True)
    at = next(number for number, line in enumerate(lines)
              if b"/id/dataset/" in line.split(b" ")[0] and b"/id/dataset/all>" not in line.split(b" ")[0]
              and b"<http://rdfs.org/ns/void#triples>" in line)
    changed = lines[at].split(b" ")[0]
    lines[at] = lines[at].replace(b'"', b'"9', 1)
    (after / CATALOG_NT).write_bytes(b"".join(lines))
    index = write_catalogue_pages(after, SIZE, previous=before)
    linked = []
    for number in range(1, index["pages"] + 1):
        name = f"{PAGES_DIR}/{SIZE}/{number}.nt.gz"
        same = os.path.samefile(before / name, after / name)
        assert same == (written_page_bytes(before, SIZE, number) == written_page_bytes(after, SIZE, number))
        assert same != (changed + b" " in written_page_bytes(after, SIZE, number)), number
        linked.append(same)
    assert linked.count(False) == 1, linked


def test_a_page_passes_dcat_ap_3_shapes(paged_client: FlaskClient, dcat_ap_shapes: Graph) -> None:
    count, text = dcat_ap_violations(_page(paged_client, "/catalog?page=2"), dcat_ap_shapes)
    assert count == 0, text


def test_ckanext_dcat_follows_the_pages_to_every_dataset(paged_client: FlaskClient, release: Release) -> None:
    if not HARVEST_PYTHON.exists():
        pytest.skip("ckanext-dcat is not installed: `make test` sets up .venv-harvest")
    harvested, path, rounds = [], "/catalog", 0
    while path:
        turtle = paged_client.get(path, headers={"Accept": "text/turtle"}).data
        completed = subprocess.run([str(HARVEST_PYTHON), str(ROOT / "scripts" / "harvest_with_ckanext_dcat.py"),
                                    "--paged"], input=turtle, capture_output=True, timeout=300)
        assert completed.returncode == 0, completed.stderr.decode()[-2000:]
        answer = json.loads(completed.stdout)
        harvested += [next(extra["value"] for extra in dataset["extras"] if extra["key"] == "uri")
                      for dataset in answer["datasets"]]
        following = answer["next_page"]
        path = (urlsplit(following).path + "?" + urlsplit(following).query) if following else ""
        rounds += 1
        assert rounds < 50
    assert rounds == CataloguePages(_whole(release)).count(SIZE)
    # Every data set of the whole catalogue (disclosures, series, the release's versions), each on one page only.
    whole = Graph().parse(data=ox.serialize(_whole(release), format=ox.RdfFormat.N_TRIPLES), format="nt")
    expected = sorted(str(node) for node in whole.subjects(RDF.type, DCAT.Dataset))
    assert sorted(harvested) == expected


@pytest.mark.parametrize(("query", "status"), [("page=0", 400), ("page=x", 400), ("page=%D9%A3", 400),
                                                ("page=999", 404), ("page=1", 200)])
def test_bad_page_numbers_are_refused(paged_client: FlaskClient, query: str, status: int) -> None:
    for accept in ("text/turtle", "text/html"):
        response = paged_client.get(f"/catalog?{query}", headers={"Accept": accept})
        assert response.status_code == status, (query, accept, response.get_data(as_text=True)[:300])


def test_html_pages_list_their_share_and_link_the_next(paged_client: FlaskClient, release: Release) -> None:
    first = paged_client.get("/catalog", headers={"Accept": "text/html"}).get_data(as_text=True)
    datasets = release.manifest["datasets"]  # the HTML lists disclosures only: SIZE a page
    assert first.count("<section>") == SIZE + 1  # its data sets, then the whole release
    assert 'href="?page=2" rel="next"' in first
    last_number = -(-len(datasets) // SIZE)
    last = paged_client.get(f"/catalog?page={last_number}", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'rel="next"' not in last and f'href="?page={last_number - 1}" rel="prev"' in last
    home = paged_client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert home.count("<tr>") == SIZE + 1 and "catalog?page=2" in home


def test_the_sitemap_is_an_index_of_one_file_per_catalogue_page(paged_client: FlaskClient,
                                                                 release: Release) -> None:
    index = paged_client.get("/sitemap.xml").get_data(as_text=True)
    datasets = release.manifest["datasets"]
    pages = -(-len(datasets) // SIZE)
    assert "<sitemapindex" in index and index.count("<sitemap>") == pages
    listed: list[str] = []
    for number in range(1, pages + 1):
        assert f"<loc>http://localhost/sitemap.xml?page={number}</loc>" in index
        body = paged_client.get(f"/sitemap.xml?page={number}").get_data(as_text=True)
        assert body.startswith('<?xml') and "<urlset" in body
        listed += [loc.split("</loc>")[0] for loc in body.split("<loc>")[1:]]
    figures_and_datasets = [url for url in listed if "/id/dataset/" in url]
    assert len(figures_and_datasets) == len(set(figures_and_datasets))  # (a department may recur on two pages)
    for row in datasets:  # each data set, its department and its figures are listed
        path = "http://localhost/" + row["dataset"].removeprefix(release.manifest["base_iri"])
        assert path in listed
        assert sum(1 for url in listed if url.startswith(path + "/obs/")) == row["observations"], row["key"]
    assert paged_client.get(f"/sitemap.xml?page={pages + 1}").status_code == 404
    assert paged_client.get("/sitemap.xml?page=x").status_code == 400
