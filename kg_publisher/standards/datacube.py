"""RDF Data Cube well-formedness (W3C Recommendation of 16 January 2014, section 11).

A graph is checked in two steps, always on a copy:

1. the normalisation algorithm (§11.1): phase 1 closes types and the ``qb:dimension``/``qb:measure``/
   ``qb:attribute`` shortcuts, phase 2 pushes values attached at data set, slice or measure-property
   level down onto the observations. :func:`normalisation_adds` counts what it adds; we publish the
   normalised form, so for our graphs that number must be 0;
2. the integrity constraints IC-1 … IC-21 (§11.2) as SPARQL ASK queries that are true when the graph
   violates the constraint. IC-20/21 are templates over a hierarchy's ``qb:parentChildProperty`` (a
   property path cannot be a variable), so one ASK is made per hierarchy found in the graph; IC-12 is
   likewise made per DSD, so that observations are grouped by their dimension values instead of being
   compared pair by pair (:func:`duplicate_constraints`).

The queries were written from the Recommendation's prose. ``check_cube`` names up to
:data:`MAX_OFFENDERS` offending nodes of each failed constraint so that a failure can be traced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL
from rdflib.plugins.sparql import prepareUpdate
from rdflib.plugins.sparql.sparql import Update
from rdflib.query import ResultRow
from rdflib.term import Node

from ..vocab import QB
from .graphs import prepared_query, union_copy

PREFIXES = """\
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb:   <http://purl.org/linked-data/cube#>
"""

#: How many offending nodes a failed constraint names in its message.
MAX_OFFENDERS = 10

# ---- §11.1 normalisation ---------------------------------------------------------------------------

#: Phase 1, type and property closure: what the domains/ranges and shortcuts of qb imply.
PHASE_1: tuple[str, ...] = (
    "INSERT { ?obs a qb:Observation } WHERE { ?anything qb:observation ?obs }",
    "INSERT { ?obs a qb:Observation . ?dataset a qb:DataSet } WHERE { ?obs qb:dataSet ?dataset }",
    "INSERT { ?slice a qb:Slice } WHERE { ?anything qb:slice ?slice }",
    "INSERT { ?spec qb:componentProperty ?p . ?p a qb:DimensionProperty } WHERE { ?spec qb:dimension ?p }",
    "INSERT { ?spec qb:componentProperty ?p . ?p a qb:MeasureProperty } WHERE { ?spec qb:measure ?p }",
    "INSERT { ?spec qb:componentProperty ?p . ?p a qb:AttributeProperty } WHERE { ?spec qb:attribute ?p }",
)

#: Phase 2, push-down of attachment levels: every component value ends up on each observation.
PHASE_2: tuple[str, ...] = (
    # attached to the data set: copy the data set's value onto its observations
    """INSERT { ?obs ?component ?value } WHERE {
        ?spec qb:componentProperty ?component ; qb:componentAttachment qb:DataSet .
        ?dataset qb:structure/qb:component ?spec ; ?component ?value .
        ?obs qb:dataSet ?dataset .
    }""",
    # attached to slices: copy the slice's value onto the slice's observations
    """INSERT { ?obs ?component ?value } WHERE {
        ?spec qb:componentProperty ?component ; qb:componentAttachment qb:Slice .
        ?dataset qb:structure/qb:component ?spec ; qb:slice ?slice .
        ?slice ?component ?value ; qb:observation ?obs .
    }""",
    # a dimension fixed by a slice holds for every observation of the slice, whatever its attachment
    """INSERT { ?obs ?component ?value } WHERE {
        ?spec qb:componentProperty ?component .
        ?component a qb:DimensionProperty .
        ?dataset qb:structure/qb:component ?spec ; qb:slice ?slice .
        ?slice ?component ?value ; qb:observation ?obs .
    }""",
    # attached to a measure property: the value stated on the measure goes to observations having that measure
    """INSERT { ?obs ?component ?value } WHERE {
        ?spec qb:componentProperty ?component ; qb:componentAttachment qb:MeasureProperty .
        ?dataset qb:structure/qb:component ?spec .
        ?component a qb:AttributeProperty .
        ?measure a qb:MeasureProperty ; ?component ?value .
        ?obs qb:dataSet ?dataset ; ?measure ?measured .
    }""",
)


@cache
def prepared_update(text: str) -> Update:
    """Each normalisation step parsed once per process (see :func:`.graphs.prepared_query`)."""
    return prepareUpdate(PREFIXES + text)


def normalise(graph: Graph) -> int:
    """Apply phase 1 then phase 2 to ``graph`` in place; return how many triples were added."""
    before = len(graph)
    for update in PHASE_1 + PHASE_2:
        graph.update(prepared_update(update))
    return len(graph) - before


def normalised_copy(graph: Graph) -> tuple[Graph, int]:
    """A normalised copy of ``graph`` and the number of triples normalisation added to it."""
    copy = union_copy(graph)
    return copy, normalise(copy)


def normalisation_adds(graph: Graph) -> int:
    """How many triples the normalisation algorithm would add to ``graph`` (0: already normalised)."""
    return normalised_copy(graph)[1]


# ---- §11.2 integrity constraints ------------------------------------------------------------------


@dataclass(frozen=True)
class ICResult:
    """Outcome of one integrity constraint: ``ic`` is ``"IC-1"`` … ``"IC-21"``."""

    ic: str
    passed: bool
    message: str
    offenders: tuple[str, ...] = ()


@dataclass(frozen=True)
class Constraint:
    """One integrity constraint: ``where`` matches violations; ``report`` names the variables that
    identify the offending nodes."""

    ic: str
    title: str
    where: str
    report: tuple[str, ...]

    def ask(self) -> str:
        return f"{PREFIXES}ASK {{\n{self.where}\n}}"

    def select(self, limit: int) -> str:
        variables = " ".join(f"?{name}" for name in self.report)
        return f"{PREFIXES}SELECT DISTINCT {variables} WHERE {{\n{self.where}\n}} LIMIT {limit}"


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint("IC-1", "Unique DataSet: every qb:Observation has exactly one qb:dataSet", """
        { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?any } }
        UNION
        { ?obs a qb:Observation ; qb:dataSet ?one, ?other . FILTER (?one != ?other) }
    """, ("obs",)),
    Constraint("IC-2", "Unique DSD: every qb:DataSet has exactly one qb:structure", """
        { ?dataset a qb:DataSet . FILTER NOT EXISTS { ?dataset qb:structure ?any } }
        UNION
        { ?dataset a qb:DataSet ; qb:structure ?one, ?other . FILTER (?one != ?other) }
    """, ("dataset",)),
    Constraint("IC-3", "DSD includes measure: every qb:DataStructureDefinition declares a measure", """
        ?dsd a qb:DataStructureDefinition .
        FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty ?measure . ?measure a qb:MeasureProperty }
    """, ("dsd",)),
    Constraint("IC-4", "Dimensions have range: every qb:DimensionProperty has an rdfs:range", """
        ?dim a qb:DimensionProperty .
        FILTER NOT EXISTS { ?dim rdfs:range ?range }
    """, ("dim",)),
    Constraint("IC-5", "Concept dimensions have code lists: a dimension ranging over skos:Concept has a qb:codeList",
               """
        ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
        FILTER NOT EXISTS { ?dim qb:codeList ?list }
    """, ("dim",)),
    Constraint("IC-6", "Only attributes may be optional (qb:componentRequired false)", """
        ?dsd qb:component ?spec .
        ?spec qb:componentRequired "false"^^xsd:boolean ; qb:componentProperty ?component .
        FILTER NOT EXISTS { ?component a qb:AttributeProperty }
    """, ("dsd", "component")),
    Constraint("IC-7", "Slice keys must be declared: every qb:SliceKey is the qb:sliceKey of a DSD", """
        ?key a qb:SliceKey .
        FILTER NOT EXISTS { ?dsd a qb:DataStructureDefinition ; qb:sliceKey ?key }
    """, ("key",)),
    Constraint("IC-8", "Slice keys consistent with DSD: a slice key's components are components of its DSD", """
        ?key a qb:SliceKey ; qb:componentProperty ?component .
        ?dsd qb:sliceKey ?key .
        FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty ?component }
    """, ("key", "component")),
    Constraint("IC-9", "Unique slice structure: every qb:Slice has exactly one qb:sliceStructure", """
        { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?any } }
        UNION
        { ?slice a qb:Slice ; qb:sliceStructure ?one, ?other . FILTER (?one != ?other) }
    """, ("slice",)),
    Constraint("IC-10", "Slice dimensions complete: a slice has a value for every dimension of its slice key", """
        ?slice qb:sliceStructure/qb:componentProperty ?dim .
        FILTER NOT EXISTS { ?slice ?dim ?value }
    """, ("slice", "dim")),
    Constraint("IC-11", "All dimensions required: an observation has a value for every dimension of its DSD", """
        ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty .
        FILTER NOT EXISTS { ?obs ?dim ?value }
    """, ("obs", "dim")),
    Constraint("IC-13", "Required attributes: an observation has a value for every attribute marked required", """
        ?obs qb:dataSet/qb:structure/qb:component ?spec .
        ?spec qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attribute .
        FILTER NOT EXISTS { ?obs ?attribute ?value }
    """, ("obs", "attribute")),
    Constraint("IC-14", "All measures present: without a measure dimension, every observation has every measure", """
        ?obs qb:dataSet/qb:structure ?dsd .
        FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
        ?dsd qb:component/qb:componentProperty ?measure .
        ?measure a qb:MeasureProperty .
        FILTER NOT EXISTS { ?obs ?measure ?value }
    """, ("obs", "measure")),
    Constraint("IC-15", "Measure dimension consistent: an observation has a value for the measure its "
               "qb:measureType names", """
        ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
        ?dsd qb:component/qb:componentProperty qb:measureType .
        FILTER NOT EXISTS { ?obs ?measure ?value }
    """, ("obs", "measure")),
    Constraint("IC-16", "Single measure on measure dimension observation: no value for another declared measure", """
        ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?other ?value .
        ?dsd qb:component/qb:componentProperty qb:measureType ; qb:component/qb:componentProperty ?other .
        ?other a qb:MeasureProperty .
        FILTER (?other != ?measure)
    """, ("obs", "other")),
    # For each observation of a measure-dimension cube (a DSD with qb:measureType), count the observations
    # agreeing with it on every other dimension (itself included): there must be one per declared measure.
    # HAVING repeats the aggregate: SELECT expressions are evaluated after HAVING, so the alias is unbound
    # there. The sub-selects keep rdflib from pairing every two observations before it looks at qb:measureType.
    Constraint("IC-17", "All measures present in measure dimension cube: one observation per measure for "
               "each combination of the other dimensions", """
        {
            SELECT ?obs1 ?measures (COUNT(DISTINCT ?obs2) AS ?found) WHERE {
                {
                    SELECT ?dsd (COUNT(DISTINCT ?m) AS ?measures) WHERE {
                        ?dsd qb:component/qb:componentProperty qb:measureType .
                        ?dsd qb:component/qb:componentProperty ?m . ?m a qb:MeasureProperty .
                    } GROUP BY ?dsd
                }
                {
                    SELECT ?obs1 ?dataset ?dsd WHERE {
                        ?obs1 qb:measureType ?type1 ; qb:dataSet ?dataset .
                        ?dataset qb:structure ?dsd .
                    }
                }
                ?obs2 qb:measureType ?type2 ; qb:dataSet ?dataset .
                FILTER NOT EXISTS {
                    ?dsd qb:component/qb:componentProperty ?dim .
                    ?dim a qb:DimensionProperty .
                    FILTER (?dim != qb:measureType)
                    ?obs1 ?dim ?value1 . ?obs2 ?dim ?value2 .
                    FILTER (?value1 != ?value2)
                }
            } GROUP BY ?obs1 ?measures
            HAVING (COUNT(DISTINCT ?obs2) != ?measures)
        }
    """, ("obs1",)),
    Constraint("IC-18", "Consistent data set links: an observation of a slice of data set D belongs to D", """
        ?dataset qb:slice ?slice .
        ?slice qb:observation ?obs .
        FILTER NOT EXISTS { ?obs qb:dataSet ?dataset }
    """, ("obs", "dataset")),
    Constraint("IC-19", "Codes from code list: a coded dimension's value is in its qb:codeList", """
        ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty ; qb:codeList ?list .
        ?obs ?dim ?value .
        {
            ?list a skos:ConceptScheme .
            FILTER NOT EXISTS { ?value a skos:Concept ; skos:inScheme ?list }
        } UNION {
            ?list a skos:Collection .
            FILTER NOT EXISTS { ?list skos:member+ ?value }
        }
    """, ("obs", "dim", "value")),
)

_HIERARCHY_TITLES = {
    "IC-20": "Codes from hierarchy: a value is reachable from a qb:hierarchyRoot along qb:parentChildProperty",
    "IC-21": "Codes from hierarchy (inverse): a value is reachable from a qb:hierarchyRoot against the property "
             "whose owl:inverseOf is the qb:parentChildProperty",
}


_DUPLICATES_TITLE = "No duplicate observations: no two observations of a data set share all dimension values"

#: Two observations of one data set are duplicates when they agree on every dimension both have and
#: share at least one; the §11.2 reading, applied to every pair.
_NO_DIFFERENCE = """
        FILTER EXISTS {
            ?dsd qb:component/qb:componentProperty ?shared .
            ?shared a qb:DimensionProperty .
            ?obs1 ?shared ?any1 . ?obs2 ?shared ?any2 .
        }
        FILTER NOT EXISTS {
            ?dsd qb:component/qb:componentProperty ?dim .
            ?dim a qb:DimensionProperty .
            ?obs1 ?dim ?value1 . ?obs2 ?dim ?value2 .
            FILTER (?value1 != ?value2)
        }
"""


def duplicate_constraints(graph: Graph) -> list[Constraint]:
    """IC-12, one query per DSD.

    Comparing all pairs with the generic pattern costs seconds at 50 observations and grows with the
    square. Instead, observations that have every dimension of their DSD are grouped by their dimension
    values (a duplicate of such an observation must share all of them; values compare as RDF terms, and
    our dimension values are IRIs), and only the members of groups of two or more are paired. Observations
    lacking a dimension — already an IC-11 violation — are compared with every other observation. Both
    branches then apply the generic test, so a pair is reported exactly when the all-pairs reading reports
    it. A blank-node DSD cannot be named in query text: its data sets get the all-pairs query.
    """
    dimensions: dict[URIRef, set[URIRef]] = {}
    blank_dsd = False
    query = f"{PREFIXES}SELECT DISTINCT ?dsd ?dim WHERE {{ ?dsd qb:component/qb:componentProperty ?dim . " \
            "?dim a qb:DimensionProperty }"
    for dsd, dim in graph.query(prepared_query(query)):  # type: ignore[misc]
        if isinstance(dsd, URIRef) and isinstance(dim, URIRef):
            dimensions.setdefault(dsd, set()).add(dim)
        else:
            blank_dsd = True
    constraints = []
    for dsd, dims in sorted(dimensions.items()):
        ordered = sorted(dims)
        keys = " ".join(f"?key{i}" for i in range(len(ordered)))
        values = " ; ".join(f"{d.n3()} ?key{i}" for i, d in enumerate(ordered))  # one ?keyN per dimension

        where = f"""
        BIND ({dsd.n3()} AS ?dsd)
        {{
            {{
                SELECT ?dataset {keys} WHERE {{
                    ?dataset qb:structure {dsd.n3()} .
                    ?member qb:dataSet ?dataset ; {values} .
                }} GROUP BY ?dataset {keys} HAVING (COUNT(DISTINCT ?member) > 1)
            }}
            ?obs1 qb:dataSet ?dataset ; {values} .
            ?obs2 qb:dataSet ?dataset ; {values} .
        }} UNION {{
            {{
                SELECT DISTINCT ?dataset ?obs1 WHERE {{
                    ?dataset qb:structure {dsd.n3()} .
                    ?obs1 qb:dataSet ?dataset .
                    {dsd.n3()} qb:component/qb:componentProperty ?lacking .
                    ?lacking a qb:DimensionProperty .
                    FILTER NOT EXISTS {{ ?obs1 ?lacking ?anything }}
                }}
            }}
            ?obs2 qb:dataSet ?dataset .
        }}
        FILTER (?obs1 != ?obs2)
{_NO_DIFFERENCE}"""
        constraints.append(Constraint("IC-12", f"{_DUPLICATES_TITLE} ({dsd.n3(graph.namespace_manager)})", where,
                                      ("obs1", "obs2")))
    if blank_dsd:
        where = f"""
        ?dataset qb:structure ?dsd .
        FILTER (isBlank(?dsd))
        ?obs1 qb:dataSet ?dataset .
        ?obs2 qb:dataSet ?dataset .
        FILTER (?obs1 != ?obs2)
{_NO_DIFFERENCE}"""
        constraints.append(Constraint("IC-12", f"{_DUPLICATES_TITLE} (blank-node DSDs)", where, ("obs1", "obs2")))
    return constraints


def hierarchy_constraints(graph: Graph) -> dict[str, list[Constraint]]:
    """IC-20 and IC-21 instantiated for each parent-child property of a ``qb:HierarchicalCodeList``."""
    direct: set[URIRef] = set()
    inverse: set[URIRef] = set()
    for declared in graph.objects(None, QB.parentChildProperty):
        if isinstance(declared, URIRef):
            direct.add(declared)
        elif isinstance(declared, BNode):
            inverse.update(p for p in graph.objects(declared, OWL.inverseOf) if isinstance(p, URIRef))
    found: dict[str, list[Constraint]] = {"IC-20": [], "IC-21": []}
    for ic, properties, link, path in (("IC-20", direct, "{p}", "{p}*"), ("IC-21", inverse, "[ owl:inverseOf {p} ]",
                                                                      "(^{p})*")):
        for prop in sorted(properties):
            p = prop.n3()
            where = f"""
        ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty ; qb:codeList ?list .
        ?list a qb:HierarchicalCodeList ; qb:parentChildProperty {link.format(p=p)} .
        ?obs ?dim ?value .
        FILTER NOT EXISTS {{ ?list qb:hierarchyRoot/{path.format(p=p)} ?value }}
    """
            found[ic].append(Constraint(ic, f"{_HIERARCHY_TITLES[ic]} ({p})", where, ("obs", "dim", "value")))
    return found


def _describe(node: Node, graph: Graph) -> str:
    return node.n3(graph.namespace_manager) if isinstance(node, URIRef) else node.n3()


def _offenders(graph: Graph, constraint: Constraint) -> list[str]:
    rows = graph.query(prepared_query(constraint.select(MAX_OFFENDERS)))
    found = []
    for row in rows:
        assert isinstance(row, ResultRow)  # a SELECT gives rows
        parts = [f"{name}={_describe(value, graph)}" for name, value in zip(constraint.report, row, strict=True)
                 if value is not None]
        found.append(" ".join(parts))
    return sorted(found)


def _run(graph: Graph, ic: str, constraints: Sequence[Constraint], vacuous: str) -> ICResult:
    if not constraints:
        return ICResult(ic, True, vacuous)
    offenders: list[str] = []
    failed_titles: list[str] = []
    for constraint in constraints:
        if graph.query(prepared_query(constraint.ask())).askAnswer:
            failed_titles.append(constraint.title)
            offenders.extend(_offenders(graph, constraint))
    if not failed_titles:
        title = constraints[0].title if len(constraints) == 1 else f"{len(constraints)} instances of {ic}"
        return ICResult(ic, True, f"{ic} holds: {title}")
    shown = "; ".join(offenders[:MAX_OFFENDERS])
    return ICResult(ic, False, f"{ic} violated: {' | '.join(failed_titles)}. Offending nodes (first "
                               f"{MAX_OFFENDERS} at most): {shown}", tuple(offenders[:MAX_OFFENDERS]))


def check_normalised(graph: Graph) -> list[ICResult]:
    """Run IC-1 … IC-21 on ``graph`` as it is (the caller has normalised it)."""
    results = [_run(graph, c.ic, [c], "") for c in CONSTRAINTS]
    results.append(_run(graph, "IC-12", duplicate_constraints(graph),
                        "IC-12 holds vacuously: no DSD declares a dimension"))
    hierarchies = hierarchy_constraints(graph)
    for ic in ("IC-20", "IC-21"):
        kind = "qb:parentChildProperty IRI" if ic == "IC-20" else "qb:parentChildProperty [ owl:inverseOf p ]"
        results.append(_run(graph, ic, hierarchies[ic],
                            f"{ic} holds vacuously: no qb:HierarchicalCodeList with a {kind}"))
    return sorted(results, key=lambda result: int(result.ic.removeprefix("IC-")))


def check_cube(graph: Graph) -> list[ICResult]:
    """Normalise a copy of ``graph`` (all its named graphs) and check IC-1 … IC-21 on it.

    The graph must be self-contained: observations, data sets, the DSD, the component properties and
    the code lists their values come from.
    """
    copy, _ = normalised_copy(graph)
    return check_normalised(copy)


def failures(results: Iterable[ICResult]) -> list[ICResult]:
    return [result for result in results if not result.passed]
