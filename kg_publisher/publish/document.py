"""One graph's share of a release, written once when the graph is made and streamed into every release holding it.

A *part* is a folder. Every part holds its graphs' quads canonicalised (RDFC-1.0, blank nodes labelled apart from
every other part's, so parts concatenate) and sorted, as N-Quads and TriG (gzip-compressed only: gzip members
concatenate into a valid gzip file, and the plain bytes are the gzip file decompressed) and N-Triples (the store's
default graph), the 64-bit hashes of its distinct
subjects, entities and objects (the whole release's VoID counts without the release in memory), and
``part.json`` saying what it holds. A disclosure's part also holds what the release publishes of it alone: its
dumps in every syntax of :data:`~.formats.DUMP_SYNTAXES` (gzip-compressed only; ``part.json`` states the size
and SHA-256 of each plain file too, which the catalogue describes), its spreadsheets, its source text, its extracted
records, its quality report as Turtle, and what the catalogue says about it (:func:`read_part`).

The release (:func:`~.release.assemble_release`) hard-links the per-disclosure files and concatenates the rest:
the same part gives the same bytes in every release, whether it was just written or taken from the build cache.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph as ox
from rdflib import Literal, URIRef

from ..iris import IriMinter
from ..settings import Settings
from ..vocab import PREFIXES, QB
from .catalog import DatasetEntry, DumpFile, GraphStats, dataset_catalog_graph
from .formats import DUMP_SYNTAXES, JSONLD, NQUADS, NTRIPLES, TABLE_SYNTAXES, TRIG, TURTLE, RdfSyntax, written
from .jsonld import compact_jsonld
from .model import DisclosureInfo
from .search import graph_entries
from .serialize import serialize_triples
from .spreadsheet import TableFile, write_tables

PART_JSON = "part.json"
#: Hash files of a part: sorted distinct uint64 (little-endian) of each kind of term.
TERM_FILES = ("subjects.u64", "entities.u64", "objects.u64")
SOURCE_TEXT = "source.txt"
RECORDS = "records.json"
REPORT = "report.ttl"
#: A disclosure's description in the catalogue (N-Triples lines, sorted).
CATALOG_PART = "catalog.nt"
#: What the release's search index takes from the part (:func:`~.search.graph_entries`, JSON).
SEARCH_PART = "search.json"
_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_TITLE, _DESCRIPTION = "http://purl.org/dc/terms/title", "http://purl.org/dc/terms/description"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def quads_of(ntriples: bytes, graph_name: str) -> list[ox.Quad]:
    """N-Triples → quads in ``graph_name``."""
    name = ox.NamedNode(graph_name)
    return [ox.Quad(q.subject, q.predicate, q.object, name)
            for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]


def canonical(quads: Iterable[ox.Quad], tag: str) -> list[ox.Quad]:
    """Same data → same quads, sorted by graph then quad: blank nodes labelled by RDFC-1.0, prefixed by ``tag``
    so that no two parts share a label."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)

    def relabel(term: Any) -> Any:
        return ox.BlankNode(f"{tag}{term.value}") if isinstance(term, ox.BlankNode) else term

    out = []
    for quad in dataset:
        if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
            quad = ox.Quad(relabel(quad.subject), quad.predicate, relabel(quad.object), quad.graph_name)
        out.append(quad)
    return sorted(out, key=lambda q: (str(q.graph_name), str(q)))


def blank_tag(graph_name: str) -> str:
    """The blank-node label prefix of the part of ``graph_name``."""
    return "b" + hashlib.sha256(graph_name.encode()).hexdigest()[:12]


def _hashes(terms: Iterable[object]) -> np.ndarray:
    digests = b"".join(hashlib.blake2b(str(term).encode(), digest_size=8).digest() for term in terms)
    return np.unique(np.frombuffer(digests, dtype="<u8"))


def _write_terms(folder: Path, quads: list[ox.Quad]) -> None:
    subjects = {q.subject for q in quads}
    for name, terms in (("subjects.u64", subjects),
                        ("entities.u64", [s for s in subjects if not isinstance(s, ox.BlankNode)]),
                        ("objects.u64", {q.object for q in quads})):
        _hashes(terms).astype("<u8").tofile(folder / name)


def _serialised(syntax: RdfSyntax, quads: list[ox.Quad], triples: list[ox.Triple] | None = None) -> bytes:
    """``quads`` in ``syntax``; the triple-only syntaxes write ``triples`` (default: the quads' distinct triples,
    sorted), which a caller writing several of them works out once."""
    if syntax is JSONLD:
        return compact_jsonld(quads)
    if syntax.holds_graph_names:
        return written(ox.serialize(quads, format=syntax.oxigraph, prefixes=_PREFIXES if syntax is TRIG else None))
    if triples is None:
        triples = _distinct_triples(quads)
    return written(ox.serialize(triples, format=syntax.oxigraph, prefixes=_PREFIXES if syntax is TURTLE else None))


def _write_search(folder: Path, quads: list[ox.Quad]) -> None:
    store = ox.Store()  # in memory: the part's graphs merged, as in a release's default graph
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    found = graph_entries(store)
    (folder / SEARCH_PART).write_text(json.dumps(found, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def _distinct_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    return sorted({q.triple for q in quads}, key=str)


def _write(folder: Path, name: str, data: bytes, zipped: bool = True) -> dict[str, Any]:
    """Write ``name``, or with ``zipped`` only its gzip twin ``name.gz`` (same bytes on every build: mtime 0; the
    plain file is sent decompressed from it); the sizes and checksums of both."""
    row: dict[str, Any] = {"file": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if zipped:
        packed = gzip.compress(data, compresslevel=6, mtime=0)
        (folder / f"{name}.gz").write_bytes(packed)
        row["gzip"] = {"bytes": len(packed), "sha256": hashlib.sha256(packed).hexdigest()}
    else:
        (folder / name).write_bytes(data)
    return row


def _stats(quads: list[ox.Quad]) -> dict[str, Any]:
    stats = GraphStats.of(quads)
    row = asdict(stats)
    row["classes"] = dict(sorted(stats.classes.items()))
    row["vocabularies"] = sorted(stats.vocabularies)
    row["predicates"] = sorted({q.predicate.value for q in quads})
    return row


def write_graph_part(folder: Path, name: str, graph_name: str, ntriples: bytes) -> dict[str, Any]:
    """The part of one graph published whole (the vocabulary, the shapes): ``{name}.nq``, ``.trig``, ``.nt``."""
    folder.mkdir(parents=True, exist_ok=True)
    quads = canonical(quads_of(ntriples, graph_name), blank_tag(graph_name))
    summary = {
        "kind": "graph",
        "files": {syntax.name: _write(folder, f"{name}.{syntax.extension}", _serialised(syntax, quads),
                                      zipped=syntax is not NTRIPLES)
                  for syntax in (NQUADS, TRIG, NTRIPLES)},
        "graphs": {graph_name: len(quads)},
        "quads": len(quads),
        "stats": _stats(quads),
    }
    _write_terms(folder, quads)
    _write_search(folder, quads)
    (folder / PART_JSON).write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


def write_disclosure_part(folder: Path, info: DisclosureInfo, facts: bytes, quality: bytes, source_text: str,
                          records_json: str | None, settings: Settings) -> dict[str, Any]:
    """The part of one disclosure: ``facts`` and ``quality`` (its two graphs, as N-Triples) canonicalised
    together; its dumps (``{key}.{ttl,nt,nq,trig,jsonld}.gz``), spreadsheets, source text, records, quality
    report (Turtle) and catalogue entry."""
    folder.mkdir(parents=True, exist_ok=True)
    facts_quads = quads_of(facts, info.graph_name)
    quads = canonical([*facts_quads, *quads_of(quality, info.quality_graph_name)], blank_tag(info.graph_name))
    triples = _distinct_triples(quads)
    dumps = {syntax.name: _write(folder, f"{info.key}.{syntax.extension}", _serialised(syntax, quads, triples))
             for syntax in DUMP_SYNTAXES}
    tables = [table.manifest_row() for table in write_tables(folder, info, quads)]
    (folder / SOURCE_TEXT).write_text(source_text, encoding="utf-8")
    if records_json is not None:
        (folder / RECORDS).write_text(records_json, encoding="utf-8")
    quality_name, facts_name = ox.NamedNode(info.quality_graph_name), ox.NamedNode(info.graph_name)
    quality_triples = _distinct_triples(q for q in quads if q.graph_name == quality_name)
    (folder / REPORT).write_bytes(serialize_triples(quality_triples, TURTLE))
    in_facts = [q for q in quads if q.graph_name == facts_name]
    observations = sum(1 for q in in_facts if q.predicate.value == _RDF_TYPE
                       and isinstance(q.object, ox.NamedNode) and q.object.value == str(QB.Observation))
    summary = {
        "kind": "disclosure",
        "info": asdict(info),
        "files": {name: dumps[name] for name in ("nq", "trig", "nt")},
        "dumps": dumps,
        "tables": tables,
        "graphs": {info.graph_name: len(in_facts), info.quality_graph_name: len(quads) - len(in_facts)},
        "quads": len(quads),
        "stats": _stats(quads),
        "observations": observations,
        "titles": _literals(in_facts, info.dataset, _TITLE),
        "descriptions": _literals(in_facts, info.dataset, _DESCRIPTION),
        "records": RECORDS if records_json is not None else None,
        "catalog": CATALOG_PART,
    }
    catalog = dataset_catalog_graph(settings, dataset_entry(summary, settings.base_iri))
    (folder / CATALOG_PART).write_bytes(b"".join(
        line + b"\n" for line in sorted(set(ntriples_lines(catalog.serialize(format="nt", encoding="utf-8"))))))
    _write_terms(folder, quads)
    _write_search(folder, quads)
    (folder / PART_JSON).write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


def _literals(quads: list[ox.Quad], subject: str, predicate: str) -> list[list[str | None]]:
    """The literals of one property as ``[value, language, datatype]`` (datatype None for plain strings), sorted."""
    found = set()
    for quad in quads:
        value = quad.object
        if (quad.predicate.value == predicate and isinstance(value, ox.Literal)
                and isinstance(quad.subject, ox.NamedNode) and quad.subject.value == subject):
            datatype = None if value.language or value.datatype.value == _XSD_STRING else value.datatype.value
            found.add((value.value, value.language or "", datatype or ""))
    return [[value, language or None, datatype or None] for value, language, datatype in sorted(found)]


def dataset_entry(summary: dict[str, Any], base_iri: str) -> DatasetEntry:
    """What the catalogue says about the disclosure of a part (its ``part.json``)."""
    info, minter = summary["info"], IriMinter(base_iri)
    stats = summary["stats"]
    dumps = tuple(_dump_file(info["key"], syntax, summary["dumps"][syntax.name]) for syntax in DUMP_SYNTAXES)
    tables = tuple(TableFile(row["dataset"], next(s for s in TABLE_SYNTAXES if s.name == row["format"]),
                             row["path"], row["bytes"], row["sha256"]) for row in summary["tables"])
    return DatasetEntry(
        key=info["key"], dataset=URIRef(info["dataset"]), title=info["title"], department=info["department"],
        organization=URIRef(info["organization"]), year=info["year"], kind=info["kind"], region=info["region"],
        source=minter.source(info["source_sha256"]), source_name=info["source_name"],
        source_sha256=info["source_sha256"], source_media_type=info["source_media_type"],
        observations=summary["observations"],
        stats=GraphStats(stats["triples"], stats["entities"], stats["distinct_subjects"], stats["distinct_objects"],
                         stats["properties"], Counter(stats["classes"]), frozenset(stats["vocabularies"])),
        dumps=dumps, tables=tables,
        titles=tuple(_literal(row) for row in summary["titles"]),
        descriptions=tuple(_literal(row) for row in summary["descriptions"]))


def _literal(row: list[str | None]) -> Literal:
    value, language, datatype = row
    return Literal(value, lang=language) if language else Literal(value, datatype=datatype and URIRef(datatype))


def _dump_file(key: str, syntax: RdfSyntax, row: dict[str, Any]) -> DumpFile:
    return DumpFile(key, syntax, f"dumps/{key}.{syntax.extension}", row["bytes"], row["sha256"],
                    row["gzip"]["bytes"], row["gzip"]["sha256"])


def ntriples_lines(ntriples: bytes) -> list[bytes]:
    """N-Triples as pyoxigraph writes them, line by line (one way of writing each triple, so lines compare)."""
    triples = [quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
    return written(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)).splitlines()


def read_part(folder: Path) -> dict[str, Any]:
    """The ``part.json`` of a part folder."""
    summary: dict[str, Any] = json.loads((folder / PART_JSON).read_text(encoding="utf-8"))
    return summary


def report_turtle(quality: bytes) -> bytes:
    """A quality graph (N-Triples) as the Turtle the release's ``report.ttl`` concatenates (a rejected
    disclosure's, which has no part)."""
    quads = canonical(quads_of(quality, "urn:x-report:"), blank_tag(hashlib.sha256(quality).hexdigest()))
    return serialize_triples(sorted({q.triple for q in quads}, key=str), TURTLE)
