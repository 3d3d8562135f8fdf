"""Versioned releases: each release has a version IRI, ``dcat:version`` and ``dct:issued``; the build keeps the
``keep_releases`` releases before it, downloadable, and the catalogue lists every kept release as a version of the
whole dataset.

A build folder holds its releases side by side (``DIR/releases/<version>/``, ``DIR/current`` → the newest)::

    <{base}id/release/{v}>  a dcat:Dataset ;  dcat:version "{v}" ;  dct:issued "YYYY-MM-DD"^^xsd:date ;
        dct:isVersionOf <{base}id/dataset/all> ;  dcat:previousVersion <{base}id/release/{earlier}> ;
        dcat:distribution <{base}id/release/{v}/distribution/nq> …   (downloads: {base}releases/{v}/dumps/all.nq.gz)
    <{base}id/dataset/all>  dct:hasVersion, dcat:hasVersion <…/release/{v}> … ;
        dcat:hasCurrentVersion <…/release/{newest}> .

These statements go into the release's catalogue files (``catalog.nt`` and its pages: what ``/catalog``
serves) and its manifest (``release``), not into the catalogue graph the store holds: the version is a hash of
the data and of that graph, and the same data must give the same release whatever was released before it and
when. A release folder is never changed
once it is published: a rebuild of data released before makes that release current again, as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from ..errors import BuildError
from ..iris import IriMinter
from ..settings import Settings
from ..timing import Laps
from ..vocab import ADMS, DCAT3, IANA_MEDIA
from .catalog import GZIP_MEDIA_TYPE, WHOLE_KEY, file_distribution
from .catalog_pages import write_catalogue_pages
from .diff import diff_graph, diff_releases
from .document import ntriples_lines
from .formats import TURTLE, rdf_syntax
from .manifest import write_manifest
from .release import CATALOG_NT, MANIFEST, Release, merged_lines, write_catalog_files

#: A release version: 16 hex digits of a SHA-256 of its data (the name of its folder; release.assemble_release).
VERSION = re.compile(r"^[0-9a-f]{16}$")
#: In a build folder: the release an engine holds, recorded by `kg-publisher load` once the load is checked
#: (``{"version", "store_url"}``); fronts with ``store_url = "loaded"`` serve that release from that engine.
LOADED = "loaded.json"
#: The diff from the release a release replaced (RDF, :mod:`kg_publisher.publish.diff`), in the release folder.
DIFF_TTL = "diff.ttl"


@dataclass(frozen=True)
class ReleaseSummary:
    """What the catalogue and the /releases page say about one release."""

    version: str
    issued: str
    datasets: int
    triples: int
    #: The whole-release dumps: manifest rows (``path`` relative to the release folder, bytes, sha256 …).
    dumps: tuple[dict[str, Any], ...]
    #: The release it followed (None for the first one, or when that was not known).
    previous: str | None = None
    #: The manifest's ``release.diff``: the diff file from ``previous`` and its counts.
    diff: dict[str, Any] | None = None

    @classmethod
    def of(cls, manifest: Mapping[str, Any]) -> ReleaseSummary:
        history = manifest.get("release", {})
        return cls(
            version=str(manifest["version"]), issued=str(manifest["build_time"]),
            datasets=len(manifest.get("datasets", [])), triples=int(manifest.get("triples", 0)),
            dumps=tuple(row for row in manifest.get("dumps", []) if row.get("dataset") == WHOLE_KEY),
            previous=history.get("previous"), diff=history.get("diff"),
        )

    def notes(self) -> str:
        """What changed from the release before, in one line (``adms:versionNotes``)."""
        if not self.diff or not self.previous:
            return "First release kept in this build folder." if not self.previous else ""
        figures, findings = self.diff["figures"], self.diff["findings"]
        return (f"Compared with release {self.previous}: figures {figures['added']} added, {figures['removed']} "
                f"removed, {figures['changed']} changed; quality findings {findings['added']} added, "
                f"{findings['removed']} removed, {findings['changed']} changed.")


def releases_folder(release: Release) -> Path | None:
    """The ``releases/`` folder a release sits in, when it sits in a build folder (its siblings are releases)."""
    parent = release.path.parent
    return parent if parent.name == "releases" else None


def kept_releases(releases_dir: Path, exclude: str = "") -> list[Release]:
    """The complete releases in ``releases_dir`` (not ``exclude``), newest first (by build time, then version).
    A folder without a readable manifest (half removed, or not a release) is left out."""
    found: list[Release] = []
    if not releases_dir.is_dir():
        return found
    for path in releases_dir.iterdir():
        if not path.is_dir() or path.name.startswith(".") or path.name == exclude or not VERSION.match(path.name):
            continue
        try:
            found.append(Release.open(path))
        except BuildError:
            continue
    return sorted(found, key=lambda r: (r.manifest.get("build_time", ""), r.version), reverse=True)


def release_at(release: Release, version: str) -> Release | None:
    """The kept release ``version`` beside ``release`` (``release`` itself for its own version), else None."""
    if version == release.version:
        return release
    folder = releases_folder(release)
    if folder is None or not VERSION.match(version) or not (folder / version / MANIFEST).is_file():
        return None
    try:
        return Release.open(folder / version)
    except BuildError:
        return None


def version_statements(release: Release) -> dict[str, list[ox.Triple]]:
    """Subject IRI → the version statements of ``release``'s catalogue files (the version IRIs, their distributions,
    ``dct:hasVersion`` …): what its pages describe besides the store, which holds no versions. :func:`version_graph`
    writes them: the triples of the version IRIs (``{base}id/release/…``) and the whole dataset's version
    predicates, each a run of the catalogue's sorted lines."""
    minter = IriMinter(str(release.manifest["base_iri"]))
    prefix = minter.release("0" * 16).rsplit("/", 1)[0] + "/"
    version_predicates = (str(DCTERMS.hasVersion), str(DCAT3.hasVersion), str(DCAT3.hasCurrentVersion))
    whole = str(minter.whole_dataset())
    found: dict[str, list[ox.Triple]] = {}
    starting = (f"<{prefix}", *(f"<{whole}> <{predicate}> " for predicate in version_predicates))
    for triple in release.catalog_triples(starting=starting):
        if isinstance(triple.subject, ox.NamedNode):
            found.setdefault(triple.subject.value, []).append(triple)
    return found


def record_loaded(release: Release, store_url: str) -> Path | None:
    """Record in the release's build folder that the engine at ``store_url`` now holds ``release`` (replacing the
    record at once: fronts following it switch to the new engine and release together). None when the release is
    not in a build folder."""
    folder = releases_folder(release)
    if folder is None:
        return None
    record = folder.parent / LOADED
    _write(record, json.dumps({"version": release.version, "store_url": store_url}, indent=1).encode("utf-8"))
    return record


def loaded_release(build_dir: Path) -> tuple[Release, str]:
    """The release ``build_dir``'s engine holds and the engine's query endpoint (:data:`LOADED`)."""
    record = Path(build_dir) / LOADED
    try:
        loaded = json.loads(record.read_text(encoding="utf-8"))
        version, store_url = str(loaded["version"]), str(loaded["store_url"])
    except FileNotFoundError:
        raise BuildError(f"{record}: no release has been loaded into an engine for this build folder",
                         "Run `kg-publisher load DIR --store-url URL` first (store_url = loaded serves what it "
                         "loaded).") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BuildError(f"{record}: cannot be read ({exc})", "Run `kg-publisher load` again.") from None
    if not VERSION.match(version):
        raise BuildError(f"{record}: names no release version ({version!r})", "Run `kg-publisher load` again.")
    return Release.open(Path(build_dir) / "releases" / version), store_url


def loaded_version(build_dir: Path) -> str | None:
    """The version :data:`LOADED` names, or None (no record, or not readable)."""
    try:
        return str(json.loads((Path(build_dir) / LOADED).read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def prune_releases(releases_dir: Path, current: str, keep: int, listed: list[str] | None = None) -> list[str]:
    """Delete the releases besides ``current`` that are not ``listed`` (the ones its catalogue lists), or, without
    a list, all but the ``keep`` newest; returns the versions deleted. The release an engine holds (:data:`LOADED`)
    is never deleted: fronts serve it until another is loaded."""
    others = kept_releases(releases_dir, exclude=current)
    kept = set(listed) if listed is not None else {r.version for r in others[:keep]}
    kept.add(loaded_version(releases_dir.parent) or "")
    deleted = []
    for old in others:
        if old.version not in kept:
            shutil.rmtree(old.path, ignore_errors=True)
            deleted.append(old.version)
    return deleted


def publish_version(release_dir: Path, manifest: dict[str, Any], earlier: list[Release], settings: Settings,
                    store_ready: Callable[[], object] | None = None) -> dict[str, Any]:
    """State the versions in the release being written at ``release_dir`` (not yet published): its manifest gets
    ``release`` (version IRI, the release before it, the kept ones, the diff from it), its catalogue files the version
    datasets of it and of ``earlier`` (the kept releases before it, newest first). Returns the manifest.

    The release's store may still be being written (:func:`~.release.assemble_release` with ``background``):
    ``store_ready`` returns when it is complete, and is called only if the diff has to read it."""
    minter = IriMinter(settings.base_iri)
    laps = Laps("release")
    previous = earlier[0].version if earlier else None
    manifest["release"] = {
        "iri": str(minter.release(str(manifest["version"]))),
        "previous": previous,
        "kept": [{"version": r.version, "issued": r.manifest["build_time"]} for r in earlier],
    }
    if earlier:
        diff = diff_releases(earlier[0], Release(release_dir, manifest), store_ready)
        data = diff_graph(diff, settings.base_iri).serialize(format="turtle", encoding="utf-8")
        _write(release_dir / DIFF_TTL, data)
        manifest["release"]["diff"] = {"path": DIFF_TTL, "media_type": TURTLE.media_type, "bytes": len(data),
                                       "sha256": hashlib.sha256(data).hexdigest(), **diff.counts}
    laps.lap("diff")
    summaries = [ReleaseSummary.of(manifest), *(ReleaseSummary.of(r.manifest) for r in earlier)]
    versions = version_graph(settings, summaries)
    _add_to_catalogue(release_dir, versions)
    laps.lap("versions")
    # (pages the release before holds as they are now are hard links to its files)
    write_catalogue_pages(release_dir, settings.catalog_page_size, previous=earlier[0].path if earlier else None)
    laps.lap("pages")
    write_manifest(release_dir / MANIFEST, manifest)
    return manifest


def version_graph(settings: Settings, releases: list[ReleaseSummary]) -> Graph:
    """The catalogue's statements about ``releases`` (newest, the current one, first)."""
    minter = IriMinter(settings.base_iri)
    g = Graph()
    whole, licence = minter.whole_dataset(), URIRef(settings.licence)
    for number, summary in enumerate(releases):
        node = minter.release(summary.version)
        g.add((whole, DCTERMS.hasVersion, node))  # DCAT-AP 3's property; DCAT 3's own below (ckanext-dcat reads it)
        g.add((whole, DCAT3.hasVersion, node))
        if number == 0:
            g.add((whole, DCAT3.hasCurrentVersion, node))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.identifier, Literal(summary.version)))
        g.add((node, DCAT3.version, Literal(summary.version)))
        # The day, as the catalogue's own dct:issued: the same data built twice the same day gives the same files.
        g.add((node, DCTERMS.issued, Literal(summary.issued[:10], datatype=XSD.date)))
        g.add((node, DCTERMS.isVersionOf, whole))
        g.add((node, DCTERMS.publisher, minter.publisher()))
        g.add((node, DCAT.contactPoint, minter.contact_point()))
        g.add((node, DCTERMS.license, licence))
        day = summary.issued[:10]
        g.add((node, DCTERMS.title, Literal(f"部门预算与决算公开数据 {day} 版（{summary.version}）", lang="zh")))
        g.add((node, DCTERMS.title, Literal(f"Budget disclosures, release of {day} ({summary.version})", lang="en")))
        g.add((node, DCTERMS.description, Literal(
            f"{day} 发布的版本：{summary.datasets} 份公开文件，{summary.triples} 条四元组；"
            f"下载地址在 releases/{summary.version}/ 下，保留至其后 {settings.keep_releases} 个版本发布。",
            lang="zh")))
        g.add((node, DCTERMS.description, Literal(
            f"The release issued {day}: {summary.datasets} disclosures, {summary.triples} quads; "
            f"downloadable under releases/{summary.version}/ until {settings.keep_releases} later releases "
            "are published.", lang="en")))
        if summary.previous:
            g.add((node, DCAT3.previousVersion, minter.release(summary.previous)))
        if summary.notes():
            g.add((node, ADMS.versionNotes, Literal(summary.notes(), lang="en")))
        if summary.diff and summary.previous:
            dist = minter.release_distribution(summary.version, "diff")
            g.add((node, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCTERMS.title, Literal(f"Changes from release {summary.previous} (Turtle)", lang="en")))
            g.add((dist, DCTERMS.description, Literal(
                f"与版本 {summary.previous} 相比新增、删除和变更的数字与质量问题（bgt:ReleaseDiff）。", lang="zh")))
            file_distribution(g, minter, dist, minter.release_download(summary.version, str(summary.diff["path"])),
                              TURTLE.media_type, TURTLE.eu_file_type, int(summary.diff["bytes"]),
                              str(summary.diff["sha256"]), licence)
        for row in summary.dumps:
            syntax = rdf_syntax(str(row["format"]))
            if syntax is None:
                continue
            dist = minter.release_distribution(summary.version, syntax.name)
            g.add((node, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCTERMS.title, Literal(f"{syntax.label} dump of release {summary.version}", lang="en")))
            g.add((dist, DCTERMS.description, Literal(
                f"版本 {summary.version} 的全部数据（{syntax.label}）。", lang="zh")))
            # A release whose whole dumps are streamed from its parts offers them gzip-compressed, checksum
            # unknown (catalog._distributions); an older one stored each whole, with its checksum.
            file = row["gzip"] if row.get("sha256") is None else row
            if file is not row:
                g.add((dist, DCAT.compressFormat, IANA_MEDIA[GZIP_MEDIA_TYPE]))
            file_distribution(g, minter, dist, minter.release_download(summary.version, str(file["path"])),
                              syntax.media_type, syntax.eu_file_type, int(file["bytes"]), file.get("sha256"),
                              licence)
    return g


def _add_to_catalogue(release_dir: Path, extra: Graph) -> None:
    """Add ``extra`` to the catalogue file as it was written, literals unchanged: ``catalog.nt``'s lines and
    ``extra``'s merged in order (the catalogue grows with the number of disclosures; none of it is parsed)."""
    added = sorted(set(ntriples_lines(extra.serialize(format="nt", encoding="utf-8"))))
    with tempfile.TemporaryDirectory(prefix=".catalogue-", dir=release_dir) as scratch:
        write_catalog_files(release_dir, merged_lines([release_dir / CATALOG_NT], added, Path(scratch)))


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


__all__ = [
    "DIFF_TTL",
    "LOADED",
    "ReleaseSummary",
    "kept_releases",
    "loaded_release",
    "loaded_version",
    "prune_releases",
    "publish_version",
    "record_loaded",
    "release_at",
    "version_graph",
    "version_statements",
]
