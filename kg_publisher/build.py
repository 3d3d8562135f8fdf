"""One build: sources → records → graphs → validation → a published release.

The build is atomic: everything is written into a fresh release directory, and only when it is
complete is ``OUT/current`` switched to it (a symlink replaced with ``os.replace``). A document
that cannot be read is reported and skipped; a document whose graph has SHACL *violations* is
reported and not published (its findings still go into ``OUT/rejected/<key>.report.ttl``);
source faults (*warnings*) are published with the data as its quality report.

Unchanged documents are not rebuilt: each document's result is cached under ``OUT/cache/``
keyed by the SHA-256 of its bytes and a fingerprint of everything that shapes the result
(package code, ontology, shapes, registries, base IRI).
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from isal import igzip
from rdflib import Graph, URIRef

from . import __version__
from .errors import BuildError, KgPublisherError, OutputError, SourceError
from .extract.readers import READERS, read_source
from .files import write_bytes_atomic, writing
from .iris import IriMinter
from .ntriples import free_graph, graph_ntriples, merged_ntriples
from .package_data import fingerprint_files
from .publish.catalog import KIND_TITLES
from .publish.catalog_pages import write_catalogue_pages, written_pages
from .publish.document import (
    GZIP_LEVEL,
    PART_JSON,
    REPORT,
    report_turtle,
    write_disclosure_part,
    write_graph_part,
)
from .publish.model import DisclosureInfo
from .publish.release import Part, Release, assemble_release
from .publish.versions import kept_releases, prune_releases, publish_version
from .rdf import disclosure_graph, vocabulary_graph
from .rdf.codelists import classification_graph, printed_codes, shared_classification_graph
from .rdf.crossyear import cross_year_graph
from .records.crossyear import YearFigures, compare
from .records.parse import parse_disclosure
from .registry import Registry
from .settings import Settings
from .timing import Laps, stage
from .validate import ValidationOutcome, add_findings, compiled_shapes, quality_graph, validate_graph
from .vocab import bind_prefixes

#: What the two passes over the documents do (the label of their progress bars): extract, map and validate each
#: document not cached yet; write what a release publishes of each (its part) not cached yet.
PROGRESS_LABELS = ("documents", "outputs")
#: How the build validates (named in every published quality report).
CHECKED_WITH = "kg-publisher compiled shapes, the results pyshacl gives"

@dataclass
class DocumentResult:
    """What happened to one source document."""

    path: Path
    status: str  # published | rejected (violations) | failed (unreadable)
    key: str | None = None
    violations: int = 0
    warnings: int = 0
    notes: int = 0
    cached: bool = False
    message: str = ""
    #: Why the cached result could not be used (it was rebuilt from source); empty when it was fine or absent.
    cache_damage: str = ""


@dataclass
class BuildResult:
    out_dir: Path
    release_dir: Path | None
    documents: list[DocumentResult] = field(default_factory=list)
    manifest: dict[str, object] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 all published (warnings allowed), 1 some violations, 2 some document unreadable."""
        if any(doc.status == "failed" for doc in self.documents):
            return 2
        if any(doc.status == "rejected" for doc in self.documents):
            return 1
        return 0


def discover_sources(paths: Sequence[str | Path]) -> list[Path]:
    """Expand folders into the disclosure files they hold (sorted); check that each path exists."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in READERS)
            if not files:
                accepted = ", ".join(sorted(READERS))
                raise SourceError(f"{path}: folder holds no disclosure files", f"Put files of type {accepted} in it.")
            found.extend(files)
        elif path.exists():
            found.append(path)
        else:
            raise SourceError(f"{path}: no such file or folder", "Check the path given to `build`.")
    return found


@cache
def _fingerprint(base_iri: str) -> str:
    """Everything besides the source bytes that shapes a document's result."""
    digest = hashlib.sha256(f"{__version__}|{base_iri}".encode())
    for name, path in fingerprint_files():
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class _DamagedEntry(Exception):
    """A cache entry that exists but cannot be trusted (truncated, edited, unreadable): rebuild from source."""


#: The index of a cache folder: every other file's byte size, SHA-256 and modification time.
INDEX = "entry.json"


def _seal(staging: Path, final: Path) -> None:
    """Index every file of ``staging`` (:data:`INDEX`) and rename it to ``final`` (replacing it), so a folder of the
    cache is always whole."""
    index = {}
    for path in sorted(staging.iterdir()):
        if path.is_file():
            data = path.read_bytes()
            index[path.name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                                "mtime_ns": path.stat().st_mtime_ns}
    (staging / INDEX).write_text(json.dumps(index, indent=1), encoding="utf-8")
    shutil.rmtree(final, ignore_errors=True)
    os.replace(staging, final)


def _check(folder: Path, required: Iterable[str] = ()) -> bool:
    """Whether every file :data:`INDEX` lists is as written. A file of the same size and modification time is
    taken as written; any other is checked against its SHA-256 (True is returned then, so the caller also parses
    what it reads). Raises :class:`_DamagedEntry` saying what is wrong."""
    try:
        index = json.loads((folder / INDEX).read_bytes())
    except (OSError, ValueError) as exc:
        raise _DamagedEntry(f"unreadable ({exc.__class__.__name__}: {exc})") from None
    if not isinstance(index, dict):
        raise _DamagedEntry(f"{INDEX}: not an index")
    changed = False
    for name in {*index, *required}:
        expected = index.get(name)
        if not isinstance(expected, dict) or not isinstance(expected.get("bytes"), int):
            raise _DamagedEntry(f"{name}: not listed in {INDEX}")
        path = folder / name
        try:
            stat = path.stat()
            if not path.is_file():
                raise _DamagedEntry(f"{name}: unreadable (not a file)")
            if stat.st_size != expected["bytes"]:
                change = "truncated" if stat.st_size < expected["bytes"] else "grown"
                raise _DamagedEntry(f"{name}: {change} ({stat.st_size} bytes where {expected['bytes']} were written)")
            if stat.st_mtime_ns != expected.get("mtime_ns"):
                changed = True
                if expected.get("sha256") != hashlib.sha256(path.read_bytes()).hexdigest():
                    raise _DamagedEntry(f"{name}: checksum mismatch")
        except OSError as exc:
            raise _DamagedEntry(f"unreadable ({exc.__class__.__name__}: {exc})") from None
    return changed


class _Cache:
    """Per-document results on disk, each in a folder written whole (a temporary folder renamed into place)
    holding :data:`INDEX`: the byte size, SHA-256 and modification time of every other file in it.

    A document's entry holds its graph and quality report as N-Triples, its source text, its records and
    ``meta.json``; inside it, each *part* (``part-<id>/``, :mod:`kg_publisher.publish.document`) is what a release
    publishes of the document, for one context (the disclosure of the year before it is compared with, the
    source's file name). An entry or part that fails the checks of :func:`_check`, or does not parse, is never
    used: the document is rebuilt from source and the entry replaced.
    """

    FILES = ("graph.nt.gz", "quality.nt.gz", "meta.json", "source.txt", "records.json")
    #: The graphs as N-Triples, gzip-compressed by ISA-L (≈ 16× smaller; ≈ 0.6 ms a MB, reading back 0.5: zlib's
    #: level 3 took 3.4 and 1.2).
    GRAPHS_NT = ("graph.nt.gz", "quality.nt.gz")
    #: Metadata every entry must hold.
    META_KEYS = ("key", "dataset", "organization", "title", "department", "year", "kind", "region",
                 "violations", "warnings", "notes", "cross_year", "printed", "source")

    #: The folder of the parts of whole graphs (``vocabulary-<digest>-<fingerprint>``, ``shapes-<fingerprint>``).
    GRAPHS = "graphs"

    def __init__(self, out_dir: Path, base_iri: str) -> None:
        self.dir = out_dir / "cache"
        self.base_iri = base_iri
        self.fingerprint = _fingerprint(base_iri)

    def entry(self, sha256: str) -> Path:
        return self.dir / f"{sha256[:32]}-{self.fingerprint}"

    def meta(self, sha256: str) -> dict[str, Any] | None:
        """The metadata of the entry of the source with ``sha256``; None when there is none; :class:`_DamagedEntry`
        when it is damaged."""
        entry = self.entry(sha256)
        if not entry.is_dir():
            return None
        changed = _check(entry, self.FILES)
        try:
            meta = json.loads((entry / "meta.json").read_bytes())
            missing = [key for key in self.META_KEYS if key not in meta]
            if missing:
                raise ValueError(f"meta.json lacks {', '.join(missing)}")
            if changed:
                for name in self.GRAPHS_NT:
                    for _ in ox.parse(igzip.decompress((entry / name).read_bytes()), format=ox.RdfFormat.N_TRIPLES):
                        pass
        except Exception as exc:  # JSON and N-Triples readers raise several unrelated types
            raise _DamagedEntry(f"does not parse ({exc.__class__.__name__}: {exc})") from None
        return dict(meta)

    def store(self, sha256: str, meta: dict[str, object], graph_nt: bytes, quality: Graph, text: str,
              records_json: str) -> None:
        """The entry of a document: its graph as N-Triples (:func:`graph_ntriples`), its quality report …"""
        self.dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".entry-", dir=self.dir))
        try:
            for name, content in (("graph.nt.gz", _packed(graph_nt)),
                                  ("quality.nt.gz", _packed(graph_ntriples(quality))),
                                  ("meta.json", json.dumps(meta, ensure_ascii=False).encode("utf-8")),
                                  ("source.txt", text.encode("utf-8")),
                                  ("records.json", records_json.encode("utf-8"))):
                write_bytes_atomic(staging / name, content)
            _seal(staging, self.entry(sha256))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def ntriples(self, sha256: str) -> tuple[bytes, bytes]:
        """The graph and the quality report of the entry of ``sha256``, as N-Triples."""
        entry = self.entry(sha256)
        return tuple(igzip.decompress((entry / name).read_bytes()) for name in self.GRAPHS_NT)  # type: ignore[return-value]

    def part(self, sha256: str, part_id: str) -> Path:
        return self.entry(sha256) / f"part-{part_id}"

    def graph_part(self, name: str) -> Path:
        return self.dir / self.GRAPHS / f"{name}-{self.fingerprint}"

    def prune(self, used: dict[Path, set[str]], graph_parts: Iterable[Path]) -> None:
        """Drop entries made by other code or settings (another fingerprint): they can never be hit; the parts of
        the entries ``used`` other than the ones used, and graph parts other than ``graph_parts``. Also drops
        ``.entry-*`` folders an interrupted build left half-written."""
        if not self.dir.is_dir():
            return
        keep = {path.name for path in graph_parts}
        for entry in self.dir.iterdir():
            if entry.name == self.GRAPHS:
                for part in entry.iterdir():
                    if part.name not in keep:
                        shutil.rmtree(part, ignore_errors=True)
            elif not entry.name.endswith(f"-{self.fingerprint}") or entry.name.startswith("."):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
        for entry, parts in used.items():
            for folder in entry.glob("part-*"):
                if folder.name.removeprefix("part-") not in parts:
                    shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class _Doc:
    """What processing one source gave: its entry's metadata, or why it failed."""

    path: Path
    sha256: str
    meta: dict[str, Any] | None
    cached: bool = False
    damage: str = ""
    message: str = ""


def _packed(ntriples: bytes) -> bytes:
    """N-Triples as the cache stores them: gzip, the same bytes on every build (mtime 0)."""
    return igzip.compress(ntriples, compresslevel=GZIP_LEVEL, mtime=0)


def _source_sha256(path: Path) -> str:
    """SHA-256 of a source's bytes (the cache key); an unreadable or unsupported file raises what
    :func:`read_source` says about it."""
    if path.suffix.lower() not in READERS:
        read_source(path)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        read_source(path)
        raise


def _make_entry(path: Path, sha256: str, base_iri: str, out: Path, damage: str = "") -> _Doc:
    """Extract, map and validate one source into its cache entry (in a worker process, or in the build's)."""
    minter, registry, vocabulary = _worker_context(base_iri)
    cache_ = _Cache(out, base_iri)
    try:
        source = read_source(path)
        disclosure = parse_disclosure(source)
        org = registry.resolve(disclosure.info.department)
    except OutputError:
        raise
    except KgPublisherError as exc:
        return _Doc(path, sha256, None, damage=damage, message=str(exc))
    graph = disclosure_graph(disclosure, minter, org, __version__)
    info = disclosure.info
    key = minter.dataset_key(org.slug, info.year, info.kind)
    dataset = minter.dataset(org.slug, info.year, info.kind)
    printed = printed_codes(graph)
    graph_nt = graph_ntriples(graph)  # written once: the cache entry's, and what the SPARQL constraints query
    # two graphs, not their union: the vocabulary is indexed once per process, not copied per document
    outcome: ValidationOutcome = validate_graph(graph, (vocabulary, _classifications(info.year, printed)),
                                                engine="compiled", ntriples=graph_nt)
    quality = quality_graph(outcome, dataset, checked_with=CHECKED_WITH)
    zh_kind, _ = KIND_TITLES[info.kind]
    meta: dict[str, Any] = {
        "key": key, "dataset": str(dataset), "organization": str(minter.organization(org.slug)),
        "title": info.title or f"{info.department}{info.year}年{zh_kind}",
        "department": info.department, "year": info.year, "kind": info.kind, "region": info.region,
        "violations": outcome.violations, "warnings": outcome.warnings, "notes": outcome.infos,
        "cross_year": YearFigures.of(disclosure).to_json_dict(), "printed": printed,
        "source": {"sha256": source.sha256, "media_type": source.media_type, "byte_size": source.byte_size},
    }
    cache_.store(sha256, meta, graph_nt, quality, source.text, disclosure.to_json())
    free_graph(graph)
    return _Doc(path, sha256, meta, damage=damage)


def _classifications(year: int, printed: dict[str, list[Any]]) -> Graph:
    """The year's classification schemes, extended by the codes a document prints: one graph, kept for the
    process, per year and set of codes the printing adds (most documents add none and share the year's graph and
    its index in the compiled shapes). Shared: never changed."""
    return shared_classification_graph(year, printed)


def _part_id(source_name: str, earlier: dict[str, Any] | None, settings: Settings) -> str:
    """What a disclosure's part depends on besides its entry: its file name, the year before it is compared with,
    the settings (its catalogue entry names the publisher, the licence …)."""
    return hashlib.sha256(json.dumps([source_name, earlier, dict(settings.values)], sort_keys=True,
                                     ensure_ascii=False, default=str).encode()).hexdigest()[:16]


#: Besides part.json: what cross-year checks added to a part's counts of findings.
_ADDED = "added.json"


def _make_part(doc: _Doc, earlier: dict[str, Any] | None, settings: Settings, out: Path) -> Path:
    """Write the part of a published document (its outputs for a release) into its entry; its folder.

    ``earlier`` is the disclosure of the year before (its dataset, year and :class:`YearFigures`): the checks of
    this disclosure's statements about that year go into its graph, their findings into its quality report.
    """
    assert doc.meta is not None
    base_iri = settings.base_iri
    cache_ = _Cache(out, base_iri)
    _, _, vocabulary = _worker_context(base_iri)
    meta, entry = doc.meta, cache_.entry(doc.sha256)
    facts, quality = cache_.ntriples(doc.sha256)
    added = {"warnings": 0, "notes": 0}
    if earlier is not None:
        checks = compare(YearFigures.from_json_dict(meta["cross_year"]),
                         YearFigures.from_json_dict(earlier["figures"]))
        if checks:
            dataset = URIRef(meta["dataset"])
            graph = cross_year_graph(checks, dataset, URIRef(earlier["dataset"]), earlier["year"])
            outcome = validate_graph(graph, vocabulary, engine="compiled")
            facts = merged_ntriples(facts, graph_ntriples(graph))
            report = Graph().parse(data=quality, format="nt")
            add_findings(report, outcome, dataset)
            quality = graph_ntriples(report)
            added = {"warnings": outcome.warnings, "notes": outcome.infos}
    minter = IriMinter(base_iri)
    source = meta["source"]
    info = DisclosureInfo(
        key=meta["key"], dataset=meta["dataset"], graph_name=str(minter.graph(meta["key"])),
        quality_graph_name=str(minter.quality_graph(meta["key"])), title=meta["title"],
        department=meta["department"], organization=meta["organization"], year=meta["year"], kind=meta["kind"],
        region=meta["region"], violations=meta["violations"], warnings=meta["warnings"] + added["warnings"],
        source_name=doc.path.name, source_sha256=source["sha256"], source_media_type=source["media_type"],
        source_byte_size=source["byte_size"])
    staging = Path(tempfile.mkdtemp(prefix=".part-", dir=entry))
    final = cache_.part(doc.sha256, _part_id(doc.path.name, earlier, settings))
    try:
        # (the entry's source text and records are the part's too: hard links, one copy)
        write_disclosure_part(staging, info, facts, quality, entry / "source.txt", entry / "records.json", settings,
                              ordered=True)
        (staging / _ADDED).write_text(json.dumps(added), encoding="utf-8")
        _seal(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


def _read_part(folder: Path) -> Part | None:
    """The part in ``folder`` when it is whole, else None (it is written again)."""
    if not folder.is_dir():
        return None
    try:
        changed = _check(folder, (PART_JSON, _ADDED))
        part = Part.read(folder)
        if changed:
            json.loads((folder / _ADDED).read_bytes())
    except (_DamagedEntry, OSError, ValueError):
        return None
    return part


def document_graphs(path: Path, base_iri: str = "https://w3id.org/cn-budget-kg/") -> tuple[Graph, tuple[Graph, Graph]]:
    """One disclosure's graph and what the build validates it with (the vocabulary, the year's classification
    schemes), made as a build makes them; for comparing the validation engines (tests/shapes/, bench/)."""
    minter, registry, vocabulary = _worker_context(base_iri)
    disclosure = parse_disclosure(read_source(path))
    graph = disclosure_graph(disclosure, minter, registry.resolve(disclosure.info.department), __version__)
    return graph, (vocabulary, classification_graph(disclosure.info.year, printed_codes(graph)))


def default_jobs() -> int:
    """Worker processes of a build by default: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def build(
    sources: Sequence[str | Path],
    out_dir: str | Path,
    settings: Settings,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
    jobs: int | None = None,
) -> BuildResult:
    """Build every source into a new release under ``out_dir`` and make it current.

    ``jobs`` worker processes (default: one per core) extract, map and validate the documents not cached yet,
    each into its cache entry, then write the part of each published document a release needs and the cache
    does not hold yet; the release is then assembled from the parts, in an order that does not depend on
    ``jobs``, so it is the same, byte for byte, whatever ``jobs`` is. ``progress`` wraps the documents as they
    finish, once per pass (its ``label`` attribute says which: :data:`PROGRESS_LABELS`).

    A failure to write (disk full, no permission …) raises :class:`OutputError` and leaves ``out_dir/current``
    as it was; so does any other failure.
    """
    if jobs is not None and jobs < 1:
        raise BuildError(f"--jobs {jobs}: needs at least one worker", "Give --jobs 1 or more (default: cores).")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out}: exists and is not a folder", "Give a folder for --out (it is created if missing).")
    paths = discover_sources(sources)
    unchanged = _unchanged_note(out)
    with writing(out, unchanged):
        out.mkdir(parents=True, exist_ok=True)
    # Every read of the build turns its OSError into a SourceError/ShapesError/SettingsError: an OSError that
    # reaches here comes from writing.
    with writing(out, unchanged), _exclusive(out):
        _remove_leftovers(out)
        warm = partial(_warm_up, _Cache(out, settings.base_iri))
        with _Workers(default_jobs() if jobs is None else jobs, warm) as workers:
            return _build(paths, out, settings, progress, workers)


def one_document(call: Callable[[], Any]) -> Any:
    """``call`` (one document's work) with the garbage collector's automatic runs held off, then one collection of
    the youngest generation. A document makes some 10⁵ objects that live until it is done: automatic collections
    walked them again and again, full ones too (≈ 0.15 s of CPU a generated document, a sixth of its cost). What
    it left in reference cycles (rdflib graphs) is all in that generation, and freed by the one collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return call()
    finally:
        gc.collect(0)  # before enabling: the next allocation would start an automatic collection first
        if enabled:
            gc.enable()


class _Workers:
    """Runs calls in a pool of worker processes (started on first use, for more than one call) or in this one,
    each call as :func:`one_document`.

    Before the first call, ``warm`` loads what every call reads (the vocabulary, the compiled shapes) in this
    process, and what it made is frozen out of the garbage collector; the workers are forked from this process
    where the platform allows it, so they share it instead of each loading and compiling it again."""

    def __init__(self, jobs: int, warm: Callable[[], object] | None = None) -> None:
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None
        self._warm = warm

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes (what they hold is given back before the release step, which runs here)."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def run(self, calls: list[tuple[Path, Callable[[], Any]]],
            progress: Callable[[Iterable[Path]], Iterable[Path]] | None, label: str) -> list[Any]:
        """The results of ``calls`` (each named by a document, which ``progress`` is shown, with ``label`` as its
        ``label`` attribute), in their order."""
        if calls and self._warm is not None:
            self._warm()
            gc.freeze()  # what the warm-up made lives as long as the process: no collection need walk it again
            self._warm = None
        if self.jobs == 1 or len(calls) < 2:
            results = []
            names = _Labelled([path for path, _ in calls], label)
            for index, _path in enumerate(progress(names) if progress else names):
                results.append(one_document(calls[index][1]))
            return results
        if self.pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork") if "fork" in methods else None
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context)
        futures = {self.pool.submit(one_document, call): index for index, (_, call) in enumerate(calls)}
        by_index: dict[int, Future[Any]] = {index: future for future, index in futures.items()}
        finished = _Finished([path for path, _ in calls], {f: calls[i][0] for f, i in futures.items()}, label)
        for _path in progress(finished) if progress else finished:
            pass
        return [by_index[index].result() for index in range(len(calls))]


class _Labelled(list[Path]):
    """Documents, and what is done to them (a progress bar's label)."""

    def __init__(self, paths: list[Path], label: str) -> None:
        super().__init__(paths)
        self.label = label


class _Finished:
    """Documents in the order workers finish them (with a length, so a progress bar can show an ETA)."""

    def __init__(self, paths: list[Path], futures: dict[Future[Any], Path], label: str) -> None:
        self.paths, self.futures, self.label = paths, futures, label

    def __len__(self) -> int:
        return len(self.paths)

    def __iter__(self) -> Iterator[Path]:
        for future in as_completed(self.futures):
            future.result()  # a failure stops the build at once
            yield self.futures[future]


def _warm_up(cache_: _Cache) -> None:
    """Load what processing any document reads: the vocabulary and its index, the shapes compiled (with what the
    cache says their SPARQL constraints match, known from an earlier build with the same fingerprint)."""
    _, _, vocabulary = _worker_context(cache_.base_iri)
    path = cache_.dir / f"compiled-shapes-{cache_.fingerprint}"
    try:
        known = json.loads(path.read_bytes())
        if not isinstance(known, dict):
            known = None
    except (OSError, ValueError):
        known = None
    compiled = compiled_shapes(predicates=known)
    compiled.prepare([vocabulary])
    found = compiled.predicates_by_query()
    if found != known:
        cache_.dir.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, json.dumps(found, ensure_ascii=False, sort_keys=True).encode("utf-8"))


@cache
def _worker_context(base_iri: str) -> tuple[IriMinter, Registry, Graph]:
    return IriMinter(base_iri), Registry.load(), vocabulary_graph()


@dataclass
class _Published:
    doc: _Doc
    result: DocumentResult
    part: Part | None = None


def _build(paths: list[Path], out: Path, settings: Settings,
           progress: Callable[[Iterable[Path]], Iterable[Path]] | None, workers: _Workers) -> BuildResult:
    base_iri = settings.base_iri
    cache_ = _Cache(out, base_iri)
    result = BuildResult(out, None)
    # 1. every distinct source in its cache entry (extracted, mapped and validated when not cached yet)
    laps = Laps("cache")
    shas: dict[Path, str] = {}
    failures: dict[Path, str] = {}
    for path in paths:
        try:
            shas[path] = _source_sha256(path)
        except KgPublisherError as exc:
            failures[path] = str(exc)
    docs: dict[str, _Doc] = {}
    todo: list[tuple[Path, Callable[[], Any]]] = []
    for path, sha in shas.items():
        if sha in docs:
            continue
        try:
            meta = cache_.meta(sha)
        except _DamagedEntry as exc:
            meta, damage = None, f"{cache_.entry(sha)}: {exc}"
        else:
            damage = ""
        if meta is not None:
            docs[sha] = _Doc(path, sha, meta, cached=True)
        else:
            todo.append((path, partial(_make_entry, path, sha, base_iri, out, damage)))
            docs[sha] = _Doc(path, sha, None)  # placeholder, replaced below
    laps.lap("entries")
    with stage(PROGRESS_LABELS[0], whole=True):
        for doc in workers.run(todo, progress, PROGRESS_LABELS[0]):
            docs[doc.sha256] = doc
    laps = Laps("cache")

    processed: list[_Published] = []
    seen_keys: dict[str, Path] = {}
    for path in paths:
        if path in failures:
            result.documents.append(DocumentResult(path, "failed", message=failures[path]))
            continue
        doc = docs[shas[path]]
        if doc.path != path:  # the same bytes as an earlier source
            doc = replace(doc, path=path)
        if doc.meta is None:
            result.documents.append(DocumentResult(path, "failed", message=doc.message, cache_damage=doc.damage))
            continue
        meta = doc.meta
        violations = int(meta["violations"])
        item = DocumentResult(path, "published" if violations == 0 else "rejected", str(meta["key"]), violations,
                              int(meta["warnings"]), int(meta["notes"]), doc.cached, cache_damage=doc.damage)
        if item.key in seen_keys:
            item.status = "failed"
            item.message = (f"{path}: describes the same disclosure ({item.key}) as "
                            f"{seen_keys[str(item.key)]} — give each disclosure once")
        else:
            seen_keys[str(item.key)] = path
        result.documents.append(item)
        processed.append(_Published(doc, item))

    _write_rejected(out, cache_, processed)
    published = [item for item in processed if item.result.status == "published"]
    if not published:
        cache_.prune({}, ())
        return result
    # 2. the part of every published document (its outputs, with the cross-year checks against the year before)
    earlier = _earlier_years(published)
    todo = []
    for entry in published:
        doc = entry.doc
        folder = cache_.part(doc.sha256, _part_id(doc.path.name, earlier.get(doc.sha256), settings))
        entry.part = _read_part(folder)
        if entry.part is None:
            todo.append((doc.path, partial(_make_part, doc, earlier.get(doc.sha256), settings, out)))
    laps.lap("parts")
    with stage(PROGRESS_LABELS[1], whole=True):
        made = dict(zip([path for path, _ in todo], workers.run(todo, progress, PROGRESS_LABELS[1]), strict=True))
    workers.close()  # the release is assembled in this process: the idle workers' memory would add to its peak
    laps = Laps("cache")
    for entry in published:
        if entry.part is None:
            entry.part = Part.read(made[entry.doc.path])
        added = json.loads((entry.part.folder / _ADDED).read_text(encoding="utf-8"))
        entry.result.warnings += added["warnings"]
        entry.result.notes += added["notes"]
    graphs = [_vocabulary_part(cache_, published), _shapes_part(cache_, base_iri)]
    cache_.prune({cache_.entry(item.doc.sha256): {item.part.folder.name.removeprefix("part-")}
                  for item in published if item.part is not None}, [part.folder for part in graphs])
    laps.lap("graphs")
    with stage("release", whole=True):  # what follows the documents' parts, in this process (its parts: release.*)
        result.release_dir, result.manifest = _release(out, processed, graphs, settings)
    return result


def _earlier_years(items: list[_Published]) -> dict[str, dict[str, Any]]:
    """For each published disclosure (by source SHA-256) whose organisation published the same kind of disclosure
    the year before in this build too: that disclosure's dataset, year and :class:`YearFigures` (JSON)."""
    by_series: dict[tuple[str, str], dict[int, dict[str, Any]]] = defaultdict(dict)
    for item in items:
        meta = item.doc.meta
        assert meta is not None
        by_series[(meta["organization"], meta["kind"])][int(meta["year"])] = meta
    found = {}
    for item in items:
        meta = item.doc.meta
        assert meta is not None
        before = by_series[(meta["organization"], meta["kind"])].get(int(meta["year"]) - 1)
        if before is not None:
            found[item.doc.sha256] = {"dataset": before["dataset"], "year": before["year"],
                                      "figures": before["cross_year"]}
    return found


def _vocabulary_part(cache_: _Cache, items: list[_Published]) -> Part:
    """The part of the vocabulary graph: the ontology and the classification schemes of the years published,
    extended by the codes the disclosures print (cached by what it is made of)."""
    keys = sorted({json.dumps([item.doc.meta["year"], item.doc.meta["printed"]], sort_keys=True, ensure_ascii=False)
                   for item in items if item.doc.meta is not None})
    digest = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]
    folder = cache_.graph_part(f"vocabulary-{digest}")
    part = _read_part_of_graph(folder)
    if part is not None:
        return part
    vocabulary = vocabulary_graph() + Graph()  # a copy: the unions below are made in place
    schemes = {id(graph): graph for graph in (_classifications(*json.loads(key)) for key in keys)}
    for graph in schemes.values():  # each distinct graph once: documents that print only known codes share one
        vocabulary += graph
    minter = IriMinter(cache_.base_iri)
    return _write_graph_part(folder, "vocabulary", str(minter.vocabulary_graph()), vocabulary)


def _shapes_part(cache_: _Cache, base_iri: str) -> Part:
    """The part of the shapes graph (what every sh:sourceShape of a quality report dereferences)."""
    folder = cache_.graph_part("shapes")
    part = _read_part_of_graph(folder)
    if part is not None:
        return part
    from .validate import shapes_graph

    return _write_graph_part(folder, "shapes", str(IriMinter(base_iri).shapes_graph()), shapes_graph())


def _read_part_of_graph(folder: Path) -> Part | None:
    if not folder.is_dir():
        return None
    try:
        _check(folder, (PART_JSON,))
        return Part.read(folder)
    except (_DamagedEntry, OSError, ValueError):
        return None


def _write_graph_part(folder: Path, name: str, graph_name: str, graph: Graph) -> Part:
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".entry-", dir=folder.parent))
    try:
        write_graph_part(staging, name, graph_name, graph.serialize(format="nt", encoding="utf-8"))
        _seal(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Part.read(folder)


def _unchanged_note(out: Path) -> str:
    """What a failed build leaves as it was, said in its message."""
    link = out / "current"
    if link.is_symlink():
        return f"{link} is unchanged (still {os.readlink(link)})."
    return f"Nothing was published ({link} does not exist yet)."


@contextmanager
def _exclusive(out: Path) -> Iterator[None]:
    """Hold ``OUT/.lock`` for the build: a second build into the same folder would remove this one's staging."""
    with open(out / ".lock", "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"{out}: another build is writing to this folder",
                             "Wait for it to finish, or build into another folder with --out.") from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove_leftovers(out: Path) -> None:
    """Delete what an interrupted build (killed, or out of disk) left half-written: staging folders of releases
    and cache entries, the temporary ``current`` link, temporary report files."""
    leftovers = [*(out / "releases").glob(".staging-*"), *(out / "cache").glob(".entry-*"),
                 *(out / "cache").glob("*/.part-*"), *(out / "cache" / _Cache.GRAPHS).glob(".entry-*"),
                 *(out / "rejected").glob("*.tmp"), *(out / "rejected").glob(".*.tmp")]
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    (out / ".current.tmp").unlink(missing_ok=True)


def _write_rejected(out: Path, cache_: _Cache, processed: list[_Published]) -> None:
    """Reports of documents not published, so their violations can be read."""
    rejected_dir = out / "rejected"
    for item in processed:
        if item.result.status == "rejected":
            rejected_dir.mkdir(exist_ok=True)
            quality = Graph().parse(data=cache_.ntriples(item.doc.sha256)[1], format="nt")
            write_bytes_atomic(rejected_dir / f"{item.result.key}.report.ttl", _turtle([quality]))


def _turtle(graphs: Iterable[Graph]) -> bytes:
    """Graphs merged and written as Turtle with our prefixes: the same bytes whether the graphs were just built
    (prefixes bound) or read back from the cache (none bound; rdflib would invent ``ns1:`` … in triple order)."""
    merged = Graph()
    bind_prefixes(merged)
    for graph in graphs:
        merged += graph
    return merged.serialize(format="turtle", encoding="utf-8")


def _release(out: Path, items: list[_Published], graphs: list[Part],
             settings: Settings) -> tuple[Path, dict[str, object]]:
    releases = out / "releases"
    releases.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=releases))
    previous = out / "current"
    beside: list[Future[None]] = []  # the store and the search index, written on threads beside the rest

    def store_ready() -> None:
        for job in beside:
            job.result()

    try:
        parts = [item.part for item in items if item.part is not None]
        manifest = assemble_release(staging, parts, graphs, settings,
                                    previous=previous.resolve() if previous.is_dir() else None, background=beside)
        laps = Laps("release")
        # the quality reports of every document, published or not, one Turtle document after the other
        with open(staging / "report.ttl", "wb") as report:
            for item in items:
                if item.part is not None:
                    report.write((item.part.folder / REPORT).read_bytes())
                elif item.result.status == "rejected":
                    quality = _Cache(out, settings.base_iri).ntriples(item.doc.sha256)[1]
                    report.write(report_turtle(quality))
        laps.lap("report")
        version = str(manifest["version"])
        final = releases / version
        reused = final.exists()
        if reused:
            store_ready()
            shutil.rmtree(staging)  # identical content already released: it becomes current again, as it was
            manifest = dict(Release.open(final).manifest)
            if written_pages(final, settings.catalog_page_size) is None:  # (but for the catalogue pages of
                # this page size, which a release written by an older build or with another size lacks)
                write_catalogue_pages(final, settings.catalog_page_size)
        else:
            # The release this one replaces first (its previous version), then the others, newest first.
            replaced = os.path.basename(os.readlink(out / "current")) if (out / "current").is_symlink() else ""
            earlier = sorted(kept_releases(releases, exclude=version), key=lambda r: r.version != replaced)
            earlier = earlier[:settings.keep_releases]
            manifest = publish_version(staging, manifest, earlier, settings, store_ready)
            with stage("release.wait"):  # (what the store and the search index took beyond the rest)
                store_ready()
            os.replace(staging, final)
    except BaseException as exc:
        wait(beside)  # (their writes stop before the folder goes)
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(staging)  # the store (pyoxigraph) does not say which file
        raise
    laps = Laps("release")  # (publish_version timed its own stages)
    link_tmp = out / ".current.tmp"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(Path("releases") / version)
    os.replace(link_tmp, out / "current")
    listed = manifest.get("release", {}).get("kept") if not reused else None
    prune_releases(releases, current=version, keep=settings.keep_releases,
                   listed=None if listed is None else [str(row["version"]) for row in listed])
    laps.lap("prune")
    return final, manifest




def current_release(out_dir: str | Path) -> Path:
    """The release a build directory currently publishes."""
    link = Path(out_dir) / "current"
    if not link.exists():
        raise BuildError(f"{out_dir}: holds no published release (no 'current')")
    return link.resolve()
