"""What the build hands to publishing: one entry per disclosure, plus the shared vocabulary."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef

from ..extract.source import SourceText


@dataclass(frozen=True)
class PublishedDisclosure:
    """One validated disclosure, ready to be written into a release."""

    #: Dataset key, e.g. ``panjin-xinglongtai-zwfwzx-2022-budget`` (also the dump file stem).
    key: str
    #: The ``dcat:Dataset``/``qb:DataSet`` IRI.
    dataset: URIRef
    #: Named graph holding the facts, and the graph itself.
    graph_name: URIRef
    graph: Graph
    #: Named graph holding the SHACL/DQV quality report, and the graph itself.
    quality_graph_name: URIRef
    quality_graph: Graph
    source: SourceText
    #: Title (zh), department name, year, kind (``budget``/``final``) for the catalogue.
    title: str
    department: str
    organization: URIRef
    year: int
    kind: str
    region: str | None
    violations: int
    warnings: int
