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
    assert links == ["2024 决算 final accounts", "2025 预算 budget"]
    table = soup.find("table", id="profile-table")
    assert table is not None
    headers = [th.get_text() for th in table.select("thead th[data-column]")]
    assert headers == ["2024 决算", "2025 预算"]
    cells = table.select("tr[data-chart=expenditure] td")
    assert cells[1].get_text(" ", strip=True).startswith("3,121.42")
