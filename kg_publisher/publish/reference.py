"""The vocabulary as a reference for people (the HTML view of ``/def``): its classes and properties, each with
its labels and comments in Chinese and English, domain, range, super-terms and code list; the terms of other
vocabularies it describes for its own use; the code lists its dimensions draw on; the example queries.

Read from the triples of the release's vocabulary graph (ontology/*.ttl as published), nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF, RDFS

from ..queries import ExampleQuery, example_queries
from ..vocab import BGT, QB

#: What a term's type makes it on the page, most specific first.
_CLASS_TYPES = {str(OWL.Class), str(RDFS.Class)}
_PROPERTY_TYPES = {str(RDF.Property), str(OWL.ObjectProperty), str(OWL.DatatypeProperty),
                   str(OWL.AnnotationProperty), str(QB.DimensionProperty), str(QB.MeasureProperty),
                   str(QB.AttributeProperty)}
#: Relations shown under a term, in this order, when it has them.
FACTS = (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, QB.codeList, OWL.equivalentClass,
         OWL.equivalentProperty, RDFS.seeAlso)


@dataclass(frozen=True)
class Term:
    iri: str
    #: The fragment after ``#`` for our terms (the anchor ``/def#Duty`` links to), else the IRI's last segment.
    anchor: str
    types: list[str]
    zh: str
    en: str
    comment_zh: str
    comment_en: str
    #: (relation IRI, object IRIs or literal texts) in :data:`FACTS` order.
    facts: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass(frozen=True)
class CodeListUse:
    """A coded property and the code list its values come from."""

    property: str
    code_list: str
    #: The anchor of the code list on ``/codes`` (its IRI's last segment) when the vocabulary graph holds its
    #: codes, else '' (an outside list such as the EU currency table).
    codes_anchor: str = ""


@dataclass(frozen=True)
class Reference:
    iri: str
    zh: str
    en: str
    comment_zh: str
    comment_en: str
    version: str
    classes: list[Term]
    properties: list[Term]
    #: Our other terms: the data structure definition and its components, quality metrics and dimensions.
    others: list[Term]
    #: Terms of other vocabularies described in ours (OBEU, SDMX, …): how we use them.
    external: list[Term]
    code_lists: list[CodeListUse]
    examples: tuple[ExampleQuery, ...]

    @property
    def anchors(self) -> list[str]:
        return [term.anchor for term in (*self.classes, *self.properties, *self.others, *self.external)]


def _index(triples: Iterable[ox.Triple]) -> dict[str, list[ox.Triple]]:
    by_subject: dict[str, list[ox.Triple]] = {}
    for triple in triples:
        if isinstance(triple.subject, ox.NamedNode):
            by_subject.setdefault(triple.subject.value, []).append(triple)
    return by_subject


def _objects(triples: list[ox.Triple], predicate: object) -> list[ox.NamedNode | ox.Literal]:
    return [t.object for t in triples if t.predicate.value == str(predicate)
            and isinstance(t.object, ox.NamedNode | ox.Literal)]


def _text(triples: list[ox.Triple], predicate: object, language: str) -> str:
    found = sorted(term.value for term in _objects(triples, predicate)
                   if isinstance(term, ox.Literal) and (term.language or "").split("-")[0] == language)
    return found[0] if found else ""


def _term(iri: str, triples: list[ox.Triple], ours: str) -> Term:
    anchor = iri[len(ours):] if iri.startswith(ours) else iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    facts = []
    for predicate in FACTS:
        values = sorted(term.value for term in _objects(triples, predicate))
        if values:
            facts.append((str(predicate), values))
    return Term(iri, anchor, sorted(term.value for term in _objects(triples, RDF.type)),
                _text(triples, RDFS.label, "zh"), _text(triples, RDFS.label, "en"),
                _text(triples, RDFS.comment, "zh"), _text(triples, RDFS.comment, "en"), facts)


def vocabulary_reference(triples: Iterable[ox.Triple], ontology: str = str(BGT)[:-1]) -> Reference:
    """The reference of the vocabulary ``ontology`` (its IRI, without ``#``) from the vocabulary graph."""
    by_subject = _index(triples)
    ours = ontology + "#"
    classes: list[Term] = []
    properties: list[Term] = []
    others: list[Term] = []
    external: list[Term] = []
    for iri in sorted(by_subject):
        facts = by_subject[iri]
        labelled = bool(_objects(facts, RDFS.label) or _objects(facts, RDFS.comment))
        types = {term.value for term in _objects(facts, RDF.type)}
        if iri.startswith(ours):
            term = _term(iri, facts, ours)
            (classes if types & _CLASS_TYPES else properties if types & _PROPERTY_TYPES else others).append(term)
        elif labelled and types & (_CLASS_TYPES | _PROPERTY_TYPES):
            external.append(_term(iri, facts, ours))
    code_lists = sorted({CodeListUse(term.iri, value, value.rstrip("/").rsplit("/", 1)[-1] if value in by_subject
                                     else "")
                         for term in (*properties, *external)
                         for relation, values in term.facts if relation == str(QB.codeList) for value in values},
                        key=lambda use: (use.code_list, use.property))
    head = by_subject.get(ontology, [])
    return Reference(ontology, _text(head, RDFS.label, "zh"), _text(head, RDFS.label, "en"),
                     _text(head, RDFS.comment, "zh"), _text(head, RDFS.comment, "en"),
                     next((term.value for term in _objects(head, OWL.versionInfo)), ""),
                     classes, properties, others, external, code_lists, example_queries())
