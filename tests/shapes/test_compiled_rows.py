"""The rows the compiled shapes compute in Python (kg_publisher/compiled_rows.py) are the rows rdflib gives: the
same variables and the same digits, on the documents where those constraints find something; the queries they
answer from the index give what pyoxigraph gives; the queries they do not run (a pattern every solution needs is
not in the document) give nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kg_publisher import compiled_rows
from kg_publisher.build import document_graphs
from kg_publisher.compiled_shapes import SparqlConstraint, _Run, _vocabulary_index
from kg_publisher.validate import comparable_results, compiled_shapes, validate_graph

from ..conftest import ROOT

DISCLOSURES = sorted((ROOT / "data" / "disclosures").glob("*.txt"))


def _constraints() -> list[SparqlConstraint]:
    return [c for shape in compiled_shapes()._shapes.values() for c in shape.sparql]


def _computed() -> list[SparqlConstraint]:
    return [c for c in _constraints() if c.computation is not None]


def _answered() -> list[SparqlConstraint]:
    return [c for c in _constraints() if c.answer is not None]


def test_every_computation_stands_for_a_published_query() -> None:
    """A digest no shape's query has any more is a computation no longer used: check it against the edited query,
    then update its digest."""
    published = {hashlib.sha256(c.select.encode("utf-8")).hexdigest()
                 for shape in compiled_shapes()._shapes.values() for c in shape.sparql}
    assert compiled_rows.digests() <= published, compiled_rows.digests() - published
    assert len(_computed()) + len(_answered()) == len(compiled_rows.digests())


@contextmanager
def _counted(attribute: str = "computation") -> Iterator[dict[str, int]]:
    """Count what the computations (or the answers) give: rows, or None (the engines evaluated the constraint)."""
    counts = {"given": 0, "rows": 0, "fell back": 0}
    constraints = [c for c in _constraints() if getattr(c, attribute) is not None]
    originals = [getattr(c, attribute) for c in constraints]

    def counting(original: Any) -> Any:
        def given(*args: Any) -> Any:
            found = original(*args)
            counts["given" if found is not None else "fell back"] += 1
            rows = found if isinstance(found, list) else [r for rows in (found or {}).values() for r in rows]
            counts["rows"] += len(rows)
            return found
        return given

    for constraint, original in zip(constraints, originals, strict=True):
        setattr(constraint, attribute, counting(original))
    try:
        yield counts
    finally:
        for constraint, original in zip(constraints, originals, strict=True):
            setattr(constraint, attribute, original)


@contextmanager
def _without_computations() -> Iterator[None]:
    """Every constraint's rows from pyoxigraph (and rdflib, for the digits), none from the index."""
    constraints = _constraints()
    originals = [(c.computation, c.answer) for c in constraints]
    for constraint in constraints:
        constraint.computation = constraint.answer = None
    try:
        yield
    finally:
        for constraint, (computation, answer) in zip(constraints, originals, strict=True):
            constraint.computation, constraint.answer = computation, answer


def test_computed_rows_are_rdflibs(tmp_path: Path) -> None:
    from bench.generate import generate

    paths = [*DISCLOSURES, *generate(6, tmp_path, seed=3, error_share=1.0)]
    with _counted() as counts, _counted("answer") as answers:
        for path in paths:
            data, vocabularies = document_graphs(path)
            computed = validate_graph(data, vocabularies, engine="compiled")
            with _without_computations():
                evaluated = validate_graph(data, vocabularies, engine="compiled")
            assert comparable_results(computed) == comparable_results(evaluated), path.name
            assert computed.rows == evaluated.rows
    assert counts["given"] >= 5 and counts["fell back"] == 0, counts
    assert answers["rows"] >= 5 and answers["fell back"] == 0, answers


def test_queries_not_run_give_no_rows(tmp_path: Path) -> None:
    """A query is not run on a document that lacks a (predicate, object) every solution matches: run anyway, it
    gives nothing."""
    from bench.generate import generate

    constraints = _constraints()
    assert sum(1 for c in constraints if c.required) >= len(constraints) - 2
    skipped = 0
    for path in [*DISCLOSURES, *generate(4, tmp_path, seed=8, error_share=1.0)]:
        data, vocabularies = document_graphs(path)
        run = _Run(compiled_shapes(), data, [_vocabulary_index(graph) for graph in vocabularies])
        for shape in compiled_shapes().targeted:
            for constraint in shape.sparql:
                focus = sorted(run.focus_nodes(shape), key=str)
                if not focus or all(p in run.by_predicate and (o is None or run.subjects(p, o))
                                    for p, o in constraint.required):
                    continue
                skipped += 1
                text = constraint.oxigraph_text.replace("@FOCUS@", " ".join(f"<{f}>" for f in focus))
                assert not list(run.store.query(text)), (path.name, constraint.node)
        run.give_back()
    assert skipped >= 5


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
    assert counts["given"] >= 1 and counts["fell back"] == 0, counts
