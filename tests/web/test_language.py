"""The zh/en switch: ?lang= (remembered in a cookie), else Accept-Language, else Chinese; page chrome and labels
follow it, figures stay as printed."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import Flask

CODE = "/code/fund-source/_T"  # 合计 / total


def _page(client: object, path: str, **headers: str) -> BeautifulSoup:
    response = client.get(path, headers={"Accept": "text/html", **headers})  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert "Accept-Language" in response.headers["Vary"]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_chinese_unless_the_reader_says_otherwise(app: Flask) -> None:
    client = app.test_client()
    page = _page(client, CODE)
    assert page.html["lang"] == "zh" and page.select_one("header nav a").get_text() == "首页"  # type: ignore[index,union-attr]
    assert page.h1.get_text() == "合计" and page.select_one("p.english").get_text() == "total"  # type: ignore[union-attr]


def test_accept_language_english_gives_english_labels(app: Flask) -> None:
    page = _page(app.test_client(), CODE, **{"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"})
    assert page.html["lang"] == "en" and page.select_one("header nav a").get_text() == "Home"  # type: ignore[index,union-attr]
    assert page.h1.get_text() == "total" and page.h1["lang"] == "en"  # type: ignore[union-attr,index]
    assert page.select_one("p.english").get_text() == "合计"  # type: ignore[union-attr]


def test_the_switch_is_remembered_and_keeps_the_query(app: Flask) -> None:
    client = app.test_client()
    switch = _page(client, "/search?q=budget").select_one("a.language-switch")
    assert switch is not None and switch["href"] == "/search?q=budget&lang=en"
    _page(client, "/search?q=budget&lang=en")
    page = _page(client, "/")  # the cookie says English now
    assert page.select_one("header nav a").get_text() == "Home"  # type: ignore[union-attr]
    _page(client, "/?lang=zh")
    assert _page(client, "/").select_one("header nav a").get_text() == "首页"  # type: ignore[union-attr]
    # an unknown language is ignored, not an error
    assert _page(client, "/?lang=fr").html["lang"] == "zh"  # type: ignore[index]


def test_a_dataset_page_prints_its_headings_in_the_readers_language(app: Flask) -> None:
    path = "/id/dataset/shanghai-putuo-czj-2025-budget"
    for lang, glance, function, findings in (("zh", "预算概览", "按功能分类的支出", "质量问题"),
                                             ("en", "At a glance", "Spending by function", "Quality findings")):
        page = _page(app.test_client(), f"{path}?lang={lang}")
        assert page.find("h2", id="headline-title").get_text().startswith(glance)
        assert page.find("h2", id="functions-title").get_text() == function
        assert page.find("section", id="findings").h2.get_text().startswith(findings)
    english = _page(app.test_client(), f"{path}?lang=en")
    names = [p.get_text(" ", strip=True) for p in english.select(".headline-figure p.name")]
    assert names[0].startswith("Total revenue") or names[0].startswith("Total expenditure")
