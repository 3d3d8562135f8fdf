"""Lookups of a resource's triples (its description, the triples pointing at it, its labels) over a pyoxigraph
store: the server's on-disk store, or one disclosure's quads in memory while a release is written."""

from __future__ import annotations

from typing import Protocol

import pyoxigraph as ox

LABEL_PREDICATES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2008/05/skos-xl#literalForm",
    "http://www.w3.org/2004/02/skos/core#notation",
)


class Triples(Protocol):
    """Lookups of a resource's triples: what the readers of figures and findings need (a store, or the quads of
    one disclosure at build time, :class:`StoreIndex`)."""

    def describe(self, iri: str) -> list[ox.Triple]: ...

    def incoming(self, iri: str, limit: int, offset: int = 0) -> list[ox.Triple]: ...

    def labels(self, iri: str) -> list[ox.Literal]: ...


class StoreIndex:
    """:class:`Triples` over a pyoxigraph store (one disclosure's graphs in memory while its part is written)."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    def describe(self, iri: str) -> list[ox.Triple]:
        return describe_in(self._store, iri)

    def incoming(self, iri: str, limit: int, offset: int = 0) -> list[ox.Triple]:
        return incoming_in(self._store, iri, limit, offset)

    def labels(self, iri: str) -> list[ox.Literal]:
        return labels_in(self._store, iri)


def describe_in(store: ox.Store, iri: str) -> list[ox.Triple]:
    """Triples about ``iri`` in any graph of ``store``, plus those of blank nodes reached from it (CBD)."""
    seen: set[ox.Triple] = set()
    out: list[ox.Triple] = []
    pending: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
    visited: set[object] = set()
    while pending:
        node = pending.pop()
        if node in visited:
            continue
        visited.add(node)
        for quad in store.quads_for_pattern(node, None, None):
            triple = quad.triple
            if triple not in seen:
                seen.add(triple)
                out.append(triple)
            if isinstance(quad.object, ox.BlankNode):
                pending.append(quad.object)
    return out


def incoming_in(store: ox.Store, iri: str, limit: int, offset: int = 0) -> list[ox.Triple]:
    """Triples of ``store`` whose object is ``iri``: at most ``limit``, after the first ``offset`` (each triple
    once, in the store's index order, which does not change in a read-only store: pages do not overlap)."""
    out: list[ox.Triple] = []
    seen: set[ox.Triple] = set()
    for quad in store.quads_for_pattern(None, None, ox.NamedNode(iri)):
        if quad.triple not in seen:
            seen.add(quad.triple)
            if len(seen) <= offset:
                continue
            out.append(quad.triple)
            if len(out) >= limit:
                break
    return out


def labels_in(store: ox.Store, iri: str) -> list[ox.Literal]:
    """The labels of ``iri``: those of the first of :data:`LABEL_PREDICATES` it has."""
    node = ox.NamedNode(iri)
    found: list[ox.Literal] = []
    for predicate in LABEL_PREDICATES:
        # Every graph, the default one (their merge) included: each label once.
        found += dict.fromkeys(q.object for q in store.quads_for_pattern(node, ox.NamedNode(predicate), None)
                               if isinstance(q.object, ox.Literal) and q.object not in found)
        if found:
            break
    return found
