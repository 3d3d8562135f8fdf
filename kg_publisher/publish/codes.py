"""The code lists of a release as trees, for people: each ``skos:ConceptScheme`` of the vocabulary graph (the
classifications 支出功能分类 and 部门预算支出经济分类 per year with their 类/款/项, and our small code lists)
with its concepts nested by ``skos:broader``, each with its notation and its Chinese and English labels.

A scheme's members are read wherever they are stated: a code a disclosure printed that our lists do not hold is
added to the year's classification in that disclosure's graph, and it is in the tree too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, SKOS

from ..vocab import XKOS

if TYPE_CHECKING:
    from .triples import Triples

#: Members a scheme may have (a larger one is read no further: our biggest has under a hundred).
MEMBERS_LIMIT = 100_000
_CONCEPT = str(SKOS.Concept)


@dataclass
class CodeNode:
    iri: str
    notation: str
    zh: str
    en: str
    #: 1 for a top concept (类 of a classification), 2 for its children (款) …
    depth: int = 1
    #: Why the code is not marked certain (``skos:editorialNote``), when it is not.
    note: str = ""
    #: The dataset a concept belongs to, for one a disclosure minted (a line it printed, ``dct:isPartOf``).
    part_of: str = ""
    children: list[CodeNode] = field(default_factory=list)


@dataclass(frozen=True)
class CodeScheme:
    iri: str
    #: The last segment of the IRI (``func-2025``), the scheme's anchor on the page.
    key: str
    zh: str
    en: str
    definition_zh: str
    definition_en: str
    #: True for a classification (``xkos:ClassificationScheme``: levels 类/款/项), False for a flat code list.
    classification: bool
    #: Level names from the top (类, 款, 项) for a classification.
    levels: list[str]
    year: str
    top: list[CodeNode]
    #: Concepts a disclosure minted in the scheme for lines it printed (by dataset, then label), kept apart from
    #: the list's own codes.
    printed: list[CodeNode] = field(default_factory=list)

    def walk(self) -> Iterable[CodeNode]:
        """Every concept of the tree, parents before their children."""
        pending = list(reversed(self.top))
        while pending:
            node = pending.pop()
            yield node
            pending.extend(reversed(node.children))

    @property
    def family(self) -> str:
        """The key without its year: one per classification (``func``), the key itself for a code list."""
        return self.key.removesuffix(f"-{self.year}") if self.year else self.key

    @property
    def size(self) -> int:
        return sum(1 for _ in self.walk())


def _name(term: object) -> str:
    """The IRI, blank node id or literal text of a term ('' for a quoted triple)."""
    return str(getattr(term, "value", ""))


def _values(triples: Iterable[ox.Triple], subject: str, predicate: object) -> list[Any]:
    return [t.object for t in triples if _name(t.subject) == subject and t.predicate.value == str(predicate)]


def _literal(terms: list[Any], language: str = "") -> str:
    """The first literal in ``language`` (any literal when ``language`` is empty), else ''."""
    for term in sorted((t for t in terms if isinstance(t, ox.Literal)), key=lambda t: t.value):
        if not language or (term.language or "").split("-")[0] == language:
            return term.value
    return ""


def _sort_key(node: CodeNode) -> tuple[bool, str]:
    """Codes by notation, the SDMX total and not-applicable codes (``_T``, ``_Z``) last."""
    return node.notation.startswith("_"), node.notation


def code_scheme(store: Triples, iri: str, known: dict[str, list[ox.Triple]] | None = None) -> CodeScheme:
    """One scheme of ``store`` with its members as a tree. ``known``: triples already read, by subject (those of
    the vocabulary graph), so that only members stated elsewhere are looked up one by one."""
    known = known or {}

    def describe(subject: str) -> list[ox.Triple]:
        return known[subject] if subject in known else store.describe(subject)

    about = store.describe(iri)
    types = {term.value for term in _values(about, iri, RDF.type)}
    levels: list[str] = []
    # an RDF list of levels, blank nodes in the description (one per graph stating the scheme: read the first)
    for level in _values(about, iri, XKOS.levels)[:1]:
        head = level.value
        while head and head != str(RDF.nil):
            first = _values(about, head, RDF.first)
            if first:
                levels.append(_literal(_values(describe(first[0].value), first[0].value, SKOS.prefLabel), "zh"))
            rest = _values(about, head, RDF.rest)
            head = rest[0].value if rest else ""
    nodes: dict[str, CodeNode] = {}
    parents: dict[str, list[str]] = {}
    for triple in store.incoming(iri, MEMBERS_LIMIT):
        member = _name(triple.subject)
        if triple.predicate.value != str(SKOS.inScheme) or member in nodes:
            continue
        facts = describe(member)
        if _CONCEPT not in {term.value for term in _values(facts, member, RDF.type)}:
            continue  # the classification's levels are in the scheme too
        labels = _values(facts, member, SKOS.prefLabel)
        nodes[member] = CodeNode(member, _literal(_values(facts, member, SKOS.notation)), _literal(labels, "zh"),
                                 _literal(labels, "en"), note=_literal(_values(facts, member, SKOS.editorialNote)),
                                 part_of=next((t.value for t in _values(facts, member, DCTERMS.isPartOf)
                                               if isinstance(t, ox.NamedNode)), ""))
        parents[member] = [term.value for term in _values(facts, member, SKOS.broader)]
    top: list[CodeNode] = []
    printed: list[CodeNode] = []
    for member, node in nodes.items():
        if node.part_of:
            printed.append(node)
            continue
        parent = next((nodes[p] for p in parents[member] if p in nodes), None)
        (parent.children if parent is not None else top).append(node)
    for node in nodes.values():
        node.children.sort(key=_sort_key)
    top.sort(key=_sort_key)
    scheme = CodeScheme(
        iri, iri.rstrip("/").rsplit("/", 1)[-1],
        _literal(_values(about, iri, SKOS.prefLabel), "zh"), _literal(_values(about, iri, SKOS.prefLabel), "en"),
        _literal(_values(about, iri, SKOS.definition), "zh"), _literal(_values(about, iri, SKOS.definition), "en"),
        str(XKOS.ClassificationScheme) in types, levels, _literal(_values(about, iri, DCTERMS.temporal)), top,
        sorted(printed, key=lambda node: (node.part_of, node.zh, node.iri)))
    for node in scheme.walk():
        for child in node.children:
            child.depth = node.depth + 1
    return scheme


def code_schemes(store: Triples, vocabulary: Iterable[ox.Triple]) -> list[CodeScheme]:
    """Every concept scheme the ``vocabulary`` graph's triples declare, as trees: the classifications first (by
    name, the latest year first), then the code lists by key."""
    known: dict[str, list[ox.Triple]] = {}
    for triple in vocabulary:
        if isinstance(triple.subject, ox.NamedNode):
            known.setdefault(triple.subject.value, []).append(triple)
    declared = sorted(subject for subject, triples in known.items()
                      if any(t.predicate.value == str(RDF.type) and _name(t.object) == str(SKOS.ConceptScheme)
                             for t in triples))
    schemes = [code_scheme(store, iri, known) for iri in declared]
    return sorted(schemes, key=lambda s: (not s.classification, s.family, -int(s.year) if s.year.isdigit() else 0,
                                          s.key))
