"""A department's page: every disclosure it published (no cap), key figures side by side with the change from
the previous disclosure of the same kind, and the execution rate where a year has both 预算 and 决算."""

from __future__ import annotations

from decimal import Decimal

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from kg_publisher.publish.figures import Figure
from kg_publisher.publish.overview import overview
from kg_publisher.publish.profile import Disclosure, department_profile, profile

BASE = "https://w3id.org/cn-budget-kg/"
TOTALS = {"fund_source": "_T", "expenditure_type": "_T", "function": "_T", "economic": "_T", "item": "_T"}


def _disclosure(key: str, year: int, kind: str, expenditure: str) -> Disclosure:
    codes = {name: f"{BASE}code/{name}/{value}" for name, value in
             {**TOTALS, "operation": "expenditure", "indicator": "TOTAL"}.items()}
    figure = Figure(f"{key}/obs/total", "", "", "", 0, yuan=Decimal(expenditure), codes=codes)
    return Disclosure(key, key, key, year, kind, overview([figure], {}))


def test_changes_compare_like_with_like_and_execution_needs_both_kinds() -> None:
    result = profile([_disclosure("b25", 2025, "budget", "330"), _disclosure("b24", 2024, "budget", "300"),
                      _disclosure("f24", 2024, "final", "270")])
    assert [d.key for d in result.disclosures] == ["b24", "f24", "b25"]
    row = next(r for r in result.rows if r.headline.key == "expenditure")
    assert row.amounts == [Decimal(300), Decimal(270), Decimal(330)]
    assert row.changes == [None, None, Decimal("10.0")]  # 2025 budget against the 2024 budget, not the final
    (execution,) = [e for e in result.execution if e.headline.key == "expenditure"]
    assert (execution.year, execution.rate) == (2024, Decimal("90.0"))


def test_putuo_profile_has_both_disclosures(app: Flask) -> None:
    services = app.extensions["kg_publisher"]
    rows = [r for r in services.release.manifest["datasets"] if r["organization"] == BASE + "id/org/shanghai-putuo-czj"]
    result = department_profile(services.store, rows)
    assert [(d.year, d.kind) for d in result.disclosures] == [(2024, "final"), (2025, "budget")]
    expenditure = next(r for r in result.rows if r.headline.key == "expenditure")
    assert expenditure.amounts[1] == Decimal("31214200")  # 2025 预算 支出 3121.42万元
    assert result.execution == []  # 2024 决算 and 2025 预算: no year with both


def test_the_organisation_page_lists_its_disclosures(client: FlaskClient) -> None:
    page = client.get("/id/org/shanghai-putuo-czj", headers={"Accept": "text/html"})
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    links = [a.get_text() for a in soup.select("section.profile ul.disclosures a")]
    assert links == ["2024 决算", "2025 预算"]
    table = soup.find("table", id="profile-table")
    assert table is not None
    headers = [th.get_text() for th in table.select("thead th[data-column]")]
    assert headers == ["2024 决算", "2025 预算"]
    cells = table.select("tr[data-chart=expenditure] td")
    assert cells[1].get_text(" ", strip=True).startswith("3,121.42")


PUTUO = BASE + "id/org/shanghai-putuo-czj"
PANJIN = BASE + "id/org/panjin-xinglongtai-zwfwzx"


def test_duties_and_units_come_by_disclosure_in_printed_order(app: Flask) -> None:
    services = app.extensions["kg_publisher"]
    datasets = services.release.manifest["datasets"]
    putuo = department_profile(services.store, [r for r in datasets if r["organization"] == PUTUO], PUTUO)
    assert [(s.disclosure.year, s.disclosure.kind) for s in putuo.structure] == [(2024, "final"), (2025, "budget")]
    for part in putuo.structure:  # each year's own twelve duties, (一) first, read from that year's document
        assert [d.notation for d in part.duties][:3] == ["（一）", "（二）", "（三）"] and len(part.duties) == 12
        assert part.duties[0].text.startswith("贯彻执行国家和本市有关财政工作")
        assert all(d.iri.startswith(part.disclosure.dataset + "/duty/") for d in part.duties)
        assert part.units == []
    panjin = department_profile(services.store, [r for r in datasets if r["organization"] == PANJIN], PANJIN)
    (part,) = panjin.structure
    assert [u.name for u in part.units] == ["综合办公室", "绩效办公室", "信息办公室", "业务办公室"]
    assert all(len(u.duties) == 1 for u in part.units) and len(part.duties) == 7


def test_the_organisation_page_shows_duties_and_units_by_year(app: Flask) -> None:
    client = app.test_client()  # its own: the language it asks for is remembered in a cookie
    soup = BeautifulSoup(client.get("/id/org/panjin-xinglongtai-zwfwzx", headers={"Accept": "text/html"})
                         .get_data(as_text=True), "html.parser")
    (part,) = soup.select("section.profile details.structure")
    assert part.summary is not None and part.summary.get_text(" ", strip=True).startswith("2022 预算")
    assert len(part.select(":scope > ol.duties > li")) == 7
    assert part.select("ul.units > li > a")[0].get_text() == "（一）综合办公室"
    answer = client.get("/id/org/panjin-xinglongtai-zwfwzx?lang=en", headers={"Accept": "text/html"})
    english = BeautifulSoup(answer.get_data(as_text=True), "html.parser")
    assert english.find("h3", id="duties").get_text() == "Duties and internal units"


def _referenced(client: FlaskClient, path: str) -> tuple[list[tuple[str, str]], BeautifulSoup]:
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200, path
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    rows = [tuple(a["href"] for a in tr.select("a")) for tr in soup.select("#referenced-by table.incoming tr")]
    return rows, soup  # type: ignore[return-value]


def test_referenced_by_is_paged_not_cut(app: Flask, client: FlaskClient) -> None:
    """Putuo's finance bureau is the object of 400-odd triples (every figure names it): read page by page, the
    list holds every one of them, once, its own two disclosures among them."""
    every = app.extensions["kg_publisher"].store.incoming(PUTUO, 10**6)
    assert len(every) > 2 * 200
    seen: list[tuple[str, str]] = []
    path, pages = "/id/org/shanghai-putuo-czj", 0
    while path:
        rows, soup = _referenced(client, path)
        pages += 1
        assert 0 < len(rows) <= 200
        seen += rows
        following = soup.select_one("#referenced-by nav.pages a[rel=next]")
        path = "/id/org/shanghai-putuo-czj" + following["href"].split("#")[0] if following else ""
    assert pages == 3 and len(seen) == len(set(seen)) == len(every)
    for key in ("shanghai-putuo-czj-2024-final", "shanghai-putuo-czj-2025-budget"):
        assert any(subject == f"http://localhost/id/dataset/{key}" for subject, _ in seen)
    assert soup.select_one("#referenced-by nav.pages a[rel=prev]")["href"].startswith("?referenced=2")


def test_a_bad_referenced_page_is_refused_clearly(client: FlaskClient) -> None:
    for asked, status in (("abc", 400), ("0", 400), ("-1", 400), ("１", 400), ("99", 404)):
        answer = client.get(f"/id/org/shanghai-putuo-czj?referenced={asked}", headers={"Accept": "text/html"})
        assert answer.status_code == status, asked
        text = BeautifulSoup(answer.get_data(as_text=True), "html.parser").get_text(" ")
        assert ("is not a page number" in text and "?referenced=1" in text) if status == 400 else \
            ("no page 99" in text and "first page" in text)
