"""A CKAN portal harvests /catalog: ckanext-dcat's own RDF parser (DCAT-AP 3 profile, from its PyPI package in a
venv of its own, `make test` sets it up) reads every dataset of the release with all its distributions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF

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


def test_ckanext_dcat_reads_every_dataset_and_distribution(harvested: tuple[list[dict[str, Any]], Graph],
                                                           release: Release) -> None:
    datasets, catalogue = harvested
    series = set(catalogue.subjects(RDF.type, DCAT3.DatasetSeries))
    assert series
    # The disclosures, the whole release, and the series (DCAT 3 series are datasets; this parser version keeps
    # no series type, so a portal lists them as datasets without distributions).
    assert len(datasets) == len(release.manifest["datasets"]) + 1 + len(series)
    assert sum(1 for d in datasets if not d["resources"]) == len(series)
    downloads = [{r["url"] for r in d["resources"]} for d in datasets]
    for row in release.manifest["datasets"]:
        # A CKAN resource's url is the distribution's download URL, else its access URL.
        expected = {str(catalogue.value(dist, DCAT.downloadURL) or catalogue.value(dist, DCAT.accessURL))
                    for dist in catalogue.objects(URIRef(row["dataset"]), DCAT.distribution)}
        assert len(expected) >= 5 and downloads.count(expected) == 1, row["dataset"]
        [dataset] = [d for d, urls in zip(datasets, downloads, strict=True) if urls == expected]
        assert dataset["title"] and dataset["notes"]
        for resource in dataset["resources"]:
            # Files (dumps, spreadsheets) come with media type, size and checksum; the SPARQL access point
            # with its URL only.
            if "/dumps/" in resource["url"]:
                assert resource["mimetype"] and resource["size"] and resource["hash"], resource
            else:
                assert resource["url"].endswith("/sparql"), resource
