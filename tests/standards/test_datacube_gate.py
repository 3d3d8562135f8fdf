"""The gate: what the build publishes for the seed (every named graph of the release, vocabulary included) is a
well-formed Data Cube in normalised form."""

from __future__ import annotations

import pytest
from rdflib import Dataset
from rdflib.namespace import RDF

from kg_publisher.standards.datacube import ICResult, check_cube, normalisation_adds
from kg_publisher.vocab import QB


@pytest.fixture(scope="module")
def results(published: Dataset) -> dict[str, ICResult]:
    return {result.ic: result for result in check_cube(published)}


def test_published_graph_holds_a_cube(published: Dataset) -> None:
    # guards against a vacuous pass: the checks below must have observations and a DSD to look at
    assert len(set(published.subjects(RDF.type, QB.Observation))) > 0
    assert len(set(published.subjects(RDF.type, QB.DataStructureDefinition))) > 0


def test_published_graph_is_already_normalised(published: Dataset) -> None:
    assert normalisation_adds(published) == 0


@pytest.mark.parametrize("ic", [f"IC-{n}" for n in range(1, 22)])
def test_published_graph_passes(results: dict[str, ICResult], ic: str) -> None:
    assert results[ic].passed, results[ic].message
