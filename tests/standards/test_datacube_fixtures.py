"""The IC checker against the Data Cube editors' fixtures (positive and negative control per IC, the table
in shared/standards/data-cube/README.md) and the Recommendation's worked example."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from kg_publisher.standards.datacube import PHASE_1, PREFIXES, ICResult, check_cube, check_normalised, normalise
from kg_publisher.standards.graphs import union_copy

BASE = "abbrv-cube.ttl"
MT = "mt-cube.ttl"

#: (IC, files that must pass it, files that must fail it); a "+" file is loaded with its base cube.
CASES: list[tuple[str, list[list[str]], list[list[str]]]] = [
    ("IC-1", [[BASE]], [[BASE, "missing-ds.ttl"], [BASE, "extra-ds.ttl"]]),
    ("IC-2", [[BASE]], [[BASE, "missing-dsd.ttl"], [BASE, "extra-dsd.ttl"]]),
    ("IC-3", [[BASE]], [["missing-measure.ttl"]]),
    ("IC-4", [[BASE]], [["missing-range.ttl"]]),
    ("IC-5", [[BASE]], [["missing-codelist.ttl"]]),
    ("IC-6", [[BASE]], [["bad-component-required.ttl"]]),
    ("IC-7", [[BASE]], [["bad-slicekey.ttl"]]),
    ("IC-8", [[BASE]], [["bad-slicekey2.ttl"]]),
    ("IC-9", [[BASE]], [["missing-slicekey.ttl"], ["duplicate-slicekey.ttl"]]),
    ("IC-10", [[BASE]], [[BASE, "missing-slicedim.ttl"]]),
    ("IC-11", [[BASE]], [[BASE, "missing-obs-dim-value.ttl"]]),
    ("IC-12", [[BASE]], [[BASE, "duplicate-observation.ttl"]]),
    ("IC-13", [[BASE]], [[BASE, "missing-required-attr.ttl"]]),
    ("IC-14", [[BASE], [MT]], [[BASE, "missing-measure-on-obs.ttl"]]),
    ("IC-15", [[MT]], [[MT, "mt-missing-measure.ttl"]]),
    ("IC-16", [[MT]], [[MT, "mt-extra-measure.ttl"]]),
    ("IC-17", [[MT], ["mt-cube-3-measures.ttl"]], [["mt-cube-with-missing-points.ttl"]]),
    ("IC-18", [[BASE]], [[BASE, "observation-bad-dataset.ttl"]]),
    ("IC-19", [[BASE, "codelist-complete.ttl"], [BASE, "collection-complete.ttl"]],
     [[BASE, "codelist-partial.ttl"], [BASE, "collection-partial.ttl"]]),
    ("IC-20", [[BASE, "hierarchy-good.ttl"], [BASE, "hierarchy-good-multiroot.ttl"]], [[BASE, "hierarchy-bad.ttl"]]),
    ("IC-21", [[BASE, "hierarchy-good-inverse.ttl"]], [[BASE, "hierarchy-bad-inverse.ttl"]]),
]


def load(fixtures: Path, names: list[str]) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(fixtures / name, format="turtle")
    return graph


def result_of(results: list[ICResult], ic: str) -> ICResult:
    (found,) = [result for result in results if result.ic == ic]
    return found


@pytest.fixture(scope="module")
def fixtures(standards_dir: Path) -> Path:
    return standards_dir / "data-cube" / "fixtures"


@pytest.fixture(scope="module")
def checked(fixtures: Path) -> Callable[[list[str]], list[ICResult]]:
    """check_cube of a file combination, computed once per module (many cases share abbrv-cube.ttl)."""
    done: dict[tuple[str, ...], list[ICResult]] = {}

    def check(files: list[str]) -> list[ICResult]:
        if tuple(files) not in done:
            done[tuple(files)] = check_cube(load(fixtures, files))
        return done[tuple(files)]
    return check


def params(expect_pass: bool) -> list[object]:
    return [pytest.param(ic, files, id=f"{ic}-{'+'.join(files)}")
            for ic, passing, failing in CASES for files in (passing if expect_pass else failing)]


@pytest.mark.parametrize(("ic", "files"), params(True))
def test_positive_control_passes(checked: Callable[[list[str]], list[ICResult]], ic: str, files: list[str]) -> None:
    result = result_of(checked(files), ic)
    assert result.passed, result.message


@pytest.mark.parametrize(("ic", "files"), params(False))
def test_negative_control_fails_and_names_nodes(checked: Callable[[list[str]], list[ICResult]], ic: str,
                                                files: list[str]) -> None:
    result = result_of(checked(files), ic)
    assert not result.passed, f"{ic} should fail on {files}"
    assert result.offenders, result.message
    assert result.message.startswith(f"{ic} violated")


def test_every_ic_is_reported_once_in_order(checked: Callable[[list[str]], list[ICResult]]) -> None:
    assert [r.ic for r in checked([BASE])] == [f"IC-{n}" for n in range(1, 22)]


def test_abbreviated_cube_is_well_formed_only_after_normalisation(
        fixtures: Path, checked: Callable[[list[str]], list[ICResult]]) -> None:
    cube = load(fixtures, [BASE])
    assert all(result.passed for result in checked([BASE]))
    # Phase 1 alone leaves dim2 on the slices: observations lack it, and y1xN / y2xN look alike.
    phase_1_only = union_copy(cube)
    for update in PHASE_1:
        phase_1_only.update(PREFIXES + update)
    failed = {result.ic for result in check_normalised(phase_1_only) if not result.passed}
    assert {"IC-11", "IC-12"} <= failed


def test_checking_leaves_the_input_unchanged(fixtures: Path) -> None:
    cube = load(fixtures, [BASE])
    before = set(cube)
    check_cube(cube)
    assert set(cube) == before


def test_normalisation_adds_then_reaches_a_fixpoint(fixtures: Path) -> None:
    cube = union_copy(load(fixtures, [BASE]))
    assert normalise(cube) > 0
    assert normalise(cube) == 0


def test_spec_example_fails_only_where_it_leans_on_the_unloaded_sdmx_vocabulary(standards_dir: Path) -> None:
    example = Graph().parse(standards_dir / "data-cube" / "spec-example.ttl", format="turtle")
    results = check_cube(example)
    failed = [result for result in results if not result.passed]
    # sdmx-dimension:sex is declared a dimension there but its rdfs:range lives in the SDMX vocabulary.
    assert [(result.ic, result.offenders) for result in failed] == [("IC-4", ("dim=sdmx-dimension:sex",))]
