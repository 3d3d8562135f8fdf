"""Serialising small graphs (a resource's description, the catalogue) in any of our RDF syntaxes."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph

from ..vocab import PREFIXES
from .formats import JSONLD, RDFXML, TURTLE, RdfSyntax, written, xml_safe_triples
from .jsonld import compact_jsonld

_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """Only the prefixes whose namespace an IRI of ``triples`` starts with (keeps documents short)."""
    iris = {term.value for t in triples for term in (t.subject, t.predicate, t.object)
            if isinstance(term, ox.NamedNode)}
    iris |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
    return {p: ns for p, ns in _PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def serialize_triples(triples: list[ox.Triple], syntax: RdfSyntax) -> bytes:
    """Turtle with prefixes, JSON-LD compacted with an embedded ``@context``, others as pyoxigraph writes them."""
    if syntax is JSONLD:
        return compact_jsonld(triples)
    prefixes = used_prefixes(triples) if syntax is TURTLE else None
    if syntax is RDFXML:
        triples = xml_safe_triples(triples)
    return written(ox.serialize(triples, format=syntax.oxigraph, prefixes=prefixes))


def graph_triples(graph: Graph) -> list[ox.Triple]:
    """An rdflib graph as pyoxigraph triples (through N-Triples, which both read and write fast)."""
    data = graph.serialize(format="nt", encoding="utf-8")
    return [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
