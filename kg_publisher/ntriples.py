"""rdflib graphs made, read and written as N-Triples fast. The build makes every disclosure's graph with
:func:`filled_graph` (rdflib's ``Graph.add`` costs ≈ 20 µs a triple: asserts, an event, the bookkeeping of which
graphs hold the triple) and writes it and its quality report with :func:`graph_ntriples` (rdflib's own writer asks
its store, triple by triple, which graphs hold each triple, and writes every term anew each time it occurs)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

from rdflib import Graph, Literal
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

#: What rdflib's memory store keeps besides its three indexes, as it is in a graph alone in its store that was only
#: ever added to: checked before :func:`filled_graph` fills one (any other layout: ``Graph.addN``).
_BOOKKEEPING = ("_Memory__tripleContexts", "_Memory__contextTriples", "_Memory__defaultContexts",
                "_Memory__context_obj_map", "_Memory__all_contexts")
_INDEXES = ("_Memory__spo", "_Memory__pos", "_Memory__osp")


def filled_graph(triples: Iterable[Triple]) -> Graph:
    """A new rdflib graph holding ``triples`` (rdflib terms; repeats kept once), in the state ``Graph.add`` of each
    triple in turn leaves it: its memory store's indexes filled here in one pass, in the same insertion order (the
    order :func:`graph_ntriples` writes), and the same record of the one graph that holds every triple
    (tests/rdf/test_ntriples.py compares the two states)."""
    graph = Graph()
    store: Any = graph.store
    state = vars(store)
    # the three indexes: term → term → term → 1
    spo: dict[Node, dict[Node, dict[Node, int]]] = state.get("_Memory__spo", {})
    pos: dict[Node, dict[Node, dict[Node, int]]] = state.get("_Memory__pos", {})
    osp: dict[Node, dict[Node, dict[Node, int]]] = state.get("_Memory__osp", {})
    if (type(store) is not Memory or not all(name in state for name in (*_BOOKKEEPING, *_INDEXES))
            or spo != {} or pos != {} or osp != {} or state["_Memory__defaultContexts"] is not None
            or state["_Memory__contextTriples"] != {None: set()}):
        graph.addN((s, p, o, graph) for s, p, o in triples)  # another rdflib: its own way
        return graph
    added: list[Triple] = []
    for s, p, o in triples:
        if not _indexed(spo, s, p, o):  # a repeat
            continue
        _indexed(pos, p, o, s)
        _indexed(osp, o, s, p)
        added.append((s, p, o))
    if added:
        # Graph.add(t) records t as held by the graph and the default graph; the first triple's record becomes
        # the store's default, and a triple whose record equals the default keeps none of its own.
        context = f"{graph.identifier.__class__.__name__}:{graph.identifier}"
        state["_Memory__context_obj_map"][context] = graph
        state["_Memory__all_contexts"].add(graph)
        state["_Memory__defaultContexts"] = {context: False, None: False}
        held = state["_Memory__contextTriples"]
        held[context] = set(added)
        held[None] = held[context].copy()  # a copy keeps the hashes (a literal's is Python code)
    return graph


def free_graph(graph: Graph) -> None:
    """Empty ``graph`` (which the caller drops) at once. A graph and its memory store refer to each other, so what
    they hold would wait for the garbage collector, and the one collection after a document (``build.one_document``)
    would walk every dict of the three indexes first (≈ 20 ms of a generated document's ≈ 25): emptied, they are
    freed as their last reference goes."""
    store = graph.store
    if type(store) is Memory:
        store.__init__(identifier=store.identifier)  # type: ignore[misc]  # the state of a new store: no index left


def _indexed(index: dict[Node, dict[Node, dict[Node, int]]], first: Node, second: Node, third: Node) -> bool:
    """Put ``first → second → third`` into one of the memory store's indexes; whether it was not there yet (one
    hash of ``third``, which is Python code for a literal, not two)."""
    inner = index.get(first)
    if inner is None:
        inner = index[first] = {}
    leaves = inner.get(second)
    if leaves is None:
        leaves = inner[second] = {}
    count = len(leaves)
    leaves[third] = 1
    return len(leaves) != count


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


#: What pyoxigraph's N-Triples writer escapes in a literal besides quote, backslash, LF and CR: the other ASCII
#: controls, DEL, U+FFFE and U+FFFF (as \b, \t, \f, the others as \uXXXX).
_RARE = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_RARE_ESCAPES = {"\b": "\\b", "\t": "\\t", "\f": "\\f"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rare_escape(found: re.Match[str]) -> str:
    char = found.group()
    return _RARE_ESCAPES.get(char) or f"\\u{ord(char):04X}"


def _literal(value: Literal) -> str:
    """A literal written as pyoxigraph's N-Triples writer writes it: its escapes, the language tag in lower case,
    no datatype for ``xsd:string``."""
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if not text.isprintable() and _RARE.search(text):  # rare: most literals are printable text
        text = _RARE.sub(_rare_escape, text)
    if value.language:
        return f'"{text}"@{value.language.lower()}'
    if value.datatype is not None and str(value.datatype) != _XSD_STRING:
        return f'"{text}"^^<{value.datatype}>'
    return f'"{text}"'


def graph_ntriples(graph: Graph) -> bytes:
    """``graph`` as N-Triples, UTF-8, each term written once: each triple as pyoxigraph writes it, the lines sorted
    (as bytes: UTF-8 sorts as code points do) and each once. The part of a disclosure uses them as they are
    (:func:`~kg_publisher.publish.document.canonical_lines`) instead of reading them into pyoxigraph and writing
    them again."""
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
            lines += [f"{start}{term(value)} ." for value in objects]
    return _joined(lines)


def merged_ntriples(*texts: bytes) -> bytes:
    """N-Triples written by :func:`graph_ntriples` as one such text (the lines of all, sorted, each once)."""
    return _joined([line.decode("utf-8") for text in texts for line in text.splitlines()])


def _joined(lines: list[str]) -> bytes:
    """Lines sorted, each once (two rdflib terms can be written alike: "x" with ``xsd:string`` and without), as
    UTF-8 text. Sorted, then repeats dropped beside each other: a set would hash every line, long quotes too."""
    if not lines:
        return b""
    lines.sort()
    once = [line for line, after in pairwise(lines) if line != after]
    once.append(lines[-1])
    return ("\n".join(once) + "\n").encode("utf-8")
