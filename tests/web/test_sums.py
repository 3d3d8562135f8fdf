"""Sums a researcher asks for come out right: the default graph is a set of triples (each counted once), every
amount is also in yuan, and a figure printed in several tables is counted once.

The expected totals are read by hand from the texts in data/disclosures/ (each with the line it was read from,
which the test checks is in the text), not from our own output.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from kg_publisher.queries import example_query

from ..conftest import whole_nquads

ROOT = Path(__file__).resolve().parents[2]
DISCLOSURES = ROOT / "data" / "disclosures"
BUDGET_2025 = "03_putuo-czj-2025-budget.txt"  # tables in 元
FINAL_2024 = "07_putuo-czj-2024-final.txt"    # tables and text in 万元
WAN = Decimal(10000)


def _select(client: FlaskClient, query: str) -> list[dict[str, str]]:
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    document = json.loads(response.get_data())
    return [{name: cell["value"] for name, cell in row.items()} for row in document["results"]["bindings"]]


def _printed(document: str, line: str) -> str:
    text = (DISCLOSURES / document).read_text(encoding="utf-8")
    assert line in text, f"{line!r} is not in {document}: the hand-read expectation no longer matches the text"
    return line


def test_default_graph_counts_each_triple_once(client: FlaskClient, release_dir: Path) -> None:
    quads = list(ox.parse(whole_nquads(release_dir), format=ox.RdfFormat.N_QUADS))
    triples = {quad.triple for quad in quads}
    in_several_graphs = len(quads) - len(triples)
    assert in_several_graphs > 0, "the release has no triple in two graphs: this test would prove nothing"
    [row] = _select(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(row["n"]) == len(triples)
    repeated = _select(client, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } GROUP BY ?s ?p ?o HAVING (COUNT(*) > 1) LIMIT 5")
    assert repeated == []


def test_named_graphs_still_answer_one_by_one(client: FlaskClient, release_dir: Path) -> None:
    """The merged default graph is added beside the named graphs, which stay as they were."""
    quads = list(ox.parse(whole_nquads(release_dir), format=ox.RdfFormat.N_QUADS))
    [row] = _select(client, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(row["n"]) == len(quads)


def test_every_amount_is_also_in_yuan(client: FlaskClient) -> None:
    rows = _select(client, """
        PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
        PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
        PREFIX bgt: <https://w3id.org/cn-budget-kg/def#>
        PREFIX qb: <http://purl.org/linked-data/cube#>
        SELECT ?unit (COUNT(?obs) AS ?n) (SUM(IF(?yuan = ?amount * IF(?m = 4, 10000, IF(?m = 8, 100000000, 1)), 1, 0))
               AS ?exact) (SAMPLE(DATATYPE(?yuan)) AS ?type)
        WHERE { ?obs a qb:Observation ; obeu-measure:amount ?amount ; sdmx-attribute:unitMult ?m ;
                     bgt:printedUnit ?unit .
                OPTIONAL { ?obs bgt:amountInYuan ?yuan } }
        GROUP BY ?unit""")
    by_unit = {row["unit"]: row for row in rows}
    assert {"元", "万元"} <= set(by_unit)
    for row in rows:
        assert row["n"] == row["exact"], row
        assert row["type"] == "http://www.w3.org/2001/XMLSchema#decimal"


def test_expenditure_by_function_class_across_disclosures(client: FlaskClient) -> None:
    """03 prints its tables in 元, 07 in 万元; each prints the class totals in three or more tables."""
    expected = {
        # class: (03 in 元, 07 in 万元), each as printed
        "201": (_printed(BUDGET_2025, "201 一般公共服务支出 22,186,440.80"), "22186440.80",
                _printed(FINAL_2024, "（类）2106.66万元"), "2106.66"),
        # 07's 收入支出决算总表 prints 326.71, its other tables 326.72: the first printing counts, and the
        # disagreement is a finding (test below).
        "208": (_printed(BUDGET_2025, "208 社会保障和就业支出 3,508,644.00"), "3508644.00",
                _printed(FINAL_2024, "社会保障和就业支出（类）326.72万元"), "326.71"),
        "210": (_printed(BUDGET_2025, "210 卫生健康支出 782,164.00"), "782164.00",
                _printed(FINAL_2024, "卫生健康支出（类）60.99万元"), "60.99"),
        "221": (_printed(BUDGET_2025, "221 住房保障支出 4,736,957.00"), "4736957.00",
                _printed(FINAL_2024, "住房保障支出（类）445.69万元"), "445.69"),
    }
    rows = _select(client, example_query("expenditure-by-function-class").text)
    got = {row["class"]: Decimal(row["expenditureYuan"]) for row in rows}
    assert got == {code: Decimal(yuan) + Decimal(wan) * WAN for code, (_, yuan, _, wan) in expected.items()}
    assert {row["class"]: row.get("className") for row in rows}["201"] == "一般公共服务支出"
    # The classes add up to each document's printed expenditure total.
    total = _printed(BUDGET_2025, "合计 31,214,205.80")
    assert total and sum(got.values()) == Decimal("31214205.80") + Decimal("2940.05") * WAN


def test_the_disagreeing_printing_is_a_finding(client: FlaskClient) -> None:
    rows = _select(client, """
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?message WHERE { ?r sh:sourceShape <https://w3id.org/cn-budget-kg/shapes#CrossCheck-ObservationsShape> ;
                                   sh:resultSeverity sh:Warning ; sh:resultMessage ?message .
                                FILTER (CONTAINS(?message, "326.71万元") && LANG(?message) = "en") }""")
    assert any("326.72" in row["message"] for row in rows), rows


def test_sangong_totals_by_department_and_year(client: FlaskClient) -> None:
    _printed("01_chongqing-jiaowei-2018-budget.txt", "2018年“三公”经费预算2800.68万元")
    _printed("00_panjin-xinglongtai-zwfwzx-2022-budget.txt", "2022年度“三公”经费预算支出安排0万元")
    _printed(BUDGET_2025, "2025年“三公”经费预算数为0.95万元")
    _printed(FINAL_2024, "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元")
    rows = _select(client, example_query("sangong-by-department-and-year").text)
    got = {(row["department"], row["year"], row["phase"]): Decimal(row["sangongYuan"]) for row in rows}
    assert got == {
        ("重庆市交通委员会", "2018", "approved"): Decimal("2800.68") * WAN,
        ("盘锦市兴隆台区政务服务中心", "2022", "approved"): Decimal(0),
        ("上海市普陀区财政局", "2024", "approved"): Decimal("0.95") * WAN,
        ("上海市普陀区财政局", "2024", "executed"): Decimal(0),
        ("上海市普陀区财政局", "2025", "approved"): Decimal("0.95") * WAN,
    }


def test_a_figure_printed_in_several_tables_is_counted_once(client: FlaskClient) -> None:
    """07's 一般公共服务支出 (201) is printed in five tables and in the text: one first printing."""
    rows = _select(client, """
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX bgt: <https://w3id.org/cn-budget-kg/def#>
        SELECT ?obs ?first WHERE {
          ?obs qb:dataSet <https://w3id.org/cn-budget-kg/id/dataset/shanghai-putuo-czj-2024-final> ;
               bgt:functionalClassification <https://w3id.org/cn-budget-kg/code/func-2024/201> ;
               bgt:fundSource <https://w3id.org/cn-budget-kg/code/fund-source/_T> ;
               bgt:expenditureType <https://w3id.org/cn-budget-kg/code/expenditure-type/_T> ;
               bgt:economicClassification <https://w3id.org/cn-budget-kg/code/econ-dept-2024/_T> ;
               bgt:indicator <https://w3id.org/cn-budget-kg/code/indicator/TOTAL> ;
               bgt:operationCharacter <https://w3id.org/cn-budget-kg/code/operation/expenditure> .
          OPTIONAL { ?obs bgt:reprintOf ?first } }""")
    firsts = [row["obs"] for row in rows if "first" not in row]
    assert len(rows) >= 2 and len(firsts) == 1
    assert {row["first"] for row in rows if "first" in row} == set(firsts)


@pytest.mark.parametrize("key", ["expenditure-by-function-class", "sangong-by-department-and-year"])
def test_examples_are_in_the_readme(key: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"kg_publisher/queries/{key}.rq" in readme


def test_sparql_page_offers_the_examples_and_they_run_from_it(client: FlaskClient) -> None:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True), "html.parser")
    forms = page.select("details.example-query form")
    assert len(forms) == 2
    for form in forms:
        query = form.select_one("input[name=query]")
        assert query is not None
        response = client.post(str(form["action"]).removeprefix("http://localhost"),
                               data={"query": query["value"], "format": "csv"})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "text/csv"
        assert len(response.get_data(as_text=True).splitlines()) >= 5
