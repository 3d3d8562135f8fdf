"""The vocabulary graph: our ontology, code lists and the local description of reused terms, as
loaded from ``ontology/**/*.ttl``. The per-year classification schemes are not files: the build makes them
from ``data/codelists/`` for each year it publishes (:func:`kg_publisher.rdf.codelists.classification_graph`)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..errors import ShapesError
from ..package_data import ontology_dir
from ..vocab import bind_prefixes


def load_turtle(paths: list[Path], into: Graph) -> Graph:
    """Parse Turtle files into ``into``; a broken file raises :class:`ShapesError` naming it."""
    for path in paths:
        try:
            into.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for bad syntax
            raise ShapesError(f"{path}: not valid Turtle ({exc})") from None
    return into


def vocabulary_graph(directory: Path | None = None) -> Graph:
    """Every ``*.ttl`` file under ``directory`` (default: the ontology shipped with the package) in one graph
    (sorted file order)."""
    directory = directory or ontology_dir()
    paths = sorted(directory.rglob("*.ttl"))
    if not paths:
        raise ShapesError(f"{directory}: holds no ontology files (*.ttl)")
    graph = Graph()
    bind_prefixes(graph)
    return load_turtle(paths, graph)
