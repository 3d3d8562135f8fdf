"""Catalogue and self-description (DCAT-AP 3.0.1 shapes, VoID, sitemap, robots) and the dump downloads."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from kg_publisher.publish.release import Release
from kg_publisher.vocab import DCAT3, SPDX

from ..conftest import whole_nquads
from .conftest import DCAT_AP, dcat_ap_violations


def test_dcat_ap_controls_behave(dcat_ap_shapes: Graph) -> None:
    good = Graph().parse(DCAT_AP / "selftest" / "catalog-typed.ttl")
    broken = Graph().parse(DCAT_AP / "selftest" / "catalog-broken.ttl")
    assert dcat_ap_violations(good, dcat_ap_shapes)[0] == 0
    assert dcat_ap_violations(broken, dcat_ap_shapes)[0] == 7


def test_catalogue_passes_dcat_ap_3_shapes_and_ranges(client: FlaskClient, dcat_ap_shapes: Graph) -> None:
    response = client.get("/catalog", headers={"Accept": "text/turtle"})  # as a harvester fetches it
    assert response.status_code == 200
    catalogue = Graph().parse(data=response.data, format="turtle")
    # with its series and its versions
    assert len(set(catalogue.subjects(RDF.type, DCAT3.DatasetSeries))) == 4
    assert set(catalogue.objects(None, DCTERMS.hasVersion))
    count, text = dcat_ap_violations(catalogue, dcat_ap_shapes)
    assert count == 0, text


def test_catalogue_describes_every_dataset_and_dump(client: FlaskClient, release: Release) -> None:
    catalogue = Graph().parse(data=client.get("/catalog.ttl").data, format="turtle")
    datasets = set(catalogue.subjects(RDF.type, DCAT.Dataset))
    assert {URIRef(row["dataset"]) for row in release.manifest["datasets"]} < datasets
    for dump in release.manifest["dumps"]:
        # The whole release is offered gzip-compressed (never stored whole, so no checksum); each disclosure's
        # dump as it is, with its checksum.
        whole = dump["dataset"] == "all"
        described = dump["gzip"] if whole else dump
        # Downloads are fetched from where the catalogue was (the test client's http://localhost/); the
        # distribution itself keeps its IRI under the base IRI.
        url = URIRef("http://localhost/" + described["path"])
        distribution = catalogue.value(None, DCAT.downloadURL, url)
        assert distribution is not None, url
        assert str(distribution).startswith(release.manifest["base_iri"] + "id/distribution/")
        assert catalogue.value(distribution, DCAT.byteSize) == Literal(described["bytes"],
                                                                      datatype=XSD.nonNegativeInteger)
        checksum = catalogue.value(distribution, SPDX.checksum)
        served = client.get("/" + described["path"])
        assert len(served.data) == described["bytes"] == int(served.headers["Content-Length"])
        if whole:
            assert checksum is None and described["sha256"] is None
            assert catalogue.value(distribution, DCAT.compressFormat) == URIRef(
                "http://www.iana.org/assignments/media-types/application/gzip")
        else:
            assert str(catalogue.value(checksum, SPDX.checksumValue)) == dump["sha256"]
            assert hashlib.sha256(served.data).hexdigest() == dump["sha256"]
    service = URIRef(release.manifest["base_iri"] + "sparql")
    assert (service, RDF.type, DCAT.DataService) in catalogue


@pytest.mark.parametrize("accept,fmt", [("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_catalogue_formats(client: FlaskClient, accept: str, fmt: str) -> None:
    response = client.get("/catalog", headers={"Accept": accept})
    assert response.mimetype == accept and response.headers["Content-Location"].startswith("/catalog.")
    assert any(Graph().parse(data=response.data, format=fmt).subjects(RDF.type, DCAT.Catalog))
    html = client.get("/catalog", headers={"Accept": "text/html"})
    assert html.mimetype == "text/html" and b"dumps/all.trig" in html.data


def test_void_sitemap_robots(client: FlaskClient, release: Release) -> None:
    void = Graph().parse(data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data,
                         format="turtle")
    whole = URIRef(release.manifest["base_iri"] + "id/dataset/all")
    assert int(void.value(whole, VOID.triples)) > 0 and void.value(whole, VOID.sparqlEndpoint) is not None
    assert set(void.objects(whole, VOID.subset)) == {URIRef(r["dataset"]) for r in release.manifest["datasets"]}
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and b"<urlset" in sitemap.data and b"http://localhost/id/" in sitemap.data
    robots = client.get("/robots.txt").data.decode()
    assert "Sitemap: http://localhost/sitemap.xml" in robots


def test_whole_dumps_parse_and_hold_every_graph_but_the_catalogue(client: FlaskClient, release: Release) -> None:
    """The whole-release dumps (N-Quads and TriG, the syntaxes that keep graph names) hold every graph but the
    catalogue, each quad once; the plain file is the .gz file decompressed, with the length the manifest states."""
    whole = {dump["format"]: dump for dump in release.manifest["dumps"] if dump["dataset"] == "all"}
    assert sorted(whole) == ["nq", "trig"]
    expected = sum(size for name, size in release.manifest["graphs"].items()
                   if name != release.manifest["catalog_graph"])
    for fmt, dump in whole.items():
        name = Path(dump["path"]).name
        response = client.get(f"/dumps/{name}")
        assert response.status_code == 200 and response.mimetype == dump["media_type"]
        assert len(response.data) == dump["bytes"] == int(response.headers["Content-Length"])
        assert response.headers["ETag"].strip('"') == f"{release.version}-{name}"
        zipped = client.get(f"/dumps/{name}.gz")
        assert len(zipped.data) == dump["gzip"]["bytes"] and gzip.decompress(zipped.data) == response.data
        syntax = ox.RdfFormat.N_QUADS if fmt == "nq" else ox.RdfFormat.TRIG
        quads = ox.Dataset(ox.parse(response.data, format=syntax))
        assert len(quads) == expected > 0
        assert not any(q.graph_name.value == release.manifest["catalog_graph"] for q in quads)


def test_whole_dumps_are_the_disclosures_dumps_one_after_the_other(client: FlaskClient, release: Release) -> None:
    """all.nq.gz is each disclosure's N-Quads gzip file (by key) followed by the vocabulary's and the shapes',
    served one after the other (gzip members) and stored nowhere whole; the whole graph the store holds is that
    and the catalogue graph."""
    dumps = release.path / "dumps"
    assert not any((dumps / f"all.{ext}").exists() for ext in ("nq", "nq.gz", "trig", "trig.gz"))
    assert not (release.path / "kg.nq").exists()
    keys = sorted(row["key"] for row in release.manifest["datasets"])
    disclosures = b"".join((dumps / f"{key}.nq.gz").read_bytes() for key in keys)
    zipped = client.get("/dumps/all.nq.gz").data
    assert zipped.startswith(disclosures) and len(zipped) > len(disclosures)
    graphs = b"".join((release.path / "graphs" / f"{name}.nq.gz").read_bytes() for name in ("vocabulary", "shapes"))
    assert zipped == disclosures + graphs
    whole = gzip.decompress(zipped)
    kg = whole_nquads(release.path)
    assert kg.startswith(whole) and release.manifest["catalog_graph"].encode() in kg[len(whole):]


def test_dump_conditional_get_head_and_gzip(client: FlaskClient, release: Release) -> None:
    dump = next(d for d in release.manifest["dumps"] if d["dataset"] == "all" and d["format"] == "trig")
    first = client.get("/dumps/all.trig")
    assert first.headers["Last-Modified"] and first.headers["ETag"]
    assert client.get("/dumps/all.trig", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get("/dumps/all.trig", headers={
        "If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304
    head = client.head("/dumps/all.trig")
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == dump["bytes"] and head.data == b""
    zipped = client.get("/dumps/all.trig", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == first.data and len(zipped.data) == dump["gzip"]["bytes"]
    assert zipped.headers["ETag"] != first.headers["ETag"]  # another representation
    assert client.get("/dumps/all.trig", headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers[
        "ETag"]}).status_code == 304
    refused = client.get("/dumps/all.trig", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers and refused.data == first.data
    key = release.manifest["datasets"][0]["key"]
    plain = client.get(f"/dumps/{key}.ttl", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in plain.headers and plain.data.startswith(b"@prefix")
    file = client.get("/dumps/all.trig.gz")
    assert file.mimetype == "application/gzip" and gzip.decompress(file.data) == first.data
    assert client.get("/dumps/none.ttl").status_code == 404
    assert client.get("/dumps/all.ttl").status_code == 404  # the whole release as triples only would merge graphs


def test_pages_are_compressed_and_cors_enabled(client: FlaskClient) -> None:
    response = client.get("/catalog", headers={"Accept": "text/turtle", "Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"
    assert gzip.decompress(response.data).startswith(b"@prefix")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"].startswith("public")


def test_release_is_deterministic(tmp_path: Path) -> None:
    from kg_publisher.publish.release import write_release

    from .conftest import fixture_disclosure, fixture_vocabulary, make_settings

    settings = make_settings()
    manifests = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        manifests.append(write_release(tmp_path / name, [fixture_disclosure(settings)], fixture_vocabulary(),
                                       settings))
    assert manifests[0]["version"] == manifests[1]["version"]
    assert whole_nquads(tmp_path / "one") == whole_nquads(tmp_path / "two")
    lines = whole_nquads(tmp_path / "one").splitlines()
    by_graph: dict[bytes, list[bytes]] = {}
    for line in lines:  # each graph's lines together, sorted
        by_graph.setdefault(line.rsplit(b" ", 2)[-2], []).append(line)
    assert sum(len(group) for group in by_graph.values()) == len(lines) and len(by_graph) >= 4
    assert all(group == sorted(group) for group in by_graph.values())
    assert lines == [line for group in by_graph.values() for line in group]
    text = (tmp_path / "one" / "sources").glob("*.txt")
    assert any("收入预算819.82万元" in path.read_text(encoding="utf-8") for path in text)


def test_each_department_and_kind_is_a_dataset_series(client: FlaskClient, release: Release) -> None:
    """普陀区财政局 publishes a 2025 budget and a 2024 final account: two series of one dataset each; the
    catalogue lists every series, every dataset is in exactly one, and prev/next follow the years."""
    catalogue = Graph().parse(data=client.get("/catalog.ttl").data, format="turtle")
    series = set(catalogue.subjects(RDF.type, DCAT3.DatasetSeries))
    expected = {(row["dataset"].split("/id/dataset/")[1].rsplit("-", 2)[0], row["dataset"].rsplit("-", 1)[1])
                for row in release.manifest["datasets"]}
    assert len(series) == len(expected)
    catalog = next(catalogue.subjects(RDF.type, DCAT.Catalog))
    assert series <= set(catalogue.objects(catalog, DCAT.dataset))
    for row in release.manifest["datasets"]:
        dataset = URIRef(row["dataset"])
        [in_series] = list(catalogue.objects(dataset, DCAT3.inSeries))
        assert in_series in series
    for one in series:
        members = sorted(catalogue.subjects(DCAT3.inSeries, one))
        assert catalogue.value(one, DCAT3.first) in members and catalogue.value(one, DCAT3.last) in members
        for dataset in members:
            for earlier in catalogue.objects(dataset, DCAT3.prev):
                assert (earlier, DCAT3.next, dataset) in catalogue
                assert catalogue.value(earlier, DCAT3.inSeries) == one


def test_a_department_s_years_are_chained_in_its_series(tmp_path: Path) -> None:
    """Three yearly budgets of one department, given out of order: prev/next and first/last follow the years."""
    from kg_publisher.publish.catalog import DatasetEntry, GraphStats, catalog_graph
    from kg_publisher.settings import load_settings

    settings = load_settings(overrides={"build_dir": str(tmp_path)})
    base = settings.base_iri
    entries = [DatasetEntry(
        key=f"wanli-{year}-budget", dataset=URIRef(f"{base}id/dataset/wanli-{year}-budget"), title=f"{year}",
        department="万里街道办事处", organization=URIRef(f"{base}id/org/wanli"), year=year, kind="budget",
        region=None, source=URIRef(f"{base}id/source/{year}"), source_name=f"{year}.txt",
        source_sha256="0" * 64, source_media_type="text/plain", observations=1,
        stats=GraphStats(triples=1, entities=1, distinct_subjects=1, distinct_objects=1, properties=1),
        dumps=()) for year in (2025, 2023, 2024)]
    graph = catalog_graph(settings, entries, entries[0].stats, ())
    [series] = list(graph.subjects(RDF.type, DCAT3.DatasetSeries))
    ds = {year: URIRef(f"{base}id/dataset/wanli-{year}-budget") for year in (2023, 2024, 2025)}
    assert graph.value(series, DCAT3.first) == ds[2023] and graph.value(series, DCAT3.last) == ds[2025]
    assert graph.value(ds[2024], DCAT3.prev) == ds[2023] and graph.value(ds[2024], DCAT3.next) == ds[2025]
    assert graph.value(ds[2023], DCAT3.prev) is None and graph.value(ds[2025], DCAT3.next) is None


def test_each_dataset_s_sparql_distribution_names_the_service_and_what_it_answers(client: FlaskClient,
                                                                                  release: Release) -> None:
    """DCAT-AP: a distribution reached through an API names the service (dcat:accessService) with its endpoint and
    the protocol it conforms to; its media type is what the endpoint answers (SPARQL JSON results by default)."""
    catalogue = Graph().parse(data=client.get("/catalog.ttl").data, format="turtle")
    base = release.manifest["base_iri"]
    service = URIRef(base + "sparql")
    assert catalogue.value(service, DCAT.endpointURL) == URIRef("http://localhost/sparql")  # where it is served
    assert (service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")) in catalogue
    results = URIRef("http://www.iana.org/assignments/media-types/application/sparql-results+json")
    for row in [*release.manifest["datasets"], {"key": "all", "dataset": base + "id/dataset/all"}]:
        distribution = URIRef(f"{base}id/distribution/{row['key']}-sparql")
        assert (URIRef(row["dataset"]), DCAT.distribution, distribution) in catalogue
        assert catalogue.value(distribution, DCAT.accessService) == service
        assert catalogue.value(distribution, DCAT.accessURL) == URIRef("http://localhost/sparql")
        assert catalogue.value(distribution, DCAT.mediaType) == results
        assert catalogue.value(distribution, DCTERMS["format"]) == URIRef(
            "http://publications.europa.eu/resource/authority/file-type/SPARQLQRES")
    answer = client.get("/sparql", query_string={"query": "ASK {}"})
    assert answer.mimetype == "application/sparql-results+json"  # what the media type says, unasked


def test_catalogue_lines_are_merged_as_sorting_their_union_would(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalogue is merged from the parts' sorted files without holding it: the same lines as sorting their
    union, each once, however many files (merged a few at a time into runs); two releases' catalogues are
    compared the same way."""
    import random

    from kg_publisher.publish import release as release_module

    monkeypatch.setattr(release_module, "MERGE_FILES", 3)
    chooser = random.Random(9)
    pool = [f"<https://example.org/s{n}> <https://example.org/p> \"{n}\" .".encode() for n in range(200)]
    groups = [sorted(set(chooser.sample(pool, 40))) for _ in range(11)]
    paths = []
    for number, group in enumerate(groups):
        paths.append(tmp_path / f"{number}.nt")
        paths[-1].write_bytes(b"".join(line + b"\n" for line in group))
    extra = sorted(set(chooser.sample(pool, 30)))
    (tmp_path / "runs").mkdir()
    merged = list(release_module.merged_lines(paths, extra, tmp_path / "runs"))
    assert merged == sorted({line for group in [*groups, extra] for line in group})
    removed, added = release_module._differences(iter(groups[0]), iter(groups[1]))
    assert (removed, added) == (set(groups[0]) - set(groups[1]), set(groups[1]) - set(groups[0]))
