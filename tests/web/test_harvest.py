"""A CKAN portal harvests /catalog: ckanext-dcat's own RDF parser (DCAT-AP 3 profile, from its PyPI package in a
venv of its own, `make test` sets it up) reads every dataset of the release with all its distributions, the
series, and the kept releases as versions of the whole dataset."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from kg_publisher.publish.release import Release
from kg_publisher.vocab import DCAT3

ROOT = Path(__file__).resolve().parents[2]
HARVEST_PYTHON = ROOT / ".venv-harvest" / "bin" / "python"


@pytest.fixture(scope="module")
def harvested(client: FlaskClient) -> tuple[list[dict[str, Any]], Graph]:
    if not HARVEST_PYTHON.exists():
        pytest.skip("ckanext-dcat is not installed: `make test` sets up .venv-harvest")
    turtle = client.get("/catalog", headers={"Accept": "text/turtle"}).data
    completed = subprocess.run([str(HARVEST_PYTHON), str(ROOT / "scripts" / "harvest_with_ckanext_dcat.py")],
                               input=turtle, capture_output=True, timeout=300)
    assert completed.returncode == 0, completed.stderr.decode()[-2000:]
    return json.loads(completed.stdout), Graph().parse(data=turtle, format="turtle")


def _uri(dataset: dict[str, Any]) -> str:
    return next(extra["value"] for extra in dataset["extras"] if extra["key"] == "uri")


def test_ckanext_dcat_reads_every_dataset_resource_series_and_version(harvested: tuple[list[dict[str, Any]], Graph],
                                                                      release: Release) -> None:
    datasets, catalogue = harvested
    by_uri = {_uri(d): d for d in datasets}
    assert len(by_uri) == len(datasets)
    rows = release.manifest["datasets"]
    # one series per department and kind of disclosure
    series = set(catalogue.subjects(RDF.type, DCAT3.DatasetSeries))
    assert len(series) == len({(row["organization"], row["kind"]) for row in rows})
    # the current release and the ones kept before it, each a version of the whole dataset
    whole = f"{release.manifest['base_iri']}id/dataset/all"
    versions = {str(v) for v in catalogue.objects(URIRef(whole), DCTERMS.hasVersion)}
    assert len(versions) == 1 + len(release.manifest["release"]["kept"])
    assert release.manifest["release"]["iri"] in versions
    # The disclosures, the whole release, the series (DCAT 3 series are datasets; this parser version keeps no
    # series type, so a portal lists them as datasets without resources) and the versions.
    assert set(by_uri) == {row["dataset"] for row in rows} | {whole} | {str(s) for s in series} | versions
    assert all(not by_uri[str(s)]["resources"] for s in series)
    # every distribution of the catalogue is a resource of its dataset
    assert sum(len(d["resources"]) for d in datasets) == len(set(catalogue.subject_objects(DCAT.distribution)))
    for uri, dataset in by_uri.items():
        # A CKAN resource's url is the distribution's download URL, else its access URL.
        expected = {str(catalogue.value(dist, DCAT.downloadURL) or catalogue.value(dist, DCAT.accessURL))
                    for dist in catalogue.objects(URIRef(uri), DCAT.distribution)}
        assert {r["url"] for r in dataset["resources"]} == expected, uri
        assert dataset["title"] and dataset["notes"], uri
        for resource in dataset["resources"]:
            # Files (dumps, spreadsheets, diffs) come with media type, size and checksum; the SPARQL access point
            # with the media type of its results.
            assert resource["mimetype"], resource
            if not resource["url"].endswith("/sparql"):
                # the whole release's .gz dumps are stored nowhere whole: their size is stated, no "hash"
                assert resource["size"] and (resource.get("hash") or resource["url"].endswith(".gz")), resource
    for row in rows:
        assert len(by_uri[row["dataset"]]["resources"]) >= 5, row["dataset"]
    for uri in versions:
        version = uri.rsplit("/", 1)[1]
        harvested_version = by_uri[uri]
        assert harvested_version["version"] == version
        assert json.loads(next(e["value"] for e in harvested_version["extras"] if e["key"] == "is_version_of")) == [
            whole]
        assert any(r["url"].endswith(f"/releases/{version}/dumps/all.nq.gz") for r in harvested_version["resources"])
