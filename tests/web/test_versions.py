"""Versioned releases: three builds of the seed (edited between builds) and an unchanged second disclosure into one
build folder with ``keep_releases`` 1. The newest release and the one before it are kept, with version IRIs,
``dcat:version`` and ``dct:issued`` in the catalogue; files unchanged between them are hard links; /releases lists
them and serves their dumps. The diff between two releases lists exactly the figures the edits changed, as data
(each release's diff.ttl), from ``kg-publisher diff`` and as a page."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask import Flask
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from kg_publisher.build import build
from kg_publisher.cli import main
from kg_publisher.publish.diff import ReleaseDiff, diff_releases
from kg_publisher.publish.release import Release
from kg_publisher.publish.versions import version_statements
from kg_publisher.vocab import ADMS, BGT, DCAT3
from kg_publisher.web import create_app

from ..conftest import ROOT, SEED, whole_nquads
from .conftest import dcat_ap_violations, make_settings

BASE = "https://w3id.org/cn-budget-kg/"
OTHER = ROOT / "data" / "disclosures" / "01_chongqing-jiaowei-2018-budget.txt"
SEED_KEY = "panjin-xinglongtai-zwfwzx-2022-budget"
OBS = f"{BASE}id/dataset/{SEED_KEY}/obs/"
#: The seed as edited for each build: the second leaves out 福利费 (0.73万元), the third puts it back, leaves out
#: 印刷费 (0万元) and prints 工会经费 as 9.46万元 instead of 8.46万元.
EDITS: tuple[tuple[tuple[str, str], ...], ...] = (
    (),
    (("、福利费0.73万元", ""),),
    (("、印刷费0万元", ""), ("工会经费8.46万元", "工会经费9.46万元")),
)


@dataclass(frozen=True)
class History:
    out: Path
    #: The releases in the order they were built.
    releases: tuple[Release, ...]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    out = tmp_path_factory.mktemp("history")
    sources = tmp_path_factory.mktemp("sources")
    settings = make_settings(keep_releases=1)
    built = []
    for number, edits in enumerate(EDITS):
        text = SEED.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        seed = sources / f"v{number}" / SEED.name
        seed.parent.mkdir()
        seed.write_text(text, encoding="utf-8")
        result = build([seed, OTHER], out, settings, jobs=1)
        assert result.release_dir is not None and result.exit_code == 0, [d.message for d in result.documents]
        built.append(Release.open(result.release_dir))
    return History(out, tuple(built))


@pytest.fixture(scope="module")
def history_app(history: History) -> Iterator[Flask]:
    application = create_app(make_settings(build_dir=str(history.out)))
    yield application
    application.extensions["kg_publisher"].store.close()


def test_the_newest_release_and_the_one_before_are_kept(history: History) -> None:
    first, second, third = history.releases
    assert len({first.version, second.version, third.version}) == 3
    kept = sorted(p.name for p in (history.out / "releases").iterdir() if not p.name.startswith("."))
    assert kept == sorted([second.version, third.version])
    assert (history.out / "current").resolve() == third.path
    assert third.manifest["release"]["previous"] == second.version
    assert second.manifest["release"]["previous"] == first.version
    assert first.manifest["release"]["previous"] is None
    assert third.manifest["release"]["iri"] == f"{BASE}id/release/{third.version}"


def test_files_unchanged_between_releases_are_hard_links(history: History) -> None:
    _, second, third = history.releases
    key = "chongqing-jiaowei-2018-budget"
    for name in (f"dumps/{key}.nq.gz", f"dumps/{key}.ttl.gz", f"dumps/{key}.csv", f"records/{key}.json"):
        assert (second.path / name).stat().st_ino == (third.path / name).stat().st_ino, name
    # the edited disclosure's files are the release's own
    edited = f"dumps/{SEED_KEY}.nq.gz"
    assert (second.path / edited).stat().st_ino != (third.path / edited).stat().st_ino
    # each disclosure's RDF dumps are stored gzip-compressed only (served decompressed to clients that ask so)
    assert not (third.path / f"dumps/{key}.ttl").exists()


def test_the_catalogue_lists_each_kept_release_as_a_version(history: History) -> None:
    _, second, third = history.releases
    catalogue = Graph().parse(third.path / "catalog.nt", format="nt")
    whole = URIRef(f"{BASE}id/dataset/all")
    versions = {URIRef(f"{BASE}id/release/{r.version}"): r for r in (second, third)}
    assert set(catalogue.objects(whole, DCTERMS.hasVersion)) == set(versions)
    assert catalogue.value(whole, DCAT3.hasCurrentVersion) == URIRef(f"{BASE}id/release/{third.version}")
    for node, release in versions.items():
        assert catalogue.value(node, DCAT3.version) == Literal(release.version)
        assert catalogue.value(node, DCTERMS.issued) == Literal(release.manifest["build_time"][:10], datatype=XSD.date)
        assert catalogue.value(node, DCTERMS.isVersionOf) == whole
        downloads = {str(catalogue.value(d, DCAT.downloadURL)) for d in catalogue.objects(node, DCAT.distribution)}
        assert f"{BASE}releases/{release.version}/dumps/all.nq.gz" in downloads
    assert catalogue.value(URIRef(f"{BASE}id/release/{third.version}"), DCAT3.previousVersion) == URIRef(
        f"{BASE}id/release/{second.version}")
    # and in the pages /catalog serves (written with the release)
    pages = Graph().parse(data=gzip.decompress((third.path / "catalog-pages" / "100" / "1.nt.gz").read_bytes()),
                          format="nt")
    assert set(pages) == set(catalogue)
    # the whole graph (and so the version) holds no release history: the same data gives the same release
    # wherever it is built
    assert b"/id/release/" not in whole_nquads(third.path)


def test_the_releases_page_and_a_kept_release_s_downloads(history: History, history_app: Flask) -> None:
    first, second, third = history.releases
    client = history_app.test_client()
    page = client.get("/releases")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert third.version in html and second.version in html and first.version in html  # v1 as v2's previous
    assert f"/releases/{second.version}/dumps/all.nq" in html and f"/releases/{first.version}/dumps" not in html
    row = second.dump("all.nq")
    assert row is not None
    answer = client.get(f"/releases/{second.version}/dumps/all.nq")
    assert answer.status_code == 200 and len(answer.data) == row["bytes"]
    assert answer.headers["ETag"] == f'"{second.version}-all.nq"'
    zipped = client.get(f"/releases/{second.version}/dumps/all.nq.gz")
    assert gzip.decompress(zipped.data) == answer.data and len(zipped.data) == row["gzip"]["bytes"]
    again = client.get(f"/releases/{second.version}/dumps/all.nq", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    gone = client.get(f"/releases/{first.version}/dumps/all.nq")
    assert gone.status_code == 404 and "/releases" in json.loads(gone.data)["error"]["hint"]
    assert client.get("/releases/not-a-version/dumps/all.nq").status_code == 404
    assert client.get(f"/releases/{second.version}/dumps/../manifest.json").status_code == 404
    described = client.get(f"/id/release/{second.version}", headers={"Accept": "text/turtle"})
    assert described.status_code == 200
    graph = Graph().parse(data=described.data, format="turtle")
    assert graph.value(URIRef(f"{BASE}id/release/{second.version}"), DCAT3.version) == Literal(second.version)
    assert client.get(f"/id/release/{second.version}", headers={"Accept": "text/html"}).status_code == 200


# ---- the diff between two releases ---------------------------------------------------------------------------

#: What the third build changed from the second, figure by figure (amounts in yuan).
EXPECTED_FIGURES = {
    ("added", OBS + "running-cost-30229", None, Decimal("7300")),       # 福利费 0.73万元 printed again
    ("removed", OBS + "running-cost-30202", Decimal("0"), None),        # 印刷费 0万元 left out
    ("changed", OBS + "running-cost-30228", Decimal("84600"), Decimal("94600")),  # 工会经费 8.46 → 9.46万元
}


def _figure_changes(diff: ReleaseDiff) -> set[tuple[str, str, Decimal | None, Decimal | None]]:
    return {(c.kind, c.figure, c.before, c.after) for c in diff.figures}


def test_the_diff_lists_exactly_the_changed_figures(history: History) -> None:
    _, second, third = history.releases
    diff = diff_releases(second, third)
    assert _figure_changes(diff) == EXPECTED_FIGURES
    assert diff.counts["figures"] == {"added": 1, "removed": 1, "changed": 1}
    # the sums that held 工会经费 now disagree by 1万元 otherwise: findings changed, each listed once
    assert diff.findings and sum(diff.counts["findings"].values()) == len(diff.findings)
    assert _figure_changes(diff_releases(third, second)) == {
        ({"added": "removed", "removed": "added"}.get(kind, kind), iri, after, before)
        for kind, iri, before, after in EXPECTED_FIGURES}
    assert diff_releases(third, third).figures == () and diff_releases(third, third).findings == ()


def test_each_release_publishes_its_diff_from_the_one_before(history: History) -> None:
    first, second, third = history.releases
    row = third.manifest["release"]["diff"]
    assert row["figures"] == {"added": 1, "removed": 1, "changed": 1}
    graph = Graph().parse(third.path / row["path"], format="turtle")
    node = URIRef(f"{BASE}id/release/{third.version}/diff/{second.version}")
    assert graph.value(node, BGT.fromRelease) == URIRef(f"{BASE}id/release/{second.version}")
    assert graph.value(node, BGT.figuresChanged) == Literal(1, datatype=XSD.integer)
    published = set()
    for change in graph.objects(node, BGT.change):
        if (change, RDF.type, BGT.FigureChange) in graph:
            kind = str(graph.value(change, BGT.changeKind)).rsplit("#", 1)[1]
            before, after = graph.value(change, BGT.amountBefore), graph.value(change, BGT.amountAfter)
            published.add((kind, str(graph.value(change, BGT.figure)), None if before is None else Decimal(str(before)),
                           None if after is None else Decimal(str(after))))
    assert published == EXPECTED_FIGURES
    # the second release's diff from the first (pruned since): only 福利费 left out
    earlier = Graph().parse(second.path / "diff.ttl", format="turtle")
    assert {str(o) for c, _, o in earlier.triples((None, BGT.figure, None))} == {OBS + "running-cost-30229"}
    assert first.manifest["release"].get("diff") is None
    catalogue = Graph().parse(third.path / "catalog.nt", format="nt")
    notes = str(catalogue.value(URIRef(f"{BASE}id/release/{third.version}"), ADMS.versionNotes))
    assert f"Compared with release {second.version}: figures 1 added, 1 removed, 1 changed" in notes
    downloads = {str(catalogue.value(d, DCAT.downloadURL))
                 for d in catalogue.objects(URIRef(f"{BASE}id/release/{third.version}"), DCAT.distribution)}
    assert f"{BASE}releases/{third.version}/diff.ttl" in downloads


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_the_diff_command(history: History) -> None:
    _, second, third = history.releases
    code, stdout, _ = _cli("diff", str(second.path), str(history.out), "--format", "json")
    assert code == 0
    body = json.loads(stdout)
    assert body["from"] == second.version and body["to"] == third.version
    assert {(c["kind"], c["figure"], None if c["before"] is None else Decimal(c["before"]),
             None if c["after"] is None else Decimal(c["after"])) for c in body["figure_changes"]} == EXPECTED_FIGURES
    code, stdout, _ = _cli("diff", str(second.path), str(third.path))
    assert code == 0 and "figures    1 added, 1 removed, 1 changed" in stdout
    [line] = [line for line in stdout.splitlines() if "running-cost-30228" in line]
    assert line.startswith("changed") and "工会经费" in line and "→" in line
    code, stdout, _ = _cli("diff", str(second.path), str(third.path), "--format", "ttl")
    assert code == 0 and len(Graph().parse(data=stdout, format="turtle")) > 10
    code, _, stderr = _cli("diff", str(history.out / "releases" / "0000000000000000"), str(third.path))
    assert code == 2 and "holds no release" in stderr


def test_the_diff_page(history: History, history_app: Flask) -> None:
    _, second, third = history.releases
    client = history_app.test_client()
    page = client.get("/releases/diff", headers={"Accept": "text/html"})  # the current release and the one before
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for _, iri, _, _ in EXPECTED_FIGURES:
        assert iri.split("/id/dataset/", 1)[1] in html
    assert "工会经费" in html and "84,600" in html and "94,600" in html
    assert f"/releases/diff?from={second.version}&amp;to={third.version}" in client.get("/releases").get_data(
        as_text=True)
    rdf = client.get(f"/id/release/{third.version}/diff/{second.version}", headers={"Accept": "text/turtle"})
    assert rdf.status_code == 200
    graph = Graph().parse(data=rdf.data, format="turtle")
    assert {str(o) for o in graph.objects(None, BGT.figure)} == {iri for _, iri, _, _ in EXPECTED_FIGURES}
    file = client.get(f"/releases/{third.version}/diff.ttl")
    assert file.status_code == 200 and file.headers["ETag"] == f'"{third.manifest["release"]["diff"]["sha256"]}"'
    missing = client.get(f"/releases/diff?from=0000000000000000&to={third.version}")
    assert missing.status_code == 404


def test_the_catalogue_with_versions_diffs_and_series_passes_dcat_ap_3(history: History, history_app: Flask,
                                                                       dcat_ap_shapes: Graph) -> None:
    """DCAT-AP 3.0.1 shapes and ranges: 0 violations for a catalogue with series, two versions and a diff."""
    response = history_app.test_client().get("/catalog", headers={"Accept": "text/turtle"})
    catalogue = Graph().parse(data=response.data, format="turtle")
    assert len(set(catalogue.subjects(RDF.type, DCAT3.DatasetSeries))) == 2  # two departments, one kind each
    assert len(set(catalogue.objects(URIRef(f"{BASE}id/dataset/all"), DCTERMS.hasVersion))) == 2
    assert any(str(o).endswith("/diff.ttl") for o in catalogue.objects(None, DCAT.downloadURL))
    count, text = dcat_ap_violations(catalogue, dcat_ap_shapes)
    assert count == 0, text


def test_version_statements_are_read_from_the_lines_that_hold_them(history: History) -> None:
    """The pages' version statements come from the runs of the catalogue's sorted lines that hold them (found by
    bisection), not a parse of the whole catalogue (which grows with every disclosure): the same triples as
    picking them from the whole parse."""
    release = history.releases[-1]
    prefix = f"{BASE}id/release/"
    predicates = {str(DCTERMS.hasVersion), str(DCAT3.hasVersion), str(DCAT3.hasCurrentVersion)}
    expected: dict[str, list[object]] = {}
    for triple in release.catalog_triples():
        if isinstance(triple.subject, ox.NamedNode) and (triple.subject.value.startswith(prefix)
                                                         or triple.predicate.value in predicates):
            expected.setdefault(triple.subject.value, []).append(triple)
    found = version_statements(release)
    assert {iri: sorted(map(str, triples)) for iri, triples in found.items()} == \
        {iri: sorted(map(str, triples)) for iri, triples in expected.items()}
    assert len(found) >= 3  # the kept releases, their whole dataset
    assert release.catalog_triples(starting=("no such text",)) == []
    lines = sorted((release.path / "catalog.nt").read_bytes().splitlines())
    for line in (lines[0], lines[len(lines) // 2], lines[-1]):  # first, middle and last runs: each found whole
        subject = line.split(b" ", 1)[0].decode()
        assert sorted(map(str, release.catalog_triples(starting=(subject + " ",)))) == sorted(
            str(triple) for triple in release.catalog_triples() if str(triple).startswith(subject + " "))
