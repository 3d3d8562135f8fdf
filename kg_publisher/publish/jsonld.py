"""Compacted JSON-LD with an embedded ``@context`` of our prefixes, written the same way every time.

pyoxigraph writes expanded JSON-LD only (full IRIs, no context), and rdflib's compaction is slow on a whole
release and orders nodes by its own bookkeeping. This writer sorts graphs, nodes, properties and values, keeps
every literal's lexical form as a string (``"819.80"`` with ``@type: xsd:decimal``, never a JSON number) and
abbreviates IRIs to ``prefix:local`` with only the prefixes the data uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from json.encoder import encode_basestring as _string  # what json.dumps writes of a str

import pyoxigraph as ox

from ..vocab import PREFIXES
from .formats import written

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: JSON-LD 1.1 lets a term act as a prefix only when its IRI ends with a gen-delim character.
_PREFIXABLE = {prefix: str(ns) for prefix, ns in PREFIXES.items() if str(ns)[-1] in ":/?#[]@"}
#: Longest namespace first, so ``obeu-dimension:`` wins over ``obeu:``.
_BY_LENGTH = sorted(((ns, prefix) for prefix, ns in _PREFIXABLE.items()), key=lambda item: -len(item[0]))

@lru_cache(maxsize=1 << 16)
def _compacted(iri: str) -> tuple[str, str | None]:
    """``iri`` as ``prefix:local`` and the prefix used (the IRI itself and None when no prefix fits)."""
    for namespace, prefix in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace) and not iri[len(namespace):].startswith("//"):
            return f"{prefix}:{iri[len(namespace):]}", prefix
    return iri, None


#: A value's sort key: its members sorted, as ``(name, text)`` pairs.
_Order = tuple[tuple[str, str], ...]
#: A node while it is built: its types, and per property its values (terms as N-Triples writes them).
_Node = tuple[list[str], dict[str, list[bytes]]]
_RDF_TYPE_NT = f"<{RDF_TYPE}>".encode()


class _Compactor:
    """Terms as N-Triples writes them → compact IRIs and JSON, each worked out once per document (most terms
    recur)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self._ids: dict[bytes, str] = {}
        self._values: dict[bytes, str] = {}

    def iri(self, iri: str) -> str:
        compact, prefix = _compacted(iri)
        if prefix is not None:
            self.used.add(prefix)
        return compact

    def node_id(self, term: bytes) -> str:
        """``<iri>`` → its compact IRI; ``_:label`` → itself."""
        found = self._ids.get(term)
        if found is None:
            text = term.decode()
            if text.startswith("<"):
                found = self.iri(text[1:-1])
            elif text.startswith("_:"):
                found = text
            else:  # an RDF-star triple (``<<( … )>>``): we never publish any
                raise ValueError(f"not a node: {text}")
            self._ids[term] = found
        return found

    def value(self, term: bytes) -> str:
        """The JSON of an object term: ``{"@value": …, "@language"|"@type": …}`` or ``{"@id": …}``."""
        found = self._values.get(term)
        if found is None:
            if term.startswith(b'"'):
                value, language, datatype = self._literal(term)
                string = _string(value)
                found = (f'{{"@value": {string}, "@language": {_string(language)}}}' if language else
                         f'{{"@value": {string}, "@type": {_string(datatype)}}}' if datatype else
                         f'{{"@value": {string}}}')
            else:
                found = f'{{"@id": {_string(self.node_id(term))}}}'
            self._values[term] = found
        return found

    def _literal(self, term: bytes) -> tuple[str, str, str]:
        """A literal's value, language and compact datatype ("" for none, and for plain strings)."""
        text = term.decode()
        close = text.rindex('"')
        body, tail = text[1:close], text[close + 1:]
        # pyoxigraph escapes as JSON does (\b \t \n \f \r \" \\, \uXXXX for other controls)
        value = json.loads(f'"{body}"') if "\\" in body else body
        if tail.startswith("@"):
            return value, tail[1:], ""
        if tail.startswith("^^<") and tail[3:-1] not in (XSD_STRING, RDF_LANG_STRING):
            return value, "", self.iri(tail[3:-1])
        return value, "", ""

    def _order(self, term: bytes) -> _Order:
        """A value's sort key: its JSON members sorted, as ``(name, text)`` pairs."""
        if not term.startswith(b'"'):
            return (("@id", self.node_id(term)),)
        value, language, datatype = self._literal(term)
        return ((("@language", language),) if language else (("@type", datatype),) if datatype else ()) + \
            (("@value", value),)

    def values(self, terms: list[bytes]) -> str:
        """The JSON of a property's values: one value, or the list of them in order, each once."""
        if len(terms) == 1:
            return self.value(terms[0])
        ordered = dict(sorted((self._order(term), self.value(term)) for term in terms))
        return _list(list(ordered.values()))

    def context(self) -> dict[str, str]:
        return {prefix: ns for prefix, ns in _PREFIXABLE.items() if prefix in self.used}


def _new_node() -> _Node:
    return [], {}


def _nodes(lines: Iterable[bytes], compact: _Compactor) -> dict[str, _Node]:
    nodes: dict[str, _Node] = {}
    keys: dict[bytes, str] = {}
    previous, node = b"", _new_node()
    for line in lines:
        # "<s> <p> object ." : neither a subject nor a predicate holds a blank, so two splits find the object
        subject, predicate, value = line[:-2].split(b" ", 2)
        if subject != previous:  # lines come sorted, a subject's together
            previous, name = subject, compact.node_id(subject)
            node = nodes.setdefault(name, _new_node())  # a node with nothing but its types still gets an object
        if predicate == _RDF_TYPE_NT and value.startswith(b"<"):
            node[0].append(compact.node_id(value))
            continue
        key = keys.get(predicate)
        if key is None:
            key = keys[predicate] = compact.node_id(predicate)
        found = node[1].get(key)
        if found is None:
            node[1][key] = [value]
        else:
            found.append(value)
    return nodes


def _lines(nodes: dict[str, _Node], compact: _Compactor) -> list[str]:
    """Each node as the one line ``json.dumps`` writes of it: ``@id``, ``@type``, then the properties in order,
    each value once, in order (a list only when there are several)."""
    lines = []
    for subject in sorted(nodes):
        types, properties = nodes[subject]
        members = [f'"@id": {_string(subject)}']
        if types:
            members.append(f'"@type": {_list([_string(t) for t in sorted(set(types))])}')
        for key in sorted(properties):
            members.append(f"{_string(key)}: {compact.values(properties[key])}")
        lines.append("{" + ", ".join(members) + "}")
    return lines


def _list(texts: list[str]) -> str:
    return texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"


def jsonld_of_lines(graphs: Iterable[tuple[str | None, Iterable[bytes]]]) -> bytes:
    """The JSON-LD document of graphs given as N-Triples lines as pyoxigraph writes them, without their line end
    (graph name, None for the default graph → its lines, sorted and each once: :func:`~.document.canonical_lines`;
    a name given twice is one graph)."""
    compact = _Compactor()
    default: list[Iterable[bytes]] = []
    named: dict[str, list[Iterable[bytes]]] = {}
    for name, lines in graphs:
        if name is None:
            default.append(lines)
        else:
            named.setdefault(compact.iri(name), []).append(lines)
    # One node per line, each written as json's encoder writes it with its default separators (``indent`` would
    # make json use its pure-Python encoder): still a document a person can read line by line.
    lines_out = _lines(_nodes(_distinct(default), compact), compact)
    for name in sorted(named):
        inner = ",\n".join(f"  {line}" for line in _lines(_nodes(_distinct(named[name]), compact), compact))
        lines_out.append(f'{{"@id": {_string(name)}, "@graph": [\n{inner}\n ]}}' if inner
                         else f'{{"@id": {_string(name)}, "@graph": []}}')
    body = ",\n".join(f" {line}" for line in lines_out)
    context = json.dumps(compact.context(), ensure_ascii=False)
    text = f'{{"@context": {context},\n"@graph": [\n{body}\n]}}\n' if lines_out else \
        f'{{"@context": {context},\n"@graph": []}}\n'
    return text.encode("utf-8")


def _distinct(parts: list[Iterable[bytes]]) -> Iterable[bytes]:
    """The lines of a graph given in ``parts``, each once (sorted already when given in one part)."""
    return parts[0] if len(parts) == 1 else sorted(set(chain.from_iterable(parts)))


def compact_jsonld(quads: Iterable[ox.Quad | ox.Triple]) -> bytes:
    """Triples or quads as one JSON-LD document: ``{"@context": …, "@graph": [nodes, {"@id": g, "@graph": …}]}``;
    the same document whatever their order."""
    by_graph: dict[str | None, list[ox.Triple]] = {}
    for item in quads:
        if isinstance(item, ox.Quad):
            graph = item.graph_name
            by_graph.setdefault(None if isinstance(graph, ox.DefaultGraph) else graph.value, []).append(item.triple)
        else:
            by_graph.setdefault(None, []).append(item)
    return jsonld_of_lines((name, sorted(set(written(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
                                             .splitlines())))
                           for name, triples in by_graph.items())


__all__ = ["compact_jsonld", "jsonld_of_lines"]
