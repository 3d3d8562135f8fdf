"""The served catalogue in pages, so that no response grows with the number of disclosures (issue 9 §6).

A page is a DCAT catalogue of its own: the catalogue node with the ``dcat:dataset`` links of that page's items (data
sets and dataset series; a series and its members always on one page, as a member names its series), every triple
about those items and about what they alone lead to (distributions, checksums, periods, class partitions …), and the
part every page shares (the catalogue's own description, its services, publisher, themes). Pages are linked as a
Hydra partial collection view (``hydra:first``/``previous``/``next``/``last``, ``hydra:totalItems``), which is what
ckanext-dcat's harvester follows. The whole catalogue stays one file in the release (``catalog.nt``).

The build writes the pages of its ``catalog_page_size`` into the release (:func:`write_catalogue_pages`:
``catalog-pages/{size}/{n}.nt.gz``, each page without its Hydra view, which names where it is served, and
``index.json``, which also states each page's SHA-256), so a server reads one page a request instead of grouping
the whole catalogue in every worker (2.8 s and ~170 MB a worker at 1,000 disclosures); a server configured with
another page size groups it itself (:class:`CataloguePages`). The build does not hold the catalogue either: it
walks ``catalog.nt`` (sorted, so each subject's lines are together) subject by subject, the same walks as
:class:`CataloguePages`, and gets the same bytes; a page the release before holds as it is is a hard link to it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import tempfile
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain
from pathlib import Path
from typing import IO, Any, TypeVar

import pyoxigraph as ox
from isal import igzip

from ..vocab import DCAT, DCAT3, HYDRA, RDF, XSD
from .document import GZIP_LEVEL

_TYPE = ox.NamedNode(str(RDF.type))
_CATALOG = ox.NamedNode(str(DCAT.Catalog))
_DATASET = ox.NamedNode(str(DCAT.dataset))
_IN_SERIES = ox.NamedNode(str(DCAT3.inSeries))
# The same, as N-Triples lines write them (after the subject and its blank).
_DATASET_NT = f"{_DATASET} ".encode()
_IN_SERIES_NT = f"{_IN_SERIES} ".encode()
_IS_CATALOG_NT = f"{_TYPE} {_CATALOG} .\n".encode()
#: The catalogue file of a release (release.CATALOG_NT; release imports this module).
CATALOG_NT = "catalog.nt"


Node = ox.NamedNode | ox.BlankNode
#: An item of the pages: a node (CataloguePages), or its N-Triples text (the pages written from the file).
Item = TypeVar("Item", ox.NamedNode, bytes)


def _named(name: object) -> ox.NamedNode:
    return ox.NamedNode(str(name))


class CataloguePages:
    """The catalogue's triples grouped once: what every page shares, and what each item brings."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        about: dict[Node, list[ox.Triple]] = defaultdict(list)
        for triple in triples:
            about[triple.subject].append(triple)  # type: ignore[index]
        catalogues: set[Node] = {t.subject for ts in about.values() for t in ts  # type: ignore[misc]
                                 if t.predicate == _TYPE and t.object == _CATALOG}
        items = sorted({t.object for c in catalogues for t in about[c] if t.predicate == _DATASET},  # type: ignore[index]
                       key=str)
        self.items: list[ox.NamedNode] = [item for item in items if isinstance(item, ox.NamedNode)]
        self._groups = self._series_groups(about)
        self._layouts: dict[int, list[list[ox.NamedNode]]] = {}
        stop: set[object] = set(self.items) | catalogues
        self._owned = {item: self._reach([item], about, stop - {item}) for item in self.items}
        reached = {t for owned in self._owned.values() for t in owned}
        shared = self._reach(list(catalogues), about, set(self.items))  # type: ignore[arg-type]
        # Whatever neither the catalogue nor an item leads to (e.g. a release's own description) is shared too.
        known = reached | set(shared)
        shared += [t for ts in about.values() for t in ts if t not in known]
        # A shared triple that names an item (the catalogue's dcat:dataset, the service's dcat:servesDataset …)
        # goes with that item's page: the shared part must not grow with the items, nor name what a page lacks.
        # The same for a node an item leads to that names other items (the SPARQL service, reached through a
        # distribution's dcat:accessService, lists every data set it serves).
        items_set: set[object] = set(self.items)
        self._item_links: dict[object, list[ox.Triple]] = defaultdict(list)
        for triple in shared:
            if triple.object in items_set:
                self._item_links[triple.object].append(triple)
        self._shared = [t for t in shared if t.object not in items_set]
        for item, owned in self._owned.items():
            kept = []
            for triple in owned:
                if triple.subject != item and triple.object in items_set and triple.object != item:
                    if triple not in self._item_links[triple.object]:
                        self._item_links[triple.object].append(triple)
                else:
                    kept.append(triple)
            self._owned[item] = kept

    @staticmethod
    def _reach(start: list[Node], about: dict[Node, list[ox.Triple]], stop: set[object]) -> list[ox.Triple]:
        """Triples about ``start`` and about every node they lead to, not entering ``stop``."""
        seen = set(start)
        queue = list(start)
        found: list[ox.Triple] = []
        while queue:
            node = queue.pop()
            for triple in about.get(node, ()):
                found.append(triple)
                target = triple.object
                if target in about and target not in seen and target not in stop:
                    seen.add(target)  # type: ignore[arg-type]
                    queue.append(target)  # type: ignore[arg-type]
        return found

    def _series_groups(self, about: dict[Node, list[ox.Triple]]) -> list[list[ox.NamedNode]]:
        """Items that must share a page: a series with its members (a member names its series, and the shapes
        check that what it names is a series), in IRI order; an item in no series alone."""
        items = set(self.items)
        series_of = {item: t.object for item in self.items for t in about[item]
                     if t.predicate == _IN_SERIES and t.object in items}
        return _series_groups(self.items, series_of, str)  # type: ignore[arg-type]

    def _layout(self, size: int) -> list[list[ox.NamedNode]]:
        """Items per page: whole groups, as many as fit in ``size`` (a group larger than that has a page alone)."""
        if size not in self._layouts:
            self._layouts[size] = _filled(self._groups, size)
        return self._layouts[size]

    def count(self, size: int) -> int:
        """How many pages of at most ``size`` items (at least 1; a series larger than ``size`` fills one alone)."""
        return len(self._layout(size))

    def page(self, number: int, size: int, page_url: Callable[[int], str]) -> list[ox.Triple]:
        """Page ``number`` (1-based, within :meth:`count`) with at most ``size`` items; with more than one page,
        the Hydra view that links it to the others (``page_url(n)`` is where page n is served)."""
        pages = self.count(size)
        triples = self.page_triples(number, size)
        if pages > 1:
            triples += hydra_view(page_url, number, pages, len(self.items), size)
        return triples

    def page_triples(self, number: int, size: int) -> list[ox.Triple]:
        """Page ``number`` of at most ``size`` items without its Hydra view."""
        pages = self.count(size)
        if not 1 <= number <= pages:
            raise ValueError(f"page {number} of {pages}")
        chosen = self._layout(size)[number - 1]
        triples = list(self._shared)
        seen = set(triples)
        for item in chosen:
            for triple in self._item_links.get(item, []) + self._owned[item]:
                if triple not in seen:
                    seen.add(triple)
                    triples.append(triple)
        return triples


def _series_groups(items: list[Item], series_of: dict[Item, Item], key: Callable[[Item], Any]) -> list[list[Item]]:
    """``items`` (sorted) in groups: each series with its members, the series first, then its members by ``key``;
    an item in no series alone."""
    members: dict[Item, list[Item]] = defaultdict(list)
    for item in items:
        members[series_of.get(item, item)].append(item)
    groups = [members[head] for head in items if head in members]
    for group in groups:
        group.sort(key=lambda item: (item in series_of, key(item)))
    return groups


def _filled(groups: list[list[Item]], size: int) -> list[list[Item]]:
    """Items per page: whole groups, as many as fit in ``size`` (a group larger than that has a page alone)."""
    pages: list[list[Item]] = []
    for group in groups:
        if pages and len(pages[-1]) + len(group) <= size:
            pages[-1].extend(group)
        else:
            pages.append(list(group))
    return pages or [[]]


#: Where a release holds its catalogue pages (one folder per page size).
PAGES_DIR = "catalog-pages"
_INDEX = "index.json"


def write_catalogue_pages(release_dir: Path, size: int, previous: Path | None = None) -> dict[str, int]:
    """Write the pages of ``size`` items of the catalogue ``catalog.nt`` of ``release_dir`` into it (each page's
    N-Triples, gzip, without its Hydra view; and their index); returns the index (``size``, ``pages``, ``items``).

    The pages are what :class:`CataloguePages` gives, byte for byte, worked out from the file read by subject
    (:class:`_Subjects`) instead of the whole catalogue held: what stays in memory is an index of the subjects (24
    bytes each), the items and the lines naming them, the nodes every page shares, and a few pages. A page whose
    bytes the ``previous`` release holds (its index states each page's SHA-256) is a hard link to its file."""
    release_dir = Path(release_dir)
    with _Subjects(release_dir / CATALOG_NT) as catalogue, \
            tempfile.TemporaryFile(dir=release_dir) as scratch:
        return _write_pages(release_dir, _StreamedPages(catalogue, scratch), size, previous)


def _write_pages(release_dir: Path, pages: _StreamedPages, size: int, previous: Path | None) -> dict[str, int]:
    layout = pages.layout(size)
    index: dict[str, Any] = {"size": size, "pages": len(layout), "items": len(pages.items)}
    before = written_pages(previous, size) if previous is not None else None
    known = before.get("sha256", []) if before is not None else []
    parent = release_dir / PAGES_DIR
    parent.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pages-", dir=parent))
    digests = []
    try:
        # Compressing (ISA-L lets go of the GIL) runs beside the next page's lines: a core may be idle.
        with ThreadPoolExecutor(max_workers=1) as packer:
            pending: list[Future[None]] = []
            for number, chosen in enumerate(layout, start=1):
                data = b"".join(line + b"\n" for line in pages.page_lines(chosen))
                digest = hashlib.sha256(data).hexdigest()
                digests.append(digest)
                target = staging / f"{number}.nt.gz"
                if previous is not None and number <= len(known) and known[number - 1] == digest:
                    try:
                        os.link(previous / PAGES_DIR / str(size) / target.name, target)
                        continue
                    except OSError:
                        pass  # (gone, or no hard links here: written again)
                pending.append(packer.submit(_pack, target, data))
                if len(pending) > 2:  # at most a few pages' bytes held
                    pending.pop(0).result()
            for future in pending:
                future.result()
        index["sha256"] = digests
        (staging / _INDEX).write_text(json.dumps(index), encoding="utf-8")
        final = parent / str(size)
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {key: index[key] for key in ("size", "pages", "items")}


def _pack(target: Path, data: bytes) -> None:
    target.write_bytes(igzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


class _Subjects:
    """An N-Triples file whose lines are sorted (so each subject's lines are together), read by subject: an index
    of where each subject's lines are (hashes, offsets, lengths), and what the pages are laid out by (the
    catalogues, their items, the series items name)."""

    def __init__(self, path: Path) -> None:
        self.handle = open(path, "rb")
        self._fd = self.handle.fileno()
        hashes, starts, lengths = array("q"), array("q"), array("q")
        self.catalogues: list[bytes] = []
        self.listed: list[bytes] = []  # the objects of the catalogues' dcat:dataset
        self.series: dict[bytes, list[bytes]] = {}  # subject → the objects of its dcat:inSeries
        subject, start, offset = b"", 0, 0
        listed: list[bytes] = []
        catalogue = False
        for line in chain(self.handle, [b" \n"]):  # (the last line, of no subject, ends the last subject's lines)
            cut = line.find(b" ")
            if line[:cut] != subject:
                if subject:
                    hashes.append(hash(subject))
                    starts.append(start)
                    lengths.append(offset - start)
                    if catalogue:
                        self.catalogues.append(subject)
                        self.listed += listed
                subject, start, listed, catalogue = line[:cut], offset, [], False
            offset += len(line)
            rest = line[cut + 1:]
            if rest.startswith(_DATASET_NT):
                listed.append(rest[len(_DATASET_NT):-3])
            elif rest.startswith(_IN_SERIES_NT):
                self.series.setdefault(subject, []).append(rest[len(_IN_SERIES_NT):-3])
            elif rest == _IS_CATALOG_NT:
                catalogue = True
        self.count = len(hashes)
        order = sorted(range(self.count), key=hashes.__getitem__)
        # (arrays, not dicts: 24 bytes a subject; searched with bisect)
        self._hashes = array("q", (hashes[i] for i in order))
        self._starts = array("q", (starts[i] for i in order))
        self._lengths = array("q", (lengths[i] for i in order))

    def __enter__(self) -> _Subjects:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def find(self, node: bytes) -> tuple[int, list[bytes]] | None:
        """The index number of ``node`` and its lines (without their line ends, in the file's order); None when it
        is not a subject of the file."""
        key = hash(node)
        at = bisect_left(self._hashes, key)
        while at < self.count and self._hashes[at] == key:  # (two subjects of one hash: told apart by their text)
            data = os.pread(self._fd, self._lengths[at], self._starts[at])
            if data.startswith(node + b" "):
                return at, data.split(b"\n")[:-1]
            at += 1
        return None

    def unvisited(self, visited: bytearray) -> Iterator[list[bytes]]:
        """The lines of each subject whose index number is not set in ``visited``, in the file's order."""
        for at in sorted((at for at in range(self.count) if not visited[at]), key=self._starts.__getitem__):
            yield os.pread(self._fd, self._lengths[at], self._starts[at]).split(b"\n")[:-1]


def _object(line: bytes) -> bytes:
    """The object of an N-Triples line as pyoxigraph writes it (``<s> <p> o .``)."""
    return line[line.find(b" ", line.find(b" ") + 1) + 1:-2]


class _Node:
    """One subject's lines, split into those naming an item (by the item) and the others, with the objects of
    these that may be subjects (where a walk may go on)."""

    __slots__ = ("lines", "naming", "number", "rest", "subject", "targets")

    def __init__(self, number: int, lines: list[bytes], items: set[bytes]) -> None:
        self.number = number
        self.lines = lines
        self.subject = lines[0][:lines[0].find(b" ")]
        self.naming: dict[bytes, list[bytes]] = {}
        self.rest: list[bytes] = []  # the lines naming no item
        self.targets: list[bytes] = []  # the IRIs and blank nodes they name, in line order
        for line in lines:
            target = _object(line)
            if target in items:
                self.naming.setdefault(target, []).append(line)
                continue
            self.rest.append(line)
            if target[:1] in b"<_":
                self.targets.append(target)


class _StreamedPages:
    """The pages of :class:`CataloguePages` worked out by walking a :class:`_Subjects` file: the same walks (depth
    first, lines in the file's order), the same lines moved to the page of the item they name, the same order.
    Each item's lines are written to ``scratch`` as its walk finds them, and read back for its page."""

    def __init__(self, catalogue: _Subjects, scratch: IO[bytes]) -> None:
        self.catalogue = catalogue
        self.scratch = scratch
        catalogues = set(catalogue.catalogues)
        self.items = sorted(item for item in set(catalogue.listed) if item.startswith(b"<"))
        self.item_set = set(self.items)
        self._held: dict[bytes, _Node] = {}  # the nodes the catalogues lead to: every item's walk passes them
        self._visited = bytearray(catalogue.count)
        # What every page shares: the walk from the catalogues, into no item. The lines naming an item go to it.
        links: dict[bytes, list[bytes]] = defaultdict(list)
        self.shared: list[bytes] = []
        for node in self._walk(sorted(catalogues), self.item_set):
            self._held[node.subject] = node
            self.shared += node.rest
            for named, lines in node.naming.items():
                links[named] += lines
        # Each item's walk, in item order: its lines (the lines of other nodes naming other items go to those
        # items' pages: CataloguePages' item links), and what no walk reaches (shared too).
        stop = self.item_set | catalogues
        moved: dict[bytes, list[bytes]] = defaultdict(list)
        first_visitor: dict[bytes, bytes | None] = {}  # node → the item whose lines it has still to move
        self._owned: dict[bytes, tuple[int, int]] = {}  # item → where its lines are in the scratch file
        for item in self.items:
            found: list[bytes] = []
            for node in self._walk([item], stop - {item}):
                subject = node.subject
                if subject == item:
                    found += node.lines
                    continue
                if not node.naming:
                    found += node.rest
                    continue
                found += sorted([*node.rest, *node.naming[item]]) if item in node.naming else node.rest
                if subject in self._held:
                    continue  # (its lines naming items went with the shared ones)
                if subject not in first_visitor:
                    first_visitor[subject] = item
                    for named, lines in node.naming.items():
                        if named != item:
                            moved[named] += lines
                elif (earlier := first_visitor[subject]) not in (None, item):
                    moved[earlier] += node.naming.get(earlier, [])  # type: ignore[index]
                    first_visitor[subject] = None
            data = b"".join(line + b"\n" for line in found)
            self._owned[item] = (scratch.tell(), len(data))
            scratch.write(data)
        scratch.flush()
        for lines in catalogue.unvisited(self._visited):
            for line in lines:
                target = _object(line)
                if target in self.item_set:
                    links[target].append(line)
                else:
                    self.shared.append(line)
        self.links = {item: links.get(item, []) + moved.get(item, []) for item in self.items}
        self._layouts: dict[int, list[list[bytes]]] = {}

    def _node(self, subject: bytes) -> _Node | None:
        node = self._held.get(subject)
        if node is None and subject[:1] in b"<_":
            found = self.catalogue.find(subject)
            if found is not None:
                node = _Node(found[0], found[1], self.item_set)
        if node is not None:
            self._visited[node.number] = 1
        return node

    def _walk(self, start: list[bytes], stop: set[bytes]) -> Iterator[_Node]:
        """The nodes :meth:`CataloguePages._reach` visits from ``start``, in its order. (It goes on only to objects
        that are subjects; this goes on to every IRI, and one that is no subject yields nothing: the same walk.)"""
        seen = set(start)
        queue = list(start)
        while queue:
            node = self._node(queue.pop())
            if node is None:
                continue
            yield node
            # (lines naming an item lead nowhere: the items are in ``stop`` but the walk's own, which is seen)
            for target in node.targets:
                if target not in seen and target not in stop:
                    seen.add(target)
                    queue.append(target)

    def owned(self, item: bytes) -> list[bytes]:
        """The lines of the walk from ``item`` but those of other nodes naming other items (CataloguePages'
        ``_owned``)."""
        start, length = self._owned[item]
        return os.pread(self.scratch.fileno(), length, start).split(b"\n")[:-1]

    def layout(self, size: int) -> list[list[bytes]]:
        """Items per page, as :meth:`CataloguePages._layout`."""
        if size not in self._layouts:
            series_of = {}
            for item in self.items:
                for series in self.catalogue.series.get(item, []):
                    if series in self.item_set:
                        series_of[item] = series  # (the last, as the dict of CataloguePages keeps)
            self._layouts[size] = _filled(_series_groups(self.items, series_of, lambda item: item), size)
        return self._layouts[size]

    def page_lines(self, chosen: list[bytes]) -> list[bytes]:
        """The lines of the page of the items ``chosen``, in the order :meth:`CataloguePages.page_triples` gives."""
        lines = list(self.shared)
        seen = set(lines)
        for item in chosen:
            for line in self.links[item] + self.owned(item):
                if line not in seen:
                    seen.add(line)
                    lines.append(line)
        return lines


def written_pages(release_dir: Path, size: int) -> dict[str, Any] | None:
    """The index of the pages of ``size`` items the build wrote into ``release_dir``, or None (none written for
    that size: a release written before releases held pages, or a server set to another page size)."""
    try:
        index = json.loads((Path(release_dir) / PAGES_DIR / str(size) / _INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return index if isinstance(index, dict) and index.get("size") == size else None


def written_page_bytes(release_dir: Path, size: int, number: int) -> bytes:
    """Page ``number`` of the pages of ``size`` items written into ``release_dir`` as N-Triples, without its Hydra
    view."""
    return gzip.decompress((Path(release_dir) / PAGES_DIR / str(size) / f"{number}.nt.gz").read_bytes())


def written_page(release_dir: Path, size: int, number: int) -> list[ox.Triple]:
    """Page ``number`` of the pages of ``size`` items written into ``release_dir``, without its Hydra view."""
    return [quad.triple for quad in ox.parse(written_page_bytes(release_dir, size, number),
                                             format=ox.RdfFormat.N_TRIPLES)]


def hydra_view(page_url: Callable[[int], str], number: int, pages: int, total: int,
                size: int) -> list[ox.Triple]:
    view = ox.NamedNode(page_url(number))
    links = {"first": 1, "last": pages}
    if number > 1:
        links["previous"] = number - 1
    if number < pages:
        links["next"] = number + 1
    integer = _named(XSD.integer)
    triples = [ox.Triple(view, _TYPE, _named(HYDRA.PartialCollectionView)),
               ox.Triple(view, _named(HYDRA.totalItems), ox.Literal(str(total), datatype=integer)),
               ox.Triple(view, _named(HYDRA.itemsPerPage), ox.Literal(str(size), datatype=integer))]
    triples += [ox.Triple(view, _named(HYDRA[name]), ox.NamedNode(page_url(target))) for name, target in links.items()]
    return triples
