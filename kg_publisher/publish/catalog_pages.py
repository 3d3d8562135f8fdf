"""The served catalogue in pages, so that no response grows with the number of disclosures (issue 9 §6).

A page is a DCAT catalogue of its own: the catalogue node with the ``dcat:dataset`` links of that page's items (data
sets and dataset series; a series and its members always on one page, as a member names its series), every triple
about those items and about what they alone lead to (distributions, checksums, periods, class partitions …), and the
part every page shares (the catalogue's own description, its services, publisher, themes). Pages are linked as a
Hydra partial collection view (``hydra:first``/``previous``/``next``/``last``, ``hydra:totalItems``), which is what
ckanext-dcat's harvester follows. The whole catalogue stays one file in the release (``catalog.nt``).

The build writes the pages of its ``catalog_page_size`` into the release (:func:`write_catalogue_pages`:
``catalog-pages/{size}/{n}.nt.gz``, each page without its Hydra view, which names where it is served, and
``index.json``), so a server reads one page a request instead of grouping the whole catalogue in every worker
(2.8 s and ~170 MB a worker at 1,000 disclosures); a server configured with another page size groups it itself.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..vocab import DCAT, DCAT3, HYDRA, RDF, XSD

_TYPE = ox.NamedNode(str(RDF.type))
_CATALOG = ox.NamedNode(str(DCAT.Catalog))
_DATASET = ox.NamedNode(str(DCAT.dataset))
_IN_SERIES = ox.NamedNode(str(DCAT3.inSeries))


Node = ox.NamedNode | ox.BlankNode


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
        members: dict[object, list[ox.NamedNode]] = defaultdict(list)
        for item in self.items:
            members[series_of.get(item, item)].append(item)
        groups = [members[head] for head in self.items if head in members]
        for group in groups:  # the series first, then its members
            group.sort(key=lambda item: (item in series_of, str(item)))
        return groups

    def _layout(self, size: int) -> list[list[ox.NamedNode]]:
        """Items per page: whole groups, as many as fit in ``size`` (a group larger than that has a page alone)."""
        if size not in self._layouts:
            pages: list[list[ox.NamedNode]] = []
            for group in self._groups:
                if pages and len(pages[-1]) + len(group) <= size:
                    pages[-1].extend(group)
                else:
                    pages.append(list(group))
            self._layouts[size] = pages or [[]]
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


#: Where a release holds its catalogue pages (one folder per page size).
PAGES_DIR = "catalog-pages"
_INDEX = "index.json"


def write_catalogue_pages(release_dir: Path, triples: Iterable[ox.Triple], size: int) -> dict[str, int]:
    """Write the pages of ``size`` items of the catalogue ``triples`` into ``release_dir`` (each page's N-Triples,
    gzip, without its Hydra view; and their index); returns the index (``size``, ``pages``, ``items``)."""
    pages = CataloguePages(triples)
    index = {"size": size, "pages": pages.count(size), "items": len(pages.items)}
    parent = Path(release_dir) / PAGES_DIR
    parent.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pages-", dir=parent))
    try:
        for number in range(1, index["pages"] + 1):
            data = ox.serialize(pages.page_triples(number, size), format=ox.RdfFormat.N_TRIPLES)
            (staging / f"{number}.nt.gz").write_bytes(gzip.compress(data or b"", compresslevel=6, mtime=0))
        (staging / _INDEX).write_text(json.dumps(index), encoding="utf-8")
        final = parent / str(size)
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return index


def written_pages(release_dir: Path, size: int) -> dict[str, Any] | None:
    """The index of the pages of ``size`` items the build wrote into ``release_dir``, or None (none written for
    that size: a release written before releases held pages, or a server set to another page size)."""
    try:
        index = json.loads((Path(release_dir) / PAGES_DIR / str(size) / _INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return index if isinstance(index, dict) and index.get("size") == size else None


def written_page(release_dir: Path, size: int, number: int) -> list[ox.Triple]:
    """Page ``number`` of the pages of ``size`` items written into ``release_dir``, without its Hydra view."""
    data = gzip.decompress((Path(release_dir) / PAGES_DIR / str(size) / f"{number}.nt.gz").read_bytes())
    return [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


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
