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
import hashlib
import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef

from . import __version__
from .errors import BuildError, KgPublisherError, OutputError, SourceError
from .extract.readers import READERS, read_source
from .extract.source import SourceText
from .files import write_bytes_atomic, writing
from .iris import IriMinter
from .package_data import fingerprint_files
from .publish.catalog import KIND_TITLES
from .publish.model import PublishedDisclosure
from .publish.release import Release, write_release
from .publish.versions import kept_releases, prune_releases, publish_version
from .rdf import disclosure_graph, vocabulary_graph
from .rdf.codelists import classification_graph, printed_codes
from .rdf.crossyear import cross_year_graph
from .records.crossyear import YearFigures, compare
from .records.parse import parse_disclosure
from .registry import Registry
from .settings import Settings
from .validate import ValidationOutcome, add_findings, quality_graph, validate_graph
from .vocab import bind_prefixes

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


@dataclass(frozen=True)
class _Cached:
    meta: dict[str, object]
    records_json: str
    graph: Graph
    quality: Graph


class _Cache:
    """Per-document results on disk: graph and quality report as N-Triples, metadata as JSON.

    An entry is a folder written whole (a temporary folder renamed into place) holding ``entry.json``: the byte
    size and SHA-256 of every other file in it. An entry that fails these checks, or does not parse, is never
    used: the document is rebuilt from source and the entry replaced.
    """

    FILES = ("graph.nt", "quality.nt", "meta.json")
    INDEX = "entry.json"
    #: Metadata every entry must hold (what ``_process`` reads back).
    META_KEYS = ("key", "dataset", "organization", "title", "department", "year", "kind", "region",
                 "violations", "warnings", "notes", "records_json", "cross_year")

    def __init__(self, out_dir: Path, base_iri: str) -> None:
        self.dir = out_dir / "cache"
        self.fingerprint = _fingerprint(base_iri)

    def entry(self, sha256: str) -> Path:
        return self.dir / f"{sha256[:32]}-{self.fingerprint}"

    def load(self, source: SourceText) -> _Cached | None:
        """The cached result of ``source``; None when there is none; :class:`_DamagedEntry` when it is damaged."""
        entry = self.entry(source.sha256)
        if not entry.is_dir():
            return None
        try:
            index = json.loads((entry / self.INDEX).read_bytes())
            data = {name: (entry / name).read_bytes() for name in self.FILES}
        except (OSError, ValueError) as exc:
            raise _DamagedEntry(f"unreadable ({exc.__class__.__name__}: {exc})") from None
        for name, content in data.items():
            expected = index.get(name) if isinstance(index, dict) else None
            if not isinstance(expected, dict) or not isinstance(expected.get("bytes"), int):
                raise _DamagedEntry(f"{name}: not listed in {self.INDEX}")
            if expected["bytes"] != len(content):
                change = "truncated" if len(content) < expected["bytes"] else "grown"
                raise _DamagedEntry(f"{name}: {change} ({len(content)} bytes where {expected['bytes']} were written)")
            if expected.get("sha256") != hashlib.sha256(content).hexdigest():
                raise _DamagedEntry(f"{name}: checksum mismatch")
        try:
            meta = json.loads(data["meta.json"])
            missing = [key for key in self.META_KEYS if key not in meta]
            if missing:
                raise ValueError(f"meta.json lacks {', '.join(missing)}")
            graph = Graph().parse(data=data["graph.nt"], format="nt")
            quality = Graph().parse(data=data["quality.nt"], format="nt")
        except Exception as exc:  # rdflib raises several unrelated types for bad syntax
            raise _DamagedEntry(f"does not parse ({exc.__class__.__name__}: {exc})") from None
        records_json = str(meta.pop("records_json"))
        return _Cached(meta, records_json, graph, quality)

    def store(self, source: SourceText, meta: dict[str, object], graph: Graph, quality: Graph) -> None:
        entry = self.entry(source.sha256)
        data = {
            "graph.nt": graph.serialize(format="nt", encoding="utf-8"),
            "quality.nt": quality.serialize(format="nt", encoding="utf-8"),
            "meta.json": json.dumps(meta, ensure_ascii=False).encode("utf-8"),
        }
        index = {name: {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
                 for name, content in data.items()}
        self.dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".entry-", dir=self.dir))
        try:
            for name, content in data.items():
                write_bytes_atomic(staging / name, content)
            write_bytes_atomic(staging / self.INDEX, json.dumps(index, indent=1).encode("utf-8"))
            shutil.rmtree(entry, ignore_errors=True)
            os.replace(staging, entry)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def prune(self) -> None:
        """Drop entries made by other code or settings (another fingerprint): they can never be hit. Also drops
        ``.entry-*`` folders an interrupted build left half-written."""
        if self.dir.is_dir():
            for entry in self.dir.iterdir():
                if not entry.name.endswith(f"-{self.fingerprint}") or entry.name.startswith("."):
                    shutil.rmtree(entry, ignore_errors=True)


@dataclass
class _Processed:
    published: PublishedDisclosure | None
    result: DocumentResult
    records_json: str | None
    report: Graph
    #: The year's classification schemes, extended by the codes this document prints.
    classifications: Graph
    #: What the classification graph is made from (year, printed codes): equal keys, equal graphs.
    classification_key: tuple[object, ...] = ()
    #: The figures and prior-year statements cross-year checks compare (records/crossyear.py), as JSON.
    year_figures: dict[str, object] = field(default_factory=dict)


def _process(path: Path, minter: IriMinter, registry: Registry, vocabulary: Graph, cache_: _Cache) -> _Processed:
    source = read_source(path)
    damage = ""
    try:
        cached = cache_.load(source)
    except _DamagedEntry as exc:
        cached, damage = None, f"{cache_.entry(source.sha256)}: {exc}"
    if cached is not None:
        meta, records_json, graph, quality = cached.meta, cached.records_json, cached.graph, cached.quality
        year, printed = int(meta["year"]), printed_codes(graph)  # type: ignore[call-overload]
        classifications = classification_graph(year, printed)
    else:
        disclosure = parse_disclosure(source)
        org = registry.resolve(disclosure.info.department)
        graph = disclosure_graph(disclosure, minter, org, __version__)
        key = minter.dataset_key(org.slug, disclosure.info.year, disclosure.info.kind)
        dataset = minter.dataset(org.slug, disclosure.info.year, disclosure.info.kind)
        year, printed = disclosure.info.year, printed_codes(graph)
        classifications = classification_graph(year, printed)
        # two graphs, not their union: the vocabulary is indexed once per process, not copied per document
        outcome: ValidationOutcome = validate_graph(graph, (vocabulary, classifications), engine="compiled")
        quality = quality_graph(outcome, dataset, checked_with=CHECKED_WITH)
        info = disclosure.info
        zh_kind, _ = KIND_TITLES[info.kind]
        meta = {
            "key": key, "dataset": str(dataset), "organization": str(minter.organization(org.slug)),
            "title": info.title or f"{info.department}{info.year}年{zh_kind}",
            "department": info.department, "year": info.year, "kind": info.kind, "region": info.region,
            "violations": outcome.violations, "warnings": outcome.warnings, "notes": outcome.infos,
            "cross_year": YearFigures.of(disclosure).to_json_dict(),
        }
        records_json = disclosure.to_json()
        cache_.store(source, {**meta, "records_json": records_json}, graph, quality)
    key = str(meta["key"])
    violations, warnings = int(meta["violations"]), int(meta["warnings"])  # type: ignore[call-overload]
    result = DocumentResult(path, "published" if violations == 0 else "rejected", key, violations, warnings,
                            int(meta.get("notes", 0)), cached is not None,  # type: ignore[call-overload]
                            cache_damage=damage)
    published = None
    if violations == 0:
        published = PublishedDisclosure(
            key=key, dataset=URIRef(str(meta["dataset"])), graph_name=minter.graph(key), graph=graph,
            quality_graph_name=minter.quality_graph(key), quality_graph=quality, source=source,
            title=str(meta["title"]), department=str(meta["department"]),
            organization=URIRef(str(meta["organization"])), year=int(meta["year"]),  # type: ignore[call-overload]
            kind=str(meta["kind"]), region=meta["region"] and str(meta["region"]),  # type: ignore[arg-type]
            violations=violations, warnings=warnings,
        )
    key_of_codes = (year, tuple((name, tuple(pairs)) for name, pairs in sorted(printed.items())))
    return _Processed(published, result, records_json, quality, classifications, key_of_codes,
                      meta["cross_year"])  # type: ignore[arg-type]


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
    each into its cache entry; the release is then made from the cache entries in the order of ``sources``, so
    it is the same, byte for byte, whatever ``jobs`` is. ``progress`` wraps the documents as they finish.

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
        return _build(paths, out, settings, progress, default_jobs() if jobs is None else jobs)


class _Finished:
    """Documents in the order workers finish them (with a length, so a progress bar can show an ETA)."""

    def __init__(self, paths: list[Path], futures: dict[Future[_Prepared], Path]) -> None:
        self.paths, self.futures = paths, futures

    def __len__(self) -> int:
        return len(self.paths)

    def __iter__(self) -> Iterator[Path]:
        for future in as_completed(self.futures):
            yield self.futures[future]


@dataclass(frozen=True)
class _Prepared:
    """What a worker did with one document: it was in the cache already, or why its entry was rebuilt."""

    was_cached: bool
    damage: str = ""
    #: The error that makes the document fail (reported again when the parent reads it).
    failed: bool = False


@cache
def _worker_context(base_iri: str) -> tuple[IriMinter, Registry, Graph]:
    return IriMinter(base_iri), Registry.load(), vocabulary_graph()


def _prepare(path: Path, base_iri: str, out: Path) -> _Prepared:
    """In a worker process: make sure the cache holds the result of ``path``."""
    minter, registry, vocabulary = _worker_context(base_iri)
    try:
        item = _process(path, minter, registry, vocabulary, _Cache(out, base_iri))
    except OutputError:
        raise
    except KgPublisherError:
        return _Prepared(False, failed=True)
    return _Prepared(item.result.cached, item.result.cache_damage)


def _prepare_in_parallel(paths: list[Path], out: Path, settings: Settings, jobs: int,
                         progress: Callable[[Iterable[Path]], Iterable[Path]] | None) -> dict[Path, _Prepared]:
    """Run :func:`_prepare` for every distinct document in ``jobs`` worker processes."""
    unique: dict[str, Path] = {}
    for path in paths:
        try:
            unique.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
        except OSError:
            continue  # reported when the parent reads it
    prepared: dict[Path, _Prepared] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_prepare, path, settings.base_iri, out): path for path in unique.values()}
        future_of = {path: future for future, path in futures.items()}
        finished = _Finished(list(unique.values()), futures)
        for path in progress(finished) if progress else finished:
            prepared[path] = future_of[path].result()
    return prepared


def _build(paths: list[Path], out: Path, settings: Settings,
           progress: Callable[[Iterable[Path]], Iterable[Path]] | None, jobs: int = 1) -> BuildResult:
    minter = IriMinter(settings.base_iri)
    registry = Registry.load()
    vocabulary = vocabulary_graph()
    cache_ = _Cache(out, settings.base_iri)
    result = BuildResult(out, None)
    processed: list[_Processed] = []
    seen_keys: dict[str, Path] = {}
    prepared: dict[Path, _Prepared] = {}
    if jobs > 1 and len(paths) > 1:
        prepared = _prepare_in_parallel(paths, out, settings, jobs, progress)
        progress = None
    for path in progress(paths) if progress else paths:
        try:
            item = _process(path, minter, registry, vocabulary, cache_)
            if path in prepared:  # what the worker found, not what reading its entry back shows
                item.result.cached, item.result.cache_damage = prepared[path].was_cached, prepared[path].damage
        except OutputError:
            raise  # the build stops: publishing the other documents would publish the release in part
        except KgPublisherError as exc:
            result.documents.append(DocumentResult(path, "failed", message=str(exc)))
            continue
        if item.result.key in seen_keys:
            item.result.status, item.published = "failed", None
            item.result.message = (f"{path}: describes the same disclosure ({item.result.key}) as "
                                   f"{seen_keys[item.result.key]} — give each disclosure once")
        else:
            seen_keys[str(item.result.key)] = path
        result.documents.append(item.result)
        processed.append(item)

    cache_.prune()
    _write_rejected(out, processed)
    published = [item for item in processed if item.published is not None]
    if not published:
        return result
    _check_across_years(published, vocabulary)
    result.release_dir, result.manifest = _release(out, published, vocabulary, settings)
    return result


def _check_across_years(items: list[_Processed], vocabulary: Graph) -> None:
    """Each published disclosure's statements about the year before, against that year's disclosure when it is
    published too (same organisation, same kind): the checks go into the later graph, their findings (the
    disagreements) into its quality report. Made from each document's :class:`YearFigures`, in the order of
    the documents, so the release is the same whether the documents were cached or not."""
    by_series: dict[tuple[str, str], dict[int, _Processed]] = defaultdict(dict)
    for item in items:
        assert item.published is not None
        by_series[(str(item.published.organization), item.published.kind)][item.published.year] = item
    for item in items:
        later = item.published
        assert later is not None
        earlier_item = by_series[(str(later.organization), later.kind)].get(later.year - 1)
        if earlier_item is None or earlier_item.published is None:
            continue
        checks = compare(YearFigures.from_json_dict(item.year_figures),
                         YearFigures.from_json_dict(earlier_item.year_figures))
        if not checks:
            continue
        graph = cross_year_graph(checks, later.dataset, earlier_item.published.dataset, later.year - 1)
        outcome = validate_graph(graph, vocabulary, engine="compiled")
        for triple in graph:
            later.graph.add(triple)
        add_findings(later.quality_graph, outcome, later.dataset)
        item.published = replace(later, warnings=later.warnings + outcome.warnings)
        item.result.warnings += outcome.warnings
        item.result.notes += outcome.infos


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
                 *(out / "rejected").glob("*.tmp"), *(out / "rejected").glob(".*.tmp")]
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    (out / ".current.tmp").unlink(missing_ok=True)


def _write_rejected(out: Path, processed: list[_Processed]) -> None:
    """Reports of documents not published, so their violations can be read."""
    rejected_dir = out / "rejected"
    for item in processed:
        if item.result.status == "rejected":
            rejected_dir.mkdir(exist_ok=True)
            write_bytes_atomic(rejected_dir / f"{item.result.key}.report.ttl", _turtle([item.report]))


def _turtle(graphs: Iterable[Graph]) -> bytes:
    """Graphs merged and written as Turtle with our prefixes: the same bytes whether the graphs were just built
    (prefixes bound) or read back from the cache (none bound; rdflib would invent ``ns1:`` … in triple order)."""
    merged = Graph()
    bind_prefixes(merged)
    for graph in graphs:
        merged += graph
    return merged.serialize(format="turtle", encoding="utf-8")


def _release(out: Path, items: list[_Processed], vocabulary: Graph,
             settings: Settings) -> tuple[Path, dict[str, object]]:
    releases = out / "releases"
    releases.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=releases))
    try:
        disclosures = [item.published for item in items if item.published is not None]
        vocabulary = vocabulary + Graph()  # a copy: the union below is made in place, once per distinct graph
        merged: set[tuple[object, ...]] = set()
        for item in items:
            if item.classification_key not in merged:
                merged.add(item.classification_key)
                vocabulary += item.classifications
        manifest = write_release(staging, disclosures, vocabulary, settings)
        records_dir = staging / "records"
        records_dir.mkdir(exist_ok=True)
        for item in items:
            (records_dir / f"{item.result.key}.json").write_text(item.records_json or "", encoding="utf-8")
        (staging / "report.ttl").write_bytes(_turtle([item.report for item in items]))
        version = str(manifest["version"])
        final = releases / version
        reused = final.exists()
        if reused:
            shutil.rmtree(staging)  # identical content already released: it becomes current again, as it was
            manifest = Release.open(final).manifest
        else:
            # The release this one replaces first (its previous version), then the others, newest first.
            replaced = os.path.basename(os.readlink(out / "current")) if (out / "current").is_symlink() else ""
            earlier = sorted(kept_releases(releases, exclude=version), key=lambda r: r.version != replaced)
            earlier = earlier[:settings.keep_releases]
            manifest = publish_version(staging, manifest, earlier, settings)
            _link_unchanged(staging, out / "current")
            os.replace(staging, final)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(staging)  # the store (pyoxigraph) does not say which file
        raise
    link_tmp = out / ".current.tmp"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(Path("releases") / version)
    os.replace(link_tmp, out / "current")
    listed = manifest.get("release", {}).get("kept") if not reused else None
    prune_releases(releases, current=version, keep=settings.keep_releases,
                   listed=None if listed is None else [str(row["version"]) for row in listed])
    return final, manifest


#: Folders of a release whose files are per document and usually unchanged from one release to the next.
_SHARED_FOLDERS = ("dumps", "records", "sources")


def _link_unchanged(staging: Path, previous: Path) -> None:
    """Files of the new release equal to the previous release's are replaced by hard links to those: releases
    share what did not change (dumps, records and sources of unchanged documents) instead of holding copies."""
    if not previous.is_dir():
        return
    for folder in _SHARED_FOLDERS:
        for new in sorted((staging / folder).glob("*")):
            old = previous / folder / new.name
            try:
                if (not new.is_file() or not old.is_file() or old.stat().st_size != new.stat().st_size
                        or old.read_bytes() != new.read_bytes()):
                    continue
                link = new.with_name(f".{new.name}.link")
                os.link(old, link)
                os.replace(link, new)
            except OSError:
                continue  # another file system, or links not allowed: the copy stays


def current_release(out_dir: str | Path) -> Path:
    """The release a build directory currently publishes."""
    link = Path(out_dir) / "current"
    if not link.exists():
        raise BuildError(f"{out_dir}: holds no published release (no 'current')")
    return link.resolve()
