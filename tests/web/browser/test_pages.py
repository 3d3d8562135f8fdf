"""What a reader sees in Chromium: every kind of page loads without script errors, asks nothing of any other
host, and fits a 390 px phone screen; a screenshot of each is kept (tests/artefacts/screenshots/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg_publisher.publish.release import Release

from .conftest import DESKTOP, PHONE

SEED_KEY = "panjin-xinglongtai-zwfwzx-2022-budget"


def pages(release: Release) -> dict[str, str]:
    base = release.manifest["base_iri"]
    seed = next(d for d in release.manifest["datasets"] if d["key"] == SEED_KEY)
    return {
        "home": "/",
        "catalogue": "/catalog",
        "dataset": seed["dataset"].removeprefix(base),
        "figure": seed["dataset"].removeprefix(base) + "/obs/expenditure-basic",
        "organisation": "id/org/shanghai-putuo-czj",
        "sparql": "/sparql",
        "graph": seed["graph"].removeprefix(base),
        "glossary-term": seed["dataset"].removeprefix(base) + "/glossary/1",
        "def": "/def",
        "codes": "/codes",
        "search": "/search?q=%E8%B4%A2%E6%94%BF",
    }


@pytest.mark.parametrize("name", ["home", "catalogue", "dataset", "figure", "organisation", "sparql", "graph",
                                  "glossary-term", "def", "codes", "search"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_page_loads_clean_and_fits(visit: Any, release: Release, name: str, viewport: dict[str, int]) -> None:
    seen = visit(pages(release)[name], viewport=viewport)
    seen.screenshot(f"{name}-{viewport['width']}")
    assert seen.errors == [], f"console errors on {name}"
    assert seen.outside == [], f"{name} asked other hosts"
    assert seen.overflow() <= 0, f"{name} is {seen.overflow()} px wider than a {viewport['width']} px screen"


def _dataset_path(release: Release, key: str) -> str:
    base = release.manifest["base_iri"]
    return next(d for d in release.manifest["datasets"] if d["key"] == key)["dataset"].removeprefix(base)


@pytest.mark.parametrize("key", [SEED_KEY, "shanghai-putuo-czj-2025-budget"])
def test_the_total_is_on_the_first_screen(visit: Any, release: Release, key: str) -> None:
    seen = visit(_dataset_path(release, key), viewport=DESKTOP)
    seen.screenshot(f"first-screen-{key}")
    for card in ("#headline-revenue", "#headline-expenditure"):
        box = seen.page.locator(f"{card} .amount").bounding_box()
        assert box is not None and seen.page.locator(card).is_visible()
        assert box["y"] + box["height"] <= DESKTOP["height"], f"{card} starts {box['y']} px down"


def test_the_chart_has_one_bar_per_function_class(visit: Any, release: Release) -> None:
    seen = visit(_dataset_path(release, "shanghai-putuo-czj-2025-budget"), viewport=DESKTOP)
    seen.page.wait_for_selector("#function-chart[data-rendered]")
    classes = seen.page.locator("#function-table tbody tr.level-1").count()
    bars = seen.page.locator("#function-chart svg .mark-rect path").count()
    assert classes == 4 and bars == classes
    seen.page.locator("#function-chart").scroll_into_view_if_needed()
    seen.screenshot("function-chart")
    assert seen.errors == []


def test_without_javascript_the_figures_are_in_tables(visit: Any, release: Release) -> None:
    seen = visit(_dataset_path(release, "shanghai-putuo-czj-2025-budget"), javascript=False)
    assert seen.page.locator("#function-chart svg").count() == 0
    assert seen.page.locator("#function-table tbody tr.level-1").count() == 4
    assert seen.page.locator("#headline-expenditure .amount").inner_text() == "3,121.42"


@pytest.mark.parametrize("query", ["财政", "budget"])
def test_the_search_box_finds_the_department(visit: Any, query: str) -> None:
    seen = visit("/", viewport=PHONE)
    seen.page.fill("header form.search input[name=q]", query)
    seen.page.press("header form.search input[name=q]", "Enter")
    seen.page.wait_for_selector("#results-department")
    assert "上海市普陀区财政局" in seen.page.locator("#results-department").inner_text()
    seen.screenshot(f"search-{'caizheng' if query == '财政' else query}-390")
    assert seen.errors == [] and seen.overflow() <= 0


@pytest.mark.parametrize("path", ["/departments", "/glossary", "/codes", "/search?q=%E8%B4%A2%E6%94%BF"])
def test_index_pages_fit_a_phone(visit: Any, path: str) -> None:
    seen = visit(path, viewport=PHONE)
    seen.screenshot(f"index{path.replace('/', '-').split('?')[0]}-390")
    assert seen.errors == [] and seen.outside == [] and seen.overflow() <= 0


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("name", ["home", "catalogue", "dataset", "figure", "organisation", "sparql", "putuo",
                                  "search", "departments", "glossary", "codes", "glossary-term", "def"])
def test_no_serious_accessibility_violations(visit: Any, release: Release, name: str) -> None:
    paths = {**pages(release), "putuo": _dataset_path(release, "shanghai-putuo-czj-2025-budget"),
             "search": "/search?q=budget", "departments": "/departments", "glossary": "/glossary", "codes": "/codes"}
    seen = visit(paths[name])
    if name == "putuo":
        seen.page.wait_for_selector("#function-chart[data-rendered]")
    if name == "sparql":  # YASGUI draws after the page loaded; its controls are named once it has
        seen.page.wait_for_selector("#yasgui[data-accessible]")
    seen.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = seen.page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target)}))")
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{name}: {serious}"


def test_the_department_profile_charts_each_disclosure(visit: Any) -> None:
    seen = visit("/id/org/shanghai-putuo-czj")
    seen.page.wait_for_selector("#profile-chart[data-rendered]")
    columns = seen.page.locator("#profile-table thead th[data-column]").count()
    assert columns == 2 and seen.page.locator("#profile-chart svg .mark-rect path").count() == columns
    seen.page.locator("#profile-chart").scroll_into_view_if_needed()
    seen.screenshot("department-profile")
    assert seen.errors == []


def test_the_language_switch_changes_the_labels(visit: Any) -> None:
    seen = visit("/code/fund-source/_T")
    assert seen.page.locator("h1").inner_text() == "合计"
    seen.page.click("a.language-switch")
    seen.page.wait_for_load_state("networkidle")
    assert seen.page.locator("h1").inner_text() == "total"
    assert seen.page.locator("header nav a").first.inner_text() == "Home"
    seen.screenshot("language-en")
    assert seen.errors == []


def test_the_figures_table_sorts_and_filters_in_place(visit: Any, release: Release) -> None:
    path = _dataset_path(release, "shanghai-putuo-czj-2025-budget")
    seen = visit(path, viewport=DESKTOP)
    page = seen.page
    rows = page.locator("#figure-table tbody tr")
    total = rows.count()
    header = page.locator("#figure-table thead th").nth(2)  # 金额 Amount
    header.click()
    header.click()  # the second click sorts descending
    assert header.get_attribute("aria-sort") == "descending"
    amounts = [float(v) for v in page.eval_on_selector_all(
        "#figure-table tbody tr td:nth-child(3)", "cells => cells.map(c => c.dataset.sort).filter(Boolean)")]
    assert amounts == sorted(amounts, reverse=True) and page.url.endswith(path)  # sorted in place
    page.fill("#figure-filter", "三公")
    visible = page.locator("#figure-table tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert all("三公" in text for text in visible.all_inner_texts())
    assert page.locator("#figures-shown").inner_text() == str(visible.count())
    page.locator("#figures").scroll_into_view_if_needed()
    seen.screenshot("figures-table")
    visible.first.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#source-text mark").first.is_visible()
    assert seen.errors == []


def test_without_javascript_the_figures_table_sorts_and_filters_by_links(visit: Any, release: Release) -> None:
    seen = visit(_dataset_path(release, "shanghai-putuo-czj-2025-budget"), javascript=False)
    page = seen.page
    page.fill("#figure-filter", "三公")
    page.click("form.figure-filter button")
    page.wait_for_load_state("networkidle")
    texts = page.locator("#figure-table tbody tr").all_inner_texts()
    assert texts and all("三公" in text for text in texts)
    page.click("#figure-table thead th:nth-child(3) a")
    page.wait_for_load_state("networkidle")
    assert page.locator("#figure-table thead th:nth-child(3)").get_attribute("aria-sort") == "ascending"
    assert "sort=amount" in page.url and "figures=" in page.url


def test_the_query_editor_has_the_example_queries_as_tabs_and_charts_a_result(visit: Any) -> None:
    """/sparql opens with one editor tab per example query (the README's); running the first and choosing the
    Chart view draws one bar per result row."""
    from kg_publisher.queries import example_queries

    examples = example_queries()
    seen = visit("/sparql", viewport=DESKTOP)
    page = seen.page
    page.wait_for_selector("#yasgui .tabsList")
    tabs = page.locator("#yasgui .tabsList [role=tab]")
    assert tabs.count() == len(examples)
    names = [tabs.nth(i).locator("span").first.inner_text().strip() for i in range(tabs.count())]
    assert names == [example.title_zh for example in examples]
    page.click("#yasgui .yasqe_queryButton")
    page.wait_for_selector("#yasgui .yasr .dataTable tbody tr")
    rows = page.locator("#yasgui .yasr .dataTable tbody tr").count()
    page.click("#yasgui .yasr .select_chart")
    page.wait_for_selector("#yasgui .yasr-chart[data-rendered]")
    bars = page.locator("#yasgui .yasr-chart svg .mark-rect path").count()
    assert rows >= 4 and bars == rows
    page.locator("#yasgui .yasr-chart").scroll_into_view_if_needed()
    seen.screenshot("sparql-chart")
    assert seen.errors == [] and seen.overflow() <= 0
