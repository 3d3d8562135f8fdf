"""What every check shares: the one graph it runs on (every triple of the input, whatever its named graph)
and parsed queries."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Dataset, Graph
from rdflib.graph import ConjunctiveGraph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from ..vocab import bind_prefixes


def union_copy(graph: Graph) -> Graph:
    """A plain Graph holding every triple of ``graph`` (all named graphs of a Dataset/ConjunctiveGraph).

    Checks may add triples (normalisation) and must never touch what they were given.
    """
    copy = Graph()
    if isinstance(graph, ConjunctiveGraph | Dataset):
        copy.addN((s, p, o, copy) for s, p, o, _ in graph.quads((None, None, None, None)))
    else:
        copy.addN((s, p, o, copy) for s, p, o in graph)
    bind_prefixes(copy)  # offenders are named in prefixed form where we know the prefix
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=False)
    return copy


@lru_cache(maxsize=256)
def prepared_query(text: str) -> Query:
    """Parsing SPARQL costs rdflib tens of milliseconds: each query text is parsed once per process."""
    return prepareQuery(text)
