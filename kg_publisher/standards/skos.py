"""SKOS checks on what we publish: the SKOS Reference (W3C REC 2009) integrity conditions that can be
broken by data, hierarchy cycles, and our own rule for the schemes we mint.

Integrity conditions (whole graph, any scheme):

* S9  ``skos:ConceptScheme`` is disjoint with ``skos:Concept``;
* S13 ``skos:prefLabel``, ``skos:altLabel`` and ``skos:hiddenLabel`` are pairwise disjoint;
* S14 a resource has at most one ``skos:prefLabel`` per language tag;
* S27 ``skos:related`` is disjoint with ``skos:broaderTransitive``;
* S37 ``skos:Collection`` is disjoint with ``skos:Concept`` and ``skos:ConceptScheme``;
* S46 ``skos:exactMatch`` is disjoint with ``skos:broadMatch`` and ``skos:relatedMatch``;
* cycles: no concept is its own broader concept (not a SKOS condition, but it breaks every tree view).

Class membership follows ``rdfs:subClassOf`` stated in the graph (an ``xkos:ClassificationLevel`` is a
collection when the vocabulary says so). Hierarchy links count in both spellings (``broader`` and inverse
``narrower``, plus their transitive super-properties).

Our rule, for the concepts (resources typed ``skos:Concept``) of our own schemes (IRIs under the base
IRI or the ``code:`` namespace — the glossary, the duties and the code lists): a ``skos:prefLabel`` in
Chinese (``zh``, any subtag) and a ``skos:definition`` or a ``skos:notation``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.query import ResultRow
from rdflib.term import Node

from ..settings import SETTINGS
from ..vocab import CODE
from .graphs import prepared_query, union_copy

PREFIXES = """\
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: How many offending nodes a failed check names in its message.
MAX_OFFENDERS = 10

DEFAULT_BASE_IRI: str = next(setting.default for setting in SETTINGS if setting.name == "base_iri")

#: One step up the hierarchy, whichever way the data spells it.
_UP = "(skos:broader|^skos:narrower|skos:broaderTransitive|^skos:narrowerTransitive)"


@dataclass(frozen=True)
class SkosResult:
    """Outcome of one check: ``check`` is ``"S13"``, ``"cycles"``, ``"own-prefLabel-zh"`` …"""

    check: str
    passed: bool
    message: str
    offenders: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkosCheck:
    """``where`` matches violations; ``report`` names the variables that identify them."""

    check: str
    title: str
    where: str
    report: tuple[str, ...]

    def select(self) -> str:
        variables = " ".join(f"?{name}" for name in self.report)
        return f"{PREFIXES}SELECT DISTINCT {variables} WHERE {{\n{self.where}\n}}"


INTEGRITY_CHECKS: tuple[SkosCheck, ...] = (
    SkosCheck("S9", "skos:ConceptScheme is disjoint with skos:Concept", """
        ?resource a/rdfs:subClassOf* skos:ConceptScheme .
        ?resource a/rdfs:subClassOf* skos:Concept .
    """, ("resource",)),
    SkosCheck("S13", "skos:prefLabel, skos:altLabel and skos:hiddenLabel are pairwise disjoint", """
        VALUES (?first ?second) {
            (skos:prefLabel skos:altLabel) (skos:prefLabel skos:hiddenLabel) (skos:altLabel skos:hiddenLabel)
        }
        ?resource ?first ?label .
        ?resource ?second ?label .
    """, ("resource", "first", "second", "label")),
    SkosCheck("S14", "at most one skos:prefLabel per language tag", """
        ?resource skos:prefLabel ?label, ?other .
        FILTER (?label != ?other && LCASE(LANG(?label)) = LCASE(LANG(?other)))
    """, ("resource", "label")),
    SkosCheck("S27", "skos:related is disjoint with skos:broaderTransitive", f"""
        ?concept skos:related ?related .
        {{ ?concept {_UP}+ ?related }} UNION {{ ?related {_UP}+ ?concept }}
    """, ("concept", "related")),
    SkosCheck("S37", "skos:Collection is disjoint with skos:Concept and skos:ConceptScheme", """
        ?resource a/rdfs:subClassOf* skos:Collection .
        { ?resource a/rdfs:subClassOf* skos:Concept } UNION { ?resource a/rdfs:subClassOf* skos:ConceptScheme }
    """, ("resource",)),
    SkosCheck("S46", "skos:exactMatch is disjoint with skos:broadMatch and skos:relatedMatch", """
        ?concept skos:exactMatch ?match .
        { ?concept skos:broadMatch|^skos:broadMatch ?match }
        UNION { ?concept skos:relatedMatch|^skos:relatedMatch ?match }
    """, ("concept", "match")),
    # Start from concepts that have a parent, so the closure is only walked where a cycle can be.
    SkosCheck("cycles", "no concept is its own broader concept (hierarchy cycle)", f"""
        ?concept {_UP} ?parent .
        ?parent {_UP}* ?concept .
    """, ("concept",)),
)


def own_schemes(graph: Graph, base_iri: str = DEFAULT_BASE_IRI) -> list[URIRef]:
    """The concept schemes we mint: under ``base_iri`` (glossary, duties) or ``code:`` (code lists)."""
    roots = (str(CODE), base_iri)
    return sorted(scheme for scheme in set(graph.subjects(RDF.type, SKOS.ConceptScheme))
                  if isinstance(scheme, URIRef) and str(scheme).startswith(roots))


def _own_rule_checks(schemes: Iterable[URIRef]) -> tuple[SkosCheck, ...]:
    values = " ".join(scheme.n3() for scheme in schemes)
    members = f"""
        VALUES ?scheme {{ {values} }}
        ?concept skos:inScheme|skos:topConceptOf|^skos:hasTopConcept ?scheme ; a/rdfs:subClassOf* skos:Concept .
    """
    return (
        SkosCheck("own-prefLabel-zh", "every concept of our schemes has a skos:prefLabel in Chinese (zh)", members + """
        FILTER NOT EXISTS { ?concept skos:prefLabel ?label . FILTER (LANGMATCHES(LANG(?label), "zh")) }
    """, ("scheme", "concept")),
        SkosCheck("own-definition-or-notation", "every concept of our schemes has a skos:definition or a "
                  "skos:notation", members + """
        FILTER NOT EXISTS { ?concept skos:definition|skos:notation ?text }
    """, ("scheme", "concept")),
    )


def _describe(row: ResultRow, names: tuple[str, ...], graph: Graph) -> str:
    def term(node: Node) -> str:
        return node.n3(graph.namespace_manager) if isinstance(node, URIRef) else node.n3()
    return " ".join(f"{name}={term(value)}" for name, value in zip(names, row, strict=True) if value is not None)


def _run(graph: Graph, check: SkosCheck, scope: str = "") -> SkosResult:
    rows = sorted(_describe(row, check.report, graph) for row in graph.query(prepared_query(check.select())))  # type: ignore[arg-type]
    if not rows:
        return SkosResult(check.check, True, f"{check.check} holds: {check.title}{scope}")
    shown = "; ".join(rows[:MAX_OFFENDERS])
    return SkosResult(check.check, False, f"{check.check} violated ({len(rows)} cases): {check.title}{scope}. "
                                          f"First {min(len(rows), MAX_OFFENDERS)}: {shown}",
                      tuple(rows[:MAX_OFFENDERS]))


def concepts_per_scheme(graph: Graph, schemes: Iterable[URIRef]) -> dict[URIRef, int]:
    """How many concepts (typed ``skos:Concept``) each scheme holds: the scope of our own rule."""
    chosen = sorted(schemes)
    counts = dict.fromkeys(chosen, 0)
    if not chosen:
        return counts
    values = " ".join(scheme.n3() for scheme in chosen)
    query = f"""{PREFIXES}SELECT ?scheme (COUNT(DISTINCT ?concept) AS ?n) WHERE {{
        VALUES ?scheme {{ {values} }}
        ?concept skos:inScheme|skos:topConceptOf|^skos:hasTopConcept ?scheme ; a/rdfs:subClassOf* skos:Concept .
    }} GROUP BY ?scheme"""
    for row in graph.query(prepared_query(query)):
        assert isinstance(row, ResultRow)  # a SELECT gives rows
        scheme, count = row
        assert isinstance(scheme, URIRef)  # bound by VALUES to one of ``chosen``
        counts[scheme] = int(count)
    return counts


def check_skos(graph: Graph, schemes: Iterable[URIRef] | None = None,
               base_iri: str = DEFAULT_BASE_IRI) -> list[SkosResult]:
    """All checks on ``graph`` (a Graph, or a Dataset whose named graphs are taken together).

    ``schemes`` are the schemes our own rule applies to; by default :func:`own_schemes`. Their number and
    the number of concepts they hold are stated in the messages, so a vacuous pass can be seen.
    """
    union = union_copy(graph)
    chosen = sorted(schemes) if schemes is not None else own_schemes(union, base_iri)
    results = [_run(union, check) for check in INTEGRITY_CHECKS]
    scope = f" ({len(chosen)} schemes, {sum(concepts_per_scheme(union, chosen).values())} concepts)"
    if chosen:
        results.extend(_run(union, check, scope) for check in _own_rule_checks(chosen))
    else:
        for name in ("own-prefLabel-zh", "own-definition-or-notation"):
            results.append(SkosResult(name, True, f"{name} holds vacuously: no scheme of ours in the graph"))
    return results


def failures(results: Iterable[SkosResult]) -> list[SkosResult]:
    return [result for result in results if not result.passed]
