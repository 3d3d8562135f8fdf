"""The rows the compiled shapes compute in Python (kg_publisher/compiled_rows.py) are the rows rdflib gives: the
same variables and the same digits, on the documents where those constraints find something."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kg_publisher import compiled_rows
from kg_publisher.build import document_graphs
from kg_publisher.compiled_shapes import SparqlConstraint
from kg_publisher.validate import comparable_results, compiled_shapes, validate_graph

from ..conftest import ROOT

DISCLOSURES = sorted((ROOT / "data" / "disclosures").glob("*.txt"))


def _computed() -> list[SparqlConstraint]:
    return [c for shape in compiled_shapes()._shapes.values() for c in shape.sparql if c.computation is not None]


def test_every_computation_stands_for_a_published_query() -> None:
    """A digest no shape's query has any more is a computation no longer used: check it against the edited query,
    then update its digest."""
    published = {hashlib.sha256(c.select.encode("utf-8")).hexdigest()
                 for shape in compiled_shapes()._shapes.values() for c in shape.sparql}
    assert compiled_rows.digests() <= published, compiled_rows.digests() - published
    assert len(_computed()) == len(compiled_rows.digests())


@contextmanager
def _counted() -> Iterator[dict[str, int]]:
    """Count the rows the computations give (None: rdflib evaluated the constraint)."""
    counts = {"computed": 0, "fell back": 0}
    constraints = _computed()
    originals = [c.computation for c in constraints]

    def counting(original: Any) -> Any:
        def compute(*args: Any) -> Any:
            rows = original(*args)
            counts["computed" if rows is not None else "fell back"] += 1
            return rows
        return compute

    for constraint, original in zip(constraints, originals, strict=True):
        constraint.computation = counting(original)
    try:
        yield counts
    finally:
        for constraint, original in zip(constraints, originals, strict=True):
            constraint.computation = original


@contextmanager
def _without_computations() -> Iterator[None]:
    constraints = _computed()
    originals = [c.computation for c in constraints]
    for constraint in constraints:
        constraint.computation = None
    try:
        yield
    finally:
        for constraint, original in zip(constraints, originals, strict=True):
            constraint.computation = original


def test_computed_rows_are_rdflibs(tmp_path: Path) -> None:
    from bench.generate import generate

    paths = [*DISCLOSURES, *generate(6, tmp_path, seed=3, error_share=1.0)]
    with _counted() as counts:
        for path in paths:
            data, vocabularies = document_graphs(path)
            computed = validate_graph(data, vocabularies, engine="compiled")
            with _without_computations():
                evaluated = validate_graph(data, vocabularies, engine="compiled")
            assert comparable_results(computed) == comparable_results(evaluated), path.name
            assert computed.rows == evaluated.rows
    assert counts["computed"] >= 5 and counts["fell back"] == 0, counts


@pytest.mark.parametrize("changes", [
    {"amount 4.79 ;": "amount 4.790 ;"},  # a trailing zero: rdflib keeps it in the sums, pyoxigraph drops it
    {"amount 0.0 ;": "amount 0.00 ;"},
    {"amount 4.79 ;": "amount 5 ;"},  # an xsd:integer part, and a sum beyond the tolerance (PartsAddUpShape)
    {"amount 251.25 ;": "amount 251.250 ;"},
    {"amount 4.79 ;": "amount 5.000 ;", "breakdownComplete true": "breakdownComplete false"},  # PartsWithinTotal
], ids=["trailing-zero", "zero-part", "integer-part", "total-trailing-zero", "within-total"])
def test_rounding_case_with_other_digits_gives_pyshacls_results(changes: dict[str, str]) -> None:
    """The shape case of a rounding difference, its figures written with other digits."""
    from rdflib import Graph

    here = Path(__file__).resolve().parent
    text = (here / "invalid" / "parts-rounding-difference.ttl").read_text(encoding="utf-8")
    for written, instead in changes.items():
        assert written in text
        text = text.replace(written, instead)
    graph = Graph().parse(here / "base.ttl", format="turtle")
    graph.parse(data=text, format="turtle")
    with _counted() as counts:
        computed = validate_graph(graph, engine="compiled")
    reference = validate_graph(graph, engine="pyshacl")
    assert comparable_results(computed) == comparable_results(reference)
    assert computed.rows == reference.rows
    assert counts["computed"] >= 1 and counts["fell back"] == 0, counts
