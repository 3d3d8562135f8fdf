"""The build's N-Triples writer (kg_publisher/ntriples.py) writes the lines rdflib's writer writes."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg_publisher.build import document_graphs
from kg_publisher.ntriples import graph_ntriples

from ..conftest import ROOT


def _lines(data: bytes) -> list[bytes]:
    return sorted(data.splitlines())


def test_a_disclosure_graph_is_written_as_rdflib_writes_it() -> None:
    graph, _ = document_graphs(ROOT / "data" / "disclosures" / "00_panjin-xinglongtai-zwfwzx-2022-budget.txt")
    assert len(graph) > 1000
    assert _lines(graph_ntriples(graph)) == _lines(graph.serialize(format="nt", encoding="utf-8"))


def test_escapes_languages_datatypes_and_blank_nodes_as_rdflib_does() -> None:
    graph = Graph()
    node, blank = URIRef("https://example.org/a"), BNode("b1")
    values = (Literal('两行\n"引号" \\ 回车\r'), Literal("预算", lang="zh"), Literal("819.80", datatype=XSD.decimal),
              blank, URIRef("https://example.org/附件"))
    for value in values:
        graph.add((node, URIRef("https://example.org/p"), value))
    graph.add((blank, URIRef("https://example.org/q"), Literal(1)))
    union = graph + Graph()  # not alone in its store: read triple by triple
    for each in (graph, union):
        assert _lines(graph_ntriples(each)) == _lines(each.serialize(format="nt", encoding="utf-8"))
