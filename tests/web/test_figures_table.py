"""The figures table of a dataset page: filtered (``?figures=``) and sorted (``?sort=``) by the server, so it
works without JavaScript; each item links to its own page, where the sentence it came from is highlighted."""

from __future__ import annotations

from decimal import Decimal

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

PUTUO = "/id/dataset/shanghai-putuo-czj-2025-budget"


def _rows(client: FlaskClient, query: str = "") -> list[list[str]]:
    response = client.get(PUTUO + query, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text[:300]
    table = BeautifulSoup(response.text, "html.parser").find("table", id="figure-table")
    assert table is not None
    return [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in table.tbody.find_all("tr")]


def test_the_filter_keeps_only_matching_figures(client: FlaskClient) -> None:
    everything = _rows(client)
    sangong = _rows(client, "?figures=%E4%B8%89%E5%85%AC")  # 三公
    assert 0 < len(sangong) < len(everything)
    assert all("三公" in " ".join(row) for row in sangong)
    assert not _rows(client, "?figures=no-such-figure-text")


def test_sorting_by_amount_orders_the_yuan(client: FlaskClient) -> None:
    response = client.get(PUTUO + "?sort=-amount", headers={"Accept": "text/html"})
    table = BeautifulSoup(response.text, "html.parser").find("table", id="figure-table")
    amounts = [Decimal(cell["data-sort"]) for cell in table.select("tbody tr td:nth-of-type(3)") if cell["data-sort"]]
    assert len(amounts) > 10 and amounts == sorted(amounts, reverse=True)
    assert table.find("th", attrs={"aria-sort": "descending"}).get_text(" ", strip=True).startswith("金额")
    assert [row[0] for row in _rows(client)] == [str(n) for n in range(1, len(_rows(client)) + 1)]


def test_a_bad_order_is_a_400_saying_which_orders_exist(client: FlaskClient) -> None:
    response = client.get(PUTUO + "?sort=colour", headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert "colour" in response.text and "document, item, amount, code, section" in response.text


def test_each_item_links_to_its_page_with_the_sentence_highlighted(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get(PUTUO, headers={"Accept": "text/html"}).text, "html.parser")
    link = page.select_one("#figure-table tbody tr a")
    assert link["href"].endswith("#source-text")
    figure = BeautifulSoup(client.get(link["href"].split("#")[0].removeprefix("http://localhost"),
                                      headers={"Accept": "text/html"}).text, "html.parser")
    assert figure.select_one("#source-text mark") is not None
