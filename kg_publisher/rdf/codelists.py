"""The classification code lists as SKOS/XKOS: one ``skos:ConceptScheme`` per classification per year.

Concept IRIs are ``code:func-{year}/{notation}`` and ``code:econ-dept-{year}/{notation}``
(:func:`kg_publisher.iris.code`); each scheme has XKOS levels (类/款/项 with ``xkos:depth``).
Codes marked uncertain in the CSVs keep that mark as a ``skos:editorialNote``; codes a document
printed can be added with ``printed=`` (see :meth:`kg_publisher.codelists.CodeList.extend_with_printed`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD
from rdflib.term import Node

from ..codelists import LEVELS, LEVELS_EN, Code, CodeList
from ..iris import code, code_scheme
from ..vocab import BGT, QB, XKOS, bind_prefixes

#: Notations of totals, which no scheme lists.
_TOTALS = (Literal("_T"), Literal("_Z"))
#: scheme key → (CSV name, title, English title, official source)
CLASSIFICATIONS: dict[str, tuple[str, str, str, str]] = {
    "func": ("func", "支出功能分类科目", "functional classification of expenditure",
             "财政部《{year}年政府收支分类科目》支出功能分类科目"),
    "econ-dept": ("econ-dept", "部门预算支出经济分类科目", "economic classification of departmental budget expenditure",
                  "财政部《{year}年政府收支分类科目》部门预算支出经济分类科目"),
}


#: SDMX's total and not-applicable codes, present in every scheme so every observation has a code.
SDMX_CODES = {"_T": ("合计", "total"), "_Z": ("不适用", "not applicable")}


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def level_iri(scheme_key: str, depth: int) -> URIRef:
    """The XKOS level of a scheme: ``code:func-2025/level-1`` (类) …"""
    return code(scheme_key, f"level-{depth}")


def add_scheme(graph: Graph, key: str, year: int, codes: CodeList) -> URIRef:
    """Add one classification of one year to ``graph``; return the scheme IRI."""
    _, title, title_en, source = CLASSIFICATIONS[key]
    scheme_key = f"{key}-{year}"
    scheme = code_scheme(scheme_key)
    valid = codes.for_year(year)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, RDF.type, XKOS.ClassificationScheme))
    graph.add((scheme, SKOS.prefLabel, _zh(f"{title}（{year}年）")))
    graph.add((scheme, SKOS.prefLabel, Literal(f"{title_en} ({year})", lang="en")))
    graph.add((scheme, DCTERMS.source, _zh(source.format(year=year))))
    graph.add((scheme, DCTERMS.temporal, Literal(str(year), datatype=XSD.gYear)))
    depths = sorted({c.depth for c in valid.codes.values()})
    graph.add((scheme, XKOS.numberOfLevels, Literal(len(depths))))
    levels: list[Node] = [level_iri(scheme_key, depth) for depth in depths]
    levels_list = BNode()
    Collection(graph, levels_list, levels)
    graph.add((scheme, XKOS.levels, levels_list))
    for depth, level in zip(depths, levels, strict=True):
        graph.add((level, RDF.type, XKOS.ClassificationLevel))
        graph.add((level, XKOS.depth, Literal(depth)))
        graph.add((level, SKOS.prefLabel, _zh(LEVELS[1 + 2 * depth])))
        graph.add((level, SKOS.prefLabel, Literal(LEVELS_EN[1 + 2 * depth], lang="en")))
        graph.add((level, SKOS.inScheme, scheme))
    collection = code_scheme(key)  # code:func / code:econ-dept: every year's codes (the dimension's qb:codeList)
    for notation, (zh_label, en_label) in SDMX_CODES.items():
        concept = code(scheme_key, notation)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.notation, Literal(notation)))
        graph.add((concept, SKOS.prefLabel, _zh(zh_label)))
        graph.add((concept, SKOS.prefLabel, Literal(en_label, lang="en")))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((collection, SKOS.member, concept))
    for item in valid.codes.values():
        concept = code(scheme_key, item.code)
        graph.add((collection, SKOS.member, concept))
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.notation, Literal(item.code)))
        graph.add((concept, SKOS.prefLabel, _zh(item.name)))
        if item.name_en:  # a code a document printed that we do not hold has its Chinese name only
            graph.add((concept, SKOS.prefLabel, Literal(item.name_en, lang="en")))
        for alias in item.aliases:
            graph.add((concept, SKOS.altLabel, _zh(alias)))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((level_iri(scheme_key, item.depth), SKOS.member, concept))
        if item.certainty != "confirmed":
            graph.add((concept, SKOS.editorialNote, Literal(f"{item.certainty}: {item.evidence}".strip(": "),
                                                            lang="en")))
        parent = item.parent if item.parent in valid.codes else None
        if parent is None and item.depth == 1:
            graph.add((concept, SKOS.topConceptOf, scheme))
            graph.add((scheme, SKOS.hasTopConcept, concept))
        elif parent is not None:
            graph.add((concept, SKOS.broader, code(scheme_key, parent)))
            graph.add((code(scheme_key, parent), SKOS.narrower, concept))
    return scheme


def classification_graph(year: int, printed: Mapping[str, Iterable[tuple[str, str]]] | None = None) -> Graph:
    """Both classifications of ``year`` as SKOS; ``printed`` maps ``func``/``econ-dept`` to the
    (code, name) pairs a document printed, which are added when we do not hold them."""
    return _graph_of.__wrapped__(year, _printed_changes(printed))


def shared_classification_graph(year: int, printed: Mapping[str, Iterable[tuple[str, str]]] | None = None) -> Graph:
    """:func:`classification_graph`, one graph per year and set of codes the printed pairs actually add or
    rename (most documents print only codes we hold: they share the year's graph). The graph is shared:
    callers must not change it."""
    return _graph_of(year, _printed_changes(printed))


#: (scheme key, the codes a document's printed pairs add or change), the part of ``printed`` a graph depends on.
_Changes = tuple[tuple[str, tuple[Code, ...]], ...]


def _printed_changes(printed: Mapping[str, Iterable[tuple[str, str]]] | None) -> _Changes:
    changes = []
    for key, (csv_name, *_) in CLASSIFICATIONS.items():
        if printed and printed.get(key):
            held = CodeList.load(csv_name)
            extended = held.extend_with_printed(printed[key])
            changes.append((key, tuple(c for c in extended.codes.values() if held.codes.get(c.code) != c)))
    return tuple(changes)


@lru_cache(maxsize=64)
def _graph_of(year: int, changes: _Changes) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    added = dict(changes)
    for key, (csv_name, *_) in CLASSIFICATIONS.items():
        codes = CodeList.load(csv_name)
        if added.get(key):
            codes = CodeList(codes.scheme, sorted({**codes.codes, **{c.code: c for c in added[key]}}.values(),
                                                  key=lambda c: c.code))
        add_scheme(graph, key, year, codes)
    return graph


def printed_codes(disclosure: Graph) -> dict[str, list[tuple[str, str]]]:
    """The (code, row label) pairs a disclosure graph's observations use, per classification key,
    so the year's schemes can be extended by what the document prints: each observation's printed label with the
    notation of its functional or economic class (totals ``_T`` and ``_Z`` left out)."""
    keys: dict[Node, str] = {BGT.functionalClassification: "func", BGT.economicClassification: "econ-dept"}
    printed: dict[str, list[tuple[str, str]]] = {"func": [], "econ-dept": []}
    for obs in disclosure.subjects(RDF.type, QB.Observation):
        labels = [str(label) for label in disclosure.objects(obs, BGT.printedLabel)]
        if not labels:
            continue
        for prop, key in keys.items():
            for concept in disclosure.objects(obs, prop):
                for notation in disclosure.objects(concept, SKOS.notation):
                    if notation in _TOTALS:
                        continue
                    printed[key] += [(str(notation), label) for label in labels]
    return {key: sorted(set(pairs)) for key, pairs in printed.items()}
