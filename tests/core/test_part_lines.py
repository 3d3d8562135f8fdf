"""A part's canonical lines: the fast routes (graphs without a blank node; texts graph_ntriples wrote, split only)
and the RDFC-1.0 route give what :func:`canonical` gives, and a graph holding a blank node is canonicalised, not
assumed blank-free."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from kg_publisher.build import document_graphs
from kg_publisher.ntriples import graph_ntriples
from kg_publisher.publish.document import blank_tag, canonical, canonical_lines, quads_of

from ..conftest import ROOT

G, Q = "https://example.org/graph/a", "https://example.org/graph/a/quality"
FACTS = (b'<https://example.org/s> <https://example.org/p> "\xe4\xb8\xad\\n\\"x\\"" .\n'
         b'<https://example.org/s> <https://example.org/p> "a"@en .\n'
         b'<https://example.org/s> <https://example.org/p> "a" .\n'
         b'<https://example.org/s> <https://example.org/n> "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
         b'<https://example.org/r> <https://example.org/p> "text with _:b0 in it" .\n')
REPORT = b'<https://example.org/report> <https://example.org/p> <https://example.org/s> .\n'


def _expected(graphs: dict[str, bytes], tag: str) -> list[tuple[str, list[bytes]]]:
    quads = canonical([q for name, data in graphs.items() for q in quads_of(data, name)], tag)
    out: dict[str, list[bytes]] = {}
    for quad in quads:
        line = ox.serialize([quad.triple], format=ox.RdfFormat.N_TRIPLES)
        assert line is not None
        out.setdefault(quad.graph_name.value, []).append(line.rstrip(b"\n"))
    return list(out.items())


def test_graphs_without_a_blank_node_give_the_lines_rdfc_gives() -> None:
    graphs = {G: FACTS.replace(b"_:b0", b"b0"), Q: REPORT}
    assert canonical_lines(graphs, blank_tag(G)) == _expected(graphs, blank_tag(G))


def test_a_graph_with_a_blank_node_is_canonicalised() -> None:
    tag = blank_tag(G)
    link = b"<https://example.org/s> <https://example.org/b> _:%s .\n_:%s <https://example.org/p> \"v\" .\n"
    one, other = ({G: FACTS + link % (label, label), Q: REPORT} for label in (b"x1", b"other"))
    lines = canonical_lines(one, tag)
    assert lines == _expected(one, tag) == canonical_lines(other, tag)
    terms = [line[:-2].split(b" ", 2) for _, graph in lines for line in graph]
    blanks = {term for s, _, o in terms for term in (s, o) if term.startswith(b"_:")}
    assert blanks == {f"_:{tag}c14n0".encode()}


def test_text_that_looks_like_a_blank_node_takes_the_rdfc_route_to_the_same_lines() -> None:
    graphs = {G: FACTS, Q: REPORT}
    assert canonical_lines(graphs, blank_tag(G)) == _expected(graphs, blank_tag(G))


def test_a_disclosure_written_by_graph_ntriples_is_split_only_to_the_same_lines() -> None:
    graph, _ = document_graphs(ROOT / "data" / "disclosures" / "00_panjin-xinglongtai-zwfwzx-2022-budget.txt")
    quality = Graph().parse(data=REPORT, format="nt")
    tag = blank_tag(G)
    parsed = {G: graph.serialize(format="nt", encoding="utf-8"), Q: REPORT}
    ordered = {G: graph_ntriples(graph), Q: graph_ntriples(quality)}
    lines = canonical_lines(ordered, tag, ordered=True)
    assert lines == canonical_lines(parsed, tag) == _expected(parsed, tag)
    assert len(dict(lines)[G]) == len(graph)
