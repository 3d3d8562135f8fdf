"""Site pages: home, the DCAT catalogue (``/catalog``), VoID (``/.well-known/void``), sitemap and robots.txt."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from rdflib.namespace import DCAT, VOID

from ..errors import NotFound
from ..iris import IriMinter
from ..publish.catalog_pages import CataloguePages, hydra_view, written_page, written_pages
from ..publish.formats import GRAPH_SYNTAXES, RdfSyntax, rdf_syntax
from ..publish.serialize import serialize_triples
from ..publish.sitemap import SITEMAP_LIMIT, sitemap_iris
from .links import IriMapper
from .negotiation import HTML, alternates, document_links, graph_type_for, requested_format
from .resources import page_number

if TYPE_CHECKING:
    from . import Services


#: Objects that say where to fetch something: in the served catalogue they name this server (public_url, or
#: the allowed host the client used), not the base IRI's host, so a harvester fetches from where it harvested.
#: The things themselves (datasets, distributions, the service) keep their IRIs under base_iri.
ACCESS_PREDICATES = frozenset(str(p) for p in (DCAT.accessURL, DCAT.downloadURL, DCAT.endpointURL,
                                               VOID.dataDump, VOID.sparqlEndpoint))
#: Serialised catalogues kept per (root, syntax): a few hosts × five syntaxes, never one per Host sent.
CATALOGUE_CACHE = 32


def served_catalogue(triples: list[ox.Triple], links: IriMapper, root: str) -> list[ox.Triple]:
    """The catalogue with its access/download URLs under ``root`` (other IRIs unchanged)."""
    served = []
    for triple in triples:
        target = triple.object
        if triple.predicate.value in ACCESS_PREDICATES and isinstance(target, ox.NamedNode):
            triple = ox.Triple(triple.subject, triple.predicate, ox.NamedNode(links.href(target.value, root)))
        served.append(triple)
    return served


@lru_cache(maxsize=CATALOGUE_CACHE)
def catalogue_bytes(services: Services, root: str, syntax: RdfSyntax, page: int) -> bytes:
    """Page ``page`` of the served catalogue in ``syntax`` for clients that reach this server at ``root``: the
    page the build wrote, else worked out from the whole catalogue (another page size, an older release)."""
    size = services.settings.catalog_page_size

    def page_url(number: int) -> str:
        return f"{root}catalog?page={number}"

    written = _written_pages(services)
    if written is None:
        triples = _catalogue_pages(services).page(page, size, page_url)
    else:
        assert services.release is not None, "pages are written in a release"
        triples = written_page(services.release.path, size, page)
        if written["pages"] > 1:
            triples += hydra_view(page_url, page, written["pages"], written["items"], size)
    return serialize_triples(served_catalogue(triples, services.links, root), syntax)


@lru_cache(maxsize=4)
def _catalogue_pages(services: Services) -> CataloguePages:
    return CataloguePages(_catalogue_triples(services))


@lru_cache(maxsize=4)
def _written_pages(services: Services) -> dict[str, Any] | None:
    """The index of the catalogue pages the build wrote for this server's page size (None: it wrote none)."""
    release = services.release
    return written_pages(release.path, services.settings.catalog_page_size) if release is not None else None


def catalogue_page_count(services: Services) -> int:
    written = _written_pages(services)
    return int(written["pages"]) if written is not None else _catalogue_pages(services).count(
        services.settings.catalog_page_size)


def requested_page(pages: int, what: str = "The catalogue",
                   start: str = "Start at /catalog and follow hydra:next.") -> int:
    """The ``page`` query parameter (default 1), checked against the number of pages of ``what``."""
    number = page_number(request.args.get("page"), "page", f"Give page=1, 2, … ({start})")
    if number > pages:
        raise NotFound(f"{what} has {pages} page{'s' if pages > 1 else ''}, not {number}", start)
    return number


def manifest_pages(datasets: list[Any], size: int) -> int:
    """How many pages of ``size`` disclosures the HTML catalogue and the sitemap have (at least 1)."""
    return max(1, -(-len(datasets) // size))


def _catalogue_triples(services: Services) -> list[ox.Triple]:
    release = services.release
    triples = release.catalog_triples() if release is not None else []
    if not triples:
        triples = services.store.graph(str(IriMinter(services.settings.base_iri).catalog_graph()))
    if not triples:
        raise NotFound("This store holds no catalogue graph", "Serve a release written by `kg-publisher build`.")
    return triples


def catalogue_response(services: Services, media_type: str, negotiated: bool, path: str) -> Response:
    size = services.settings.catalog_page_size
    if media_type == HTML:
        manifest = services.release.manifest if services.release is not None else {"datasets": [], "dumps": []}
        pages = manifest_pages(manifest["datasets"], size)
        page = requested_page(pages)
        html = services.pages.page(services.links.root(), lambda: render_template(
            "catalog.html", manifest=manifest, services=services,
            datasets=manifest["datasets"][(page - 1) * size: page * size], page=page, pages=pages,
            alternates=alternates(path)))
        response = Response(html, mimetype=HTML)
    else:
        syntax = rdf_syntax(media_type)
        assert syntax is not None
        page = requested_page(catalogue_page_count(services))
        response = Response(catalogue_bytes(services, services.links.root(), syntax, page),
                            mimetype=syntax.media_type)
    if negotiated:
        response.headers["Vary"] = "Accept"
        extension = "html" if media_type == HTML else rdf_syntax(media_type).extension  # type: ignore[union-attr]
        response.headers["Content-Location"] = f"{path}.{extension}"
    response.headers["Link"] = document_links(path, services.settings.licence)
    return response


def home(services: Services) -> Response:
    media_type = graph_type_for(requested_format(), html=True)
    if media_type != HTML:
        return catalogue_response(services, media_type, negotiated=True, path="/catalog")
    manifest = services.release.manifest if services.release is not None else {"datasets": [], "dumps": []}
    size = services.settings.catalog_page_size  # the home page lists as much as one catalogue page, no more
    graphs = sorted(services.store.graph_sizes().items())
    html = services.pages.page(services.links.root(), lambda: render_template(
        "home.html", manifest=manifest, services=services, datasets=manifest["datasets"][:size],
        graphs=graphs[:size], graph_count=len(graphs), alternates=alternates("/catalog")))
    response = Response(html, mimetype=HTML)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = document_links("/catalog", services.settings.licence)
    return response


def blueprint(services: Services) -> Blueprint:
    bp = Blueprint("site", __name__)

    @bp.route("/catalog")
    def catalog() -> Response:
        return catalogue_response(services, graph_type_for(requested_format(), html=True), True, "/catalog")

    @bp.route("/catalog.<extension>")
    def catalog_document(extension: str) -> Response:
        if extension != "html" and (rdf_syntax(extension) not in GRAPH_SYNTAXES):
            raise NotFound(f"No catalogue document /catalog.{extension}",
                           "Use /catalog.ttl, .jsonld, .nt, .rdf or .html.")
        media_type = HTML if extension == "html" else rdf_syntax(extension).media_type  # type: ignore[union-attr]
        return catalogue_response(services, media_type, False, "/catalog")

    @bp.route("/.well-known/void")
    def void() -> Response:
        # The catalogue graph carries the VoID description (void:Dataset, statistics, dumps, endpoint).
        media_type = graph_type_for(requested_format(), html=True)  # a browser gets the catalogue's HTML view
        return catalogue_response(services, media_type, True, "/catalog")

    @bp.route("/robots.txt")
    def robots() -> Response:
        root = services.links.root()
        text = f"User-agent: *\nAllow: /\nDisallow: /sparql\nSitemap: {root}sitemap.xml\n"
        return Response(text, mimetype="text/plain")

    @bp.route("/sitemap.xml")
    def sitemap() -> Response:
        """One file while the catalogue has one page; past that an index of one file per catalogue page
        (``?page=N``): the data sets of that page, their figures and departments."""
        root = services.links.root()
        datasets = services.release.manifest["datasets"] if services.release is not None else []
        size = services.settings.catalog_page_size
        pages = manifest_pages(datasets, size)
        if pages > 1 and "page" not in request.args:
            body = "".join(f"<sitemap><loc>{escape(f'{root}sitemap.xml?page={n}')}</loc></sitemap>"
                           for n in range(1, pages + 1))
            return Response('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns='
                            f'"http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>\n',
                            mimetype="application/xml")
        page = requested_page(pages)

        def render() -> str:
            urls = [root, f"{root}catalog", f"{root}sparql"] if page == 1 else []
            chosen = datasets[(page - 1) * size: page * size]
            urls += [services.links.href(iri)
                     for iri in sitemap_iris(chosen, services.store, SITEMAP_LIMIT - len(urls))]
            body = "".join(f"<url><loc>{escape(url)}</loc></url>" for url in urls)
            return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                    f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>\n')

        return Response(services.pages.page(root, render), mimetype="application/xml")

    return bp
