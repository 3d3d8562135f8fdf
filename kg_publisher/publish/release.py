"""Writing a release directory (what the build publishes) and opening one (what the server reads).

Layout of ``release_dir`` (see docs/ARCHITECTURE.md, "Build output")::

    kg.nq                 every named graph, sorted N-Quads lines (blank nodes canonicalised: RDFC-1.0)
    catalog.ttl, .nt      the catalogue graph (DCAT-AP + VoID), literals exactly as written
    dumps/all.{ttl,nt,nq,trig,jsonld}[.gz]     the data of the whole release (every graph but the catalogue)
    dumps/<key>.{…}[.gz]  one disclosure: its facts graph and its quality graph
    sources/<sha256>.txt  the NFC text every span's offsets point into
    store/                pyoxigraph store loaded from kg.nq (opened read-only by the server)
    manifest.json         version (hash of kg.nq), build time, base IRI, graphs, dumps, datasets

The whole-release dump leaves the catalogue graph out because the catalogue states the dumps' checksums.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from .. import __version__
from ..errors import BuildError
from ..iris import IriMinter
from ..settings import Settings
from ..vocab import PREFIXES, QB
from .catalog import WHOLE_KEY, DatasetEntry, DumpFile, GraphStats, catalog_graph
from .formats import DUMP_SYNTAXES, JSONLD, WHOLE_DUMP_SYNTAXES, RdfSyntax, written
from .jsonld import compact_jsonld
from .model import PublishedDisclosure
from .search import index_release
from .spreadsheet import TableFile, write_tables

MANIFEST = "manifest.json"
CATALOG_NT = "catalog.nt"
_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def _to_quads(graph: Graph, graph_name: str) -> list[ox.Quad]:
    """rdflib graph → pyoxigraph quads in ``graph_name`` (through N-Triples, which both sides read fast)."""
    data = graph.serialize(format="nt", encoding="utf-8")
    name = ox.NamedNode(graph_name)
    return [ox.Quad(q.subject, q.predicate, q.object, name)
            for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


def _canonical(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Same data → same blank-node labels, whatever labels the build's graphs carried."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def _nquads_lines(quads: Iterable[ox.Quad]) -> list[bytes]:
    text = written(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return sorted(set(text.splitlines()))


def _write_dump(dumps_dir: Path, key: str, syntax: RdfSyntax, quads: list[ox.Quad]) -> DumpFile:
    if syntax is JSONLD:
        data = compact_jsonld(quads)
    elif syntax.holds_graph_names:
        data = written(ox.serialize(quads, format=syntax.oxigraph, prefixes=_PREFIXES if syntax.name != "nq" else None))
    else:
        triples = sorted({q.triple for q in quads}, key=str)
        data = written(ox.serialize(triples, format=syntax.oxigraph,
                                    prefixes=_PREFIXES if syntax.name == "ttl" else None))
    path = dumps_dir / f"{key}.{syntax.extension}"
    path.write_bytes(data)
    zipped = gzip.compress(data, compresslevel=9, mtime=0)  # mtime 0: same bytes on every build
    path.with_name(path.name + ".gz").write_bytes(zipped)
    return DumpFile(key, syntax, f"dumps/{path.name}", len(data), hashlib.sha256(data).hexdigest(),
                    len(zipped), hashlib.sha256(zipped).hexdigest())


def _observation_count(quads: Iterable[ox.Quad]) -> int:
    rdf_type, observation = str(RDF.type), str(QB.Observation)
    return sum(1 for q in quads if q.predicate.value == rdf_type
               and isinstance(q.object, ox.NamedNode) and q.object.value == observation)


def write_release(release_dir: Path, disclosures: list[PublishedDisclosure], vocabulary: Graph,
                  settings: Settings, shapes: Graph | None = None) -> dict[str, Any]:
    """Write every file of a release into ``release_dir`` and return the manifest written there.

    ``shapes`` (default: ``shapes/*.ttl``, what the build validates with) is published in its own graph, so
    every ``sh:sourceShape`` of a quality report dereferences.
    """
    if shapes is None:
        from ..validate import shapes_graph  # here, not at the top: the server reads releases without pyshacl

        shapes = shapes_graph()
    if not disclosures:
        raise BuildError("Nothing to publish: no disclosure passed validation",
                         "Fix the violations listed in the build report, then build again.")
    release_dir = Path(release_dir)
    minter = IriMinter(settings.base_iri)
    built = build_time()
    dumps_dir, sources_dir = release_dir / "dumps", release_dir / "sources"
    dumps_dir.mkdir(parents=True, exist_ok=True)
    sources_dir.mkdir(exist_ok=True)

    raw: list[ox.Quad] = []
    for item in disclosures:
        raw += _to_quads(item.graph, str(item.graph_name))
        raw += _to_quads(item.quality_graph, str(item.quality_graph_name))
    raw += _to_quads(vocabulary, str(minter.vocabulary_graph()))
    raw += _to_quads(shapes, str(minter.shapes_graph()))
    data = _canonical(raw)
    by_graph: dict[str, list[ox.Quad]] = {}
    for quad in data:
        graph_name = quad.graph_name
        assert not isinstance(graph_name, ox.DefaultGraph), "every quad of a release is in a named graph"
        by_graph.setdefault(graph_name.value, []).append(quad)

    entries: list[DatasetEntry] = []
    dataset_rows: list[dict[str, Any]] = []
    all_dumps: list[DumpFile] = []
    all_tables: list[TableFile] = []
    for item in sorted(disclosures, key=lambda d: d.key):
        quads = by_graph.get(str(item.graph_name), []) + by_graph.get(str(item.quality_graph_name), [])
        dumps = tuple(_write_dump(dumps_dir, item.key, syntax, quads) for syntax in DUMP_SYNTAXES)
        all_dumps += dumps
        tables = write_tables(dumps_dir, item, quads)  # its figures for spreadsheets (CSV, XLSX)
        all_tables += tables
        stats = GraphStats.of(quads)
        observations = _observation_count(by_graph.get(str(item.graph_name), []))
        source = item.source
        (sources_dir / f"{source.sha256}.txt").write_text(source.text, encoding="utf-8")
        entries.append(DatasetEntry(
            key=item.key, dataset=item.dataset, title=item.title, department=item.department,
            organization=item.organization, year=item.year, kind=item.kind, region=item.region,
            source=minter.source(source.sha256), source_name=source.name, source_sha256=source.sha256,
            source_media_type=source.media_type, observations=observations, stats=stats, dumps=dumps, tables=tables,
            titles=_literals(item.graph, item.dataset, DCTERMS.title),
            descriptions=_literals(item.graph, item.dataset, DCTERMS.description),
        ))
        dataset_rows.append({
            "key": item.key, "dataset": str(item.dataset), "title": item.title, "department": item.department,
            "organization": str(item.organization), "year": item.year, "kind": item.kind, "region": item.region,
            "graph": str(item.graph_name), "quality_graph": str(item.quality_graph_name),
            "source": {"name": source.name, "sha256": source.sha256, "media_type": source.media_type,
                       "byte_size": source.byte_size, "text": f"sources/{source.sha256}.txt"},
            "triples": stats.triples, "observations": observations,
            "violations": item.violations, "warnings": item.warnings,
        })
    whole_dumps = tuple(_write_dump(dumps_dir, WHOLE_KEY, syntax, data) for syntax in WHOLE_DUMP_SYNTAXES)
    all_dumps += whole_dumps

    catalog = catalog_graph(settings, entries, GraphStats.of(data), whole_dumps)
    catalog_quads = _to_quads(catalog, str(minter.catalog_graph()))
    # The catalogue files harvesters fetch also say when this release was issued. Only the files: kg.nq (and so
    # the version) stays free of dates, and a rebuild of the same data keeps the release, and the date, it had.
    dated = _dated(catalog, minter.catalog(), built.date())
    dated.serialize(release_dir / "catalog.ttl", format="turtle", encoding="utf-8")
    # The store gives literals back in canonical form (nonNegativeInteger → integer), which DCAT-AP refuses:
    # the catalogue is served from this file, exactly as written.
    dated_triples = {q.triple for q in _to_quads(dated, str(minter.catalog_graph()))}
    (release_dir / CATALOG_NT).write_bytes(
        written(ox.serialize(sorted(dated_triples, key=str), format=ox.RdfFormat.N_TRIPLES)))

    lines = _nquads_lines([*data, *catalog_quads])
    kg_bytes = b"".join(line + b"\n" for line in lines)
    (release_dir / "kg.nq").write_bytes(kg_bytes)
    version = hashlib.sha256(kg_bytes).hexdigest()[:16]

    load_store(release_dir / "store", release_dir / "kg.nq")
    index_release(release_dir, dataset_rows)  # search.sqlite: the search box and the indexes read it

    graph_sizes: dict[str, int] = {name: len(quads) for name, quads in sorted(by_graph.items())}
    graph_sizes[str(minter.catalog_graph())] = len(set(catalog_quads))
    manifest: dict[str, Any] = {
        "version": version,
        "build_time": built.isoformat(),
        "generator": f"kg-publisher {__version__}",
        "base_iri": settings.base_iri,
        "triples": len(lines),
        "kg": {"path": "kg.nq", "bytes": len(kg_bytes), "sha256": hashlib.sha256(kg_bytes).hexdigest()},
        "graphs": graph_sizes,
        "catalog_graph": str(minter.catalog_graph()),
        "vocabulary_graph": str(minter.vocabulary_graph()),
        "datasets": dataset_rows,
        "dumps": [{
            "dataset": dump.key, "format": dump.syntax.name, "media_type": dump.syntax.media_type,
            "path": dump.path, "bytes": dump.byte_size, "sha256": dump.sha256,
            "gzip": {"path": dump.path + ".gz", "bytes": dump.gzip_byte_size, "sha256": dump.gzip_sha256},
        } for dump in all_dumps],
        "tables": [table.manifest_row() for table in all_tables],
    }
    (release_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def build_time() -> datetime:
    """When this release is built (UTC, whole seconds): the manifest's ``build_time``, the catalogue's dates."""
    return datetime.now(UTC).replace(microsecond=0)


def load_store(store_dir: Path, nquads: Path) -> None:
    """Load a release's N-Quads into a pyoxigraph store whose default graph is the RDF merge of its named graphs.

    Engines that offer a "union default graph" (pyoxigraph's ``use_default_graph_as_union``, Oxigraph server's
    ``--union-default-graph``, Fuseki's ``unionDefaultGraph``) answer a triple once per graph holding it, so
    ``COUNT(*)`` and ``SUM`` over the default graph count shared triples (code lists, organisations, the
    catalogue's copy of a dataset's title) twice. Stating the default graph as its own set of triples gives
    set semantics on every engine; a store is a set, so each triple is kept once whatever graphs repeat it.
    """
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                      for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))
    store.optimize()
    store.flush()
    del store


@dataclass(frozen=True)
class Release:
    """A written release, opened for reading (the server resolves ``DIR/current`` once, at start)."""

    path: Path
    manifest: dict[str, Any]

    @classmethod
    def open(cls, path: Path) -> Release:
        """Open a release folder, or a build folder holding ``current``."""
        path = Path(path)
        if (path / "current").exists():
            path = path / "current"
        path = path.resolve()
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BuildError(f"{path}: holds no release ({MANIFEST} is missing)") from None
        except (OSError, ValueError) as exc:
            raise BuildError(f"{path / MANIFEST}: cannot be read ({exc})") from None
        if not (path / "store").is_dir():
            raise BuildError(f"{path}: the release has no store/ folder")
        return cls(path, manifest)

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def store_path(self) -> Path:
        return self.path / "store"

    @property
    def build_time(self) -> datetime:
        return datetime.fromisoformat(str(self.manifest["build_time"]))

    def dump(self, file_name: str) -> dict[str, Any] | None:
        """The manifest row of a dump file (``all.ttl`` or its ``.gz`` twin), or None."""
        for row in self.manifest["dumps"]:
            if row["path"] == f"dumps/{file_name}" or row["gzip"]["path"] == f"dumps/{file_name}":
                return row
        return None

    def table(self, file_name: str) -> dict[str, Any] | None:
        """The manifest row of a disclosure's spreadsheet (``{key}.csv``, ``{key}.xlsx``), or None."""
        return next((row for row in self.manifest.get("tables", []) if row["path"] == f"dumps/{file_name}"), None)

    def source_text(self, sha256: str) -> str | None:
        """The NFC source text spans point into (None when not in this release)."""
        if not all(c in "0123456789abcdef" for c in sha256) or len(sha256) != 64:
            return None
        path = self.path / "sources" / f"{sha256}.txt"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def catalog_triples(self) -> list[ox.Triple]:
        """The catalogue graph as written at build time (literals exactly as published)."""
        path = self.path / CATALOG_NT
        if not path.is_file():
            return []
        return [quad.triple for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)]

    def dataset(self, key: str) -> dict[str, Any] | None:
        return next((row for row in self.manifest["datasets"] if row["key"] == key), None)


__all__ = ["MANIFEST", "Release", "write_release"]


def _dated(catalog: Graph, catalog_iri: URIRef, day: date) -> Graph:
    """A copy of the catalogue stating ``day`` as the catalogue's issue and modification date (DCAT-AP recommends
    both)."""
    dated = Graph()
    for prefix, namespace in catalog.namespaces():
        dated.bind(prefix, namespace)
    dated += catalog
    dated.add((catalog_iri, DCTERMS.issued, Literal(day.isoformat(), datatype=XSD.date)))
    dated.add((catalog_iri, DCTERMS.modified, Literal(day.isoformat(), datatype=XSD.date)))
    return dated


def _literals(graph: Graph, subject: URIRef, predicate: URIRef) -> tuple[Literal, ...]:
    """The literals of one property, sorted so the catalogue is written identically every time."""
    return tuple(sorted((o for o in graph.objects(subject, predicate) if isinstance(o, Literal)), key=str))
