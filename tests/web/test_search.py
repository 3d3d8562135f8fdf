"""Search and indexes: one SQLite FTS5 (trigram) index per release, written by the release writer; /search finds
departments, datasets, figures, glossary terms and codes by Chinese or English text; /departments and /glossary."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from kg_publisher.errors import SearchError
from kg_publisher.publish.release import Release, write_release
from kg_publisher.publish.search import SEARCH_DB, Entry, search, search_index, write_search_index
from kg_publisher.web import create_app
from kg_publisher.web import search as web_search

from .conftest import fixture_disclosure, fixture_vocabulary, make_settings

PUTUO_ORG = "https://w3id.org/cn-budget-kg/id/org/shanghai-putuo-czj"


def _results(client: FlaskClient, query: str) -> dict[str, list[str]]:
    page = client.get("/search", query_string={"q": query})
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    return {str(section["id"]).removeprefix("results-"): [a.get_text() for a in section.select("li > a")]
            for section in soup.select("section.results")}


def test_the_release_writer_writes_the_index(tmp_path: Path) -> None:
    settings = make_settings()
    manifest = write_release(tmp_path, [fixture_disclosure(settings)], fixture_vocabulary(), settings)
    path = tmp_path / SEARCH_DB
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        kinds = dict(db.execute("SELECT kind, COUNT(*) FROM entries GROUP BY kind").fetchall())
    assert kinds["department"] == 1 and kinds["dataset"] == len(manifest["datasets"]) == 1
    assert kinds["figure"] >= 1 and kinds["code"] > 50  # the hand-made fixture graph holds a few figures
    # a release written before releases carried an index gets one, once, on first use
    path.unlink()
    built = search_index(tmp_path, manifest["version"], manifest["datasets"])
    assert built == path and path.is_file()
    mtime = path.stat().st_mtime_ns
    assert search_index(tmp_path, manifest["version"], manifest["datasets"]) == path
    assert path.stat().st_mtime_ns == mtime


@pytest.mark.parametrize("query", ["财政", "财政局", "budget", "Budget", "普陀"])
def test_chinese_and_english_find_the_department(client: FlaskClient, query: str) -> None:
    found = _results(client, query)
    assert "上海市普陀区财政局" in found["department"], found


def test_terms_figures_and_codes_are_found(client: FlaskClient) -> None:
    found = _results(client, "机关运行经费")
    assert "机关运行经费" in found["term"]
    assert any(title.startswith("机关运行经费") for title in found["figure"])
    codes = _results(client, "201")["code"]
    assert any(title.startswith("201 一般公共服务支出") for title in codes)
    assert "code" in _results(client, "general public budget")  # English labels of the code lists


def test_bad_searches_are_told_what_to_do(client: FlaskClient) -> None:
    assert client.get("/search").status_code == 200  # the empty form
    assert "没有找到" in client.get("/search?q=zzzqqq").get_data(as_text=True)
    too_long = client.get("/search", query_string={"q": "财" * 101}, headers={"Accept": "application/json"})
    assert too_long.status_code == 400 and "at most 100" in too_long.get_json()["error"]["message"]
    control = client.get("/search", query_string={"q": "财\x01政"})
    assert control.status_code == 400
    # LIKE wildcards and FTS syntax are text, not operators
    assert _results(client, "%") == {} and _results(client, '"budget" OR x') == {}


def test_search_below_three_characters_still_matches_substrings(tmp_path: Path) -> None:
    path = tmp_path / SEARCH_DB
    write_search_index(path, [Entry("department", "a:1", "上海市普陀区财政局", "budget 2025"),
                              Entry("term", "a:2", "财政拨款收入", "", "指本级财政当年拨付的资金。")])
    assert [h.iri for h in search(path, "财政")["department"]] == ["a:1"]
    assert [h.iri for h in search(path, "财政")["term"]] == ["a:2"]
    assert [h.iri for h in search(path, "BUDGET")["department"]] == ["a:1"]
    assert search(path, "拨付")["term"][0].iri == "a:2"  # in the definition
    with pytest.raises(SearchError):
        search(path, "   ")


def test_the_department_index_lists_every_department_by_region(client: FlaskClient, release: Release) -> None:
    soup = BeautifulSoup(client.get("/departments").get_data(as_text=True), "html.parser")
    regions = [h2.get_text() for h2 in soup.select("section.region h2")]
    assert len(regions) == 3
    putuo = soup.find("a", href=lambda href: bool(href) and href.endswith("/id/org/shanghai-putuo-czj"))
    assert putuo is not None
    disclosures = putuo.find_parent("tr").find_all("a")[1:]  # type: ignore[union-attr]
    assert [a.get_text() for a in disclosures] == ["2024 决算", "2025 预算"]


def test_the_glossary_puts_definitions_side_by_side(client: FlaskClient) -> None:
    soup = BeautifulSoup(client.get("/glossary").get_data(as_text=True), "html.parser")
    term = next(dt for dt in soup.select("dl.glossary dt") if dt.get_text().startswith("机关运行经费"))
    definitions = []
    for sibling in term.find_next_siblings():
        if sibling.name == "dt":
            break
        definitions.append(sibling.get_text())
    assert len(definitions) >= 2 and all("公用经费" in d or "基本支出" in d for d in definitions)
    first_link = soup.select_one(".glossary-index a")
    assert first_link is not None and soup.find(id=str(first_link["href"]).lstrip("#")) is not None


def test_every_page_has_the_search_box(client: FlaskClient) -> None:
    for path in ("/", "/catalog", "/id/org/shanghai-putuo-czj", "/departments"):
        soup = BeautifulSoup(client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True), "html.parser")
        form = soup.select_one("header form.search")
        assert form is not None and str(form["action"]).endswith("/search"), path


def test_glossary_terms_have_english_names_and_are_found_by_them(client: FlaskClient) -> None:
    """The English name we mint for a term is shown beside it and searched; its definitions stay Chinese."""
    soup = BeautifulSoup(client.get("/glossary").get_data(as_text=True), "html.parser")
    term = next(dt for dt in soup.select("dl.glossary dt") if dt.get_text().startswith("机关运行经费"))
    english = term.find("span", lang="en")
    assert english is not None and english.get_text() == "running costs of the administration"
    assert _results(client, "running costs")["term"][0] == "机关运行经费"
    assert all(dd.find("span", lang="zh") is not None for dd in soup.select("dl.glossary dd"))


def test_the_indexes_and_the_profile_follow_the_language_switch(app: Flask) -> None:
    english = app.test_client()  # its own: ?lang= is remembered in a cookie
    pages = {path: BeautifulSoup(english.get(path, headers={"Accept": "text/html"}).get_data(as_text=True),
                                 "html.parser")
             for path in ("/departments?lang=en", "/glossary", "/search?q=budget", "/id/org/shanghai-putuo-czj")}
    assert [soup.h1.get_text() for soup in list(pages.values())[:3]] == ["Departments", "Glossary", "Search"]
    putuo = pages["/departments?lang=en"].find("a", href=lambda h: bool(h) and h.endswith("/id/org/shanghai-putuo-czj"))
    assert [a.get_text() for a in putuo.find_parent("tr").find_all("a")[1:]] == [  # type: ignore[union-attr]
        "2024 final accounts", "2025 budget"]
    summary = pages["/search?q=budget"].select_one("p.summary")
    assert summary is not None and summary.get_text().endswith("results for “budget”")
    assert pages["/search?q=budget"].select_one("#results-department h2").get_text().startswith("Departments")
    profile = pages["/id/org/shanghai-putuo-czj"]
    assert profile.find("h2", id="profile-title").get_text().startswith("Disclosures by year")
    assert [th.get_text() for th in profile.select("#profile-table thead th[data-column]")] == [
        "2024 final accounts", "2025 budget"]


def test_the_home_page_leads_to_the_indexes_in_the_readers_language(app: Flask) -> None:
    client = app.test_client()
    for lang, title, kind in (("zh", "部门预算与决算公开知识图谱", "预算"),
                              ("en", "Departmental budgets and final accounts as linked data", "budget")):
        soup = BeautifulSoup(client.get(f"/?lang={lang}", headers={"Accept": "text/html"}).get_data(as_text=True),
                             "html.parser")
        assert soup.h1.get_text() == title
        assert {a["href"].rsplit("/", 1)[-1] for a in soup.select("ul.browse a")} >= {
            "departments", "glossary", "codes", "def", "sparql", "catalog"}
        assert soup.select_one("main form.search-big input[name=q]") is not None
        kinds = [tr.select("td")[2].get_text() for tr in soup.select("table.datasets tbody tr")]
        assert len(kinds) == 4 and kind in kinds


def _paged_app(release_dir: Path, monkeypatch: pytest.MonkeyPatch, glossary: int, departments: int) -> Flask:
    monkeypatch.setattr(web_search, "GLOSSARY_PER_PAGE", glossary)
    monkeypatch.setattr(web_search, "DEPARTMENTS_PER_PAGE", departments)
    return create_app(make_settings(build_dir=str(release_dir)))


def test_the_glossary_and_the_department_list_come_in_pages(release_dir: Path, client: FlaskClient,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Both grow with the number of disclosures, so each page holds a bounded share: every definition and
    every department on exactly one page, in the order of the one-page list, pages chained by next links."""
    whole = BeautifulSoup(client.get("/glossary").get_data(as_text=True), "html.parser")
    definitions = [dd.get_text() for dd in whole.select("dl.glossary dd")]
    departments = [a["href"] for a in BeautifulSoup(client.get("/departments").get_data(as_text=True),
                                                    "html.parser").select("table.departments tr td:first-child a")]
    assert len(definitions) > 10 and len(departments) > 2
    app = _paged_app(release_dir, monkeypatch, glossary=7, departments=2)
    paged = app.test_client()
    for path, select, whole_list, size in (("/glossary", "dl.glossary dd", definitions, 7),
                                           ("/departments", "table.departments tr td:first-child a",
                                            departments, 2)):
        seen: list[object] = []
        url: str | None = path
        while url is not None:
            soup = BeautifulSoup(paged.get(url).get_data(as_text=True), "html.parser")
            found = [node.get_text() if path == "/glossary" else node["href"] for node in soup.select(select)]
            assert 0 < len(found) <= size, url
            seen += found
            following = soup.select_one("nav.pager a[rel=next]")
            url = path + str(following["href"]) if following is not None else None
        assert seen == whole_list, path
        pages = -(-len(whole_list) // size)
        assert paged.get(f"{path}?page={pages + 1}").status_code == 404
        for bad in ("0", "x", "-1", "1.5"):
            refused = paged.get(f"{path}?page={bad}")
            assert refused.status_code == 400 and "page" in refused.get_data(as_text=True), (path, bad)
    app.extensions["kg_publisher"].store.close()


def test_the_index_the_build_writes_from_parts_is_the_one_the_store_gives(release_dir: Path, release: Release,
                                                                         tmp_path: Path) -> None:
    """The build indexes what each part found in its own quads (so a release does not query its whole store for
    its index); the store of the release, read whole, gives the same entries."""
    import json

    from kg_publisher.publish.document import SEARCH_PART
    from kg_publisher.publish.search import index_parts, index_release

    # the parts of the build's last release (the cache keeps those only): its disclosures', vocabulary's, shapes'
    cache = release_dir.parent.parent / "cache"  # release_dir is DIR/releases/<version>
    parts = sorted(cache.glob(f"*/part-*/{SEARCH_PART}")) + sorted((cache / "graphs").glob(f"*/{SEARCH_PART}"))
    assert len(parts) == len(release.manifest["datasets"]) + 2
    index_parts(tmp_path / "parts.sqlite", release.manifest["datasets"], (json.loads(p.read_bytes()) for p in parts))
    index_release(release.path, release.manifest["datasets"], tmp_path / "store.sqlite")
    rows = []
    for name in ("parts.sqlite", "store.sqlite"):
        with closing(sqlite3.connect(f"file:{tmp_path / name}?mode=ro", uri=True)) as db:
            query = "SELECT kind, iri, title, english, text, context FROM entries ORDER BY id"
            rows.append(db.execute(query).fetchall())
    kinds = {row[0] for row in rows[0]}
    assert kinds == {"department", "dataset", "term", "code", "figure"}
    assert rows[0] == rows[1]
