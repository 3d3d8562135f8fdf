"""What the build hands to publishing: one entry per disclosure, plus the shared vocabulary."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef

from ..extract.source import SourceText


@dataclass(frozen=True)
class DisclosureInfo:
    """What a release says about one validated disclosure besides its graphs (catalogue, manifest, spreadsheets)."""

    #: Dataset key, e.g. ``panjin-xinglongtai-zwfwzx-2022-budget`` (also the dump file stem).
    key: str
    #: The ``dcat:Dataset``/``qb:DataSet`` IRI.
    dataset: str
    #: Named graphs of its facts and of its SHACL/DQV quality report.
    graph_name: str
    quality_graph_name: str
    #: Title (zh), department name, year, kind (``budget``/``final``) for the catalogue.
    title: str
    department: str
    organization: str
    year: int
    kind: str
    region: str | None
    violations: int
    warnings: int
    #: The source file: name as given, SHA-256 of its bytes, media type, size.
    source_name: str
    source_sha256: str
    source_media_type: str
    source_byte_size: int


@dataclass(frozen=True)
class PublishedDisclosure:
    """One validated disclosure with its graphs in memory (what :func:`~.release.write_release` takes)."""

    key: str
    dataset: URIRef
    graph_name: URIRef
    graph: Graph
    quality_graph_name: URIRef
    quality_graph: Graph
    source: SourceText
    title: str
    department: str
    organization: URIRef
    year: int
    kind: str
    region: str | None
    violations: int
    warnings: int

    @property
    def info(self) -> DisclosureInfo:
        return DisclosureInfo(
            self.key, str(self.dataset), str(self.graph_name), str(self.quality_graph_name), self.title,
            self.department, str(self.organization), self.year, self.kind, self.region, self.violations,
            self.warnings, self.source.name, self.source.sha256, self.source.media_type, self.source.byte_size)
