"""Fixtures of the publishing tests: one release written once per session, an app over it, a client.

The release is a real build of data/disclosures/; the hand-made graph in fixtures/ (shaped like the modelling
guide's worked example) serves the unit tests of ``write_release``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef

from kg_publisher.build import build
from kg_publisher.extract.readers import read_source
from kg_publisher.publish.model import PublishedDisclosure
from kg_publisher.publish.release import Release
from kg_publisher.publish.store import OxigraphStore
from kg_publisher.settings import Settings, load_settings
from kg_publisher.web import create_app

from ..conftest import ROOT, SEED, SHARED, require_shared, shared_fixture

FIXTURES = Path(__file__).parent / "fixtures"
PROTOCOL_PARTS = ("standards", "sparql", "sparql11", "protocol")
PROTOCOL_DIR = SHARED.joinpath(*PROTOCOL_PARTS)
KASEI = "http://kasei.us/2009/09/sparql/data/"


DCAT_AP = SHARED / "standards" / "dcat-ap"


@pytest.fixture(scope="module")
@shared_fixture("standards", "dcat-ap")
def dcat_ap_shapes() -> Graph:
    require_shared("standards", "dcat-ap")
    shapes = Graph()
    shapes.parse(DCAT_AP / "3.0.1" / "html-shacl" / "shapes.ttl")
    shapes.parse(DCAT_AP / "3.0.1" / "html-shacl" / "range.ttl")
    return shapes


def dcat_ap_violations(data: Graph, shapes: Graph) -> tuple[int, str]:
    """The number of sh:Violation results of ``data`` against ``shapes`` (RDFS inference), and the report text."""
    _conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="rdfs", allow_warnings=True)
    count = len(list(report.subjects(URIRef("http://www.w3.org/ns/shacl#resultSeverity"),
                                     URIRef("http://www.w3.org/ns/shacl#Violation"))))
    return count, text


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"query_workers": 2, "query_timeout": 10.0}
    values.update(overrides)
    return load_settings(environ={}, overrides=values)


def fixture_disclosure(settings: Settings) -> PublishedDisclosure:
    key = "panjin-xinglongtai-zwfwzx-2022-budget"
    base = settings.base_iri
    return PublishedDisclosure(
        key=key, dataset=URIRef(f"{base}id/dataset/{key}"), graph_name=URIRef(f"{base}graph/{key}"),
        graph=Graph().parse(FIXTURES / "xinglongtai-2022-budget.ttl"),
        quality_graph_name=URIRef(f"{base}graph/{key}/quality"),
        quality_graph=Graph().parse(FIXTURES / "quality.ttl"), source=read_source(SEED),
        title="盘锦市兴隆台区政务服务中心2022年度部门预算", department="盘锦市兴隆台区政务服务中心",
        organization=URIRef(f"{base}id/org/panjin-xinglongtai-zwfwzx"), year=2022, kind="budget",
        region="兴隆台区", violations=0, warnings=0,
    )


def fixture_vocabulary() -> Graph:
    vocabulary = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        vocabulary.parse(path)
    return vocabulary


def _real_build(out: Path, settings: Settings) -> Path:
    result = build([ROOT / "data" / "disclosures"], out, settings)
    assert result.release_dir is not None, [doc.message for doc in result.documents]
    return result.release_dir


@pytest.fixture(scope="session")
def release_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings = make_settings()
    # A build folder kept between sessions: the build's own per-document cache (keyed by source bytes and
    # a fingerprint of the code) makes later sessions fast, and a changed pipeline still rebuilds.
    return _real_build(request.config.cache.mkdir("kg-web-build"), settings)


@pytest.fixture(scope="session")
def release(release_dir: Path) -> Release:
    return Release.open(release_dir)


@pytest.fixture(scope="session")
def app(release_dir: Path) -> Iterator[Flask]:
    settings = make_settings(build_dir=str(release_dir), max_rows=50)
    application = create_app(settings)
    yield application
    application.extensions["kg_publisher"].store.close()


@pytest.fixture(scope="session")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
@shared_fixture(*PROTOCOL_PARTS)
def kasei_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app over the W3C protocol tests' graphs (data1–3 under their kasei.us names, data0 empty)."""
    require_shared(*PROTOCOL_PARTS)
    path = tmp_path_factory.mktemp("kasei") / "store"
    store = ox.Store(str(path))
    for number in (1, 2, 3):
        store.load(path=str(PROTOCOL_DIR / f"data{number}.nt"), format=ox.RdfFormat.N_TRIPLES,
                   to_graph=ox.NamedNode(f"{KASEI}data{number}.rdf"))
    store.add_graph(ox.NamedNode(f"{KASEI}data0.rdf"))
    store.flush()
    del store
    settings = make_settings()
    kasei_store = OxigraphStore(path, settings, query_workers=1)
    application = create_app(settings, kasei_store)
    yield application
    kasei_store.close()


@pytest.fixture
def listener() -> Iterator[tuple[int, list[object]]]:
    """A TCP port on 127.0.0.1 that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    hits: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
                hits.append(connection)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    stop.set()
    thread.join(2)
    server.close()


def wait_until_whole(pool: object, seconds: float = 30) -> None:
    """Wait until a query pool has all its processes again (replacements start in the background)."""
    deadline = time.monotonic() + seconds
    while len(pool._all) < pool.size and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.05)


def wait_until_ready(app: Flask, seconds: float = 60) -> None:
    """Wait until the app's query processes answer (they start in the background, slowly on a loaded machine)."""
    client = app.test_client()
    deadline = time.monotonic() + seconds
    while client.get("/sparql", query_string={"query": "ASK {}"}).status_code != 200:
        assert time.monotonic() < deadline, "the query processes did not start"
        time.sleep(0.2)
