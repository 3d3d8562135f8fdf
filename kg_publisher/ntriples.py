"""rdflib graphs read fast and written as N-Triples: the build writes every disclosure's graph and quality report
this way (rdflib's own writer asks its store, triple by triple, which graphs hold each triple, and writes every
term anew each time it occurs)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import Graph, Literal
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node


def grouped_triples(graph: Graph) -> Iterable[tuple[Node, Mapping[Node, Iterable[Node]]]]:
    """The triples of ``graph`` as (subject, {predicate: objects}). A plain graph alone in rdflib's memory store
    is read from the store's own subject index; any other graph triple by triple."""
    store = graph.store
    if type(graph) is Graph and type(store) is Memory and len(store) == len(graph):
        spo = getattr(store, "_Memory__spo", None)
        if isinstance(spo, dict):
            return spo.items()
    grouped: dict[Node, dict[Node, dict[Node, None]]] = {}
    for s, p, o in graph:
        grouped.setdefault(s, {}).setdefault(p, {})[o] = None
    return grouped.items()


def _literal(value: Literal) -> str:
    """A literal written as rdflib's N-Triples writer writes it."""
    text = value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    if value.language:
        return f'"{text}"@{value.language}'
    if value.datatype:
        return f'"{text}"^^<{value.datatype}>'
    return f'"{text}"'


def graph_ntriples(graph: Graph) -> bytes:
    """``graph`` as N-Triples, UTF-8: the lines rdflib's ``serialize(format="nt")`` writes, each term written once."""
    written: dict[Node, str] = {}

    def term(node: Node) -> str:
        found = written.get(node)
        if found is None:
            found = written[node] = _literal(node) if isinstance(node, Literal) else node.n3()
        return found

    lines: list[str] = []
    for subject, predicates in grouped_triples(graph):
        head = term(subject)
        for predicate, objects in predicates.items():
            start = f"{head} {term(predicate)} "
            lines += [f"{start}{term(value)} .\n" for value in objects]
    return "".join(lines).encode("utf-8")
