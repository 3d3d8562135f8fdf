"""``/search`` (the search box on every page), ``/departments`` (the department index, by region) and
``/glossary`` (every glossary term of every disclosure, definitions side by side) and ``/codes`` (the
classifications and code lists as trees, zh/en labels): adapters over :mod:`kg_publisher.publish.search`,
:mod:`kg_publisher.publish.codes` and the release manifest."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Blueprint, Response, render_template, request

from ..errors import NotFound
from ..iris import IriMinter
from ..publish.codes import CodeScheme, code_schemes
from ..publish.search import KINDS, Hit, entries_of_kind, normalise_query, search, search_index

if TYPE_CHECKING:
    from . import Services


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
        by_region: dict[str, dict[str, list[dict[str, object]]]] = defaultdict(lambda: defaultdict(list))
        names: dict[str, str] = {}
        for row in manifest["datasets"]:
            by_region[row.get("region") or "—"][row["organization"]].append(row)
            names[row["organization"]] = row["department"]
        regions = [(region, sorted(((names[org], org, sorted(rows, key=lambda r: (r["year"], r["kind"])))
                                    for org, rows in orgs.items())))
                   for region, orgs in sorted(by_region.items())]
        return Response(render_template("departments.html", services=services, regions=regions),
                        mimetype="text/html")

    @bp.route("/glossary")
    def glossary() -> Response:
        terms: dict[str, list[Hit]] = defaultdict(list)
        for hit in entries_of_kind(index_path(), "term"):
            terms[hit.title].append(hit)
        return Response(render_template("glossary.html", services=services, terms=sorted(terms.items())),
                        mimetype="text/html")

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
