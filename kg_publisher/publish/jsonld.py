"""Compacted JSON-LD with an embedded ``@context`` of our prefixes, written the same way every time.

pyoxigraph writes expanded JSON-LD only (full IRIs, no context), and rdflib's compaction is slow on a whole
release and orders nodes by its own bookkeeping. This writer sorts graphs, nodes, properties and values, keeps
every literal's lexical form as a string (``"819.80"`` with ``@type: xsd:decimal``, never a JSON number) and
abbreviates IRIs to ``prefix:local`` with only the prefixes the data uses.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from ..vocab import PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: JSON-LD 1.1 lets a term act as a prefix only when its IRI ends with a gen-delim character.
_PREFIXABLE = {prefix: str(ns) for prefix, ns in PREFIXES.items() if str(ns)[-1] in ":/?#[]@"}
#: Longest namespace first, so ``obeu-dimension:`` wins over ``obeu:``.
_BY_LENGTH = sorted(((ns, prefix) for prefix, ns in _PREFIXABLE.items()), key=lambda item: -len(item[0]))

#: An object position can also hold an RDF-star triple; ``node_id`` refuses those (we never publish any).
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@lru_cache(maxsize=1 << 16)
def _compacted(iri: str) -> tuple[str, str | None]:
    """``iri`` as ``prefix:local`` and the prefix used (the IRI itself and None when no prefix fits)."""
    for namespace, prefix in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace) and not iri[len(namespace):].startswith("//"):
            return f"{prefix}:{iri[len(namespace):]}", prefix
    return iri, None


class _Compactor:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def iri(self, iri: str) -> str:
        compact, prefix = _compacted(iri)
        if prefix is not None:
            self.used.add(prefix)
        return compact

    def node_id(self, term: object) -> str:
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        assert isinstance(term, ox.NamedNode)
        return self.iri(term.value)

    def value(self, term: Term) -> dict[str, str]:
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            datatype = term.datatype.value
            if datatype in (XSD_STRING, RDF_LANG_STRING):
                return {"@value": term.value}
            return {"@value": term.value, "@type": self.iri(datatype)}
        return {"@id": self.node_id(term)}

    def context(self) -> dict[str, str]:
        return {prefix: ns for prefix, ns in _PREFIXABLE.items() if prefix in self.used}


def _sort_key(value: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(value.items()))


def _nodes(triples: Iterable[ox.Triple], compact: _Compactor) -> list[dict[str, Any]]:
    by_subject: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    types: dict[str, list[str]] = defaultdict(list)
    for triple in triples:
        subject = compact.node_id(triple.subject)
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            types[subject].append(compact.iri(triple.object.value))
            by_subject[subject]  # a node with nothing but its types still gets an object
        else:
            by_subject[subject][compact.iri(triple.predicate.value)].append(compact.value(triple.object))
    nodes = []
    for subject in sorted(by_subject):
        node: dict[str, Any] = {"@id": subject}
        if types[subject]:
            ordered = sorted(set(types[subject]))
            node["@type"] = ordered[0] if len(ordered) == 1 else ordered
        for key in sorted(by_subject[subject]):
            values = sorted({_sort_key(v): v for v in by_subject[subject][key]}.values(), key=_sort_key)
            node[key] = values[0] if len(values) == 1 else values
        nodes.append(node)
    return nodes


def compact_jsonld(quads: Iterable[ox.Quad | ox.Triple]) -> bytes:
    """Triples or quads as one JSON-LD document: ``{"@context": …, "@graph": [nodes, {"@id": g, "@graph": …}]}``."""
    compact = _Compactor()
    default: list[ox.Triple] = []
    named: dict[str, list[ox.Triple]] = defaultdict(list)
    for item in quads:
        if isinstance(item, ox.Quad) and not isinstance(item.graph_name, ox.DefaultGraph):
            named[compact.node_id(item.graph_name)].append(item.triple)
        else:
            default.append(item.triple if isinstance(item, ox.Quad) else item)
    nodes = _nodes(default, compact)
    graphs = [(name, _nodes(named[name], compact)) for name in sorted(named)]
    # One node per line, each written by json's C encoder (``indent`` would make json use its pure-Python
    # encoder, most of the cost of a disclosure's dumps): still a document a person can read line by line.
    lines = [_dumps(node) for node in nodes]
    for name, members in graphs:
        inner = ",\n".join(f"  {_dumps(node)}" for node in members)
        lines.append(f'{{"@id": {_dumps(name)}, "@graph": [\n{inner}\n ]}}' if members
                     else f'{{"@id": {_dumps(name)}, "@graph": []}}')
    body = ",\n".join(f" {line}" for line in lines)
    text = f'{{"@context": {_dumps(compact.context())},\n"@graph": [\n{body}\n]}}\n' if lines else \
        f'{{"@context": {_dumps(compact.context())},\n"@graph": []}}\n'
    return text.encode("utf-8")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


__all__ = ["compact_jsonld"]
