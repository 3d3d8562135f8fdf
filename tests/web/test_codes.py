"""``/codes``: the classifications (支出功能分类, 部门预算支出经济分类, per year, 类/款/项) and our code lists as trees
with Chinese and English names, read from a real release; linked from every page's header and the search page."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from kg_publisher.publish.codes import code_schemes

CODE = "https://w3id.org/cn-budget-kg/code/"
MEMBERS = """
SELECT ?scheme (COUNT(DISTINCT ?code) AS ?n) WHERE {
  ?code a <http://www.w3.org/2004/02/skos/core#Concept> ; <http://www.w3.org/2004/02/skos/core#inScheme> ?scheme .
  FILTER (STRSTARTS(STR(?scheme), "https://w3id.org/cn-budget-kg/code/"))
} GROUP BY ?scheme"""


def _schemes(app: Flask) -> dict[str, object]:
    services = app.extensions["kg_publisher"]
    vocabulary = services.store.graph(services.release.manifest["vocabulary_graph"])
    return {scheme.key: scheme for scheme in code_schemes(services.store, vocabulary)}


def test_classifications_are_trees_of_their_levels(app: Flask) -> None:
    schemes = _schemes(app)
    func = schemes["func-2025"]
    assert func.classification and func.levels == ["类", "款", "项"] and func.year == "2025"
    general = next(node for node in func.top if node.notation == "201")
    finance = next(node for node in general.children if node.notation == "20106")
    assert (general.zh, finance.zh, finance.depth) == ("一般公共服务支出", "财政事务", 2)
    assert [c.notation for c in finance.children][:2] == ["2010601", "2010602"]
    assert all(c.depth == 3 and c.notation.startswith("20106") for c in finance.children)
    assert [n.notation for n in func.top][-2:] == ["_T", "_Z"]  # the SDMX total and not-applicable last
    keys = list(schemes)  # classifications first, the latest year first
    assert keys.index("func-2025") < keys.index("func-2024") < keys.index("fund-source")
    assert schemes["econ-dept-2025"].levels == ["类", "款"]


def test_every_member_of_every_scheme_is_in_its_tree_once(app: Flask, client: FlaskClient) -> None:
    answer = client.get("/sparql", query_string={"query": MEMBERS},
                        headers={"Accept": "application/sparql-results+json"})
    counts = {b["scheme"]["value"].removeprefix(CODE): int(b["n"]["value"])
              for b in json.loads(answer.data)["results"]["bindings"]}
    schemes = _schemes(app)
    assert set(counts) <= set(schemes)
    for key, count in counts.items():
        scheme = schemes[key]
        walked = [node.iri for node in [*scheme.walk(), *scheme.printed]]  # type: ignore[attr-defined]
        assert len(walked) == len(set(walked)) == count, key
    # the lines disclosures printed (project items) are kept apart from the item list's own codes
    printed = schemes["item"].printed  # type: ignore[attr-defined]
    assert printed and all(node.part_of.startswith("https://w3id.org/cn-budget-kg/id/dataset/") for node in printed)
    assert "援滇干部工作经费" in {node.zh for node in printed}


def test_the_codes_page_shows_the_trees_in_both_languages(app: Flask) -> None:
    client = app.test_client()  # its own: the language it asks for is remembered in a cookie
    page = client.get("/codes")
    assert page.status_code == 200 and page.mimetype == "text/html"
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert soup.h1.get_text() == "科目与代码"
    finance = soup.find("li", id="func-2025-20106")
    assert finance is not None and "财政事务" in finance.get_text()
    assert finance.find_parent("li", id="func-2025-201") is not None  # 款 nested under its 类
    assert [li["id"] for li in finance.select(":scope > ul > li")][:1] == ["func-2025-2010601"]
    link = finance.a["href"]
    assert link == "http://localhost/code/func-2025/20106"
    assert client.get(link.removeprefix("http://localhost"), headers={"Accept": "text/html"}).status_code == 200
    for scheme in soup.select("section.scheme"):
        assert soup.select_one(f'nav.scheme-index a[href="#{scheme["id"]}"]') is not None
    total = soup.find("li", id="fund-source-_T")
    assert total is not None and total.find("small", lang="en").get_text() == "total"
    english = BeautifulSoup(client.get("/codes?lang=en").get_data(as_text=True), "html.parser")
    assert english.h1.get_text() == "Codes"
    assert english.find("li", id="fund-source-_T").find("span", lang="en").get_text() == "total"


def test_the_codes_are_linked_from_the_header_and_the_search_page(client: FlaskClient) -> None:
    for path in ("/", "/search?q=%E8%B4%A2%E6%94%BF", "/glossary", "/departments"):
        soup = BeautifulSoup(client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True), "html.parser")
        assert soup.select_one('header nav a[href$="/codes"]') is not None, path
    search = BeautifulSoup(client.get("/search").get_data(as_text=True), "html.parser")
    assert search.select_one('main a[href$="/codes"]') is not None
