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

import hashlib
import json
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph as ox
from isal import igzip
from rdflib import Literal, URIRef

from ..files import link_or_copy
from ..iris import IriMinter
from ..settings import Settings
from ..vocab import PREFIXES, QB
from .catalog import DatasetEntry, DumpFile, GraphStats, dataset_catalog_graph, vocabularies
from .formats import DUMP_SYNTAXES, JSONLD, NQUADS, NTRIPLES, TABLE_SYNTAXES, TRIG, TURTLE, RdfSyntax, written
from .jsonld import jsonld_of_lines
from .model import DisclosureInfo
from .search import graph_entries
from .serialize import serialize_triples
from .spreadsheet import TableFile, write_tables
from .triples import StoreIndex

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
_RDF_TYPE_NT = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_TITLE, _DESCRIPTION = "http://purl.org/dc/terms/title", "http://purl.org/dc/terms/description"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_NT, _NQ = ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS
#: ISA-L's level of every gzip file the build writes (the gzip twins, the cache's N-Triples, the catalogue graph
#: and pages): its default, about six times zlib's pace at level 6 for about a quarter more bytes (bench/README.md
#: "Build at scale").
GZIP_LEVEL = 2


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


def _write_terms(folder: Path, terms: _Terms) -> None:
    for name, found in (("subjects.u64", terms.subjects),
                        ("entities.u64", [s for s in terms.subjects if not s.startswith(b"_:")]),
                        ("objects.u64", terms.objects)):
        _hashes(found).astype("<u8").tofile(folder / name)


def _hashes(terms: Iterable[bytes]) -> np.ndarray:
    """64-bit hashes of terms written as N-Triples writes them (``str`` of a pyoxigraph term, UTF-8)."""
    digests = b"".join(hashlib.blake2b(term, digest_size=8).digest() for term in terms)
    return np.unique(np.frombuffer(digests, dtype="<u8"))


@dataclass
class _Terms:
    """What a part's VoID numbers and term hashes are counted from, read off its N-Triples lines."""

    quads: int = 0
    subjects: set[bytes] = field(default_factory=set)
    objects: set[bytes] = field(default_factory=set)
    predicates: set[bytes] = field(default_factory=set)
    classes: Counter[bytes] = field(default_factory=Counter)

    @classmethod
    def of(cls, graphs: list[tuple[str, list[bytes]]]) -> _Terms:
        terms = cls()
        subjects, objects, predicates, classes = terms.subjects, terms.objects, terms.predicates, terms.classes
        for _, lines in graphs:
            terms.quads += len(lines)
            for line in lines:
                # "<s> <p> object ." : subjects and predicates hold no blank, so two splits find the object
                subject, predicate, value = line[:-2].split(b" ", 2)
                subjects.add(subject)
                predicates.add(predicate)
                objects.add(value)
                if predicate == _RDF_TYPE_NT and value.startswith(b"<"):
                    classes[value] += 1
        return terms

    def stats(self) -> dict[str, Any]:
        """The ``stats`` of ``part.json`` (:class:`~.catalog.GraphStats` and the predicates)."""
        predicates = sorted(p[1:-1].decode() for p in self.predicates)
        classes = Counter({c[1:-1].decode(): n for c, n in self.classes.items()})
        stats = GraphStats(self.quads, sum(1 for s in self.subjects if not s.startswith(b"_:")), len(self.subjects),
                           len(self.objects), len(predicates), classes,
                           frozenset(vocabularies([*predicates, *classes])))
        row = asdict(stats)
        row["classes"] = dict(sorted(stats.classes.items()))
        row["vocabularies"] = sorted(stats.vocabularies)
        row["predicates"] = predicates
        return row


def canonical_lines(graphs: dict[str, bytes], tag: str, ordered: bool = False) -> list[tuple[str, list[bytes]]]:
    """Graphs given as N-Triples (name → text) canonicalised together (:func:`canonical`): each graph's distinct
    triples as the sorted N-Triples lines pyoxigraph writes (no line end), graphs in the order :func:`canonical`
    sorts them. Graphs without a blank node (every disclosure's) need no relabelling: their lines are only
    written again by pyoxigraph and sorted, with no quad made in Python; ``ordered`` texts
    (:func:`~kg_publisher.ntriples.graph_ntriples`: those lines already, sorted, each once) are split only. Bytes
    sort as their ``str`` does: a term ends with the blank before the next one, and a blank sorts before anything
    that can continue a term."""
    if not any(b"_:" in data for data in graphs.values()):
        return [(name, graphs[name].splitlines() if ordered else
                 sorted(set(written(ox.serialize(_parsed(graphs[name], _NT), format=_NT)).splitlines())))
                for name in sorted(graphs, key=lambda name: f"<{name}>")]
    quads = canonical([quad for name, data in graphs.items() for quad in quads_of(data, name)], tag)
    out: list[tuple[str, list[bytes]]] = []
    for name, group in groupby(quads, key=lambda quad: quad.graph_name):
        assert isinstance(name, ox.NamedNode)
        out.append((name.value, written(ox.serialize([q.triple for q in group], format=_NT)).splitlines()))
    return out


def _nquads(graphs: list[tuple[str, list[bytes]]]) -> bytes:
    """The lines of :func:`canonical_lines` as N-Quads (graph by graph, each line with its graph's name). A line
    ends with " ." and a literal holds no line break, so " .\\n" is found only at the lines' ends."""
    return b"".join((b"\n".join(lines) + b"\n").replace(b" .\n", f" <{name}> .\n".encode())
                    for name, lines in graphs if lines)


def _ntriples(graphs: list[tuple[str, list[bytes]]]) -> bytes:
    """The distinct triples of every graph, sorted, as N-Triples (the graphs merged)."""
    lines = _merged([lines for _, lines in graphs])
    return b"\n".join(lines) + b"\n" if lines else b""


def _merged(sorted_lists: list[list[bytes]]) -> list[bytes]:
    """Sorted lists of distinct lines as one (a disclosure's quality report repeats few of its graph's triples)."""
    if len(sorted_lists) == 1:
        return sorted_lists[0]
    largest = max(sorted_lists, key=len)
    extra = [line for lines in sorted_lists if lines is not largest for line in lines
             if not _holds(largest, line)]
    return sorted([*largest, *set(extra)]) if extra else largest


def _holds(lines: list[bytes], line: bytes) -> bool:
    at = bisect_left(lines, line)
    return at < len(lines) and lines[at] == line


def _parsed(data: bytes, syntax: ox.RdfFormat) -> Iterator[ox.Quad]:
    """What this module has just written read back (no IRI is checked again: each was checked when first read)."""
    return ox.parse(data, format=syntax, lenient=True)


def _write(folder: Path, name: str, data: bytes, zipped: bool = True) -> dict[str, Any]:
    """Write ``name``, or with ``zipped`` only its gzip twin ``name.gz`` (same bytes on every build: mtime 0; the
    plain file is sent decompressed from it); the sizes and checksums of both."""
    row: dict[str, Any] = {"file": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if zipped:
        packed = igzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
        (folder / f"{name}.gz").write_bytes(packed)
        row["gzip"] = {"bytes": len(packed), "sha256": hashlib.sha256(packed).hexdigest()}
    else:
        (folder / name).write_bytes(data)
    return row


def _dumps(folder: Path, stem: str, graphs: list[tuple[str, list[bytes]]], ntriples: bytes,
           syntaxes: Iterable[RdfSyntax], zipped: Iterable[RdfSyntax]) -> dict[str, dict[str, Any]]:
    """Write ``{stem}.{ext}`` in each of ``syntaxes`` (with a gzip twin for those in ``zipped``) from the part's
    canonical lines (and ``ntriples``, their :func:`_ntriples`); their rows. N-Quads, N-Triples and JSON-LD are
    written from the lines themselves, Turtle and TriG by pyoxigraph from the lines read back."""
    nquads = _nquads(graphs)
    rows = {}
    for syntax in syntaxes:
        if syntax is NQUADS:
            data = nquads
        elif syntax is NTRIPLES:
            data = ntriples
        elif syntax is JSONLD:
            data = jsonld_of_lines(graphs)
        else:  # Turtle, TriG
            read = _parsed(nquads, _NQ) if syntax.holds_graph_names else _parsed(ntriples, _NT)
            data = written(ox.serialize(read, format=syntax.oxigraph, prefixes=_PREFIXES))
        rows[syntax.name] = _write(folder, f"{stem}.{syntax.extension}", data, zipped=syntax in zipped)
    return rows


def write_graph_part(folder: Path, name: str, graph_name: str, ntriples: bytes) -> dict[str, Any]:
    """The part of one graph published whole (the vocabulary, the shapes): ``{name}.nq``, ``.trig``, ``.nt``."""
    folder.mkdir(parents=True, exist_ok=True)
    graphs = canonical_lines({graph_name: ntriples}, blank_tag(graph_name))
    terms, ntriples = _Terms.of(graphs), _ntriples(graphs)
    summary = {
        "kind": "graph",
        "files": _dumps(folder, name, graphs, ntriples, (NQUADS, TRIG, NTRIPLES), zipped=(NQUADS, TRIG)),
        "graphs": {graph_name: terms.quads},
        "quads": terms.quads,
        "stats": terms.stats(),
    }
    _write_terms(folder, terms)
    _write_search(folder, _store(ntriples))
    (folder / PART_JSON).write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


def write_disclosure_part(folder: Path, info: DisclosureInfo, facts: bytes, quality: bytes, source_text: str | Path,
                          records_json: str | Path | None, settings: Settings, ordered: bool = False) -> dict[str, Any]:
    """The part of one disclosure: ``facts`` and ``quality`` (its two graphs, as N-Triples; ``ordered`` when
    written by :func:`~kg_publisher.ntriples.graph_ntriples`) canonicalised together; its dumps
    (``{key}.{ttl,nt,nq,trig,jsonld}.gz``), spreadsheets, source text, records, quality report (Turtle) and
    catalogue entry. The source text and the records are given as text, or as the file that holds them (UTF-8),
    which the part then shares (a hard link)."""
    folder.mkdir(parents=True, exist_ok=True)
    graphs = canonical_lines({info.graph_name: facts, info.quality_graph_name: quality}, blank_tag(info.graph_name),
                             ordered)
    ntriples = _ntriples(graphs)  # the part's graphs merged, as in a release's default graph
    dumps = _dumps(folder, info.key, graphs, ntriples, DUMP_SYNTAXES, zipped=DUMP_SYNTAXES)
    store = _store(ntriples)
    tables = [table.manifest_row() for table in write_tables(folder, info, StoreIndex(store))]
    for name, content in ((SOURCE_TEXT, source_text), (RECORDS, records_json)):
        if isinstance(content, Path):
            link_or_copy(content, folder / name)
        elif content is not None:
            (folder / name).write_bytes(content.encode("utf-8"))
    by_name = dict(graphs)
    in_facts, in_quality = by_name[info.graph_name], by_name[info.quality_graph_name]
    quality_triples = [quad.triple for quad in _parsed(b"\n".join(in_quality), _NT)]
    (folder / REPORT).write_bytes(serialize_triples(quality_triples, TURTLE))
    terms = _Terms.of(graphs)
    observation = b" " + _RDF_TYPE_NT + b" <" + str(QB.Observation).encode() + b">"
    summary = {
        "kind": "disclosure",
        "info": asdict(info),
        "files": {name: dumps[name] for name in ("nq", "trig", "nt")},
        "dumps": dumps,
        "tables": tables,
        "graphs": {info.graph_name: len(in_facts), info.quality_graph_name: len(in_quality)},
        "quads": terms.quads,
        "stats": terms.stats(),
        "observations": sum(1 for line in in_facts if line.endswith(observation + b" .")),
        "titles": _literals(in_facts, info.dataset, _TITLE),
        "descriptions": _literals(in_facts, info.dataset, _DESCRIPTION),
        "records": RECORDS if records_json is not None else None,
        "catalog": CATALOG_PART,
    }
    catalog = dataset_catalog_graph(settings, dataset_entry(summary, settings.base_iri))
    (folder / CATALOG_PART).write_bytes(b"".join(
        line + b"\n" for line in sorted(set(ntriples_lines(catalog.serialize(format="nt", encoding="utf-8"))))))
    _write_terms(folder, terms)
    _write_search(folder, store)
    (folder / PART_JSON).write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


def _store(ntriples: bytes) -> ox.Store:
    """An in-memory store of a part's graphs merged into its default graph."""
    store = ox.Store()
    store.load(ntriples, format=_NT, lenient=True)
    return store


def _write_search(folder: Path, store: ox.Store) -> None:
    found = graph_entries(store)
    (folder / SEARCH_PART).write_text(json.dumps(found, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def _literals(lines: list[bytes], subject: str, predicate: str) -> list[list[str | None]]:
    """The literals of one property as ``[value, language, datatype]`` (datatype None for plain strings), sorted."""
    start = f"<{subject}> <{predicate}> ".encode()
    found = set()
    for quad in _parsed(b"\n".join(line for line in lines if line.startswith(start)), _NT):
        value = quad.object
        if isinstance(value, ox.Literal):
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
