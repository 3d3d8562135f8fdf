"""Writing a release directory (what the build publishes) and opening one (what the server reads).

Layout of ``release_dir`` (see docs/ARCHITECTURE.md, "Build output")::

    catalog.nt            the catalogue graph (DCAT-AP + VoID), literals exactly as written, with the issue dates
                          and the kept releases as versions
    catalog-pages/        the catalogue as it is served, in pages (catalog_pages.write_catalogue_pages)
    catalog.nq.gz         the catalogue graph as the store holds it (N-Quads, gzip; no dates, no versions)
    dumps/<key>.{ttl,nt,nq,trig,jsonld}.gz  one disclosure: its facts graph and its quality graph (gzip only)
    dumps/<key>.{csv,xlsx}     its figures for spreadsheets
    graphs/{vocabulary,shapes}.{nq,trig}.gz   the graphs every disclosure shares
    sources/<sha256>.txt  the NFC text every span's offsets point into
    records/<key>.json    the extracted records
    store/                pyoxigraph store loaded from the parts' N-Quads and the catalogue graph
    manifest.json         version, build time, base IRI, graphs, dumps, datasets

A release is assembled from *parts* (:mod:`.document`), one per disclosure and one per whole graph, each
written once: memory does not grow with the number of disclosures. No file of the whole release is stored: the
whole-release dumps ``dumps/all.{nq,trig}.gz`` are the parts' gzip files served one after the other (gzip members
concatenate into one gzip file), ``all.nq`` and ``all.trig`` the same decompressed as they are sent
(:meth:`Release.dump_chunks`), and the whole graph with the catalogue is read the same way
(:meth:`Release.open_nquads`). So a release costs no write or read of the whole corpus but its store's, and
releases kept side by side share every part's files (hard links). The whole-release dumps leave the catalogue
graph out because the catalogue states their sizes.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import io
import json
import mmap
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyoxigraph as ox
from isal import igzip
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from .. import __version__
from ..errors import BuildError
from ..files import link_or_copy
from ..iris import IriMinter
from ..settings import Settings
from ..timing import Laps, stage
from .catalog import WHOLE_KEY, DatasetEntry, DumpFile, GraphStats, catalog_graph, vocabularies
from .catalog_pages import CATALOG_NT, write_catalogue_pages
from .document import (
    CATALOG_PART,
    GZIP_LEVEL,
    SEARCH_PART,
    SOURCE_TEXT,
    TERM_FILES,
    dataset_entry,
    ntriples_lines,
    quads_of,
    read_part,
    write_disclosure_part,
    write_graph_part,
)
from .formats import DUMP_SYNTAXES, NQUADS, WHOLE_DUMP_SYNTAXES, written
from .manifest import Manifest, write_manifest
from .model import PublishedDisclosure
from .search import SEARCH_DB, index_parts, index_release

MANIFEST = "manifest.json"
#: The catalogue graph as the store holds it (no dates, no versions: the version does not depend on them).
CATALOG_NQ = "catalog.nq.gz"
#: Where a release holds the files of the graphs every disclosure shares (vocabulary, shapes).
GRAPHS_DIR = "graphs"


def _to_quads(graph: Graph, graph_name: str) -> list[ox.Quad]:
    """rdflib graph → pyoxigraph quads in ``graph_name`` (through N-Triples, which both sides read fast)."""
    return quads_of(graph.serialize(format="nt", encoding="utf-8"), graph_name)


@dataclass(frozen=True)
class Part:
    """A part folder (:mod:`.document`) and its ``part.json``."""

    folder: Path
    summary: dict[str, Any]

    @classmethod
    def read(cls, folder: Path) -> Part:
        return cls(folder, read_part(folder))

    def file(self, syntax: str, zipped: bool = False) -> Path:
        """The file of the part's quads in ``syntax``: its gzip file with ``zipped``; else the plain file, or the
        gzip file when only that is stored (parts store their RDF files gzip-compressed only)."""
        name = self.summary["files"][syntax]["file"]
        plain = self.folder / name
        return plain if not zipped and plain.is_file() else self.folder / f"{name}.gz"


def write_release(release_dir: Path, disclosures: list[PublishedDisclosure], vocabulary: Graph,
                  settings: Settings, shapes: Graph | None = None) -> dict[str, Any]:
    """Write every file of a release of graphs held in memory into ``release_dir``; return its manifest.

    The build does not call this (it writes each disclosure's part when it processes it, and assembles the
    release from the parts); this is the same thing in one call, for graphs at hand. ``shapes`` (default:
    ``shapes/*.ttl``, what the build validates with) is published in its own graph, so every ``sh:sourceShape``
    of a quality report dereferences.
    """
    if shapes is None:
        from ..validate import shapes_graph  # here, not at the top: the server reads releases without pyshacl

        shapes = shapes_graph()
    if not disclosures:
        raise BuildError("Nothing to publish: no disclosure passed validation",
                         "Fix the violations listed in the build report, then build again.")
    release_dir = Path(release_dir)
    release_dir.mkdir(parents=True, exist_ok=True)
    minter = IriMinter(settings.base_iri)
    with tempfile.TemporaryDirectory(prefix=".parts-", dir=release_dir) as tmp:
        parts = []
        for number, item in enumerate(disclosures):
            folder = Path(tmp) / f"d{number}"
            write_disclosure_part(folder, item.info, item.graph.serialize(format="nt", encoding="utf-8"),
                                  item.quality_graph.serialize(format="nt", encoding="utf-8"), item.source.text,
                                  None, settings)
            parts.append(Part.read(folder))
        graphs = []
        for name, graph, graph_name in (("vocabulary", vocabulary, minter.vocabulary_graph()),
                                        ("shapes", shapes, minter.shapes_graph())):
            write_graph_part(Path(tmp) / name, name, str(graph_name), graph.serialize(format="nt", encoding="utf-8"))
            graphs.append(Part.read(Path(tmp) / name))
        manifest = assemble_release(release_dir, parts, graphs, settings)
    write_catalogue_pages(release_dir, settings.catalog_page_size)
    return manifest


class _Chain(io.RawIOBase):
    """The files ``paths`` then ``tail`` read as one stream (what a bulk load reads without a joined copy); a
    ``.gz`` file is read decompressed."""

    def __init__(self, paths: Iterable[Path], tail: bytes = b"") -> None:
        self._paths = iter(paths)
        self._tail: bytes | None = tail
        self._handle: io.BufferedIOBase | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while True:
            handle: io.BufferedIOBase | None = self._handle
            if handle is None:
                path = next(self._paths, None)
                if path is None:
                    data, self._tail = self._tail or b"", None
                    if not data:
                        return 0
                    handle = io.BytesIO(data)
                else:
                    handle = igzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")
                self._handle = handle
            count = handle.readinto(buffer)
            if count:
                return count
            handle.close()
            self._handle = None


def _whole_stats(parts: list[Part]) -> GraphStats:
    """VoID numbers of the quads of ``parts`` together, from each part's numbers and term hashes."""
    counts = {}
    for name in TERM_FILES:
        hashes = np.sort(np.concatenate([np.fromfile(part.folder / name, dtype="<u8") for part in parts]
                                        or [np.zeros(0, dtype="<u8")]))
        # distinct values of the sorted hashes (np.unique hashes them instead: 20× slower on these)
        counts[name] = int(np.count_nonzero(hashes[1:] != hashes[:-1])) + 1 if len(hashes) else 0
    classes: Counter[str] = Counter()
    predicates: set[str] = set()
    for part in parts:
        classes.update(part.summary["stats"]["classes"])
        predicates.update(part.summary["stats"]["predicates"])
    return GraphStats(sum(part.summary["quads"] for part in parts), counts["entities.u64"], counts["subjects.u64"],
                      counts["objects.u64"], len(predicates), classes,
                      frozenset(vocabularies(predicates | set(classes))))


def assemble_release(release_dir: Path, disclosures: list[Part], graphs: list[Part], settings: Settings,
                     previous: Path | None = None, background: list[Future[None]] | None = None) -> dict[str, Any]:
    """Write a release into ``release_dir`` from the parts of its ``disclosures`` and of its whole ``graphs``
    (vocabulary, shapes), streaming: no graph is held in memory. Returns the manifest written there.

    Per-disclosure files, and the shared graphs' gzip files, are hard links to the parts' (releases share what
    did not change); the whole-release dumps are listed in the manifest as those gzip files one after the other
    (``members``: disclosures by key, then the vocabulary and the shapes), with their sizes, and are never written
    whole. ``previous`` is the release this one follows: its store is updated (:func:`update_store`) instead of
    loading every quad again. With ``background`` (a list), the store and the search index are written on threads
    of their own while the rest is written and after this returns: the futures appended to it say when (the
    caller waits for them before the release is complete, and before removing the folder).
    """
    if not disclosures:
        raise BuildError("Nothing to publish: no disclosure passed validation",
                         "Fix the violations listed in the build report, then build again.")
    release_dir = Path(release_dir)
    minter = IriMinter(settings.base_iri)
    built = build_time()
    laps = Laps("release")
    dumps_dir, sources_dir, records_dir = release_dir / "dumps", release_dir / "sources", release_dir / "records"
    for folder in (dumps_dir, sources_dir, records_dir):
        folder.mkdir(parents=True, exist_ok=True)
    disclosures = sorted(disclosures, key=lambda part: part.summary["info"]["key"])

    entries: list[DatasetEntry] = []
    dataset_rows: list[dict[str, Any]] = []
    all_dumps: list[DumpFile] = []
    all_tables: list[dict[str, Any]] = []
    for part in disclosures:
        summary, info = part.summary, part.summary["info"]
        key = info["key"]
        for syntax in DUMP_SYNTAXES:
            for name in (f"{key}.{syntax.extension}", f"{key}.{syntax.extension}.gz"):
                if (part.folder / name).is_file():  # parts written before they stored gzip files only: both
                    link_or_copy(part.folder / name, dumps_dir / name)
        for row in summary["tables"]:
            name = row["path"].removeprefix("dumps/")
            link_or_copy(part.folder / name, dumps_dir / name)
        link_or_copy(part.folder / SOURCE_TEXT, sources_dir / f"{info['source_sha256']}.txt")
        if summary.get("records"):
            link_or_copy(part.folder / summary["records"], records_dir / f"{key}.json")
        entry = dataset_entry(summary, settings.base_iri)
        entries.append(entry)
        all_dumps += entry.dumps
        all_tables += summary["tables"]
        dataset_rows.append({
            "key": key, "dataset": info["dataset"], "title": info["title"], "department": info["department"],
            "organization": info["organization"], "year": info["year"], "kind": info["kind"],
            "region": info["region"], "graph": info["graph_name"], "quality_graph": info["quality_graph_name"],
            "source": {"name": info["source_name"], "sha256": info["source_sha256"],
                       "media_type": info["source_media_type"], "byte_size": info["source_byte_size"],
                       "text": f"sources/{info['source_sha256']}.txt"},
            "triples": summary["quads"], "observations": summary["observations"],
            "violations": info["violations"], "warnings": info["warnings"],
        })

    parts = [*disclosures, *graphs]
    graphs_dir = release_dir / GRAPHS_DIR
    graphs_dir.mkdir(exist_ok=True)
    whole_dumps: list[DumpFile] = []
    members: dict[str, list[str]] = {}
    for syntax in WHOLE_DUMP_SYNTAXES:
        names = [f"dumps/{part.summary['info']['key']}.{syntax.extension}.gz" for part in disclosures]
        for part in graphs:
            name = part.file(syntax.name, zipped=True).name
            link_or_copy(part.folder / name, graphs_dir / name)
            names.append(f"{GRAPHS_DIR}/{name}")
        members[syntax.name] = names
        # Sizes add up; a checksum would cost reading the whole corpus at every release, so none is stated.
        rows = [part.summary["files"][syntax.name] for part in parts]
        whole_dumps.append(DumpFile(WHOLE_KEY, syntax, f"dumps/{WHOLE_KEY}.{syntax.extension}",
                                    sum(row["bytes"] for row in rows), None,
                                    sum(row["gzip"]["bytes"] for row in rows), None))
    all_dumps += whole_dumps
    laps.lap("files")

    # The catalogue: its frame (the catalogue, the whole dataset, the service, the series) made here, each
    # dataset's description taken from its part; every triple once, as pyoxigraph writes N-Triples lines.
    whole_stats = _whole_stats(parts)
    laps.lap("void")
    frame = catalog_graph(settings, entries, whole_stats, tuple(whole_dumps), describe_datasets=False)
    frame_lines = sorted(set(ntriples_lines(frame.serialize(format="nt", encoding="utf-8"))))
    del frame, entries  # (rdflib's graph of the frame, ≈ 1 KB a triple, grows with the release: not kept for the
    # store's load, which follows)
    laps.lap("frame")
    scratch = Path(tempfile.mkdtemp(prefix=".catalogue-", dir=release_dir))  # merge runs, the undated catalogue
    try:
        # The catalogue graph: the frame's lines and every disclosure's (each part's file sorted), merged in order
        # and each line once, streamed (it grows ~55 KB a disclosure): as N-Quads, gzip (what the store holds, and
        # the version hashes) and as N-Triples in the scratch folder (the store's default graph).
        in_catalog = f" <{minter.catalog_graph()}> .".encode()
        undated = scratch / "catalog.nt"
        catalog_digest = hashlib.sha256()
        catalog_lines = catalog_bytes = 0
        packed = release_dir / f".{CATALOG_NQ}.tmp"
        with open(undated, "wb") as nt_out, open(packed, "wb") as raw, \
                igzip.IGzipFile(filename="", mode="wb", compresslevel=GZIP_LEVEL, fileobj=raw, mtime=0) as nq_out:
            lines = merged_lines([part.folder / CATALOG_PART for part in disclosures], frame_lines, scratch)
            while batch := list(islice(lines, 4096)):  # (written a few thousand lines at a time: 3× faster)
                quads = b"".join(line[:-2] + in_catalog + b"\n" for line in batch)
                nq_out.write(quads)
                catalog_digest.update(quads)
                catalog_lines += len(batch)
                catalog_bytes += len(quads)
                nt_out.write(b"".join(line + b"\n" for line in batch))
        os.replace(packed, release_dir / CATALOG_NQ)
        # The catalogue files harvesters fetch also say when this release was issued. Only the files: the catalogue
        # graph the store holds (and so the version) stays free of dates, and a rebuild of the same data keeps the
        # release, and the date, it had.
        day = ox.Literal(built.date().isoformat(), datatype=ox.NamedNode(str(XSD.date)))
        catalog_iri = ox.NamedNode(str(minter.catalog()))
        dates = sorted(written(ox.serialize(
            [ox.Triple(catalog_iri, ox.NamedNode(str(DCTERMS.issued)), day),
             ox.Triple(catalog_iri, ox.NamedNode(str(DCTERMS.modified)), day)],
            format=ox.RdfFormat.N_TRIPLES)).splitlines())
        # The store gives literals back in canonical form (nonNegativeInteger → integer), which DCAT-AP refuses:
        # the catalogue is served from this file, exactly as written.
        write_catalog_files(release_dir, merged_lines([undated], dates, scratch))
        # The version names the data: every part's N-Quads (each part's file is its graphs' canonical, sorted
        # quads) and the catalogue graph, by their SHA-256, so it is worked out without reading the corpus.
        digest = hashlib.sha256()
        for part in parts:
            digest.update(f"{part.summary['files']['nq']['sha256']}\n".encode())
        digest.update(catalog_digest.hexdigest().encode())
        version = digest.hexdigest()[:16]
        laps.lap("catalogue")

        graph_sizes: dict[str, int] = {}
        for part in parts:
            graph_sizes.update(part.summary["graphs"])
        graph_sizes[str(minter.catalog_graph())] = catalog_lines
        graph_sizes = dict(sorted(graph_sizes.items()))
        store_dir = release_dir / "store"

        def store() -> None:
            try:
                with stage("release.store"):
                    if previous is None or not update_store(store_dir, previous, disclosures, graphs,
                                                            release_dir / CATALOG_NQ):
                        shutil.rmtree(store_dir, ignore_errors=True)
                        load_store(store_dir, None, [*(part.file("nt") for part in parts), undated], b"",
                                   [*(part.file("nq") for part in parts), release_dir / CATALOG_NQ], b"")
            finally:
                shutil.rmtree(scratch, ignore_errors=True)

        def search() -> None:  # search.sqlite (the search box and the indexes read it)
            with stage("release.search"):
                if all((part.folder / SEARCH_PART).is_file() for part in parts):  # from what each part holds
                    index_parts(release_dir / SEARCH_DB, dataset_rows,
                                (json.loads((part.folder / SEARCH_PART).read_bytes()) for part in parts))
                else:  # parts written before they held it: from the store, once it is written
                    for job in jobs[:1]:  # (the store's)
                        job.result()
                    index_release(release_dir, dataset_rows)

        # The store (pyoxigraph's loader and RocksDB) and the search index (sqlite) let go of the GIL: each is
        # written on a thread of its own beside what follows, when the caller waits for them (``background``).
        jobs: list[Future[None]] = []
        for job in (store, search):
            if background is None:
                job()
            else:
                beside = ThreadPoolExecutor(max_workers=1, thread_name_prefix=job.__name__)
                jobs.append(beside.submit(job))
                background.append(jobs[-1])
                beside.shutdown(wait=False)
        laps = Laps("release")

        manifest: dict[str, Any] = {
            "version": version,
            "build_time": built.isoformat(),
            "generator": f"kg-publisher {__version__}",
            "base_iri": settings.base_iri,
            "triples": sum(graph_sizes.values()),
            # The whole graph, the catalogue with it (Release.open_nquads): gzip files read one after the other. No
            # checksum: the version is a hash of the parts' checksums, not of these bytes.
            "kg": {"members": [*members[NQUADS.name], CATALOG_NQ],
                   "bytes": next(d for d in whole_dumps if d.syntax == NQUADS).byte_size + catalog_bytes},
            "graphs": graph_sizes,
            "catalog_graph": str(minter.catalog_graph()),
            "vocabulary_graph": str(minter.vocabulary_graph()),
            "datasets": dataset_rows,
            "dumps": [{
                "dataset": dump.key, "format": dump.syntax.name, "media_type": dump.syntax.media_type,
                "path": dump.path, "bytes": dump.byte_size, "sha256": dump.sha256,
                "gzip": {"path": dump.path + ".gz", "bytes": dump.gzip_byte_size, "sha256": dump.gzip_sha256},
                **({"members": members[dump.syntax.name]} if dump.key == WHOLE_KEY else {}),
            } for dump in all_dumps],
            "tables": all_tables,
            # what the next release reads to update the store instead of loading it again (update_store)
            "parts": {part.summary["info"]["key"]: part.summary["dumps"]["nq"]["sha256"] for part in disclosures},
            "graph_parts": [part.summary["files"]["nq"]["sha256"] for part in graphs],
        }
        write_manifest(release_dir / MANIFEST, manifest)
        laps.lap("manifest")
        return manifest
    finally:
        if not background:
            shutil.rmtree(scratch, ignore_errors=True)  # (else the store's loader removes it when done)


def write_catalog_files(release_dir: Path, lines: Iterable[bytes]) -> None:
    """Write the catalogue files: ``catalog.nt`` from ``lines`` (N-Triples lines as pyoxigraph writes them, sorted,
    each once; they may be read from the ``catalog.nt`` being replaced). Streamed: the catalogue grows with the
    release. (No whole-catalogue Turtle is written: what is served is in pages, ``catalog-pages/``.)"""
    temporary = release_dir / f".{CATALOG_NT}.tmp"
    lines = iter(lines)
    with open(temporary, "wb") as out:
        while batch := list(islice(lines, 4096)):
            out.write(b"".join(line + b"\n" for line in batch))
    os.replace(temporary, release_dir / CATALOG_NT)


#: Files a merge reads at once; more are merged a group at a time into runs first.
MERGE_FILES = 256


def _file_lines(path: Path, offset: int = 0) -> Iterator[bytes]:
    """The lines of the file ``path`` from byte ``offset`` on, without their line ends, as they are read (a
    ``.gz`` file decompressed)."""
    with igzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb") as handle:
        if offset:
            handle.seek(offset)
        for line in handle:
            yield line.rstrip(b"\n")


def _sorted_lines_starting(data: mmap.mmap, prefix: bytes) -> Iterator[bytes]:
    """The lines of ``data`` (lines sorted bytewise, each ending in a line feed) that start with ``prefix``: they
    follow one another from the first line not below ``prefix``, found by bisection."""
    low, high = 0, len(data)  # every line starting before low is below prefix; the line at high is not
    while low < high:
        start = data.rfind(b"\n", 0, (low + high) // 2) + 1  # the line holding the middle byte
        end = data.find(b"\n", start)
        end = len(data) if end == -1 else end
        if data[start:end] < prefix:
            low = end + 1
        else:
            high = start
    while low < len(data):
        end = data.find(b"\n", low)
        end = len(data) if end == -1 else end
        line = data[low:end]
        if not line.startswith(prefix):
            return
        yield line
        low = end + 1


def _distinct(sources: Iterable[Iterable[bytes]]) -> Iterator[bytes]:
    last = None
    for line in heapq.merge(*sources):
        if line != last:
            yield line
            last = line


def merged_lines(paths: Sequence[Path], extra: Iterable[bytes], scratch: Path) -> Iterator[bytes]:
    """The lines of the files ``paths`` and of ``extra`` (each sorted), in order, each once: what sorting their
    union gives, without holding it (runs of :data:`MERGE_FILES` files are merged into ``scratch`` first)."""
    runs = list(paths)
    while len(runs) > MERGE_FILES:
        merged = []
        for start in range(0, len(runs), MERGE_FILES):
            handle, name = tempfile.mkstemp(prefix="run-", dir=scratch)
            with os.fdopen(handle, "wb") as out:
                for line in _distinct(_file_lines(path) for path in runs[start:start + MERGE_FILES]):
                    out.write(line + b"\n")
            merged.append(Path(name))
        runs = merged
    yield from _distinct([extra, *(_file_lines(path) for path in runs)])


def _replace(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def build_time() -> datetime:
    """When this release is built (UTC, whole seconds): the manifest's ``build_time``, the catalogue's dates."""
    return datetime.now(UTC).replace(microsecond=0)


#: Bytes of input one bulk load reads at most (pyoxigraph's bulk loader holds ≈ 4.5× its input in memory: a process
#: peaked at 366 MB with 64 MB, 1.25 GB with 256 MB; bench/README.md "Release step").
LOAD_CHUNK = 64 << 20


def _chunks(paths: Iterable[Path], tail: bytes = b"") -> Iterator[io.BufferedReader]:
    """The files ``paths`` then ``tail`` as streams of at most :data:`LOAD_CHUNK` bytes each (a larger file alone),
    each file whole in one stream (a part's blank nodes stay in one load)."""
    group: list[Path] = []
    size = 0
    for path in paths:
        length = _plain_size(path)
        if group and size + length > LOAD_CHUNK:
            yield io.BufferedReader(_Chain(group))
            group, size = [], 0
        group.append(path)
        size += length
    if group or tail:
        yield io.BufferedReader(_Chain(group, tail))


def _plain_size(path: Path) -> int:
    """The bytes a bulk load reads from ``path``: its size, or for a gzip file the size its trailer states (of its
    last member: the whole file's when it has one member, as the parts' files have)."""
    if path.suffix != ".gz":
        return path.stat().st_size
    with open(path, "rb") as handle:
        handle.seek(-4, os.SEEK_END)
        return int.from_bytes(handle.read(4), "little")


def load_store(store_dir: Path, nquads: Path | None, ntriples: Iterable[Path] = (), tail: bytes = b"",
               nquads_parts: Sequence[Path] | None = None, nquads_tail: bytes = b"") -> None:
    """Load a release's N-Quads into a pyoxigraph store whose default graph is the RDF merge of its named graphs.

    Engines that offer a "union default graph" (pyoxigraph's ``use_default_graph_as_union``, Oxigraph server's
    ``--union-default-graph``, Fuseki's ``unionDefaultGraph``) answer a triple once per graph holding it, so
    ``COUNT(*)`` and ``SUM`` over the default graph count shared triples (code lists, organisations, the
    catalogue's copy of a dataset's title) twice. Stating the default graph as its own set of triples gives
    set semantics on every engine; a store is a set, so each triple is kept once whatever graphs repeat it.
    The default graph is read from ``ntriples`` then ``tail`` (the same triples as N-Triples) when given, else
    from ``nquads`` again. ``nquads_parts`` then ``nquads_tail``, when given, are ``nquads`` in pieces (the parts'
    files and the catalogue): both are loaded a few parts at a time, so the loader's memory does not grow with
    the release (a ``.gz`` file is read decompressed).
    """
    store = ox.Store(str(store_dir))
    if nquads_parts is None:
        assert nquads is not None, "the N-Quads are given whole or in parts"
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    else:
        for chunk in _chunks(nquads_parts, nquads_tail):
            store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)
    ntriples = list(ntriples)
    if ntriples or tail:
        for chunk in _chunks(ntriples, tail):
            store.bulk_load(chunk, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    else:
        assert nquads is not None, "the default graph is read from N-Triples or from the N-Quads again"
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                          for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))
    store.optimize()
    store.flush()
    del store


#: The previous store is updated when at most this share of the disclosures, or this many, changed (else the store
#: is loaded whole).
UPDATE_SHARE, UPDATE_AT_LEAST = 0.2, 2


def update_store(store_dir: Path, previous: Path, disclosures: list[Part], graphs: list[Part],
                 catalog_nq: Path) -> bool:
    """Make ``store_dir`` the previous release's store updated to this one: a copy of it (a RocksDB checkpoint:
    hard links where it can) in which the quads of the disclosures that changed, came or went, and of the
    catalogue, are taken out or put in (the difference of their N-Quads lines), the default graph (the merge of
    the named graphs) kept in step. False, with nothing written, when the previous release cannot be updated so:
    another vocabulary or shapes graph, a release made before releases listed their parts, more than
    :data:`UPDATE_SHARE` of the disclosures (and more than :data:`UPDATE_AT_LEAST`) changed.
    """
    try:
        before = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    old_parts = before.get("parts")
    old_catalog_lines = _catalog_graph_lines(previous, before)
    if (not isinstance(old_parts, dict) or old_catalog_lines is None
            or before.get("graph_parts") != [part.summary["files"]["nq"]["sha256"] for part in graphs]
            or not (previous / "store").is_dir()):
        return False
    new = {part.summary["info"]["key"]: part for part in disclosures}
    changed = [key for key, part in new.items() if old_parts.get(key) != part.summary["dumps"]["nq"]["sha256"]]
    gone = [key for key in old_parts if key not in new]
    if len(changed) + len(gone) > max(UPDATE_AT_LEAST, UPDATE_SHARE * len(new)):
        return False
    # the catalogue: both sorted, compared as they are read (it grows with the release); the parts whole
    removed, added = _differences(old_catalog_lines, _file_lines(catalog_nq))
    pairs = []
    for key in [*changed, *gone]:
        old = set(read_stored(previous / "dumps" / f"{key}.nq").splitlines()) if key in old_parts else set()
        pairs.append((old, set(read_stored(new[key].file("nq")).splitlines()) if key in new else set()))
    for old, now in pairs:
        removed |= old - now
        added |= now - old
    ox.Store.read_only(str(previous / "store")).backup(str(store_dir))
    store = ox.Store(str(store_dir))
    gone_quads = _parsed(removed - added)
    new_quads = _parsed(added - removed)
    for quad in gone_quads:
        store.remove(quad)
    store.extend(new_quads)
    default = ox.DefaultGraph()
    for quad in gone_quads:  # out of the default graph when no named graph holds the triple any more
        if not any(not isinstance(other.graph_name, ox.DefaultGraph)
                   for other in store.quads_for_pattern(quad.subject, quad.predicate, quad.object)):
            store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, default))
    store.extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in new_quads)
    store.flush()
    del store
    return True


def read_stored(path: Path) -> bytes:
    """The bytes of the file ``path``, stored as it is or gzip-compressed beside it (``path`` + ``.gz``); a
    ``.gz`` path: its bytes decompressed."""
    if path.suffix == ".gz":
        return igzip.decompress(path.read_bytes())
    if path.is_file():
        return path.read_bytes()
    return igzip.decompress(path.with_name(path.name + ".gz").read_bytes())


def _catalog_graph_lines(release_dir: Path, manifest: dict[str, Any]) -> Iterator[bytes] | None:
    """The N-Quads lines of the catalogue graph the store of a release holds, in order, as they are read; None
    when they cannot be found."""
    if (release_dir / CATALOG_NQ).is_file():
        return _file_lines(release_dir / CATALOG_NQ)
    offset = manifest.get("kg", {}).get("catalog_offset")  # releases written with a kg.nq file
    if not isinstance(offset, int) or not (release_dir / "kg.nq").is_file():
        return None
    return _file_lines(release_dir / "kg.nq", offset)


def _differences(old: Iterator[bytes], new: Iterator[bytes]) -> tuple[set[bytes], set[bytes]]:
    """The lines only in ``old`` and the lines only in ``new``, both sorted (a merge: neither is held)."""
    removed: set[bytes] = set()
    added: set[bytes] = set()
    was, now = next(old, None), next(new, None)
    while was is not None or now is not None:
        if now is None or (was is not None and was < now):
            removed.add(was)  # type: ignore[arg-type]
            was = next(old, None)
        elif was is None or now < was:
            added.add(now)
            now = next(new, None)
        else:
            was, now = next(old, None), next(new, None)
    return removed, added


def _parsed(lines: Iterable[bytes]) -> list[ox.Quad]:
    return list(ox.parse(b"".join(line + b"\n" for line in sorted(lines)), format=ox.RdfFormat.N_QUADS))


@dataclass(frozen=True)
class Release:
    """A written release, opened for reading (the server resolves ``DIR/current`` once, at start)."""

    path: Path
    manifest: Mapping[str, Any]

    @classmethod
    def open(cls, path: Path) -> Release:
        """Open a release folder, or a build folder holding ``current``."""
        path = Path(path)
        if (path / "current").exists():
            path = path / "current"
        path = path.resolve()
        try:
            manifest = Manifest.read(path / MANIFEST)  # its large lists are parsed when first read
        except FileNotFoundError:
            raise BuildError(f"{path}: holds no release ({MANIFEST} is missing)") from None
        except OSError as exc:
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

    @cached_property
    def _dumps(self) -> dict[str, dict[str, Any]]:
        rows = {}
        for row in self.manifest["dumps"]:
            rows[row["path"]] = rows[row["gzip"]["path"]] = row
        return rows

    def dump(self, file_name: str) -> dict[str, Any] | None:
        """The manifest row of a dump file (``all.nq``, ``{key}.ttl`` … or its ``.gz`` twin), or None."""
        return self._dumps.get(f"dumps/{file_name}")

    def dump_members(self, row: dict[str, Any]) -> list[Path] | None:
        """The gzip files whose bytes, one after the other, are the ``.gz`` file of the dump ``row``; None when
        that file is stored whole (releases written before the whole-release dumps were streamed)."""
        if "members" in row:
            return [self.path / name for name in row["members"]]
        return None

    def dump_chunks(self, row: dict[str, Any], zipped: bool) -> Iterator[bytes]:
        """The bytes of the dump ``row`` (gzip-compressed with ``zipped``), read a piece at a time from what the
        release stores: its ``.gz`` file or members, decompressed when the plain file is not stored."""
        members = self.dump_members(row)
        plain = self.path / row["path"]
        if members is None:
            members = [self.path / row["gzip"]["path"]]
            if not zipped and plain.is_file():
                members, zipped = [plain], True  # stored as it is sent
        for path in members:
            with (open(path, "rb") if zipped else gzip.open(path, "rb")) as handle:
                while chunk := handle.read(1 << 20):
                    yield chunk

    def open_nquads(self) -> IO[bytes]:
        """The whole graph of the release, the catalogue graph with it, as one N-Quads stream (what ``kg.nq``
        held): the disclosures' graphs by key, the vocabulary, the shapes, the catalogue."""
        kg = self.manifest.get("kg", {})
        if "members" not in kg:
            return open(self.path / "kg.nq", "rb")
        return io.BufferedReader(_Chain([self.path / name for name in kg["members"]]))

    def table(self, file_name: str) -> dict[str, Any] | None:
        """The manifest row of a disclosure's spreadsheet (``{key}.csv``, ``{key}.xlsx``), or None."""
        return next((row for row in self.manifest.get("tables", []) if row["path"] == f"dumps/{file_name}"), None)

    def source_text(self, sha256: str) -> str | None:
        """The NFC source text spans point into (None when not in this release)."""
        if not all(c in "0123456789abcdef" for c in sha256) or len(sha256) != 64:
            return None
        path = self.path / "sources" / f"{sha256}.txt"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def catalog_triples(self, starting: tuple[str, ...] = ()) -> list[ox.Triple]:
        """The catalogue graph as written at build time (literals exactly as published); with ``starting``, only
        the triples whose N-Triples line starts with one of those texts (``<subject>`` or ``<subject> <predicate>``).
        ``catalog.nt``'s lines are sorted, so the lines starting with a text are one run, found by bisection: a
        few reads whatever the size (the file grows ~55 KB a disclosure; scanning it for a few lines cost every
        worker's start 0.43 s at 1,000 disclosures)."""
        path = self.path / CATALOG_NT
        if not path.is_file():
            return []
        if not starting:
            return [quad.triple for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)]
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                return []
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                chosen = b"".join(line + b"\n" for text in sorted(set(starting))
                                  for line in _sorted_lines_starting(data, text.encode("utf-8")))
        return [quad.triple for quad in ox.parse(chosen, format=ox.RdfFormat.N_TRIPLES)]

    def dataset(self, key: str) -> dict[str, Any] | None:
        return next((row for row in self.manifest["datasets"] if row["key"] == key), None)


__all__ = ["MANIFEST", "Part", "Release", "assemble_release", "write_release"]


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
