"""``/search`` (the search box on every page), ``/departments`` (the department index, by region) and
``/glossary`` (every glossary term of every disclosure, definitions side by side) and ``/codes`` (the
classifications and code lists as trees, zh/en labels): adapters over :mod:`kg_publisher.publish.search`,
:mod:`kg_publisher.publish.codes` and the release manifest."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Blueprint, Response, render_template, request

from ..errors import NotFound
from ..iris import IriMinter
from ..publish.codes import CodeScheme, code_schemes
from ..publish.search import KINDS, Hit, entries_page, normalise_query, search, search_index
from .site import requested_page

if TYPE_CHECKING:
    from . import Services


#: Definitions per page of /glossary and departments per page of /departments: both lists grow with the number
#: of disclosures (at 100 the glossary was 378 KB on one page), so they come in pages.
GLOSSARY_PER_PAGE = 500
DEPARTMENTS_PER_PAGE = 200

#: (region, department name, organisation IRI, its disclosures by year and kind) of one department.
DepartmentEntry = tuple[str, str, str, list[dict[str, object]]]


def department_list(datasets: list[dict[str, object]]) -> list[DepartmentEntry]:
    """Every department of the manifest's data sets, by region then name, each with its disclosures."""
    by_region: dict[str, dict[str, list[dict[str, object]]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    for row in datasets:
        by_region[str(row.get("region") or "—")][str(row["organization"])].append(row)
        names[str(row["organization"])] = str(row["department"])
    return [(region, names[org], org, sorted(rows, key=lambda r: (str(r["year"]), str(r["kind"]))))
            for region, orgs in sorted(by_region.items())
            for org, rows in sorted(orgs.items(), key=lambda item: (names[item[0]], item[0]))]


def blueprint(services: Services) -> Blueprint:
    bp = Blueprint("search", __name__)

    def index_path() -> Path:
        release = services.release
        if release is None:
            raise NotFound("This store has no release to search", "Serve a release written by `kg-publisher build`.")
        return search_index(release.path, release.version, release.manifest["datasets"])

    @bp.route("/search")
    def search_page() -> Response:
        text = request.args.get("q", "")
        results: dict[str, list[Hit]] = {}
        query = ""
        if text.strip():
            query = normalise_query(text)
            results = search(index_path(), query)
        html = render_template("search.html", services=services, query=query, results=results, kinds=KINDS,
                               total=sum(len(hits) for hits in results.values()))
        return Response(html, mimetype="text/html")

    @bp.route("/departments")
    def departments() -> Response:
        manifest = services.release.manifest if services.release is not None else {"datasets": []}
        listed = department_list(manifest["datasets"])
        pages = max(1, -(-len(listed) // DEPARTMENTS_PER_PAGE))
        page = requested_page(pages, "The department list", "Start at /departments and follow its next links.")
        shown = listed[(page - 1) * DEPARTMENTS_PER_PAGE: page * DEPARTMENTS_PER_PAGE]
        regions = [(region, [entry[1:] for entry in entries])
                   for region, entries in groupby(shown, key=lambda entry: entry[0])]
        html = services.pages.page(services.links.root(), lambda: render_template(
            "departments.html", services=services, regions=regions, page=page, pages=pages,
            total=len(listed)))
        return Response(html, mimetype="text/html")

    @bp.route("/glossary")
    def glossary() -> Response:
        path = index_path()
        pages = max(1, -(-glossary_size(path) // GLOSSARY_PER_PAGE))
        page = requested_page(pages, "The glossary", "Start at /glossary and follow its next links.")

        def render() -> str:
            chosen = entries_page(path, "term", (page - 1) * GLOSSARY_PER_PAGE, GLOSSARY_PER_PAGE)
            terms = [(term, list(hits)) for term, hits in groupby(chosen.hits, key=lambda hit: hit.title)]
            return render_template("glossary.html", services=services, terms=terms, term_count=chosen.titles,
                                   per_term=chosen.per_title, page=page, pages=pages)

        return Response(services.pages.page(services.links.root(), render), mimetype="text/html")

    @cache
    def glossary_size(path: Path) -> int:
        return entries_page(path, "term", 0, 0).total

    @cache
    def schemes() -> list[CodeScheme]:
        # Computed once per process: the release a server process serves never changes.
        manifest = services.release.manifest if services.release is not None else {}
        vocabulary = manifest.get("vocabulary_graph") or str(IriMinter(services.settings.base_iri).vocabulary_graph())
        return code_schemes(services.store, services.store.graph(vocabulary))

    @bp.route("/codes")
    def codes() -> Response:
        return Response(render_template("codes.html", services=services, schemes=schemes()), mimetype="text/html")

    return bp
