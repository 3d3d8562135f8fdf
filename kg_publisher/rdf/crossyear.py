"""Cross-year checks → RDF: one ``bgt:CrossYearCheck`` per compared statement, in the later disclosure's graph,
linking its statement and observation to the earlier disclosure's observation (shapes/crossyear.ttl)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..iris import IriMinter
from ..records.crossyear import CrossYearCheck
from ..vocab import BGT, QB, bind_prefixes
from .context import canonical_decimal, zh


def cross_year_graph(checks: list[CrossYearCheck], later: URIRef, earlier: URIRef, earlier_year: int) -> Graph:
    """The checks of ``later``'s statements against ``earlier`` (the data set of ``earlier_year``)."""
    graph = Graph()
    bind_prefixes(graph)
    if checks:
        graph.add((later, RDF.type, QB.DataSet))  # already in the later graph; here so the checks validate alone
    for check in checks:
        node = IriMinter.part(later, "crossyear", check.claim)
        graph.add((node, RDF.type, BGT.CrossYearCheck))
        graph.add((node, RDFS.label, zh(f"{check.said}（{earlier_year}年公开文件：{check.prior_printed}）")))
        graph.add((node, DCTERMS.isPartOf, later))
        graph.add((node, BGT.checkedStatement, IriMinter.part(later, "claim", check.claim)))
        graph.add((node, BGT.currentObservation, IriMinter.part(later, "obs", check.about)))
        graph.add((node, BGT.priorObservation, IriMinter.part(earlier, "obs", check.prior)))
        graph.add((node, BGT.priorDataset, earlier))
        graph.add((node, BGT.impliedPriorAmountInYuan, canonical_decimal(check.implied_yuan)))
        graph.add((node, BGT.priorAmountInYuan, canonical_decimal(check.prior_yuan)))
        graph.add((node, BGT.roundingToleranceInYuan, canonical_decimal(check.tolerance_yuan)))
        graph.add((node, BGT.agreesWithPriorYear, Literal(check.agrees)))
    return graph
