"""A dataset page leads with the money: headline figures and spending by function class, summed in yuan from
first printings; then the figures as printed; then the quality report kind by kind, collapsed."""

from __future__ import annotations

from decimal import Decimal

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from kg_publisher.publish.figures import Figure
from kg_publisher.publish.overview import dataset_overview, first_printings, matches, overview

BASE = "https://w3id.org/cn-budget-kg/"
SEED = BASE + "id/dataset/panjin-xinglongtai-zwfwzx-2022-budget"
PUTUO = BASE + "id/dataset/shanghai-putuo-czj-2025-budget"


def _figure(iri: str, yuan: str, reprint_of: str | None = None, start: int = 0, **notations: str) -> Figure:
    schemes = {"operation": "operation", "indicator": "indicator", "fund_source": "fund-source",
               "expenditure_type": "expenditure-type", "function": "func-2025", "economic": "econ-dept-2025",
               "item": "item"}
    codes = {name: f"{BASE}code/{schemes[name]}/{notation}" for name, notation in notations.items()}
    return Figure(iri, "", "", "", start, yuan=Decimal(yuan), codes=codes, reprint_of=reprint_of)


def test_headlines_take_the_first_printing_and_hold_other_dimensions_at_their_total() -> None:
    totals = {"fund_source": "_T", "expenditure_type": "_T", "function": "_T", "economic": "_T", "item": "_T"}
    narrative = _figure("n", "31214200", operation="expenditure", indicator="TOTAL", **totals)
    table = _figure("t", "31214205.8", reprint_of="n", start=9, operation="expenditure", indicator="TOTAL", **totals)
    general = _figure("g", "31214205.8", start=5, operation="expenditure", indicator="TOTAL",
                      **{**totals, "fund_source": "GENERAL_PUBLIC"})
    basic = _figure("b", "25121091", start=7, operation="expenditure", indicator="TOTAL",
                    **{**totals, "expenditure_type": "BASIC"})
    assert first_printings([narrative, table]) == [narrative]
    assert matches(narrative, {"operation": "expenditure", "indicator": "TOTAL"})
    assert not matches(general, {"operation": "expenditure", "indicator": "TOTAL"})  # one fund source only
    assert not matches(basic, {"operation": "expenditure", "indicator": "TOTAL"})
    result = overview([narrative, general, basic, table], {})
    assert result.headline("expenditure").figure is narrative  # type: ignore[union-attr]
    assert result.headline("basic").figure is basic  # type: ignore[union-attr]
    assert result.headline("revenue") is None


def test_function_classes_count_each_class_once(app: Flask) -> None:
    store = app.extensions["kg_publisher"].store
    result = dataset_overview(store, PUTUO)
    # 2025年部门财务收支预算总表 of 上海市普陀区财政局: four 类, each with one 款
    assert [(row.notation, row.yuan) for row in result.classes] == [
        ("201", Decimal("22186440.8")), ("208", Decimal("3508644")), ("210", Decimal("782164")),
        ("221", Decimal("4736957"))]
    assert [row.notation for row in result.functions] == ["201", "20106", "208", "20805", "210", "21011", "221",
                                                          "22102"]
    assert result.classes_total == Decimal("31214205.80")  # 支出总计 31,214,205.80 as the table prints it
    assert result.classes[0].zh == "一般公共服务支出"
    assert result.headline("expenditure").yuan == Decimal("31214200")  # type: ignore[union-attr]  # 3121.42万元
    assert result.headline("basic").yuan == Decimal("25121091")  # type: ignore[union-attr]
    assert result.headline("sangong").yuan == Decimal("9500")  # type: ignore[union-attr]
    assert result.headline("reception").yuan == Decimal("9500")  # type: ignore[union-attr]
    assert result.headline("procurement").yuan == Decimal("1170000")  # type: ignore[union-attr]


def test_the_seed_page_opens_with_its_totals(client: FlaskClient) -> None:
    page = client.get(SEED.removeprefix(BASE[:-1]), headers={"Accept": "text/html"})
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    main = soup.find("main")
    assert main is not None
    sections = [section.get("class", [""])[0] for section in main.find_all("section", recursive=False)]
    assert sections[0] == "headline", sections
    assert "functions" not in sections  # the seed prints no function classes (its tables are an attachment)
    assert sections.index("headline") < sections.index("figures") < sections.index("findings")
    cards = {card["id"]: card.find("p", class_="amount").get_text(strip=True)
             for card in soup.select(".headline-figure")}
    assert cards["headline-revenue"] == "819.82" and cards["headline-expenditure"] == "819.82"
    parts = soup.select("#headline-expenditure .parts li")
    assert [part.get_text(" ", strip=True) for part in parts] == ["基本支出 623.44", "项目支出 150.94"]


def test_the_quality_report_is_grouped_by_kind_and_collapsed(client: FlaskClient) -> None:
    soup = BeautifulSoup(client.get(SEED.removeprefix(BASE[:-1]), headers={"Accept": "text/html"})
                         .get_data(as_text=True), "html.parser")
    report = soup.find("section", class_="findings")
    assert report is not None
    groups = report.find_all("details")
    assert groups and all(not group.has_attr("open") for group in groups)
    counts = [int(group.find("span", class_="count").get_text().strip("× ")) for group in groups]
    assert sum(counts) == len(report.find_all("li")) == 38
    assert len(groups) < 38  # several findings of one kind share a group
    # each finding names the node at fault with a link
    first = groups[0].find("li")
    assert first is not None and len(first.find_all("a")) == 2


def test_the_function_table_reads_without_javascript(client: FlaskClient) -> None:
    soup = BeautifulSoup(client.get(PUTUO.removeprefix(BASE[:-1]), headers={"Accept": "text/html"})
                         .get_data(as_text=True), "html.parser")
    table = soup.find("table", id="function-table")
    assert table is not None
    classes = table.select("tbody tr.level-1")
    assert [row["data-code"] for row in classes] == ["201", "208", "210", "221"]
    assert [row.find_all("td")[2].get_text() for row in classes] == ["2,218.64", "350.86", "78.22", "473.70"]
    assert table.find("tfoot").get_text(" ", strip=True).endswith("3,121.42 31,214,205.8")  # type: ignore[union-attr]
    assert soup.find(id="function-chart")["data-chart-table"] == "function-table"  # type: ignore[index]
