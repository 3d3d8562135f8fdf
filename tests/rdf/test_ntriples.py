"""The build's N-Triples writer (kg_publisher/ntriples.py) writes the triples rdflib's writer writes, each line as
pyoxigraph writes it, sorted and each once (what a part publishes as they are)."""

from __future__ import annotations

import gc

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg_publisher.build import document_graphs
from kg_publisher.ntriples import filled_graph, free_graph, graph_ntriples, merged_ntriples
from kg_publisher.publish.formats import written

from ..conftest import ROOT


def _lines(data: bytes) -> list[bytes]:
    """N-Triples as pyoxigraph writes them: each line once, sorted."""
    triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    return sorted(set(written(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)).splitlines()))


def _written(graph: Graph) -> list[bytes]:
    """What graph_ntriples writes, checked to be whole lines."""
    data = graph_ntriples(graph)
    assert data == b"" or data.endswith(b"\n")
    return data.splitlines()


def test_a_disclosure_graph_is_written_as_rdflib_writes_it() -> None:
    graph, _ = document_graphs(ROOT / "data" / "disclosures" / "00_panjin-xinglongtai-zwfwzx-2022-budget.txt")
    assert len(graph) > 1000
    assert _written(graph) == _lines(graph.serialize(format="nt", encoding="utf-8"))


def test_escapes_languages_datatypes_and_blank_nodes_as_pyoxigraph_does() -> None:
    graph = Graph()
    node, blank = URIRef("https://example.org/a"), BNode("b1")
    controls = "".join(chr(code) for code in (*range(0x20), 0x7F, 0xA0, 0x2028, 0xFEFF, 0xFFFE, 0xFFFF))
    values = (Literal('两行\n"引号" \\ 回车\r'), Literal("预算", lang="zh"), Literal("819.80", datatype=XSD.decimal),
              Literal(f"控制{controls}字符"), Literal("zh-CN", lang="zh-CN"), blank, URIRef("https://example.org/附件"),
              # written alike
              Literal("同一", datatype=XSD.string), Literal("同一"),
              Literal("same", lang="EN"), Literal("same", lang="en"))
    for value in values:
        graph.add((node, URIRef("https://example.org/p"), value))
    graph.add((blank, URIRef("https://example.org/q"), Literal(1)))
    union = graph + Graph()  # not alone in its store: read triple by triple
    for each in (graph, union):
        assert _written(each) == _lines(each.serialize(format="nt", encoding="utf-8"))
        assert len(_written(each)) == len(each) - 1  # rdflib holds both 同一, one line is written
    assert b'"\xe6\x8e\xa7\xe5\x88\xb6\\u0000' in graph_ntriples(graph)  # pyoxigraph's escapes, not rdflib's


def test_texts_merged_are_the_graphs_merged() -> None:
    graph, _ = document_graphs(ROOT / "data" / "disclosures" / "00_panjin-xinglongtai-zwfwzx-2022-budget.txt")
    triples = sorted(graph, key=str)
    half, rest = Graph(), Graph()
    for index, triple in enumerate(triples):
        (half if index % 2 else rest).add(triple)
        if index % 7 == 0:
            half.add(triple)  # in both
    assert merged_ntriples(graph_ntriples(half), graph_ntriples(rest)) == graph_ntriples(graph)


def _state(graph: Graph) -> dict[str, object]:
    """Everything rdflib's memory store of ``graph`` keeps, its indexes as lists (their order is the writing order)."""
    state = dict(vars(graph.store))
    for name in ("_Memory__spo", "_Memory__pos", "_Memory__osp"):
        state[name] = [(a, [(b, list(c.items())) for b, c in inner.items()]) for a, inner in state[name].items()]
    contexts = state.pop("_Memory__context_obj_map")
    state["contexts"] = {name: graph is found for name, found in contexts.items()}
    state["_Memory__all_contexts"] = [graph is found for found in state["_Memory__all_contexts"]]
    return state


def test_a_filled_graph_is_the_graph_adding_each_triple_makes() -> None:
    made, _ = document_graphs(ROOT / "data" / "disclosures" / "00_panjin-xinglongtai-zwfwzx-2022-budget.txt")
    triples = list(made)
    triples += triples[:50]  # repeats are kept once
    added = Graph(identifier=URIRef("https://example.org/g"))
    for triple in triples:
        added.add(triple)
    filled = filled_graph(triples)
    filled_state, added_state = _state(filled), _state(added)
    # the store names the graph by its identifier (a fresh blank node for each graph): put one name for the other
    name = f"URIRef:{added.identifier}"
    own = f"{filled.identifier.__class__.__name__}:{filled.identifier}"
    assert filled_state.pop("contexts") == {own: True}
    assert added_state.pop("contexts") == {name: True}
    assert filled_state.pop("_Memory__contextTriples") == {None: set(made), own: set(made)}
    assert added_state.pop("_Memory__contextTriples") == {None: set(made), name: set(made)}
    assert filled_state.pop("_Memory__defaultContexts") == {own: False, None: False}
    assert added_state.pop("_Memory__defaultContexts") == {name: False, None: False}
    filled_state.pop("dispatcher")
    added_state.pop("dispatcher")
    filled_state.pop("identifier")
    added_state.pop("identifier")
    assert filled_state == added_state  # the three indexes in the same order, the rest alike
    # and it behaves as a graph: length, patterns, removal, adding again, writing
    assert len(filled) == len(made) and set(filled) == set(made)
    subject, predicate, value = triples[0]
    assert set(filled.triples((None, predicate, value))) == set(made.triples((None, predicate, value)))
    filled.remove((subject, None, None))
    made.remove((subject, None, None))
    assert set(filled) == set(made)
    filled.add(triples[0])
    made.add(triples[0])
    assert _written(filled) == _lines(made.serialize(format="nt", encoding="utf-8"))


def test_an_empty_filled_graph_is_an_empty_graph() -> None:
    graph = filled_graph([])
    assert len(graph) == 0
    graph.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal(1)))
    assert len(graph) == 1


def _left_to_the_collector(free: bool) -> int:
    """Objects the garbage collector finds unreachable after a disclosure's graph is dropped (freed first or not)."""
    graph, _ = document_graphs(ROOT / "data" / "disclosures" / "00_panjin-xinglongtai-zwfwzx-2022-budget.txt")
    size = len(graph)
    gc.collect()
    if free:
        free_graph(graph)
        assert len(graph) == 0 and list(graph) == []
    del graph
    found = gc.collect()
    assert size > 1000
    return found


def test_a_freed_graph_leaves_its_indexes_to_reference_counting() -> None:
    assert _left_to_the_collector(free=False) > 1000  # the graph ↔ store cycle holds every index dict
    assert _left_to_the_collector(free=True) < 100
