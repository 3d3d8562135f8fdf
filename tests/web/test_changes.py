"""The dataset page's year-over-year table: each change statement as stated, and the per cent recomputed from
the figures (or "direction unclear" when its direction words contradict each other)."""

from __future__ import annotations

from decimal import Decimal

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from kg_publisher.publish.changes import ChangeClaim, change_claims
from kg_publisher.publish.figures import Figure, figures_of

SEED = "https://w3id.org/cn-budget-kg/id/dataset/panjin-xinglongtai-zwfwzx-2022-budget"


def test_recomputed_percent_uses_the_stated_direction() -> None:
    figure = Figure("f", "", "", "", 0, yuan=Decimal("8198200"))
    up = ChangeClaim("c", "", figure, Decimal("1078400"), "INCREASE", Decimal("15"), None, "2021")
    assert up.base == Decimal("7119800") and up.recomputed_percent == Decimal("15.15")
    down = ChangeClaim("c", "", figure, Decimal("1078400"), "DECREASE", None, None, "2021")
    assert down.base == Decimal("9276600") and down.recomputed_percent == Decimal("-11.62")
    unclear = ChangeClaim("c", "", figure, Decimal("1078400"), None, Decimal("15"), None, "2021")
    assert unclear.recomputed_percent is None
    printed_base = ChangeClaim("c", "", figure, Decimal("100"), "INCREASE", None, Decimal("1000"), "2021")
    assert printed_base.recomputed_percent == Decimal("10.00")


def test_the_seed_statements(app: Flask) -> None:
    store = app.extensions["kg_publisher"].store
    claims = {c.iri.rsplit("/", 1)[-1]: c for c in change_claims(store, SEED, figures_of(store, SEED))}
    revenue = claims["revenue-total-change"]  # 收入增加107.84万元/与上年增长15%
    assert revenue.figure is not None and revenue.figure.yuan == Decimal("8198200")
    assert (revenue.direction, revenue.recomputed_percent) == ("INCREASE", Decimal("15.15"))
    assert claims["expenditure-total-change"].direction is None  # “增加” and “减少” at once


def test_the_dataset_page_shows_them(client: FlaskClient) -> None:
    page = client.get("/id/dataset/panjin-xinglongtai-zwfwzx-2022-budget", headers={"Accept": "text/html"})
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    rows = soup.select("section.changes tbody tr")
    assert rows
    cells = {row.find("a").get_text(): [td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows}
    revenue = cells["收入增加107.84万元/与上年增长15%"]
    assert revenue[1:] == ["819.82", "+107.84", "15%", "15.15%"]
    assert cells["支出增加107.84万元/与增加/减少15%"][4] == "方向不明"  # the lexicon's word (English with ?lang=en)
