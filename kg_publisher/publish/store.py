"""The read-only ``Store`` the server queries: a small interface, and its embedded pyoxigraph implementation.

A remote SPARQL store implements the same :class:`Store` protocol (:mod:`.remote`). Resource lookups (a
resource's triples, the triples pointing at it, labels) are cheap index lookups and run in the calling process;
so does a SPARQL query that is one triple pattern with a bound subject or object (``SELECT ?p ?o WHERE { <iri>
?p ?o }``, the commonest query of linked-data clients) or ``DESCRIBE <iri>``: its work is bounded by that IRI's
triples (and the blank nodes they reach) and the row cap, and it runs as the text
:func:`~.query_analysis.analyse` wrote out from the terms it read, so no client text reaches the engine in this
process, which has a network. Every other query runs in a
:class:`~kg_publisher.publish.workers.QueryPool` so it can be stopped at the time limit: a lookup that waited
there behind aggregates was the soak's slow request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..errors import StoreError
from ..settings import Settings
from .admission import SharedSlots, expensive_slots_for
from .release import Release
from .sparql import QueryAnswer, QueryJob, answer, check_request
from .triples import describe_in, incoming_in, labels_in
from .workers import QueryPool


class Store(Protocol):
    """What the web layer needs from a store. The default graph of queries is the RDF merge of the named graphs."""

    #: Data version (the release version): ETags and caches are keyed by it.
    version: str
    #: The release the store was built from (dumps, catalogue, source texts), when there is one.
    release: Release | None

    def query(self, job: QueryJob) -> QueryAnswer: ...

    def describe(self, iri: str) -> list[ox.Triple]:
        """Triples about ``iri`` in any graph, plus those of blank nodes reached from it (CBD)."""
        ...

    def incoming(self, iri: str, limit: int, offset: int = 0) -> list[ox.Triple]:
        """Triples whose object is ``iri``: at most ``limit``, after the first ``offset`` (pages of a list)."""
        ...

    def exists(self, iri: str) -> bool: ...

    def graph(self, name: str) -> list[ox.Triple]:
        """Every triple of one named graph."""
        ...

    def subjects(self, prefix: str, limit: int) -> list[str]:
        """IRIs starting with ``prefix`` that are subjects of some triple (sorted, at most ``limit``)."""
        ...

    def labels(self, iri: str) -> list[ox.Literal]: ...

    def graph_sizes(self) -> dict[str, int]:
        """Named graph IRI → number of triples."""
        ...

    def close(self) -> None: ...


class OxigraphStore:
    """An on-disk pyoxigraph store opened read-only (e.g. ``release/store``)."""

    def __init__(self, path: Path, settings: Settings, release: Release | None = None,
                 query_workers: int | None = None, expensive_slots: SharedSlots | None = None) -> None:
        self.path = Path(path)
        self.release = release
        self.settings = settings
        try:
            self._store = ox.Store.read_only(str(self.path))
        except OSError as exc:
            raise StoreError(f"The store at {self.path} cannot be opened read-only: {exc}") from None
        self.version = release.version if release is not None else f"store-{self.path.stat().st_mtime_ns:x}"
        workers = query_workers or settings.query_workers
        self._pool = QueryPool(str(self.path), size=workers, timeout=settings.query_timeout,
                               expensive_slots=expensive_slots or expensive_slots_for(settings))
        self._pool.start()

    @classmethod
    def from_release(cls, release: Release, settings: Settings,
                     expensive_slots: SharedSlots | None = None) -> OxigraphStore:
        return cls(release.store_path, settings, release, expensive_slots=expensive_slots)

    def query(self, job: QueryJob) -> QueryAnswer:
        shape = check_request(job, self.graph_sizes(), self.settings.max_query_bytes)
        job = replace(job, engine_text=shape.text, row_limit=shape.limit)
        if shape.lookup_text is not None and not job.default_graphs and not job.named_graphs:
            return answer(self._store.query(shape.lookup_text), job)
        return self._pool.run(job, shape.cost)

    def describe(self, iri: str) -> list[ox.Triple]:
        return describe_in(self._store, iri)

    def incoming(self, iri: str, limit: int, offset: int = 0) -> list[ox.Triple]:
        return incoming_in(self._store, iri, limit, offset)

    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return (next(iter(self._store.quads_for_pattern(node, None, None)), None) is not None
                or next(iter(self._store.quads_for_pattern(None, None, node)), None) is not None)

    def graph(self, name: str) -> list[ox.Triple]:
        return [quad.triple for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(name))]

    def subjects(self, prefix: str, limit: int) -> list[str]:
        found: set[str] = set()
        for quad in self._store.quads_for_pattern(None, None, None):
            subject = quad.subject
            if isinstance(subject, ox.NamedNode) and subject.value.startswith(prefix):
                found.add(subject.value)
        return sorted(found)[:limit]

    def labels(self, iri: str) -> list[ox.Literal]:
        return labels_in(self._store, iri)

    @cached_property
    def _graph_sizes(self) -> dict[str, int]:
        if self.release is not None:
            return {str(name): int(count) for name, count in self.release.manifest["graphs"].items()}
        sizes: dict[str, int] = {}
        for graph in self._store.named_graphs():
            if isinstance(graph, ox.NamedNode):
                sizes[graph.value] = sum(1 for _ in self._store.quads_for_pattern(None, None, None, graph))
        return sizes

    def graph_sizes(self) -> dict[str, int]:
        return self._graph_sizes

    def close(self) -> None:
        self._pool.close()


def best_label(labels: Iterable[ox.Literal], language: str = "zh") -> str | None:
    """The label in ``language`` (then English, then any) — Chinese first on our pages."""
    ranked = sorted(labels, key=lambda lit: (0 if (lit.language or "").startswith(language) else
                                              1 if (lit.language or "").startswith("en") else 2, lit.value))
    return ranked[0].value if ranked else None
